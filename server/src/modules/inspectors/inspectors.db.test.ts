import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Coverage,
  InspectorDetail,
  InspectorPage,
  InspectorSettings,
  OpinionDetail,
  Plaque,
  VisitDetail,
  VisitPage,
} from '@dudao/contracts';
import { systemActor } from '../../platform/access/actor.js';
import { previousTerm, termOf } from '../../platform/calendar/terms.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { startRectification, submitRectification, verifyFinding } from '../findings/findings.service.js';
import { makeInspector, TINY_PNG } from './inspectors.fixtures.js';
import { expectedBy } from './inspectors.coverage.service.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let inspector: Client;
let adminA: Client;
let school1: Client;
let school2: Client;
const today = chinaToday();
const year = Number(today.slice(0, 4));
const sys = { actor: systemActor('test'), ip: null, requestId: null };

const put = (c: Client, url: string, body: unknown) => c.request('PUT', url, body);

async function upload(c: Client, unitId: string): Promise<string> {
  const res = await c.request('POST', `/api/files?unitId=${unitId}`, TINY_PNG, {
    'content-type': 'application/octet-stream',
    'x-file-name': 'photo.png',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

function visitBody(schoolId: string, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    schoolId,
    visitDate: today,
    items: [
      { item: 'curriculum', result: 'ok', notes: '按国家课程方案开齐开足课程' },
      {
        item: 'canteen_dorm',
        result: 'problem',
        notes: '食堂留样记录不全\n缺少 11 月 20 日午餐留样',
        severity: 'major',
      },
    ],
    methods: ['lesson_observation', 'site_inspection'],
    summary: '第一次经常性督导。\n总体情况良好。',
    ...extra,
  };
}

async function postVisit(c: Client, body: Record<string, unknown>) {
  return c.post('/api/inspectors/visits', body);
}

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  inspector = await loginAs(app, world.users.inspectorA.username, PASSWORD);
  adminA = await loginAs(app, world.users.adminA.username, PASSWORD);
  school1 = await loginAs(app, world.users.schoolAdminA1.username, PASSWORD);
  school2 = await loginAs(app, world.users.schoolAdminA2.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

describe('visits', () => {
  it('records a visit whose problems become findings in the ledger, linked back to the visit', async () => {
    const photo = await upload(inspector, world.schoolA1.id);
    const body = visitBody(world.schoolA1.id);
    (body.items[1] as Record<string, unknown>).fileIds = [photo];
    const res = await postVisit(inspector, body);
    expect(res.statusCode, res.body).toBe(201);
    const visit = res.json<VisitDetail>();
    expect(visit).toMatchObject({
      id: body.id,
      schoolId: world.schoolA1.id,
      inspectorId: world.users.inspectorA.id,
      bureauId: world.countyA.id,
      termId: termOf(today).id,
      itemCount: 2,
      problemCount: 1,
      findings: { found: 1, open: 1, closed: 0 },
      summary: '第一次经常性督导。\n总体情况良好。',
    });
    const problem = visit.items.find((i) => i.item === 'canteen_dorm')!;
    expect(problem.fileIds).toEqual([photo]);
    expect(problem.finding).toMatchObject({ severity: 'major', title: '食堂、饮水、宿舍：食堂留样记录不全' });
    expect(visit.items.find((i) => i.item === 'curriculum')!.finding).toBeNull();

    const rows = await t.ctx.db.selectFrom('finding').selectAll().where('source_id', '=', body.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: problem.finding!.id,
      source: 'inspector_visit',
      source_type: 'inspector_visit',
      category: 'canteen_dorm',
      unit_id: world.schoolA1.id,
      raised_by_unit_id: world.countyA.id,
      raised_by: world.users.inspectorA.id,
      file_ids: [photo],
      description: '食堂留样记录不全\n缺少 11 月 20 日午餐留样',
    });
    // The school sees its visit, and the finding through the ledger's link back.
    const list = await school1.get(`/api/inspectors/visits?schoolId=${world.schoolA1.id}`);
    expect(list.json<VisitPage>().items.map((v) => v.id)).toEqual([body.id]);
    const ledger = await school1.get(`/api/findings?sourceType=inspector_visit&sourceId=${body.id}`);
    expect(ledger.statusCode, ledger.body).toBe(200);
    expect(ledger.json<{ items: { id: string }[] }>().items.map((f) => f.id)).toEqual([problem.finding!.id]);
    expect((await auditEvents(t.ctx, 'inspector.visit.create')).map((e) => e.object_id)).toContain(body.id);
  });

  it('answers a retried submission with the visit already recorded (one visit, one finding)', async () => {
    const body = visitBody(world.schoolA1.id);
    const first = await postVisit(inspector, body);
    expect(first.statusCode).toBe(201);
    const again = await expectUnchanged(t.ctx, () => postVisit(inspector, body));
    expect(again.statusCode).toBe(200);
    expect(again.json<VisitDetail>().id).toBe(body.id);
    const n = await t.ctx.db
      .selectFrom('finding')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('source_id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(n.n).toBe(1);
    // The same id for another school is refused.
    expectError(
      await expectUnchanged(t.ctx, () => postVisit(adminA, { ...body, schoolId: world.schoolA2.id })),
      409,
      'VISIT_ID_TAKEN',
    );
  });

  it('refuses a school not assigned to the inspector (404) and a school admin (403), changing nothing', async () => {
    expectError(
      await expectUnchanged(t.ctx, () => postVisit(inspector, visitBody(world.schoolA2.id))),
      404,
      'NOT_FOUND',
    );
    expectError(
      await expectUnchanged(t.ctx, () => postVisit(inspector, visitBody(world.schoolB1.id))),
      404,
      'NOT_FOUND',
    );
    expectError(
      await expectUnchanged(t.ctx, () => postVisit(school1, visitBody(world.schoolA1.id))),
      403,
      'FORBIDDEN',
    );
  });

  it('refuses bad input with 400 and a code, changing nothing', async () => {
    const a1 = world.schoolA1.id;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...visitBody(a1), summary: '' }, 'VALIDATION'],
      [{ ...visitBody(a1), summary: '<script>alert(1)</script>' }, 'VALIDATION'],
      [{ ...visitBody(a1), methods: [] }, 'VALIDATION'],
      [{ ...visitBody(a1), items: [{ item: 'nonsense', result: 'ok' }] }, 'VALIDATION'],
      [{ ...visitBody(a1), id: 'not-a-uuid' }, 'VALIDATION'],
      [{ ...visitBody(a1), extra: 1 }, 'VALIDATION'],
      [{ ...visitBody(a1), visitDate: addDays(today, 1) }, 'VISIT_DATE_FUTURE'],
      [{ ...visitBody(a1), visitDate: addDays(today, -400) }, 'VISIT_DATE_TOO_OLD'],
      [{ ...visitBody(a1), deadline: addDays(today, -1) }, 'VISIT_DEADLINE_PAST'],
      [
        {
          ...visitBody(a1),
          items: [
            { item: 'ethos', result: 'ok' },
            { item: 'ethos', result: 'problem', notes: 'x' },
          ],
        },
        'VISIT_ITEM_REPEATED',
      ],
      [{ ...visitBody(a1), items: [{ item: 'ethos', result: 'problem' }] }, 'VISIT_PROBLEM_DESCRIPTION'],
      [
        {
          ...visitBody(a1),
          items: [{ item: 'ethos', result: 'problem', notes: '问题', fileIds: [randomUUID()] }],
        },
        'FILE_UNKNOWN',
      ],
    ];
    for (const [body, code] of cases) {
      const res = await expectUnchanged(t.ctx, () => postVisit(inspector, body));
      expectError(res, 400, code);
    }
    // A photo of another school cannot be attached.
    const other = await upload(adminA, world.schoolA2.id);
    const res = await expectUnchanged(t.ctx, () =>
      postVisit(inspector, {
        ...visitBody(a1),
        items: [{ item: 'ethos', result: 'problem', notes: '问题', fileIds: [other] }],
      }),
    );
    expectError(res, 400, 'FILE_UNKNOWN');
  });

  it('lets the bureau record a visit for an assigned inspector, and only for one', async () => {
    const body = visitBody(world.schoolA1.id, { inspectorId: world.users.inspectorA.id });
    const res = await postVisit(adminA, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<VisitDetail>()).toMatchObject({
      inspectorId: world.users.inspectorA.id,
      recordedByName: '测试aadmin',
    });
    expectError(
      await expectUnchanged(t.ctx, () =>
        postVisit(adminA, visitBody(world.schoolA2.id, { inspectorId: world.users.inspectorA.id })),
      ),
      400,
      'VISIT_INSPECTOR_NOT_ASSIGNED',
    );
    expectError(
      await expectUnchanged(t.ctx, () =>
        postVisit(adminA, visitBody(world.schoolA1.id, { inspectorId: world.users.teacherA1.id })),
      ),
      400,
      'NOT_AN_INSPECTOR',
    );
  });
});

describe('督导意见书', () => {
  let visitId: string;
  let findingId: string;
  let opinionId: string;

  beforeAll(async () => {
    const body = visitBody(world.schoolA1.id);
    const v = (await postVisit(inspector, body)).json<VisitDetail>();
    visitId = v.id;
    findingId = v.items.find((i) => i.finding)!.finding!.id;
  });

  it('is numbered per county and year, and lists the visit’s findings', async () => {
    const res = await inspector.post(`/api/inspectors/visits/${visitId}/opinion`, {
      content: '食堂留样制度执行不到位。',
      requirements: '完善留样制度，专人负责。',
      deadline: addDays(today, 15),
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json<OpinionDetail>();
    opinionId = o.id;
    expect(o).toMatchObject({
      no: `铁西区督意〔${year}〕1号`,
      state: 'rectifying',
      status: 'issued',
      findingCount: 1,
      openFindings: 1,
      school: { id: world.schoolA1.id, name: '铁西区实验小学' },
      can: { report: false, verify: false },
    });
    expect(o.findings.map((f) => f.id)).toEqual([findingId]);
    // A second opinion on the same visit is refused; another visit's gets the next number.
    expectError(
      await expectUnchanged(t.ctx, () =>
        inspector.post(`/api/inspectors/visits/${visitId}/opinion`, {
          content: '再次',
          deadline: addDays(today, 15),
        }),
      ),
      409,
      'OPINION_EXISTS',
    );
    const other = (await postVisit(inspector, visitBody(world.schoolA1.id))).json<VisitDetail>();
    const second = await inspector.post(`/api/inspectors/visits/${other.id}/opinion`, {
      content: '第二份',
      deadline: addDays(today, 15),
    });
    expect(second.json<OpinionDetail>().no).toBe(`铁西区督意〔${year}〕2号`);
    // County B numbers on its own.
    const b = await makeInspector(t.ctx, 'b.inspector', world.countyB.id, [world.schoolB1.id], PASSWORD);
    const bClient = await loginAs(app, 'b.inspector', PASSWORD);
    const bVisit = (await postVisit(bClient, visitBody(world.schoolB1.id))).json<VisitDetail>();
    expect(bVisit.inspectorId).toBe(b);
    const bOpinion = await bClient.post(`/api/inspectors/visits/${bVisit.id}/opinion`, {
      content: '铁东区意见',
      deadline: addDays(today, 10),
    });
    expect(bOpinion.json<OpinionDetail>().no).toBe(`铁东区督意〔${year}〕1号`);
    const counters = await t.ctx.db
      .selectFrom('doc_counter')
      .select(['unit_id', 'last'])
      .where('kind', '=', 'inspector_opinion')
      .orderBy('last')
      .execute();
    expect(counters).toEqual([
      { unit_id: world.countyB.id, last: 1 },
      { unit_id: world.countyA.id, last: 2 },
    ]);
  });

  it('refuses bad opinions with 400 and a code, and other people with 403/404', async () => {
    const v = (await postVisit(inspector, visitBody(world.schoolA1.id))).json<VisitDetail>();
    const url = `/api/inspectors/visits/${v.id}/opinion`;
    for (const [body, code] of [
      [{ content: '', deadline: addDays(today, 5) }, 'VALIDATION'],
      [{ content: '意见', deadline: 'tomorrow' }, 'VALIDATION'],
      [{ content: '意见', deadline: addDays(today, -1) }, 'OPINION_DEADLINE_PAST'],
      [{ content: '意见', deadline: addDays(today, 5), findingIds: [findingId] }, 'OPINION_FINDING_UNKNOWN'],
    ] as const)
      expectError(await expectUnchanged(t.ctx, () => inspector.post(url, body)), 400, code);
    const ok = { content: '意见', deadline: addDays(today, 5) };
    expectError(await expectUnchanged(t.ctx, () => school1.post(url, ok)), 403, 'FORBIDDEN');
    expectError(await expectUnchanged(t.ctx, () => school2.post(url, ok)), 404, 'NOT_FOUND');
  });

  it('goes round the report / return / report / accept loop, and is done when its findings are closed', async () => {
    const url = `/api/inspectors/opinions/${opinionId}`;
    // Only the school reports; the inspector cannot verify before there is a report.
    expectError(
      await expectUnchanged(t.ctx, () => inspector.post(`${url}/report`, { text: '报告' })),
      403,
      'FORBIDDEN',
    );
    expectError(
      await expectUnchanged(t.ctx, () => inspector.post(`${url}/accept`, {})),
      409,
      'OPINION_STATE',
    );
    expectError(
      await expectUnchanged(t.ctx, () => school2.post(`${url}/report`, { text: '报告' })),
      404,
      'NOT_FOUND',
    );
    expectError(
      await expectUnchanged(t.ctx, () => school1.post(`${url}/report`, { text: '' })),
      400,
      'VALIDATION',
    );

    const evidence = await upload(school1, world.schoolA1.id);
    const r1 = await school1.post(`${url}/report`, { text: '已建立留样台账。', fileIds: [evidence] });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json<OpinionDetail>()).toMatchObject({
      state: 'submitted',
      report: { text: '已建立留样台账。', fileIds: [evidence] },
      can: { report: false, verify: false },
    });
    expectError(
      await expectUnchanged(t.ctx, () => school1.post(`${url}/report`, { text: '又一次' })),
      409,
      'OPINION_STATE',
    );
    // The school cannot verify its own report.
    expectError(await expectUnchanged(t.ctx, () => school1.post(`${url}/accept`, {})), 403, 'FORBIDDEN');
    // The report reached the inspector.
    const note = await t.ctx.db
      .selectFrom('notification')
      .select('title')
      .where('user_id', '=', world.users.inspectorA.id)
      .where('object_id', '=', opinionId)
      .execute();
    expect(note.length).toBe(1);
    expect((await inspector.get(url)).json<OpinionDetail>().can).toEqual({ report: false, verify: true });

    expectError(
      await expectUnchanged(t.ctx, () => inspector.post(`${url}/return`, { reason: '' })),
      400,
      'VALIDATION',
    );
    const ret = await inspector.post(`${url}/return`, { reason: '缺少留样照片' });
    expect(ret.json<OpinionDetail>()).toMatchObject({
      state: 'returned',
      returnCount: 1,
      verifyNote: '缺少留样照片',
    });
    expect((await school1.get(url)).json<OpinionDetail>().can.report).toBe(true);

    await school1.post(`${url}/report`, { text: '补充了留样照片。', fileIds: [evidence] });
    const acc = await inspector.post(`${url}/accept`, { note: '整改到位' });
    expect(acc.statusCode, acc.body).toBe(200);
    const accepted = acc.json<OpinionDetail>();
    // The report is accepted but the finding is still open in the ledger: 待销号.
    expect(accepted).toMatchObject({ status: 'accepted', state: 'closing', openFindings: 1 });
    expect(accepted.events.map((e) => e.kind)).toEqual(['issue', 'report', 'return', 'report', 'accept']);

    // The finding is rectified and closed in the ledger; the opinion is then 已办结.
    await startRectification(t.ctx, systemActor('test'), findingId, { measures: '建立留样台账' }, sys);
    await submitRectification(
      t.ctx,
      systemActor('test'),
      findingId,
      { report: '已整改', completedOn: today },
      sys,
    );
    await verifyFinding(t.ctx, systemActor('test'), findingId, { note: '销号' }, sys);
    const done = (await adminA.get(url)).json<OpinionDetail>();
    expect(done).toMatchObject({ state: 'done', openFindings: 0 });
    const list = await school1.get(`/api/inspectors/opinions?state=done`);
    expect(list.json<{ items: { id: string }[] }>().items.map((o) => o.id)).toEqual([opinionId]);
    const actions = (await auditEvents(t.ctx)).filter((e) => e.object_id === opinionId).map((e) => e.action);
    expect(actions).toEqual([
      'inspector.opinion.issue',
      'inspector.opinion.report',
      'inspector.opinion.return',
      'inspector.opinion.report',
      'inspector.opinion.accept',
    ]);
  });
});

describe('coverage', () => {
  it('counts visits per term, with the term boundary, per school, inspector and county', async () => {
    const current = termOf(today);
    const previous = previousTerm(current);
    // A fresh county-A school with its own inspector: one visit on the last day of the previous term, two on
    // the first day of this one.
    const sysActor = systemActor('test');
    const { createUnit } = await import('../units/units.service.js');
    const s = await createUnit(
      t.ctx,
      sysActor,
      {
        parentId: world.countyA.id,
        kind: 'school',
        code: '1220200077',
        name: '铁西区覆盖小学',
        stage: 'primary',
      },
      sys,
    );
    const insp = await makeInspector(t.ctx, 'cov.inspector', world.countyA.id, [s.id], PASSWORD);
    const c = await loginAs(app, 'cov.inspector', PASSWORD);
    for (const d of [previous.end, current.start, current.start]) {
      const res = await postVisit(c, {
        ...visitBody(s.id),
        visitDate: d,
        items: [{ item: 'ethos', result: 'ok' }],
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const get = async (termId: string) => {
      const res = await adminA.get(`/api/inspectors/coverage?termId=${termId}&under=${world.countyA.id}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Coverage>();
    };
    const prev = await get(previous.id);
    expect(prev.term.id).toBe(previous.id);
    expect(prev.asOf).toBe(previous.end);
    const row = (cov: Coverage) => cov.schools.find((x) => x.schoolId === s.id)!;
    expect(row(prev)).toMatchObject({
      required: 2,
      expected: 2,
      done: 1,
      lastVisit: previous.end,
      state: 'behind',
    });
    expect(prev.byInspector.find((i) => i.userId === insp)).toMatchObject({
      schools: 1,
      required: 2,
      done: 1,
      visits: 1,
      behind: 1,
    });

    const cur = await get(current.id);
    expect(row(cur)).toMatchObject({ required: 2, done: 2, lastVisit: current.start, state: 'complete' });
    expect(cur.byInspector.find((i) => i.userId === insp)).toMatchObject({ done: 2, complete: 1, behind: 0 });
    // The county's counts add up to its schools'.
    const county = cur.byCounty.find((x) => x.unitId === world.countyA.id)!;
    const mine = cur.schools.filter((x) => x.countyId === world.countyA.id);
    expect(county.schools).toBe(mine.length);
    expect(county.visits).toBe(mine.reduce((n, x) => n + x.done, 0));
    expect(county.behind).toBe(mine.filter((x) => x.state === 'behind').length);
    expect(cur.totals.schools).toBe(mine.length);

    // A bureau asking for three visits a term makes the same school behind the previous term still and not
    // complete this one.
    const set = await put(adminA, '/api/inspectors/settings', {
      unitId: world.countyA.id,
      visitsPerTerm: 3,
      maxSchools: 5,
      hotline: '0434-3222222',
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(row(await get(current.id))).toMatchObject({ required: 3, done: 2 });
    // County B is nobody's business in county A.
    expectError(await adminA.get(`/api/inspectors/coverage?under=${world.countyB.id}`), 404, 'NOT_FOUND');
    expectError(await adminA.get(`/api/inspectors/coverage?termId=2026-2028-1`), 400, 'TERM_UNKNOWN');
    expectError(await adminA.get(`/api/inspectors/coverage?termId=x`), 400, 'VALIDATION');
    // The inspector sees their own schools only.
    const own = (await c.get('/api/inspectors/coverage')).json<Coverage>();
    expect(own.schools.map((x) => x.schoolId)).toEqual([s.id]);
    await put(adminA, '/api/inspectors/settings', {
      unitId: world.countyA.id,
      visitsPerTerm: 2,
      maxSchools: 5,
      hotline: '0434-3222222',
    });
  });

  it('pro-rates what is expected within a running term', () => {
    const term = { start: '2026-09-01', end: '2027-01-31' };
    expect(expectedBy(2, term, '2026-09-01')).toBe(0);
    expect(expectedBy(2, term, '2026-11-15')).toBe(0);
    expect(expectedBy(2, term, '2026-11-16')).toBe(1);
    expect(expectedBy(2, term, '2027-01-31')).toBe(2);
    expect(expectedBy(2, term, '2026-08-31')).toBe(0);
  });
});

describe('roster, assignments, settings and plaque', () => {
  it('keeps profiles (bureau only), counts schools and warns above the maximum', async () => {
    const url = `/api/inspectors/${world.users.inspectorA.id}`;
    const photo = await upload(adminA, world.countyA.id);
    const res = await put(adminA, `${url}/profile`, {
      employment: 'full_time',
      title: '督导室主任',
      employer: '铁西区教育局',
      phone: '13800002222',
      photoFileId: photo,
      specialty: '小学教育管理',
      certificateNo: '吉督字2026001',
      appointedOn: '2025-09-01',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<InspectorDetail>()).toMatchObject({
      hasProfile: true,
      employment: 'full_time',
      certificateNo: '吉督字2026001',
      schoolCount: 1,
      overloaded: false,
      schools: [{ id: world.schoolA1.id }],
    });
    for (const [body, code] of [
      [{ employment: 'sometimes' }, 'VALIDATION'],
      [{ employment: 'full_time', phone: '123' }, 'VALIDATION'],
      [{ employment: 'full_time', appointedOn: addDays(today, 3) }, 'INSPECTOR_APPOINTED_FUTURE'],
      [{ employment: 'full_time', photoFileId: randomUUID() }, 'FILE_UNKNOWN'],
    ] as const)
      expectError(await expectUnchanged(t.ctx, () => put(adminA, `${url}/profile`, body)), 400, code);
    // The inspector and the school read it but may not change it; county B does not see it.
    expectError(
      await expectUnchanged(t.ctx, () => put(inspector, `${url}/profile`, { employment: 'part_time' })),
      403,
      'FORBIDDEN',
    );
    const adminB = await loginAs(app, world.users.adminB.username, PASSWORD);
    expectError(await adminB.get(url), 404, 'NOT_FOUND');
    expect((await school1.get(url)).statusCode).toBe(200);
    expectError(await school2.get(url), 404, 'NOT_FOUND');
    expect((await inspector.get('/api/inspectors')).json<InspectorPage>().items.map((i) => i.userId)).toEqual(
      [world.users.inspectorA.id],
    );

    // Assignments: only schools of the bureau's area, audited; above the maximum the roster warns.
    expectError(
      await expectUnchanged(t.ctx, () =>
        put(adminA, `${url}/schools`, { schoolIds: [world.schoolA1.id, world.schoolB1.id] }),
      ),
      404,
      'NOT_FOUND',
    );
    const leader = await loginAs(app, world.users.leaderA.username, PASSWORD);
    expectError(
      await expectUnchanged(t.ctx, () => put(leader, `${url}/schools`, { schoolIds: [world.schoolA1.id] })),
      403,
      'FORBIDDEN',
    );
    await put(adminA, '/api/inspectors/settings', {
      unitId: world.countyA.id,
      visitsPerTerm: 2,
      maxSchools: 1,
      hotline: null,
    });
    const both = await put(adminA, `${url}/schools`, { schoolIds: [world.schoolA1.id, world.schoolA2.id] });
    expect(both.statusCode, both.body).toBe(200);
    expect(both.json<InspectorDetail>()).toMatchObject({ schoolCount: 2, maxSchools: 1, overloaded: true });
    const audit = (await auditEvents(t.ctx, 'user.update')).at(-1)!;
    expect(audit.object_id).toBe(world.users.inspectorA.id);
    const roster = (await adminA.get('/api/inspectors')).json<InspectorPage>();
    expect(roster.items.find((i) => i.userId === world.users.inspectorA.id)).toMatchObject({
      overloaded: true,
    });
    // Back to A1 only, and the default maximum.
    await put(adminA, `${url}/schools`, { schoolIds: [world.schoolA1.id] });
    await put(adminA, '/api/inspectors/settings', {
      unitId: world.countyA.id,
      visitsPerTerm: 2,
      maxSchools: 5,
      hotline: null,
    });
  });

  it('keeps settings per bureau (inherited by counties from the city), refusing schools and bad values', async () => {
    const city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
    const res = await put(city, '/api/inspectors/settings', {
      unitId: world.city.id,
      visitsPerTerm: 4,
      maxSchools: 6,
      hotline: '0434-12345',
    });
    expect(res.statusCode, res.body).toBe(200);
    const b = (
      await city.get(`/api/inspectors/settings?unitId=${world.countyB.id}`)
    ).json<InspectorSettings>();
    expect(b).toMatchObject({ visitsPerTerm: 4, maxSchools: 6, hotline: '0434-12345', source: 'inherited' });
    const a = (
      await adminA.get(`/api/inspectors/settings?unitId=${world.countyA.id}`)
    ).json<InspectorSettings>();
    expect(a).toMatchObject({
      visitsPerTerm: 2,
      maxSchools: 5,
      hotline: '0434-12345',
      source: 'own',
      canManage: true,
    });
    for (const [body, code] of [
      [{ unitId: world.countyA.id, visitsPerTerm: 0, maxSchools: 5, hotline: null }, 'VALIDATION'],
      [{ unitId: world.countyA.id, visitsPerTerm: 2, maxSchools: 5, hotline: '打电话' }, 'VALIDATION'],
      [{ unitId: world.schoolA1.id, visitsPerTerm: 2, maxSchools: 5, hotline: null }, 'SETTINGS_BUREAU_ONLY'],
    ] as const)
      expectError(
        await expectUnchanged(t.ctx, () => put(adminA, '/api/inspectors/settings', body)),
        400,
        code,
      );
    expectError(
      await expectUnchanged(t.ctx, () =>
        put(adminA, '/api/inspectors/settings', {
          unitId: world.city.id,
          visitsPerTerm: 2,
          maxSchools: 5,
          hotline: null,
        }),
      ),
      404,
      'NOT_FOUND',
    );
    await put(city, '/api/inspectors/settings', {
      unitId: world.city.id,
      visitsPerTerm: 2,
      maxSchools: 5,
      hotline: null,
    });
  });

  it('prints the plaque of a school: its inspectors, the eight items, the hotline, and serves the photo', async () => {
    await put(adminA, '/api/inspectors/settings', {
      unitId: world.countyA.id,
      visitsPerTerm: 2,
      maxSchools: 5,
      hotline: '0434-3222222',
    });
    const res = await school1.get(`/api/inspectors/plaque/${world.schoolA1.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<Plaque>();
    expect(p).toMatchObject({
      school: { id: world.schoolA1.id, name: '铁西区实验小学' },
      bureau: { id: world.countyA.id, name: '铁西区教育局' },
      hotline: '0434-3222222',
      visitsPerTerm: 2,
    });
    expect(p.items.map((i) => i.label)).toEqual([
      '校务管理',
      '招生、收费、择校',
      '课程开设',
      '学生学业负担与体育锻炼',
      '师德师风',
      '校园及周边安全',
      '食堂、饮水、宿舍',
      '校风教风学风',
    ]);
    const mine = p.inspectors.find((i) => i.userId === world.users.inspectorA.id)!;
    expect(mine).toMatchObject({ phone: '13800002222', title: '督导室主任', hasPhoto: true });
    const photo = await school1.get(`/api/inspectors/plaque/${world.schoolA1.id}/photo/${mine.userId}`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.rawPayload.equals(TINY_PNG)).toBe(true);
    // Not the plaque of a school one does not read; not a photo of an inspector of another school.
    expectError(await school2.get(`/api/inspectors/plaque/${world.schoolA1.id}`), 404, 'NOT_FOUND');
    expectError(
      await school2.get(`/api/inspectors/plaque/${world.schoolA2.id}/photo/${mine.userId}`),
      404,
      'NOT_FOUND',
    );
  });
});
