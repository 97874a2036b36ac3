import type { Unit, UnitPage, UnitStats, UnitTreeNode } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let leaderA: Client;
let inspectorA: Client;

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  city = await loginAs(app, u.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  schoolA1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  leaderA = await loginAs(app, u.leaderA.username, PASSWORD);
  inspectorA = await loginAs(app, u.inspectorA.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const page = async (c: Client, query: string) => {
  const res = await c.get(`/api/units${query}`);
  expect(res.statusCode).toBe(200);
  return res.json<UnitPage>();
};
const names = (p: { items: { name: string }[] }) => p.items.map((u) => u.name);
const unitRow = (id: string) =>
  t.ctx.db.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('reading the tree', () => {
  it('tree roots: the city for the city admin, the county for its admin, the school for its admin', () =>
    expectUnchanged(t.ctx, async () => {
      const roots = async (c: Client) => {
        const res = await c.get('/api/units/tree');
        expect(res.statusCode).toBe(200);
        return res.json<UnitTreeNode[]>();
      };
      expect(await roots(city)).toEqual([
        {
          id: world.city.id,
          kind: 'city_bureau',
          name: '四平市教育局',
          parentId: null,
          status: 'active',
          childCount: 2,
        },
      ]);
      expect(await roots(adminA)).toEqual([
        {
          id: world.countyA.id,
          kind: 'county_bureau',
          name: '铁西区教育局',
          parentId: world.city.id,
          status: 'active',
          childCount: 2,
        },
      ]);
      expect(await roots(schoolA1)).toEqual([
        {
          id: world.schoolA1.id,
          kind: 'school',
          name: '铁西区实验小学',
          parentId: world.countyA.id,
          status: 'active',
          childCount: 0,
        },
      ]);

      const children = await city.get(`/api/units/tree?parentId=${world.city.id}`);
      expect(children.json<UnitTreeNode[]>().map((n) => n.id)).toEqual([world.countyA.id, world.countyB.id]);
      const schools = await adminA.get(`/api/units/tree?parentId=${world.countyA.id}`);
      expect(schools.json<UnitTreeNode[]>().map((n) => n.id)).toEqual([world.schoolA1.id, world.schoolA2.id]);
      // Another county's node does not exist for the county A admin.
      expectError(await adminA.get(`/api/units/tree?parentId=${world.countyB.id}`), 404, 'NOT_FOUND');
      expectError(await adminA.get(`/api/units/tree?parentId=${world.city.id}`), 404, 'NOT_FOUND');
    }));

  it('an inspector sees exactly the assigned school, in the list and in the tree', () =>
    expectUnchanged(t.ctx, async () => {
      const list = await page(inspectorA, '?pageSize=100');
      expect(list.total).toBe(1);
      expect(list.items.map((u) => u.id)).toEqual([world.schoolA1.id]);
      const tree = await inspectorA.get('/api/units/tree');
      expect(tree.json<UnitTreeNode[]>().map((n) => n.id)).toEqual([world.schoolA1.id]);
      expect((await inspectorA.get(`/api/units/${world.schoolA1.id}`)).statusCode).toBe(200);
      for (const other of [world.schoolA2, world.countyA, world.schoolB1, world.city]) {
        expectError(await inspectorA.get(`/api/units/${other.id}`), 404, 'NOT_FOUND');
      }
    }));

  it('GET /api/units/:id answers 404 outside the scope and the unit inside it', () =>
    expectUnchanged(t.ctx, async () => {
      const res = await adminA.get(`/api/units/${world.schoolA1.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json<Unit>()).toMatchObject({
        id: world.schoolA1.id,
        kind: 'school',
        code: '1220200001',
        name: '铁西区实验小学',
        parentId: world.countyA.id,
        regionCode: '220302',
        regionName: '铁西区',
        stage: 'primary',
        status: 'active',
        childCount: 0,
      });
      expectError(await adminA.get(`/api/units/${world.schoolB1.id}`), 404, 'NOT_FOUND');
      expectError(await adminB.get(`/api/units/${world.schoolA1.id}`), 404, 'NOT_FOUND');
      expectError(await adminA.get(`/api/units/${world.city.id}`), 404, 'NOT_FOUND');
      // A unit that does not exist looks the same.
      expectError(await adminA.get('/api/units/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    }));

  it('lists with filters kind/stage/status/q/parentId/under', () =>
    expectUnchanged(t.ctx, async () => {
      const all = await page(city, '?pageSize=100');
      expect(all.total).toBe(6);
      expect(names(all)).toEqual([
        '四平市教育局',
        '铁西区教育局',
        '铁东区教育局',
        '铁西区实验小学',
        '铁西区第二小学',
        '铁东区实验小学',
      ]);

      expect(names(await page(city, '?kind=school'))).toEqual([
        '铁西区实验小学',
        '铁西区第二小学',
        '铁东区实验小学',
      ]);
      expect(names(await page(city, '?kind=county_bureau'))).toEqual(['铁西区教育局', '铁东区教育局']);
      expect((await page(city, '?stage=primary')).total).toBe(3);
      expect((await page(city, '?stage=junior')).total).toBe(0);
      expect((await page(city, '?status=active')).total).toBe(6);
      expect((await page(city, '?status=disabled')).total).toBe(0);
      expect(names(await page(city, '?q=第二'))).toEqual(['铁西区第二小学']);
      // q also matches a code prefix.
      expect(names(await page(city, '?q=12203'))).toEqual(['铁东区实验小学']);
      expect(names(await page(city, '?q=铁西区'))).toEqual([
        '铁西区教育局',
        '铁西区实验小学',
        '铁西区第二小学',
      ]);
      expect(names(await page(city, `?parentId=${world.countyA.id}`))).toEqual([
        '铁西区实验小学',
        '铁西区第二小学',
      ]);
      expect(names(await page(city, `?parentId=${world.city.id}`))).toEqual(['铁西区教育局', '铁东区教育局']);
      // `under` means the whole subtree without the unit itself.
      expect(names(await page(city, `?under=${world.city.id}&kind=school&stage=primary`))).toEqual([
        '铁西区实验小学',
        '铁西区第二小学',
        '铁东区实验小学',
      ]);
      expect(names(await page(city, `?under=${world.countyB.id}`))).toEqual(['铁东区实验小学']);
      // The county A admin: the same filters stay inside their county.
      expect(names(await page(adminA, '?kind=school'))).toEqual(['铁西区实验小学', '铁西区第二小学']);
      expect(names(await page(adminA, '?q=铁东'))).toEqual([]);
      expectError(await adminA.get(`/api/units?under=${world.countyB.id}`), 404, 'NOT_FOUND');
      expectError(await adminA.get(`/api/units?parentId=${world.countyB.id}`), 404, 'NOT_FOUND');
    }));

  it('pages with a stable order and the full total', () =>
    expectUnchanged(t.ctx, async () => {
      const p1 = await page(city, '?pageSize=4&page=1');
      const p2 = await page(city, '?pageSize=4&page=2');
      const p3 = await page(city, '?pageSize=4&page=3');
      expect([p1.total, p2.total, p3.total]).toEqual([6, 6, 6]);
      expect([p1.items.length, p2.items.length, p3.items.length]).toEqual([4, 2, 0]);
      expect([p1.page, p1.pageSize, p2.page]).toEqual([1, 4, 2]);
      const ids = [...p1.items, ...p2.items].map((u) => u.id);
      expect(new Set(ids).size).toBe(6);
      expect(ids).toEqual((await page(city, '?pageSize=100')).items.map((u) => u.id));
      expectError(await city.get('/api/units?pageSize=0'), 400, 'VALIDATION');
      expectError(await city.get('/api/units?pageSize=501'), 400, 'VALIDATION');
      expectError(await city.get('/api/units?page=-1'), 400, 'VALIDATION');
    }));

  it('/api/units/stats counts schools per county within scope', () =>
    expectUnchanged(t.ctx, async () => {
      const res = await city.get('/api/units/stats');
      expect(res.statusCode).toBe(200);
      expect(res.json<UnitStats>()).toEqual({
        schools: 3,
        byStage: [{ stage: 'primary', count: 3 }],
        byCounty: [
          { unitId: world.countyA.id, name: '铁西区教育局', schools: 2, users: 6 },
          { unitId: world.countyB.id, name: '铁东区教育局', schools: 1, users: 2 },
        ],
      });
      const a = (await adminA.get('/api/units/stats')).json<UnitStats>();
      expect(a).toEqual({
        schools: 2,
        byStage: [{ stage: 'primary', count: 2 }],
        byCounty: [{ unitId: world.countyA.id, name: '铁西区教育局', schools: 2, users: 6 }],
      });
      const under = (await city.get(`/api/units/stats?under=${world.countyB.id}`)).json<UnitStats>();
      expect(under.schools).toBe(1);
      expect(under.byCounty.map((c) => c.unitId)).toEqual([world.countyB.id]);
      expectError(await adminA.get(`/api/units/stats?under=${world.countyB.id}`), 404, 'NOT_FOUND');
    }));

  it('q with SQL characters is harmless: 200 and no extra rows', async () => {
    await expectUnchanged(t.ctx, async () => {
      for (const q of ["%' or 1=1 --", '%', '_', "'; drop table unit;--", '\\', '铁西%']) {
        const res = await city.get(`/api/units?q=${encodeURIComponent(q)}`);
        expect(res.statusCode).toBe(200);
        expect(res.json<UnitPage>()).toMatchObject({ items: [], total: 0 });
      }
      // The county A admin's LIKE stays inside the county.
      const res = await adminA.get(`/api/units?q=${encodeURIComponent("x%' or '1'='1")}`);
      expect(res.json<UnitPage>().total).toBe(0);
    });
    expect((await page(city, '?pageSize=100')).total).toBe(6);
  });
});

describe('creating units', () => {
  it('a county admin creates a school: 201, the row, and a unit.create audit event', async () => {
    const res = await adminA.post('/api/units', {
      parentId: world.countyA.id,
      kind: 'school',
      code: '1220200003',
      name: '铁西区第三中学',
      stage: 'junior',
      locality: 'urban',
      address: '吉林省四平市铁西区英雄大路 18 号',
      principal: '王丽',
      phone: '0434-3261234',
    });
    expect(res.statusCode).toBe(201);
    const created = res.json<Unit>();
    expect(created).toMatchObject({
      kind: 'school',
      code: '1220200003',
      name: '铁西区第三中学',
      parentId: world.countyA.id,
      regionCode: '220302',
      stage: 'junior',
      ownership: 'public',
      locality: 'urban',
      status: 'active',
      childCount: 0,
    });
    const row = await unitRow(created.id);
    const countyRow = await unitRow(world.countyA.id);
    expect(row).toMatchObject({
      kind: 'school',
      code: '1220200003',
      parent_id: world.countyA.id,
      path: `${countyRow.path}${created.id}/`,
      depth: 3,
      county_code: '220302',
      region_code: '220302',
      stage: 'junior',
      principal: '王丽',
    });
    const ev = (await auditEvents(t.ctx, 'unit.create')).at(-1)!;
    expect(ev).toMatchObject({
      actor_user_id: world.users.adminA.id,
      actor_name: 'a.admin',
      unit_id: created.id,
      object_type: 'unit',
      object_id: created.id,
      before: null,
      after: {
        id: created.id,
        code: '1220200003',
        name: '铁西区第三中学',
        kind: 'school',
        parentId: world.countyA.id,
      },
    });
    // Now visible to the county A admin and invisible to county B.
    await expectUnchanged(t.ctx, async () => {
      expect((await adminA.get(`/api/units/${created.id}`)).statusCode).toBe(200);
      expectError(await adminB.get(`/api/units/${created.id}`), 404, 'NOT_FOUND');
    });
  });

  it('a duplicate school code is 409 UNIT_CODE_TAKEN and changes nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      const res = await adminA.post('/api/units', {
        parentId: world.countyA.id,
        kind: 'school',
        code: '1220200001',
        name: '重复的学校',
      });
      expectError(res, 409, 'UNIT_CODE_TAKEN');
      // Unique across counties too.
      const b = await adminB.post('/api/units', {
        parentId: world.countyB.id,
        kind: 'school',
        code: '1220200003',
        name: '重复',
      });
      expectError(b, 409, 'UNIT_CODE_TAKEN');
    });
  });

  it('who may not create a county bureau under the city is refused, and nothing changes', async () => {
    const county = { parentId: world.city.id, kind: 'county_bureau', code: '220322', name: '梨树县教育局' };
    const leader = await loginAs(app, world.users.cityLeader.username, PASSWORD);
    await expectUnchanged(t.ctx, async () => {
      // The city lies outside the county admin's scope: as if it did not exist.
      expectError(await adminA.post('/api/units', county), 404, 'NOT_FOUND');
      // The city leader can read the city but not write to it.
      expectError(await leader.post('/api/units', county), 403, 'FORBIDDEN');
      // A county bureau cannot sit under a county bureau.
      expectError(
        await adminA.post('/api/units', { ...county, parentId: world.countyA.id }),
        400,
        'UNIT_KIND_NOT_ALLOWED',
      );
      // Nor a school under a school.
      expectError(
        await schoolA1.post('/api/units', {
          parentId: world.schoolA1.id,
          kind: 'school',
          code: '1220200077',
          name: '分校',
        }),
        400,
        'UNIT_KIND_NOT_ALLOWED',
      );
    });
  });

  it('a county code that is not a county of 四平 is 400 UNIT_REGION_UNKNOWN for the city admin', async () => {
    await expectUnchanged(t.ctx, async () => {
      for (const code of ['110101', '220102', '220300', '229999']) {
        const res = await city.post('/api/units', {
          parentId: world.city.id,
          kind: 'county_bureau',
          code,
          name: '外地教育局',
        });
        expectError(res, 400, 'UNIT_REGION_UNKNOWN');
      }
      // A school's region must lie inside its parent's area.
      const school = await adminA.post('/api/units', {
        parentId: world.countyA.id,
        kind: 'school',
        code: '1220200088',
        name: '外地学校',
        regionCode: '220303',
      });
      expectError(school, 400, 'UNIT_REGION_UNKNOWN');
    });
    // A real county of 四平 is accepted.
    const ok = await city.post('/api/units', {
      parentId: world.city.id,
      kind: 'county_bureau',
      code: '220322',
      name: '梨树县教育局',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json<Unit>()).toMatchObject({
      kind: 'county_bureau',
      code: '220322',
      regionName: '梨树县',
      parentId: world.city.id,
    });
    expect((await unitRow(ok.json<Unit>().id)).county_code).toBe('220322');
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await city.post('/api/units', {
          parentId: world.city.id,
          kind: 'county_bureau',
          code: '220322',
          name: '梨树县教育局',
        }),
        409,
        'UNIT_CODE_TAKEN',
      );
    });
  });

  it('invalid input is 400 VALIDATION with details, and nothing changes', async () => {
    const base = { parentId: world.countyA.id, kind: 'school', code: '1220200055', name: '合法名称' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, code: '122020005' }, 'body/code'],
      [{ ...base, name: '<script>alert(1)</script>' }, 'body/name'],
      [{ ...base, name: "x'; drop table unit;--" }, 'body/name'],
      [{ ...base, name: '' }, 'body/name'],
      [{ ...base, name: '学'.repeat(81) }, 'body/name'],
      [{ ...base, address: '<img src=x onerror=alert(1)>' }, 'body/address'],
      [{ ...base, phone: '12345' }, 'body/phone'],
      [{ ...base, stage: 'university' }, 'body/stage'],
      [{ ...base, kind: 'city_bureau' }, 'body/kind'],
      [{ ...base, parentId: 'not-a-uuid' }, 'body/parentId'],
    ];
    await expectUnchanged(t.ctx, async () => {
      for (const [body, path] of cases) {
        const err = expectError(await adminA.post('/api/units', body), 400, 'VALIDATION');
        expect(err.details?.map((d) => d.path)).toContain(path);
      }
    });
    const tables = await t.ctx.db
      .selectFrom('unit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(tables.n)).toBe(8);
  });
});

describe('editing units', () => {
  it('a school admin edits their own school (200, audit with the changed fields only)', async () => {
    const res = await schoolA1.patch(`/api/units/${world.schoolA1.id}`, {
      address: '铁西区北迎宾街 5 号',
      principal: '李强',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Unit>()).toMatchObject({
      address: '铁西区北迎宾街 5 号',
      principal: '李强',
      name: '铁西区实验小学',
    });
    expect(await unitRow(world.schoolA1.id)).toMatchObject({
      address: '铁西区北迎宾街 5 号',
      principal: '李强',
    });
    const ev = (await auditEvents(t.ctx, 'unit.update')).at(-1)!;
    expect(ev).toMatchObject({
      actor_user_id: world.users.schoolAdminA1.id,
      object_id: world.schoolA1.id,
      before: { address: null, principal: null },
      after: { address: '铁西区北迎宾街 5 号', principal: '李强' },
    });
  });

  it('a school admin cannot disable their own school (403) nor edit a sibling (404)', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await schoolA1.post(`/api/units/${world.schoolA1.id}/disable`, { reason: '自己停用' }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await schoolA1.patch(`/api/units/${world.schoolA2.id}`, { name: '改名' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await schoolA1.post(`/api/units/${world.schoolA2.id}/disable`, { reason: '停用' }),
        404,
        'NOT_FOUND',
      );
      expectError(await schoolA1.patch(`/api/units/${world.countyA.id}`, { name: '改名' }), 404, 'NOT_FOUND');
      // A county has no stage.
      expectError(
        await adminA.patch(`/api/units/${world.countyA.id}`, { stage: 'primary' }),
        400,
        'UNIT_FIELD_NOT_ALLOWED',
      );
    });
  });

  it('a leader may read but not change (PATCH 403, disable 403)', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await leaderA.patch(`/api/units/${world.schoolA1.id}`, { name: '领导改名' }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await leaderA.patch(`/api/units/${world.countyA.id}`, { name: '领导改名' }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await leaderA.post(`/api/units/${world.schoolA2.id}/disable`, { reason: '领导停用' }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await leaderA.post('/api/units', {
          parentId: world.countyA.id,
          kind: 'school',
          code: '1220200066',
          name: '领导建校',
        }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await inspectorA.patch(`/api/units/${world.schoolA1.id}`, { name: '督学改名' }),
        403,
        'FORBIDDEN',
      );
    });
    expect((await leaderA.get(`/api/units/${world.schoolA1.id}`)).statusCode).toBe(200);
  });

  it('a county admin disables a school with a reason and enables it again', async () => {
    const res = await adminA.post(`/api/units/${world.schoolA2.id}/disable`, { reason: '撤并到第一小学' });
    expect(res.statusCode).toBe(200);
    expect(res.json<Unit>()).toMatchObject({ status: 'disabled', disabledReason: '撤并到第一小学' });
    const row = await unitRow(world.schoolA2.id);
    expect(row).toMatchObject({ status: 'disabled', disabled_reason: '撤并到第一小学' });
    expect(row.disabled_at).not.toBeNull();
    expect((await auditEvents(t.ctx, 'unit.disable')).at(-1)).toMatchObject({
      actor_user_id: world.users.adminA.id,
      object_id: world.schoolA2.id,
      before: { status: 'active', disabledReason: null },
      after: { status: 'disabled', disabledReason: '撤并到第一小学', reason: '撤并到第一小学' },
    });
    expect(names(await page(adminA, '?status=disabled'))).toEqual(['铁西区第二小学']);

    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminA.post(`/api/units/${world.schoolA2.id}/disable`, { reason: '再停' }),
        409,
        'UNIT_STATUS_UNCHANGED',
      );
      expectError(
        await adminA.post(`/api/units/${world.schoolA2.id}/disable`, { reason: '' }),
        400,
        'VALIDATION',
      );
      expectError(await adminA.post(`/api/units/${world.schoolA2.id}/enable`, {}), 400, 'VALIDATION');
      expectError(
        await adminB.post(`/api/units/${world.schoolA2.id}/enable`, { reason: '恢复' }),
        404,
        'NOT_FOUND',
      );
    });

    const back = await adminA.post(`/api/units/${world.schoolA2.id}/enable`, { reason: '恢复办学' });
    expect(back.statusCode).toBe(200);
    expect(back.json<Unit>()).toMatchObject({ status: 'active', disabledReason: null });
    expect(await unitRow(world.schoolA2.id)).toMatchObject({
      status: 'active',
      disabled_reason: null,
      disabled_at: null,
    });
    expect((await auditEvents(t.ctx, 'unit.enable')).at(-1)).toMatchObject({
      object_id: world.schoolA2.id,
      after: { status: 'active', reason: '恢复办学' },
    });
  });

  it('disabling a county with active schools is 409 UNIT_HAS_ACTIVE_CHILDREN', async () => {
    await expectUnchanged(t.ctx, async () => {
      const res = await city.post(`/api/units/${world.countyA.id}/disable`, { reason: '撤销' });
      expectError(res, 409, 'UNIT_HAS_ACTIVE_CHILDREN');
      // The county admin decides about the schools, not about their own county.
      expectError(
        await adminA.post(`/api/units/${world.countyA.id}/disable`, { reason: '撤销' }),
        403,
        'FORBIDDEN',
      );
      // Nobody disables the root.
      expectError(
        await city.post(`/api/units/${world.city.id}/disable`, { reason: '撤销' }),
        403,
        'FORBIDDEN',
      );
    });
  });
});
