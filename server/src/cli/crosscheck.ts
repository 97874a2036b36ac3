/**
 * `dudao crosscheck FILE [--county CODE] [--dry-run]`: imports a population list and prints the 四查三比对
 * category counts (filled in by the dropout module).
 */
import type { AuditOrigin } from '../platform/audit/audit.js';
import type { AppContext } from '../platform/context.js';

type Values = Record<string, string | boolean | undefined>;

export async function crosscheckCommand(
  _ctx: AppContext,
  _file: string | undefined,
  _v: Values,
  _origin: AuditOrigin,
): Promise<{ json: unknown; text: string; exitCode?: number }> {
  return Promise.reject(new Error('usage: dudao crosscheck FILE [--county CODE] [--dry-run] [--json]'));
}
