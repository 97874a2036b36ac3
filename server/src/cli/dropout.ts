/**
 * `dudao dropout scan [--date YYYY-MM-DD]`: runs the suspected-dropout detection for that day (today in
 * China by default) over every school, as the server's daily job does, and prints
 * {"date","suspected","newCases","closedByReturn"} (suspected = open suspected cases after the scan).
 */
import { scan } from '../modules/dropout/dropout.service.js';
import type { AuditOrigin } from '../platform/audit/audit.js';
import type { AppContext } from '../platform/context.js';
import { chinaToday } from '../platform/dates.js';

const usage = 'usage: dudao dropout scan [--date YYYY-MM-DD] [--json]';

type Values = Record<string, string | boolean | undefined>;

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export async function dropoutCommand(
  ctx: AppContext,
  sub: string | undefined,
  v: Values,
  origin: AuditOrigin,
): Promise<{ json: unknown; text: string }> {
  if (sub !== 'scan') throw new Error(usage);
  const date = typeof v.date === 'string' ? v.date : chinaToday();
  if (!validDate(date)) throw new Error(`--date must be a date like 2026-10-09\n${usage}`);
  const r = await scan(ctx, origin, date);
  return {
    json: r,
    text: `${r.date}: 新增疑似辍学 ${r.newCases} 人，复学销号 ${r.closedByReturn} 人，当前疑似辍学 ${r.suspected} 人 (new ${r.newCases}, closed by return ${r.closedByReturn}, open suspected ${r.suspected})`,
  };
}
