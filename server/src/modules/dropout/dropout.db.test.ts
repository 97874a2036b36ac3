/**
 * 控辍保学, first slice: the calendar's routes, attendance (submit, replace, who may), the not-submitted
 * report, gate events, settings, and the detection rules at their edges. Dates lie in autumn 2026: the
 * National Day holiday (1–7 October) with its make-up days (Sun 20 Sep, Sat 10 Oct) is the edge case.
 */
import type {
  AttendanceSheet,
  DropoutCasePage,
  MissingReport,
  RegionTerms,
  RiskList,
  SettingsView,
  SheetResult,
} from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { createClass, createStudent, requestTransfer } from '../students/students.service.js';
import { submitSheet } from './attendance.service.js';
import { scan } from './dropout.service.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;
let teacherA1: Client;
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };

let classA: string; // A1, head teacher teacherA1
let classB: string; // A1, no head teacher
let classA2: string; // A2
const s: Record<string, string> = {};

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  city = await loginAs(app, u.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  schoolA1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  schoolA2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  teacherA1 = await loginAs(app, u.teacherA1.username, PASSWORD);
  const cls = (schoolId: string, name: string, head?: string) =>
    createClass(
      t.ctx,
      sys,
      { schoolId, schoolYear: '2026', grade: 3, name, headTeacherUserId: head },
      origin,
    );
  classA = (await cls(world.schoolA1.id, '1班', u.teacherA1.id)).id;
  classB = (await cls(world.schoolA1.id, '2班')).id;
  classA2 = (await cls(world.schoolA2.id, '1班')).id;
  const student = async (key: string, classId: string, schoolId: string, extra: object = {}) => {
    s[key] = (
      await createStudent(
        t.ctx,
        sys,
        {
          schoolId,
          classId,
          name: `学生${key}`,
          sex: 'F',
          birthDate: '2018-03-01',
          enrolledOn: '2026-09-01',
          ...extra,
        },
        origin,
      )
    ).id;
  };
  for (const k of ['x', 'y', 'z', 'w', 'p']) await student(k, classA, world.schoolA1.id);
  await student('q', classA, world.schoolA1.id, { flags: { povertyHousehold: true, leftBehind: true } });
  await student('b1', classB, world.schoolA1.id);
  await student('a2', classA2, world.schoolA2.id);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

/** Submits classA's sheet for a day as the system (unexcused students, other marks). */
const sheetA = (
  date: string,
  unexcused: string[] = [],
  classId = classA,
  other: { key: string; kind: 'late' | 'sick' | 'personal' }[] = [],
) =>
  submitSheet(
    t.ctx,
    sys,
    {
      classId,
      date,
      marks: [
        ...unexcused.map((k) => ({ studentId: s[k]!, kind: 'unexcused' as const })),
        ...other.map((o) => ({ studentId: s[o.key]!, kind: o.kind })),
      ],
    },
    origin,
  );
/** classA's sheet and an empty one for classB (which otherwise raises noAttendance). */
const sheet = async (...args: Parameters<typeof sheetA>) => {
  await submitSheet(t.ctx, sys, { classId: classB, date: args[0], marks: [] }, origin);
  return sheetA(...args);
};
const openCases = async () =>
  (
    await t.ctx.db
      .selectFrom('dropout_case')
      .select(['student_id', 'reason', 'status', 'closed_on', 'close_reason'])
      .execute()
  ).map((c) => ({ ...c, key: Object.keys(s).find((k) => s[k] === c.student_id) }));

describe('the school calendar', () => {
  it('shows the make-up Saturday as a school day and the holiday as none', async () => {
    const res = await teacherA1.get(
      `/api/calendar/days?schoolId=${world.schoolA1.id}&from=2026-09-30&to=2026-10-10`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json<{ date: string; schoolDay: boolean; why: string }[]>();
    expect(days.filter((d) => d.schoolDay).map((d) => d.date)).toEqual([
      '2026-09-30',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
    ]);
    expect(days.find((d) => d.date === '2026-10-10')!.why).toBe('makeupWorkday');
    expect(days.find((d) => d.date === '2026-10-01')!.why).toBe('holiday');
  });

  it('lets the county set its terms (audited) and refuses others; bad terms are 400 with nothing changed', async () => {
    const before = await adminA.get(`/api/calendar/terms?unitId=${world.countyA.id}&schoolYear=2027`);
    expect(before.json<RegionTerms>()).toMatchObject({
      source: 'default',
      terms: [{ start: '2027-09-01' }, { end: '2028-07-10' }],
    });
    const body = {
      unitId: world.countyA.id,
      schoolYear: '2027',
      terms: [
        { no: 1, start: '2027-08-30', end: '2028-01-14' },
        { no: 2, start: '2028-02-28', end: '2028-07-07' },
      ],
    };
    await expectUnchanged(t.ctx, async () => {
      expectError(await schoolA1.request('PUT', '/api/calendar/terms', body), 404, 'NOT_FOUND');
      expectError(await adminB.request('PUT', '/api/calendar/terms', body), 404, 'NOT_FOUND');
      expectError(
        await adminA.request('PUT', '/api/calendar/terms', {
          ...body,
          terms: [body.terms[1], { ...body.terms[0], no: 2 }],
        }),
        400,
        'TERMS_INVALID',
      );
      expectError(
        await adminA.request('PUT', '/api/calendar/terms', { ...body, unitId: world.schoolA1.id }),
        400,
        'CALENDAR_REGION_ONLY',
      );
    });
    const res = await adminA.request('PUT', '/api/calendar/terms', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<RegionTerms>().source).toBe('own');
    const school = await schoolA1.get(`/api/calendar/terms?unitId=${world.schoolA1.id}&schoolYear=2027`);
    expect(school.json<RegionTerms>()).toMatchObject({ source: 'inherited', terms: body.terms });
    const days = await schoolA1.get(
      `/api/calendar/days?schoolId=${world.schoolA1.id}&from=2027-08-30&to=2027-08-31`,
    );
    expect(days.json<{ schoolDay: boolean }[]>().map((d) => d.schoolDay)).toEqual([true, true]);
    expect((await auditEvents(t.ctx, 'calendar.terms')).at(-1)!.after).toMatchObject({ schoolYear: '2027' });
  });

  it('records a closure for a school; its days are no school days', async () => {
    const res = await schoolA1.post('/api/calendar/closures', {
      unitId: world.schoolA1.id,
      start: '2026-11-03',
      end: '2026-11-03',
      reason: '暴雪停课',
    });
    expect(res.statusCode, res.body).toBe(201);
    const days = await teacherA1.get(
      `/api/calendar/days?schoolId=${world.schoolA1.id}&from=2026-11-03&to=2026-11-03`,
    );
    expect(days.json<{ why: string }[]>()[0]!.why).toBe('closure');
    expectError(
      await teacherA1.post('/api/calendar/closures', {
        unitId: world.schoolA1.id,
        start: '2026-11-05',
        end: '2026-11-05',
        reason: 'x',
      }),
      403,
      'FORBIDDEN',
    );
    const other = await schoolA2.get(
      `/api/calendar/days?schoolId=${world.schoolA2.id}&from=2026-11-03&to=2026-11-03`,
    );
    expect(other.json<{ schoolDay: boolean }[]>()[0]!.schoolDay).toBe(true);
  });
});

describe('attendance', () => {
  it('lets the head teacher submit their class, then replace it (audited before/after)', async () => {
    const first = await teacherA1.request('PUT', '/api/attendance/sheet', {
      classId: classA,
      date: '2026-09-28',
      marks: [{ studentId: s.w, kind: 'sick', reason: '发烧' }],
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<SheetResult>()).toMatchObject({
      replaced: false,
      counts: { enrolled: 6, present: 5, sick: 1 },
    });
    const again = await teacherA1.request('PUT', '/api/attendance/sheet', {
      classId: classA,
      date: '2026-09-28',
      marks: [{ studentId: s.w, kind: 'late' }],
    });
    expect(again.json<SheetResult>()).toMatchObject({
      replaced: true,
      counts: { present: 6, late: 1, sick: 0 },
    });
    const view = (
      await teacherA1.get(`/api/attendance/sheet?classId=${classA}&date=2026-09-28`)
    ).json<AttendanceSheet>();
    expect(view.submitted?.counts).toMatchObject({ present: 6, late: 1 });
    expect(view.students.filter((x) => x.kind).map((x) => [x.id, x.kind])).toEqual([[s.w, 'late']]);
    const marks = await t.ctx.db
      .selectFrom('attendance_mark')
      .selectAll()
      .where('day', '=', '2026-09-28')
      .execute();
    expect(marks).toHaveLength(1);
    const ev = (await auditEvents(t.ctx, 'attendance.replace')).at(-1)!;
    expect(ev.before).toMatchObject({ counts: { sick: 1 }, marks: [{ kind: 'sick' }] });
    expect(ev.after).toMatchObject({ counts: { late: 1 } });
    // The same sheet again changes nothing but the submission time.
    const third = await teacherA1.request('PUT', '/api/attendance/sheet', {
      classId: classA,
      date: '2026-09-28',
      marks: [{ studentId: s.w, kind: 'late' }],
    });
    expect(third.json<SheetResult>().counts).toEqual(again.json<SheetResult>().counts);
    expect(
      await t.ctx.db.selectFrom('attendance_sheet').selectAll().where('day', '=', '2026-09-28').execute(),
    ).toHaveLength(1);
  });

  it('refuses a teacher another class (403), another school (404), and bad input (400) with nothing changed', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await teacherA1.request('PUT', '/api/attendance/sheet', {
          classId: classB,
          date: '2026-09-28',
          marks: [],
        }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await teacherA1.get(`/api/attendance/sheet?classId=${classB}&date=2026-09-28`),
        403,
        'FORBIDDEN',
      );
      expectError(
        await teacherA1.request('PUT', '/api/attendance/sheet', {
          classId: classA2,
          date: '2026-09-28',
          marks: [],
        }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await schoolA2.request('PUT', '/api/attendance/sheet', {
          classId: classA,
          date: '2026-09-28',
          marks: [],
        }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await teacherA1.request('PUT', '/api/attendance/sheet', {
          classId: classA,
          date: '2026-10-03',
          marks: [],
        }),
        400,
        'ATTENDANCE_NOT_SCHOOL_DAY',
      );
      expectError(
        await teacherA1.request('PUT', '/api/attendance/sheet', {
          classId: classA,
          date: '2026-09-28',
          marks: [{ studentId: s.b1, kind: 'late' }],
        }),
        400,
        'ATTENDANCE_STUDENT_NOT_IN_CLASS',
      );
      expectError(
        await teacherA1.request('PUT', '/api/attendance/sheet', {
          classId: classA,
          date: '2026-09-28',
          marks: [{ studentId: s.w, kind: 'absent' }],
        }),
        400,
        'VALIDATION',
      );
      expectError(
        await teacherA1.request('PUT', '/api/attendance/sheet', {
          classId: classA,
          date: '2099-01-05',
          marks: [],
        }),
        400,
        'ATTENDANCE_FUTURE',
      );
    });
    // The school admin takes any class of the school.
    const res = await schoolA1.request('PUT', '/api/attendance/sheet', {
      classId: classB,
      date: '2026-09-28',
      marks: [],
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('lists the teacher’s own classes only; the school admin sees both', async () => {
    const mine = (await teacherA1.get('/api/attendance/classes?date=2026-09-28')).json<
      { id: string; own: boolean; submitted: boolean }[]
    >();
    expect(mine.map((c) => [c.id, c.own, c.submitted])).toEqual([[classA, true, true]]);
    const all = (await schoolA1.get('/api/attendance/classes?date=2026-09-28')).json<{ id: string }[]>();
    expect(all.map((c) => c.id).sort()).toEqual([classA, classB].sort());
  });

  it('sets a head teacher (school admin only, staff of the school only)', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await teacherA1.request('PUT', `/api/classes/${classB}/head-teacher`, {
          userId: world.users.teacherA1.id,
        }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await schoolA1.request('PUT', `/api/classes/${classB}/head-teacher`, {
          userId: world.users.schoolAdminA2.id,
        }),
        400,
        'HEAD_TEACHER_NOT_AT_SCHOOL',
      );
      expectError(
        await schoolA2.request('PUT', `/api/classes/${classB}/head-teacher`, { userId: null }),
        404,
        'NOT_FOUND',
      );
    });
    const res = await schoolA1.request('PUT', `/api/classes/${classB}/head-teacher`, { userId: null });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('counts the classes that have not submitted, per school and county', async () => {
    // 2026-09-29: nothing submitted yet; classA, classB at A1 and classA2 at A2 are expected.
    const before = (await adminA.get('/api/attendance/missing?date=2026-09-29')).json<MissingReport>();
    expect(before.total).toMatchObject({ classes: 3, submitted: 0, missing: 3, schoolsMissing: 2 });
    await sheetA('2026-09-29');
    const after = (await adminA.get('/api/attendance/missing?date=2026-09-29')).json<MissingReport>();
    expect(after.total).toMatchObject({ classes: 3, submitted: 1, missing: 2 });
    const a1 = after.schools.find((x) => x.id === world.schoolA1.id)!;
    expect(a1).toMatchObject({ classes: 2, submitted: 1, missing: 1, missingClasses: [{ id: classB }] });
    expect(after.counties).toMatchObject([{ id: world.countyA.id, classes: 3, missing: 2 }]);
    // A holiday expects nothing.
    const holiday = (await adminA.get('/api/attendance/missing?date=2026-10-02')).json<MissingReport>();
    expect(holiday.total).toMatchObject({ schools: 0, classes: 0, missing: 0 });
    // County B sees none of A; a foreign filter is 404.
    const b = (await adminB.get('/api/attendance/missing?date=2026-09-29')).json<MissingReport>();
    expect(JSON.stringify(b)).not.toContain(world.schoolA1.id);
    expectError(await adminB.get(`/api/attendance/missing?under=${world.countyA.id}`), 404, 'NOT_FOUND');
  });
});

describe('detection', () => {
  it('raises nothing at 2 consecutive unexcused school days across the holiday, and a case at 3', async () => {
    await sheet('2026-09-30', ['x', 'y']);
    await sheet('2026-10-08', ['x', 'y']);
    // The streak of x and y runs over the National Day holiday: 2 school days.
    const r1 = await scan(t.ctx, origin, '2026-10-08');
    expect(r1).toEqual({ date: '2026-10-08', suspected: 0, newCases: 0, closedByReturn: 0 });
    await sheet('2026-10-09', ['x']);
    const r2 = await scan(t.ctx, origin, '2026-10-09');
    expect(r2).toMatchObject({ newCases: 1, suspected: 1 });
    expect((await openCases()).map((c) => [c.key, c.reason, c.status])).toEqual([
      ['x', 'consecutiveAbsence', 'suspected'],
    ]);
    // Scanning again raises no duplicate.
    expect(await scan(t.ctx, origin, '2026-10-09')).toMatchObject({ newCases: 0, suspected: 1 });
  });

  it('does not read a day without a sheet as present or absent', async () => {
    // 2026-10-10 (make-up Saturday): no sheet. y was absent 09-30 and 10-08, present 10-09; no case.
    expect(await scan(t.ctx, origin, '2026-10-10')).toMatchObject({ newCases: 0, closedByReturn: 0 });
  });

  it('closes the case once the student was present on 3 recorded school days', async () => {
    await sheet('2026-10-10', [], classA, [{ key: 'x', kind: 'late' }]);
    await sheet('2026-10-12');
    expect(await scan(t.ctx, origin, '2026-10-12')).toMatchObject({ closedByReturn: 0, suspected: 1 });
    await sheet('2026-10-13');
    expect(await scan(t.ctx, origin, '2026-10-13')).toEqual({
      date: '2026-10-13',
      suspected: 0,
      newCases: 0,
      closedByReturn: 1,
    });
    expect((await openCases()).find((c) => c.key === 'x')).toMatchObject({
      status: 'closed',
      close_reason: 'closedByReturn',
    });
    // Not raised again for the same days.
    expect(await scan(t.ctx, origin, '2026-10-13')).toMatchObject({ newCases: 0 });
  });

  it('raises at M unexcused days within the window, not at M − 1', async () => {
    // z: absent 4 separate days, then a 5th.
    for (const d of ['2026-10-14', '2026-10-16', '2026-10-20', '2026-10-22']) await sheet(d, ['z']);
    for (const d of ['2026-10-15', '2026-10-19', '2026-10-21', '2026-10-23']) await sheet(d);
    expect(await scan(t.ctx, origin, '2026-10-23')).toMatchObject({ newCases: 0 });
    await sheet('2026-10-26', ['z']);
    expect(await scan(t.ctx, origin, '2026-10-26')).toMatchObject({ newCases: 1 });
    expect((await openCases()).filter((c) => !c.closed_on).map((c) => [c.key, c.reason])).toEqual([
      ['z', 'absenceTotal'],
    ]);
  });

  it('follows the region’s settings (audited), and a school cannot set them', async () => {
    const view = (await adminA.get(`/api/dropout/settings?unitId=${world.schoolA1.id}`)).json<SettingsView>();
    expect(view).toMatchObject({
      effective: { consecutiveDays: 3, totalDays: 5, windowDays: 30 },
      own: null,
      canEdit: false,
    });
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await schoolA1.request('PUT', '/api/dropout/settings', {
          unitId: world.countyA.id,
          settings: { consecutiveDays: 2 },
        }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await adminA.request('PUT', '/api/dropout/settings', {
          unitId: world.countyA.id,
          settings: { consecutiveDays: 0 },
        }),
        400,
        'VALIDATION',
      );
    });
    const res = await adminA.request('PUT', '/api/dropout/settings', {
      unitId: world.countyA.id,
      settings: { consecutiveDays: 2 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await auditEvents(t.ctx, 'dropout.settings')).at(-1)).toMatchObject({
      before: null,
      after: { consecutiveDays: 2 },
    });
    // y: absent on 10-27 and 10-28 → 2 consecutive, now enough.
    await sheet('2026-10-27', ['y']);
    await sheet('2026-10-28', ['y']);
    expect(await scan(t.ctx, origin, '2026-10-28')).toMatchObject({ newCases: 1 });
    expect((await openCases()).find((c) => c.key === 'y' && !c.closed_on)?.reason).toBe('consecutiveAbsence');
    await adminA.request('PUT', '/api/dropout/settings', { unitId: world.countyA.id, settings: null });
  });

  it('raises a transfer pending for more than K school days (转出未转入)', async () => {
    const tr = await requestTransfer(
      t.ctx,
      sys,
      { studentId: s.p!, toSchoolCode: '1220300001', reason: '随父母迁居' },
      origin,
    );
    await t.ctx.db
      .updateTable('student_transfer')
      .set({ requested_at: new Date('2026-10-01T02:00:00Z') })
      .where('id', '=', tr.id)
      .execute();
    // 15 school days back from 10-21 is 09-29 (the holiday in between): requested 10-01, not yet.
    expect(await scan(t.ctx, origin, '2026-10-21')).toMatchObject({ newCases: 0 });
    expect(await scan(t.ctx, origin, '2026-10-29')).toMatchObject({ newCases: 1 });
    expect((await openCases()).find((c) => c.key === 'p')?.reason).toBe('transferLimbo');
  });

  it('lists suspected cases by scope; the teacher sees their class; the risk list ranks students', async () => {
    const page = (await schoolA1.get('/api/dropout/cases')).json<DropoutCasePage>();
    expect(page.items.map((c) => c.studentName).sort()).toEqual(['学生p', '学生y', '学生z']);
    expect((await teacherA1.get('/api/dropout/cases')).json<DropoutCasePage>().total).toBe(3);
    expect((await adminB.get('/api/dropout/cases')).json<DropoutCasePage>().total).toBe(0);
    const risk = (
      await teacherA1.get(`/api/dropout/risk?classId=${classA}&date=2026-10-28`)
    ).json<RiskList>();
    const top = risk.items[0]!;
    expect(top.name).toBe('学生z');
    expect(top.factors.unexcused).toBe(5);
    expect(risk.items.find((r) => r.name === '学生q')).toMatchObject({
      factors: { poverty: 1, leftBehind: 1 },
      score: 20,
    });
    expectError(await teacherA1.get(`/api/dropout/risk?classId=${classB}`), 403, 'FORBIDDEN');
    expectError(await adminB.get(`/api/dropout/risk?classId=${classA}`), 404, 'NOT_FOUND');
  });
});

describe('gate events', () => {
  it('stores arrivals and turns that day’s 旷课 into 迟到; refuses students out of scope', async () => {
    await sheet('2026-10-30', ['w']);
    const res = await schoolA1.post('/api/attendance/gate-events', {
      events: [
        { studentId: s.w, at: '2026-10-30T08:40:00+08:00', direction: 'in', device: '东门' },
        { studentId: s.a2, at: '2026-10-30T07:40:00+08:00', direction: 'in' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      stored: 1,
      corrected: 1,
      rejected: [{ index: 1, code: 'STUDENT_NOT_FOUND' }],
    });
    const view = (
      await teacherA1.get(`/api/attendance/sheet?classId=${classA}&date=2026-10-30`)
    ).json<AttendanceSheet>();
    expect(view.students.find((x) => x.id === s.w)).toMatchObject({ kind: 'late', arrivedAt: '08:40' });
    expect(view.submitted?.counts).toMatchObject({ unexcused: 0, late: 1 });
    const listed = await schoolA1.get(
      `/api/attendance/gate-events?schoolId=${world.schoolA1.id}&date=2026-10-30`,
    );
    expect(listed.json<unknown[]>()).toHaveLength(1);
    const bad = await schoolA1.post('/api/attendance/gate-events', {
      events: [{ at: 'yesterday', direction: 'in' }],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('answers events for students the caller cannot see exactly as for students that do not exist, storing nothing', async () => {
    await t.ctx.db
      .updateTable('student')
      .set({ student_no: 'G220302201803010029' })
      .where('id', '=', s.a2!)
      .execute();
    const at = '2026-10-30T07:40:00+08:00';
    const post = (who: Client, events: object[]) => who.post('/api/attendance/gate-events', { events });
    const notFound = {
      stored: 0,
      corrected: 0,
      rejected: [
        { index: 0, code: 'STUDENT_NOT_FOUND' },
        { index: 1, code: 'STUDENT_NOT_FOUND' },
      ],
    };
    await expectUnchanged(t.ctx, async () => {
      const unknown = await post(schoolA1, [
        { studentId: '00000000-0000-4000-8000-000000000000', at, direction: 'in' },
        { studentNo: 'G220302201803019999', at, direction: 'in' },
      ]);
      expect(unknown.statusCode, unknown.body).toBe(200);
      expect(unknown.json()).toEqual(notFound);
      // Another school's student, by id and by 学籍号: the same answer, nothing that tells they exist.
      const otherSchool = await post(schoolA1, [
        { studentId: s.a2, at, direction: 'in' },
        { studentNo: 'G220302201803010029', at, direction: 'in' },
      ]);
      expect(otherSchool.statusCode, otherSchool.body).toBe(200);
      expect(otherSchool.json()).toEqual(notFound);
      const otherCounty = await post(adminB, [
        { studentId: s.w, at, direction: 'in' },
        { studentNo: 'G220302201803010029', at, direction: 'out' },
      ]);
      expect(otherCounty.statusCode, otherCounty.body).toBe(200);
      expect(otherCounty.json()).toEqual(notFound);
      // FORBIDDEN only for a student the caller sees anyway: a colleague's class at the teacher's own school.
      const colleague = await post(teacherA1, [{ studentId: s.b1, at, direction: 'in' }]);
      expect(colleague.json()).toEqual({
        stored: 0,
        corrected: 0,
        rejected: [{ index: 0, code: 'FORBIDDEN' }],
      });
    });
    expect((await teacherA1.get(`/api/students/${s.b1}`)).statusCode).toBe(200);
    expect((await schoolA1.get(`/api/students/${s.a2}`)).statusCode).toBe(404);
  });
});

describe('no attendance taken', () => {
  it('raises the students of classes with no sheet on the last 5 school days of a school that takes attendance', async () => {
    // Last sheets 10-30; 11-03 is closed at A1. 11-06: 6, 5, 4, 2 Nov and 30 Oct — still covered.
    // z was present on 27, 28 and 30 Oct: back (closed); nothing raised yet.
    expect(await scan(t.ctx, origin, '2026-11-06')).toMatchObject({ newCases: 0, closedByReturn: 1 });
    const r = await scan(t.ctx, origin, '2026-11-09');
    expect(r.newCases).toBe(5);
    const raised = (await openCases())
      .filter((c) => !c.closed_on && c.reason === 'noAttendance')
      .map((c) => c.key);
    expect(raised.sort()).toEqual(['b1', 'q', 'w', 'x', 'z']);
    // School A2 never took attendance: it is on the not-submitted list, not raised.
    expect(raised).not.toContain('a2');
  });
});

describe('the city admin', () => {
  it('sees every county’s cases', async () => {
    expect((await city.get('/api/dropout/cases')).json<DropoutCasePage>().total).toBe(7);
  });
});
