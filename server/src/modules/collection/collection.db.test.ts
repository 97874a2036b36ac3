/**
 * 数据填报 end to end through the API: pre-fill from the registry, rules on save and submit (errors block,
 * warnings need an explanation), bottom-up approval (county approves, city accepts only when every school is
 * approved), locking, audited reopen, the progress board, the validation run, import, indicators (Σ/Σ) and
 * the county coefficients from stored figures equal to the calculator on the same figures.
 */
import {
  aggregateRatio,
  type BalanceStoredResult,
  type EntryView,
  type FormDetail,
  type ImportResult,
  type Indicator,
  type IndicatorValue,
  type ProgressBoard,
  type Violation,
} from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectError, expectUnchanged } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { issueApiToken } from '../../platform/auth/api-tokens.js';
import { computeBalance } from '../balance/balance.engine.js';
import { parseBalanceRows } from '../balance/balance.table.js';
import { createClass, createStudent, currentSchoolYear } from '../students/students.service.js';
import { runValidation } from './collection.board.js';
import { seedCollectionDemo } from './collection.demo.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let school1: Client;
let school2: Client;
let form: FormDetail;
const P = '2026';
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };

/** A1: 3 pupils in the registry (grade 3); 100 reported. A2: 300. */
const figures = (students: number, area: number, extra: Record<string, number> = {}) => ({
  STUDENTS: students,
  STUDENTS_PRIMARY: students,
  STUDENTS_JUNIOR: 0,
  STUDENTS_SENIOR: 0,
  TEACHERS: Math.round(students / 15),
  QUALIFIED_TEACHERS: Math.round(students / 20),
  BACKBONE_TEACHERS: Math.round(students / 90),
  ARTS_PE_TEACHERS: Math.round(students / 100),
  SENIOR_TITLE_TEACHERS: Math.round(students / 30),
  BUILDING_AREA: area,
  SPORTS_AREA: area * 1.5,
  EQUIPMENT_VALUE: students * 2100,
  BOOKS: students * 30,
  COMPUTERS: Math.round(students / 8),
  MULTIMEDIA_ROOMS: Math.round(students / 40),
  ...extra,
});
const key = (unitId: string) => ({ formId: form.form.id, unitId, period: P });
const entryUrl = (unitId: string) =>
  `/api/collection/entry?formId=${form.form.id}&unitId=${unitId}&period=${P}`;

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  city = await loginAs(app, u.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  school1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  school2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  const forms = (await school1.get('/api/collection/forms')).json<{ id: string; code: string }[]>();
  const id = forms.find((f) => f.code === 'SCHOOL_ANNUAL')!.id;
  form = (await school1.get(`/api/collection/forms/${id}`)).json<FormDetail>();
  // the registry of A1: one class of 3 pupils in grade 3
  const cls = await createClass(
    t.ctx,
    sys,
    { schoolId: world.schoolA1.id, schoolYear: P, grade: 3, name: '1班' },
    origin,
  );
  for (const n of [1, 2, 3])
    await createStudent(
      t.ctx,
      sys,
      {
        schoolId: world.schoolA1.id,
        classId: cls.id,
        name: `预填学生${n}`,
        sex: 'F',
        birthDate: '2017-05-0' + n,
      },
      origin,
    );
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const rule = (name: string) => form.rules.find((r) => r.name === name)!;

describe('entry', () => {
  it('pre-fills from the registry and marks what came from it', async () => {
    const view = (await school1.get(entryUrl(world.schoolA1.id))).json<EntryView>();
    expect(view.status).toBe('not_started');
    expect(view.prefill).toMatchObject({ STUDENTS: 3, STUDENTS_PRIMARY: 3, STUDENTS_G3: 3, CLASSES: 1 });
    expect(view.registry['reg.students']).toBe(3);
    const saved = await school1.request('PUT', '/api/collection/entry', {
      ...key(world.schoolA1.id),
      values: { STUDENTS_G3: 3, CLASSES: 1, TEACHERS: 10 },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json<EntryView>().prefilled.sort()).toEqual(['CLASSES', 'STUDENTS_G3']);
    expect(saved.json<EntryView>().status).toBe('draft');
  });

  it('refuses bad values, unknown codes and a sibling school', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await school1.request('PUT', '/api/collection/entry', {
          ...key(world.schoolA1.id),
          values: { TEACHERS: 2.5 },
        }),
        400,
        'COLLECTION_BAD_VALUE',
      );
      expectError(
        await school1.request('PUT', '/api/collection/entry', {
          ...key(world.schoolA1.id),
          values: { NOPE: 1 },
        }),
        400,
        'COLLECTION_BAD_VALUE',
      );
      expectError(
        await school1.request('PUT', '/api/collection/entry', {
          ...key(world.schoolA2.id),
          values: { TEACHERS: 1 },
        }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await school1.request('PUT', '/api/collection/entry', {
          ...key(world.schoolA1.id),
          period: '2026Q1',
          values: {},
        }),
        400,
        'COLLECTION_BAD_PERIOD',
      );
    });
  });

  it('blocks submission on an error rule and asks for an explanation of a warning', async () => {
    const bad = await school1.request('POST', '/api/collection/entry/submit', {
      ...key(world.schoolA1.id),
      values: figures(100, 600, { ARTS_PE_TEACHERS: 50, TEACHERS: 7 }),
    });
    const body = expectError(bad, 400, 'COLLECTION_RULE_ERRORS');
    expect(body.details!.map((d) => d.path)).toContain(rule('体育艺术专任教师不超过专任教师').id);
    // 100 reported, 3 in the registry: the warning needs a word
    const warn = await school1.request('POST', '/api/collection/entry/submit', {
      ...key(world.schoolA1.id),
      values: figures(100, 600),
    });
    expect(expectError(warn, 400, 'COLLECTION_EXPLAIN_WARNINGS').details![0]!.path).toBe(
      rule('在校生数与学籍一致').id,
    );
    const ok = await school1.request('POST', '/api/collection/entry/submit', {
      ...key(world.schoolA1.id),
      values: figures(100, 600),
      explanations: { [rule('在校生数与学籍一致').id]: '学籍系统尚未导入全部学生' },
    });
    expect(ok.statusCode).toBe(200);
    const v = ok.json<EntryView>();
    expect(v.status).toBe('submitted');
    expect(v.results.find((r) => r.name === '在校生数与学籍一致')!.outcome).toBe('fail');
    expect(v.can.edit).toBe(false);
  });

  it('refuses edits once submitted', async () => {
    expectError(
      await school1.request('PUT', '/api/collection/entry', {
        ...key(world.schoolA1.id),
        values: figures(100, 600),
      }),
      409,
      'COLLECTION_SUBMITTED',
    );
  });
});

describe('approval', () => {
  let sub1: string;
  let sub2: string;
  it('lets only the level above approve, and locks approved figures', async () => {
    sub1 = (await adminA.get(entryUrl(world.schoolA1.id))).json<EntryView>().id!;
    expectError(await school1.post(`/api/collection/submissions/${sub1}/approve`), 403, 'FORBIDDEN');
    expectError(await adminB.post(`/api/collection/submissions/${sub1}/approve`), 404, 'NOT_FOUND');
    const ok = await adminA.post(`/api/collection/submissions/${sub1}/approve`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<EntryView>()).toMatchObject({ status: 'approved', locked: true });
    const locked = await school1.request('PUT', '/api/collection/entry', {
      ...key(world.schoolA1.id),
      values: figures(100, 700),
    });
    expect(expectError(locked, 409, 'COLLECTION_LOCKED').message).toMatch(/锁定/);
    expectError(
      await adminA.post(`/api/collection/submissions/${sub1}/approve`),
      409,
      'COLLECTION_BAD_STATUS',
    );
  });

  it('returns with a reason; the school corrects and resubmits', async () => {
    const saved = await school2.request('POST', '/api/collection/entry/submit', {
      ...key(world.schoolA2.id),
      values: figures(300, 900),
      explanations: { [rule('在校生数与学籍一致').id]: '学籍未录入' },
    });
    expect(saved.statusCode).toBe(200);
    sub2 = saved.json<EntryView>().id!;
    expectError(
      await adminA.post(`/api/collection/submissions/${sub2}/return`, { reason: '' }),
      400,
      'VALIDATION',
    );
    const back = await adminA.post(`/api/collection/submissions/${sub2}/return`, {
      reason: '图书册数请核实',
    });
    expect(back.json<EntryView>()).toMatchObject({ status: 'returned', returnReason: '图书册数请核实' });
    const again = await school2.request('POST', '/api/collection/entry/submit', {
      ...key(world.schoolA2.id),
      values: figures(300, 900),
      explanations: { [rule('在校生数与学籍一致').id]: '学籍未录入' },
    });
    expect(again.json<EntryView>().status).toBe('submitted');
  });

  it('shows who waits for whom', async () => {
    const board = (
      await city.get(`/api/collection/progress?formId=${form.form.id}&period=${P}&unitId=${world.city.id}`)
    ).json<ProgressBoard>();
    const a = board.counties.find((c) => c.countyId === world.countyA.id)!;
    expect(a.counts).toMatchObject({ approved: 1, submitted: 1 });
    expect(a.readyForCity).toBe(false);
    const row = (id: string) => board.units.find((u) => u.unitId === id)!;
    expect(row(world.schoolA2.id).waitingFor).toBe('county');
    expect(row(world.schoolA1.id).waitingFor).toBe('city');
    expect(row(world.schoolB1.id)).toMatchObject({ status: 'not_started', waitingFor: 'school' });
    // county B sees nothing of A
    const b = (
      await adminB.get(
        `/api/collection/progress?formId=${form.form.id}&period=${P}&unitId=${world.countyB.id}`,
      )
    ).json<ProgressBoard>();
    expect(b.units.map((u) => u.unitId)).toEqual([world.schoolB1.id]);
  });

  it('lets the city accept a county only when every school is approved', async () => {
    const body = { formId: form.form.id, countyId: world.countyA.id, period: P };
    expectError(await city.post('/api/collection/accept', body), 409, 'COLLECTION_NOT_ALL_APPROVED');
    expectError(await adminA.post('/api/collection/accept', body), 403, 'FORBIDDEN');
    await adminA.post(`/api/collection/submissions/${sub2}/approve`);
    const ok = await city.post('/api/collection/accept', body);
    expect(ok.json()).toEqual({ accepted: 2 });
    expect((await school2.get(entryUrl(world.schoolA2.id))).json<EntryView>().status).toBe('accepted');
  });

  it('reopens only with a reason, by the level that signed off, audited', async () => {
    expectError(
      await adminA.post(`/api/collection/submissions/${sub1}/reopen`, { reason: '发现错误' }),
      403,
      'FORBIDDEN',
    );
    expectError(await city.post(`/api/collection/submissions/${sub1}/reopen`, {}), 400, 'VALIDATION');
    const ok = await city.post(`/api/collection/submissions/${sub1}/reopen`, { reason: '教学用房面积填错' });
    expect(ok.json<EntryView>()).toMatchObject({
      status: 'returned',
      returnReason: '教学用房面积填错',
      locked: false,
    });
    // the county's acceptance is withdrawn; A2 stays approved
    expect((await school2.get(entryUrl(world.schoolA2.id))).json<EntryView>().status).toBe('approved');
    const audit = await t.ctx.db
      .selectFrom('audit_event')
      .select(['action', 'after'])
      .where('object_id', '=', sub1)
      .where('action', '=', 'collection.reopen')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ status: 'returned', returnReason: '教学用房面积填错' });
    // A1 corrects and the county approves again
    await school1.request('POST', '/api/collection/entry/submit', {
      ...key(world.schoolA1.id),
      values: figures(100, 600),
      explanations: { [rule('在校生数与学籍一致').id]: '学籍系统尚未导入全部学生' },
    });
    expect((await adminA.post(`/api/collection/submissions/${sub1}/approve`)).statusCode).toBe(200);
  });
});

describe('results, import, indicators, balance', () => {
  it('stores the validation run over everything and lists failing rules', async () => {
    const run = await runValidation(t.ctx, { formId: form.form.id, period: P });
    expect(run.checked).toBe(2);
    const list = (
      await adminA.get(
        `/api/collection/violations?formId=${form.form.id}&period=${P}&unitId=${world.countyA.id}`,
      )
    ).json<Violation[]>();
    expect(list.map((v) => [v.unitName, v.result.name, v.explanation])).toContainEqual([
      '铁西区实验小学',
      '在校生数与学籍一致',
      '学籍系统尚未导入全部学生',
    ]);
  });

  it('imports one row per school through the import engine', async () => {
    const csv =
      '学校名称,专任教师数,教学及辅助用房面积,图书册数,是否有独立图书室\r\n铁东区实验小学,20,"1,500",9000,是\r\n不存在的学校,1,1,1,否\r\n';
    const res = await adminB.request(
      'POST',
      `/api/collection/import?formId=${form.form.id}&unitId=${world.countyB.id}&period=${P}`,
      Buffer.from(csv),
      {
        'content-type': 'application/octet-stream',
        'x-file-name': 'b.csv',
      },
    );
    expect(res.statusCode).toBe(200);
    const r = res.json<ImportResult>();
    expect(r.saved).toBe(1);
    expect(r.skipped.map((s) => s.name)).toEqual(['不存在的学校']);
    const v = (await adminB.get(entryUrl(world.schoolB1.id))).json<EntryView>();
    expect(v.values).toMatchObject({ TEACHERS: 20, BUILDING_AREA: 1500, BOOKS: 9000, HAS_LIBRARY: true });
    expect(v.status).toBe('draft');
  });

  it('aggregates an indicator as Σ numerator / Σ denominator, with drill-down', async () => {
    const list = (await adminA.get('/api/collection/indicators')).json<Indicator[]>();
    const ind = list.find((i) => i.code === 'BUILDING_AREA_PS')!;
    const res = (
      await adminA.get(
        `/api/collection/indicator-values?indicatorId=${ind.id}&unitId=${world.countyA.id}&period=${P}`,
      )
    ).json<IndicatorValue>();
    // A1 600 m² / 100 pupils = 6, A2 900 / 300 = 3: Σ/Σ = 1500 / 400 = 3.75; the mean of ratios would be 4.5
    expect(res).toMatchObject({ numerator: 1500, denominator: 400, value: 3.75, reporting: 2, expected: 2 });
    expect(res.children.map((c) => [c.unitName, c.value])).toEqual([
      ['铁西区第二小学', 3],
      ['铁西区实验小学', 6],
    ]);
    const cityView = (
      await city.get(
        `/api/collection/indicator-values?indicatorId=${ind.id}&unitId=${world.city.id}&period=${P}&approvedOnly=true`,
      )
    ).json<IndicatorValue>();
    expect(cityView.value).toBe(3.75);
    expect(cityView.children.find((c) => c.unitId === world.countyA.id)!.value).toBe(3.75);
    expectError(
      await adminB.get(
        `/api/collection/indicator-values?indicatorId=${ind.id}&unitId=${world.countyA.id}&period=${P}`,
      ),
      404,
      'NOT_FOUND',
    );
  });

  it('aggregateRatio is Σ/Σ, never the mean of ratios', () => {
    const parts = [
      { numerator: 600, denominator: 100 },
      { numerator: 900, denominator: 300 },
      { numerator: null, denominator: 50 },
    ];
    const a = aggregateRatio(parts, 1);
    expect(a).toEqual({ numerator: 1500, denominator: 400, value: 3.75, reporting: 2 });
    const meanOfRatios = (600 / 100 + 900 / 300) / 2;
    expect(a.value).not.toBeCloseTo(meanOfRatios, 3);
  });

  it('computes the county coefficients from stored figures exactly as the calculator does', async () => {
    const stored = (
      await adminA.get(`/api/balance/stored?countyId=${world.countyA.id}&period=${P}`)
    ).json<BalanceStoredResult>();
    expect(stored.schoolsCounted).toBe(2);
    const row = (name: string, f: ReturnType<typeof figures>) =>
      [
        name,
        '小学',
        f.STUDENTS,
        f.BOOKS,
        f.BUILDING_AREA,
        f.SPORTS_AREA,
        f.EQUIPMENT_VALUE,
        f.COMPUTERS,
        f.MULTIMEDIA_ROOMS,
        f.TEACHERS,
        f.QUALIFIED_TEACHERS,
        f.BACKBONE_TEACHERS,
        f.ARTS_PE_TEACHERS,
        f.SENIOR_TITLE_TEACHERS,
      ].map(String);
    const table = parseBalanceRows(
      [
        [
          '学校名称',
          '学段',
          '在校生数',
          '图书册数',
          '教学及辅助用房面积',
          '体育运动场馆面积',
          '教学仪器设备值',
          '计算机台数',
          '网络多媒体教室数',
          '专任教师数',
          '高于规定学历教师数',
          '县级以上骨干教师数',
          '体育艺术专任教师数',
          '中级及以上职称教师数',
        ],
        row('铁西区第二小学', figures(300, 900)),
        row('铁西区实验小学', figures(100, 600)),
      ],
      null,
    );
    const calc = computeBalance(table);
    const coefficients = (r: {
      stages: {
        stage: string;
        quality: { indicators: { key: string; cv: number | null; countyValue: number | null }[] };
      }[];
    }) => r.stages.map((s) => [s.stage, s.quality.indicators.map((i) => [i.key, i.countyValue, i.cv])]);
    expect(coefficients(stored)).toEqual(coefficients(calc));
    const area = stored.stages[0]!.quality.indicators.find((i) => i.key === 'buildingArea')!;
    expect(area.countyValue).toBe(3.75);
    // X̄ = 3.75; D = 0.25·(6 − 3.75)² + 0.75·(3 − 3.75)² = 1.6875; CV = √1.6875 / 3.75
    expect(area.cv).toBeCloseTo(Math.sqrt(1.6875) / 3.75, 5);
    // before approval nothing counts; with approvedOnly=false submitted figures count and are flagged
    const b = (
      await adminB.get(`/api/balance/stored?countyId=${world.countyB.id}&period=${P}&approvedOnly=false`)
    ).json<BalanceStoredResult>();
    expect(b.schoolsCounted).toBe(0);
    expect(b.notCounted.map((n) => n.status)).toEqual(['draft']);
    expectError(
      await adminB.get(`/api/balance/stored?countyId=${world.countyA.id}&period=${P}`),
      404,
      'NOT_FOUND',
    );
  });
});

describe('definitions', () => {
  it('lets the city edit rules and refuses unknown codes; counties may not', async () => {
    const body = {
      formId: form.form.id,
      name: '计算机不少于多媒体教室',
      left: 'COMPUTERS',
      operator: '>=',
      right: 'MULTIMEDIA_ROOMS',
      missing: 'skip_if_any_missing',
      importance: 'warning',
      message: '',
    };
    expectError(
      await city.post('/api/collection/rules', { ...body, left: 'COMPUTRES' }),
      400,
      'COLLECTION_BAD_EXPRESSION',
    );
    expectError(await adminA.post('/api/collection/rules', body), 403, 'FORBIDDEN');
    const ok = await city.post('/api/collection/rules', body);
    expect(ok.statusCode).toBe(201);
  });
});

describe('API entry and the demo', () => {
  it('takes a school system’s figures with an API token; another school’s is 404', async () => {
    const { token } = await issueApiToken(t.ctx.db, {
      userId: world.users.schoolAdminB1.id,
      name: 'B1 统计系统',
      days: null,
      createdBy: world.users.adminB.id,
    });
    const put = (unitId: string) =>
      app.inject({
        method: 'PUT',
        url: '/api/collection/entry',
        headers: { authorization: `Bearer ${token}` },
        payload: { formId: form.form.id, unitId, period: '2025', values: { TEACHERS: 18, BOOKS: 7000 } },
      });
    const ok = await put(world.schoolB1.id);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<EntryView>()).toMatchObject({ status: 'draft', values: { TEACHERS: 18, BOOKS: 7000 } });
    expectError(await put(world.schoolA1.id), 404, 'NOT_FOUND');
  });

  it('seeds a mix of statuses once, and is a no-op the second time', async () => {
    await t.ctx.db.deleteFrom('collection_acceptance').execute();
    await t.ctx.db.deleteFrom('data_submission').execute();
    const first = await seedCollectionDemo(t.ctx, { seed: 1, scale: 'small' });
    // three schools: last year accepted for each, this year for all but each county's first school
    expect(first.submissions).toBeGreaterThanOrEqual(4);
    const rows = await t.ctx.db
      .selectFrom('data_submission')
      .select(['period', 'status', 'unit_id'])
      .execute();
    expect(rows.filter((r) => r.status === 'accepted').length).toBeGreaterThanOrEqual(3);
    expect(
      rows.some((r) => r.unit_id === world.schoolA1.id && r.period !== String(currentSchoolYear() - 1)),
    ).toBe(false);
    expect(await seedCollectionDemo(t.ctx, { seed: 1, scale: 'small' })).toEqual({ submissions: 0 });
  });
});
