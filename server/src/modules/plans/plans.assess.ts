/**
 * Assessment (考评): schemes per year and unit kind with weighted items, periods, hand-scored items with
 * reasons, the results (computed in plans.assess.compute.ts) with the breakdown down to the records, ranking
 * and grades; approval freezes the results, and every later change needs a reason and is audited.
 * Who reads: the owner's side reads a scheme whole; a county bureau assessed under a scheme of the bureau
 * above it reads the scheme, its periods and its own result with the breakdown, not the other counties'.
 */
import type { AssessResults, AssessScheme, AssessSchemeCreate } from '@dudao/contracts';
import { DEFAULT_BANDS } from '@dudao/contracts';
import { sql } from 'kysely';
import { can, type Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { planPolicy } from './plans.policy.js';
import * as repo from './plans.repository.js';
import type { ItemDef } from './plans.scoring.js';
import { computeResults, storedResults, storeResults } from './plans.assess.compute.js';

const SCHEME = { zh: '考评方案', en: 'Assessment scheme' };
const PERIOD = { zh: '考评周期', en: 'Assessment period' };

/**
 * Scheme s (owner 'o') seen by the owner's side, or by a county bureau it assesses (a unit of the scheme's
 * kind under the owner, inside the reader's scope). Schools read their results through published briefings.
 */
function schemeVisible(actor: Actor) {
  return sql<boolean>`(${pathInScope(actor, 'plan.read', sql.ref('o.path'))} or (s.unit_kind = 'county_bureau'
    and exists (select 1 from unit au where au.kind = 'county_bureau' and au.status = 'active'
      and au.id <> s.owner_unit_id and au.path like o.path || '%'
      and ${pathInScope(actor, 'plan.read', sql.ref('au.path'))})))`;
}

function schemeQuery(db: repo.Db, actor: Actor) {
  return db
    .selectFrom('assess_scheme as s')
    .innerJoin('unit as o', 'o.id', 's.owner_unit_id')
    .selectAll('s')
    .select(['o.name as owner_name', 'o.code as owner_code', 'o.path as owner_path'])
    .where(schemeVisible(actor));
}

/** Whether the reader is on the owner's side (sees every unit's result), not only an assessed unit. */
const ownerSide = (actor: Actor, ownerPath: string) =>
  actor.via === 'system' || can(actor, 'plan.read', ownerPath);

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
    .where(schemeVisible(actor))
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
export type Loaded = Awaited<ReturnType<typeof loadPeriod>>;

export async function periodResults(
  ctx: AppContext,
  actor: Actor,
  periodId: string,
  today = chinaToday(),
): Promise<AssessResults> {
  const loaded = await loadPeriod(ctx, actor, periodId);
  const { p, items } = loaded;
  let results =
    p.status === 'approved' ? await storedResults(ctx.db, p.id) : await computeResults(ctx, loaded, today);
  if (!ownerSide(actor, p.owner_path)) {
    // An assessed county reads its own result (its rank among all included), not the others'.
    const ids = results.map((r) => r.unit.id);
    const own = ids.length
      ? await ctx.db
          .selectFrom('unit')
          .select('id')
          .where('id', 'in', ids)
          .where(pathInScope(actor, 'plan.read', sql.ref('unit.path')))
          .execute()
      : [];
    const mine = new Set(own.map((u) => u.id));
    results = results.filter((r) => mine.has(r.unit.id));
  }
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
      const next = await computeResults({ ...ctx, db: trx }, loaded, today);
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
