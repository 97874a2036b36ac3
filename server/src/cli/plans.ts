/**
 * `dudao plan import FILE` and `dudao assess score --plan ID --period P` (filled in by the plans module).
 */
import type { AuditOrigin } from '../platform/audit/audit.js';
import type { AppContext } from '../platform/context.js';

type Values = Record<string, string | boolean | undefined>;

export async function planCommand(
  _ctx: AppContext,
  _sub: string | undefined,
  _positionals: string[],
  _v: Values,
  _origin: AuditOrigin,
): Promise<{ json: unknown; text: string; exitCode?: number }> {
  return Promise.reject(new Error('usage: dudao plan import FILE [--json]'));
}

export async function assessCommand(
  _ctx: AppContext,
  _sub: string | undefined,
  _v: Values,
  _origin: AuditOrigin,
): Promise<{ json: unknown; text: string; exitCode?: number }> {
  return Promise.reject(new Error('usage: dudao assess score --plan ID --period P [--json]'));
}
