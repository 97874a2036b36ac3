/**
 * 控辍保学, second slice: the case workflow (confirm → 四步法 steps → outcome → 动态销号), escalation of
 * overdue steps, the outcome and verification rules, and the 动态清零 dashboard's figures and drill-down.
 */
import type { CaseBoardPage, CaseDetail, Dashboard, ReportStatus } from '@dudao/contracts';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { randomUUID } from 'node:crypto';
import { createClass, createStudent } from '../students/students.service.js';
import { submitSheet } from './attendance.service.js';
import { escalateOverdue } from './cases.service.js';
import { scan } from './dropout.service.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;
let teacherA1: Client;
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };
const s: Record<string, string> = {};
let caseId: string;
let otherCase: string;

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  schoolA1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  schoolA2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  teacherA1 = await loginAs(app, u.teacherA1.username, PASSWORD);
  const cls = await createClass(
    t.ctx,
    sys,
    {
      schoolId: world.schoolA1.id,
      schoolYear: '2026',
      grade: 5,
      name: '1班',
      headTeacherUserId: u.teacherA1.id,
    },
    origin,
  );
  for (const [k, birth, poverty] of [
    ['away', '2015-03-01', false],
    ['poor', '2010-03-01', true],
    ['here', '2015-05-05', false],
  ] as const)
    s[k] = (
      await createStudent(
        t.ctx,
        sys,
        {
          schoolId: world.schoolA1.id,
          classId: cls.id,
          name: `学生${k}`,
          sex: 'F',
          birthDate: birth,
          enrolledOn: '2026-09-01',
          flags: { povertyHousehold: poverty },
        },
        origin,
      )
    ).id;
  for (const date of ['2026-09-29', '2026-09-30', '2026-10-08'])
    await submitSheet(
      t.ctx,
      sys,
      {
        classId: cls.id,
        date,
        marks: [
          { studentId: s.away!, kind: 'unexcused' },
          { studentId: s.poor!, kind: 'unexcused' },
        ],
      },
      origin,
    );
  const r = await scan(t.ctx, origin, '2026-10-08');
  expect(r.newCases).toBe(2);
  const rows = await t.ctx.db.selectFrom('dropout_case').select(['id', 'student_id']).execute();
  caseId = rows.find((x) => x.student_id === s.away)!.id;
  otherCase = rows.find((x) => x.student_id === s.poor)!.id;
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const studentStatus = async (id: string) =>
  (await t.ctx.db.selectFrom('student').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status;

describe('confirming a suspected case', () => {
  it('is for the school, not the class teacher, and invisible to another school and county', async () => {
    expect((await teacherA1.get(`/api/dropout/cases/${caseId}`)).statusCode).toBe(200);
    expectError(
      await teacherA1.post(`/api/dropout/cases/${caseId}/confirm`, { on: '2026-10-09' }),
      403,
      'FORBIDDEN',
    );
    expectError(await schoolA2.get(`/api/dropout/cases/${caseId}`), 404, 'NOT_FOUND');
    expectError(
      await adminB.post(`/api/dropout/cases/${caseId}/confirm`, { on: '2026-10-09' }),
      404,
      'NOT_FOUND',
    );
    expect(await studentStatus(s.away!)).toBe('enrolled');
  });

  it('refuses a date before the detection', async () => {
    expectError(
      await schoolA1.post(`/api/dropout/cases/${caseId}/confirm`, { on: '2026-10-01' }),
      400,
      'DATE_BEFORE_DETECTION',
    );
  });

  it('records 辍学 through the registry, starts step 1 with its limit and names the education line', async () => {
    const res = await schoolA1.post(`/api/dropout/cases/${caseId}/confirm`, { on: '2026-10-09' });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json<CaseDetail>();
    expect(c).toMatchObject({
      status: 'dropout',
      step: 1,
      stepStartedOn: '2026-10-09',
      stepDueOn: '2026-10-24',
    });
    expect(c.lines.edu.map((p) => p.level)).toEqual(['county', 'school', 'class']);
    expect(c.lines.edu[2]!.name).toBe('测试a1teacher');
    expect(await studentStatus(s.away!)).toBe('dropped_out');
    const ev = await t.ctx.db
      .selectFrom('student_status_event')
      .select(['kind', 'status_to'])
      .where('student_id', '=', s.away!)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(ev).toEqual({ kind: 'dropout', status_to: 'dropped_out' });
    expect((await auditEvents(t.ctx, 'dropout.case.confirm')).length).toBe(1);
    // A second confirmation finds the case no longer suspected.
    expectError(
      await schoolA1.post(`/api/dropout/cases/${caseId}/confirm`, { on: '2026-10-09' }),
      409,
      'CASE_STATE',
    );
  });

  it('shows both lines with phones masked for those who may not reveal them', async () => {
    const lines = {
      edu: [
        { level: 'county', name: '赵专干', role: '控辍保学专干', phone: '13900001111' },
        { level: 'school', name: '王校长', role: '校长', phone: '13800002222' },
        { level: 'class', name: '李老师', role: '班主任' },
      ],
      gov: [
        { level: 'county', name: '县政府教育督导室' },
        { level: 'town', name: '张镇长', phone: '13700003333' },
        { level: 'village', name: '刘支书', role: '村支书', phone: '13600004444' },
      ],
    };
    expect((await schoolA1.request('PUT', `/api/dropout/cases/${caseId}/lines`, lines)).statusCode).toBe(200);
    const asTeacher = (await teacherA1.get(`/api/dropout/cases/${caseId}`)).json<CaseDetail>();
    expect(asTeacher.lines.gov.map((p) => p.phone)).toEqual([null, '137****3333', '136****4444']);
    const asSchool = (await schoolA1.get(`/api/dropout/cases/${caseId}`)).json<CaseDetail>();
    expect(asSchool.lines.gov[2]!.phone).toBe('13600004444');
  });
});

describe('四步法 steps and escalation', () => {
  it('records a persuasion step and moves to the written order with a new deadline', async () => {
    const bad = await schoolA1.post(`/api/dropout/cases/${caseId}/steps`, {
      actedOn: '2026-10-10',
      people: '王校长、刘支书',
      action: '入户家访',
      fileIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expectError(bad, 400, 'FILE_UNKNOWN');
    const res = await schoolA1.post(`/api/dropout/cases/${caseId}/steps`, {
      actedOn: '2026-10-10',
      people: '王校长、刘支书',
      action: '入户家访，说明义务教育法规定',
      result: '家长同意考虑',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CaseDetail>()).toMatchObject({
      step: 1,
      steps: [{ stepNo: 1, people: '王校长、刘支书' }],
    });
    const adv = await schoolA1.post(`/api/dropout/cases/${caseId}/steps`, {
      actedOn: '2026-10-20',
      people: '王校长',
      action: '再次家访，家长仍拒绝',
      advance: true,
    });
    const c = adv.json<CaseDetail>();
    expect(c).toMatchObject({
      step: 2,
      stepStartedOn: '2026-10-20',
      stepDueOn: '2026-11-04',
      escalationLevel: 0,
    });
    expect(c.timeline.map((e) => e.kind)).toEqual(['confirmed', 'lines', 'step', 'step']);
  });

  it('escalates an overdue step to the county, then the city, once per deadline', async () => {
    expect(await escalateOverdue(t.ctx, origin, '2026-11-04')).toEqual({ escalated: 0 });
    expect(await escalateOverdue(t.ctx, origin, '2026-11-05')).toEqual({ escalated: 1 });
    let c = (await adminA.get(`/api/dropout/cases/${caseId}`)).json<CaseDetail>();
    expect(c).toMatchObject({ escalationLevel: 1, escalatedTo: '铁西区教育局', stepDueOn: '2026-11-20' });
    const notes = await t.ctx.db
      .selectFrom('notification')
      .select(['user_id', 'kind'])
      .where('kind', '=', 'dropout.overdue')
      .execute();
    expect(notes.map((n) => n.user_id)).toContain(world.users.adminA.id);
    expect(notes.map((n) => n.user_id)).toContain(world.users.schoolAdminA1.id);
    expect(await escalateOverdue(t.ctx, origin, '2026-11-06')).toEqual({ escalated: 0 });
    expect(await escalateOverdue(t.ctx, origin, '2026-11-21')).toEqual({ escalated: 1 });
    c = (await adminA.get(`/api/dropout/cases/${caseId}`)).json<CaseDetail>();
    expect(c).toMatchObject({ escalationLevel: 2, escalatedTo: '四平市教育局', stepDueOn: '2026-12-06' });
    expect(c.timeline.filter((e) => e.kind === 'escalated')).toHaveLength(2);
    expect((await auditEvents(t.ctx, 'dropout.case.escalate')).length).toBe(2);
    // A new step lifts the escalation.
    const adv = await schoolA1.post(`/api/dropout/cases/${caseId}/steps`, {
      actedOn: '2026-11-22',
      people: '镇政府',
      action: '下达责令限期复学通知书',
      advance: true,
    });
    expect(adv.json<CaseDetail>()).toMatchObject({ step: 3, escalationLevel: 0, stepDueOn: '2026-12-22' });
  });

  it('stops advancing at step 4', async () => {
    await schoolA1.post(`/api/dropout/cases/${caseId}/steps`, {
      actedOn: '2026-11-23',
      people: '县教育局',
      action: '行政处罚告知',
      advance: true,
    });
    expectError(
      await schoolA1.post(`/api/dropout/cases/${caseId}/steps`, {
        actedOn: '2026-11-24',
        people: '县教育局',
        action: '提起诉讼',
        advance: true,
      }),
      409,
      'CASE_LAST_STEP',
    );
  });
});

describe('outcomes and 动态销号', () => {
  it('checks each outcome’s conditions', async () => {
    const post = (body: object) => schoolA1.post(`/api/dropout/cases/${caseId}/outcome`, body);
    expectError(
      await post({ outcome: 'returned', on: '2026-11-24', note: '已复学' }),
      400,
      'PLACEMENT_REQUIRED',
    );
    expectError(await post({ outcome: 'exempt', on: '2026-11-24', note: '身体原因' }), 400, 'PROOF_REQUIRED');
    expectError(
      await post({ outcome: 'vocationalTraining', on: '2026-11-24', note: '职业培训' }),
      400,
      'UNDER_16',
    );
    expectError(
      await post({ outcome: 'movedAway', on: '2026-11-24', note: '迁居', destinationCode: '220302' }),
      400,
      'DESTINATION_SAME',
    );
    expect(await studentStatus(s.away!)).toBe('dropped_out');
  });

  it('a return re-enrols the student and waits for the county; the school cannot verify itself', async () => {
    const res = await schoolA1.post(`/api/dropout/cases/${caseId}/outcome`, {
      outcome: 'returned',
      placement: 'inclusive',
      on: '2026-11-24',
      note: '劝返成功，随班就读',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CaseDetail>()).toMatchObject({
      status: 'verifying',
      outcome: 'returned',
      placement: 'inclusive',
    });
    expect(await studentStatus(s.away!)).toBe('enrolled');
    expectError(
      await schoolA1.post(`/api/dropout/cases/${caseId}/verify`, { approve: true }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await adminB.post(`/api/dropout/cases/${caseId}/verify`, { approve: true }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await adminA.post(`/api/dropout/cases/${caseId}/verify`, { approve: false }),
      400,
      'NOTE_REQUIRED',
    );
  });

  it('sent back, the student is 辍学 again; verified, the case closes', async () => {
    const back = await adminA.post(`/api/dropout/cases/${caseId}/verify`, {
      approve: false,
      note: '未见复学证明',
    });
    expect(back.json<CaseDetail>()).toMatchObject({ status: 'dropout', outcome: null });
    expect(await studentStatus(s.away!)).toBe('dropped_out');
    await schoolA1.post(`/api/dropout/cases/${caseId}/outcome`, {
      outcome: 'returned',
      placement: 'regularClass',
      on: '2026-11-25',
      note: '已返校，附复学登记',
    });
    const ok = await adminA.post(`/api/dropout/cases/${caseId}/verify`, { approve: true, note: '核实' });
    expect(ok.json<CaseDetail>()).toMatchObject({ status: 'closed', closeReason: 'returned' });
    expect(await studentStatus(s.away!)).toBe('enrolled');
    const kinds = ok.json<CaseDetail>().timeline.map((e) => e.kind);
    expect(kinds.slice(-4)).toEqual(['outcome', 'rejected', 'outcome', 'verified']);
    for (const a of ['dropout.case.outcome', 'dropout.case.reject', 'dropout.case.verify'])
      expect((await auditEvents(t.ctx, a)).length).toBeGreaterThan(0);
  });

  it('a 16-year-old may close with vocational training', async () => {
    await schoolA1.post(`/api/dropout/cases/${otherCase}/confirm`, { on: '2026-10-09' });
    const res = await schoolA1.post(`/api/dropout/cases/${otherCase}/outcome`, {
      outcome: 'vocationalTraining',
      on: '2026-11-24',
      note: '县职教中心短期培训',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await studentStatus(s.poor!)).toBe('dropped_out');
  });
});

describe('动态清零 dashboard', () => {
  it('counts by town and school and drills down to the cases', async () => {
    const res = await adminA.get(`/api/dropout/dashboard?under=${world.countyA.id}&date=2026-11-26`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<Dashboard>();
    expect(d.total).toMatchObject({ openCases: 1, returnedThisTerm: 1, medianDaysToReturn: 48 });
    const a1 = d.rows.find((r) => r.id === world.schoolA1.id)!;
    expect(a1).toMatchObject({ level: 'school', openCases: 1, returnedThisTerm: 1 });
    expect(d.rows.some((r) => r.level === 'town')).toBe(true);
    expect(d.trend).toHaveLength(12);
    const board = (
      await adminA.get(
        `/api/dropout/board?under=${world.schoolA1.id}&metric=returnedThisTerm&date=2026-11-26`,
      )
    ).json<CaseBoardPage>();
    expect(board.items.map((i) => i.id)).toEqual([caseId]);
    const city = (await adminA.get(`/api/dropout/dashboard?date=2026-11-26`)).json<Dashboard>();
    expect(city.unit.id).toBe(world.countyA.id);
  });

  it('a poverty-household dropout shows red', async () => {
    // The vocational-training case awaits verification: still open, the student still 辍学.
    const d = (
      await adminA.get(`/api/dropout/dashboard?under=${world.countyA.id}&date=2026-11-26`)
    ).json<Dashboard>();
    expect(d.total.povertyDropouts).toBe(1);
    const board = (
      await adminA.get(`/api/dropout/board?metric=povertyDropouts&date=2026-11-26`)
    ).json<CaseBoardPage>();
    expect(board.items.map((i) => i.id)).toEqual([otherCase]);
  });

  it('dismisses a suspected case with a reason', async () => {
    const st = await createStudent(
      t.ctx,
      sys,
      { schoolId: world.schoolA1.id, name: '误报生', sex: 'M', birthDate: '2016-01-01', grade: 4 },
      origin,
    );
    const id = randomUUID();
    await t.ctx.db
      .insertInto('dropout_case')
      .values({
        id,
        student_id: st.id,
        school_id: world.schoolA1.id,
        county_code: '220302',
        reason: 'noAttendance',
        detected_on: '2026-11-20',
      })
      .execute();
    const res = await schoolA1.post(`/api/dropout/cases/${id}/dismiss`, {
      reason: '班级考勤漏报，已核实在校',
    });
    expect(res.json<CaseDetail>()).toMatchObject({ status: 'closed', closeReason: 'dismissed' });
  });
});

describe('lists for everyone', () => {
  it('answer every reader, and a sibling school sees none of A1’s cases', async () => {
    for (const url of [
      '/api/dropout/board?pageSize=500',
      '/api/dropout/population-lists',
      '/api/dropout/cases?pageSize=500',
      '/api/dropout/dashboard',
    ]) {
      for (const client of [schoolA2, teacherA1, adminB]) {
        const res = await client.get(url);
        expect(res.statusCode, `${url} ${res.body}`).toBe(200);
      }
      expect((await schoolA2.get(url)).body).not.toContain(caseId);
    }
  });
});

describe('ledgers, reports and data signs', () => {
  it('exports the 辍学学生台账 in the bureau layout, phones masked, audited', async () => {
    const res = await adminA.get(`/api/dropout/ledgers/dropout?under=${world.countyA.id}`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell(1, 1).text).toBe('铁西区教育局辍学学生台账');
    expect(ws.getCell(2, 1).text).toContain('填报单位：铁西区教育局');
    expect(ws.getRow(3).values).toContain('政府线责任人');
    const names = [4, 5].map((r) => ws.getRow(r).getCell(4).text);
    expect(names.sort()).toEqual(['学生away', '学生poor']);
    const text = JSON.stringify(ws.getSheetValues());
    expect(text).toContain('136****4444');
    expect(text).not.toContain('13600004444');
    expect((await auditEvents(t.ctx, 'export')).some((e) => e.object_type === 'dropout_ledger.dropout')).toBe(
      true,
    );
    expectError(await adminB.get(`/api/dropout/ledgers/dropout?under=${world.countyA.id}`), 404, 'NOT_FOUND');
    expectError(await adminA.get(`/api/dropout/ledgers/schoolAge`), 400, 'NO_POPULATION_LIST');
  });

  it('knows who has not reported, and flags a report that differs from the rows', async () => {
    expectError(
      await schoolA1.post('/api/dropout/reports', {
        unitId: world.schoolA1.id,
        period: '2026-Q3',
        figures: { sheets: 3, unexcused: 6, dropouts: 0 },
      }),
      400,
      'REPORT_PERIOD_KIND',
    );
    const res = await schoolA1.post('/api/dropout/reports', {
      unitId: world.schoolA1.id,
      period: '2026-09',
      figures: { sheets: 2, unexcused: 2, dropouts: 0 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const status = (
      await adminA.get(`/api/dropout/reports?under=${world.countyA.id}&period=2026-09`)
    ).json<ReportStatus>();
    expect(status.dueOn).toBe('2026-10-05');
    expect(status.units.map((u) => [u.name, u.reported, u.overdue])).toEqual([
      ['铁西区实验小学', true, false],
      ['铁西区第二小学', false, true],
    ]);
    expect(status.units[0]!.computed).toEqual({ sheets: 2, unexcused: 4, dropouts: 0 });
    const d = (
      await adminA.get(`/api/dropout/dashboard?under=${world.countyA.id}&date=2026-10-09`)
    ).json<Dashboard>();
    expect(d.signs.map((x) => x.kind).sort()).toEqual(['identicalSheets', 'reportMismatch']);
  });
});

describe('running the detection now', () => {
  it('is for the city only', async () => {
    expectError(await adminA.post('/api/dropout/scan', { date: '2026-10-09' }), 403, 'FORBIDDEN');
    const city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
    const res = await city.post('/api/dropout/scan', { date: '2026-10-09' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ date: string }>().date).toBe('2026-10-09');
    expectError(await city.post('/api/dropout/scan', { date: '2099-01-01' }), 400, 'DATE_IN_FUTURE');
  });
});
