/** Queries of the dropout-control module. Every read of scoped data goes through the one scope filter. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { Permission } from '../../platform/access/permissions.js';
import { pathInScope } from '../../platform/access/scope.js';
import type { DB } from '../../platform/db/schema.js';

type Db = Kysely<DB>;

// ---------- units and classes ----------

/** A unit (bureau or school) inside the actor's scope for the permission. */
export function findUnit(db: Db, actor: Actor, id: string, permission: Permission) {
  return db
    .selectFrom('unit')
    .select(['id', 'kind', 'name', 'code', 'path', 'county_code', 'parent_id'])
    .where('id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst();
}
export type UnitRef = NonNullable<Awaited<ReturnType<typeof findUnit>>>;

/** Schools inside a path (the actor's scope applied), for the calendar and the reports. */
export function schoolsUnder(db: Db, actor: Actor, permission: Permission, underPath: string | null) {
  let q = db
    .selectFrom('unit')
    .select(['id', 'name', 'code', 'path', 'parent_id', 'county_code'])
    .where('kind', '=', 'school')
    .where('status', '=', 'active')
    .where(pathInScope(actor, permission, sql.ref('unit.path')));
  if (underPath) q = q.where('path', 'like', `${underPath}%`);
  return q.orderBy('code').execute();
}

const classColumns = [
  'c.id',
  'c.name',
  'c.grade',
  'c.stage',
  'c.school_id',
  'c.school_year',
  'c.head_teacher_user_id',
  'sch.name as school_name',
  'sch.path as school_path',
  'sch.county_code as county_code',
] as const;

/** One class whose school is in the actor's scope for the permission. */
export function findClass(db: Db, actor: Actor, id: string, permission: Permission) {
  return db
    .selectFrom('school_class as c')
    .innerJoin('unit as sch', 'sch.id', 'c.school_id')
    .select(classColumns)
    .where('c.id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('sch.path')))
    .executeTakeFirst();
}
export type ClassRef = NonNullable<Awaited<ReturnType<typeof findClass>>>;

/** Classes of a school year in scope, with their enrolled students and whether the day's sheet is in. */
export function classesInScope(
  db: Db,
  actor: Actor,
  opts: { schoolId?: string; schoolYear: string; date: string; headTeacher?: string },
) {
  let q = db
    .selectFrom('school_class as c')
    .innerJoin('unit as sch', 'sch.id', 'c.school_id')
    .select([
      ...classColumns,
      sql<number>`(select count(*)::int from student s where s.class_id = c.id and s.status = 'enrolled')`.as(
        'students',
      ),
      sql<boolean>`exists (select 1 from attendance_sheet sh where sh.class_id = c.id and sh.day = ${opts.date})`.as(
        'submitted',
      ),
    ])
    .where('c.school_year', '=', opts.schoolYear)
    .where(pathInScope(actor, 'attendance.read', sql.ref('sch.path')));
  if (opts.schoolId) q = q.where('c.school_id', '=', opts.schoolId);
  if (opts.headTeacher) q = q.where('c.head_teacher_user_id', '=', opts.headTeacher);
  return q
    .orderBy('sch.code')
    .orderBy('c.grade')
    .orderBy(sql`length(c.name)`)
    .orderBy('c.name')
    .limit(2000)
    .execute();
}

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

export function userName(db: Db, id: string) {
  return db.selectFrom('app_user').select(['id', 'display_name']).where('id', '=', id).executeTakeFirst();
}

// ---------- attendance ----------

/** The enrolled students of a class, in name order. */
export function rosterOf(db: Db, classId: string) {
  return db
    .selectFrom('student')
    .select(['id', 'name', 'student_no', 'county_code'])
    .where('class_id', '=', classId)
    .where('status', '=', 'enrolled')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export function findSheet(db: Db, classId: string, day: string) {
  return db
    .selectFrom('attendance_sheet as sh')
    .leftJoin('app_user as u', 'u.id', 'sh.submitted_by')
    .select([
      'sh.class_id',
      'sh.day',
      'sh.submitted_at',
      'sh.enrolled',
      'sh.present',
      'sh.late',
      'sh.sick',
      'sh.personal',
      'sh.unexcused',
      'u.display_name as submitted_by_name',
    ])
    .where('sh.class_id', '=', classId)
    .where('sh.day', '=', day)
    .executeTakeFirst();
}

export function marksOf(db: Db, classId: string, day: string) {
  return db
    .selectFrom('attendance_mark')
    .select(['student_id', 'kind', 'reason'])
    .where('class_id', '=', classId)
    .where('day', '=', day)
    .execute();
}

/** First arrival per student of a class on a day, as HH:MM China time. */
export function arrivalsOf(db: Db, classId: string, day: string) {
  return db
    .selectFrom('gate_event as g')
    .innerJoin('student as s', 's.id', 'g.student_id')
    .select([
      'g.student_id',
      sql<string>`to_char(min(g.occurred_at) at time zone 'Asia/Shanghai', 'HH24:MI')`.as('arrived'),
    ])
    .where('s.class_id', '=', classId)
    .where('g.day', '=', day)
    .where('g.direction', '=', 'in')
    .groupBy('g.student_id')
    .execute();
}

/** Creates the month's partition of attendance_mark if it is missing (inside the caller's transaction). */
export async function ensureMarkPartition(trx: Transaction<DB>, day: string): Promise<void> {
  const month = day.slice(0, 7);
  const name = `attendance_mark_${month.replace('-', '')}`;
  const exists = await sql<{
    n: number;
  }>`select count(*)::int as n from pg_class where relname = ${name}`.execute(trx);
  if (exists.rows[0]!.n > 0) return;
  // Serialise creators of the same month; the second one finds it made.
  await sql`select pg_advisory_xact_lock(7210427, ${Number(month.replace('-', ''))})`.execute(trx);
  const again = await sql<{
    n: number;
  }>`select count(*)::int as n from pg_class where relname = ${name}`.execute(trx);
  if (again.rows[0]!.n > 0) return;
  const from = `${month}-01`;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const to = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  await sql`create table if not exists ${sql.table(name)} partition of attendance_mark
    for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(trx);
}

// ---------- gate events ----------

export function studentsForGate(db: Db, actor: Actor, ids: string[], nos: string[]) {
  return db
    .selectFrom('student as s')
    .innerJoin('unit as sch', 'sch.id', 's.school_id')
    .leftJoin('school_class as c', 'c.id', 's.class_id')
    .select([
      's.id',
      's.student_no',
      's.school_id',
      's.class_id',
      'sch.path as school_path',
      'c.head_teacher_user_id',
    ])
    .where((eb) =>
      eb.or([
        ...(ids.length ? [eb('s.id', 'in', ids)] : []),
        ...(nos.length ? [eb('s.student_no', 'in', nos)] : []),
        ...(ids.length || nos.length ? [] : [sql<boolean>`false`]),
      ]),
    )
    .where('s.status', '=', 'enrolled')
    .where(pathInScope(actor, 'attendance.write', sql.ref('sch.path')))
    .execute();
}

export function listGateEvents(db: Db, schoolId: string, day: string, classIds: string[] | null) {
  let q = db
    .selectFrom('gate_event as g')
    .innerJoin('student as s', 's.id', 'g.student_id')
    .select(['g.id', 'g.student_id', 's.name', 'g.occurred_at', 'g.direction', 'g.device'])
    .where('g.school_id', '=', schoolId)
    .where('g.day', '=', day);
  if (classIds) q = classIds.length ? q.where('s.class_id', 'in', classIds) : q.where(sql<boolean>`false`);
  return q.orderBy('g.occurred_at').limit(5000).execute();
}

// ---------- settings ----------

export function settingsOf(db: Db, unitIds: string[]) {
  if (unitIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('dropout_setting')
    .select(['unit_id', 'settings'])
    .where('unit_id', 'in', unitIds)
    .execute();
}
