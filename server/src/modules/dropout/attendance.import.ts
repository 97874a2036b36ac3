// The attendance import: daily attendance as a kind of the shared import engine. A row is one student's day
// (日期, the student by 学籍号 or ID number, optionally the name to check, 考勤, 原因); the check decides
// set-based which student, class and school each row means and refuses what cannot be recorded; the merge
// writes the sheets and marks in the commit's transaction.
//
// The file changes the students it lists, on the days it lists them, as if their class teacher had marked them:
// each listed student's mark of the day is replaced by the row's (a present row stores none), other students'
// marks stay, and the sheets of the class-days it covers are written (created when missing) with their counts
// from the class's enrolled roster and the marks. A row that already matches is left alone, so importing the
// same file again changes nothing; the corrected rows of an error report can be imported on their own.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { loadCalendars, schoolsOpenOn } from '../../platform/calendar/school-days.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import type { DB } from '../../platform/db/schema.js';
import type { Message } from '../../platform/errors.js';
import {
  registerImportKind,
  stagedCounts,
  stagedRejections,
  type ImportFieldSpec,
  type ImportJobInfo,
  type MergeCounts,
} from '../../platform/imports/kinds.js';
import {
  makeRowParser,
  type AttendanceImportKey as Key,
  type AttendanceParserData,
} from './attendance.import-rows.js';
import { SCHOOL_WIDE_WRITERS } from './dropout.policy.js';
import { ensureMarkPartition } from './dropout.repository.js';

export const ATTENDANCE_IMPORT_FIELDS: readonly ImportFieldSpec<Key>[] = [
  {
    key: 'date',
    label: '日期',
    required: true,
    synonyms: ['考勤日期', '出勤日期', '日期（年月日）'],
    hint: '上课日，如 2026-10-09、2026/10/9、20261009；不能是未来日期',
    width: 14,
  },
  {
    key: 'studentNo',
    label: '学籍号',
    synonyms: ['全国学籍号', '全国学籍号码', '学籍号码', '学籍编号'],
    hint: 'G 或 L 开头的 19 位全国学籍号；与身份证号至少填一项',
    width: 24,
  },
  {
    key: 'idNumber',
    label: '身份证号',
    synonyms: ['身份证件号', '身份证件号码', '公民身份号码', '证件号码', '身份证号码', '身份证'],
    hint: '18 位；没有学籍号时填写。列设为“文本”格式，以免 Excel 变为科学计数法',
    width: 24,
  },
  {
    key: 'name',
    label: '姓名',
    synonyms: ['学生姓名'],
    hint: '可不填；填写时须与学籍中的姓名一致',
    width: 12,
  },
  {
    key: 'kind',
    label: '考勤',
    required: true,
    synonyms: ['考勤情况', '考勤状态', '出勤情况', '出勤状态', '考勤结果'],
    hint: '出勤（到校）、迟到、病假、事假、旷课（无故缺勤）',
    width: 12,
  },
  {
    key: 'reason',
    label: '原因',
    synonyms: ['缺勤原因', '请假原因', '事由', '备注'],
    hint: '可不填；出勤的行不记录原因',
    width: 24,
  },
];

const STAGING_COLUMNS = ['day', 'student_no', 'id_number_hmac', 'name', 'kind', 'reason'] as const;

// ---------- the row parser (attendance.import-rows.ts) ----------

function parserData(): Promise<AttendanceParserData> {
  return Promise.resolve({ today: chinaToday() });
}

async function prepare(ctx: AppContext, _job: ImportJobInfo, columns: Partial<Record<Key, number>>) {
  return makeRowParser(await parserData(), columns, ctx.vault);
}

// ---------- check and merge (set-based) ----------

type Db = Kysely<DB> | Transaction<DB>;

const MESSAGES: Record<string, Message> = {
  ATTENDANCE_STUDENT_NOT_FOUND: {
    zh: '在本单位找不到该学生（请核对学籍号或身份证号）',
    en: 'No such student in this unit (check the student number or ID number)',
  },
  ATTENDANCE_NAME_MISMATCH: {
    zh: '姓名与学籍中的姓名不符，请核对',
    en: 'The name does not match the registry; check the row',
  },
  ATTENDANCE_ID_MISMATCH: {
    zh: '学籍号对应的学生身份证号与本行不同，请核对',
    en: 'The student with this student number has a different ID number; check the row',
  },
  ATTENDANCE_NOT_ENROLLED: {
    zh: '该学生当前不是在读状态，不能记考勤',
    en: 'The student is not enrolled now; no attendance is taken for them',
  },
  ATTENDANCE_NO_CLASS: {
    zh: '该学生尚未分班，不能记考勤',
    en: 'The student has no class; assign one first',
  },
  ATTENDANCE_NOT_OWN_CLASS: {
    zh: '只能为本人任班主任的班级导入考勤',
    en: 'You take attendance for the classes you head only',
  },
  ATTENDANCE_NOT_SCHOOL_DAY: {
    zh: '该日不是该校的上课日（周末、节假日、假期或停课）',
    en: "Not a school day at the student's school (weekend, holiday, vacation or closure)",
  },
};

const messageCase = sql.raw(
  `case d.reject_code ${Object.entries(MESSAGES)
    .map(([code, m]) => `when '${code}' then '${JSON.stringify(m).replace(/'/g, "''")}'::jsonb`)
    .join(' ')}
   when 'IMPORT_DUPLICATE_IN_FILE' then jsonb_build_object(
     'zh', '与第 ' || d.first || ' 行是同一名学生的同一天',
     'en', 'Same student and day as row ' || d.first) end`,
);

/** Which schools under the job's unit hold school on each day of the file (the calendar decides). */
async function openSchoolDays(db: Db, job: ImportJobInfo): Promise<{ schools: string[]; days: string[] }> {
  const days = (
    await sql<{ d: string }>`
      select distinct to_char(day, 'YYYY-MM-DD') as d from import_attendance_row where job_id = ${job.id}
      order by 1`.execute(db)
  ).rows.map((r) => r.d);
  const out = { schools: [] as string[], days: [] as string[] };
  if (days.length === 0) return out;
  const schools = await db
    .selectFrom('unit')
    .select(['id', 'path'])
    .where('kind', '=', 'school')
    .where('path', 'like', `${job.unit.path}%`)
    .execute();
  const cals = await loadCalendars(db, schools, { start: days[0]!, end: days[days.length - 1]! });
  for (const day of days)
    for (const id of schoolsOpenOn(cals, day)) {
      out.schools.push(id);
      out.days.push(day);
    }
  return out;
}

/**
 * Whom the job's rows are restricted to: the importer holds a school-wide role (school, county or city admin)
 * over some paths; elsewhere they take attendance for the classes they head only. The system (the CLI) is not
 * restricted.
 */
async function importer(db: Db, jobId: string): Promise<{ userId: string | null; widePaths: string[] }> {
  const job = await db
    .selectFrom('import_job')
    .select('created_by')
    .where('id', '=', jobId)
    .executeTakeFirst();
  const userId = job?.created_by ?? null;
  if (!userId) return { userId: null, widePaths: [] };
  const rows = await db
    .selectFrom('user_role as ur')
    .innerJoin('unit as u', 'u.id', 'ur.unit_id')
    .select('u.path')
    .where('ur.user_id', '=', userId)
    .where('ur.role', 'in', [...SCHOOL_WIDE_WRITERS])
    .execute();
  return { userId, widePaths: rows.map((r) => `${r.path}%`) };
}

// One statement decides every staged row — the student it names (by 学籍号, else by the ID number's HMAC, among
// the students of the schools under the job's unit: anyone else is "not found", as a student who does not
// exist), whether it is refused, and what the commit does with its student's day — and updates only the rows whose
// decision changed (so the re-check inside a commit writes none unless the data moved).
async function check(db: Db, job: ImportJobInfo, opts: { recheck?: boolean } = {}): Promise<MergeCounts> {
  const id = job.id;
  const under = `${job.unit.path}%`;
  if (!opts.recheck) await sql`analyze import_attendance_row`.execute(db);
  const open = await openSchoolDays(db, job);
  const who = await importer(db, id);
  const decided = sql`
    with
    m as materialized (
      select r.row_no, r.day, r.kind, r.reason, r.name, r.student_no, r.id_number_hmac,
        case when r.student_no is not null then sn.id
             else (select s.id from student s join unit u on u.id = s.school_id
                   where s.id_number_hmac = r.id_number_hmac and u.path like ${under}
                   order by (s.status = 'enrolled') desc, s.created_at desc limit 1) end as sid
      from import_attendance_row r
      left join (student sn join unit su on su.id = sn.school_id and su.path like ${under})
        on sn.student_no = r.student_no
      where r.job_id = ${id}
    ), s as materialized (
      select m.*, st.id as student_id, st.class_id, st.school_id, st.county_code, st.status,
        st.name as reg_name, st.id_number_hmac as reg_hmac, sch.path as school_path, c.head_teacher_user_id,
        case when st.id is not null then min(m.row_no) over (partition by st.id, m.day) end as first
      from m
      left join student st on st.id = m.sid
      left join unit sch on sch.id = st.school_id
      left join school_class c on c.id = st.class_id
    ), open as materialized (
      select o.school_id, o.day from unnest(${open.schools}::uuid[], ${open.days}::date[]) as o(school_id, day)
    ), d as materialized (
      select s.*,
        case
          when s.student_id is null then 'ATTENDANCE_STUDENT_NOT_FOUND'
          when s.name is not null and replace(s.name, ' ', '') <> replace(s.reg_name, ' ', '')
            then 'ATTENDANCE_NAME_MISMATCH'
          when s.student_no is not null and s.id_number_hmac is not null and s.reg_hmac is not null
            and s.reg_hmac <> s.id_number_hmac then 'ATTENDANCE_ID_MISMATCH'
          when s.first < s.row_no then 'IMPORT_DUPLICATE_IN_FILE'
          when s.status <> 'enrolled' then 'ATTENDANCE_NOT_ENROLLED'
          when s.class_id is null then 'ATTENDANCE_NO_CLASS'
          when ${who.userId}::uuid is not null
            and s.head_teacher_user_id is distinct from ${who.userId}::uuid
            and not (s.school_path like any (${who.widePaths}::text[])) then 'ATTENDANCE_NOT_OWN_CLASS'
          when not exists (select 1 from open o where o.school_id = s.school_id and o.day = s.day)
            then 'ATTENDANCE_NOT_SCHOOL_DAY'
        end as reject_code
      from s
    ), ok as materialized (
      select student_id, class_id, day, kind, coalesce(reason, '') as reason from d where reject_code is null
    ), em as materialized (
      -- The marks the listed students have on their days (in whatever class they were marked).
      select am.student_id, am.day, am.class_id, am.kind, coalesce(am.reason, '') as reason
      from attendance_mark am join ok on am.student_id = ok.student_id and am.day = ok.day
    ), act as materialized (
      -- A row changes its student's day: inserted when the class has no sheet that day yet, unchanged when
      -- the student's mark already says what the row says (present: no mark), updated otherwise.
      select ok.student_id, ok.day,
        case
          when sh.class_id is null then null
          when ok.kind = 'present' and em.student_id is null then 'unchanged'
          when ok.kind <> 'present' and em.kind = ok.kind and em.reason = ok.reason and em.class_id = ok.class_id
            then 'unchanged'
          else 'update'
        end as action
      from ok
      left join attendance_sheet sh on sh.class_id = ok.class_id and sh.day = ok.day
      left join em on em.student_id = ok.student_id and em.day = ok.day
    )
    select d.row_no, d.student_id, d.class_id, d.school_id, d.county_code,
      case when d.reject_code is not null then 'reject' else act.action end as action,
      d.reject_code, ${messageCase} as reject_message
    from d
    left join act on d.reject_code is null and act.student_id = d.student_id and act.day = d.day`;
  await sql`
    update import_attendance_row t set student_id = x.student_id, class_id = x.class_id, school_id = x.school_id,
      county_code = x.county_code, action = x.action, reject_code = x.reject_code, reject_message = x.reject_message
    from (${decided}) x
    where t.job_id = ${id} and t.row_no = x.row_no
      and (t.student_id is distinct from x.student_id or t.class_id is distinct from x.class_id
           or t.school_id is distinct from x.school_id or t.county_code is distinct from x.county_code
           or t.action is distinct from x.action or t.reject_code is distinct from x.reject_code
           or t.reject_message is distinct from x.reject_message)`.execute(db);
  return stagedCounts(db, 'import_attendance_row', id);
}

// The rows a merge writes: those of class-days without a sheet yet and those that change their student's day.
const WRITTEN = sql.raw(`(r.action is null or r.action = 'update')`);

async function merge(trx: Transaction<DB>, job: ImportJobInfo, actor: Actor): Promise<MergeCounts> {
  const id = job.id;
  // Marks are partitioned by month: the months written get their partitions first.
  const months = await sql<{ d: string }>`
    select distinct to_char(date_trunc('month', day), 'YYYY-MM-DD') as d from import_attendance_row r
    where r.job_id = ${id} and ${WRITTEN} order by 1`.execute(trx);
  for (const m of months.rows) await ensureMarkPartition(trx, m.d);
  // The file changes the students it lists, on the days it lists them: their marks of those days are replaced
  // by the file's (a present row leaves none), whatever class they were marked in; other students' marks stay.
  // The sheets touched are counted again from the marks: each class-day the file covers (created when
  // missing, submitted by the committer) and a class-day that lost a mark of a student who has changed class.
  await sql`
    create temporary table att_import_cd on commit drop as
    select distinct r.class_id, r.day, r.school_id, true as listed from import_attendance_row r
    where r.job_id = ${id} and ${WRITTEN}`.execute(trx);
  await sql`
    insert into att_import_cd (class_id, day, school_id, listed)
    select distinct am.class_id, am.day, am.school_id, false
    from attendance_mark am join import_attendance_row r on am.student_id = r.student_id and am.day = r.day
    where r.job_id = ${id} and ${WRITTEN} and am.class_id <> r.class_id`.execute(trx);
  await sql`
    delete from attendance_mark am using import_attendance_row r
    where r.job_id = ${id} and ${WRITTEN} and am.student_id = r.student_id and am.day = r.day`.execute(trx);
  await sql`
    insert into attendance_mark (day, student_id, class_id, school_id, county_code, kind, reason)
    select r.day, r.student_id, r.class_id, r.school_id, r.county_code, r.kind, r.reason
    from import_attendance_row r
    where r.job_id = ${id} and ${WRITTEN} and r.kind <> 'present'
    order by r.day, r.student_id`.execute(trx);
  // The counts as a submitted sheet has them: the class's enrolled students, everyone present but the absent
  // (迟到 counts as present).
  const counted = sql`
    select cd.class_id, cd.day, cd.school_id, cd.listed, coalesce(ro.n, 0) as enrolled,
      coalesce(ro.n, 0) - mk.sick - mk.personal - mk.unexcused as present, mk.late, mk.sick, mk.personal,
      mk.unexcused
    from att_import_cd cd
    cross join lateral (
      select count(*) filter (where m.kind = 'late')::int as late,
        count(*) filter (where m.kind = 'sick')::int as sick,
        count(*) filter (where m.kind = 'personal')::int as personal,
        count(*) filter (where m.kind = 'unexcused')::int as unexcused
      from attendance_mark m where m.class_id = cd.class_id and m.day = cd.day
    ) mk
    left join (
      select s.class_id, count(*)::int as n from student s
      where s.status = 'enrolled' and s.class_id in (select class_id from att_import_cd)
      group by s.class_id
    ) ro on ro.class_id = cd.class_id`;
  await sql`
    insert into attendance_sheet (class_id, day, school_id, submitted_by, submitted_at, enrolled, present, late,
      sick, personal, unexcused)
    select c.class_id, c.day, c.school_id, ${actor.userId}::uuid, now(), c.enrolled, c.present, c.late, c.sick,
      c.personal, c.unexcused
    from (${counted}) c where c.listed
    on conflict (class_id, day) do update set school_id = excluded.school_id,
      submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at, enrolled = excluded.enrolled,
      present = excluded.present, late = excluded.late, sick = excluded.sick, personal = excluded.personal,
      unexcused = excluded.unexcused`.execute(trx);
  await sql`
    update attendance_sheet sh set present = c.present, late = c.late, sick = c.sick, personal = c.personal,
      unexcused = c.unexcused
    from (${counted}) c
    where not c.listed and sh.class_id = c.class_id and sh.day = c.day
      and not exists (select 1 from att_import_cd l where l.listed and l.class_id = c.class_id and l.day = c.day)`.execute(
    trx,
  );
  return stagedCounts(trx, 'import_attendance_row', id);
}

registerImportKind<Key>({
  kind: 'attendance',
  // Whoever takes attendance at the unit (the policy of a submitted sheet): a school, county or city admin for
  // every class under it; a class teacher for the classes they head (enforced row by row in the check).
  permission: 'attendance.write',
  unitKinds: ['school', 'county_bureau', 'city_bureau'],
  fields: ATTENDANCE_IMPORT_FIELDS,
  example: [['2026-10-09', 'G220302201609090012', '', '张小明', '病假', '发烧']],
  staging: { table: 'import_attendance_row', columns: STAGING_COLUMNS },
  analyze: ['attendance_sheet'],
  // No `reads`: the marks and sheets the check compares have no registry_write trigger, so every commit
  // checks again (the rows' actions are decided afresh inside the commit's transaction).
  prepare,
  worker: { module: new URL('./attendance.import-rows.ts', import.meta.url).href, data: parserData },
  check,
  rejections: stagedRejections('import_attendance_row'),
  merge,
});
