import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, snapshot, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type TestDb } from '../../../test/harness.js';
import {
  auditEvents,
  expectError,
  expectOnlyAudited,
  expectUnchanged,
  makeUser,
  sessionCookie,
  sessionCount,
  snapshotDiff,
  snapshotWithoutAudit,
} from '../../../test/helpers.js';
import { assertPasswordPolicy } from './password.js';
import { sha256 } from './sessions.js';
import { currentTotp } from './totp.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  // The city administrator must use a second factor here; every other role signs in with a password.
  t = await openTestDb({ totpRequiredRoles: ['city_admin'] });
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const login = (body: Record<string, unknown>, a: FastifyInstance = app) =>
  a.inject({ method: 'POST', url: '/api/auth/login', payload: body });

const userRow = (id: string) =>
  t.ctx.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('login', () => {
  it('answers 200 with httpOnly SameSite=Strict session cookie, a CSRF cookie and the profile', async () => {
    const res = await login({ username: world.users.adminA.username, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const sid = res.cookies.find((c) => c.name === 'dudao_sid');
    expect(sid).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(sid!.value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const csrfCookie = res.cookies.find((c) => c.name === 'dudao_csrf');
    expect(csrfCookie).toMatchObject({ sameSite: 'Strict', path: '/' });
    expect(csrfCookie!.httpOnly).toBeFalsy();

    const body = res.json<{ user: Record<string, unknown>; csrfToken: string }>();
    expect(body.csrfToken).toBe(csrfCookie!.value);
    expect(body.user).toEqual({
      id: world.users.adminA.id,
      username: 'a.admin',
      displayName: expect.any(String) as string,
      unit: { id: world.countyA.id, name: '铁西区教育局', kind: 'county_bureau' },
      roles: [{ role: 'county_admin', unitId: world.countyA.id, unitName: '铁西区教育局' }],
      access: {
        manageUnits: true,
        manageUsers: true,
        readAudit: true,
        revealPersonalData: true,
        manageTokens: true,
        readFindings: true,
        raiseFindings: true,
        manageSafety: true,
        inspectSafety: true,
        manageGrids: true,
        manageInspectors: true,
        visitSchools: true,
        takeAttendance: true,
        readDropout: true,
        manageDropout: true,
        readPlans: true,
        managePlans: true,
        reportProgress: true,
        manageAssessment: true,
        readTraining: true,
        manageTraining: true,
        readComplaints: true,
        handleComplaints: true,
        manageComplaints: true,
        readCollection: true,
        enterData: true,
        approveData: true,
        manageCollection: true,
      },
      mustChangePassword: false,
      totpEnrollmentRequired: false,
      totpEnabled: false,
      idleTimeoutMinutes: 30,
    });
    expect(res.body).not.toMatch(/password_hash|argon2/);

    // The session is stored by hash only, with the CSRF token it was issued.
    const row = await t.ctx.db
      .selectFrom('session')
      .selectAll()
      .where('id_hash', '=', sha256(sid!.value))
      .executeTakeFirstOrThrow();
    expect(row.user_id).toBe(world.users.adminA.id);
    expect(row.csrf_token).toBe(body.csrfToken);
    const stored = await t.ctx.db.selectFrom('session').select('id_hash').execute();
    expect(stored.map((s) => s.id_hash)).not.toContain(sid!.value);

    // The cookie works.
    const me = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: sessionCookie(res) },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ user: { id: string } }>().user.id).toBe(world.users.adminA.id);
  });

  it('refuses a wrong password with 401 INVALID_CREDENTIALS and records the failure', async () => {
    const before = await snapshotWithoutAudit(t.ctx);
    const failuresBefore = (await userRow(world.users.leaderA.id)).failed_logins;
    const res = await login({ username: world.users.leaderA.username, password: 'Wrong@2026x' });
    expectError(res, 401, 'INVALID_CREDENTIALS');
    expect(res.cookies.find((c) => c.name === 'dudao_sid')).toBeUndefined();
    expect(await snapshotWithoutAudit(t.ctx)).toBe(before);
    expect((await userRow(world.users.leaderA.id)).failed_logins).toBe(failuresBefore + 1);
    const last = (await auditEvents(t.ctx)).at(-1)!;
    expect(last).toMatchObject({
      action: 'auth.login_failed',
      actor_user_id: world.users.leaderA.id,
      actor_unit_id: world.countyA.id,
      unit_id: world.countyA.id,
      object_id: world.users.leaderA.id,
      ip: '127.0.0.1',
      after: { username: 'a.leader', reason: 'bad_password' },
    });
    expect(JSON.stringify(last)).not.toContain('Wrong@2026x');
  });

  it('refuses an unknown user with the same 401 INVALID_CREDENTIALS', async () => {
    const before = await snapshotWithoutAudit(t.ctx);
    const res = await login({ username: 'nobody.here', password: PASSWORD });
    const body = expectError(res, 401, 'INVALID_CREDENTIALS');
    const wrong = await login({ username: world.users.leaderA.username, password: 'Wrong@2026x' });
    expect(wrong.json<{ message: string }>().message).toBe(body.message);
    expect(await snapshotWithoutAudit(t.ctx)).toBe(before);
    const failed = (await auditEvents(t.ctx, 'auth.login_failed')).filter(
      (e) => (e.after as { username?: string } | null)?.username === 'nobody.here',
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      actor_user_id: null,
      actor_name: 'nobody.here',
      unit_id: null,
      ip: '127.0.0.1',
      after: { username: 'nobody.here', reason: 'unknown_user' },
    });
  });

  it('records auth.login with the actor, their unit and the IP', async () => {
    await loginAs(app, world.users.schoolAdminA1.username, PASSWORD);
    const last = (await auditEvents(t.ctx, 'auth.login')).at(-1)!;
    expect(last).toMatchObject({
      actor_user_id: world.users.schoolAdminA1.id,
      actor_name: 'a1.admin',
      actor_unit_id: world.schoolA1.id,
      unit_id: world.schoolA1.id,
      object_type: 'user',
      object_id: world.users.schoolAdminA1.id,
      ip: '127.0.0.1',
      after: { totp: false },
    });
    expect((await userRow(world.users.schoolAdminA1.id)).last_login_at).not.toBeNull();
  });

  it('refuses malformed login bodies with 400 and records nothing', async () => {
    for (const payload of [
      {},
      { username: 'a.admin' },
      { username: 'a.admin', password: PASSWORD, extra: 1 },
    ]) {
      await expectUnchanged(t.ctx, async () => {
        expectError(await login(payload), 400, 'VALIDATION');
      });
    }
  });
});

describe('lockout', () => {
  it('locks after 5 failures (423 ACCOUNT_LOCKED); the right password is then refused too', async () => {
    const u = await makeUser(t.ctx, 'lock.me', world.schoolA2.id, 'teacher');
    for (let i = 1; i <= 4; i++) {
      expectError(
        await login({ username: u.username, password: `Wrong@${i}xyz` }),
        401,
        'INVALID_CREDENTIALS',
      );
      expect((await userRow(u.id)).failed_logins).toBe(i);
    }
    const fifth = await login({ username: u.username, password: 'Wrong@5xyz' });
    expectError(fifth, 423, 'ACCOUNT_LOCKED');
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(14 * 60);
    const row = await userRow(u.id);
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);

    const sessionsBefore = await sessionCount(t.ctx, u.id);
    const before = await snapshotWithoutAudit(t.ctx);
    expectError(await login({ username: u.username, password: PASSWORD }), 423, 'ACCOUNT_LOCKED');
    expect(await snapshotWithoutAudit(t.ctx)).toBe(before);
    expect(await sessionCount(t.ctx, u.id)).toBe(sessionsBefore);
    const reasons = (await auditEvents(t.ctx, 'auth.login_failed'))
      .filter((e) => e.actor_user_id === u.id)
      .map((e) => (e.after as { reason: string }).reason);
    expect(reasons).toEqual([
      'bad_password',
      'bad_password',
      'bad_password',
      'bad_password',
      'locked_now',
      'locked',
    ]);

    // The lock expires: move it into the past.
    await t.ctx.db
      .updateTable('app_user')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('id', '=', u.id)
      .execute();
    const ok = await login({ username: u.username, password: PASSWORD });
    expect(ok.statusCode).toBe(200);
    const after = await userRow(u.id);
    expect(after.locked_until).toBeNull();
    expect(after.failed_logins).toBe(0);
  });

  it('a county admin unlocks a locked account through POST /api/users/:id/unlock', async () => {
    const u = await makeUser(t.ctx, 'lock.two', world.schoolA1.id, 'teacher');
    for (let i = 1; i <= 5; i++) await login({ username: u.username, password: `Wrong@${i}xyz` });
    await expectOnlyAudited(t.ctx, async () => {
      expectError(await login({ username: u.username, password: PASSWORD }), 423, 'ACCOUNT_LOCKED');
    });

    // The county B admin may not (404: the account is not in their scope).
    const b = await loginAs(app, world.users.adminB.username, PASSWORD);
    await expectUnchanged(t.ctx, async () => {
      expectError(await b.post(`/api/users/${u.id}/unlock`), 404, 'NOT_FOUND');
    });

    const admin = await loginAs(app, world.users.adminA.username, PASSWORD);
    const res = await admin.post(`/api/users/${u.id}/unlock`);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ id: string; status: string }>()).toMatchObject({ id: u.id, status: 'active' });
    expect((await userRow(u.id)).locked_until).toBeNull();
    const ev = (await auditEvents(t.ctx, 'user.unlock')).at(-1)!;
    expect(ev).toMatchObject({
      actor_user_id: world.users.adminA.id,
      object_id: u.id,
      before: { status: 'locked' },
      after: { status: 'active' },
    });
    expect((await login({ username: u.username, password: PASSWORD })).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('ends a session idle for more than 30 minutes: 401 SESSION_EXPIRED and the row is gone', async () => {
    const c = await loginAs(app, world.users.leaderA.username, PASSWORD);
    const idHash = sha256(c.cookie.slice('dudao_sid='.length));
    expect((await c.get('/api/units')).statusCode).toBe(200);
    // 29 minutes idle is still fine.
    await t.ctx.db
      .updateTable('session')
      .set({ last_seen_at: new Date(Date.now() - 29 * 60_000) })
      .where('id_hash', '=', idHash)
      .execute();
    expect((await c.get('/api/units')).statusCode).toBe(200);
    await t.ctx.db
      .updateTable('session')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('id_hash', '=', idHash)
      .execute();
    await expectUnchanged(t.ctx, async () => {
      expectError(await c.get('/api/units'), 401, 'SESSION_EXPIRED');
      expect(
        await t.ctx.db.selectFrom('session').selectAll().where('id_hash', '=', idHash).execute(),
      ).toEqual([]);
      expectError(await c.get('/api/units'), 401, 'UNAUTHENTICATED');
    });
  });

  it('ends a session at its absolute expiry', async () => {
    const c = await loginAs(app, world.users.leaderA.username, PASSWORD);
    const idHash = sha256(c.cookie.slice('dudao_sid='.length));
    await t.ctx.db
      .updateTable('session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id_hash', '=', idHash)
      .execute();
    await expectUnchanged(t.ctx, async () => {
      expectError(await c.get('/api/auth/me'), 401, 'SESSION_EXPIRED');
      expect(
        await t.ctx.db.selectFrom('session').selectAll().where('id_hash', '=', idHash).execute(),
      ).toEqual([]);
    });
  });

  it('logout ends the session: the cookie no longer works', async () => {
    const c = await loginAs(app, world.users.teacherA1.username, PASSWORD);
    const idHash = sha256(c.cookie.slice('dudao_sid='.length));
    const res = await c.post('/api/auth/logout');
    expect(res.statusCode).toBe(204);
    expect(res.cookies.find((x) => x.name === 'dudao_sid')?.value).toBe('');
    expect(await t.ctx.db.selectFrom('session').selectAll().where('id_hash', '=', idHash).execute()).toEqual(
      [],
    );
    expect((await auditEvents(t.ctx, 'auth.logout')).at(-1)).toMatchObject({
      actor_user_id: world.users.teacherA1.id,
    });
    await expectUnchanged(t.ctx, async () => {
      expectError(await c.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
      expectError(await c.get('/api/units'), 401, 'UNAUTHENTICATED');
    });
  });

  it('no cookie, or a forged one, is 401 and changes nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(await app.inject({ method: 'GET', url: '/api/units' }), 401, 'UNAUTHENTICATED');
      expectError(
        await app.inject({ method: 'GET', url: '/api/units', headers: { cookie: 'dudao_sid=forged-value' } }),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  it('disabling a user by their county admin kills their live session', async () => {
    const u = await makeUser(t.ctx, 'to.disable', world.schoolA1.id, 'teacher');
    const victim = await loginAs(app, u.username, PASSWORD);
    expect((await victim.get('/api/units')).statusCode).toBe(200);
    expect(await sessionCount(t.ctx, u.id)).toBe(1);

    const admin = await loginAs(app, world.users.adminA.username, PASSWORD);
    const res = await admin.post(`/api/users/${u.id}/disable`);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ status: string }>().status).toBe('disabled');
    expect(await sessionCount(t.ctx, u.id)).toBe(0);
    expect((await userRow(u.id)).disabled_at).not.toBeNull();
    await expectUnchanged(t.ctx, async () => {
      expectError(await victim.get('/api/units'), 401, 'UNAUTHENTICATED');
    });

    // A disabled account cannot log in again (the failure is recorded).
    await expectOnlyAudited(t.ctx, async () => {
      expectError(await login({ username: u.username, password: PASSWORD }), 401, 'ACCOUNT_DISABLED');
    });
    expect(await sessionCount(t.ctx, u.id)).toBe(0);
  });
});

describe('CSRF', () => {
  it('refuses a state change without, or with a wrong, x-csrf-token (403) and changes nothing', async () => {
    const c = await loginAs(app, world.users.adminA.username, PASSWORD);
    const body = { parentId: world.countyA.id, kind: 'school', code: '1220200099', name: '铁西区无令牌小学' };
    const other = await loginAs(app, world.users.adminA.username, PASSWORD);
    await expectUnchanged(t.ctx, async () => {
      const none = await app.inject({
        method: 'POST',
        url: '/api/units',
        headers: { cookie: c.cookie },
        payload: body,
      });
      expectError(none, 403, 'FORBIDDEN');
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/units',
        headers: { cookie: c.cookie, 'x-csrf-token': 'x'.repeat(c.csrf.length) },
        payload: body,
      });
      expectError(wrong, 403, 'FORBIDDEN');
      const patch = await app.inject({
        method: 'PATCH',
        url: `/api/units/${world.schoolA1.id}`,
        headers: { cookie: c.cookie },
        payload: { name: '改名' },
      });
      expectError(patch, 403, 'FORBIDDEN');
      // Another session's token does not fit this session.
      const crossed = await app.inject({
        method: 'POST',
        url: '/api/units',
        headers: { cookie: c.cookie, 'x-csrf-token': other.csrf },
        payload: body,
      });
      expectError(crossed, 403, 'FORBIDDEN');
    });
    expect(await t.ctx.db.selectFrom('unit').select('id').where('code', '=', '1220200099').execute()).toEqual(
      [],
    );
  });

  it('GET works without the token', async () => {
    const c = await loginAs(app, world.users.adminA.username, PASSWORD);
    const res = await app.inject({ method: 'GET', url: '/api/units', headers: { cookie: c.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ total: number }>().total).toBe(3);
  });
});

describe('TOTP for city administrators', () => {
  it('enrols, then demands a valid, unused code at every login', async () => {
    const username = world.users.cityAdmin.username;
    const res = await login({ username, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const me = res.json<{ user: { totpEnrollmentRequired: boolean; totpEnabled: boolean } }>().user;
    expect(me).toMatchObject({ totpEnrollmentRequired: true, totpEnabled: false });
    const c = await loginAs(app, username, PASSWORD);

    await expectUnchanged(t.ctx, async () => {
      expectError(await c.get('/api/units'), 403, 'TOTP_ENROLLMENT_REQUIRED');
      expectError(await c.post('/api/units', { parentId: world.city.id }), 403, 'TOTP_ENROLLMENT_REQUIRED');
    });
    // The restricted routes stay open.
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);

    const setup = await c.post('/api/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl } = setup.json<{ secret: string; otpauthUrl: string }>();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    const stored = await userRow(world.users.cityAdmin.id);
    expect(stored.totp_secret_enc).not.toBeNull();
    expect(stored.totp_secret_enc).not.toContain(secret);
    expect(stored.totp_enabled).toBe(false);

    const now = Date.now();
    const valid = new Set([-30_000, 0, 30_000].map((d) => currentTotp(secret, now + d)));
    const wrongCode = ['000000', '111111', '222222', '333333'].find((x) => !valid.has(x))!;
    await expectUnchanged(t.ctx, async () => {
      expectError(await c.post('/api/auth/totp/enable', { code: wrongCode }), 400, 'TOTP_INVALID');
    });
    expect((await userRow(world.users.cityAdmin.id)).totp_enabled).toBe(false);

    const enable = await c.post('/api/auth/totp/enable', { code: currentTotp(secret) });
    expect(enable.statusCode).toBe(204);
    expect((await userRow(world.users.cityAdmin.id)).totp_enabled).toBe(true);
    expect((await c.get('/api/units')).statusCode).toBe(200);
    expect((await auditEvents(t.ctx, 'auth.totp_enable')).at(-1)).toMatchObject({
      actor_user_id: world.users.cityAdmin.id,
    });

    await expectOnlyAudited(t.ctx, async () => {
      expectError(await login({ username, password: PASSWORD }), 401, 'TOTP_REQUIRED');
      expectError(await login({ username, password: PASSWORD, totp: wrongCode }), 401, 'TOTP_INVALID');
      // A wrong password with a code is still a wrong password.
      expectError(
        await login({ username, password: 'Wrong@2026x', totp: wrongCode }),
        401,
        'INVALID_CREDENTIALS',
      );
    });
    expect(
      (await auditEvents(t.ctx, 'auth.login_failed'))
        .slice(-2)
        .map((e) => (e.after as { reason: string }).reason),
    ).toEqual(['totp_invalid', 'bad_password']);

    // The code used at enrolment has been spent; the next step's code (within the drift window) is fresh.
    const next = currentTotp(secret, Date.now() + 30_000);
    const ok = await login({ username, password: PASSWORD, totp: next });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ user: { totpEnrollmentRequired: boolean; totpEnabled: boolean } }>().user).toMatchObject(
      {
        totpEnrollmentRequired: false,
        totpEnabled: true,
      },
    );
    expect((await auditEvents(t.ctx, 'auth.login')).at(-1)).toMatchObject({
      actor_user_id: world.users.cityAdmin.id,
      after: { totp: true },
    });

    // Replay of the same code is refused.
    const sessions = await sessionCount(t.ctx, world.users.cityAdmin.id);
    await expectOnlyAudited(t.ctx, async () => {
      expectError(await login({ username, password: PASSWORD, totp: next }), 401, 'TOTP_INVALID');
    });
    expect(await sessionCount(t.ctx, world.users.cityAdmin.id)).toBe(sessions);

    // Setting up again once enabled is refused and keeps the secret.
    await expectUnchanged(t.ctx, async () => {
      expectError(await c.post('/api/auth/totp/setup'), 409, 'TOTP_ALREADY_ENABLED');
    });
  });
});

describe('forced password change', () => {
  it('a new user must change the initial password before anything else', async () => {
    const admin = await loginAs(app, world.users.adminA.username, PASSWORD);
    const created = await admin.post('/api/users', {
      username: 'new.teacher',
      displayName: '新教师',
      unitId: world.schoolA1.id,
      roles: [{ role: 'teacher', unitId: world.schoolA1.id }],
    });
    expect(created.statusCode).toBe(201);
    const { user, initialPassword } = created.json<{ user: { id: string }; initialPassword: string }>();
    expect(() => assertPasswordPolicy(initialPassword, 'new.teacher')).not.toThrow();

    const res = await login({ username: 'new.teacher', password: initialPassword });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(true);
    const c = await loginAs(app, 'new.teacher', initialPassword);
    await expectUnchanged(t.ctx, async () => {
      expectError(await c.get('/api/units'), 403, 'PASSWORD_CHANGE_REQUIRED');
      for (const weak of ['short1A', 'alllowercase1', 'ALLUPPER1234', 'New.teacher@2026']) {
        const r = await c.post('/api/auth/password', { currentPassword: initialPassword, newPassword: weak });
        expectError(r, 400, 'PASSWORD_POLICY');
      }
      expectError(
        await c.post('/api/auth/password', {
          currentPassword: 'Wrong@2026x',
          newPassword: 'Strong#Pass2026',
        }),
        400,
        'WRONG_PASSWORD',
      );
      expectError(
        await c.post('/api/auth/password', {
          currentPassword: initialPassword,
          newPassword: initialPassword,
        }),
        400,
        'PASSWORD_REUSED',
      );
    });
    // Another session of the same user ends with the change; this one stays.
    const other = await loginAs(app, 'new.teacher', initialPassword);
    const ok = await c.post('/api/auth/password', {
      currentPassword: initialPassword,
      newPassword: 'Strong#Pass2026',
    });
    expect(ok.statusCode).toBe(204);
    const row = await userRow(user.id);
    expect(row.must_change_password).toBe(false);
    expect(row.password_changed_at).not.toBeNull();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect((await c.get('/api/units')).statusCode).toBe(200);
    await expectUnchanged(t.ctx, async () => {
      expectError(await other.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    });
    expect((await auditEvents(t.ctx, 'auth.password_change')).at(-1)).toMatchObject({
      actor_user_id: user.id,
    });
    expect(JSON.stringify(await auditEvents(t.ctx))).not.toContain('Strong#Pass2026');
    await expectOnlyAudited(t.ctx, async () => {
      expectError(
        await login({ username: 'new.teacher', password: initialPassword }),
        401,
        'INVALID_CREDENTIALS',
      );
    });
    expect((await login({ username: 'new.teacher', password: 'Strong#Pass2026' })).statusCode).toBe(200);
  });
});

describe('login rate limit', () => {
  it('answers the 4th attempt in a minute with 429 RATE_LIMITED and runs nothing', async () => {
    // A second app on the same database, configured with a limit of 3 logins a minute.
    const limited = (await testApp({ ...t.ctx, config: { ...t.ctx.config, loginRateLimitPerMinute: 3 } }))
      .app;
    try {
      for (let i = 0; i < 3; i++) {
        expectError(
          await login({ username: 'nobody.rl', password: 'Wrong@2026x' }, limited),
          401,
          'INVALID_CREDENTIALS',
        );
      }
      const before = await snapshot(t.ctx);
      const fourth = await login({ username: world.users.adminA.username, password: PASSWORD }, limited);
      expectError(fourth, 429, 'RATE_LIMITED');
      expect(fourth.cookies.find((c) => c.name === 'dudao_sid')).toBeUndefined();
      const en = await limited.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'accept-language': 'en' },
        payload: { username: 'nobody.rl', password: 'x' },
      });
      expect(expectError(en, 429, 'RATE_LIMITED').message).toMatch(/^Too many/);
      expect(snapshotDiff(before, await snapshot(t.ctx))).toEqual({});
      // The main app has its own counter and still lets people in.
      expect((await login({ username: world.users.adminA.username, password: PASSWORD })).statusCode).toBe(
        200,
      );
    } finally {
      await limited.close();
    }
  });
});
