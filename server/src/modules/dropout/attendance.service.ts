/**
 * Daily attendance: one sheet per class and school day. Everyone is present unless marked (迟到, 病假, 事假,
 * 旷课); only the exceptions are stored. Submitting again replaces the day's sheet (audited before/after).
 * Gate systems post arrival/departure events; an arrival turns a 旷课 mark of that day into 迟到.
 */
import type {
  AttendanceClass,
  AttendanceCounts,
  AttendanceKind,
  AttendanceSheet,
  GateEventsPost,
  MissingReport,
  SheetResult,
  SheetSubmit,
} from '@dudao/contracts';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import {
  isSchoolDay,
  loadCalendar,
  loadCalendars,
  schoolsOpenOn,
  schoolYearOf,
} from '../../platform/calendar/school-days.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId as newId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { maskStudentNo } from '../students/students.mapping.js';
import { dropoutPolicy } from './dropout.policy.js';
import * as repo from './dropout.repository.js';

const CLASS = { zh: '班级', en: 'Class' };
const SCHOOL = { zh: '学校', en: 'School' };
const UNIT = { zh: '单位', en: 'Unit' };

function futureDate(date: string, path: string): void {
  if (date > chinaToday())
    throw badRequest(
      'ATTENDANCE_FUTURE',
      { zh: '不能填报未来日期的考勤', en: 'Attendance cannot be taken for a future day' },
      [{ path, message: 'ATTENDANCE_FUTURE' }],
    );
}

/** The classes the actor takes (or reads) attendance for: a teacher's own classes first. */
export async function listAttendanceClasses(
  ctx: AppContext,
  actor: Actor,
  q: { schoolId?: string; date?: string },
): Promise<AttendanceClass[]> {
  const date = q.date ?? chinaToday();
  if (q.schoolId && !(await repo.findUnit(ctx.db, actor, q.schoolId, 'attendance.read')))
    throw notFound(SCHOOL);
  const rows = await repo.classesInScope(ctx.db, actor, {
    schoolId: q.schoolId,
    schoolYear: schoolYearOf(date),
    date,
  });
  return rows
    .filter(
      (c) => dropoutPolicy.seesWholeSchool(actor, c.school_path) || c.head_teacher_user_id === actor.userId,
    )
    .map((c) => ({
      id: c.id,
      name: c.name,
      grade: c.grade,
      stage: c.stage,
      schoolId: c.school_id,
      schoolName: c.school_name,
      own: c.head_teacher_user_id !== null && c.head_teacher_user_id === actor.userId,
      students: c.students,
      submitted: c.submitted,
    }))
    .sort((a, b) => Number(b.own) - Number(a.own));
}

/** Loads a class for reading its attendance: teachers see the classes they head. */
async function classForRead(ctx: AppContext, actor: Actor, classId: string) {
  const cls = await repo.findClass(ctx.db, actor, classId, 'attendance.read');
  if (!cls) throw notFound(CLASS);
  if (!dropoutPolicy.seesWholeSchool(actor, cls.school_path) && cls.head_teacher_user_id !== actor.userId)
    throw forbidden({ zh: '只能查看本人任班主任的班级', en: 'You see the classes you head only' });
  return cls;
}

/** A class's sheet for a day: the roster, the marks, gate arrivals, and whether it is in. */
export async function getSheet(
  ctx: AppContext,
  actor: Actor,
  classId: string,
  date: string,
): Promise<AttendanceSheet> {
  const cls = await classForRead(ctx, actor, classId);
  const cal = await loadCalendar(
    ctx.db,
    { id: cls.school_id, path: cls.school_path },
    { start: date, end: date },
  );
  const [roster, sheet, marks, arrivals] = await Promise.all([
    repo.rosterOf(ctx.db, cls.id),
    repo.findSheet(ctx.db, cls.id, date),
    repo.marksOf(ctx.db, cls.id, date),
    repo.arrivalsOf(ctx.db, cls.id, date),
  ]);
  const byStudent = new Map(marks.map((m) => [m.student_id, m]));
  const arrived = new Map(arrivals.map((a) => [a.student_id, a.arrived]));
  return {
    classId: cls.id,
    className: cls.name,
    schoolName: cls.school_name,
    date,
    schoolDay: isSchoolDay(cal, date),
    canSubmit: dropoutPolicy.canTakeAttendance(actor, cls) && date <= chinaToday(),
    submitted: sheet
      ? {
          by: sheet.submitted_by_name,
          at: sheet.submitted_at.toISOString(),
          counts: {
            enrolled: sheet.enrolled,
            present: sheet.present,
            late: sheet.late,
            sick: sheet.sick,
            personal: sheet.personal,
            unexcused: sheet.unexcused,
          },
        }
      : null,
    students: roster.map((s) => ({
      id: s.id,
      name: s.name,
      studentNo: maskStudentNo(s.student_no),
      kind: byStudent.get(s.id)?.kind ?? null,
      reason: byStudent.get(s.id)?.reason ?? null,
      arrivedAt: arrived.get(s.id) ?? null,
    })),
  };
}

function countsOf(enrolled: number, kinds: AttendanceKind[]): AttendanceCounts {
  const n = (k: AttendanceKind) => kinds.filter((x) => x === k).length;
  const absent = n('sick') + n('personal') + n('unexcused');
  return {
    enrolled,
    present: enrolled - absent,
    late: n('late'),
    sick: n('sick'),
    personal: n('personal'),
    unexcused: n('unexcused'),
  };
}

/** Submits (or replaces) a class's sheet for a school day. */
export async function submitSheet(
  ctx: AppContext,
  actor: Actor,
  input: SheetSubmit,
  origin: AuditOrigin,
): Promise<SheetResult> {
  const cls = await repo.findClass(ctx.db, actor, input.classId, 'attendance.read');
  if (!cls) throw notFound(CLASS);
  if (!dropoutPolicy.canTakeAttendance(actor, cls))
    throw forbidden({
      zh: '只能为本人任班主任的班级填报考勤',
      en: 'You take attendance for the classes you head only',
    });
  futureDate(input.date, 'body/date');
  const cal = await loadCalendar(
    ctx.db,
    { id: cls.school_id, path: cls.school_path },
    { start: input.date, end: input.date },
  );
  if (!isSchoolDay(cal, input.date))
    throw badRequest(
      'ATTENDANCE_NOT_SCHOOL_DAY',
      { zh: '该日不是上课日', en: 'That day is not a school day' },
      [{ path: 'body/date', message: 'ATTENDANCE_NOT_SCHOOL_DAY' }],
    );
  const roster = await repo.rosterOf(ctx.db, cls.id);
  const inClass = new Map(roster.map((s) => [s.id, s]));
  const seen = new Set<string>();
  input.marks.forEach((m, i) => {
    if (!inClass.has(m.studentId) || seen.has(m.studentId))
      throw badRequest(
        'ATTENDANCE_STUDENT_NOT_IN_CLASS',
        {
          zh: '考勤名单中有不属于本班（或重复）的学生',
          en: 'A marked student is not in the class (or is listed twice)',
        },
        [{ path: `body/marks/${i}/studentId`, message: 'ATTENDANCE_STUDENT_NOT_IN_CLASS' }],
      );
    seen.add(m.studentId);
  });
  const counts = countsOf(
    roster.length,
    input.marks.map((m) => m.kind),
  );
  const before = await repo.findSheet(ctx.db, cls.id, input.date);
  const beforeMarks = before ? await repo.marksOf(ctx.db, cls.id, input.date) : [];
  await ctx.db.transaction().execute(async (trx) => {
    await repo.ensureMarkPartition(trx, input.date);
    await trx
      .deleteFrom('attendance_mark')
      .where('class_id', '=', cls.id)
      .where('day', '=', input.date)
      .execute();
    if (input.marks.length)
      await trx
        .insertInto('attendance_mark')
        .values(
          input.marks.map((m) => ({
            day: input.date,
            student_id: m.studentId,
            class_id: cls.id,
            school_id: cls.school_id,
            county_code: inClass.get(m.studentId)!.county_code,
            kind: m.kind,
            reason: m.reason || null,
          })),
        )
        // A student moved between classes the same day: the last sheet holds their mark.
        .onConflict((oc) =>
          oc.columns(['student_id', 'day']).doUpdateSet({
            class_id: cls.id,
            school_id: cls.school_id,
            kind: sql`excluded.kind`,
            reason: sql`excluded.reason`,
          }),
        )
        .execute();
    const values = {
      school_id: cls.school_id,
      submitted_by: actor.userId,
      submitted_at: new Date(),
      ...counts,
    };
    await trx
      .insertInto('attendance_sheet')
      .values({ class_id: cls.id, day: input.date, ...values })
      .onConflict((oc) => oc.columns(['class_id', 'day']).doUpdateSet(values))
      .execute();
    await recordAudit(trx, origin, {
      action: before ? 'attendance.replace' : 'attendance.submit',
      objectType: 'attendance_sheet',
      objectId: `${cls.id}/${input.date}`,
      unitId: cls.school_id,
      before: before
        ? {
            counts: {
              enrolled: before.enrolled,
              present: before.present,
              late: before.late,
              sick: before.sick,
              personal: before.personal,
              unexcused: before.unexcused,
            },
            marks: beforeMarks.map((m) => ({ studentId: m.student_id, kind: m.kind, reason: m.reason })),
          }
        : null,
      after: {
        counts,
        marks: input.marks.map((m) => ({ studentId: m.studentId, kind: m.kind, reason: m.reason ?? null })),
      },
    });
  });
  return { classId: cls.id, date: input.date, replaced: Boolean(before), counts };
}

// ---------- who has not submitted ----------

/** What a school owes on a day: its classes of the school year, those submitted, the missing ones listed. */
export interface SheetsDue {
  classes: number;
  submitted: number;
  missing: { id: string; name: string; grade: number }[];
}

/**
 * The sheets due on `date` at these schools (the caller has applied the scope): which of them hold school that
 * day (their calendars), and per such school its classes — those that submitted, and those that did not but have enrolled
 * students (a class nobody is in owes no sheet). The day's sheets are read once through the (school, day)
 * index and joined in memory; the enrolled-student test runs only for the classes without a sheet (few), not
 * for every class of the city. The not-submitted report and the dashboard both count with this.
 */
export async function sheetsDue(
  db: Kysely<DB>,
  schools: { id: string; path: string }[],
  date: string,
): Promise<{ open: Set<string>; bySchool: Map<string, SheetsDue> }> {
  // The calendars and the sheets are read at once; the sheets of schools closed that day are left out after.
  const ids = schools.map((s) => s.id);
  const [cals, { rows }] = await Promise.all([
    loadCalendars(db, schools, { start: date, end: date }),
    ids.length
      ? sql<SheetsDue & { school_id: string }>`
        with today as materialized (
          select sh.class_id from attendance_sheet sh where sh.school_id = any(${ids}::uuid[]) and sh.day = ${date}
        )
        select c.school_id, count(*)::int as classes, count(t.class_id)::int as submitted,
          coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name, 'grade', c.grade)
            order by c.grade, length(c.name), c.name) filter (where t.class_id is null), '[]') as missing
        from school_class c left join today t on t.class_id = c.id
        where c.school_id = any(${ids}::uuid[]) and c.school_year = ${schoolYearOf(date)}
          and (t.class_id is not null
            or exists (select 1 from student s where s.class_id = c.id and s.status = 'enrolled'))
        group by c.school_id`.execute(db)
      : { rows: [] },
  ]);
  const open = schoolsOpenOn(cals, date);
  return { open, bySchool: new Map(rows.filter((r) => open.has(r.school_id)).map((r) => [r.school_id, r])) };
}

/**
 * For a date and an area: per county, school and class, the classes of the school year (with enrolled
 * students) that have no sheet on a school day. Schools where the day is not a school day expect none.
 */
export async function missingReport(
  ctx: AppContext,
  actor: Actor,
  q: { date?: string; under?: string },
): Promise<MissingReport> {
  const date = q.date ?? chinaToday();
  let underPath: string | null = null;
  if (q.under) {
    const u = await repo.findUnit(ctx.db, actor, q.under, 'attendance.read');
    if (!u) throw notFound(UNIT);
    underPath = u.path;
  }
  const schools = await repo.schoolsUnder(ctx.db, actor, 'attendance.read', underPath);
  const { open: openSet, bySchool } = await sheetsDue(ctx.db, schools, date);
  const schoolItems = schools.map((s) => {
    const r = bySchool.get(s.id);
    const missing = r?.missing ?? [];
    return {
      id: s.id,
      name: s.name,
      code: s.code,
      countyId: s.path.split('/').filter(Boolean).at(-2) ?? null,
      schoolDay: openSet.has(s.id),
      classes: r?.classes ?? 0,
      submitted: r?.submitted ?? 0,
      missing: missing.length,
      missingClasses: missing,
    };
  });
  const sum = (items: typeof schoolItems) => ({
    schools: items.filter((s) => s.schoolDay).length,
    schoolsMissing: items.filter((s) => s.missing > 0).length,
    classes: items.reduce((n, s) => n + s.classes, 0),
    submitted: items.reduce((n, s) => n + s.submitted, 0),
    missing: items.reduce((n, s) => n + s.missing, 0),
  });
  const countyIds = [...new Set(schoolItems.map((s) => s.countyId).filter((x): x is string => x !== null))];
  const counties = countyIds.length
    ? await ctx.db
        .selectFrom('unit')
        .select(['id', 'name', 'code'])
        .where('id', 'in', countyIds)
        .orderBy('code')
        .execute()
    : [];
  return {
    date,
    total: sum(schoolItems),
    counties: counties.map((c) => ({ ...c, ...sum(schoolItems.filter((s) => s.countyId === c.id)) })),
    schools: schoolItems.sort((a, b) => b.missing - a.missing || a.code.localeCompare(b.code)),
  };
}

// ---------- gate events ----------

const dayInChina = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Stores a batch of gate events. Each names a student by id or 学籍号; students outside the caller's
 * write scope (or not in school) are rejected one by one, the rest stored. An arrival ('in') on a day whose
 * sheet marks the student 旷课 turns the mark into 迟到: the gate saw them come.
 */
export async function postGateEvents(
  ctx: AppContext,
  actor: Actor,
  input: GateEventsPost,
  origin: AuditOrigin,
): Promise<{ stored: number; corrected: number; rejected: { index: number; code: string }[] }> {
  const ids = [...new Set(input.events.flatMap((e) => (e.studentId ? [e.studentId] : [])))];
  const nos = [...new Set(input.events.flatMap((e) => (e.studentNo ? [e.studentNo.toUpperCase()] : [])))];
  const found = await repo.studentsForGate(ctx.db, actor, ids, nos);
  const byId = new Map(found.map((s) => [s.id, s]));
  const byNo = new Map(found.filter((s) => s.student_no).map((s) => [s.student_no!, s]));
  const rejected: { index: number; code: string }[] = [];
  const rows: {
    id: string;
    student_id: string;
    school_id: string;
    occurred_at: Date;
    day: string;
    direction: 'in' | 'out';
    device: string | null;
    received_by: string | null;
  }[] = [];
  const today = chinaToday();
  input.events.forEach((e, index) => {
    const s = e.studentId ? byId.get(e.studentId) : byNo.get(e.studentNo!.toUpperCase());
    if (!s) return void rejected.push({ index, code: 'STUDENT_NOT_FOUND' });
    if (
      !dropoutPolicy.canTakeAttendance(actor, {
        school_path: s.school_path,
        head_teacher_user_id: s.head_teacher_user_id,
      })
    )
      return void rejected.push({ index, code: 'FORBIDDEN' });
    const day = dayInChina(e.at);
    if (day > today) return void rejected.push({ index, code: 'ATTENDANCE_FUTURE' });
    rows.push({
      id: newId(),
      student_id: s.id,
      school_id: s.school_id,
      occurred_at: new Date(e.at),
      day,
      direction: e.direction,
      device: e.device ?? null,
      received_by: actor.userId,
    });
  });
  if (rows.length === 0) return { stored: 0, corrected: 0, rejected };
  let corrected = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto('gate_event')
        .values(rows.slice(i, i + 1000))
        .execute();
    const arrivals = rows.filter((r) => r.direction === 'in');
    if (arrivals.length) {
      const fixed = await sql<{ class_id: string; day: string }>`
        update attendance_mark m set kind = 'late', reason = coalesce(m.reason, '门禁记录到校')
        from unnest(${arrivals.map((r) => r.student_id)}::uuid[], ${arrivals.map((r) => r.day)}::date[]) as a(student_id, day)
        where m.student_id = a.student_id and m.day = a.day and m.kind = 'unexcused'
        returning m.class_id, m.day::text as day`.execute(trx);
      corrected = fixed.rows.length;
      // Keep the sheets' counts equal to their marks.
      for (const k of new Set(fixed.rows.map((r) => `${r.class_id}|${r.day}`))) {
        const [classId, day] = k.split('|') as [string, string];
        await sql`
          update attendance_sheet sh set
            late = (select count(*) from attendance_mark m where m.class_id = sh.class_id and m.day = sh.day and m.kind = 'late'),
            unexcused = (select count(*) from attendance_mark m where m.class_id = sh.class_id and m.day = sh.day and m.kind = 'unexcused'),
            present = sh.enrolled - (select count(*) from attendance_mark m where m.class_id = sh.class_id and m.day = sh.day and m.kind in ('sick', 'personal', 'unexcused'))
          where sh.class_id = ${classId} and sh.day = ${day}`.execute(trx);
      }
    }
    const schools = [...new Set(rows.map((r) => r.school_id))];
    for (const schoolId of schools)
      await recordAudit(trx, origin, {
        action: 'attendance.gate',
        objectType: 'gate_event',
        unitId: schoolId,
        after: { stored: rows.filter((r) => r.school_id === schoolId).length, corrected },
      });
  });
  return { stored: rows.length, corrected, rejected };
}

export async function listGateEvents(ctx: AppContext, actor: Actor, q: { schoolId: string; date?: string }) {
  const school = await repo.findUnit(ctx.db, actor, q.schoolId, 'attendance.read');
  if (!school || school.kind !== 'school') throw notFound(SCHOOL);
  const day = q.date ?? chinaToday();
  let classIds: string[] | null = null;
  if (!dropoutPolicy.seesWholeSchool(actor, school.path))
    classIds = (
      await ctx.db
        .selectFrom('school_class')
        .select('id')
        .where('school_id', '=', school.id)
        .where('head_teacher_user_id', '=', actor.userId)
        .execute()
    ).map((c) => c.id);
  const rows = await repo.listGateEvents(ctx.db, school.id, day, classIds);
  return rows.map((r) => ({
    id: r.id,
    studentId: r.student_id,
    studentName: r.name,
    at: r.occurred_at.toISOString(),
    direction: r.direction,
    device: r.device,
  }));
}
