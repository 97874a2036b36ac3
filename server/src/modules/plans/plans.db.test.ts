/**
 * 部署·督办·考评·通报 against a database: plans and tasks through the API, import with rejections,
 * assignments split to schools, reports and computed status, 督办单 escalating into the findings ledger,
 * the dispatch view's changes since the last meeting, scoring, locking after approval, briefings.
 */
import type {
  AssessResults,
  BriefingDetail,
  PlanAssignmentDetail,
  PlanDetail,
  PlanImportResult,
  PlanNotice,
} from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectError, expectUnchanged } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { escalateNotices } from './plans.notices.js';
import { periodResults } from './plans.assess.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let a1: Client;
const today = chinaToday();
const year = Number(today.slice(0, 4));
const sys = { actor: systemActor('test'), ip: null, requestId: null };

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, world.users.adminA.username, PASSWORD);
  adminB = await loginAs(app, world.users.adminB.username, PASSWORD);
  a1 = await loginAs(app, world.users.schoolAdminA1.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const csv = (rows: string[][]) => Buffer.from('\ufeff' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n');

describe('plans, import and assignments', () => {
  let plan: PlanDetail;
  let countyAssignment: string;

  it('imports a sheet: good rows in one transaction, bad rows rejected with reasons', async () => {
    const file = csv([
      ['2026年工作要点任务分解表'],
      ['章节', '序号', '任务', '牵头科室', '责任单位', '完成时限', '目标'],
      [
        '一、促进学前教育普惠发展',
        '1',
        '提高学前三年毛入园率',
        '基础教育科',
        '铁西区、铁东区',
        `${year}年12月底`,
        '学前三年毛入园率≥93%',
      ],
      [
        '',
        '2',
        '扩大普惠性资源',
        '基础教育科',
        '各县（市）区',
        `${year}-10-31`,
        '普惠性幼儿园覆盖率不低于87%',
      ],
      ['二、推进义务教育优质均衡', '3', '新改扩建学校', '发展规划科', '铁西区', `${year}年9月`, '182所'],
      ['', '4', '控制民办在校生占比', '民办教育科', '铁西区实验小学', '全年', '民办义务教育在校生占比≤5%'],
      ['', '3', '重复序号的任务', '办公室', '', `${year}-12-31`, ''],
      ['', '6', '责任单位不存在', '办公室', '向阳区', `${year}-12-31`, ''],
      ['', '7', '时限不明', '办公室', '', '尽快', ''],
      ['', 'x', '', '', '', '', '很多'],
    ]);
    const res = await city.request(
      'POST',
      `/api/plans/import?ownerUnitId=${world.city.id}&title=${encodeURIComponent('全市教育工作要点')}&year=${year}`,
      file,
      {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent('要点.csv'),
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<PlanImportResult>();
    expect(r).toMatchObject({ chapters: 2, tasks: 4, assignments: 2 + 2 + 1 + 1 });
    expect(r.rejected.map((x) => x.row)).toEqual([7, 8, 9, 10]);
    expect(r.rejected[0]!.reasons.join()).toContain('序号 3 重复');
    expect(r.rejected[1]!.reasons.join()).toContain('向阳区');
    expect(r.rejected[2]!.reasons.join()).toContain('尽快');
    expect(r.rejected[3]!.reasons.length).toBeGreaterThanOrEqual(4);
    plan = (await city.get(`/api/plans/${r.planId}`)).json<PlanDetail>();
    const t1 = plan.taskList.find((x) => x.seq === 1)!;
    expect(t1.target).toMatchObject({ indicator: '学前三年毛入园率', op: '>=', value: 93, unit: '%' });
    expect(t1.dueOn).toBe(`${year}-12-31`);
    expect(plan.taskList.find((x) => x.seq === 3)!.dueOn).toBe(`${year}-09-30`);
    expect(plan.taskList.find((x) => x.seq === 4)!.target).toMatchObject({ op: '<=', value: 5 });
    countyAssignment = t1.assignments.find((a) => a.unit.id === world.countyA.id)!.id;
  });

  it('refuses an import that has no header, changing nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      const res = await city.request(
        'POST',
        `/api/plans/import?ownerUnitId=${world.city.id}&title=x&year=${year}`,
        csv([
          ['a', 'b'],
          ['1', '2'],
        ]),
        {
          'content-type': 'application/octet-stream',
        },
      );
      expectError(res, 400, 'PLAN_IMPORT_HEADER');
    });
  });

  it('lets a county see the plan with only its own tasks, and split its assignment to a school with a person', async () => {
    const seen = (await adminB.get(`/api/plans/${plan.id}`)).json<PlanDetail>();
    expect(seen.taskList.map((x) => x.seq)).toEqual([1, 2]);
    expect(seen.taskList.flatMap((x) => x.assignments.map((a) => a.unit.id))).toEqual([
      world.countyB.id,
      world.countyB.id,
    ]);
    expect(seen.canManage).toBe(false);
    expectError(
      await adminB.post(`/api/plan-assignments/${countyAssignment}/split`, { unitIds: [world.schoolA1.id] }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await adminA.post(`/api/plan-assignments/${countyAssignment}/split`, { unitIds: [world.schoolB1.id] }),
      400,
      'PLAN_SPLIT_UNIT',
    );
    const split = await adminA.post(`/api/plan-assignments/${countyAssignment}/split`, {
      unitIds: [world.schoolA1.id, world.schoolA2.id],
    });
    expect(split.statusCode, split.body).toBe(200);
    const d = split.json<PlanAssignmentDetail>();
    expect(d.children.map((c) => c.unit.id).sort()).toEqual([world.schoolA1.id, world.schoolA2.id].sort());
    const child = d.children.find((c) => c.unit.id === world.schoolA1.id)!;
    const person = await a1.request('PUT', `/api/plan-assignments/${child.id}/person`, {
      userId: world.users.teacherA1.id,
    });
    expect(person.json<PlanAssignmentDetail>().person?.id).toBe(world.users.teacherA1.id);
    expectError(
      await a1.request('PUT', `/api/plan-assignments/${child.id}/person`, { userId: world.users.adminB.id }),
      400,
      'PLAN_PERSON',
    );
    const mine = (await a1.get('/api/plan-assignments')).json<{ items: { unit: { id: string } }[] }>();
    expect(mine.items.map((i) => i.unit.id)).toEqual([world.schoolA1.id, world.schoolA1.id]);
  });

  it('records progress with a value, and computes done when the target is met', async () => {
    const res = await adminA.post(`/api/plan-assignments/${countyAssignment}/reports`, {
      text: '入园率提升',
      value: 94.1,
    });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<PlanAssignmentDetail>();
    expect(d.status).toBe('done');
    expect(d.reason).toContain('94.1');
    expectError(
      await adminB.post(`/api/plan-assignments/${countyAssignment}/reports`, { text: 'x' }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('supervision notices and escalation into the ledger', () => {
  let assignment: string;
  let notice: PlanNotice;
  it('issues a numbered 督办单 on an assignment, which the unit sees and answers', async () => {
    const p = (
      await adminA.post('/api/plans', {
        ownerUnitId: world.countyA.id,
        title: '铁西区重点工作',
        kind: 'annual',
        year,
        startsOn: `${year}-01-01`,
        endsOn: `${year}-12-31`,
        chapters: ['安全稳定'],
      })
    ).json<PlanDetail>();
    const withTask = await adminA.post(`/api/plans/${p.id}/tasks`, {
      chapterId: p.chapters[0]!.id,
      title: '校园安全隐患排查整治',
      leadOffice: '安全科',
      dueOn: `${year}-12-31`,
      unitIds: [world.schoolA1.id, world.schoolA2.id],
    });
    expect(withTask.statusCode, withTask.body).toBe(200);
    assignment = withTask
      .json<PlanDetail>()
      .taskList[0]!.assignments.find((a) => a.unit.id === world.schoolA1.id)!.id;
    const n1 = await adminA.post('/api/plan-notices', {
      assignmentId: assignment,
      requirement: '限期报送排查台账',
      deadline: addDays(today, 3),
    });
    expect(n1.statusCode, n1.body).toBe(200);
    notice = n1.json<PlanNotice>();
    expect(notice.no).toBe(`铁西区督〔${year}〕1号`);
    const n2 = (
      await adminA.post('/api/plan-notices', {
        assignmentId: assignment,
        requirement: '再次督办',
        deadline: addDays(today, 3),
      })
    ).json<PlanNotice>();
    expect(n2.no).toBe(`铁西区督〔${year}〕2号`);
    expectError(
      await a1.post('/api/plan-notices', {
        assignmentId: assignment,
        requirement: 'x',
        deadline: addDays(today, 3),
      }),
      403,
      'FORBIDDEN',
    );
    const list = (await a1.get('/api/plan-notices')).json<{ items: PlanNotice[] }>();
    expect(list.items.map((n) => n.no).sort()).toEqual([n1.json<PlanNotice>().no, n2.no].sort());
    const ans = await a1.post(`/api/plan-notices/${n2.id}/answer`, { answer: '已完成排查，台账附后' });
    expect(ans.json<PlanNotice>().status).toBe('answered');
    expect((await adminA.post(`/api/plan-notices/${n2.id}/close`)).json<PlanNotice>().status).toBe('closed');
  });

  it('escalates an unanswered notice once its deadline has passed: a finding in the ledger, once', async () => {
    const before = await t.ctx.db.selectFrom('finding').select('id').execute();
    expect(await escalateNotices(t.ctx, sys, addDays(today, 3))).toBe(0);
    expect(await escalateNotices(t.ctx, sys, addDays(today, 4))).toBe(1);
    expect(await escalateNotices(t.ctx, sys, addDays(today, 5))).toBe(0);
    const f = await t.ctx.db
      .selectFrom('finding')
      .selectAll()
      .where('source_type', '=', 'plan_notice')
      .execute();
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      source: 'task',
      source_id: notice.id,
      unit_id: world.schoolA1.id,
      raised_by_unit_id: world.countyA.id,
    });
    expect((await t.ctx.db.selectFrom('finding').select('id').execute()).length).toBe(before.length + 1);
    const n = (await a1.get(`/api/plan-notices/${notice.id}`)).json<PlanNotice>();
    expect(n).toMatchObject({ escalated: true, findingId: f[0]!.id });
    const notes = await t.ctx.db
      .selectFrom('notification')
      .select('kind')
      .where('kind', '=', 'plan.notice.escalated')
      .execute();
    expect(notes.length).toBeGreaterThan(0);
  });

  it('runs escalation on demand for the city only: a county admin gets 403 and nothing changes', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(await adminA.post('/api/plan-notices/escalate'), 403, 'FORBIDDEN');
      expectError(await adminB.post('/api/plan-notices/escalate'), 403, 'FORBIDDEN');
    });
    const res = await city.post('/api/plan-notices/escalate');
    expect(res.statusCode).toBe(200);
    expect(res.json<{ escalated: number }>().escalated).toBe(0);
  });
});

describe('assessment and briefings', () => {
  let periodId: string;
  let items: { id: string; kind: string }[];
  it('scores from data and hand entries, ranks ties, applies a veto', async () => {
    const p = (
      await adminA.post('/api/plans', {
        ownerUnitId: world.countyA.id,
        title: '考评计划',
        kind: 'annual',
        year,
        startsOn: `${year}-01-01`,
        endsOn: `${year}-12-31`,
        chapters: ['综合'],
      })
    ).json<PlanDetail>();
    await adminA.post(`/api/plans/${p.id}/tasks`, {
      chapterId: p.chapters[0]!.id,
      title: '课后服务全覆盖',
      leadOffice: '基教科',
      dueOn: addDays(today, 60),
      unitIds: [world.schoolA1.id, world.schoolA2.id],
      target: { indicator: '课后服务覆盖率', op: '>=', value: 100, unit: '%' },
    });
    const scheme = await adminA.post('/api/assess/schemes', {
      ownerUnitId: world.countyA.id,
      year,
      unitKind: 'school',
      name: '学校年度考评',
      items: [
        { kind: 'target_achievement', name: '目标达成', weight: 60 },
        { kind: 'manual', name: '综合评价', weight: 40 },
        { kind: 'bonus', name: '创新加分', weight: 5 },
        { kind: 'deduction', name: '通报扣分', weight: 10 },
        { kind: 'veto', name: '重大安全责任事故', weight: 0, vetoMode: 'void' },
      ],
    });
    expect(scheme.statusCode, scheme.body).toBe(200);
    items = scheme.json<{ items: { id: string; kind: string }[] }>().items;
    const per = await adminA.post('/api/assess/periods', {
      schemeId: scheme.json<{ id: string }>().id,
      planId: p.id,
      label: `${year}年度`,
      startsOn: `${year}-01-01`,
      endsOn: `${year}-12-31`,
    });
    periodId = per.json<{ periods: { id: string }[] }>().periods[0]!.id;
    const item = (k: string) => items.find((i) => i.kind === k)!.id;
    const enter = (unitId: string, kind: string, points: number, reason: string) =>
      adminA.request('PUT', `/api/assess/periods/${periodId}/entries`, {
        unitId,
        itemId: item(kind),
        points,
        reason,
      });
    // A1 reports 100% (target met: 60), A2 80% (not met: 0).
    const asg = (await adminA.get(`/api/plans/${p.id}`)).json<PlanDetail>().taskList[0]!.assignments;
    await a1.post(`/api/plan-assignments/${asg.find((a) => a.unit.id === world.schoolA1.id)!.id}/reports`, {
      text: '全覆盖',
      value: 100,
    });
    await adminA.post(
      `/api/plan-assignments/${asg.find((a) => a.unit.id === world.schoolA2.id)!.id}/reports`,
      { text: '八成', value: 80 },
    );
    await enter(world.schoolA1.id, 'manual', 30, '综合评价良好');
    await enter(world.schoolA2.id, 'manual', 40, '综合评价优秀');
    await enter(world.schoolA2.id, 'bonus', 5, '课后服务创新案例');
    await enter(world.schoolA2.id, 'deduction', 5, '材料报送不规范');
    let r = (await adminA.get(`/api/assess/periods/${periodId}/results`)).json<AssessResults>();
    const s = (id: string) => r.results.find((x) => x.unit.id === id)!;
    expect(s(world.schoolA1.id)).toMatchObject({ score: 90, grade: 'excellent', rank: 1, vetoed: false });
    expect(s(world.schoolA2.id)).toMatchObject({ score: 40, grade: 'fail', rank: 2 });
    expect(s(world.schoolA1.id).items.find((i) => i.kind === 'target_achievement')!.records[0]!.ok).toBe(
      true,
    );
    expectError(await enter(world.schoolA1.id, 'manual', 41, '超分'), 400, 'ASSESS_POINTS');
    expectError(
      await enter(world.schoolA1.id, 'target_achievement', 10, '手改'),
      400,
      'ASSESS_ITEM_COMPUTED',
    );
    // A tie: A2's hand score brings it to 90 too — the same rank for both.
    await enter(world.schoolA2.id, 'deduction', 0, '撤销扣分');
    await enter(world.schoolA2.id, 'bonus', 0, '不加分');
    await adminA.post(
      `/api/plan-assignments/${asg.find((a) => a.unit.id === world.schoolA2.id)!.id}/reports`,
      { text: '补齐', value: 100 },
    );
    await enter(world.schoolA2.id, 'manual', 30, '综合评价良好');
    r = (await adminA.get(`/api/assess/periods/${periodId}/results`)).json<AssessResults>();
    expect(r.results.map((x) => [x.score, x.rank])).toEqual([
      [90, 1],
      [90, 1],
    ]);
    // A veto voids A2's result.
    await enter(world.schoolA2.id, 'veto', 1, '发生重大安全责任事故');
    r = (await adminA.get(`/api/assess/periods/${periodId}/results`)).json<AssessResults>();
    expect(s(world.schoolA2.id)).toMatchObject({
      score: 0,
      rawScore: 90,
      grade: 'fail',
      vetoed: true,
      rank: 2,
    });
    expectError(await adminB.get(`/api/assess/periods/${periodId}/results`), 404, 'NOT_FOUND');
  });

  it('locks the result on approval; a later change needs a reason and is audited', async () => {
    const ap = await adminA.post(`/api/assess/periods/${periodId}/approve`, {});
    expect(ap.statusCode, ap.body).toBe(200);
    expectError(await adminA.post(`/api/assess/periods/${periodId}/approve`, {}), 409, 'ASSESS_APPROVED');
    // New data after approval does not move the approved result.
    const before = await periodResults(t.ctx, systemActor('t'), periodId);
    await t.ctx.db.deleteFrom('plan_report').execute();
    const after = await periodResults(t.ctx, systemActor('t'), periodId);
    expect(after.results).toEqual(before.results);
    expectError(
      await adminA.request('PUT', `/api/assess/periods/${periodId}/entries`, {
        unitId: world.schoolA1.id,
        itemId: items.find((i) => i.kind === 'manual')!.id,
        points: 35,
        reason: '',
      }),
      400,
      'VALIDATION',
    );
    const ch = await adminA.request('PUT', `/api/assess/periods/${periodId}/entries`, {
      unitId: world.schoolA1.id,
      itemId: items.find((i) => i.kind === 'manual')!.id,
      points: 35,
      reason: '复核后调整综合评价',
    });
    expect(ch.statusCode, ch.body).toBe(200);
    const a1r = ch.json<AssessResults>().results.find((x) => x.unit.id === world.schoolA1.id)!;
    // Recomputed from the data as it is now (the reports were removed): 0 + 35.
    expect(a1r.score).toBe(35);
    const audit = await t.ctx.db
      .selectFrom('audit_event')
      .select(['before', 'after'])
      .where('action', '=', 'assess.result.change')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.after)).toContain('复核后调整综合评价');
  });

  it('generates a briefing, exports it, publishes it to the assessed units who read it', async () => {
    const b = await adminA.post('/api/briefings', { periodId });
    expect(b.statusCode, b.body).toBe(200);
    const d = b.json<BriefingDetail>();
    expect(d.no).toBe(`铁西区通〔${year}〕1号`);
    expect(d.content.ranking.length).toBe(2);
    expect(d.content.overdueNotices.length).toBeGreaterThanOrEqual(0);
    expectError(await a1.get(`/api/briefings/${d.id}`), 404, 'NOT_FOUND');
    const x = await adminA.get(`/api/briefings/${d.id}/export`);
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pub = await adminA.post(`/api/briefings/${d.id}/publish`);
    expect(pub.json<BriefingDetail>()).toMatchObject({ status: 'published', recipients: 2 });
    const seen = await a1.get(`/api/briefings/${d.id}`);
    expect(seen.statusCode).toBe(200);
    expect((await adminA.get(`/api/briefings/${d.id}`)).json<BriefingDetail>().read).toBe(1);
    expectError(await adminB.get(`/api/briefings/${d.id}`), 404, 'NOT_FOUND');
    const n = await t.ctx.db
      .selectFrom('notification')
      .select('id')
      .where('kind', '=', 'briefing.published')
      .execute();
    expect(n.length).toBeGreaterThan(0);
  });
});

describe('a county assessed under the city’s scheme', () => {
  let periodId: string;
  let schemeId: string;
  it('sees the scheme and its own result with the breakdown, never another county’s', async () => {
    const scheme = await city.post('/api/assess/schemes', {
      ownerUnitId: world.city.id,
      year,
      unitKind: 'county_bureau',
      name: '县区年度目标考评',
      items: [
        { kind: 'task_completion', name: '任务完成', weight: 60 },
        { kind: 'manual', name: '综合评价', weight: 40 },
      ],
    });
    expect(scheme.statusCode, scheme.body).toBe(200);
    schemeId = scheme.json<{ id: string }>().id;
    const per = await city.post('/api/assess/periods', {
      schemeId,
      label: `${year}年度县区`,
      startsOn: `${year}-01-01`,
      endsOn: `${year}-12-31`,
    });
    periodId = per.json<{ periods: { id: string }[] }>().periods[0]!.id;
    const all = (await city.get(`/api/assess/periods/${periodId}/results`)).json<AssessResults>();
    expect(all.results.map((r) => r.unit.id).sort()).toEqual([world.countyA.id, world.countyB.id].sort());
    const schemesA = (await adminA.get('/api/assess/schemes')).json<{
      items: { id: string; canManage: boolean }[];
    }>();
    expect(schemesA.items.find((s) => s.id === schemeId)).toMatchObject({ canManage: false });
    expect((await adminA.get(`/api/assess/schemes/${schemeId}`)).statusCode).toBe(200);
    const mine = (await adminA.get(`/api/assess/periods/${periodId}/results`)).json<AssessResults>();
    expect(mine.canManage).toBe(false);
    expect(mine.results.map((r) => r.unit.id)).toEqual([world.countyA.id]);
    expect(mine.results[0]!.items.map((i) => i.kind)).toEqual(['task_completion', 'manual']);
    expect(mine.results[0]!.rank).toBe(all.results.find((r) => r.unit.id === world.countyA.id)!.rank);
    expect(JSON.stringify(mine)).not.toContain(world.countyB.id);
    const theirs = (await adminB.get(`/api/assess/periods/${periodId}/results`)).json<AssessResults>();
    expect(theirs.results.map((r) => r.unit.id)).toEqual([world.countyB.id]);
  });

  it('lets it change nothing, and shows a school nothing of it', async () => {
    const item = (await city.get(`/api/assess/schemes/${schemeId}`))
      .json<{ items: { id: string; kind: string }[] }>()
      .items.find((i) => i.kind === 'manual')!.id;
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminA.request('PUT', `/api/assess/periods/${periodId}/entries`, {
          unitId: world.countyA.id,
          itemId: item,
          points: 40,
          reason: '自评满分',
        }),
        403,
        'FORBIDDEN',
      );
      expectError(await adminA.post(`/api/assess/periods/${periodId}/approve`, {}), 403, 'FORBIDDEN');
      expectError(await a1.get(`/api/assess/periods/${periodId}/results`), 404, 'NOT_FOUND');
      expectError(await a1.get(`/api/assess/schemes/${schemeId}`), 404, 'NOT_FOUND');
    });
    expect((await a1.get('/api/assess/schemes')).body).not.toContain(schemeId);
  });
});

describe('report due dates of a plan handed out late in the year', () => {
  it('owes nothing for the months before the assignment was made', async () => {
    const p = (
      await city.post('/api/plans', {
        ownerUnitId: world.city.id,
        title: '年中下达的专项行动',
        kind: 'campaign',
        year,
        startsOn: `${year}-01-01`,
        endsOn: `${year}-12-31`,
        chapters: ['专项'],
      })
    ).json<PlanDetail>();
    const withTask = (
      await city.post(`/api/plans/${p.id}/tasks`, {
        chapterId: p.chapters[0]!.id,
        title: '专项整治',
        leadOffice: '办公室',
        dueOn: `${year}-12-31`,
        unitIds: [world.countyB.id],
      })
    ).json<PlanDetail>();
    const aid = withTask.taskList[0]!.assignments[0]!.id;
    const fresh = (await city.get(`/api/plan-assignments/${aid}`)).json<PlanAssignmentDetail>();
    // Made today: no report was due before today, whatever the task's start.
    expect(fresh.missedReports).toBe(0);
    expect(fresh.reason).not.toContain('应报送进度，未报送');
    // The same assignment made on the task's first day owes every month since (when a month has passed).
    await t.ctx.db
      .updateTable('plan_assignment')
      .set({ created_at: `${year}-01-01T00:00:00+08:00` })
      .where('id', '=', aid)
      .execute();
    const old = (await city.get(`/api/plan-assignments/${aid}`)).json<PlanAssignmentDetail>();
    const monthsDue = ['02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].filter(
      (m) => `${year}-${m}-05` < today,
    ).length;
    expect(old.missedReports).toBe(monthsDue);
  });
});
