/**
 * Queries of the responsibility-inspector module. Reads of scoped data go through the scope filter
 * (pathInScope on the school's or the unit's path); the few unscoped helpers say so and are only called
 * with ids the caller already loaded through it.
 */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { Permission } from '../../platform/access/permissions.js';
import { pathInScope } from '../../platform/access/scope.js';
import { fullCount, withTotal } from '../../platform/db/paging.js';
import type { DB } from '../../platform/db/schema.js';
import type {
  InspectorOpinionTable,
  InspectorProfileTable,
  InspectorVisitItemTable,
  InspectorVisitTable,
} from './inspectors.tables.js';
import type { Insertable, Updateable } from 'kysely';

type Db = Kysely<DB> | Transaction<DB>;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

// ---------- units ----------

/** A school in the actor's scope for the permission, with its parent (the county bureau). */
export function findSchool(db: Db, actor: Actor, id: string, permission: Permission) {
  return db
    .selectFrom('unit as s')
    .leftJoin('unit as p', 'p.id', 's.parent_id')
    .select([
      's.id',
      's.name',
      's.code',
      's.path',
      's.address',
      's.principal',
      's.status',
      's.parent_id',
      'p.name as parent_name',
      'p.kind as parent_kind',
    ])
    .where('s.id', '=', id)
    .where('s.kind', '=', 'school')
    .where(pathInScope(actor, permission, sql.ref('s.path')))
    .executeTakeFirst();
}
export type SchoolRow = NonNullable<Awaited<ReturnType<typeof findSchool>>>;

/** Any unit in the actor's scope for the permission. */
export function findUnit(db: Db, actor: Actor, id: string, permission: Permission) {
  return db
    .selectFrom('unit')
    .select(['id', 'name', 'kind', 'path', 'region_code'])
    .where('id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst();
}

/** Units by id (unscoped: for names and paths of units the caller already holds). */
export function unitsById(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('unit')
    .select(['id', 'name', 'kind', 'path', 'region_code'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

/** Schools among `ids` in the actor's scope for the permission. */
export function schoolsInScope(db: Db, actor: Actor, ids: readonly string[], permission: Permission) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('unit')
    .select(['id', 'path'])
    .where('id', 'in', [...new Set(ids)])
    .where('kind', '=', 'school')
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .execute();
}

// ---------- settings ----------

/** The settings rows of the units on a path (root first); unscoped: the caller loaded the unit. */
export function settingsOnPath(db: Db, path: string) {
  const ids = path.split('/').filter(Boolean);
  return settingsOf(db, ids);
}

export function settingsOf(db: Db, unitIds: readonly string[]) {
  if (unitIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('inspector_setting')
    .select(['unit_id', 'visits_per_term', 'max_schools', 'hotline'])
    .where('unit_id', 'in', [...new Set(unitIds)])
    .execute();
}

export function findSetting(db: Db, unitId: string) {
  return db.selectFrom('inspector_setting').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
}

export async function upsertSetting(
  trx: Transaction<DB>,
  row: {
    unit_id: string;
    visits_per_term: number;
    max_schools: number;
    hotline: string | null;
    updated_by: string | null;
  },
) {
  await trx
    .insertInto('inspector_setting')
    .values({ ...row, updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('unit_id').doUpdateSet({
        visits_per_term: row.visits_per_term,
        max_schools: row.max_schools,
        hotline: row.hotline,
        updated_by: row.updated_by,
        updated_at: new Date(),
      }),
    )
    .execute();
}

// ---------- the roster ----------

/**
 * An inspector is visible to whoever reads findings at their home unit, to readers of any school assigned to
 * them (a school sees its own inspector), and to themselves.
 */
function inspectorVisible(actor: Actor): Expression<SqlBool> {
  const atHome = pathInScope(actor, 'finding.read', sql.ref('hu.path'));
  const self = actor.userId ? sql<SqlBool>`u.id = ${actor.userId}` : sql<SqlBool>`false`;
  const atSchool = sql<SqlBool>`exists (select 1 from inspector_school vs join unit vu on vu.id = vs.school_id
    where vs.user_id = u.id and ${pathInScope(actor, 'finding.read', sql.ref('vu.path'))})`;
  return sql<SqlBool>`(${atHome} or ${self} or ${atSchool})`;
}

const isInspector = sql<SqlBool>`exists (select 1 from user_role ir where ir.user_id = u.id and ir.role = 'inspector')`;

function inspectorsFrom(db: Db, actor: Actor) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('unit as hu', 'hu.id', 'u.unit_id')
    .leftJoin('inspector_profile as p', 'p.user_id', 'u.id')
    .where(isInspector)
    .where(inspectorVisible(actor));
}

const inspectorColumns = [
  'u.id as user_id',
  'u.username',
  'u.display_name',
  'u.unit_id',
  'u.disabled_at',
  'u.phone as account_phone',
  'hu.name as unit_name',
  'hu.path as unit_path',
  'p.user_id as profile_user_id',
  'p.employment',
  'p.title',
  'p.employer',
  'p.phone',
  'p.photo_file_id',
  'p.specialty',
  'p.certificate_no',
  'p.appointed_on',
  'p.status',
  'p.note',
] as const;

const schoolCount = sql<number>`(select count(*)::int from inspector_school c where c.user_id = u.id)`.as(
  'school_count',
);

export function findInspector(db: Db, actor: Actor, userId: string) {
  return inspectorsFrom(db, actor)
    .select(inspectorColumns)
    .select(schoolCount)
    .where('u.id', '=', userId)
    .executeTakeFirst();
}
export type InspectorRow = NonNullable<Awaited<ReturnType<typeof findInspector>>>;

export async function listInspectors(
  db: Db,
  actor: Actor,
  f: {
    underPath?: string;
    q?: string;
    status?: string;
    employment?: string;
    page: number;
    pageSize: number;
  },
) {
  let q = inspectorsFrom(db, actor);
  if (f.underPath) {
    const like = escapeLike(f.underPath) + '%';
    q = q.where(
      sql<SqlBool>`(hu.path like ${like} or exists (select 1 from inspector_school us join unit uu on uu.id = us.school_id
        where us.user_id = u.id and uu.path like ${like}))`,
    );
  }
  if (f.q) {
    const like = '%' + escapeLike(f.q.toLowerCase()) + '%';
    q = q.where(
      sql<SqlBool>`(lower(u.display_name) like ${like} or lower(u.username) like ${like} or lower(coalesce(p.certificate_no, '')) like ${like})`,
    );
  }
  if (f.status === 'active') q = q.where(sql<SqlBool>`coalesce(p.status, 'active') = 'active'`);
  else if (f.status) q = q.where('p.status', '=', f.status as InspectorProfileTable['status']);
  if (f.employment) q = q.where('p.employment', '=', f.employment as InspectorProfileTable['employment']);
  const rows = await q
    .select(inspectorColumns)
    .select(schoolCount)
    .select(fullCount)
    .orderBy('hu.path')
    .orderBy('u.display_name')
    .orderBy('u.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return withTotal(rows, f.page, async () => {
    const r = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return r.n;
  });
}

/** The schools assigned to an inspector that the actor may read (all of them for their managers). */
export function assignedSchools(db: Db, actor: Actor, userId: string) {
  return db
    .selectFrom('inspector_school as a')
    .innerJoin('unit as s', 's.id', 'a.school_id')
    .select(['s.id', 's.name', 's.code', 's.path'])
    .where('a.user_id', '=', userId)
    .where(pathInScope(actor, 'finding.read', sql.ref('s.path')))
    .orderBy('s.code')
    .execute();
}

export async function upsertProfile(trx: Transaction<DB>, row: Insertable<InspectorProfileTable>) {
  const { user_id: _id, created_at: _c, ...rest } = row;
  await trx
    .insertInto('inspector_profile')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...rest, updated_at: new Date() }))
    .execute();
}

/** The inspectors assigned to a school (the school was loaded through the scope filter). */
export function inspectorsOfSchool(db: Db, schoolId: string) {
  return db
    .selectFrom('inspector_school as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .leftJoin('inspector_profile as p', 'p.user_id', 'u.id')
    .select([
      'u.id',
      'u.display_name',
      'u.phone as account_phone',
      'u.disabled_at',
      'p.phone',
      'p.title',
      'p.employer',
      'p.employment',
      'p.certificate_no',
      'p.photo_file_id',
      'p.status',
    ])
    .where('a.school_id', '=', schoolId)
    .where(isInspector)
    .orderBy('u.display_name')
    .execute();
}

/** The bytes of a stored file by id (unscoped: the caller checked the file is a visible inspector's photo). */
export function fileBytes(db: Db, id: string) {
  return db
    .selectFrom('stored_file')
    .select(['name', 'content_type', 'data', 'sha256'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An inspector account's inspector grants (for the bureau a visit is recorded under). */
export function inspectorGrants(db: Db, userId: string) {
  return db
    .selectFrom('user_role as r')
    .innerJoin('unit', 'unit.id', 'r.unit_id')
    .innerJoin('app_user as u', 'u.id', 'r.user_id')
    .select(['r.unit_id', 'unit.path', 'u.display_name', 'u.disabled_at'])
    .where('r.user_id', '=', userId)
    .where('r.role', '=', 'inspector')
    .execute();
}

export async function isAssigned(db: Db, userId: string, schoolId: string): Promise<boolean> {
  const r = await db
    .selectFrom('inspector_school')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
  return r !== undefined;
}

export function userName(db: Db, userId: string) {
  return db.selectFrom('app_user').select(['id', 'display_name']).where('id', '=', userId).executeTakeFirst();
}

// ---------- visits ----------

function visitsFrom(db: Db) {
  return db
    .selectFrom('inspector_visit as v')
    .innerJoin('unit as s', 's.id', 'v.school_id')
    .innerJoin('unit as b', 'b.id', 'v.bureau_id')
    .innerJoin('app_user as i', 'i.id', 'v.inspector_id')
    .leftJoin('inspector_opinion as o', 'o.visit_id', 'v.id');
}

const visitColumns = [
  'v.id',
  'v.school_id',
  'v.inspector_id',
  'v.bureau_id',
  'v.visit_date',
  'v.term_id',
  'v.methods',
  'v.other_method',
  'v.summary',
  'v.deadline',
  'v.recorded_by_name',
  'v.created_at',
  's.name as school_name',
  's.code as school_code',
  's.path as school_path',
  'b.name as bureau_name',
  'b.path as bureau_path',
  'i.display_name as inspector_name',
  'o.id as opinion_id',
  'o.no as opinion_no',
  sql<number>`(select count(*)::int from inspector_visit_item vi where vi.visit_id = v.id)`.as('item_count'),
  sql<number>`(select count(*)::int from inspector_visit_item vi where vi.visit_id = v.id and vi.result = 'problem')`.as(
    'problem_count',
  ),
] as const;

/** A visit whose school lies in the actor's scope for reading findings. */
export function findVisit(db: Db, actor: Actor, id: string) {
  return visitsFrom(db)
    .select(visitColumns)
    .where('v.id', '=', id)
    .where(pathInScope(actor, 'finding.read', sql.ref('s.path')))
    .executeTakeFirst();
}
export type VisitRow = NonNullable<Awaited<ReturnType<typeof findVisit>>>;

/** Whether a visit id is taken at all (unscoped: a retried create must not make a second one). */
export async function visitExists(db: Db, id: string): Promise<boolean> {
  const r = await db.selectFrom('inspector_visit').select('id').where('id', '=', id).executeTakeFirst();
  return r !== undefined;
}

export async function listVisits(
  db: Db,
  actor: Actor,
  f: {
    underPath?: string;
    schoolId?: string;
    inspectorId?: string;
    from?: string;
    to?: string;
    withProblems?: boolean;
    page: number;
    pageSize: number;
  },
) {
  let q = visitsFrom(db).where(pathInScope(actor, 'finding.read', sql.ref('s.path')));
  if (f.underPath) q = q.where('s.path', 'like', escapeLike(f.underPath) + '%');
  if (f.schoolId) q = q.where('v.school_id', '=', f.schoolId);
  if (f.inspectorId) q = q.where('v.inspector_id', '=', f.inspectorId);
  if (f.from) q = q.where('v.visit_date', '>=', f.from);
  if (f.to) q = q.where('v.visit_date', '<=', f.to);
  if (f.withProblems !== undefined) {
    const problems = sql<SqlBool>`exists (select 1 from inspector_visit_item pi where pi.visit_id = v.id and pi.result = 'problem')`;
    q = q.where(f.withProblems ? problems : sql<SqlBool>`not ${problems}`);
  }
  const rows = await q
    .select(visitColumns)
    .select(fullCount)
    .orderBy('v.visit_date', 'desc')
    .orderBy('v.created_at', 'desc')
    .orderBy('v.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return withTotal(rows, f.page, async () => {
    const r = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return r.n;
  });
}

export async function insertVisit(
  trx: Transaction<DB>,
  visit: Insertable<InspectorVisitTable>,
  items: Insertable<InspectorVisitItemTable>[],
) {
  await trx.insertInto('inspector_visit').values(visit).execute();
  if (items.length > 0) await trx.insertInto('inspector_visit_item').values(items).execute();
}

export async function linkItemFinding(
  trx: Transaction<DB>,
  visitId: string,
  item: string,
  findingId: string,
) {
  await trx
    .updateTable('inspector_visit_item')
    .set({ finding_id: findingId })
    .where('visit_id', '=', visitId)
    .where('item', '=', item)
    .execute();
}

/** The findings a visit raised, by category (unscoped: the visit was loaded through the filter). */
export function findingsOfSource(db: Db, sourceType: string, sourceId: string) {
  return db
    .selectFrom('finding')
    .select(['id', 'no', 'category', 'severity', 'title', 'description', 'status', 'deadline'])
    .where('source_type', '=', sourceType)
    .where('source_id', '=', sourceId)
    .orderBy('no')
    .execute();
}

export function visitItems(db: Db, visitId: string) {
  return db
    .selectFrom('inspector_visit_item as vi')
    .leftJoin('finding as f', 'f.id', 'vi.finding_id')
    .select([
      'vi.item',
      'vi.result',
      'vi.notes',
      'vi.file_ids',
      'f.id as finding_id',
      'f.no as finding_no',
      'f.title as finding_title',
      'f.severity as finding_severity',
      'f.status as finding_status',
      'f.deadline as finding_deadline',
    ])
    .where('vi.visit_id', '=', visitId)
    .execute();
}

// ---------- opinions ----------

/** The next number of a kind of document for a unit and year (gap-free inside committed transactions). */
export async function nextDocNumber(trx: Transaction<DB>, unitId: string, kind: string, year: number) {
  const row = await trx
    .insertInto('doc_counter')
    .values({ unit_id: unitId, kind, year, last: 1 })
    .onConflict((oc) =>
      oc.columns(['unit_id', 'kind', 'year']).doUpdateSet({ last: sql<number>`doc_counter.last + 1` }),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

const openFindingsOf = sql<number>`(select count(*)::int from inspector_opinion_finding ofd join finding ff on ff.id = ofd.finding_id
  where ofd.opinion_id = o.id and ff.status <> 'closed')`;

function opinionsFrom(db: Db) {
  return db
    .selectFrom('inspector_opinion as o')
    .innerJoin('inspector_visit as v', 'v.id', 'o.visit_id')
    .innerJoin('unit as s', 's.id', 'o.school_id')
    .innerJoin('unit as b', 'b.id', 'o.bureau_id')
    .innerJoin('app_user as i', 'i.id', 'o.inspector_id')
    .leftJoin('app_user as rb', 'rb.id', 'o.report_submitted_by');
}

const opinionColumns = [
  'o.id',
  'o.no',
  'o.visit_id',
  'o.school_id',
  'o.inspector_id',
  'o.bureau_id',
  'o.issued_on',
  'o.deadline',
  'o.content',
  'o.requirements',
  'o.status',
  'o.report_text',
  'o.report_file_ids',
  'o.report_submitted_at',
  'o.verify_note',
  'o.return_count',
  'v.visit_date',
  's.name as school_name',
  's.code as school_code',
  's.path as school_path',
  's.principal as school_principal',
  's.address as school_address',
  'b.name as bureau_name',
  'b.path as bureau_path',
  'i.display_name as inspector_name',
  'rb.display_name as report_submitted_by_name',
  sql<number>`(select count(*)::int from inspector_opinion_finding cf where cf.opinion_id = o.id)`.as(
    'finding_count',
  ),
  openFindingsOf.as('open_findings'),
] as const;

export function findOpinion(db: Db, actor: Actor, id: string) {
  return opinionsFrom(db)
    .select(opinionColumns)
    .where('o.id', '=', id)
    .where(pathInScope(actor, 'finding.read', sql.ref('s.path')))
    .executeTakeFirst();
}
export type OpinionRow = NonNullable<Awaited<ReturnType<typeof findOpinion>>>;

/** Derived state in SQL, for the list filter (mirrors opinionState in the service). */
const stateSql = sql<string>`case
  when o.status = 'issued' then 'rectifying'
  when o.status = 'returned' then 'returned'
  when o.status = 'submitted' then 'submitted'
  when ${openFindingsOf} > 0 then 'closing'
  else 'done' end`;

export async function listOpinions(
  db: Db,
  actor: Actor,
  f: {
    underPath?: string;
    schoolId?: string;
    visitId?: string;
    state?: string;
    year?: number;
    page: number;
    pageSize: number;
  },
) {
  let q = opinionsFrom(db).where(pathInScope(actor, 'finding.read', sql.ref('s.path')));
  if (f.underPath) q = q.where('s.path', 'like', escapeLike(f.underPath) + '%');
  if (f.schoolId) q = q.where('o.school_id', '=', f.schoolId);
  if (f.visitId) q = q.where('o.visit_id', '=', f.visitId);
  if (f.year) q = q.where('o.year', '=', f.year);
  if (f.state) q = q.where(sql<SqlBool>`${stateSql} = ${f.state}`);
  const rows = await q
    .select(opinionColumns)
    .select(fullCount)
    .orderBy('o.issued_on', 'desc')
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return withTotal(rows, f.page, async () => {
    const r = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return r.n;
  });
}

export function lockOpinion(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('inspector_opinion')
    .select(['id', 'status'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function insertOpinion(
  trx: Transaction<DB>,
  row: Insertable<InspectorOpinionTable>,
  findingIds: readonly string[],
) {
  await trx.insertInto('inspector_opinion').values(row).execute();
  if (findingIds.length > 0)
    await trx
      .insertInto('inspector_opinion_finding')
      .values(findingIds.map((finding_id) => ({ opinion_id: row.id, finding_id })))
      .execute();
}

export async function updateOpinion(
  trx: Transaction<DB>,
  id: string,
  patch: Updateable<InspectorOpinionTable>,
) {
  await trx
    .updateTable('inspector_opinion')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function insertOpinionEvent(
  trx: Transaction<DB>,
  e: {
    id: string;
    opinion_id: string;
    kind: 'issue' | 'report' | 'accept' | 'return';
    actor_id: string | null;
    actor_name: string | null;
    note: string | null;
    file_ids: string[];
  },
) {
  await trx.insertInto('inspector_opinion_event').values(e).execute();
}

export function opinionFindings(db: Db, opinionId: string) {
  return db
    .selectFrom('inspector_opinion_finding as of')
    .innerJoin('finding as f', 'f.id', 'of.finding_id')
    .select([
      'f.id',
      'f.no',
      'f.category',
      'f.severity',
      'f.title',
      'f.description',
      'f.status',
      'f.deadline',
    ])
    .where('of.opinion_id', '=', opinionId)
    .orderBy('f.no')
    .execute();
}

export function opinionEvents(db: Db, opinionId: string) {
  return db
    .selectFrom('inspector_opinion_event')
    .select(['kind', 'at', 'actor_name', 'note', 'file_ids'])
    .where('opinion_id', '=', opinionId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

// ---------- coverage ----------

/** Active schools in the actor's scope for reading findings, optionally under a unit, with their parent. */
export function coverageSchools(db: Db, actor: Actor, underPath: string | undefined) {
  let q = db
    .selectFrom('unit as s')
    .leftJoin('unit as p', 'p.id', 's.parent_id')
    .select([
      's.id',
      's.name',
      's.code',
      's.path',
      'p.id as parent_id',
      'p.name as parent_name',
      'p.kind as parent_kind',
    ])
    .where('s.kind', '=', 'school')
    .where('s.status', '=', 'active')
    .where(pathInScope(actor, 'finding.read', sql.ref('s.path')));
  if (underPath) q = q.where('s.path', 'like', escapeLike(underPath) + '%');
  return q.orderBy('s.code').execute();
}

/** Visits per school and inspector between two dates (schools already filtered by scope). */
export function visitCounts(db: Db, schoolIds: readonly string[], from: string, to: string) {
  if (schoolIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('inspector_visit')
    .select([
      'school_id',
      'inspector_id',
      sql<number>`count(*)::int`.as('n'),
      sql<string>`max(visit_date)::text`.as('last'),
    ])
    .where('school_id', 'in', [...schoolIds])
    .where('visit_date', '>=', from)
    .where('visit_date', '<=', to)
    .groupBy(['school_id', 'inspector_id'])
    .execute();
}

/** Inspector assignments of these schools, with the inspectors' names and home units. */
export function assignmentsOf(db: Db, schoolIds: readonly string[]) {
  if (schoolIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('inspector_school as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .innerJoin('unit as hu', 'hu.id', 'u.unit_id')
    .select(['a.school_id', 'a.user_id', 'u.display_name', 'hu.name as unit_name'])
    .where('a.school_id', 'in', [...schoolIds])
    .where(isInspector)
    .orderBy('u.display_name')
    .execute();
}

/** Visits of these schools per inspector this term (for the roster's school list). */
export function visitsInTerm(db: Db, schoolIds: readonly string[], from: string, to: string) {
  return visitCounts(db, schoolIds, from, to);
}
