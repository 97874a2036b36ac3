import type { UnitListQuery } from '@dudao/contracts';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { scopePaths } from '../../platform/access/actor.js';
import type { Permission } from '../../platform/access/permissions.js';
import { pathInScope } from '../../platform/access/scope.js';
import { fullCount, withTotal } from '../../platform/db/paging.js';
import type { DB, NewUnit, UnitPatch, UnitRow } from '../../platform/db/schema.js';

export type UnitWithCount = UnitRow & { child_count: number };

const childCount = sql<number>`(select count(*)::int from unit c where c.parent_id = unit.id)`.as(
  'child_count',
);

/** One unit, if it lies inside the actor's scope for the permission. */
export function findUnit(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  permission: Permission = 'unit.read',
): Promise<UnitWithCount | undefined> {
  return db
    .selectFrom('unit')
    .selectAll('unit')
    .select(childCount)
    .where('unit.id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst();
}

/** Reads back a unit the caller has just written (its access was checked before the write). */
export function findUnitAfterWrite(db: Kysely<DB>, id: string): Promise<UnitWithCount> {
  return db
    .selectFrom('unit')
    .selectAll('unit')
    .select(childCount)
    .where('unit.id', '=', id)
    .executeTakeFirstOrThrow();
}

/** A page of units in scope, filtered. */
export async function listUnits(
  db: Kysely<DB>,
  actor: Actor,
  q: UnitListQuery & { underPath?: string },
): Promise<{ rows: UnitWithCount[]; total: number }> {
  let base = db.selectFrom('unit').where(pathInScope(actor, 'unit.read', sql.ref('unit.path')));
  if (q.parentId) base = base.where('unit.parent_id', '=', q.parentId);
  if (q.underPath)
    base = base.where('unit.path', 'like', `${q.underPath}%`).where('unit.path', '!=', q.underPath);
  if (q.kind) base = base.where('unit.kind', '=', q.kind);
  if (q.stage) base = base.where('unit.stage', '=', q.stage);
  if (q.status) base = base.where('unit.status', '=', q.status);
  if (q.q) {
    const needle = q.q.replace(/[\\%_]/g, (c) => '\\' + c);
    base = base.where((eb) =>
      eb.or([eb('unit.name', 'like', `%${needle}%`), eb('unit.code', 'like', `${needle}%`)]),
    );
  }
  const rows = await base
    .selectAll('unit')
    .select(childCount)
    .select(fullCount)
    .orderBy('unit.depth')
    .orderBy('unit.kind')
    .orderBy('unit.code')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return withTotal(rows, q.page, async () =>
    Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  );
}

/** Children of a unit in scope, or the actor's top units when no parent is given. */
export function treeNodes(db: Kysely<DB>, actor: Actor, parentId: string | null): Promise<UnitWithCount[]> {
  let q = db
    .selectFrom('unit')
    .selectAll('unit')
    .select(childCount)
    .where(pathInScope(actor, 'unit.read', sql.ref('unit.path')));
  if (parentId) q = q.where('unit.parent_id', '=', parentId);
  else {
    const roots = scopePaths(actor, 'unit.read');
    if (roots.length === 0) return Promise.resolve([]);
    q = roots[0] === '/' ? q.where('unit.parent_id', 'is', null) : q.where('unit.path', 'in', roots);
  }
  return q.orderBy('unit.kind').orderBy('unit.code').execute();
}

/** Whether a unit of this kind already uses the code. */
export async function unitCodeTaken(db: Kysely<DB>, kind: string, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('unit')
    .select('id')
    .where('kind', '=', kind as UnitRow['kind'])
    .where('code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

/** Inserts a unit row. */
export async function insertUnit(db: Kysely<DB>, row: NewUnit): Promise<void> {
  await db.insertInto('unit').values(row).execute();
}

/** Updates a unit row. */
export async function updateUnitRow(db: Kysely<DB>, id: string, patch: UnitPatch): Promise<void> {
  await db
    .updateTable('unit')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Whether a unit has children that are still active. */
export async function hasActiveChildren(db: Kysely<DB>, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('unit')
    .select('id')
    .where('parent_id', '=', id)
    .where('status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** School counts by stage and per county bureau (with users), within scope and optionally under a path. */
export async function unitStats(db: Kysely<DB>, actor: Actor, underPath: string | null) {
  const scoped = pathInScope(actor, 'unit.read', sql.ref('s.path'));
  const under = underPath ? sql`and s.path like ${underPath + '%'}` : sql``;
  const byStage = await sql<{ stage: string; count: number }>`
    select s.stage, count(*)::int as count from unit s
    where s.kind = 'school' and s.status = 'active' and ${scoped} ${under}
    group by s.stage order by s.stage`.execute(db);
  const countyScoped = pathInScope(actor, 'unit.read', sql.ref('c.path'));
  const countyUnder = underPath ? sql`and c.path like ${underPath + '%'}` : sql``;
  const byCounty = await sql<{ unit_id: string; name: string; schools: number; users: number }>`
    select c.id as unit_id, c.name,
      (select count(*)::int from unit s where s.kind = 'school' and s.status = 'active' and s.path like c.path || '%') as schools,
      (select count(*)::int from app_user u join unit uu on uu.id = u.unit_id where uu.path like c.path || '%' and u.disabled_at is null) as users
    from unit c where c.kind = 'county_bureau' and ${countyScoped} ${countyUnder}
    order by c.code`.execute(db);
  return { byStage: byStage.rows, byCounty: byCounty.rows };
}
