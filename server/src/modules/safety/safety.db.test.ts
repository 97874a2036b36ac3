import type {
  Campaign,
  CampaignReport,
  Grid,
  GridCoverage,
  InspectOptions,
  SafetyInspectionDetail,
  SafetyInspectionPage,
  SelfCheckStatus,
  Template,
  TemplateDetail,
} from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectError, expectUnchanged } from '../../../test/helpers.js';
import { builtinChecklistItems, seedBuiltinTemplate } from './safety.demo.js';
import { addDays, chinaToday } from '../../platform/dates.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;
let teacherA1: Client;
let inspectorA: Client;
let builtin: { templateId: string; versionId: string };

const today = chinaToday();
const month = today.slice(0, 7);

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
  inspectorA = await loginAs(app, u.inspectorA.username, PASSWORD);
  builtin = await seedBuiltinTemplate(t.ctx, world.city.id);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const ok = <T>(res: { statusCode: number; body: string; json: <X>() => X }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
};
const ledger = (sourceIds: string[]) =>
  t.ctx.db
    .selectFrom('finding')
    .selectAll()
    .where('source_type', '=', 'safety_inspection')
    .where('source_id', 'in', sourceIds.length ? sourceIds : ['-'])
    .orderBy('no')
    .execute();

describe('the built-in checklist', () => {
  it('has at least 30 items over every area, with legal bases', async () => {
    const items = builtinChecklistItems();
    expect(items.length).toBeGreaterThanOrEqual(30);
    expect(new Set(items.map((i) => i.area)).size).toBe(10);
    expect(items.filter((i) => i.basis).length).toBeGreaterThan(10);
    const d = ok<TemplateDetail>(await city.get(`/api/safety/templates/${builtin.templateId}`));
    expect(d.items).toHaveLength(items.length);
    expect(d.current?.version).toBe(1);
    expect(d.items.find((i) => i.text.startsWith('建立校舍安全定期检查'))).toMatchObject({
      area: 'building',
      basis: '《中小学幼儿园安全管理办法》第十四条',
      defaultSeverity: 'serious',
    });
  });
});

describe('checklist templates', () => {
  let countyTemplate: TemplateDetail;
  const items = [
    {
      area: 'fire',
      text: '灭火器在有效期内',
      basis: '《中华人民共和国消防法》第十六条',
      defaultSeverity: 'major',
    },
    { area: 'food', text: '留样记录完整' },
    { area: 'drowning', text: '危险水域设置警示标志', defaultSeverity: 'serious' },
  ];

  it("a county sees the city templates and its own, not another county's", async () => {
    countyTemplate = ok<TemplateDetail>(
      await adminA.post('/api/safety/templates', {
        ownerUnitId: world.countyA.id,
        name: '铁西区防溺水专项检查表',
        items,
      }),
      201,
    );
    expect(countyTemplate.draft?.version).toBe(1);
    expect(countyTemplate.current).toBeNull();
    const seenA = ok<Template[]>(await adminA.get('/api/safety/templates')).map((x) => x.id);
    const seenB = ok<Template[]>(await adminB.get('/api/safety/templates')).map((x) => x.id);
    expect(seenA).toEqual(expect.arrayContaining([builtin.templateId, countyTemplate.id]));
    expect(seenB).toContain(builtin.templateId);
    expect(seenB).not.toContain(countyTemplate.id);
    expectError(await adminB.get(`/api/safety/templates/${countyTemplate.id}`), 404, 'NOT_FOUND');
    // The city's template is read-only to the county.
    const cityT = ok<TemplateDetail>(await adminA.get(`/api/safety/templates/${builtin.templateId}`));
    expect(cityT.canEdit).toBe(false);
    await expectUnchanged(t.ctx, async () =>
      expectError(
        await adminA.patch(`/api/safety/templates/${builtin.templateId}`, { name: '改名' }),
        403,
        'FORBIDDEN',
      ),
    );
  });

  it('a draft is edited in place; editing a published one drafts the next version and keeps the old', async () => {
    const edited = ok<TemplateDetail>(
      await adminA.patch(`/api/safety/templates/${countyTemplate.id}`, {
        items: [...items, { area: 'other', text: '台账齐全' }],
      }),
    );
    expect(edited.versions).toHaveLength(1);
    expect(edited.items).toHaveLength(4);
    const v1 = ok<TemplateDetail>(
      await adminA.post(`/api/safety/templates/${countyTemplate.id}/publish`, {}),
    );
    expect(v1.current?.version).toBe(1);
    expect(v1.draft).toBeNull();
    expectError(
      await adminA.post(`/api/safety/templates/${countyTemplate.id}/publish`, {}),
      409,
      'SAFETY_NO_DRAFT',
    );
    const v1Items = v1.items;

    // An inspection uses v1 …
    const inspectionId = randomUUID();
    ok(
      await adminA.post('/api/safety/inspections', {
        id: inspectionId,
        kind: 'visit',
        schoolId: world.schoolA2.id,
        templateVersionId: v1.current!.id,
        inspectedOn: today,
        items: v1Items.map((i) => ({ itemId: i.id, result: 'pass' })),
        submit: true,
      }),
      201,
    );
    // … then the template is edited: v2 is a draft, v1 and its items are untouched.
    const v2 = ok<TemplateDetail>(
      await adminA.patch(`/api/safety/templates/${countyTemplate.id}`, {
        items: [{ area: 'fire', text: '只剩一项' }],
      }),
    );
    expect(v2.draft?.version).toBe(2);
    expect(v2.current?.version).toBe(1);
    expect(v2.items.map((i) => i.text)).toEqual(['只剩一项']);
    const old = ok<TemplateDetail>(await adminA.get(`/api/safety/templates/${countyTemplate.id}?version=1`));
    expect(old.items.map((i) => i.id)).toEqual(v1Items.map((i) => i.id));
    ok(await adminA.post(`/api/safety/templates/${countyTemplate.id}/publish`, { note: '精简' }));
    const i = ok<SafetyInspectionDetail>(await adminA.get(`/api/safety/inspections/${inspectionId}`));
    expect(i.templateVersion).toBe(1);
    expect(i.items.map((x) => x.id)).toEqual(v1Items.map((x) => x.id));
    expect(i.items.every((x) => x.result === 'pass')).toBe(true);
    // New inspections at A's schools are offered v2 (and the city's checklist), not v1.
    const options = ok<InspectOptions>(
      await adminA.get(`/api/safety/inspect/options?schoolId=${world.schoolA1.id}`),
    );
    const versions = options.checklists
      .filter((c) => c.templateId === countyTemplate.id)
      .map((c) => c.version);
    expect(versions).toEqual([2]);
    expect(options.checklists.map((c) => c.versionId)).toContain(builtin.versionId);
  });

  it('refuses bad input with 400 and a code, changing nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminA.post('/api/safety/templates', {
          ownerUnitId: world.countyA.id,
          name: '坏',
          items: [{ area: 'moon', text: 'x' }],
        }),
        400,
        'VALIDATION',
      );
      expectError(
        await adminA.post('/api/safety/templates', { ownerUnitId: world.countyA.id, name: '坏', items: [] }),
        400,
        'VALIDATION',
      );
      expectError(
        await adminA.post('/api/safety/templates', {
          ownerUnitId: world.countyA.id,
          name: '<script>',
          items: [{ area: 'fire', text: 'x' }],
        }),
        400,
        'VALIDATION',
      );
      expectError(
        await schoolA1.post('/api/safety/templates', {
          ownerUnitId: world.schoolA1.id,
          name: '学校自建',
          items: [{ area: 'fire', text: 'x' }],
        }),
        404,
        'NOT_FOUND',
      );
    });
  });
});

describe('campaigns, inspections and the report', () => {
  let campaign: Campaign;
  let checklist: TemplateDetail;
  let gridA1: Grid;
  const visits: string[] = [];

  beforeAll(async () => {
    checklist = ok<TemplateDetail>(await adminA.get(`/api/safety/templates/${builtin.templateId}`));
    gridA1 = ok<Grid>(
      await schoolA1.post('/api/safety/grids', {
        schoolId: world.schoolA1.id,
        name: '食堂',
        location: '食堂操作间及库房',
        personName: '李淑芬',
        personPhone: '13943100001',
        userId: world.users.teacherA1.id,
      }),
      201,
    );
  });

  it('a county runs a campaign over its schools with inspection groups', async () => {
    campaign = ok<Campaign>(
      await adminA.post('/api/safety/campaigns', {
        ownerUnitId: world.countyA.id,
        name: '秋季开学安全隐患排查整治',
        startsOn: addDays(today, -10),
        endsOn: addDays(today, 20),
        templateVersionId: builtin.versionId,
        groups: [
          { name: '第一组', leader: '王建国', members: ['张立新', '刘海燕'] },
          { name: '第二组', leader: '陈志强', members: ['赵丽华'], people: 4 },
        ],
      }),
      201,
    );
    expect(campaign.groups.map((g) => [g.name, g.people])).toEqual([
      ['第一组', 3],
      ['第二组', 4],
    ]);
    expect(campaign.status).toBe('active');
    expect(campaign.scopeUnitId).toBe(world.countyA.id);
    // Seen by the county and the city, not by county B nor by a school.
    expect(
      ok<{ items: Campaign[] }>(await city.get('/api/safety/campaigns')).items.map((c) => c.id),
    ).toContain(campaign.id);
    expect(ok<{ items: Campaign[] }>(await adminB.get('/api/safety/campaigns')).items).toHaveLength(0);
    expectError(await schoolA1.get(`/api/safety/campaigns/${campaign.id}`), 404, 'NOT_FOUND');
    // The inspector and the school find it in the inspection form of a school it covers.
    const opt = ok<InspectOptions>(
      await inspectorA.get(`/api/safety/inspect/options?schoolId=${world.schoolA1.id}`),
    );
    expect(opt.campaigns.map((c) => c.id)).toContain(campaign.id);
    expect(opt.canSelfCheck).toBe(false);
    expectError(
      await inspectorA.get(`/api/safety/inspect/options?schoolId=${world.schoolA2.id}`),
      404,
      'NOT_FOUND',
    );
    expectError(
      await adminA.post('/api/safety/campaigns', {
        ownerUnitId: world.countyA.id,
        name: '倒置',
        startsOn: today,
        endsOn: addDays(today, -1),
        templateVersionId: builtin.versionId,
      }),
      400,
      'SAFETY_PERIOD_INVALID',
    );
  });

  it("failed items become findings with the item's area, basis, grid and deadline, and the notice goes out", async () => {
    const items = checklist.items;
    const fire = items.find((i) => i.area === 'fire')!;
    const building = items.find((i) => i.defaultSeverity === 'serious' && i.area === 'building')!;
    const food = items.find((i) => i.area === 'food')!;
    const id = randomUUID();
    const answers = items.map((i) => {
      if (i.id === fire.id)
        return { itemId: i.id, result: 'fail', note: '二楼灭火器过期', location: '教学楼二层东侧' };
      if (i.id === building.id) return { itemId: i.id, result: 'fail', note: '西侧平房墙体开裂' };
      if (i.id === food.id)
        return {
          itemId: i.id,
          result: 'fail',
          note: '留样不足',
          gridId: gridA1.id,
          severity: 'major',
          deadline: addDays(today, 3),
        };
      return { itemId: i.id, result: i.area === 'drowning' ? 'na' : 'pass' };
    });
    const saved = ok<SafetyInspectionDetail>(
      await inspectorA.post('/api/safety/inspections', {
        id,
        kind: 'campaign',
        schoolId: world.schoolA1.id,
        campaignId: campaign.id,
        groupId: campaign.groups[0]!.id,
        inspectedOn: today,
        people: ['王建国', '张立新', '刘海燕'],
        items: answers,
        summary: '总体较好，三处问题限期整改',
        submit: true,
      }),
      201,
    );
    visits.push(id);
    expect(saved.status).toBe('submitted');
    expect(saved.failed).toBe(3);
    expect(saved.peopleCount).toBe(3);
    expect(saved.noticeIds).toHaveLength(1);
    const rows = await ledger([id]);
    expect(rows).toHaveLength(3);
    const byTitle = new Map(rows.map((r) => [r.title, r]));
    expect(byTitle.get(fire.text)).toMatchObject({
      source: 'inspection',
      source_type: 'safety_inspection',
      source_id: id,
      category: 'fire',
      basis: fire.basis,
      unit_id: world.schoolA1.id,
      raised_by_unit_id: world.countyA.id,
      severity: fire.defaultSeverity,
      description: '二楼灭火器过期',
      location: '教学楼二层东侧',
      status: 'notified',
      grid_id: null,
    });
    expect(String(byTitle.get(fire.text)!.deadline).slice(0, 10)).toBe(addDays(today, 15));
    expect(String(byTitle.get(building.text)!.deadline).slice(0, 10)).toBe(addDays(today, 7));
    expect(byTitle.get(building.text)!.severity).toBe('serious');
    expect(byTitle.get(food.text)).toMatchObject({
      category: 'food',
      severity: 'major',
      grid_id: gridA1.id,
      location: '食堂操作间及库房',
    });
    expect(String(byTitle.get(food.text)!.deadline).slice(0, 10)).toBe(addDays(today, 3));
    expect(new Set(rows.map((r) => r.notice_id))).toEqual(new Set(saved.noticeIds));
    // The items link to their findings; the grid's person is told.
    expect(
      saved.items
        .filter((i) => i.findingId)
        .map((i) => i.findingId)
        .sort(),
    ).toEqual(rows.map((r) => r.id).sort());
    const told = await t.ctx.db
      .selectFrom('notification')
      .selectAll()
      .where('user_id', '=', world.users.teacherA1.id)
      .where('object_id', '=', byTitle.get(food.text)!.id)
      .execute();
    expect(told).toHaveLength(1);
    // The school sees the findings in its ledger and the inspection.
    const mine = ok<{ total: number }>(
      await schoolA1.get(`/api/findings?sourceType=safety_inspection&sourceId=${id}`),
    );
    expect(mine.total).toBe(3);
    ok(await teacherA1.get(`/api/safety/inspections/${id}`));
    expectError(await schoolA2.get(`/api/safety/inspections/${id}`), 404, 'NOT_FOUND');
  });

  it('a retried submit is the same inspection: nothing is created twice', async () => {
    const id = randomUUID();
    const body = {
      id,
      kind: 'campaign',
      schoolId: world.schoolA2.id,
      campaignId: campaign.id,
      groupId: campaign.groups[1]!.id,
      inspectedOn: today,
      items: checklist.items.map((i, n) => ({
        itemId: i.id,
        result: n < 2 ? 'fail' : 'pass',
        ...(n === 1 ? { rectifiedOnSite: true, note: '当场清理' } : {}),
      })),
      submit: true,
    };
    const first = ok<SafetyInspectionDetail>(await adminA.post('/api/safety/inspections', body), 201);
    visits.push(id);
    expect(first.peopleCount).toBe(4); // the group's
    const again = await expectUnchanged(t.ctx, async () =>
      ok<SafetyInspectionDetail>(await adminA.post('/api/safety/inspections', body), 200),
    );
    expect(again.id).toBe(id);
    expect(await ledger([id])).toHaveLength(2);
    const count = await t.ctx.db
      .selectFrom('safety_inspection')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    // Two copies of one submission at once (a double tap): one inspection, its findings once.
    const twin = { ...body, id: randomUUID() };
    const both = await Promise.all([
      adminA.post('/api/safety/inspections', twin),
      adminA.post('/api/safety/inspections', twin),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(both.map((r) => r.json<SafetyInspectionDetail>().id)).toEqual([twin.id, twin.id]);
    expect(await ledger([twin.id])).toHaveLength(2);
    visits.push(twin.id);
    // A draft save over a submitted inspection is refused.
    await expectUnchanged(t.ctx, async () =>
      expectError(
        await adminA.post('/api/safety/inspections', { ...body, submit: false }),
        409,
        'SAFETY_INSPECTION_SUBMITTED',
      ),
    );
  });

  it('drafts are kept server-side, continued and then submitted', async () => {
    const id = randomUUID();
    const half = checklist.items.slice(0, 5).map((i) => ({ itemId: i.id, result: 'pass' }));
    const draft = ok<SafetyInspectionDetail>(
      await inspectorA.post('/api/safety/inspections', {
        id,
        kind: 'campaign',
        schoolId: world.schoolA1.id,
        campaignId: campaign.id,
        inspectedOn: today,
        people: ['王建国'],
        peopleCount: 2,
        items: half,
      }),
      201,
    );
    expect(draft.status).toBe('draft');
    expect(await ledger([id])).toHaveLength(0);
    // Submitting with items missing is refused and changes nothing.
    await expectUnchanged(t.ctx, async () =>
      expectError(
        await inspectorA.post('/api/safety/inspections', {
          id,
          kind: 'campaign',
          schoolId: world.schoolA1.id,
          campaignId: campaign.id,
          inspectedOn: today,
          items: half,
          submit: true,
        }),
        400,
        'SAFETY_INSPECTION_INCOMPLETE',
      ),
    );
    // Someone else may not continue the inspector's draft.
    expectError(
      await adminA.post('/api/safety/inspections', {
        id,
        kind: 'campaign',
        schoolId: world.schoolA1.id,
        campaignId: campaign.id,
        inspectedOn: today,
        items: half,
      }),
      403,
      'FORBIDDEN',
    );
    const done = ok<SafetyInspectionDetail>(
      await inspectorA.post('/api/safety/inspections', {
        id,
        kind: 'campaign',
        schoolId: world.schoolA1.id,
        campaignId: campaign.id,
        inspectedOn: today,
        people: ['王建国'],
        peopleCount: 2,
        items: checklist.items.map((i) => ({ itemId: i.id, result: 'pass' })),
        submit: true,
      }),
    );
    visits.push(id);
    expect(done.status).toBe('submitted');
    expect(done.failed).toBe(0);
  });

  it('the report counts groups, person-visits and schools, and the findings as the ledger has them', async () => {
    const r = ok<CampaignReport>(await adminA.get(`/api/safety/campaigns/${campaign.id}/report`));
    expect(r.groups).toBe(2);
    expect(r.inspections).toBe(4);
    expect(r.personVisits).toBe(3 + 4 + 4 + 2);
    expect(r.schoolsInScope).toBe(2);
    expect(r.schoolsCovered).toBe(2);
    expect(r.notCovered).toEqual([]);
    const rows = await ledger(visits);
    const closed = rows.filter((x) => x.status === 'closed').length;
    expect(r.findings.found).toBe(rows.length);
    expect(r.findings.found).toBe(7);
    expect(r.findings.rectified).toBe(closed);
    expect(closed).toBe(2);
    expect(r.findings.open).toBe(rows.length - closed);
    expect(r.findings.rate).toBeCloseTo(closed / rows.length, 3);
    expect(r.byArea.reduce((n, a) => n + a.found, 0)).toBe(r.findings.found);
    for (const a of r.byArea) expect(a.found).toBe(rows.filter((x) => x.category === a.area).length);
    expect(r.byGroup.find((g) => g.name === '第一组')).toMatchObject({
      visits: 1,
      personVisits: 3,
      found: 3,
    });
    expect(r.byGroup.find((g) => g.groupId === null)).toMatchObject({ visits: 1, personVisits: 2, found: 0 });
    expect(r.sentence.zh).toBe(
      `出动2个检查组13人次，对2所学校开展安全检查，发现隐患7处，已整改2处，整改率28.6%`,
    );
    // The ledger's statistics for the same source agree.
    const stats = ok<{ found: number; rectified: number }>(
      await adminA.get('/api/findings/stats?source=inspection'),
    );
    expect(stats.found).toBe(7);
    expect(stats.rectified).toBe(2);
    // A group with visits cannot be deleted; the city sees the same report.
    expectError(
      await adminA.del(`/api/safety/campaign-groups/${campaign.groups[0]!.id}`),
      409,
      'SAFETY_GROUP_IN_USE',
    );
    expect(
      ok<CampaignReport>(await city.get(`/api/safety/campaigns/${campaign.id}/report`)).findings.found,
    ).toBe(7);
  });

  it('bad inspections are refused with 400 and a code, and nothing changes', async () => {
    const base = {
      id: randomUUID(),
      kind: 'campaign',
      schoolId: world.schoolA1.id,
      campaignId: campaign.id,
      inspectedOn: today,
      items: [] as unknown[],
    };
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await inspectorA.post('/api/safety/inspections', { ...base, id: 'not-a-uuid' }),
        400,
        'VALIDATION',
      );
      expectError(
        await inspectorA.post('/api/safety/inspections', {
          ...base,
          items: [{ itemId: randomUUID(), result: 'pass' }],
        }),
        400,
        'SAFETY_ITEM_UNKNOWN',
      );
      expectError(
        await inspectorA.post('/api/safety/inspections', {
          ...base,
          items: [{ itemId: checklist.items[0]!.id, result: 'maybe' }],
        }),
        400,
        'VALIDATION',
      );
      expectError(
        await inspectorA.post('/api/safety/inspections', { ...base, inspectedOn: addDays(today, 30) }),
        400,
        'SAFETY_DATE_FUTURE',
      );
      expectError(
        await inspectorA.post('/api/safety/inspections', { ...base, inspectedOn: addDays(today, -60) }),
        400,
        'SAFETY_OUTSIDE_PERIOD',
      );
      expectError(
        await inspectorA.post('/api/safety/inspections', { ...base, gridId: randomUUID() }),
        400,
        'SAFETY_GRID_UNKNOWN',
      );
      expectError(
        await inspectorA.post('/api/safety/inspections', {
          ...base,
          items: [{ itemId: checklist.items[0]!.id, result: 'fail', fileIds: [randomUUID()] }],
        }),
        400,
        'FILE_UNKNOWN',
      );
      expectError(
        await inspectorA.post('/api/safety/inspections', { ...base, kind: 'visit', campaignId: undefined }),
        400,
        'SAFETY_VERSION_REQUIRED',
      );
      expectError(
        await inspectorA.post('/api/safety/inspections', { ...base, summary: '<b>x</b>' }),
        400,
        'VALIDATION',
      );
      // A teacher reads but does not inspect; the inspector does not do the school's self-inspection.
      expectError(await teacherA1.post('/api/safety/inspections', base), 403, 'FORBIDDEN');
      expectError(
        await inspectorA.post('/api/safety/inspections', {
          ...base,
          kind: 'self_check',
          campaignId: undefined,
          templateVersionId: builtin.versionId,
        }),
        403,
        'FORBIDDEN',
      );
    });
  });
});

describe('monthly self-inspection', () => {
  it('shows which schools have done it and which have not, per county, and reminds those behind', async () => {
    const checklist = ok<InspectOptions>(
      await schoolA1.get(`/api/safety/inspect/options?schoolId=${world.schoolA1.id}`),
    );
    expect(checklist.canSelfCheck).toBe(true);
    const list = checklist.checklists.find((c) => c.versionId === builtin.versionId)!;
    const id = randomUUID();
    const body = {
      id,
      kind: 'self_check',
      schoolId: world.schoolA1.id,
      templateVersionId: builtin.versionId,
      inspectedOn: today,
      month,
      people: ['校长', '安全主任'],
      items: list.items.map((i, n) => ({ itemId: i.id, result: n === 3 ? 'fail' : 'pass' })),
      submit: true,
    };
    const done = ok<SafetyInspectionDetail>(await schoolA1.post('/api/safety/inspections', body), 201);
    expect(done.month).toBe(month);
    const rows = await ledger([id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      source: 'self_check',
      raised_by_unit_id: world.schoolA1.id,
      unit_id: world.schoolA1.id,
    });
    // One per school and month.
    await expectUnchanged(t.ctx, async () =>
      expectError(
        await schoolA1.post('/api/safety/inspections', { ...body, id: randomUUID() }),
        409,
        'SAFETY_SELF_CHECK_EXISTS',
      ),
    );
    const a = ok<SelfCheckStatus>(await adminA.get(`/api/safety/self-checks/status?month=${month}`));
    expect(a.unitId).toBe(world.countyA.id);
    expect(a.totals).toMatchObject({ schools: 2, submitted: 1, missing: 1 });
    expect(a.schools.find((s) => s.unitId === world.schoolA1.id)).toMatchObject({
      status: 'submitted',
      inspectionId: id,
      failed: 1,
    });
    expect(a.schools.find((s) => s.unitId === world.schoolA2.id)).toMatchObject({
      status: 'missing',
      inspectionId: null,
    });
    const c = ok<SelfCheckStatus>(await city.get(`/api/safety/self-checks/status?month=${month}`));
    expect(c.totals).toMatchObject({ schools: 3, submitted: 1, missing: 2 });
    expect(c.byUnit.map((u) => [u.name, u.schools, u.submitted])).toEqual([
      ['铁西区教育局', 2, 1],
      ['铁东区教育局', 1, 0],
    ]);
    expectError(
      await adminB.get(`/api/safety/self-checks/status?month=${month}&under=${world.countyA.id}`),
      404,
      'NOT_FOUND',
    );
    expectError(await adminA.get(`/api/safety/self-checks/status?month=2026-13`), 400, 'VALIDATION');
    // The reminder reaches A2's administrator only.
    const r = ok<{ schools: number; users: number }>(
      await adminA.post('/api/safety/self-checks/remind', { month }),
    );
    expect(r).toEqual({ schools: 1, users: 1 });
    const notes = await t.ctx.db
      .selectFrom('notification')
      .select('user_id')
      .where('kind', '=', 'safety.self_check.remind')
      .execute();
    expect(notes.map((n) => n.user_id)).toEqual([world.users.schoolAdminA2.id]);
    expectError(await schoolA1.post('/api/safety/self-checks/remind', { month }), 403, 'FORBIDDEN');
  });
});

describe('safety grids', () => {
  it('coverage counts grids with a named person among all grids, per school and county', async () => {
    // A1 already has 食堂 (named) from the campaign tests; add one with and one without a person.
    ok(
      await schoolA1.post('/api/safety/grids', {
        schoolId: world.schoolA1.id,
        name: '操场',
        personName: '张立新',
      }),
      201,
    );
    const empty = ok<Grid>(
      await schoolA1.post('/api/safety/grids', { schoolId: world.schoolA1.id, name: '校门' }),
      201,
    );
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await schoolA1.post('/api/safety/grids', { schoolId: world.schoolA1.id, name: '操场' }),
        409,
        'SAFETY_GRID_NAME_TAKEN',
      );
      expectError(
        await schoolA1.post('/api/safety/grids', {
          schoolId: world.schoolA1.id,
          name: '宿舍',
          personPhone: '12345',
        }),
        400,
        'VALIDATION',
      );
      expectError(
        await schoolA1.post('/api/safety/grids', {
          schoolId: world.schoolA1.id,
          name: '宿舍',
          userId: world.users.schoolAdminA2.id,
        }),
        400,
        'SAFETY_GRID_USER',
      );
      expectError(
        await schoolA2.post('/api/safety/grids', { schoolId: world.schoolA1.id, name: '越界' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await teacherA1.post('/api/safety/grids', { schoolId: world.schoolA1.id, name: '教师' }),
        403,
        'FORBIDDEN',
      );
    });
    const cov = ok<GridCoverage>(await adminA.get('/api/safety/grids/coverage'));
    expect(cov.totals).toMatchObject({ schools: 2, schoolsWithGrids: 1, grids: 3, staffed: 2 });
    expect(cov.totals.coverage).toBeCloseTo(2 / 3, 3);
    expect(cov.schools.find((s) => s.unitId === world.schoolA2.id)).toMatchObject({
      grids: 0,
      coverage: null,
    });
    const cityCov = ok<GridCoverage>(await city.get('/api/safety/grids/coverage'));
    expect(cityCov.byUnit.map((u) => [u.name, u.grids, u.staffed, u.schools, u.schoolsWithGrids])).toEqual([
      ['铁西区教育局', 3, 2, 2, 1],
      ['铁东区教育局', 0, 0, 1, 0],
    ]);
    // Naming the person raises the coverage; a grid with findings cannot be deleted, an unused one can.
    ok(
      await schoolA1.patch(`/api/safety/grids/${empty.id}`, {
        personName: '刘海燕',
        personPhone: '0434-3210000',
      }),
    );
    expect(ok<GridCoverage>(await adminA.get('/api/safety/grids/coverage')).totals.staffed).toBe(3);
    const list = ok<{ items: Grid[]; canEdit: boolean }>(
      await schoolA1.get(`/api/safety/grids?schoolId=${world.schoolA1.id}`),
    );
    expect(list.canEdit).toBe(true);
    const canteen = list.items.find((g) => g.name === '食堂')!;
    expect(canteen.openFindings).toBe(1);
    expect(canteen.userName).not.toBeNull();
    expectError(await schoolA1.del(`/api/safety/grids/${canteen.id}`), 409, 'SAFETY_GRID_IN_USE');
    expect((await schoolA1.del(`/api/safety/grids/${empty.id}`)).statusCode).toBe(204);
    expect(
      ok<{ canEdit: boolean }>(await teacherA1.get(`/api/safety/grids?schoolId=${world.schoolA1.id}`))
        .canEdit,
    ).toBe(false);
  });

  it('lists inspections within scope only', async () => {
    const a2 = ok<SafetyInspectionPage>(await schoolA2.get('/api/safety/inspections?pageSize=100'));
    expect(a2.items.every((i) => i.schoolId === world.schoolA2.id)).toBe(true);
    const b = ok<SafetyInspectionPage>(await adminB.get('/api/safety/inspections?pageSize=100'));
    expect(b.total).toBe(0);
    const insp = ok<SafetyInspectionPage>(await inspectorA.get('/api/safety/inspections?pageSize=100'));
    expect(insp.items.every((i) => i.schoolId === world.schoolA1.id)).toBe(true);
    expect(insp.items.some((i) => i.findings && i.findings.found === 3)).toBe(true);
  });
});
