/**
 * Safety grids (网格: 全市有网、网中有格、格中有人、人人有责) and their coverage, and the monthly
 * self-inspection status of the schools (which have done it, which have not; a reminder to those behind).
 */
import type { Grid, GridCoverage, GridInput, GridList, GridUpdate, SelfCheckStatus } from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { notifyUnit } from '../../platform/notifications/notifications.service.js';
import { safetyPolicy } from './safety.policy.js';
import * as repo from './safety.repository.js';
import { chinaToday } from '../../platform/dates.js';
import { rate } from './safety.service.js';
import { rootUnit } from '../../platform/access/scope.js';

const SCHOOL = { zh: '学校', en: 'School' };
const GRID = { zh: '网格', en: 'Grid' };
const UNIT = { zh: '单位', en: 'Unit' };

export function toGrid(g: repo.GridRow): Grid {
  return {
    id: g.id,
    schoolId: g.unit_id,
    name: g.name,
    location: g.location,
    personName: g.person_name,
    personPhone: g.person_phone,
    userId: g.user_id,
    userName: g.user_name,
    seq: g.seq,
    openFindings: g.open_findings,
  };
}

async function school(ctx: AppContext, actor: Actor, id: string) {
  const s = await repo.findUnit(ctx.db, actor, 'finding.read', id);
  if (!s || s.kind !== 'school') throw notFound(SCHOOL);
  return s;
}

export async function listGrids(ctx: AppContext, actor: Actor, schoolId: string): Promise<GridList> {
  const s = await school(ctx, actor, schoolId);
  const rows = await repo.gridsOfSchool(ctx.db, s.id);
  return { items: rows.map(toGrid), canEdit: safetyPolicy.canEditGrids(actor, s.path) };
}

async function checkUser(ctx: AppContext, userId: string | null | undefined, schoolId: string) {
  if (!userId) return null;
  const u = await repo.userAtSchool(ctx.db, userId, schoolId);
  if (!u)
    throw badRequest('SAFETY_GRID_USER', {
      zh: '网格责任人账号须是本校的在用账号',
      en: 'The responsible account must be an active account of the school',
    });
  return u;
}

const nameTaken = () =>
  conflict('SAFETY_GRID_NAME_TAKEN', {
    zh: '本校已有同名网格',
    en: 'The school already has a grid of that name',
  });

async function nameFree(ctx: AppContext, schoolId: string, name: string, except?: string) {
  let q = ctx.db
    .selectFrom('safety_grid')
    .select('id')
    .where('unit_id', '=', schoolId)
    .where('name', '=', name);
  if (except) q = q.where('id', '<>', except);
  if (await q.executeTakeFirst()) throw nameTaken();
}

export async function createGrid(
  ctx: AppContext,
  actor: Actor,
  input: GridInput,
  origin: AuditOrigin,
): Promise<Grid> {
  const s = await school(ctx, actor, input.schoolId);
  if (!safetyPolicy.canEditGrids(actor, s.path)) throw forbidden();
  await checkUser(ctx, input.userId, s.id);
  await nameFree(ctx, s.id, input.name);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const seq =
      input.seq ??
      Number(
        (
          await trx
            .selectFrom('safety_grid')
            .select((eb) => eb.fn.coalesce(eb.fn.max('seq'), eb.lit(0)).as('m'))
            .where('unit_id', '=', s.id)
            .executeTakeFirstOrThrow()
        ).m,
      ) + 1;
    const row = {
      name: input.name,
      location: input.location || null,
      person_name: input.personName ?? null,
      person_phone: input.personPhone ?? null,
      user_id: input.userId ?? null,
      seq,
    };
    await trx
      .insertInto('safety_grid')
      .values({ id, unit_id: s.id, ...row })
      .execute();
    await recordAudit(trx, origin, {
      action: 'safety.grid.create',
      objectType: 'safety_grid',
      objectId: id,
      unitId: s.id,
      after: row,
    });
  });
  return toGrid((await repo.gridsOfSchool(ctx.db, s.id)).find((g) => g.id === id)!);
}

async function editableGrid(ctx: AppContext, actor: Actor, id: string) {
  const g = await repo.findGrid(ctx.db, actor, id);
  if (!g) throw notFound(GRID);
  if (!safetyPolicy.canEditGrids(actor, g.school_path)) throw forbidden();
  return g;
}

export async function updateGrid(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: GridUpdate,
  origin: AuditOrigin,
): Promise<Grid> {
  const g = await editableGrid(ctx, actor, id);
  await checkUser(ctx, input.userId, g.unit_id);
  if (input.name !== undefined) await nameFree(ctx, g.unit_id, input.name, id);
  const patch = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.location !== undefined ? { location: input.location || null } : {}),
    ...(input.personName !== undefined ? { person_name: input.personName } : {}),
    ...(input.personPhone !== undefined ? { person_phone: input.personPhone } : {}),
    ...(input.userId !== undefined ? { user_id: input.userId } : {}),
    ...(input.seq !== undefined ? { seq: input.seq } : {}),
  };
  await ctx.db.transaction().execute(async (trx) => {
    if (Object.keys(patch).length)
      await trx
        .updateTable('safety_grid')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    await recordAudit(trx, origin, {
      action: 'safety.grid.update',
      objectType: 'safety_grid',
      objectId: id,
      unitId: g.unit_id,
      before: Object.fromEntries(Object.keys(patch).map((k) => [k, g[k as keyof typeof g]])),
      after: patch,
    });
  });
  return toGrid((await repo.gridsOfSchool(ctx.db, g.unit_id)).find((x) => x.id === id)!);
}

/** Deletes a grid nothing refers to yet (one with findings or inspections is kept for the record). */
export async function deleteGrid(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<void> {
  const g = await editableGrid(ctx, actor, id);
  if (g.uses > 0)
    throw conflict('SAFETY_GRID_IN_USE', {
      zh: '该网格已有检查记录或问题，不能删除（可修改名称或责任人）',
      en: 'The grid has inspections or findings and cannot be deleted (rename it or change its person)',
    });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('safety_grid').where('id', '=', id).execute();
    await recordAudit(trx, origin, {
      action: 'safety.grid.delete',
      objectType: 'safety_grid',
      objectId: id,
      unitId: g.unit_id,
      before: { name: g.name, location: g.location, personName: g.person_name },
    });
  });
}

/** The unit a bureau report is about: `under` (in scope), else the actor's own unit. */
async function reportRoot(ctx: AppContext, actor: Actor, under: string | undefined) {
  const id = under ?? actor.unitId;
  if (!id) {
    const root = await rootUnit(ctx.db);
    if (!root) throw notFound(UNIT);
    return repo.unitById(ctx.db, root.id);
  }
  const u = await repo.findUnit(ctx.db, actor, 'finding.read', id);
  if (!u) throw notFound(UNIT);
  return u;
}

/** Grids per school and per county (or per the report unit's children): grids with a person / all grids. */
export async function gridCoverage(
  ctx: AppContext,
  actor: Actor,
  under: string | undefined,
): Promise<GridCoverage> {
  const root = await reportRoot(ctx, actor, under);
  const rows = await repo.gridCounts(ctx.db, actor, root.path);
  const cov = (staffed: number, grids: number) => rate(staffed, grids);
  const groups = new Map<string, { unitId: string; name: string; rows: typeof rows }>();
  for (const r of rows) {
    const parent = r.parent_id!;
    const g = groups.get(parent) ?? { unitId: parent, name: r.parent_name, rows: [] };
    g.rows.push(r);
    groups.set(parent, g);
  }
  const sum = (rs: typeof rows) => {
    const grids = rs.reduce((n, r) => n + r.grids, 0);
    const staffed = rs.reduce((n, r) => n + r.staffed, 0);
    return {
      schools: rs.length,
      schoolsWithGrids: rs.filter((r) => r.grids > 0).length,
      grids,
      staffed,
      coverage: cov(staffed, grids),
    };
  };
  return {
    unitId: root.id,
    unitName: root.name,
    totals: sum(rows),
    byUnit: [...groups.values()].map((g) => ({ unitId: g.unitId, name: g.name, ...sum(g.rows) })),
    schools: rows.map((r) => ({
      unitId: r.id,
      name: r.name,
      code: r.code,
      parentName: r.parent_name,
      grids: r.grids,
      staffed: r.staffed,
      coverage: cov(r.staffed, r.grids),
    })),
  };
}

/** Which schools have submitted their self-inspection for the month, which have a draft, which have none. */
export async function selfCheckStatus(
  ctx: AppContext,
  actor: Actor,
  month: string,
  under: string | undefined,
): Promise<SelfCheckStatus> {
  const root = await reportRoot(ctx, actor, under);
  const [schools, checks] = await Promise.all([
    repo.schoolsUnder(ctx.db, actor, root.path),
    repo.selfChecksOfMonth(ctx.db, root.path, month),
  ]);
  const bySchool = new Map(checks.map((c) => [c.unit_id, c]));
  const rows = schools.map((s) => {
    const c = bySchool.get(s.id);
    const status: SelfCheckStatus['schools'][number]['status'] = c ? c.status : 'missing';
    return {
      unitId: s.id,
      name: s.name,
      code: s.code,
      parentId: s.parent_id!,
      parentName: s.parent_name,
      status,
      inspectionId: c?.id ?? null,
      inspectedOn: c ? String(c.inspected_on).slice(0, 10) : null,
      failed: c?.failed ?? 0,
    };
  });
  const tally = (rs: typeof rows) => {
    const submitted = rs.filter((r) => r.status === 'submitted').length;
    return {
      schools: rs.length,
      submitted,
      drafts: rs.filter((r) => r.status === 'draft').length,
      missing: rs.filter((r) => r.status === 'missing').length,
      rate: rate(submitted, rs.length),
    };
  };
  const parents = new Map<string, { unitId: string; name: string; rows: typeof rows }>();
  for (const r of rows) {
    const p = parents.get(r.parentId) ?? { unitId: r.parentId, name: r.parentName, rows: [] };
    p.rows.push(r);
    parents.set(r.parentId, p);
  }
  return {
    month,
    unitId: root.id,
    unitName: root.name,
    totals: tally(rows),
    byUnit: [...parents.values()].map((p) => ({ unitId: p.unitId, name: p.name, ...tally(p.rows) })),
    schools: rows.map(({ parentId: _p, ...r }) => r),
  };
}

/** Reminds the schools that have not submitted the month's self-inspection (their administrators). */
export async function remindSelfCheck(
  ctx: AppContext,
  actor: Actor,
  month: string,
  under: string | undefined,
  origin: AuditOrigin,
): Promise<{ schools: number; users: number }> {
  const root = await reportRoot(ctx, actor, under);
  if (!safetyPolicy.canRemind(actor, root.path)) throw forbidden();
  if (month > chinaToday().slice(0, 7))
    throw badRequest('SAFETY_MONTH_FUTURE', {
      zh: '不能催报以后月份的自查',
      en: 'The month is in the future',
    });
  const status = await selfCheckStatus(ctx, actor, month, root.id);
  const behind = status.schools.filter((s) => s.status !== 'submitted');
  let users = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (const s of behind)
      users += await notifyUnit(trx, s.unitId, ['school_admin'], {
        kind: 'safety.self_check.remind',
        title: `请完成${month.replace('-', '年')}月安全隐患月度自查`,
        body: `${root.name}提醒：${s.name}尚未提交${month}月度安全自查，请尽快在“平安校园—安全检查”中填报。`,
        link: '/safety/inspect',
        objectType: 'unit',
        objectId: s.unitId,
      });
    await recordAudit(trx, origin, {
      action: 'safety.self_check.remind',
      objectType: 'unit',
      objectId: root.id,
      unitId: root.id,
      after: { month, schools: behind.length, users },
    });
  });
  return { schools: behind.length, users };
}
