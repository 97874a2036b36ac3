import {
  GRADES,
  SEARCH_MATCH_CAP,
  type StudentCheckType,
  type StudentStage,
  type StudentStatus,
} from '@dudao/contracts';
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { Permission } from '../../platform/access/permissions.js';
import { pathInScope } from '../../platform/access/scope.js';
import { fullCount, withTotal } from '../../platform/db/paging.js';
import type { DB, NewStudent, StudentTable } from '../../platform/db/schema.js';
import type { Updateable } from 'kysely';

type Db = Kysely<DB>;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

// ---------- units the registry refers to ----------

const schoolColumns = [
  'id',
  'name',
  'code',
  'path',
  'stage',
  'status',
  'county_code',
  'region_code',
] as const;

/** A school inside the actor's scope for the permission. */
export function findSchool(db: Db, actor: Actor, id: string, permission: Permission) {
  return db
    .selectFrom('unit')
    .select(schoolColumns)
    .where('id', '=', id)
    .where('kind', '=', 'school')
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst();
}

export type SchoolRow = NonNullable<Awaited<ReturnType<typeof findSchool>>>;

/**
 * A school anywhere, by its public 学校标识码: the receiving school of a transfer may lie in another county.
 * Deliberately unscoped; callers show only its id, name and code.
 */
export function findSchoolByCode(db: Db, code: string) {
  return db
    .selectFrom('unit')
    .select(schoolColumns)
    .where('kind', '=', 'school')
    .where('code', '=', code)
    .executeTakeFirst();
}

/** Any unit inside the actor's scope for the permission (the `under` of a list). */
export function findUnitInScope(db: Db, actor: Actor, id: string, permission: Permission) {
  return db
    .selectFrom('unit')
    .select(['id', 'path'])
    .where('id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst();
}

// ---------- students ----------

const studentColumns = [
  's.id',
  's.school_id',
  's.county_code',
  's.class_id',
  's.student_no',
  's.id_number_enc',
  's.id_number_hmac',
  's.name',
  's.sex',
  's.birth_date',
  's.ethnicity',
  's.hukou_region_code',
  's.address',
  's.stage',
  's.grade',
  's.enrolled_on',
  's.status',
  's.poverty_household',
  's.left_behind',
  's.migrant',
  's.disabled',
  's.disability_category',
  's.orphan',
  's.created_at',
  's.updated_at',
  'sch.name as school_name',
  'sch.code as school_code',
  'sch.path as school_path',
  'c.name as class_name',
] as const;

function studentsFrom(db: Db) {
  return db
    .selectFrom('student as s')
    .innerJoin('unit as sch', 'sch.id', 's.school_id')
    .leftJoin('school_class as c', 'c.id', 's.class_id');
}

/** One student whose school lies in the actor's scope for the permission. */
export function findStudent(db: Db, actor: Actor, id: string, permission: Permission = 'student.read') {
  return studentsFrom(db)
    .select(studentColumns)
    .where('s.id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('sch.path')))
    .executeTakeFirst();
}

export type StudentRowFull = NonNullable<Awaited<ReturnType<typeof findStudent>>>;

/** Reads back a student the caller has just written (its access was checked before the write). */
export function findStudentAfterWrite(db: Db, id: string): Promise<StudentRowFull> {
  return studentsFrom(db).select(studentColumns).where('s.id', '=', id).executeTakeFirstOrThrow();
}

/** Locks a student row for the rest of the transaction and returns its status and school. */
export function lockStudent(db: Db, id: string) {
  return db
    .selectFrom('student')
    .select(['id', 'status', 'school_id', 'class_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** What the list's `q` means, worked out by the service (it alone holds the HMAC key). */
export interface StudentSearch {
  /** HMAC of a full, valid ID number. */
  idHmac?: string;
  /** Upper-case beginning (or all) of a 学籍号. */
  studentNoPrefix?: string;
  /** Lower-case beginning of the name. */
  namePrefix?: string;
  /** A part of the name: the name from its second or third character on begins with it. */
  namePart?: string;
  /** Lower-case beginning of the pinyin initials. */
  initialsPrefix?: string;
}

export interface StudentFilters {
  search?: StudentSearch;
  schoolId?: string;
  underPath?: string;
  stage?: StudentStage;
  grade?: number;
  classId?: string;
  status?: StudentStatus;
  flags?: string[];
  page: number;
  pageSize: number;
}

const flagColumns: Record<string, 'poverty_household' | 'left_behind' | 'migrant' | 'disabled' | 'orphan'> = {
  poverty_household: 'poverty_household',
  left_behind: 'left_behind',
  migrant: 'migrant',
  disabled: 'disabled',
  orphan: 'orphan',
};

/**
 * Ids of the units in the actor's scope (optionally under a path, or one school): resolved first, so that the
 * student queries can say `school_id = any(…)` and use the indexes that lead with the school. The queries keep
 * the path predicate as well.
 */
async function unitIdsInScope(
  db: Db,
  actor: Actor,
  f: { underPath?: string; schoolId?: string },
): Promise<string[]> {
  let q = db
    .selectFrom('unit')
    .select('id')
    .where(pathInScope(actor, 'student.read', sql.ref('unit.path')));
  if (f.underPath) q = q.where('path', 'like', `${escapeLike(f.underPath)}%`);
  if (f.schoolId) q = q.where('id', '=', f.schoolId);
  return (await q.execute()).map((r) => r.id);
}

const schoolAmong = (ids: string[]) => sql<SqlBool>`s.school_id = any(${ids}::uuid[])`;

/**
 * A roster without a search counts its students up to this many: an exact count of a county's hundred
 * thousand rows (or the city's million) would cost more than the page itself. Above it the total says
 * "more than ROSTER_COUNT_CAP" (`capped`) and the user narrows the list by school, grade or class.
 */
export const ROSTER_COUNT_CAP = 10_000;

/**
 * A page of students in scope, filtered, in school (学校标识码), grade, class and name order.
 *
 * The schools in scope are resolved first and walked in code order (`u`); each school's students are read
 * in a lateral join under a LIMIT, so a page stops at the schools it reaches.
 *
 * With a search, each reading of `q` (name prefix, part of the name, initials, 学籍号 prefix) is its own
 * statement branch: school by school, a LIKE prefix on the index that leads with the school — limited to
 * SEARCH_MATCH_CAP + 1 rows, so a broad query stops early instead of collecting every match; a full ID number
 * is one HMAC look-up. The branches are united, and only those matches are sorted and counted (exactly, as
 * they are at most SEARCH_MATCH_CAP).
 *
 * Without a search, each school's students are walked in roster order through student_roster_idx (see
 * rosterPage), and the total is counted up to ROSTER_COUNT_CAP.
 */
export async function listStudents(db: Db, actor: Actor, f: StudentFilters) {
  const units = await unitIdsInScope(db, actor, f);
  if (units.length === 0) return { rows: [], total: 0, capped: false };
  const filters = listFilters(f);
  let base = studentsFrom(db)
    .where(schoolAmong(units))
    .where(pathInScope(actor, 'student.read', sql.ref('sch.path')));
  if (f.schoolId) base = base.where('s.school_id', '=', f.schoolId);
  if (f.underPath) base = base.where('sch.path', 'like', `${escapeLike(f.underPath)}%`);
  for (const p of filters) base = base.where(p);
  const ctx: ListContext = {
    db,
    base,
    schools: schoolsInOrder(db, actor, units, f),
    inSchool: studentsOfSchool(db, filters),
  };
  const page = f.search ? await searchPage(ctx, f.search, f) : await rosterPage(ctx, f);
  if (page.ids.length === 0) return { rows: [], total: page.total, capped: page.capped };
  const full = await studentsFrom(db)
    .select(studentColumns)
    .where(sql<SqlBool>`s.id = any(${page.ids}::uuid[])`)
    .where(pathInScope(actor, 'student.read', sql.ref('sch.path')))
    .execute();
  const byId = new Map(full.map((r) => [r.id, r]));
  return {
    rows: page.ids.map((id) => byId.get(id)).filter((r) => r !== undefined),
    total: page.total,
    capped: page.capped,
  };
}

type StudentQuery = ReturnType<typeof studentsFrom>;

/** The schools in scope (among `units`, under a path or just one) in code order, to be aliased `u`. */
function schoolsInOrder(db: Db, actor: Actor, units: string[], f: { schoolId?: string; underPath?: string }) {
  let q = db
    .selectFrom('unit as u')
    .select(['u.id', 'u.code'])
    .where(sql<SqlBool>`u.id = any(${units}::uuid[])`)
    .where('u.kind', '=', 'school')
    .where(pathInScope(actor, 'student.read', sql.ref('u.path')))
    .orderBy('u.code')
    .orderBy('u.id');
  if (f.schoolId) q = q.where('u.id', '=', f.schoolId);
  if (f.underPath) q = q.where('u.path', 'like', `${escapeLike(f.underPath)}%`);
  return q;
}

/** The students of school `u` (a row of schoolsInOrder, which carries the scope), filtered. */
function studentsOfSchool(db: Db, filters: Expression<SqlBool>[]) {
  let q = db.selectFrom('student as s').where(sql<SqlBool>`s.school_id = u.id`);
  for (const p of filters) q = q.where(p);
  return q;
}

/** What a list's statements are made of (built once by listStudents). */
interface ListContext {
  db: Db;
  /** The students in scope, filtered (joined with their school `sch` and class `c`). */
  base: StudentQuery;
  schools: ReturnType<typeof schoolsInOrder>;
  inSchool: ReturnType<typeof studentsOfSchool>;
}

interface PageIds {
  ids: string[];
  total: number;
  capped: boolean;
}

/**
 * The page of a search, in one statement: each reading's first matches (indexed, limited) with their sort keys,
 * united, then sorted and counted. The class name is looked up per match (a join would hash every class).
 *
 * A reading served by an index that leads with the school walks the schools in code order (a lateral join
 * under the cap): a broad one (张 over the city) reads the first schools' matches from the index and stops at
 * the cap. When there are more matches than the cap, the ones kept are therefore every match of the first
 * schools, then as many of the next school's as fit (not whatever rows a plan happened to read first), and the
 * first pages are those of the full result. The ID number (an exact HMAC) is one look-up over all schools.
 */
async function searchPage(
  { db, base, schools, inSchool }: ListContext,
  search: StudentSearch,
  f: { page: number; pageSize: number },
): Promise<PageIds> {
  const cap = SEARCH_MATCH_CAP + 1;
  const className = sql<string | null>`(select cn.name from school_class cn where cn.id = s.class_id)`;
  const branches = searchReadings(search).map(({ where, bySchool }) => {
    if (!bySchool)
      return sql`${base
        .select(['s.id', 'sch.code', 's.grade', className.as('class_name'), 's.name_initials', 's.name'])
        .where(where)
        .limit(cap)}`;
    const matches = inSchool
      .select([
        's.id',
        sql<string>`u.code`.as('code'),
        's.grade',
        className.as('class_name'),
        's.name_initials',
        's.name',
      ])
      .where(where)
      .limit(cap);
    return sql`(select b.* from (${schools}) u cross join lateral (${matches}) b limit ${cap})`;
  });
  if (branches.length === 0) return { ids: [], total: 0, capped: false };
  const matches = sql`(${sql.join(branches, sql` union `)})`;
  const { rows } = await sql<{ id: string; n: number }>`
    select m.id, count(*) over ()::int as n from ${matches} m
    order by m.code, m.grade, m.class_name nulls last, m.name_initials, m.name, m.id
    limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`.execute(db);
  // A page past the end has no row to carry the count.
  const n =
    rows.length > 0
      ? rows[0]!.n
      : f.page > 1
        ? (await sql<{ n: number }>`select count(*)::int as n from ${matches} m`.execute(db)).rows[0]!.n
        : 0;
  return { ids: rows.map((r) => r.id), total: Math.min(n, SEARCH_MATCH_CAP), capped: n > SEARCH_MATCH_CAP };
}

/**
 * Grades a student may have (the student table's check: grade between 1 and 12). The roster walks them in
 * order; a grade nobody in the school has costs one index probe per class name.
 */
const ROSTER_GRADES = Array.from({ length: 12 }, (_, i) => i + 1);

/**
 * The page of a roster without a search. The schools in scope are taken in code order and, for each, its
 * students in roster order (limited to what the page can still need); the nested loops stop as soon as the
 * page is full, so only the schools the page reaches are read. Within a school the roster order (grade, class
 * name with the unplaced last, initials, name, id) is walked step by step instead of sorted: for each grade
 * and each class name of the school (the classes of that name, any year or grade: two classes may share a
 * name), then the students of that grade without a class, the students of that step come from
 * student_roster_idx (school, grade, class) and only they are sorted — a few dozen rows, not the school's ten
 * thousand. With a class filter the school's matching students are few and sorted directly. The total is
 * counted up to ROSTER_COUNT_CAP.
 */
async function rosterPage(
  { db, base, schools, inSchool }: ListContext,
  f: { grade?: number; classId?: string; page: number; pageSize: number },
): Promise<PageIds> {
  const offset = (f.page - 1) * f.pageSize;
  const need = offset + f.pageSize;
  const students = f.classId
    ? sql`${inSchool
        .leftJoin('school_class as c', 'c.id', 's.class_id')
        .select('s.id')
        .orderBy(sql`s.grade`)
        .orderBy(sql`c.name nulls last`)
        .orderBy(sql`s.name_initials`)
        .orderBy(sql`s.name`)
        .orderBy(sql`s.id`)
        .limit(need)}`
    : walkedInSchool(db, inSchool, f.grade, need);
  const [{ rows }, count] = await Promise.all([
    sql<{ id: string }>`
      select p.id from (${schools}) u cross join lateral (${students}) p
      limit ${need}`.execute(db),
    db
      .selectFrom(
        base
          .select(sql`1`.as('one'))
          .limit(ROSTER_COUNT_CAP + 1)
          .as('x'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  // A lateral join is a nested loop: it yields the schools in their order and each school's rows in theirs,
  // and stops when the LIMIT is reached (an ORDER BY over the whole would sort every school first).
  const n = Number(count.n);
  return {
    ids: rows.slice(offset).map((r) => r.id),
    total: Math.min(n, ROSTER_COUNT_CAP),
    capped: n > ROSTER_COUNT_CAP,
  };
}

/**
 * The students of school `u` in roster order, walked step by step: the steps (grade, class name, the ids of
 * the school's classes of that name; a null name and null ids for the unplaced, last in each grade) in
 * order, and for each step its students sorted by initials, name and id. `c.name nulls last` of the roster
 * order compares class names exactly as the steps are ordered here, and students whose classes share a name
 * are sorted together, as one ORDER BY over the school would.
 */
function walkedInSchool(db: Db, inSchool: ListContext['inSchool'], grade: number | undefined, need: number) {
  const grades = grade === undefined ? ROSTER_GRADES : [grade];
  const inStep = (placed: boolean) =>
    inSchool
      .select(['s.id', 's.name_initials', 's.name'])
      .where(sql<SqlBool>`s.grade = step.grade`)
      .where(
        placed
          ? sql<SqlBool>`step.ids is not null and s.class_id = any(step.ids)`
          : sql<SqlBool>`step.ids is null and s.class_id is null`,
      );
  const names = db
    .selectFrom('school_class as sc')
    .select(['sc.name', sql<string[]>`array_agg(sc.id)`.as('ids')])
    .where(sql<SqlBool>`sc.school_id = u.id`)
    .groupBy('sc.name');
  return sql`
    select x.id from (
      select g.grade, n.name, n.ids
      from unnest(${grades}::int[]) as g (grade)
        cross join (${names} union all select null, null) as n
      order by g.grade, n.name nulls last
    ) step
    cross join lateral (
      select y.id from (${inStep(true)} union all ${inStep(false)}) y
      order by y.name_initials, y.name, y.id
      limit ${need}
    ) x
    limit ${need}`;
}

/** Guardians of a student, in order. */
export function guardiansOf(db: Db, studentId: string) {
  return db
    .selectFrom('student_guardian')
    .select(['name', 'relation', 'phone'])
    .where('student_id', '=', studentId)
    .orderBy('ord')
    .execute();
}

/** The history of a student (whose access the caller checked), oldest first, with where it happened. */
export function historyOf(db: Db, studentId: string) {
  return db
    .selectFrom('student_status_event as e')
    .innerJoin('unit as sch', 'sch.id', 'e.school_id')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .select([
      'e.id',
      'e.kind',
      'e.status_from',
      'e.status_to',
      'e.effective_on',
      'e.reason',
      'e.school_id',
      'e.transfer_id',
      'e.created_at',
      'sch.name as school_name',
      'sch.code as school_code',
      'u.display_name as actor_name',
    ])
    .where('e.student_id', '=', studentId)
    .orderBy('e.effective_on')
    .orderBy('e.created_at')
    .orderBy('e.kind', 'desc')
    .execute();
}

/** Schools (name and code) where this ID number is held by another student now in school. */
export function activeHoldersOf(db: Db, hmac: string, exceptStudentId: string | null) {
  let q = db
    .selectFrom('student as s')
    .innerJoin('unit as sch', 'sch.id', 's.school_id')
    .select(['sch.name', 'sch.code'])
    .where('s.id_number_hmac', '=', hmac)
    .where('s.status', 'in', ['enrolled', 'suspended']);
  if (exceptStudentId) q = q.where('s.id', '!=', exceptStudentId);
  return q.orderBy('sch.code').execute();
}

/** Whether a 学籍号 is used by another student (it is unique across the platform). */
export async function studentNoTaken(db: Db, no: string, exceptStudentId: string | null): Promise<boolean> {
  let q = db.selectFrom('student').select('id').where('student_no', '=', no);
  if (exceptStudentId) q = q.where('id', '!=', exceptStudentId);
  return (await q.executeTakeFirst()) !== undefined;
}

export function insertStudents(db: Db, rows: NewStudent[]) {
  return db.insertInto('student').values(rows).execute();
}

export function updateStudentRow(db: Db, id: string, patch: Updateable<StudentTable>) {
  return db
    .updateTable('student')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Replaces a student's guardians. */
export async function replaceGuardians(
  db: Db,
  studentId: string,
  guardians: { name: string; relation: string; phone: string | null }[],
): Promise<void> {
  await db.deleteFrom('student_guardian').where('student_id', '=', studentId).execute();
  if (guardians.length)
    await db
      .insertInto('student_guardian')
      .values(guardians.map((g, i) => ({ student_id: studentId, ord: i + 1, ...g })))
      .execute();
}

export interface NewStatusEvent {
  id: string;
  student_id: string;
  kind: string;
  status_from: StudentStatus | null;
  status_to: StudentStatus;
  effective_on: string;
  reason: string | null;
  school_id: string;
  transfer_id: string | null;
  actor_user_id: string | null;
}

export function insertEvents(db: Db, events: NewStatusEvent[]) {
  return db.insertInto('student_status_event').values(events).execute();
}

// ---------- classes ----------

const classColumns = [
  'c.id',
  'c.school_id',
  'c.school_year',
  'c.stage',
  'c.grade',
  'c.name',
  'c.head_teacher_user_id',
  'sch.name as school_name',
  'sch.code as school_code',
  'sch.path as school_path',
  'ht.display_name as head_teacher_name',
  sql<number>`(select count(*)::int from student cs where cs.class_id = c.id and cs.status = 'enrolled')`.as(
    'student_count',
  ),
] as const;

function classesFrom(db: Db) {
  return db
    .selectFrom('school_class as c')
    .innerJoin('unit as sch', 'sch.id', 'c.school_id')
    .leftJoin('app_user as ht', 'ht.id', 'c.head_teacher_user_id');
}

/** One class whose school lies in the actor's scope for the permission. */
export function findClass(db: Db, actor: Actor, id: string, permission: Permission = 'student.read') {
  return classesFrom(db)
    .select(classColumns)
    .where('c.id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('sch.path')))
    .executeTakeFirst();
}

export type ClassRow = NonNullable<Awaited<ReturnType<typeof findClass>>>;

export function findClassAfterWrite(db: Db, id: string): Promise<ClassRow> {
  return classesFrom(db).select(classColumns).where('c.id', '=', id).executeTakeFirstOrThrow();
}

/** Classes of a school in scope, newest school year first. */
export function listClasses(db: Db, actor: Actor, schoolId: string, schoolYear: string | undefined) {
  let q = classesFrom(db)
    .select(classColumns)
    .where('c.school_id', '=', schoolId)
    .where(pathInScope(actor, 'student.read', sql.ref('sch.path')));
  if (schoolYear) q = q.where('c.school_year', '=', schoolYear);
  return q
    .orderBy('c.school_year', 'desc')
    .orderBy('c.grade')
    .orderBy('c.stage')
    .orderBy(sql`length(c.name)`)
    .orderBy('c.name')
    .execute();
}

export async function classTaken(
  db: Db,
  k: { schoolId: string; schoolYear: string; stage: string; grade: number; name: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('school_class')
    .select('id')
    .where('school_id', '=', k.schoolId)
    .where('school_year', '=', k.schoolYear)
    .where('stage', '=', k.stage)
    .where('grade', '=', k.grade)
    .where('name', '=', k.name)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a user's home unit is this school (a head teacher works there). */
export async function worksAt(db: Db, userId: string, schoolId: string): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('id', '=', userId)
    .where('unit_id', '=', schoolId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** The students of a class (whose access the caller checked), in name order. */
export function rosterOf(db: Db, classId: string) {
  return studentsFrom(db)
    .select(studentColumns)
    .where('s.class_id', '=', classId)
    .orderBy(sql`case when s.status = 'enrolled' then 0 else 1 end`)
    .orderBy('s.name_initials')
    .orderBy('s.name')
    .orderBy('s.id')
    .execute();
}

// ---------- transfers ----------

const transferColumns = [
  't.id',
  't.status',
  't.reason',
  't.student_id',
  't.from_school_id',
  't.to_school_id',
  't.requested_at',
  't.decided_at',
  't.decision_reason',
  's.name as student_name',
  's.sex as student_sex',
  's.birth_date as student_birth_date',
  's.id_number_enc as student_id_number_enc',
  's.student_no as student_no',
  's.stage as student_stage',
  's.grade as student_grade',
  'fs.name as from_name',
  'fs.code as from_code',
  'fs.path as from_path',
  'ts.name as to_name',
  'ts.code as to_code',
  'ts.path as to_path',
  'rq.display_name as requested_by_name',
  'dc.display_name as decided_by_name',
] as const;

function transfersFrom(db: Db) {
  return db
    .selectFrom('student_transfer as t')
    .innerJoin('student as s', 's.id', 't.student_id')
    .innerJoin('unit as fs', 'fs.id', 't.from_school_id')
    .innerJoin('unit as ts', 'ts.id', 't.to_school_id')
    .leftJoin('app_user as rq', 'rq.id', 't.requested_by')
    .leftJoin('app_user as dc', 'dc.id', 't.decided_by');
}

/** Both sides see a transfer: the leaving school's area and the receiving school's. */
function eitherSideInScope(actor: Actor): Expression<SqlBool> {
  return sql<SqlBool>`(${pathInScope(actor, 'student.read', sql.ref('fs.path'))} or ${pathInScope(actor, 'student.read', sql.ref('ts.path'))})`;
}

/** One transfer visible from either side. */
export function findTransfer(db: Db, actor: Actor, id: string) {
  return transfersFrom(db)
    .select(transferColumns)
    .where('t.id', '=', id)
    .where(eitherSideInScope(actor))
    .executeTakeFirst();
}

export type TransferRow = NonNullable<Awaited<ReturnType<typeof findTransfer>>>;

export function findTransferAfterWrite(db: Db, id: string): Promise<TransferRow> {
  return transfersFrom(db).select(transferColumns).where('t.id', '=', id).executeTakeFirstOrThrow();
}

/** The transfers of a student (whose access the caller checked), newest first. */
export function transfersOfStudent(db: Db, studentId: string) {
  return transfersFrom(db)
    .select(transferColumns)
    .where('t.student_id', '=', studentId)
    .orderBy('t.requested_at', 'desc')
    .execute();
}

/** A page of transfers in scope, newest first. */
export async function listTransfers(
  db: Db,
  actor: Actor,
  f: {
    direction?: 'in' | 'out';
    status?: string;
    schoolId?: string;
    page: number;
    pageSize: number;
  },
) {
  let base = transfersFrom(db).where(
    f.direction === 'out'
      ? pathInScope(actor, 'student.read', sql.ref('fs.path'))
      : f.direction === 'in'
        ? pathInScope(actor, 'student.read', sql.ref('ts.path'))
        : eitherSideInScope(actor),
  );
  if (f.status) base = base.where('t.status', '=', f.status as 'pending');
  if (f.schoolId)
    base = base.where((eb) =>
      eb.or([eb('t.from_school_id', '=', f.schoolId!), eb('t.to_school_id', '=', f.schoolId!)]),
    );
  const rows = await base
    .select(transferColumns)
    .select(fullCount)
    .orderBy(sql`case when t.status = 'pending' then 0 else 1 end`)
    .orderBy('t.requested_at', 'desc')
    .orderBy('t.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return withTotal(rows, f.page, async () =>
    Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  );
}

/** Locks a transfer row for the rest of the transaction. */
export function lockTransfer(db: Db, id: string) {
  return db
    .selectFrom('student_transfer')
    .select(['id', 'status', 'student_id', 'from_school_id', 'to_school_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function hasPendingTransfer(db: Db, studentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('student_transfer')
    .select('id')
    .where('student_id', '=', studentId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

// ---------- consistency report ----------

export interface CheckRowRaw {
  type: StudentCheckType;
  student_id: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  id_number_enc: string | null;
  stage: StudentStage;
  grade: number;
  status: StudentStatus;
  school_id: string;
  school_name: string;
  school_code: string;
  school_path: string;
  expected: string | null;
  other_schools: { name: string; code: string }[] | null;
  age: number | null;
  normal_age: number | null;
}

/**
 * The consistency report, set-based: one statement evaluates every rule over the students in scope (and
 * under `underPath`) and returns the counts per rule, the total of the selected rule and one page of rows.
 * Only students in school (在读/休学) are checked; duplicates and over-age concern those 在读.
 */
export async function runChecks(
  db: Db,
  actor: Actor,
  f: {
    underPath?: string;
    type?: StudentCheckType;
    schoolYear: number;
    page: number;
    pageSize: number;
  },
) {
  const units = await unitIdsInScope(db, actor, f);
  const empty = { counts: {} as Record<string, number>, total: 0, items: [] as CheckRowRaw[] };
  if (units.length === 0) return empty;
  const inArea = sql<SqlBool>`${schoolAmong(units)} and ${pathInScope(actor, 'student.read', sql.ref('sch.path'))}${
    f.underPath ? sql` and sch.path like ${escapeLike(f.underPath) + '%'}` : sql``
  }`;
  // The grade table as rows, with the latest birth date of a child more than two years above the grade's
  // normal age on 31 August (an index-friendly comparison instead of an age per row). Special education has
  // no over-age rule.
  const grades = sql.join(
    GRADES.filter((g) => g.stage !== 'special').map(
      (g) =>
        sql`(${g.stage}::text, ${g.grade}::int, ${g.normalAge}::int, ${`${f.schoolYear - g.normalAge - 3}-08-31`}::date)`,
    ),
  );
  const cols = sql`s.id as student_id, s.name, s.sex, s.birth_date, s.id_number_enc, s.stage, s.grade::int as grade,
    s.status, s.school_id, sch.name as school_name, sch.code as school_code, sch.path as school_path`;
  const cutoff = sql`make_date(${f.schoolYear}::int, 8, 31)`;
  const ofType = f.type ? sql`type = ${f.type}` : sql`true`;
  const statement = sql<{
    counts: Record<string, number> | null;
    total: number;
    items: CheckRowRaw[] | null;
  }>`
    with r as materialized (
      select 'id_birth_mismatch'::text as type, ${cols}, s.id_birth_date::text as expected,
        null::json as other_schools, null::int as age, null::int as normal_age
      from student s join unit sch on sch.id = s.school_id
      where ${inArea} and s.status in ('enrolled', 'suspended') and s.id_birth_date <> s.birth_date
      union all
      select 'id_sex_mismatch', ${cols}, s.id_sex, null::json, null::int, null::int
      from student s join unit sch on sch.id = s.school_id
      where ${inArea} and s.status in ('enrolled', 'suspended') and s.id_sex <> s.sex
      union all
      select 'duplicate_enrolment', ${cols}, null::text,
        (select json_agg(json_build_object('name', x.name, 'code', x.code) order by x.code)
           from (select distinct os.name, os.code from student o join unit os on os.id = o.school_id
                 where o.id_number_hmac = s.id_number_hmac and o.status = 'enrolled' and o.id <> s.id) x),
        null::int, null::int
      from student s join unit sch on sch.id = s.school_id
      where ${inArea} and s.status = 'enrolled' and s.id_number_hmac is not null
        and exists (select 1 from student o
                    where o.id_number_hmac = s.id_number_hmac and o.status = 'enrolled' and o.id <> s.id)
      union all
      select 'over_age', ${cols}, null::text, null::json,
        extract(year from age(${cutoff}, s.birth_date))::int, g.normal_age
      from student s join unit sch on sch.id = s.school_id
      join (values ${grades}) as g (stage, grade, normal_age, latest_birth)
        on g.stage = s.stage and g.grade = s.grade
      where ${inArea} and s.status = 'enrolled' and s.birth_date <= g.latest_birth
    )
    select
      (select json_object_agg(type, n) from (select type, count(*)::int as n from r group by type) c) as counts,
      (select count(*)::int from r where ${ofType}) as total,
      (select json_agg(p order by p.type, p.school_code, p.name, p.student_id) from (
         select * from r where ${ofType}
         order by type, school_code, name, student_id
         limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}
      ) p) as items`;
  // The planner cannot estimate "two columns differ" and expects most of the table: JIT compilation would then
  // cost seconds for a query that reads a few thousand rows.
  const result = await db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return statement.execute(trx);
  });
  const row = result.rows[0]!;
  return { counts: row.counts ?? {}, total: row.total, items: row.items ?? [] };
}

// ---------- export ----------

/** The list's filters without paging: what an export selects within one school. */
export type StudentExportFilters = Omit<StudentFilters, 'page' | 'pageSize' | 'schoolId' | 'underPath'>;

/**
 * Applies the list's filters (stage, grade, class, status, flags, search) to a student query. The same
 * predicates as listStudents; the export reads with them.
 */
export function whereStudentFilters(base: StudentQuery, f: StudentExportFilters): StudentQuery {
  const q = whereListFilters(base, f);
  const search = f.search;
  if (!search) return q;
  return q.where((eb) => {
    const ors = searchReadings(search).map((r) => r.where);
    return ors.length ? eb.or(ors) : sql<SqlBool>`false`;
  });
}

/** The filters other than the search: stage, grade, class, status and flags. */
function whereListFilters(base: StudentQuery, f: StudentExportFilters): StudentQuery {
  let q = base;
  for (const p of listFilters(f)) q = q.where(p);
  return q;
}

/** The filters other than the search, as predicates on the student `s`. */
function listFilters(f: StudentExportFilters): Expression<SqlBool>[] {
  const preds: Expression<SqlBool>[] = [];
  if (f.stage) preds.push(sql<SqlBool>`s.stage = ${f.stage}`);
  if (f.grade !== undefined) preds.push(sql<SqlBool>`s.grade = ${f.grade}`);
  if (f.classId) preds.push(sql<SqlBool>`s.class_id = ${f.classId}`);
  if (f.status) preds.push(sql<SqlBool>`s.status = ${f.status}`);
  for (const flag of f.flags ?? []) {
    const col = flagColumns[flag];
    if (col) preds.push(sql<SqlBool>`${sql.ref(`s.${col}`)} = true`);
  }
  return preds;
}

/**
 * The readings of a search, one predicate each, every one but the ID number a prefix match on an index that
 * leads with the school (0002, 0013, 0018; `bySchool`): a list unites them branch by branch, an export ORs them.
 */
function searchReadings(search: StudentSearch): { where: Expression<SqlBool>; bySchool: boolean }[] {
  const readings: { where: Expression<SqlBool>; bySchool: boolean }[] = [];
  const bySchool = (where: Expression<SqlBool>) => readings.push({ where, bySchool: true });
  if (search.idHmac)
    readings.push({ where: sql<SqlBool>`s.id_number_hmac = ${search.idHmac}`, bySchool: false });
  if (search.studentNoPrefix)
    bySchool(sql<SqlBool>`s.student_no like ${`${escapeLike(search.studentNoPrefix)}%`}`);
  if (search.namePrefix) bySchool(sql<SqlBool>`lower(s.name) like ${`${escapeLike(search.namePrefix)}%`}`);
  if (search.namePart) {
    const part = `${escapeLike(search.namePart)}%`;
    bySchool(sql<SqlBool>`substr(s.name, 2) like ${part}`);
    bySchool(sql<SqlBool>`substr(s.name, 3) like ${part}`);
  }
  if (search.initialsPrefix)
    bySchool(sql<SqlBool>`s.name_initials like ${`${escapeLike(search.initialsPrefix)}%`}`);
  return readings;
}

/** The schools (not bureaus) in the actor's read scope, under a path or just one, in 学校标识码 order. */
export function schoolsInScope(db: Db, actor: Actor, f: { underPath?: string; schoolId?: string }) {
  let q = db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'path'])
    .where('kind', '=', 'school')
    .where(pathInScope(actor, 'student.read', sql.ref('unit.path')));
  if (f.underPath) q = q.where('path', 'like', `${escapeLike(f.underPath)}%`);
  if (f.schoolId) q = q.where('id', '=', f.schoolId);
  return q.orderBy('code').orderBy('id').execute();
}

/** The name of a unit in the actor's read scope (the title of an export). */
export async function unitNameInScope(db: Db, actor: Actor, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('unit')
    .select('name')
    .where('id', '=', id)
    .where(pathInScope(actor, 'student.read', sql.ref('unit.path')))
    .executeTakeFirst();
  return row?.name;
}

/** The sort key of an exported row: a school's next batch starts after the last row of the previous one. */
export interface ExportCursor {
  grade: number;
  noClass: boolean;
  classLength: number;
  className: string;
  initials: string;
  name: string;
  id: string;
}

// The roster order within a school (grade, class — 2班 before 10班, students without a class last — then
// name), ending with the id so that the key is unique. ORDER BY and the keyset comparison use the same
// expressions, so a batch resumes exactly after the previous one's last row.
const exportSortKey = sql`(s.grade, c.name is null, length(coalesce(c.name, '')), coalesce(c.name, ''), s.name_initials, s.name, s.id)`;

/**
 * One batch of a school's students for an export: at most `limit` rows after `after`, in roster order,
 * with the first two guardians. Keyset paging (no OFFSET): each batch costs the same however far the export
 * has gone, and nothing is held between batches.
 */
export function exportBatch(
  db: Db,
  actor: Actor,
  schoolId: string,
  f: StudentExportFilters,
  after: ExportCursor | null,
  limit: number,
) {
  let q = whereStudentFilters(
    studentsFrom(db)
      .where('s.school_id', '=', schoolId)
      .where(pathInScope(actor, 'student.read', sql.ref('sch.path'))),
    f,
  );
  if (after)
    q = q.where(
      sql<SqlBool>`${exportSortKey} > (${after.grade}::int, ${after.noClass}::boolean, ${after.classLength}::int, ${after.className}::text, ${after.initials}::text, ${after.name}::text, ${after.id}::uuid)`,
    );
  return q
    .select([
      's.id',
      's.name',
      's.name_initials',
      's.sex',
      's.birth_date',
      's.ethnicity',
      's.id_number_enc',
      's.student_no',
      's.stage',
      's.grade',
      'c.name as class_name',
      's.enrolled_on',
      's.status',
      's.hukou_region_code',
      's.address',
      's.poverty_household',
      's.left_behind',
      's.migrant',
      's.disabled',
      's.disability_category',
      's.orphan',
      sql<number>`length(coalesce(c.name, ''))::int`.as('class_length'),
      sql<
        [name: string, relation: string, phone: string | null][]
      >`(select coalesce(json_agg(json_build_array(g.name, g.relation, g.phone) order by g.ord), '[]'::json)
          from (select sg.name, sg.relation, sg.phone, sg.ord from student_guardian sg
                where sg.student_id = s.id order by sg.ord limit 2) g)`.as('guardians'),
    ])
    .orderBy(sql`s.grade`)
    .orderBy(sql`c.name is null`)
    .orderBy(sql`length(coalesce(c.name, ''))`)
    .orderBy(sql`coalesce(c.name, '')`)
    .orderBy('s.name_initials')
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(limit)
    .execute();
}

export type ExportRow = Awaited<ReturnType<typeof exportBatch>>[number];
