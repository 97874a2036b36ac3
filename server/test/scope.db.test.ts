/**
 * The generic scope test. It walks every registered route and requires each to declare what scoped data it
 * touches. For every route that touches scoped data it needs a probe below, and proves with it that
 * - a county admin of another county (B) gets 404 for county A's objects and nothing changes,
 * - a school admin of a sibling school (A2) gets 404 for school A1's objects and nothing changes,
 * - lists never show the outsider anything of A,
 * - the same request by an actor who may do it succeeds (so the 404 is the scope, not a bad probe).
 * A new route without a probe fails this test: add one.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../src/platform/auth/api-tokens.js';
import { buildWorld, PASSWORD, snapshot, type World } from './fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from './harness.js';

interface Targets {
  county: string;
  school: string;
  user: string;
  token: string;
}

interface Probe {
  /** The request that reaches for county A's / school A1's data. */
  request: (t: Targets) => { url: string; body?: unknown };
  /** What an outsider gets: 404 for an object, or a list that must not mention any of A's ids. */
  outsider: 404 | 403 | 'list-without-targets';
}

const probes: Record<string, Probe> = {
  'GET /api/units/tree': { request: (t) => ({ url: `/api/units/tree?parentId=${t.county}` }), outsider: 404 },
  'GET /api/units/stats': { request: (t) => ({ url: `/api/units/stats?under=${t.county}` }), outsider: 404 },
  'GET /api/units': { request: (t) => ({ url: `/api/units?parentId=${t.county}` }), outsider: 404 },
  'GET /api/units/export': {
    request: (t) => ({ url: `/api/units/export?under=${t.county}` }),
    outsider: 404,
  },
  'GET /api/units/:id': { request: (t) => ({ url: `/api/units/${t.school}` }), outsider: 404 },
  'POST /api/units': {
    request: (t) => ({
      url: '/api/units',
      body: {
        parentId: t.county,
        kind: 'school',
        code: '1220209999',
        name: '铁西区探针学校',
        stage: 'primary',
      },
    }),
    outsider: 404,
  },
  'PATCH /api/units/:id': {
    request: (t) => ({ url: `/api/units/${t.school}`, body: { principal: '探针' } }),
    outsider: 404,
  },
  'POST /api/units/:id/disable': {
    request: (t) => ({ url: `/api/units/${t.school}/disable`, body: { reason: '探针停用' } }),
    outsider: 404,
  },
  'POST /api/units/:id/enable': {
    request: (t) => ({ url: `/api/units/${t.school}/enable`, body: { reason: '探针启用' } }),
    outsider: 404,
  },
  'GET /api/users': { request: (t) => ({ url: `/api/users?unitId=${t.county}` }), outsider: 404 },
  'GET /api/users/:id': { request: (t) => ({ url: `/api/users/${t.user}` }), outsider: 404 },
  'POST /api/users': {
    request: (t) => ({
      url: '/api/users',
      body: {
        username: 'probe.user',
        displayName: '探针用户',
        unitId: t.school,
        roles: [{ role: 'teacher', unitId: t.school }],
      },
    }),
    outsider: 404,
  },
  'PATCH /api/users/:id': {
    request: (t) => ({ url: `/api/users/${t.user}`, body: { displayName: '探针改名' } }),
    outsider: 404,
  },
  'POST /api/users/:id/disable': { request: (t) => ({ url: `/api/users/${t.user}/disable` }), outsider: 404 },
  'POST /api/users/:id/enable': { request: (t) => ({ url: `/api/users/${t.user}/enable` }), outsider: 404 },
  'POST /api/users/:id/unlock': { request: (t) => ({ url: `/api/users/${t.user}/unlock` }), outsider: 404 },
  'POST /api/users/:id/reset-password': {
    request: (t) => ({ url: `/api/users/${t.user}/reset-password` }),
    outsider: 404,
  },
  'POST /api/users/:id/reveal-id': {
    request: (t) => ({ url: `/api/users/${t.user}/reveal-id` }),
    outsider: 404,
  },
  'GET /api/tokens': { request: () => ({ url: '/api/tokens' }), outsider: 'list-without-targets' },
  'POST /api/tokens': {
    request: (t) => ({ url: '/api/tokens', body: { name: '探针令牌', userId: t.user } }),
    outsider: 404,
  },
  'DELETE /api/tokens/:id': { request: (t) => ({ url: `/api/tokens/${t.token}` }), outsider: 404 },
  'GET /api/audit': { request: (t) => ({ url: `/api/audit?unitId=${t.county}` }), outsider: 404 },
  'GET /api/audit/verify': { request: () => ({ url: '/api/audit/verify' }), outsider: 403 },
};

/** Lists that must not leak: fetched without filters by the outsider, they must not mention A's ids. */
const openLists = [
  '/api/units?pageSize=500',
  '/api/units/tree',
  '/api/users?pageSize=500',
  '/api/tokens',
  '/api/audit?pageSize=500',
];

let t: TestDb;
let world: World;
let app: FastifyInstance;
let routes: RouteOptions[];
let targets: Targets;

const key = (r: { method: string | string[]; url: string }) =>
  `${Array.isArray(r.method) ? r.method.join(',') : r.method} ${r.url}`;
const scopedRoutes = () =>
  routes.filter(
    (r) => r.method !== 'HEAD' && ['unit', 'user', 'token', 'audit'].includes(r.config?.scope ?? ''),
  );

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app, routes } = await testApp(t.ctx));
  const token = await issueApiToken(t.ctx.db, {
    userId: world.users.teacherA1.id,
    name: 'A1 gate',
    days: null,
    createdBy: world.users.adminA.id,
  });
  targets = {
    county: world.countyA.id,
    school: world.schoolA1.id,
    user: world.users.teacherA1.id,
    token: token.id,
  };
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

async function call(client: Client, method: string, req: { url: string; body?: unknown }) {
  return client.request(
    method as 'GET',
    req.url,
    req.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}),
  );
}

describe('every route declares its scope', () => {
  it('has auth and scope metadata on all /api routes', () => {
    const undeclared = routes
      .filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && !r.config?.scope)
      .map(key);
    expect(undeclared).toEqual([]);
  });
  it('has a cross-scope probe for every scoped route', () => {
    const missing = scopedRoutes()
      .map(key)
      .filter((k) => !probes[k]);
    expect(missing).toEqual([]);
    expect(scopedRoutes().length).toBeGreaterThanOrEqual(Object.keys(probes).length);
  });
});

describe.each([
  ['a county admin of another county', 'adminB'],
  ['a school admin of a sibling school', 'schoolAdminA2'],
  ['an inspector of the same county, not assigned to that school', 'inspectorA'],
] as const)('%s', (_label, who) => {
  let client: Client;
  beforeAll(async () => {
    client = await loginAs(app, world.users[who].username, PASSWORD);
  });
  // inspectorA is assigned A1 only: the probes point at A2 and its admin for that actor.
  const targetsFor = (): Targets =>
    who === 'inspectorA'
      ? { ...targets, school: world.schoolA2.id, user: world.users.schoolAdminA2.id }
      : targets;
  // Inside county A, the county's id appears as the parent of one's own school: only B must never see it.
  const secretsFor = (): Partial<Targets> => {
    const { county, ...rest } = targetsFor();
    return who === 'adminB' ? { county, ...rest } : rest;
  };

  it('gets 404 (or 403 where the route is not scoped data) and changes nothing, on every scoped route', async () => {
    const failures: string[] = [];
    for (const r of scopedRoutes()) {
      const k = key(r);
      const probe = probes[k]!;
      const method = Array.isArray(r.method) ? r.method[0]! : r.method;
      const before = await snapshot(t.ctx);
      const res = await call(client, method, probe.request(targetsFor()));
      const after = await snapshot(t.ctx);
      if (after !== before) failures.push(`${k}: data changed`);
      if (probe.outsider === 'list-without-targets') {
        if (res.statusCode !== 200) failures.push(`${k}: ${res.statusCode}`);
        for (const id of Object.values(secretsFor()))
          if (res.body.includes(id)) failures.push(`${k}: leaks ${id}`);
      } else if (res.statusCode !== probe.outsider) {
        failures.push(`${k}: expected ${probe.outsider}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('never sees any of the targets in unfiltered lists', async () => {
    const leaks: string[] = [];
    for (const url of openLists) {
      const res = await client.get(url);
      expect(res.statusCode).toBe(200);
      for (const [name, id] of Object.entries(secretsFor()))
        if (res.body.includes(id)) leaks.push(`${url} shows ${name}`);
    }
    expect(leaks).toEqual([]);
  });
});

describe('the probes are real requests', () => {
  it('succeeds for an actor who may do each of them', async () => {
    const city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
    const failures: string[] = [];
    for (const r of scopedRoutes()) {
      const k = key(r);
      const method = Array.isArray(r.method) ? r.method[0]! : r.method;
      const res = await call(city, method, probes[k]!.request(targets));
      if (res.statusCode >= 400) failures.push(`${k}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });
});
