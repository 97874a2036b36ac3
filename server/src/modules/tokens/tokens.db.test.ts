import type { ApiToken, Unit, UnitPage } from '@dudao/contracts';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged, makeUser } from '../../../test/helpers.js';
import { sha256 } from '../../platform/auth/sessions.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let adminA: Client;
let adminB: Client;
/** A token of county A's admin acting as the admin of school A1. */
let issued: { token: string; apiToken: ApiToken };

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  adminA = await loginAs(app, world.users.adminA.username, PASSWORD);
  adminB = await loginAs(app, world.users.adminB.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

/** A request with only the bearer token: no cookie, no CSRF token. */
const bearer = (token: string, method: InjectOptions['method'], url: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}),
  });
const tokenRow = (id: string) =>
  t.ctx.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('issuing', () => {
  it('a county admin issues a token for a user of their county: shown once, stored as a hash', async () => {
    const res = await adminA.post('/api/tokens', {
      name: '门禁系统',
      userId: world.users.schoolAdminA1.id,
      days: 30,
    });
    expect(res.statusCode).toBe(201);
    issued = res.json<{ token: string; apiToken: ApiToken }>();
    expect(issued.token).toMatch(/^ddo_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/);
    expect(issued.apiToken).toMatchObject({
      name: '门禁系统',
      userId: world.users.schoolAdminA1.id,
      username: 'a1.admin',
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(issued.token.startsWith(`ddo_${issued.apiToken.prefix}_`)).toBe(true);
    const days = (Date.parse(issued.apiToken.expiresAt!) - Date.now()) / 86400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const row = await tokenRow(issued.apiToken.id);
    expect(row).toMatchObject({
      user_id: world.users.schoolAdminA1.id,
      created_by: world.users.adminA.id,
      prefix: issued.apiToken.prefix,
      token_hash: sha256(issued.token),
    });
    expect(JSON.stringify(row)).not.toContain(issued.token);
    const ev = (await auditEvents(t.ctx, 'token.create')).at(-1)!;
    expect(ev).toMatchObject({
      actor_user_id: world.users.adminA.id,
      object_id: issued.apiToken.id,
      unit_id: world.schoolA1.id,
      after: {
        name: '门禁系统',
        userId: world.users.schoolAdminA1.id,
        prefix: issued.apiToken.prefix,
        days: 30,
      },
    });
    expect(JSON.stringify(await auditEvents(t.ctx))).not.toContain(issued.token);
  });

  it('the list shows the prefix, never the token', async () => {
    const res = await adminA.get('/api/tokens');
    expect(res.statusCode).toBe(200);
    const list = res.json<ApiToken[]>();
    expect(list.map((x) => x.id)).toEqual([issued.apiToken.id]);
    expect(list[0]).toMatchObject({ prefix: issued.apiToken.prefix, username: 'a1.admin' });
    expect(Object.keys(list[0]!)).not.toContain('token');
    expect(res.body).not.toContain(issued.token);
    expect(res.body).not.toContain(issued.token.slice(-32));
  });

  it('county B cannot issue a token for county A’s user, nor can a school admin issue any', async () => {
    const a1 = await loginAs(app, world.users.schoolAdminA1.username, PASSWORD);
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminB.post('/api/tokens', { name: '越权', userId: world.users.teacherA1.id }),
        404,
        'NOT_FOUND',
      );
      expectError(await a1.post('/api/tokens', { name: '学校自用' }), 404, 'NOT_FOUND');
      expectError(await adminA.post('/api/tokens', { name: '<b>x</b>' }), 400, 'VALIDATION');
      expectError(await adminA.post('/api/tokens', { name: '太久', days: 99999 }), 400, 'VALIDATION');
      expectError(
        await adminA.post('/api/tokens', { name: '城市', userId: world.users.cityAdmin.id }),
        404,
        'NOT_FOUND',
      );
    });
    const listed = await a1.get('/api/tokens');
    expect(listed.statusCode).toBe(200);
    expect(listed.json<ApiToken[]>()).toEqual([]);
  });
});

describe('using', () => {
  it('Bearer works on GET with exactly that user’s scope, and the use is audited once', async () => {
    const res = await bearer(issued.token, 'GET', '/api/units?pageSize=100');
    expect(res.statusCode).toBe(200);
    expect(res.json<UnitPage>().items.map((u) => u.id)).toEqual([world.schoolA1.id]);
    const uses = await auditEvents(t.ctx, 'token.use');
    expect(uses).toHaveLength(1);
    expect(uses[0]).toMatchObject({
      actor_user_id: world.users.schoolAdminA1.id,
      actor_name: `a1.admin (token ${issued.apiToken.prefix})`,
      object_type: 'api_token',
      object_id: issued.apiToken.id,
      unit_id: world.schoolA1.id,
      after: { method: 'GET', url: '/api/units?pageSize=100' },
    });
    expect((await tokenRow(issued.apiToken.id)).last_used_at).not.toBeNull();

    await expectUnchanged(t.ctx, async () => {
      // County B's units, and the sibling school, do not exist for this token.
      expectError(await bearer(issued.token, 'GET', `/api/units/${world.schoolB1.id}`), 404, 'NOT_FOUND');
      expectError(await bearer(issued.token, 'GET', `/api/units/${world.schoolA2.id}`), 404, 'NOT_FOUND');
      expectError(await bearer(issued.token, 'GET', `/api/units/${world.countyB.id}`), 404, 'NOT_FOUND');
      expect((await bearer(issued.token, 'GET', `/api/units/${world.schoolA1.id}`)).statusCode).toBe(200);
      // The school admin behind the token may not read the audit of the county.
      const audit = (await bearer(issued.token, 'GET', '/api/audit?pageSize=500')).json<{
        items: { unitId: string | null }[];
      }>();
      expect(audit.items.every((e) => e.unitId === world.schoolA1.id)).toBe(true);
    });
  });

  it('Bearer works on PATCH and POST without a CSRF token, and changes name the token', async () => {
    const patch = await bearer(issued.token, 'PATCH', `/api/units/${world.schoolA1.id}`, {
      phone: '0434-3267788',
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json<Unit>().phone).toBe('0434-3267788');
    expect((await auditEvents(t.ctx, 'unit.update')).at(-1)).toMatchObject({
      actor_user_id: world.users.schoolAdminA1.id,
      actor_name: `a1.admin (token ${issued.apiToken.prefix})`,
      object_id: world.schoolA1.id,
      after: { phone: '0434-3267788' },
    });

    const post = await bearer(issued.token, 'POST', '/api/users', {
      username: 'a1.gate',
      displayName: '门禁账号',
      unitId: world.schoolA1.id,
      roles: [{ role: 'teacher', unitId: world.schoolA1.id }],
    });
    expect(post.statusCode).toBe(201);
    expect(
      await t.ctx.db
        .selectFrom('app_user')
        .select('unit_id')
        .where('username', '=', 'a1.gate')
        .executeTakeFirst(),
    ).toEqual({
      unit_id: world.schoolA1.id,
    });
    // Still one token.use event: changes are named in their own events.
    expect(await auditEvents(t.ctx, 'token.use')).toHaveLength(1);

    await expectUnchanged(t.ctx, async () => {
      expectError(
        await bearer(issued.token, 'PATCH', `/api/units/${world.schoolB1.id}`, { phone: '0434-3260000' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await bearer(issued.token, 'POST', '/api/units', {
          parentId: world.countyA.id,
          kind: 'school',
          code: '1220200050',
          name: '令牌建校',
        }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await bearer(issued.token, 'POST', `/api/units/${world.schoolA1.id}/disable`, { reason: '令牌停用' }),
        403,
        'FORBIDDEN',
      );
    });
  });

  it('garbage, unknown and non-bearer credentials are 401 and change nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      for (const value of [
        'Bearer garbage',
        'Bearer ',
        `Bearer ddo_${issued.apiToken.prefix}_${'A'.repeat(32)}`,
        `Bearer ${issued.token}x`,
        `Basic ${Buffer.from('a1.admin:' + PASSWORD).toString('base64')}`,
        `Bearer ${issued.token} ${issued.token}`,
      ]) {
        const res = await app.inject({ method: 'GET', url: '/api/units', headers: { authorization: value } });
        expectError(res, 401, 'INVALID_TOKEN');
      }
      // A bearer header wins over a valid session cookie: a bad token is not rescued by the cookie.
      const res = await app.inject({
        method: 'GET',
        url: '/api/units',
        headers: { authorization: 'Bearer garbage', cookie: adminA.cookie },
      });
      expectError(res, 401, 'INVALID_TOKEN');
    });
  });

  it('an expired token is 401', async () => {
    const res = await adminA.post('/api/tokens', { name: '短期', userId: world.users.leaderA.id, days: 1 });
    const { token, apiToken } = res.json<{ token: string; apiToken: ApiToken }>();
    expect((await bearer(token, 'GET', '/api/units')).statusCode).toBe(200);
    await t.ctx.db
      .updateTable('api_token')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', apiToken.id)
      .execute();
    await expectUnchanged(t.ctx, async () => {
      expectError(await bearer(token, 'GET', '/api/units'), 401, 'INVALID_TOKEN');
    });
  });

  it('the token of a disabled account is 401', async () => {
    const u = await makeUser(t.ctx, 'a.gateway', world.countyA.id, 'leader');
    const res = await adminA.post('/api/tokens', { name: '网关', userId: u.id });
    const { token } = res.json<{ token: string }>();
    expect((await bearer(token, 'GET', '/api/units')).statusCode).toBe(200);
    expect((await adminA.post(`/api/users/${u.id}/disable`)).statusCode).toBe(200);
    await expectUnchanged(t.ctx, async () => {
      expectError(await bearer(token, 'GET', '/api/units'), 401, 'INVALID_TOKEN');
    });
  });
});

describe('revoking', () => {
  it('county B cannot list or revoke county A’s tokens (not listed; DELETE 404, unchanged)', async () => {
    const list = await adminB.get('/api/tokens');
    expect(list.statusCode).toBe(200);
    expect(list.json<ApiToken[]>()).toEqual([]);
    expect(list.body).not.toContain(issued.apiToken.prefix);
    await expectUnchanged(t.ctx, async () => {
      expectError(await adminB.del(`/api/tokens/${issued.apiToken.id}`), 404, 'NOT_FOUND');
      const leader = await app.inject({
        method: 'DELETE',
        url: `/api/tokens/${issued.apiToken.id}`,
        headers: { authorization: `Bearer ${issued.token}` },
      });
      // The token's own user (a school admin) does not manage tokens.
      expectError(leader, 404, 'NOT_FOUND');
      expectError(await adminA.del('/api/tokens/not-a-uuid'), 400, 'VALIDATION');
    });
    expect((await bearer(issued.token, 'GET', '/api/units')).statusCode).toBe(200);
  });

  it('after revoking, the token is 401 INVALID_TOKEN', async () => {
    const res = await adminA.del(`/api/tokens/${issued.apiToken.id}`);
    expect(res.statusCode).toBe(204);
    expect((await tokenRow(issued.apiToken.id)).revoked_at).not.toBeNull();
    expect((await auditEvents(t.ctx, 'token.revoke')).at(-1)).toMatchObject({
      actor_user_id: world.users.adminA.id,
      object_id: issued.apiToken.id,
      after: { prefix: issued.apiToken.prefix },
    });
    const listed = (await adminA.get('/api/tokens'))
      .json<ApiToken[]>()
      .find((x) => x.id === issued.apiToken.id);
    expect(listed?.revokedAt).not.toBeNull();
    await expectUnchanged(t.ctx, async () => {
      expectError(await bearer(issued.token, 'GET', '/api/units'), 401, 'INVALID_TOKEN');
      expectError(
        await bearer(issued.token, 'PATCH', `/api/units/${world.schoolA1.id}`, { phone: '0434-3261111' }),
        401,
        'INVALID_TOKEN',
      );
      // Revoking again is a no-op.
      expect((await adminA.del(`/api/tokens/${issued.apiToken.id}`)).statusCode).toBe(204);
    });
  });
});
