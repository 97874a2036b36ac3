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
import { createStudent, createClass, requestTransfer } from '../src/modules/students/students.service.js';
import { rosterRows, toCsv } from '../src/modules/students/roster-fixture.js';
import { createUnit } from '../src/modules/units/units.service.js';
import { createImportJob } from '../src/platform/imports/jobs.js';
import { Readable } from 'node:stream';
import { systemActor } from '../src/platform/access/actor.js';
import { issueApiToken } from '../src/platform/auth/api-tokens.js';
import { buildWorld, PASSWORD, snapshot, type World } from './fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from './harness.js';
import type { ModuleProbes, Probe, TargetIds } from './scope/probe.js';
import findingsProbes from './scope/findings.probes.js';
import safetyProbes from './scope/safety.probes.js';
import inspectorsProbes from './scope/inspectors.probes.js';
import dropoutProbes from './scope/dropout.probes.js';
import plansProbes from './scope/plans.probes.js';
import trainingProbes from './scope/training.probes.js';
import complaintsProbes from './scope/complaints.probes.js';
import collectionProbes from './scope/collection.probes.js';

/** The modules' own probe files: each makes its targets and lists a probe per scoped route. */
const moduleProbes: ModuleProbes[] = [
  findingsProbes,
  safetyProbes,
  inspectorsProbes,
  dropoutProbes,
  plansProbes,
  trainingProbes,
  complaintsProbes,
  collectionProbes,
];

interface Targets extends TargetIds {
  county: string;
  school: string;
  user: string;
  token: string;
  /** A student of the school (read, correct, change status, reveal). */
  student: string;
  /** Another student of the school, with no open transfer (a transfer is requested for it). */
  movingStudent: string;
  class: string;
  /** Open transfers from the school to a third school of the county: confirmed, rejected, cancelled. */
  transfer: string;
  transferToReject: string;
  transferToCancel: string;
  /** Import jobs of the school: validated with errors (read, events, report), to commit, to cancel, failed. */
  importJob: string;
  importToCommit: string;
  importToCancel: string;
  importFailed: string;
  importToMap: string;
}

const coreProbes: Record<string, Probe> = {
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
  'GET /api/students': { request: (t) => ({ url: `/api/students?schoolId=${t.school}` }), outsider: 404 },
  'GET /api/students/checks': {
    request: (t) => ({ url: `/api/students/checks?under=${t.school}` }),
    outsider: 404,
  },
  'GET /api/students/export': {
    request: (t) => ({ url: `/api/students/export?schoolId=${t.school}&format=csv` }),
    outsider: 404,
  },
  'GET /api/students/:id': { request: (t) => ({ url: `/api/students/${t.student}` }), outsider: 404 },
  'POST /api/students': {
    request: (t) => ({
      url: '/api/students',
      body: { schoolId: t.school, name: '探针学生', sex: 'M', birthDate: '2018-03-01', grade: 2 },
    }),
    outsider: 404,
  },
  'PATCH /api/students/:id': {
    request: (t) => ({ url: `/api/students/${t.student}`, body: { address: '探针地址' } }),
    outsider: 404,
  },
  'POST /api/students/:id/status': {
    request: (t) => ({
      url: `/api/students/${t.student}/status`,
      body: { status: 'suspended', effectiveOn: '2025-03-01', reason: '探针休学' },
    }),
    outsider: 404,
  },
  'POST /api/students/:id/reveal-id': {
    request: (t) => ({ url: `/api/students/${t.student}/reveal-id` }),
    outsider: 404,
  },
  'GET /api/classes': { request: (t) => ({ url: `/api/classes?schoolId=${t.school}` }), outsider: 404 },
  'POST /api/classes': {
    request: (t) => ({
      url: '/api/classes',
      body: { schoolId: t.school, schoolYear: '2025', grade: 3, name: '探针班' },
    }),
    outsider: 404,
  },
  'GET /api/classes/:id/roster': {
    request: (t) => ({ url: `/api/classes/${t.class}/roster` }),
    outsider: 404,
  },
  'GET /api/transfers': { request: (t) => ({ url: `/api/transfers?schoolId=${t.school}` }), outsider: 404 },
  'POST /api/transfers': {
    request: (t) => ({
      url: '/api/transfers',
      body: { studentId: t.movingStudent, toSchoolCode: THIRD_SCHOOL_CODE, reason: '探针转学' },
    }),
    outsider: 404,
  },
  'POST /api/transfers/:id/confirm': {
    request: (t) => ({ url: `/api/transfers/${t.transfer}/confirm` }),
    outsider: 404,
  },
  'POST /api/transfers/:id/reject': {
    request: (t) => ({ url: `/api/transfers/${t.transferToReject}/reject`, body: { reason: '探针退回' } }),
    outsider: 404,
  },
  'POST /api/transfers/:id/cancel': {
    request: (t) => ({ url: `/api/transfers/${t.transferToCancel}/cancel` }),
    outsider: 404,
  },
  'POST /api/imports': {
    request: (t) => ({
      url: `/api/imports?kind=students&unitId=${t.school}`,
      body: Buffer.from(toCsv(rosterRows(900, 902, ['1220200001']))),
      headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'probe.csv' },
    }),
    outsider: 404,
  },
  'GET /api/imports': {
    request: () => ({ url: '/api/imports?pageSize=100' }),
    outsider: 'list-without-targets',
  },
  'GET /api/imports/:id': { request: (t) => ({ url: `/api/imports/${t.importJob}` }), outsider: 404 },
  'GET /api/imports/:id/events': {
    request: (t) => ({ url: `/api/imports/${t.importJob}/events` }),
    outsider: 404,
  },
  'GET /api/imports/:id/error-report': {
    request: (t) => ({ url: `/api/imports/${t.importJob}/error-report` }),
    outsider: 404,
  },
  'POST /api/imports/:id/commit': {
    request: (t) => ({ url: `/api/imports/${t.importToCommit}/commit`, body: { mode: 'valid-only' } }),
    outsider: 404,
  },
  'POST /api/imports/:id/cancel': {
    request: (t) => ({ url: `/api/imports/${t.importToCancel}/cancel` }),
    outsider: 404,
  },
  'POST /api/imports/:id/mapping': {
    request: (t) => ({
      url: `/api/imports/${t.importToMap}/mapping`,
      body: { columns: [{ header: '就读年段', field: 'grade' }] },
    }),
    outsider: 404,
  },
  'POST /api/imports/:id/retry': {
    request: (t) => ({ url: `/api/imports/${t.importFailed}/retry` }),
    outsider: 404,
  },
};

const probes: Record<string, Probe> = Object.assign(
  {},
  coreProbes,
  ...moduleProbes.map((m) => m.probes),
) as Record<string, Probe>;

/** A third school of county A: the transfers of the targets go there, out of every outsider's sight. */
const THIRD_SCHOOL_CODE = '1220200009';

/** Lists that must not leak: fetched without filters by the outsider, they must not mention A's ids. */
const openLists = [
  '/api/units?pageSize=500',
  '/api/units/tree',
  '/api/users?pageSize=500',
  '/api/tokens',
  '/api/audit?pageSize=500',
  '/api/students?pageSize=500',
  '/api/students/checks?pageSize=500',
  '/api/transfers?pageSize=500',
  '/api/imports?pageSize=100',
  ...moduleProbes.flatMap((m) => m.openLists ?? []),
];

let t: TestDb;
let world: World;
let app: FastifyInstance;
let routes: RouteOptions[];
let targets: Targets;
/** The same student-registry objects at school A2 (the inspector, assigned A1 only, probes those). */
let targetsA2: Omit<Targets, 'county' | 'school' | 'user' | 'token'>;

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
  const sys = systemActor('test');
  const origin = { actor: sys, ip: null, requestId: null };
  await createUnit(
    t.ctx,
    sys,
    {
      parentId: world.countyA.id,
      kind: 'school',
      code: THIRD_SCHOOL_CODE,
      name: '铁西区第三小学',
      stage: 'primary',
    },
    origin,
  );
  // Import jobs of a school, made through the engine as the system (each validated before it returns).
  const imports = async (schoolId: string, code: string) => {
    const make = async (csv: string) =>
      (
        await createImportJob(
          t.ctx,
          sys,
          {
            kind: 'students',
            unitId: schoolId,
            fileName: 'roster.csv',
            source: Readable.from([Buffer.from(csv)]),
          },
          origin,
          { wait: true },
        )
      ).id;
    const withError = rosterRows(800, 804, [code]);
    withError[3]![1] = '未知';
    return {
      importJob: await make(toCsv(withError)),
      importToCommit: await make(toCsv(withError)),
      importToCancel: await make(toCsv(rosterRows(810, 812, [code]))),
      importFailed: await make('姓名,性别\r\n张三,男\r\n'),
      importToMap: await make('姓名,性别,就读年段\r\n张三,男,三年级\r\n'),
    };
  };
  const moduleTargets = async (id: string, code: string, tag: '1' | '2') => {
    const all: TargetIds = {};
    for (const m of moduleProbes) Object.assign(all, await m.setup(t.ctx, world, { id, code, tag }));
    return all;
  };
  const registry = async (schoolId: string, tag: string) => {
    const schoolCode = tag === '1' ? '1220200001' : '1220200002';
    const student = async (name: string) =>
      (
        await createStudent(
          t.ctx,
          sys,
          { schoolId, name, sex: 'F', birthDate: '2017-05-0' + tag, grade: 3 },
          origin,
        )
      ).id;
    const transfer = async (name: string) =>
      (
        await requestTransfer(
          t.ctx,
          sys,
          { studentId: await student(name), toSchoolCode: THIRD_SCHOOL_CODE, reason: '随父母迁居' },
          origin,
        )
      ).id;
    return {
      student: await student(`目标学生${tag}`),
      movingStudent: await student(`转学学生${tag}`),
      class: (
        await createClass(t.ctx, sys, { schoolId, schoolYear: '2025', grade: 3, name: `${tag}班` }, origin)
      ).id,
      transfer: await transfer(`接收学生${tag}`),
      transferToReject: await transfer(`退回学生${tag}`),
      transferToCancel: await transfer(`撤销学生${tag}`),
      ...(await imports(schoolId, schoolCode)),
      ...(await moduleTargets(schoolId, schoolCode, tag as '1' | '2')),
    };
  };
  targets = {
    county: world.countyA.id,
    school: world.schoolA1.id,
    user: world.users.teacherA1.id,
    token: token.id,
    ...(await registry(world.schoolA1.id, '1')),
  };
  targetsA2 = await registry(world.schoolA2.id, '2');
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

async function call(
  client: Client,
  method: string,
  req: { url: string; body?: unknown; headers?: Record<string, string> },
) {
  return client.request(
    method as 'GET',
    req.url,
    req.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}),
    req.headers,
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
      ? { ...targets, ...targetsA2, school: world.schoolA2.id, user: world.users.schoolAdminA2.id }
      : targets;
  // Inside county A, the county's id appears as the parent of one's own school: only B must never see it.
  const secretsFor = (): TargetIds => {
    const { county, ...rest } = targetsFor();
    return who === 'adminB' ? { county, ...rest } : rest;
  };

  it('gets 404 (or 403 where the route is not scoped data) and changes nothing, on every scoped route', async () => {
    const failures: string[] = [];
    // One snapshot per probe: each probe's "after" is the next one's "before".
    let before = await snapshot(t.ctx);
    for (const r of scopedRoutes()) {
      const k = key(r);
      const probe = probes[k]!;
      const method = Array.isArray(r.method) ? r.method[0]! : r.method;
      const res = await call(client, method, probe.request(targetsFor()));
      const after = await snapshot(t.ctx);
      if (after !== before) failures.push(`${k}: data changed`);
      before = after;
      if (probe.outsider === 'list-without-targets') {
        if (res.statusCode !== 200) failures.push(`${k}: ${res.statusCode}`);
        for (const id of Object.values(secretsFor()))
          if (res.body.includes(id)) failures.push(`${k}: leaks ${id}`);
      } else if (res.statusCode !== probe.outsider) {
        failures.push(`${k}: expected ${probe.outsider}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000); // every module's routes, each followed by a whole-database snapshot

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
  }, 600_000);
});
