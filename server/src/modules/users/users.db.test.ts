import type { User, UserPage } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import {
  auditEvents,
  expectError,
  expectOnlyAudited,
  expectUnchanged,
  sessionCount,
} from '../../../test/helpers.js';
import { assertPasswordPolicy } from '../../platform/auth/password.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let leaderA: Client;
let teacherA1: Client;

const ID_NUMBER = generateIdNumber('220302', '1985-06-15', 'M', 7);
const MASKED = `${ID_NUMBER.slice(0, 6)}********${ID_NUMBER.slice(14)}`;
/** The same number with another check character. */
const BAD_CHECK = ID_NUMBER.slice(0, 17) + (ID_NUMBER[17] === '1' ? '2' : '1');

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
  teacherA1 = await loginAs(app, u.teacherA1.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const userRow = (id: string) =>
  t.ctx.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const rolesOf = async (id: string) =>
  (await t.ctx.db.selectFrom('user_role').select(['role', 'unit_id']).where('user_id', '=', id).execute())
    .map((r) => `${r.role}@${r.unit_id}`)
    .sort();

let newTeacher: { id: string; password: string };
let withId: User;

describe('creating accounts', () => {
  it('a county admin creates a teacher at a school of their county (201, policy-strong initial password)', async () => {
    const res = await adminA.post('/api/users', {
      username: 'a1.zhang',
      displayName: '张老师',
      unitId: world.schoolA1.id,
      phone: '13943001234',
      roles: [{ role: 'teacher', unitId: world.schoolA1.id }],
    });
    expect(res.statusCode).toBe(201);
    const { user, initialPassword } = res.json<{ user: User; initialPassword: string }>();
    expect(() => assertPasswordPolicy(initialPassword, 'a1.zhang')).not.toThrow();
    expect(user).toMatchObject({
      username: 'a1.zhang',
      displayName: '张老师',
      unitId: world.schoolA1.id,
      unitName: '铁西区实验小学',
      phone: '13943001234',
      idNumberMasked: null,
      roles: [{ role: 'teacher', unitId: world.schoolA1.id, unitName: '铁西区实验小学' }],
      inspectorSchoolIds: [],
      status: 'active',
      mustChangePassword: true,
      totpEnabled: false,
      lastLoginAt: null,
    });
    const row = await userRow(user.id);
    expect(row).toMatchObject({
      username: 'a1.zhang',
      unit_id: world.schoolA1.id,
      must_change_password: true,
    });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await rolesOf(user.id)).toEqual([`teacher@${world.schoolA1.id}`]);
    const ev = (await auditEvents(t.ctx, 'user.create')).at(-1)!;
    expect(ev).toMatchObject({
      actor_user_id: world.users.adminA.id,
      object_id: user.id,
      unit_id: world.schoolA1.id,
      after: { username: 'a1.zhang', roles: [`teacher@${world.schoolA1.id}`] },
    });
    expect(JSON.stringify(await auditEvents(t.ctx))).not.toContain(initialPassword);
    newTeacher = { id: user.id, password: initialPassword };
    // The new account logs in with it and must change it.
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a1.zhang', password: initialPassword },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(true);
  });

  it('refuses roles the actor may not grant or that do not fit, and changes nothing', async () => {
    const person = (unitId: string, role: string, roleUnit: string) => ({
      username: 'x.refused',
      displayName: '不应创建',
      unitId,
      roles: [{ role, unitId: roleUnit }],
    });
    const { countyA, city: cityUnit, schoolA1: s1, schoolA2: s2 } = world;
    await expectUnchanged(t.ctx, async () => {
      // Only a city admin grants city_admin.
      expectError(
        await adminA.post('/api/users', person(countyA.id, 'city_admin', countyA.id)),
        403,
        'FORBIDDEN',
      );
      // The city itself is outside the county admin's scope.
      expectError(
        await adminA.post('/api/users', person(countyA.id, 'city_admin', cityUnit.id)),
        404,
        'NOT_FOUND',
      );
      expectError(
        await adminA.post('/api/users', person(cityUnit.id, 'city_admin', cityUnit.id)),
        404,
        'NOT_FOUND',
      );
      // A teacher belongs at a school, not at a county bureau.
      expectError(
        await adminA.post('/api/users', person(countyA.id, 'teacher', countyA.id)),
        400,
        'ROLE_UNIT_KIND',
      );
      expectError(
        await city.post('/api/users', person(cityUnit.id, 'school_admin', cityUnit.id)),
        400,
        'ROLE_UNIT_KIND',
      );
      // A role sits at the home unit or below it.
      expectError(
        await adminA.post('/api/users', person(s1.id, 'school_admin', s2.id)),
        400,
        'ROLE_OUTSIDE_HOME_UNIT',
      );
      expectError(
        await adminA.post('/api/users', person(s1.id, 'county_admin', countyA.id)),
        400,
        'ROLE_OUTSIDE_HOME_UNIT',
      );
      // A school admin grants neither county_admin nor inspector, even at their own school.
      expectError(await schoolA1.post('/api/users', person(s1.id, 'county_admin', s1.id)), 403, 'FORBIDDEN');
      expectError(await schoolA1.post('/api/users', person(s1.id, 'inspector', s1.id)), 403, 'FORBIDDEN');
      expectError(
        await schoolA1.post('/api/users', person(countyA.id, 'county_admin', countyA.id)),
        404,
        'NOT_FOUND',
      );
      // Leaders and teachers manage no accounts; county B does not see county A.
      expectError(await leaderA.post('/api/users', person(s1.id, 'teacher', s1.id)), 403, 'FORBIDDEN');
      expectError(await teacherA1.post('/api/users', person(s1.id, 'teacher', s1.id)), 403, 'FORBIDDEN');
      expectError(await adminB.post('/api/users', person(s1.id, 'teacher', s1.id)), 404, 'NOT_FOUND');
    });
    // What a school admin may grant works.
    const ok = await schoolA1.post('/api/users', person(world.schoolA1.id, 'teacher', world.schoolA1.id));
    expect(ok.statusCode).toBe(201);
  });

  it('a taken user name is 409 USERNAME_TAKEN and changes nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      const res = await adminA.post('/api/users', {
        username: 'a1.teacher',
        displayName: '重名',
        unitId: world.schoolA1.id,
        roles: [{ role: 'teacher', unitId: world.schoolA1.id }],
      });
      expectError(res, 409, 'USERNAME_TAKEN');
      // Also when the name is taken in another county.
      const b = await adminB.post('/api/users', {
        username: 'a1.zhang',
        displayName: '重名',
        unitId: world.schoolB1.id,
        roles: [{ role: 'teacher', unitId: world.schoolB1.id }],
      });
      expectError(b, 409, 'USERNAME_TAKEN');
    });
  });

  it('an ID number with a wrong check digit is 400 ID_CHECKSUM and changes nothing', async () => {
    const body = (idNumber: string) => ({
      username: 'a1.idcheck',
      displayName: '身份证',
      unitId: world.schoolA1.id,
      idNumber,
      roles: [{ role: 'teacher', unitId: world.schoolA1.id }],
    });
    await expectUnchanged(t.ctx, async () => {
      const err = expectError(await adminA.post('/api/users', body(BAD_CHECK)), 400, 'ID_CHECKSUM');
      expect(err.details).toEqual([{ path: 'body/idNumber', message: 'ID_CHECKSUM' }]);
      expect(err.message).toMatch(/校验位/);
      expectError(await adminA.post('/api/users', body('22030219850615')), 400, 'ID_FORMAT');
      expectError(await adminA.post('/api/users', body('220302850615123')), 400, 'ID_FIFTEEN_DIGIT');
    });
  });

  it('a valid ID number is stored encrypted with its keyed hash and shown masked (digits 7–14)', async () => {
    const res = await adminA.post('/api/users', {
      username: 'a1.li',
      displayName: '李老师',
      unitId: world.schoolA1.id,
      idNumber: ID_NUMBER,
      roles: [{ role: 'teacher', unitId: world.schoolA1.id }],
    });
    expect(res.statusCode).toBe(201);
    withId = res.json<{ user: User }>().user;
    expect(withId.idNumberMasked).toBe(MASKED);
    expect(res.body).not.toContain(ID_NUMBER);

    const row = await userRow(withId.id);
    expect(row.id_number_enc).not.toBeNull();
    expect(row.id_number_enc).not.toContain(ID_NUMBER);
    expect(row.id_number_enc).not.toContain(ID_NUMBER.slice(6, 14));
    expect(row.id_number_enc).toMatch(/^v1:/);
    expect(row.id_number_hmac).toBe(t.ctx.vault.hmac(ID_NUMBER));
    expect(t.ctx.vault.decrypt(row.id_number_enc!)).toBe(ID_NUMBER);

    const get = await adminA.get(`/api/users/${withId.id}`);
    expect(get.statusCode).toBe(200);
    expect(get.json<User>().idNumberMasked).toBe(MASKED);
    expect(get.body).not.toContain(ID_NUMBER);
    const list = await adminA.get(`/api/users?unitId=${world.schoolA1.id}&pageSize=100`);
    expect(list.body).not.toContain(ID_NUMBER);
    expect(list.json<UserPage>().items.find((u) => u.id === withId.id)?.idNumberMasked).toBe(MASKED);
    // The trail keeps the masked number only.
    expect(JSON.stringify(await auditEvents(t.ctx))).not.toContain(ID_NUMBER);
  });
});

describe('revealing ID numbers', () => {
  it('a county admin sees the full number, and a person.reveal event is recorded', async () => {
    const before = (await auditEvents(t.ctx, 'person.reveal')).length;
    const res = await adminA.post(`/api/users/${withId.id}/reveal-id`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ idNumber: ID_NUMBER });
    const events = await auditEvents(t.ctx, 'person.reveal');
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      actor_user_id: world.users.adminA.id,
      object_type: 'user',
      object_id: withId.id,
      unit_id: world.schoolA1.id,
      ip: '127.0.0.1',
      after: { field: 'id_number', masked: MASKED },
    });
    expect(JSON.stringify(events.at(-1))).not.toContain(ID_NUMBER);
  });

  it('a leader gets 403, a teacher and another county 404, and no event is recorded', async () => {
    await expectUnchanged(t.ctx, async () => {
      const leader = expectError(await leaderA.post(`/api/users/${withId.id}/reveal-id`), 403, 'FORBIDDEN');
      expect(JSON.stringify(leader)).not.toContain(ID_NUMBER);
      // A teacher reads no accounts at all: the account does not exist for them.
      expectError(await teacherA1.post(`/api/users/${withId.id}/reveal-id`), 404, 'NOT_FOUND');
      expectError(await teacherA1.get(`/api/users/${withId.id}`), 404, 'NOT_FOUND');
      expectError(await adminB.post(`/api/users/${withId.id}/reveal-id`), 404, 'NOT_FOUND');
    });
    // The leader reads the account, masked.
    const seen = await leaderA.get(`/api/users/${withId.id}`);
    expect(seen.json<User>().idNumberMasked).toBe(MASKED);
  });
});

describe('changing accounts', () => {
  it('reset-password ends the user’s sessions and returns a new initial password', async () => {
    const login = async (password: string) =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a1.teacher', password } });
    expect(await sessionCount(t.ctx, world.users.teacherA1.id)).toBeGreaterThan(0);
    const res = await adminA.post(`/api/users/${world.users.teacherA1.id}/reset-password`);
    expect(res.statusCode).toBe(200);
    const { initialPassword } = res.json<{ initialPassword: string }>();
    expect(() => assertPasswordPolicy(initialPassword, 'a1.teacher')).not.toThrow();
    expect(await sessionCount(t.ctx, world.users.teacherA1.id)).toBe(0);
    await expectUnchanged(t.ctx, async () => {
      expectError(await teacherA1.get('/api/units'), 401, 'UNAUTHENTICATED');
    });
    expect((await userRow(world.users.teacherA1.id)).must_change_password).toBe(true);
    expect((await auditEvents(t.ctx, 'user.reset_password')).at(-1)).toMatchObject({
      actor_user_id: world.users.adminA.id,
      object_id: world.users.teacherA1.id,
      after: { mustChangePassword: true },
    });
    expect(JSON.stringify(await auditEvents(t.ctx))).not.toContain(initialPassword);
    await expectOnlyAudited(t.ctx, async () => {
      expectError(await login(PASSWORD), 401, 'INVALID_CREDENTIALS');
    });
    const ok = await login(initialPassword);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(true);
  });

  it('one cannot disable or reset oneself (400 SELF_ACTION) and nothing changes', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(await adminA.post(`/api/users/${world.users.adminA.id}/disable`), 400, 'SELF_ACTION');
      expectError(
        await adminA.post(`/api/users/${world.users.adminA.id}/reset-password`),
        400,
        'SELF_ACTION',
      );
      // A county admin cannot disable the city admin, who is outside their scope.
      expectError(await adminA.post(`/api/users/${world.users.cityAdmin.id}/disable`), 404, 'NOT_FOUND');
      // A school admin cannot disable their county admin, whose account lies above their school.
      expectError(await schoolA1.post(`/api/users/${world.users.adminA.id}/disable`), 404, 'NOT_FOUND');
      expectError(await city.post(`/api/users/${world.users.cityAdmin.id}/disable`), 400, 'SELF_ACTION');
    });
    expect(await sessionCount(t.ctx, world.users.adminA.id)).toBeGreaterThan(0);
  });

  it('PATCH roles replaces the grants; user.update shows before and after', async () => {
    const res = await adminA.patch(`/api/users/${newTeacher.id}`, {
      displayName: '张主任',
      roles: [
        { role: 'leader', unitId: world.schoolA1.id },
        { role: 'school_admin', unitId: world.schoolA1.id },
      ],
    });
    expect(res.statusCode).toBe(200);
    const u = res.json<User>();
    expect(u.displayName).toBe('张主任');
    expect(u.roles.map((r) => r.role).sort()).toEqual(['leader', 'school_admin']);
    expect(await rolesOf(newTeacher.id)).toEqual(
      [`leader@${world.schoolA1.id}`, `school_admin@${world.schoolA1.id}`].sort(),
    );
    const ev = (await auditEvents(t.ctx, 'user.update')).at(-1)!;
    expect(ev.actor_user_id).toBe(world.users.adminA.id);
    expect(ev.object_id).toBe(newTeacher.id);
    const before = ev.before as { roles: string[]; displayName: string };
    const after = ev.after as { roles: string[]; displayName: string };
    expect(before).toEqual({ displayName: '张老师', roles: [`teacher@${world.schoolA1.id}`] });
    expect(after.displayName).toBe('张主任');
    expect([...after.roles].sort()).toEqual(
      [`leader@${world.schoolA1.id}`, `school_admin@${world.schoolA1.id}`].sort(),
    );

    // Refused changes leave the grants as they are.
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminA.patch(`/api/users/${newTeacher.id}`, {
          roles: [{ role: 'teacher', unitId: world.countyA.id }],
        }),
        400,
        'ROLE_UNIT_KIND',
      );
      expectError(await adminA.patch(`/api/users/${newTeacher.id}`, { roles: [] }), 400, 'VALIDATION');
      expectError(
        await schoolA1.patch(`/api/users/${newTeacher.id}`, {
          roles: [{ role: 'county_admin', unitId: world.schoolA1.id }],
        }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await adminB.patch(`/api/users/${newTeacher.id}`, { displayName: '外县改名' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await leaderA.patch(`/api/users/${newTeacher.id}`, { displayName: '领导改名' }),
        403,
        'FORBIDDEN',
      );
    });
  });

  it('an inspector’s schools must lie in the inspector’s county', async () => {
    const inspector = world.users.inspectorA.id;
    await expectUnchanged(t.ctx, async () => {
      // The county A admin does not even see county B's school.
      expectError(
        await adminA.patch(`/api/users/${inspector}`, { inspectorSchoolIds: [world.schoolB1.id] }),
        404,
        'NOT_FOUND',
      );
      // The city admin sees it, but it is outside the inspector's county.
      expectError(
        await city.patch(`/api/users/${inspector}`, {
          inspectorSchoolIds: [world.schoolA1.id, world.schoolB1.id],
        }),
        400,
        'SCHOOL_OUTSIDE_INSPECTOR_AREA',
      );
      // Only schools are assigned.
      expectError(
        await city.patch(`/api/users/${inspector}`, { inspectorSchoolIds: [world.countyA.id] }),
        400,
        'SCHOOL_OUTSIDE_INSPECTOR_AREA',
      );
      // Only inspectors are assigned schools.
      expectError(
        await adminA.patch(`/api/users/${world.users.leaderA.id}`, {
          inspectorSchoolIds: [world.schoolA1.id],
        }),
        400,
        'NOT_AN_INSPECTOR',
      );
    });
    const ok = await adminA.patch(`/api/users/${inspector}`, {
      inspectorSchoolIds: [world.schoolA1.id, world.schoolA2.id],
    });
    expect(ok.statusCode).toBe(200);
    expect([...ok.json<User>().inspectorSchoolIds].sort()).toEqual(
      [world.schoolA1.id, world.schoolA2.id].sort(),
    );
    const rows = await t.ctx.db
      .selectFrom('inspector_school')
      .select('school_id')
      .where('user_id', '=', inspector)
      .execute();
    expect(rows.map((r) => r.school_id).sort()).toEqual([world.schoolA1.id, world.schoolA2.id].sort());
    // The inspector now sees both schools.
    const c = await loginAs(app, world.users.inspectorA.username, PASSWORD);
    const units = (await c.get('/api/units')).json<{ items: { id: string }[] }>();
    expect(units.items.map((x) => x.id).sort()).toEqual([world.schoolA1.id, world.schoolA2.id].sort());
  });
});

describe('listing accounts', () => {
  it('lists only accounts in scope, with filters', () =>
    expectUnchanged(t.ctx, async () => {
      const names = async (c: Client, q = '') =>
        (await c.get(`/api/users?pageSize=500${q}`)).json<UserPage>().items.map((u) => u.username);
      const b = await names(adminB);
      expect(b.sort()).toEqual(['b.admin', 'b1.admin']);
      const a = await names(adminA);
      expect(a).toContain('a1.li');
      expect(a).not.toContain('b.admin');
      expect(a).not.toContain('city.admin');
      expect(await names(adminA, '&role=inspector')).toEqual(['a.inspector']);
      expect(await names(adminA, '&q=a1.l')).toEqual(['a1.li']);
      expect(await names(adminA, `&q=${encodeURIComponent("%' or 1=1 --")}`)).toEqual([]);
      expect(await names(schoolA1, `&unitId=${world.schoolA1.id}`)).not.toContain('a.admin');
      expectError(await adminA.get(`/api/users?unitId=${world.schoolB1.id}`), 404, 'NOT_FOUND');
    }));
});
