/**
 * The computation of assessment results (考评): every assessed unit's items from platform data — assignments
 * and their computed status, report timeliness, the findings ledger's rectification rate — and the hand
 * entries, scored, graded and ranked; and the results frozen at approval (assess_result).
 */
import type { AssessGrade, AssessUnitResult } from '@dudao/contracts';
import { sql } from 'kysely';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { findingStats } from '../findings/findings.stats.js';
import type { Loaded } from './plans.assess.js';
import { evaluate } from './plans.evaluate.js';
import * as repo from './plans.repository.js';
import { scoreItems, gradeOf, rank, type Ratio, type Entry } from './plans.scoring.js';
import { meets, timeliness } from './plans.status.js';

/** Computes every assessed unit's result from the data as of min(today, period end). */
export async function computeResults(
  ctx: AppContext,
  { p, items }: Loaded,
  today = chinaToday(),
): Promise<AssessUnitResult[]> {
  const asOf = p.ends_on < today ? p.ends_on : today;
  const units = await ctx.db
    .selectFrom('unit')
    .select(['id', 'code', 'name'])
    .where('path', 'like', `${p.owner_path}%`)
    .where('kind', '=', p.unit_kind)
    .where('id', '<>', p.owner_unit_id)
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
  const planIds = p.plan_id
    ? [p.plan_id]
    : (
        await ctx.db
          .selectFrom('plan')
          .select('id')
          .where('owner_unit_id', '=', p.owner_unit_id)
          .where('year', '=', p.year)
          .execute()
      ).map((x) => x.id);
  const data = await repo.loadPlanData(ctx.db, planIds, null, asOf);
  const ev = evaluate(data, asOf);
  const entries = await ctx.db.selectFrom('assess_entry').selectAll().where('period_id', '=', p.id).execute();
  const needsFindings = items.some((i) => i.kind === 'rectification_rate');
  const results = [];
  for (const u of units) {
    const mine = data.assignments.filter((a) => a.unit_id === u.id).map((a) => ev.assignment.get(a.id)!);
    const label = (e: (typeof mine)[number]) => `${e.task.seq}. ${e.task.title}`;
    const ratios = new Map<string, Ratio>();
    for (const it of items) {
      if (it.kind === 'task_completion') {
        const ok = (e: (typeof mine)[number]) =>
          e.computed.status === 'done' ||
          (e.task.due_on > asOf && (e.computed.status === 'on_track' || e.computed.status === 'at_risk'));
        const n = mine.filter(ok).length;
        ratios.set(it.id, {
          ratio: mine.length ? n / mine.length : null,
          basis: mine.length ? `${mine.length} 项任务中 ${n} 项已完成或按期推进` : '无分解任务',
          records: mine.map((e) => ({
            type: 'plan_assignment',
            id: e.a.id,
            label: `${label(e)}（${e.computed.reason}）`,
            ok: ok(e),
          })),
        });
      } else if (it.kind === 'target_achievement') {
        const withTarget = mine.filter((e) => e.st.target);
        const ok = (e: (typeof mine)[number]) => {
          const v = e.reports.filter((r) => r.value !== null).at(-1)?.value ?? null;
          return v !== null && meets(e.st.target!.op, v, e.st.target!.value);
        };
        const n = withTarget.filter(ok).length;
        ratios.set(it.id, {
          ratio: withTarget.length ? n / withTarget.length : null,
          basis: withTarget.length ? `${withTarget.length} 项量化目标中 ${n} 项已达成` : '无量化目标',
          records: withTarget.map((e) => ({
            type: 'plan_assignment',
            id: e.a.id,
            label: `${label(e)}：目标 ${e.task.target_text ?? ''}，最新值 ${e.reports.filter((r) => r.value !== null).at(-1)?.value ?? '未报'}`,
            ok: ok(e),
          })),
        });
      } else if (it.kind === 'report_timeliness') {
        let due = 0;
        let onTime = 0;
        const records = mine.map((e) => {
          const t = timeliness(
            e.st,
            e.reports.map((r) => ({
              reportedOn: r.reported_on,
              value: r.value,
              milestoneId: r.milestone_id,
              completed: r.completed,
            })),
            asOf,
          );
          due += t.due;
          onTime += t.onTime;
          return {
            type: 'plan_assignment',
            id: e.a.id,
            label: `${label(e)}：应报 ${t.due} 次，按时 ${t.onTime}，迟报 ${t.late}，未报 ${t.missed}`,
            ok: t.due === t.onTime,
          };
        });
        ratios.set(it.id, {
          ratio: due ? onTime / due : null,
          basis: due ? `应报送 ${due} 次，按时 ${onTime} 次` : '尚无到期报送',
          records,
        });
      } else if (it.kind === 'rectification_rate' && needsFindings) {
        const stats = await findingStats(ctx, systemActor('assessment'), {
          under: u.id,
          from: p.starts_on,
          to: p.ends_on,
        });
        const rows = await ctx.db
          .selectFrom('finding as f')
          .innerJoin('unit as fu', 'fu.id', 'f.unit_id')
          .select(['f.id', 'f.no', 'f.title', 'f.status'])
          .where(sql<boolean>`fu.path like (select path from unit where id = ${u.id}) || '%'`)
          .where('f.raised_on', '>=', p.starts_on)
          .where('f.raised_on', '<=', p.ends_on)
          .orderBy('f.raised_on')
          .limit(100)
          .execute();
        ratios.set(it.id, {
          ratio: stats.rate,
          basis: stats.found ? `发现问题 ${stats.found} 个，已整改 ${stats.rectified} 个` : '期内无问题',
          records: rows.map((f) => ({
            type: 'finding',
            id: f.id,
            label: `${f.no} ${f.title}`,
            ok: f.status === 'closed',
          })),
        });
      }
    }
    const e = new Map<string, Entry>(
      entries
        .filter((x) => x.unit_id === u.id)
        .map((x) => [x.item_id, { points: x.points, reason: x.reason }]),
    );
    const s = scoreItems(items, ratios, e);
    results.push({
      unit: { id: u.id, code: u.code, name: u.name },
      score: s.score,
      rawScore: s.rawScore,
      grade: gradeOf(s.score, p.bands as { grade: AssessGrade; min: number }[], s.voided),
      vetoed: s.vetoed,
      items: s.items,
    });
  }
  return rank(results, (a, b) => a.unit.code.localeCompare(b.unit.code));
}

export async function storedResults(db: repo.Db, periodId: string): Promise<AssessUnitResult[]> {
  const rows = await db
    .selectFrom('assess_result as r')
    .innerJoin('unit as u', 'u.id', 'r.unit_id')
    .select(['r.score', 'r.grade', 'r.rank', 'r.vetoed', 'r.breakdown', 'u.id', 'u.code', 'u.name'])
    .where('r.period_id', '=', periodId)
    .orderBy('r.rank')
    .orderBy('u.code')
    .execute();
  return rows.map((r) => {
    const b = r.breakdown as { rawScore: number; items: AssessUnitResult['items'] };
    return {
      unit: { id: r.id, code: r.code, name: r.name },
      score: r.score,
      rawScore: b.rawScore,
      grade: r.grade as AssessGrade,
      rank: r.rank,
      vetoed: r.vetoed,
      items: b.items,
    };
  });
}

export async function storeResults(trx: repo.Db, periodId: string, results: AssessUnitResult[]) {
  await trx.deleteFrom('assess_result').where('period_id', '=', periodId).execute();
  if (results.length)
    await trx
      .insertInto('assess_result')
      .values(
        results.map((r) => ({
          period_id: periodId,
          unit_id: r.unit.id,
          score: r.score,
          grade: r.grade,
          rank: r.rank,
          vetoed: r.vetoed,
          breakdown: JSON.stringify({ rawScore: r.rawScore, items: r.items }),
        })),
      )
      .execute();
}
