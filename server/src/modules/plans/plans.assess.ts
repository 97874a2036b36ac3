/**
 * Assessment (考评): schemes per year and unit kind with weighted items, periods, hand-scored items with
 * reasons, results computed from platform data (assignments, reports, the findings ledger) with the
 * breakdown down to the records, ranking and grades; approval freezes the results, and every later change
 * needs a reason and is audited.
 */
import type {
  AssessResults,
  AssessScheme,
  AssessSchemeCreate,
  AssessUnitResult,
  AssessGrade,
} from '@dudao/contracts';
import { DEFAULT_BANDS } from '@dudao/contracts';
import { sql } from 'kysely';
import { systemActor, type Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { findingStats } from '../findings/findings.service.js';
import { planPolicy } from './plans.policy.js';
import * as repo from './plans.repository.js';
import { scoreItems, gradeOf, rank, type ItemDef, type Ratio, type Entry } from './plans.scoring.js';
import { evaluate } from './plans.service.js';
import { meets, timeliness } from './plans.status.js';

const SCHEME = { zh: '考评方案', en: 'Assessment scheme' };
const PERIOD = { zh: '考评周期', en: 'Assessment period' };

function schemeQuery(db: repo.Db, actor: Actor) {
  return db
    .selectFrom('assess_scheme as s')
    .innerJoin('unit as o', 'o.id', 's.owner_unit_id')
    .selectAll('s')
    .select(['o.name as owner_name', 'o.code as owner_code', 'o.path as owner_path'])
    .where(pathInScope(actor, 'plan.read', sql.ref('o.path')));
}

async function toSchemes(
  ctx: AppContext,
  actor: Actor,
  rows: Awaited<ReturnType<ReturnType<typeof schemeQuery>['execute']>>,
): Promise<AssessScheme[]> {
  const ids = rows.map((r) => r.id);
  const items = ids.length
    ? await ctx.db
        .selectFrom('assess_item')
        .selectAll()
        .where('scheme_id', 'in', ids)
        .orderBy('seq')
        .execute()
    : [];
  const periods = ids.length
    ? await ctx.db
        .selectFrom('assess_period')
        .selectAll()
        .where('scheme_id', 'in', ids)
        .orderBy('starts_on', 'desc')
        .execute()
    : [];
  return rows.map((s) => ({
    id: s.id,
    ownerUnit: { id: s.owner_unit_id, name: s.owner_name, code: s.owner_code },
    year: s.year,
    unitKind: s.unit_kind,
    name: s.name,
    bands: s.bands as AssessScheme['bands'],
    items: items.filter((i) => i.scheme_id === s.id).map(toItem),
    periods: periods
      .filter((p) => p.scheme_id === s.id)
      .map((p) => ({
        id: p.id,
        label: p.label,
        planId: p.plan_id,
        startsOn: p.starts_on,
        endsOn: p.ends_on,
        status: p.status,
        approvedAt: p.approved_at?.toISOString() ?? null,
      })),
    canManage: planPolicy.canAssess(actor, { path: s.owner_path }),
  }));
}

function toItem(i: {
  id: string;
  seq: number;
  kind: string;
  name: string;
  weight: number;
  veto_mode: 'void' | 'cap' | null;
  veto_cap: number | null;
}) {
  return {
    id: i.id,
    seq: i.seq,
    kind: i.kind as ItemDef['kind'],
    name: i.name,
    weight: i.weight,
    vetoMode: i.veto_mode,
    vetoCap: i.veto_cap,
  };
}

export async function listSchemes(ctx: AppContext, actor: Actor) {
  const rows = await schemeQuery(ctx.db, actor)
    .orderBy('s.year', 'desc')
    .orderBy('s.created_at', 'desc')
    .limit(200)
    .execute();
  return { items: await toSchemes(ctx, actor, rows) };
}

export async function getScheme(ctx: AppContext, actor: Actor, id: string) {
  const row = await schemeQuery(ctx.db, actor).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(SCHEME);
  return (await toSchemes(ctx, actor, [row]))[0]!;
}

export async function createScheme(
  ctx: AppContext,
  actor: Actor,
  input: AssessSchemeCreate,
  origin: AuditOrigin,
) {
  const owner = await repo.findUnit(ctx.db, actor, input.ownerUnitId, 'plan.read');
  if (!owner) throw notFound({ zh: '单位', en: 'Unit' });
  if (!planPolicy.canAssess(actor, owner) || owner.kind === 'school') throw forbidden();
  const bands = input.bands ?? DEFAULT_BANDS;
  if (new Set(bands.map((b) => b.grade)).size !== bands.length)
    throw badRequest('ASSESS_BANDS', { zh: '等次不能重复', en: 'Grades repeat' });
  for (const it of input.items)
    if (it.kind === 'veto' && it.vetoMode === 'cap' && it.vetoCap === undefined)
      throw badRequest('ASSESS_VETO_CAP', {
        zh: `否决项“${it.name}”须给出封顶分`,
        en: `Veto item “${it.name}” needs a cap`,
      });
  const id = timeOrderedId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('assess_scheme')
      .values({
        id,
        owner_unit_id: owner.id,
        year: input.year,
        unit_kind: input.unitKind,
        name: input.name,
        bands: JSON.stringify(bands),
        created_by: actor.userId,
      })
      .execute();
    let seq = 0;
    for (const it of input.items)
      await trx
        .insertInto('assess_item')
        .values({
          id: timeOrderedId(),
          scheme_id: id,
          seq: ++seq,
          kind: it.kind,
          name: it.name,
          weight: it.kind === 'veto' ? 0 : it.weight,
          veto_mode: it.kind === 'veto' ? (it.vetoMode ?? 'void') : null,
          veto_cap: it.kind === 'veto' && it.vetoMode === 'cap' ? (it.vetoCap ?? null) : null,
        })
        .execute();
    await recordAudit(trx, origin, {
      action: 'assess.scheme.create',
      objectType: 'assess_scheme',
      objectId: id,
      unitId: owner.id,
      after: input,
    });
  });
  return getScheme(ctx, actor, id);
}

async function managedScheme(ctx: AppContext, actor: Actor, schemeId: string) {
  const s = await schemeQuery(ctx.db, actor).where('s.id', '=', schemeId).executeTakeFirst();
  if (!s) throw notFound(SCHEME);
  if (!planPolicy.canAssess(actor, { path: s.owner_path })) throw forbidden();
  return s;
}

export async function createPeriod(
  ctx: AppContext,
  actor: Actor,
  input: { schemeId: string; planId?: string; label: string; startsOn: string; endsOn: string },
  origin: AuditOrigin,
) {
  const s = await managedScheme(ctx, actor, input.schemeId);
  if (input.endsOn < input.startsOn)
    throw badRequest('ASSESS_DATES', { zh: '结束日期不能早于开始日期', en: 'The end is before the start' });
  if (input.planId) {
    const p = await repo.findPlan(ctx.db, actor, input.planId);
    if (!p || !p.owner_path.startsWith(s.owner_path))
      throw badRequest('ASSESS_PLAN', { zh: '所选计划不属于本单位', en: 'The plan is not the unit’s' });
  }
  const dup = await ctx.db
    .selectFrom('assess_period')
    .select('id')
    .where('scheme_id', '=', s.id)
    .where('label', '=', input.label)
    .executeTakeFirst();
  if (dup)
    throw conflict('ASSESS_PERIOD_EXISTS', {
      zh: `考评周期“${input.label}”已存在`,
      en: `Period “${input.label}” exists`,
    });
  const id = timeOrderedId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('assess_period')
      .values({
        id,
        scheme_id: s.id,
        plan_id: input.planId ?? null,
        label: input.label,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        status: 'open',
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'assess.period.create',
      objectType: 'assess_period',
      objectId: id,
      unitId: s.owner_unit_id,
      after: input,
    });
  });
  return getScheme(ctx, actor, s.id);
}

async function loadPeriod(ctx: AppContext, actor: Actor, id: string) {
  const p = await ctx.db
    .selectFrom('assess_period as p')
    .innerJoin('assess_scheme as s', 's.id', 'p.scheme_id')
    .innerJoin('unit as o', 'o.id', 's.owner_unit_id')
    .selectAll('p')
    .select([
      's.name as scheme_name',
      's.owner_unit_id',
      's.unit_kind',
      's.year',
      's.bands',
      'o.path as owner_path',
    ])
    .where('p.id', '=', id)
    .where(pathInScope(actor, 'plan.read', sql.ref('o.path')))
    .executeTakeFirst();
  if (!p) throw notFound(PERIOD);
  const items = (
    await ctx.db
      .selectFrom('assess_item')
      .selectAll()
      .where('scheme_id', '=', p.scheme_id)
      .orderBy('seq')
      .execute()
  ).map(toItem);
  return { p, items };
}
type Loaded = Awaited<ReturnType<typeof loadPeriod>>;

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

async function storedResults(db: repo.Db, periodId: string): Promise<AssessUnitResult[]> {
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

export async function periodResults(
  ctx: AppContext,
  actor: Actor,
  periodId: string,
  today = chinaToday(),
): Promise<AssessResults> {
  const loaded = await loadPeriod(ctx, actor, periodId);
  const { p, items } = loaded;
  const results =
    p.status === 'approved' ? await storedResults(ctx.db, p.id) : await computeResults(ctx, loaded, today);
  return {
    period: {
      id: p.id,
      label: p.label,
      schemeName: p.scheme_name,
      status: p.status,
      approvedAt: p.approved_at?.toISOString() ?? null,
      approvedByName: p.approved_by_name,
    },
    items,
    results,
    canManage: planPolicy.canAssess(actor, { path: p.owner_path }),
  };
}

async function storeResults(trx: repo.Db, periodId: string, results: AssessUnitResult[]) {
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

/** Scores a hand-scored item (manual, bonus, deduction) or sets a veto for a unit. After approval: audited as a change of a locked result, and the results are recomputed. */
export async function setEntry(
  ctx: AppContext,
  actor: Actor,
  periodId: string,
  input: { unitId: string; itemId: string; points: number; reason: string },
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<AssessResults> {
  const loaded = await loadPeriod(ctx, actor, periodId);
  const { p, items } = loaded;
  if (!planPolicy.canAssess(actor, { path: p.owner_path })) throw forbidden();
  const item = items.find((i) => i.id === input.itemId);
  if (!item)
    throw badRequest('ASSESS_ITEM', { zh: '考评项不属于该方案', en: 'The item is not the scheme’s' });
  if (!['manual', 'bonus', 'deduction', 'veto'].includes(item.kind))
    throw badRequest('ASSESS_ITEM_COMPUTED', {
      zh: '该项由平台数据自动计算，不能手工评分',
      en: 'This item is computed from platform data',
    });
  if (item.kind !== 'veto' && input.points > item.weight)
    throw badRequest('ASSESS_POINTS', {
      zh: `分值不能超过该项分值 ${item.weight}`,
      en: `Points cannot exceed ${item.weight}`,
    });
  const unit = await ctx.db
    .selectFrom('unit')
    .select(['id'])
    .where('id', '=', input.unitId)
    .where('kind', '=', p.unit_kind)
    .where('path', 'like', `${p.owner_path}%`)
    .executeTakeFirst();
  if (!unit)
    throw badRequest('ASSESS_UNIT', {
      zh: '该单位不在本考评范围内',
      en: 'The unit is not assessed in this period',
    });
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('assess_entry')
      .select(['points', 'reason'])
      .where('period_id', '=', p.id)
      .where('unit_id', '=', input.unitId)
      .where('item_id', '=', input.itemId)
      .executeTakeFirst();
    await trx
      .insertInto('assess_entry')
      .values({
        period_id: p.id,
        unit_id: input.unitId,
        item_id: input.itemId,
        points: input.points,
        reason: input.reason,
        entered_by_name: actor.displayName,
      })
      .onConflict((oc) =>
        oc.columns(['period_id', 'unit_id', 'item_id']).doUpdateSet({
          points: input.points,
          reason: input.reason,
          entered_by_name: actor.displayName,
          updated_at: new Date(),
        }),
      )
      .execute();
    const locked = p.status === 'approved';
    if (locked) {
      const prior = await storedResults(trx, p.id);
      const next = await computeResultsIn(trx, ctx, loaded, today);
      await storeResults(trx, p.id, next);
      const was = prior.find((r) => r.unit.id === input.unitId);
      const now = next.find((r) => r.unit.id === input.unitId);
      await recordAudit(trx, origin, {
        action: 'assess.result.change',
        objectType: 'assess_period',
        objectId: p.id,
        unitId: input.unitId,
        before: { entry: before ?? null, score: was?.score, grade: was?.grade, rank: was?.rank },
        after: {
          entry: { points: input.points, reason: input.reason },
          item: item.name,
          score: now?.score,
          grade: now?.grade,
          rank: now?.rank,
        },
      });
    } else
      await recordAudit(trx, origin, {
        action: 'assess.entry.set',
        objectType: 'assess_period',
        objectId: p.id,
        unitId: input.unitId,
        before: before ?? null,
        after: { item: item.name, points: input.points, reason: input.reason },
      });
  });
  return periodResults(ctx, actor, periodId, today);
}

/** Recomputes inside a transaction (the entry just written is read back through it). */
async function computeResultsIn(trx: repo.Db, ctx: AppContext, loaded: Loaded, today: string) {
  return computeResults({ ...ctx, db: trx }, loaded, today);
}

export async function approvePeriod(
  ctx: AppContext,
  actor: Actor,
  periodId: string,
  origin: AuditOrigin,
  today = chinaToday(),
) {
  const loaded = await loadPeriod(ctx, actor, periodId);
  const { p } = loaded;
  if (!planPolicy.canAssess(actor, { path: p.owner_path })) throw forbidden();
  if (p.status === 'approved')
    throw conflict('ASSESS_APPROVED', { zh: '该周期的考评结果已审定', en: 'The period is already approved' });
  const results = await computeResults(ctx, loaded, today);
  await ctx.db.transaction().execute(async (trx) => {
    const upd = await trx
      .updateTable('assess_period')
      .set({ status: 'approved', approved_at: new Date(), approved_by_name: actor.displayName })
      .where('id', '=', p.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1)
      throw conflict('ASSESS_APPROVED', {
        zh: '该周期的考评结果已审定',
        en: 'The period is already approved',
      });
    await storeResults(trx, p.id, results);
    await recordAudit(trx, origin, {
      action: 'assess.period.approve',
      objectType: 'assess_period',
      objectId: p.id,
      unitId: p.owner_unit_id,
      after: {
        results: results.map((r) => ({
          unit: r.unit.code,
          score: r.score,
          grade: r.grade,
          rank: r.rank,
          vetoed: r.vetoed,
        })),
      },
    });
  });
  return periodResults(ctx, actor, periodId, today);
}

/** For the CLI: a period by id or label, of a plan. */
export async function findPeriodForPlan(ctx: AppContext, planId: string, period: string) {
  const isId = /^[0-9a-f-]{36}$/i.test(period);
  const row = await ctx.db
    .selectFrom('assess_period')
    .select('id')
    .where('plan_id', '=', planId)
    .where(isId ? 'id' : 'label', '=', period)
    .executeTakeFirst();
  return row?.id ?? null;
}
