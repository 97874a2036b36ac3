/**
 * Queries of the safety module. Every read of scoped data goes through the scope filter (pathInScope):
 * - templates: seen by bureaus that hold safety.manage at the owner, under it or above it (a county sees the
 *   city's templates and its own, not another county's); schools reach checklists through their school;
 * - campaigns: seen by bureaus that hold finding.read over part of the campaign's scope;
 * - inspections and grids: seen by whoever holds finding.read at the school.
 */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { Permission } from '../../platform/access/permissions.js';
import { pathInScope } from '../../platform/access/scope.js';
import { fullCount, withTotal } from '../../platform/db/paging.js';
import type { DB } from '../../platform/db/schema.js';
import { overdueSql } from '../findings/findings.repository.js';

export type Db = Kysely<DB> | Transaction<DB>;

export interface UnitInfo {
  id: string;
  kind: 'city_bureau' | 'county_bureau' | 'school';
  name: string;
  code: string;
  path: string;
  parent_id: string | null;
}

/** A unit inside the actor's scope for `permission` (undefined otherwise: the caller answers 404). */
export function findUnit(db: Db, actor: Actor, permission: Permission, id: string) {
  return db
    .selectFrom('unit')
    .select(['id', 'kind', 'name', 'code', 'path', 'parent_id'])
    .where('id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst() as Promise<UnitInfo | undefined>;
}

/** Reads a unit whose access the caller settled already. */
export function unitById(db: Db, id: string) {
  return db
    .selectFrom('unit')
    .select(['id', 'kind', 'name', 'code', 'path', 'parent_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow() as Promise<UnitInfo>;
}

/**
 * The actor holds `permission` at a bureau whose area overlaps the unit at `pathColumn` (the bureau is above
 * it, at it or under it): bureau-level business such as templates and campaigns.
 */
export function bureauOverlaps(
  actor: Actor,
  permission: Permission,
  pathColumn: Expression<string>,
): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from unit b where b.kind <> 'school'
    and ${pathInScope(actor, permission, sql.ref('b.path'))}
    and (b.path like ${pathColumn} || '%' or ${pathColumn} like b.path || '%'))`;
}

// ---------- templates ----------

const versionInfo = (db: Db) =>
  db
    .selectFrom('safety_template_version as v')
    .select([
      'v.id',
      'v.template_id',
      'v.version',
      'v.status',
      'v.note',
      'v.published_at',
      sql<number>`(select count(*)::int from safety_template_item i where i.version_id = v.id)`.as(
        'item_count',
      ),
      sql<number>`(select count(*)::int from safety_inspection si where si.template_version_id = v.id)`.as(
        'inspections',
      ),
      sql<number>`(select count(*)::int from safety_campaign sc where sc.template_version_id = v.id)`.as(
        'campaigns',
      ),
    ]);
export type VersionRow = Awaited<ReturnType<typeof templateVersions>>[number];

export function templateVersions(db: Db, templateIds: readonly string[]) {
  if (templateIds.length === 0) return Promise.resolve([]);
  return versionInfo(db)
    .where('v.template_id', 'in', [...templateIds])
    .orderBy('v.template_id')
    .orderBy('v.version', 'desc')
    .execute();
}

function templateBase(db: Db, actor: Actor) {
  return db
    .selectFrom('safety_template as t')
    .innerJoin('unit as o', 'o.id', 't.owner_unit_id')
    .selectAll('t')
    .select(['o.name as owner_name', 'o.path as owner_path', 'o.kind as owner_kind'])
    .where(bureauOverlaps(actor, 'safety.manage', sql.ref('o.path')));
}
export type TemplateRow = Awaited<ReturnType<typeof findTemplate>> & object;

export function findTemplate(db: Db, actor: Actor, id: string) {
  return templateBase(db, actor).where('t.id', '=', id).executeTakeFirst();
}

export function listTemplates(db: Db, actor: Actor) {
  return templateBase(db, actor)
    .where('t.archived_at', 'is', null)
    .orderBy('o.depth')
    .orderBy('o.code')
    .orderBy('t.name')
    .execute();
}

export function templateItems(db: Db, versionId: string) {
  return db
    .selectFrom('safety_template_item')
    .selectAll()
    .where('version_id', '=', versionId)
    .orderBy('seq')
    .execute();
}

export function itemsOfVersions(db: Db, versionIds: readonly string[]) {
  if (versionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('safety_template_item')
    .selectAll()
    .where('version_id', 'in', [...versionIds])
    .orderBy('version_id')
    .orderBy('seq')
    .execute();
}

/** A version with its template and owner (no scope: callers reach it through a visible school or template). */
export function versionById(db: Db, id: string) {
  return db
    .selectFrom('safety_template_version as v')
    .innerJoin('safety_template as t', 't.id', 'v.template_id')
    .innerJoin('unit as o', 'o.id', 't.owner_unit_id')
    .select([
      'v.id',
      'v.version',
      'v.status',
      'v.template_id',
      't.name',
      't.archived_at',
      'o.name as owner_name',
      'o.path as owner_path',
    ])
    .where('v.id', '=', id)
    .executeTakeFirst();
}

/**
 * The latest published version of every live template maintained by a bureau above a unit (or by the
 * unit itself): what a school's inspection can use.
 */
export function publishedChecklistsAbove(db: Db, unitPath: string) {
  return db
    .selectFrom('safety_template as t')
    .innerJoin('unit as o', 'o.id', 't.owner_unit_id')
    .innerJoin('safety_template_version as v', 'v.template_id', 't.id')
    .select(['v.id as version_id', 'v.version', 't.id as template_id', 't.name', 'o.name as owner_name'])
    .where('t.archived_at', 'is', null)
    .where('v.status', '=', 'published')
    .where(sql<SqlBool>`${unitPath} like o.path || '%'`)
    .where(
      sql<SqlBool>`v.version = (select max(v2.version) from safety_template_version v2
        where v2.template_id = t.id and v2.status = 'published')`,
    )
    .orderBy('o.depth', 'desc')
    .orderBy('t.name')
    .execute();
}

// ---------- campaigns ----------

function campaignBase(db: Db) {
  return db
    .selectFrom('safety_campaign as c')
    .innerJoin('unit as o', 'o.id', 'c.owner_unit_id')
    .innerJoin('unit as s', 's.id', 'c.scope_unit_id')
    .innerJoin('safety_template_version as v', 'v.id', 'c.template_version_id')
    .innerJoin('safety_template as t', 't.id', 'v.template_id')
    .selectAll('c')
    .select([
      'o.name as owner_name',
      'o.path as owner_path',
      's.name as scope_name',
      's.path as scope_path',
      't.id as template_id',
      't.name as template_name',
      'v.version as template_version',
      sql<number>`(select count(*)::int from safety_inspection si
        where si.campaign_id = c.id and si.status = 'submitted')`.as('inspections'),
    ]);
}
export type CampaignRow = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;

export function findCampaign(db: Db, actor: Actor, id: string) {
  return campaignBase(db)
    .where('c.id', '=', id)
    .where(bureauOverlaps(actor, 'finding.read', sql.ref('s.path')))
    .executeTakeFirst();
}

/** A campaign the caller has already found (or is about to use at a school it checked). */
export function campaignById(db: Db, id: string) {
  return campaignBase(db).where('c.id', '=', id).executeTakeFirst();
}

export async function listCampaigns(
  db: Db,
  actor: Actor,
  q: { status?: 'planned' | 'active' | 'ended'; q?: string; page: number; pageSize: number },
  today: string,
) {
  let base = campaignBase(db).where(bureauOverlaps(actor, 'finding.read', sql.ref('s.path')));
  if (q.status === 'planned') base = base.where('c.starts_on', '>', today);
  if (q.status === 'active') base = base.where('c.starts_on', '<=', today).where('c.ends_on', '>=', today);
  if (q.status === 'ended') base = base.where('c.ends_on', '<', today);
  if (q.q) base = base.where('c.name', 'like', `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  const rows = await base
    .select(fullCount)
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.created_at', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return withTotal(rows, q.page, async () => (await base.execute()).length);
}

/** Campaigns covering a school whose period has not ended. */
export function campaignsCovering(db: Db, schoolPath: string, today: string) {
  return campaignBase(db)
    .where(sql<SqlBool>`${schoolPath} like s.path || '%'`)
    .where('c.ends_on', '>=', today)
    .orderBy('c.starts_on', 'desc')
    .execute();
}

export function campaignGroups(db: Db, campaignIds: readonly string[]) {
  if (campaignIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('safety_campaign_group as g')
    .selectAll('g')
    .select(
      sql<number>`(select count(*)::int from safety_inspection si
        where si.group_id = g.id and si.status = 'submitted')`.as('visits'),
    )
    .where('g.campaign_id', 'in', [...campaignIds])
    .orderBy('g.created_at')
    .orderBy('g.name')
    .execute();
}

export function groupById(db: Db, id: string) {
  return db
    .selectFrom('safety_campaign_group as g')
    .selectAll('g')
    .select(sql<number>`(select count(*)::int from safety_inspection si where si.group_id = g.id)`.as('uses'))
    .where('g.id', '=', id)
    .executeTakeFirst();
}

/** Submitted inspections of a campaign at schools inside the actor's finding.read scope. */
export function campaignInspections(db: Db, actor: Actor, campaignId: string) {
  return db
    .selectFrom('safety_inspection as i')
    .innerJoin('unit as u', 'u.id', 'i.unit_id')
    .select(['i.id', 'i.unit_id', 'i.group_id', 'i.people_count', 'u.parent_id'])
    .where('i.campaign_id', '=', campaignId)
    .where('i.status', '=', 'submitted')
    .where(pathInScope(actor, 'finding.read', sql.ref('u.path')))
    .execute();
}

/** Active schools under a path and inside the actor's finding.read scope. */
export function schoolsUnder(db: Db, actor: Actor, path: string) {
  return db
    .selectFrom('unit as u')
    .innerJoin('unit as p', 'p.id', 'u.parent_id')
    .select(['u.id', 'u.name', 'u.code', 'u.path', 'u.parent_id', 'p.name as parent_name'])
    .where('u.kind', '=', 'school')
    .where('u.status', '=', 'active')
    .where('u.path', 'like', `${path}%`)
    .where(pathInScope(actor, 'finding.read', sql.ref('u.path')))
    .orderBy('p.code')
    .orderBy('u.code')
    .execute();
}

/** Ledger counts of findings raised by these inspections, per category (read from the ledger's rows). */
export function findingsByCategory(db: Db, inspectionIds: readonly string[], today: string) {
  if (inspectionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('finding as f')
    .select('f.category')
    .select([
      sql<number>`count(*)::int`.as('found'),
      sql<number>`(count(*) filter (where f.status = 'closed'))::int`.as('rectified'),
      sql<number>`(count(*) filter (where f.status <> 'closed'))::int`.as('open'),
      sql<number>`(count(*) filter (where ${overdueSql(today)}))::int`.as('overdue'),
    ])
    .where('f.source_type', '=', 'safety_inspection')
    .where('f.source_id', 'in', [...inspectionIds])
    .groupBy('f.category')
    .execute();
}

// ---------- inspections ----------

function inspectionBase(db: Db) {
  return db
    .selectFrom('safety_inspection as i')
    .innerJoin('unit as u', 'u.id', 'i.unit_id')
    .innerJoin('safety_template_version as v', 'v.id', 'i.template_version_id')
    .innerJoin('safety_template as t', 't.id', 'v.template_id')
    .leftJoin('safety_campaign as c', 'c.id', 'i.campaign_id')
    .leftJoin('safety_campaign_group as g', 'g.id', 'i.group_id')
    .leftJoin('safety_grid as sg', 'sg.id', 'i.grid_id')
    .selectAll('i')
    .select([
      'u.name as school_name',
      'u.code as school_code',
      'u.path as school_path',
      'c.name as campaign_name',
      'g.name as group_name',
      't.name as template_name',
      'v.version as template_version',
      'sg.name as grid_name',
      sql<number>`(select count(*)::int from safety_inspection_item x
        where x.inspection_id = i.id and x.result = 'pass')`.as('passed'),
      sql<number>`(select count(*)::int from safety_inspection_item x
        where x.inspection_id = i.id and x.result = 'fail')`.as('failed'),
      sql<number>`(select count(*)::int from safety_inspection_item x
        where x.inspection_id = i.id and x.result = 'na')`.as('na'),
    ]);
}
export type InspectionRow = NonNullable<Awaited<ReturnType<typeof findInspection>>>;

export function findInspection(db: Db, actor: Actor, id: string) {
  return inspectionBase(db)
    .where('i.id', '=', id)
    .where(pathInScope(actor, 'finding.read', sql.ref('u.path')))
    .executeTakeFirst();
}

/** Whether an inspection with this id exists at all (a client id that collides with another's record). */
export async function inspectionExists(db: Db, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('safety_inspection').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

export async function listInspections(
  db: Db,
  actor: Actor,
  q: {
    underPath?: string;
    schoolId?: string;
    campaignId?: string;
    kind?: string;
    status?: string;
    month?: string;
    page: number;
    pageSize: number;
  },
) {
  let base = inspectionBase(db).where(pathInScope(actor, 'finding.read', sql.ref('u.path')));
  if (q.underPath) base = base.where('u.path', 'like', `${q.underPath}%`);
  if (q.schoolId) base = base.where('i.unit_id', '=', q.schoolId);
  if (q.campaignId) base = base.where('i.campaign_id', '=', q.campaignId);
  if (q.kind) base = base.where('i.kind', '=', q.kind as 'visit');
  if (q.status) base = base.where('i.status', '=', q.status as 'draft');
  if (q.month) base = base.where('i.month', '=', q.month);
  const rows = await base
    .select(fullCount)
    .orderBy('i.inspected_on', 'desc')
    .orderBy('i.created_at', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return withTotal(rows, q.page, async () => (await base.execute()).length);
}

export function inspectionItems(db: Db, inspectionId: string) {
  return db
    .selectFrom('safety_inspection_item')
    .selectAll()
    .where('inspection_id', '=', inspectionId)
    .execute();
}

/** This month's self-inspection of a school, if one was started. */
export function selfCheckOf(db: Db, schoolId: string, month: string) {
  return db
    .selectFrom('safety_inspection')
    .select(['id', 'status'])
    .where('unit_id', '=', schoolId)
    .where('kind', '=', 'self_check')
    .where('month', '=', month)
    .executeTakeFirst();
}

/** Self-inspections of a month at the schools under a path (scope settled by the caller's school list). */
export function selfChecksOfMonth(db: Db, path: string, month: string) {
  return db
    .selectFrom('safety_inspection as i')
    .innerJoin('unit as u', 'u.id', 'i.unit_id')
    .select([
      'i.id',
      'i.unit_id',
      'i.status',
      'i.inspected_on',
      sql<number>`(select count(*)::int from safety_inspection_item x
        where x.inspection_id = i.id and x.result = 'fail')`.as('failed'),
    ])
    .where('i.kind', '=', 'self_check')
    .where('i.month', '=', month)
    .where('u.path', 'like', `${path}%`)
    .execute();
}

// ---------- grids ----------

export function gridsOfSchool(db: Db, schoolId: string) {
  return db
    .selectFrom('safety_grid as g')
    .leftJoin('app_user as au', 'au.id', 'g.user_id')
    .selectAll('g')
    .select([
      'au.display_name as user_name',
      sql<number>`(select count(*)::int from finding f where f.grid_id = g.id and f.status <> 'closed')`.as(
        'open_findings',
      ),
    ])
    .where('g.unit_id', '=', schoolId)
    .orderBy('g.seq')
    .orderBy('g.name')
    .execute();
}
export type GridRow = Awaited<ReturnType<typeof gridsOfSchool>>[number];

export function findGrid(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom('safety_grid as g')
    .innerJoin('unit as u', 'u.id', 'g.unit_id')
    .leftJoin('app_user as au', 'au.id', 'g.user_id')
    .selectAll('g')
    .select([
      'u.path as school_path',
      'au.display_name as user_name',
      sql<number>`(select count(*)::int from finding f where f.grid_id = g.id and f.status <> 'closed')`.as(
        'open_findings',
      ),
      sql<number>`((select count(*) from finding f where f.grid_id = g.id)
        + (select count(*) from safety_inspection si where si.grid_id = g.id)
        + (select count(*) from safety_inspection_item sx where sx.grid_id = g.id))::int`.as('uses'),
    ])
    .where('g.id', '=', id)
    .where(pathInScope(actor, 'finding.read', sql.ref('u.path')))
    .executeTakeFirst();
}

/** Grid counts per school under a path (schools inside the actor's finding.read scope). */
export function gridCounts(db: Db, actor: Actor, path: string) {
  return db
    .selectFrom('unit as u')
    .innerJoin('unit as p', 'p.id', 'u.parent_id')
    .leftJoin('safety_grid as g', 'g.unit_id', 'u.id')
    .select([
      'u.id',
      'u.name',
      'u.code',
      'u.path',
      'u.parent_id',
      'p.name as parent_name',
      sql<number>`count(g.id)::int`.as('grids'),
      sql<number>`(count(g.id) filter (where coalesce(g.person_name, '') <> ''))::int`.as('staffed'),
    ])
    .where('u.kind', '=', 'school')
    .where('u.status', '=', 'active')
    .where('u.path', 'like', `${path}%`)
    .where(pathInScope(actor, 'finding.read', sql.ref('u.path')))
    .groupBy(['u.id', 'u.name', 'u.code', 'u.path', 'u.parent_id', 'p.name', 'p.code'])
    .orderBy('p.code')
    .orderBy('u.code')
    .execute();
}

/** An active account whose home unit is the school (a grid's responsible person). */
export function userAtSchool(db: Db, userId: string, schoolId: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('id', '=', userId)
    .where('unit_id', '=', schoolId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** The children of a unit (for per-county roll-ups). */
export function childUnits(db: Db, parentId: string) {
  return db
    .selectFrom('unit')
    .select(['id', 'name', 'path', 'kind'])
    .where('parent_id', '=', parentId)
    .where('status', '=', 'active')
    .orderBy('kind')
    .orderBy('code')
    .execute();
}
