/**
 * Ledger statistics: found / rectified / open / overdue / rate for any scope, period, source, category and
 * unit, reconciled with the rows, and the sentence 发现隐患X处，已整改Y处，整改率Z% generated from them.
 */
import type {
  FindingCategory,
  FindingCounts,
  FindingSeverity,
  FindingSource,
  FindingStats,
  FindingStatsQuery,
} from '@dudao/contracts';
import { sql, type Kysely } from 'kysely';
import { scopePaths, type Actor } from '../../platform/access/actor.js';
import { pathInScope, rootUnit } from '../../platform/access/scope.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import type { DB } from '../../platform/db/schema.js';
import { notFound } from '../../platform/errors.js';
import * as repo from './findings.repository.js';

const UNIT = { zh: '单位', en: 'Unit' };
// ---------- statistics ----------

const rateOf = (c: { found: number; rectified: number }) => (c.found === 0 ? null : c.rectified / c.found);
const withRate = <T extends { found: number; rectified: number }>(c: T) => ({ ...c, rate: rateOf(c) });

function percent(rate: number | null): string {
  if (rate === null) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}

/** 发现隐患X处，已整改Y处，整改率Z% (问题…个 for sources other than hazard checks). */
const SAFETY_CATEGORIES: readonly string[] = [
  'fire',
  'food',
  'building',
  'traffic',
  'drowning',
  'chemicals',
  'bullying',
  'surroundings',
  'security',
  'campus_safety',
];

/** Hazards (隐患…处) when the selection is safety checks or a safety area; problems (问题…个) otherwise. */
export function statsSentence(
  c: FindingCounts,
  source?: FindingSource,
  category?: FindingCategory,
): { zh: string; en: string } {
  const hazards =
    source === 'inspection' ||
    source === 'self_check' ||
    (!!category && SAFETY_CATEGORIES.includes(category));
  const [noun, unitWord] = hazards ? ['隐患', '处'] : ['问题', '个'];
  let zh = `发现${noun}${c.found}${unitWord}，已整改${c.rectified}${unitWord}，整改率${percent(c.rate)}`;
  if (c.overdue > 0) zh += `，逾期未整改${c.overdue}${unitWord}`;
  const what = hazards ? 'hazards' : 'findings';
  let en = `${c.found} ${what} found, ${c.rectified} rectified, rectification rate ${percent(c.rate)}`;
  if (c.overdue > 0) en += `, ${c.overdue} overdue`;
  return { zh, en };
}

export async function findingStats(
  ctx: AppContext,
  actor: Actor,
  q: FindingStatsQuery,
): Promise<FindingStats> {
  const today = chinaToday();
  let root: { id: string; path: string } | null = null;
  if (q.under) {
    const u = await ctx.db
      .selectFrom('unit')
      .select(['id', 'path'])
      .where('id', '=', q.under)
      .where(pathInScope(actor, 'finding.read', sql.ref('unit.path')))
      .executeTakeFirst();
    if (!u) throw notFound(UNIT);
    root = u;
  } else {
    const paths = scopePaths(actor, 'finding.read');
    const target = paths.length === 1 ? (paths[0] === '/' ? null : paths[0]!) : undefined;
    if (target === null) root = (await rootUnit(ctx.db)) ?? null;
    else if (target)
      root =
        (await ctx.db
          .selectFrom('unit')
          .select(['id', 'path'])
          .where('path', '=', target)
          .executeTakeFirst()) ?? null;
  }
  const filter = { source: q.source, category: q.category, severity: q.severity, from: q.from, to: q.to };
  const underPath = root?.path ?? null;
  const [totals, byCategory, bySource, bySeverity, byUnit] = await Promise.all([
    repo.statsTotals(ctx.db, actor, filter, underPath, today),
    repo.statsBy(ctx.db, actor, filter, underPath, today, 'category'),
    repo.statsBy(ctx.db, actor, filter, underPath, today, 'source'),
    repo.statsBy(ctx.db, actor, filter, underPath, today, 'severity'),
    root
      ? repo.statsByChild(ctx.db, actor, filter, root, today)
      : repo.statsByUnit(ctx.db, actor, filter, today),
  ]);
  const total = withRate(totals);
  return {
    ...total,
    sentence: statsSentence(total, q.source, q.category),
    byCategory: byCategory.map(({ key, ...c }) => ({ category: key as FindingCategory, ...withRate(c) })),
    bySource: bySource.map(({ key, ...c }) => ({ source: key as FindingSource, ...withRate(c) })),
    bySeverity: bySeverity.map(({ key, ...c }) => ({ severity: key as FindingSeverity, ...withRate(c) })),
    byUnit: byUnit.map((u) => withRate(u)),
  };
}

/** For lists of source records: per source id, how many findings it raised and where they stand. */
export async function findingCountsBySource(
  db: Kysely<DB>,
  sourceType: string,
  sourceIds: readonly string[],
): Promise<Map<string, { found: number; open: number; overdue: number; closed: number }>> {
  const rows = await repo.countsBySource(db, sourceType, sourceIds, chinaToday());
  return new Map(rows.map(({ source_id, ...c }) => [source_id!, c]));
}
