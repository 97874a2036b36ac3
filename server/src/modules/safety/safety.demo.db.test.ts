import type { CampaignPage, CampaignReport, SelfCheckStatus } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectUnchanged } from '../../../test/helpers.js';
import { BUILTIN_TEMPLATE_NAME, builtinChecklistItems, seedSafetyDemo } from './safety.demo.js';
import { addDays, chinaToday } from '../../platform/dates.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, world.users.adminA.username, PASSWORD);
  await seedSafetyDemo(t.ctx, { seed: 7 });
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

describe('the safety demo', () => {
  it('seeds the checklist, a city campaign, grids, visits and self-inspections, once', async () => {
    const template = await t.ctx.db
      .selectFrom('safety_template')
      .select('id')
      .where('name', '=', BUILTIN_TEMPLATE_NAME)
      .executeTakeFirstOrThrow();
    // Its published version holds the whole built-in checklist.
    const items = await t.ctx.db
      .selectFrom('safety_template_item as i')
      .innerJoin('safety_template_version as v', 'v.id', 'i.version_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('v.template_id', '=', template.id)
      .where('v.status', '=', 'published')
      .executeTakeFirstOrThrow();
    expect(Number(items.n)).toBe(builtinChecklistItems().length);
    await expectUnchanged(t.ctx, () => seedSafetyDemo(t.ctx, { seed: 7 }));
  });

  it('the campaign report reconciles with the ledger, whole for the city and partial for a county', async () => {
    const [campaign] = (await city.get('/api/safety/campaigns')).json<CampaignPage>().items;
    expect(campaign?.ownerUnitId).toBe(world.city.id);
    const visits = await t.ctx.db
      .selectFrom('safety_inspection')
      .select(['id', 'unit_id', 'people_count', 'group_id'])
      .where('campaign_id', '=', campaign!.id)
      .where('status', '=', 'submitted')
      .execute();
    const rows = visits.length
      ? await t.ctx.db
          .selectFrom('finding')
          .select(['status', 'unit_id'])
          .where('source_type', '=', 'safety_inspection')
          .where(
            'source_id',
            'in',
            visits.map((v) => v.id),
          )
          .execute()
      : [];
    const r = (await city.get(`/api/safety/campaigns/${campaign!.id}/report`)).json<CampaignReport>();
    expect(r.partial).toBe(false);
    expect(r.inspections).toBe(visits.length);
    expect(r.personVisits).toBe(visits.reduce((n, v) => n + v.people_count, 0));
    expect(r.schoolsInScope).toBe(3);
    expect(r.findings.found).toBe(rows.length);
    expect(r.findings.rectified).toBe(rows.filter((x) => x.status === 'closed').length);
    expect(r.groups).toBe(campaign!.groups.length);
    // County A sees its part: its schools, its visits, the groups that came.
    const a = (await adminA.get(`/api/safety/campaigns/${campaign!.id}/report`)).json<CampaignReport>();
    const aSchools = new Set([world.schoolA1.id, world.schoolA2.id]);
    const aVisits = visits.filter((v) => aSchools.has(v.unit_id));
    expect(a.partial).toBe(true);
    expect(a.schoolsInScope).toBe(2);
    expect(a.inspections).toBe(aVisits.length);
    expect(a.groups).toBe(new Set(aVisits.map((v) => v.group_id)).size);
    expect(a.findings.found).toBe(rows.filter((x) => aSchools.has(x.unit_id)).length);
  });

  it("last month's self-inspections show in the status", async () => {
    const lastMonth = addDays(`${chinaToday().slice(0, 7)}-01`, -1).slice(0, 7);
    const done = await t.ctx.db
      .selectFrom('safety_inspection')
      .select('unit_id')
      .where('kind', '=', 'self_check')
      .where('month', '=', lastMonth)
      .execute();
    const s = (await city.get(`/api/safety/self-checks/status?month=${lastMonth}`)).json<SelfCheckStatus>();
    expect(s.totals.schools).toBe(3);
    expect(s.totals.submitted).toBe(done.length);
    expect(s.totals.missing).toBe(3 - done.length);
  });
});
