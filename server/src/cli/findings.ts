/**
 * `dudao findings stats [--unit CODE] [--from DATE] [--to DATE] [--source KIND]`: the ledger's counts for a
 * unit's area, computed by the same service as the web's 整改统计 (so they add up to the ledger's rows).
 * `dudao findings escalate`: runs the overdue escalation now (the server also runs it every few minutes).
 */
import { FINDING_SOURCES, FindingStatsQuery } from '@dudao/contracts';
import { escalateOverdue } from '../modules/findings/findings.escalation.js';
import { findingStats } from '../modules/findings/findings.stats.js';
import type { AuditOrigin } from '../platform/audit/audit.js';
import type { AppContext } from '../platform/context.js';

const usage =
  'usage: dudao findings stats [--unit CODE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--source KIND] | dudao findings escalate';

type Values = Record<string, string | boolean | undefined>;

async function unitByCode(ctx: AppContext, code: string): Promise<string> {
  const rows = await ctx.db.selectFrom('unit').select(['id', 'kind']).where('code', '=', code).execute();
  // A county bureau and a school never share a code; the city's code is its division code.
  if (rows.length === 0) throw new Error(`no unit with code ${code}`);
  return rows[0]!.id;
}

export async function findingsCommand(
  ctx: AppContext,
  sub: string | undefined,
  v: Values,
  origin: AuditOrigin,
): Promise<{ json: unknown; text: string }> {
  const actor = origin.actor;
  if (!actor) throw new Error('findings needs an actor');
  if (sub === 'escalate') {
    const n = await escalateOverdue(ctx, origin);
    return { json: { escalated: n }, text: `escalated ${n} overdue findings` };
  }
  if (sub !== 'stats') throw new Error(usage);
  if (typeof v.source === 'string' && !(FINDING_SOURCES as readonly string[]).includes(v.source))
    throw new Error(`--source must be one of ${FINDING_SOURCES.join(', ')}`);
  const parsed = FindingStatsQuery.safeParse({
    ...(typeof v.unit === 'string' ? { under: await unitByCode(ctx, v.unit) } : {}),
    ...(typeof v.from === 'string' ? { from: v.from } : {}),
    ...(typeof v.to === 'string' ? { to: v.to } : {}),
    ...(typeof v.source === 'string' ? { source: v.source } : {}),
  });
  if (!parsed.success) throw new Error(`--from and --to are dates like 2026-01-31\n${usage}`);
  const s = await findingStats(ctx, actor, parsed.data);
  const json = { found: s.found, rectified: s.rectified, open: s.open, overdue: s.overdue, rate: s.rate };
  return { json, text: s.sentence.zh };
}
