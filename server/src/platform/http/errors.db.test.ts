import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectError, expectUnchanged } from '../../../test/helpers.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let admin: Client;

beforeAll(async () => {
  t = await openTestDb({ bodyLimitBytes: 2048 });
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  admin = await loginAs(app, world.users.adminA.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

/** A raw request from the signed-in county admin: body as given, JSON content type unless told otherwise. */
const raw = (
  method: InjectOptions['method'],
  url: string,
  body?: string,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method,
    url,
    headers: {
      cookie: admin.cookie,
      'x-csrf-token': admin.csrf,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { payload: body } : {}),
  });

const school = () => ({
  parentId: world.countyA.id,
  kind: 'school',
  code: '1220200009',
  name: '铁西区第九小学',
});
const HAN = /[\u4e00-\u9fff]/;

describe('bad input', () => {
  it('malformed JSON is 400 MALFORMED_JSON', async () => {
    await expectUnchanged(t.ctx, async () => {
      for (const body of ['{"parentId":', '{parentId: 1}', "{'a': 1}", '[1,2', 'null x']) {
        expectError(await raw('POST', '/api/units', body), 400, 'MALFORMED_JSON');
      }
    });
  });

  it('unknown fields are 400 VALIDATION naming the field', async () => {
    await expectUnchanged(t.ctx, async () => {
      const res = await admin.post('/api/units', { ...school(), isAdmin: true });
      const body = expectError(res, 400, 'VALIDATION');
      expect(body.message).toContain('isAdmin');
      expect(body.details?.some((d) => d.message.includes('isAdmin'))).toBe(true);
      const q = expectError(await admin.get('/api/units?debug=1'), 400, 'VALIDATION');
      expect(q.message).toContain('debug');
      expect(q.details?.[0]?.path).toMatch(/^querystring/);
    });
  });

  it('wrong types are 400 VALIDATION with the path of each bad field', async () => {
    await expectUnchanged(t.ctx, async () => {
      const res = await admin.post('/api/units', { ...school(), code: 1220200009, name: ['铁西'], stage: 7 });
      const body = expectError(res, 400, 'VALIDATION');
      expect(body.details?.map((d) => d.path).sort()).toEqual(['body/code', 'body/name', 'body/stage']);
    });
  });

  it('a body over the limit is 400 BODY_TOO_LARGE', async () => {
    await expectUnchanged(t.ctx, async () => {
      const res = await admin.post('/api/units', { ...school(), address: '长'.repeat(3000) });
      expectError(res, 400, 'BODY_TOO_LARGE');
      const big = JSON.stringify({ ...school(), address: 'x'.repeat(4096) });
      expectError(await raw('POST', '/api/users', big), 400, 'BODY_TOO_LARGE');
    });
  });

  it('an unsupported content type is 415', async () => {
    await expectUnchanged(t.ctx, async () => {
      const res = await raw('POST', '/api/units', 'parentId=1', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  it('messages are Chinese by default and English with accept-language: en', () =>
    expectUnchanged(t.ctx, async () => {
      const zh = expectError(await raw('POST', '/api/units', '{"a":'), 400, 'MALFORMED_JSON');
      expect(zh.message).toMatch(HAN);
      const en = expectError(
        await raw('POST', '/api/units', '{"a":', { 'accept-language': 'en-US,en;q=0.9' }),
        400,
        'MALFORMED_JSON',
      );
      expect(en.message).not.toMatch(HAN);
      expect(en.message).toMatch(/JSON/);

      const vzh = expectError(await admin.post('/api/units', { ...school(), code: '12' }), 400, 'VALIDATION');
      expect(vzh.message).toMatch(HAN);
      const ven = expectError(
        await admin.request('POST', '/api/units', { ...school(), code: '12' }, { 'accept-language': 'en' }),
        400,
        'VALIDATION',
      );
      expect(ven.message).toMatch(/^Invalid request: body\/code/);
      expect(ven.message).not.toMatch(HAN);

      const nf = await admin.request('GET', `/api/units/${world.schoolB1.id}`, undefined, {
        'accept-language': 'en',
      });
      expect(expectError(nf, 404, 'NOT_FOUND').message).toBe('Unit not found');
      expect(expectError(await admin.get(`/api/units/${world.schoolB1.id}`), 404, 'NOT_FOUND').message).toBe(
        '机构不存在',
      );
      // A language we do not speak falls back to Chinese.
      const fr = await admin.request('GET', `/api/units/${world.schoolB1.id}`, undefined, {
        'accept-language': 'fr',
      });
      expect(expectError(fr, 404, 'NOT_FOUND').message).toMatch(HAN);
      const unauth = await app.inject({
        method: 'GET',
        url: '/api/units',
        headers: { 'accept-language': 'en' },
      });
      expect(expectError(unauth, 401, 'UNAUTHENTICATED').message).toBe('Please log in');
    }));

  it('never answers 500 to malformed input, and changes nothing', async () => {
    const id = world.schoolA1.id;
    const cases: [InjectOptions['method'], string, string | undefined][] = [
      ['POST', '/api/units', ''],
      ['POST', '/api/units', '""'],
      ['POST', '/api/units', '[]'],
      ['POST', '/api/units', 'null'],
      ['POST', '/api/units', '12345'],
      ['POST', '/api/units', '{"__proto__":{"isAdmin":true}}'],
      ['POST', '/api/units', JSON.stringify({ ...school(), parentId: "1' or '1'='1" })],
      ['POST', '/api/units', JSON.stringify({ ...school(), name: '\u0000\u0001' })],
      ['POST', '/api/units', JSON.stringify({ ...school(), name: '\ud800' })],
      ['POST', '/api/units', JSON.stringify({ ...school(), stage: { $ne: null } })],
      ['POST', '/api/units', '{"parentId":"' + 'a'.repeat(1500) + '"}'],
      ['PATCH', `/api/units/${id}`, '{"name":null}'],
      ['PATCH', `/api/units/${id}`, '{"phone":"<script>"}'],
      ['PATCH', `/api/units/${id}`, '{"name":"<b>x</b>"}'],
      ['PATCH', '/api/units/not-a-uuid', '{"name":"合法名称"}'],
      ['PATCH', "/api/units/1' or 1=1 --", '{"name":"合法名称"}'],
      ['PATCH', '/api/units/00000000-0000-0000-0000-00000000000g', '{"name":"合法名称"}'],
      ['POST', `/api/units/${id}/disable`, '{"reason":123}'],
      ['POST', '/api/users', '{}'],
      ['POST', '/api/users', JSON.stringify({ username: 'Ab', displayName: 'x', unitId: id, roles: [] })],
      [
        'POST',
        '/api/users',
        JSON.stringify({
          username: 'ok.name',
          displayName: '名',
          unitId: id,
          roles: [{ role: 'god', unitId: id }],
        }),
      ],
      [
        'POST',
        '/api/users',
        JSON.stringify({ username: 'ok.name', displayName: '名', unitId: id, roles: 'teacher' }),
      ],
      [
        'POST',
        '/api/users',
        JSON.stringify({ username: 'ok.name', displayName: '名', unitId: id, idNumber: {}, roles: [] }),
      ],
      ['GET', '/api/audit?from=notadate', undefined],
      ['GET', '/api/audit?from=2026-02-30', undefined],
      ['GET', '/api/audit?to=9999-99-99&page=abc', undefined],
      ['GET', '/api/audit?pageSize=1e9', undefined],
      ['GET', '/api/units?page=1&page=2', undefined],
      ['GET', '/api/units?kind[]=school', undefined],
      ['GET', '/api/units/tree?parentId=x', undefined],
      ['GET', '/api/users/123', undefined],
      ['GET', '/api/regions/abc/children', undefined],
      ['DELETE', '/api/tokens/%00', undefined],
      ['DELETE', '/api/tokens/%E0%A4%A', undefined],
      ['DELETE', '/api/tokens/not-a-uuid', '{}'],
    ];
    await expectUnchanged(t.ctx, async () => {
      const wrong: unknown[] = [];
      for (const [method, url, body] of cases) {
        const res = await raw(method, url, body);
        let json: { code?: unknown; message?: unknown } = {};
        try {
          json = res.json();
        } catch {
          // not JSON: reported below
        }
        const fine =
          res.statusCode >= 400 &&
          res.statusCode < 500 &&
          typeof json.code === 'string' &&
          typeof json.message === 'string' &&
          json.message !== '';
        if (!fine)
          wrong.push({ method, url, body, status: res.statusCode, response: res.body.slice(0, 200) });
      }
      expect(wrong).toEqual([]);
    });
  });
});

describe('the HTTP surface', () => {
  it('an unknown /api route is a JSON 404', () =>
    expectUnchanged(t.ctx, async () => {
      const res = await admin.get('/api/nothing-here');
      expectError(res, 404, 'NOT_FOUND');
      expect(res.headers['cache-control']).toBe('no-store');
      const post = await admin.post('/api/units/extra/segments', {});
      expectError(post, 404, 'NOT_FOUND');
      // Without a session an unknown route is also JSON (and says nothing about the routes that exist).
      const anon = await app.inject({ method: 'GET', url: '/api/nothing-here' });
      expect(anon.statusCode).toBeGreaterThanOrEqual(400);
      expect(anon.statusCode).toBeLessThan(500);
      expect(anon.headers['content-type']).toMatch(/^application\/json/);
    }));

  it('API responses carry no-store and the helmet headers, errors included', () =>
    expectUnchanged(t.ctx, async () => {
      for (const res of [
        await admin.get('/api/units'),
        await admin.get(`/api/units/${world.schoolB1.id}`),
        await app.inject({ method: 'GET', url: '/api/units' }),
        await app.inject({ method: 'GET', url: '/api/health' }),
      ]) {
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    }));

  it('GET /api/health is {status: ok} without a session', () =>
    expectUnchanged(t.ctx, async () => {
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    }));

  it('GET /api/docs/json is the OpenAPI document with the unit routes', () =>
    expectUnchanged(t.ctx, async () => {
      const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json<{
        openapi: string;
        info: { title: string };
        paths: Record<string, Record<string, unknown>>;
      }>();
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.info.title).toContain('Dudao');
      expect(Object.keys(doc.paths['/api/units']!).sort()).toEqual(['get', 'post']);
      expect(Object.keys(doc.paths['/api/units/{id}']!).sort()).toEqual(['get', 'patch']);
      expect(doc.paths).toHaveProperty(['/api/auth/login']);
      expect(doc.paths).toHaveProperty(['/api/audit/verify']);
    }));
});
