import type { AuditPage, Unit } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditCount, auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { chainHash } from '../../platform/audit/canonical.js';
import { verifyAuditChain } from '../../platform/audit/verify.js';
import type { AuditEventRow } from '../../platform/db/schema.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let newSchool: Unit;

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, world.users.adminA.username, PASSWORD);
  adminB = await loginAs(app, world.users.adminB.username, PASSWORD);
  // Some changes in both counties, and an event that belongs to no unit (an unknown user's failed login).
  const created = await adminA.post('/api/units', {
    parentId: world.countyA.id,
    kind: 'school',
    code: '1220200003',
    name: '铁西区第三小学',
  });
  newSchool = created.json<Unit>();
  await adminA.patch(`/api/units/${world.schoolA1.id}`, { principal: '赵校长' });
  await adminA.patch(`/api/units/${newSchool.id}`, { address: '铁西区仁兴街 1 号' });
  await adminB.patch(`/api/units/${world.schoolB1.id}`, { principal: '钱校长' });
  await city.post('/api/units', {
    parentId: world.city.id,
    kind: 'county_bureau',
    code: '220322',
    name: '梨树县教育局',
  });
  await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'ghost.user', password: 'x' },
  });
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const audit = async (c: Client, query = '') => {
  const res = await c.get(`/api/audit?pageSize=500${query}`);
  expect(res.statusCode).toBe(200);
  return res.json<AuditPage>();
};
/** Ids of the units in a subtree. */
const subtree = async (unitId: string) => {
  const root = await t.ctx.db
    .selectFrom('unit')
    .select('path')
    .where('id', '=', unitId)
    .executeTakeFirstOrThrow();
  const rows = await t.ctx.db
    .selectFrom('unit')
    .select('id')
    .where('path', 'like', `${root.path}%`)
    .execute();
  return new Set(rows.map((r) => r.id));
};
const chinaDate = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const dayStart = (d: string) => Date.parse(`${d}T00:00:00+08:00`);

describe('the chain', () => {
  it('verifies after changes, with the right count', async () => {
    const n = await auditCount(t.ctx);
    expect(n).toBeGreaterThan(20);
    await t.ctx.auditHead.sync(t.ctx.db);
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditHead)).toEqual({
      ok: true,
      events: n,
      firstBroken: null,
      reason: null,
    });
    // Each event links to the one before it.
    const rows = await auditEvents(t.ctx);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  });
});

describe('GET /api/audit', () => {
  it('is scoped: county B never sees county A events; nobody but the city sees unit-less events', async () => {
    const all = await auditEvents(t.ctx);
    const a = await subtree(world.countyA.id);
    const b = await subtree(world.countyB.id);

    const seenB = await audit(adminB);
    expect(seenB.items.length).toBeGreaterThan(0);
    expect(seenB.items.every((e) => e.unitId !== null && b.has(e.unitId))).toBe(true);
    expect(seenB.total).toBe(all.filter((e) => e.unit_id !== null && b.has(e.unit_id)).length);
    expect(JSON.stringify(seenB)).not.toContain(world.schoolA1.id);

    const seenA = await audit(adminA);
    expect(seenA.items.every((e) => e.unitId !== null && a.has(e.unitId))).toBe(true);
    expect(seenA.total).toBe(all.filter((e) => e.unit_id !== null && a.has(e.unit_id)).length);
    expect(seenA.items.map((e) => e.action)).not.toContain('auth.login_failed');

    const seenCity = await audit(city);
    expect(seenCity.total).toBe(all.length);
    const ghost = seenCity.items.find(
      (e) => (e.after as { username?: string } | null)?.username === 'ghost.user',
    );
    expect(ghost).toMatchObject({ action: 'auth.login_failed', unitId: null, actorUserId: null });

    // A unit filter outside the scope is 404.
    await expectUnchanged(t.ctx, async () => {
      expectError(await adminA.get(`/api/audit?unitId=${world.countyB.id}`), 404, 'NOT_FOUND');
    });
    const underA1 = await audit(adminA, `&unitId=${world.schoolA1.id}`);
    expect(underA1.items.length).toBeGreaterThan(0);
    expect(underA1.items.every((e) => e.unitId === world.schoolA1.id)).toBe(true);
    // Teachers read no audit at all.
    const teacher = await loginAs(app, world.users.teacherA1.username, PASSWORD);
    expect((await audit(teacher)).total).toBe(0);
  });

  it('filters by action, actor, objectId and dates', async () => {
    const all = await auditEvents(t.ctx);
    const ids = (p: AuditPage) => p.items.map((e) => e.id);
    const desc = (rows: AuditEventRow[]) => rows.map((e) => e.id).reverse();

    expect(ids(await audit(city, '&action=unit.update'))).toEqual(
      desc(all.filter((e) => e.action === 'unit.update')),
    );
    expect(ids(await audit(city, '&action=unit.'))).toEqual(
      desc(all.filter((e) => e.action.startsWith('unit.'))),
    );
    expect((await audit(city, '&action=unit.update')).items.length).toBe(3);
    expect(ids(await audit(city, '&actor=b.admin'))).toEqual(
      desc(all.filter((e) => e.actor_name?.includes('b.admin'))),
    );
    expect(ids(await audit(city, `&objectId=${newSchool.id}`))).toEqual(
      desc(all.filter((e) => e.object_id === newSchool.id)),
    );
    expect((await audit(city, `&objectId=${newSchool.id}`)).items.map((e) => e.action)).toEqual([
      'unit.update',
      'unit.create',
    ]);
    // The actor filter stays inside the scope.
    expect((await audit(adminB, '&actor=a.admin')).total).toBe(0);
    // LIKE characters are literal.
    expect((await audit(city, '&action=%25')).total).toBe(0);
    expect((await audit(city, '&actor=_')).total).toBe(0);

    const today = chinaDate(Date.now());
    const firstDay = chinaDate(all[0]!.occurred_at.getTime());
    const from = await audit(city, `&from=${firstDay}`);
    expect(from.total).toBe(all.filter((e) => e.occurred_at.getTime() >= dayStart(firstDay)).length);
    const tomorrow = chinaDate(Date.now() + 86400_000);
    expect((await audit(city, `&from=${tomorrow}`)).total).toBe(
      all.filter((e) => e.occurred_at.getTime() >= dayStart(tomorrow)).length,
    );
    const yesterday = chinaDate(Date.now() - 86400_000);
    expect((await audit(city, `&to=${yesterday}`)).total).toBe(
      all.filter((e) => e.occurred_at.getTime() < dayStart(today)).length,
    );
    expect((await audit(city, `&from=${yesterday}&to=${today}`)).total).toBe(
      all.filter(
        (e) => e.occurred_at.getTime() >= dayStart(yesterday) && e.occurred_at.getTime() < dayStart(tomorrow),
      ).length,
    );
    expect((await audit(city, `&from=${tomorrow}&to=${yesterday}`)).total).toBe(0);
  });

  it('pages newest first with a stable total', async () => {
    const n = (await audit(city)).total;
    const seen: number[] = [];
    for (let p = 1; p <= Math.ceil(n / 7); p++) {
      const body = (await city.get(`/api/audit?pageSize=7&page=${p}`)).json<AuditPage>();
      expect(body).toMatchObject({ total: n, page: p, pageSize: 7 });
      expect(body.items.length).toBe(Math.min(7, n - (p - 1) * 7));
      seen.push(...body.items.map((e) => e.id));
    }
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => n - i));
    const past = (await city.get(`/api/audit?pageSize=7&page=${Math.ceil(n / 7) + 1}`)).json<AuditPage>();
    expect(past).toMatchObject({ items: [], total: n });
  });
});

describe('GET /api/audit/verify', () => {
  it('answers the city admin and the city leader; a county admin gets 403', async () => {
    const res = await city.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ok: true,
      events: await auditCount(t.ctx),
      firstBroken: null,
      reason: null,
    });
    const leader = await loginAs(app, world.users.cityLeader.username, PASSWORD);
    expect((await leader.get('/api/audit/verify')).json<{ ok: boolean }>().ok).toBe(true);
    await expectUnchanged(t.ctx, async () => {
      expectError(await adminA.get('/api/audit/verify'), 403, 'FORBIDDEN');
      expectError(await adminB.get('/api/audit/verify'), 403, 'FORBIDDEN');
    });
  });
});

describe('append-only', () => {
  it('UPDATE, DELETE and TRUNCATE on audit_event fail, even for the owner, and nothing changes', async () => {
    await expectUnchanged(t.ctx, async () => {
      await expect(sql`update audit_event set action = 'x' where id = 1`.execute(t.ctx.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`update audit_event set after = null`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
      await expect(
        sql`delete from audit_event where id = (select max(id) from audit_event)`.execute(t.ctx.db),
      ).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_event`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_event`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    });
    expect((await verifyAuditChain(t.ctx.db, t.ctx.auditHead)).ok).toBe(true);
  });
});

describe('tampering', () => {
  const asOwner = async (change: () => Promise<unknown>) => {
    await sql`alter table audit_event disable trigger audit_event_no_change`.execute(t.ctx.db);
    try {
      await change();
    } finally {
      await sql`alter table audit_event enable trigger audit_event_no_change`.execute(t.ctx.db);
    }
  };

  it('a changed `after` breaks the chain at that event', async () => {
    const target = (await auditEvents(t.ctx, 'unit.update'))[0]!;
    const original = await sql<{
      after: string;
    }>`select after::text as after from audit_event where id = ${target.id}`.execute(t.ctx.db);
    await asOwner(() =>
      sql`update audit_event set after = ${JSON.stringify({ principal: '伪造的校长' })}::jsonb where id = ${target.id}`.execute(
        t.ctx.db,
      ),
    );
    const broken = await verifyAuditChain(t.ctx.db, t.ctx.auditHead);
    expect(broken).toMatchObject({ ok: false, firstBroken: target.id, events: target.id - 1 });
    expect(broken.reason).toMatch(/content/);
    const api = await city.get('/api/audit/verify');
    expect(api.json()).toMatchObject({ ok: false, firstBroken: target.id });

    // Put it back: the chain verifies again.
    await asOwner(() =>
      sql`update audit_event set after = ${original.rows[0]!.after}::jsonb where id = ${target.id}`.execute(
        t.ctx.db,
      ),
    );
    expect((await verifyAuditChain(t.ctx.db, t.ctx.auditHead)).ok).toBe(true);
  });

  it('a rewritten last event with a recomputed hash is caught by the head file', async () => {
    await t.ctx.auditHead.sync(t.ctx.db);
    const last = (await auditEvents(t.ctx)).at(-1)!;
    const forged = { injected: true };
    const hash = chainHash(last.prev_hash, {
      id: last.id,
      occurredAt: last.occurred_at.toISOString(),
      actorUserId: last.actor_user_id,
      actorName: last.actor_name,
      actorUnitId: last.actor_unit_id,
      unitId: last.unit_id,
      action: last.action,
      objectType: last.object_type,
      objectId: last.object_id,
      before: last.before ?? null,
      after: forged,
      ip: last.ip,
      requestId: last.request_id,
    });
    const original = await sql<{
      after: string | null;
    }>`select after::text as after from audit_event where id = ${last.id}`.execute(t.ctx.db);
    await asOwner(() =>
      sql`update audit_event set after = ${JSON.stringify(forged)}::jsonb, hash = ${hash} where id = ${last.id}`.execute(
        t.ctx.db,
      ),
    );
    // The chain alone is consistent; the copy of the head outside the database is not.
    expect((await verifyAuditChain(t.ctx.db)).ok).toBe(true);
    const res = await verifyAuditChain(t.ctx.db, t.ctx.auditHead);
    expect(res).toMatchObject({ ok: false, firstBroken: last.id });
    expect(res.reason).toMatch(/head file/);

    await asOwner(() =>
      sql`update audit_event set after = ${original.rows[0]!.after}::jsonb, hash = ${last.hash} where id = ${last.id}`.execute(
        t.ctx.db,
      ),
    );
    expect((await verifyAuditChain(t.ctx.db, t.ctx.auditHead)).ok).toBe(true);
  });

  it('removing the last events is detected through the head file', async () => {
    expect((await adminA.patch(`/api/units/${newSchool.id}`, { principal: '孙校长' })).statusCode).toBe(200);
    // The app syncs the head file after each state change; make sure this one is in before tampering.
    await t.ctx.auditHead.sync(t.ctx.db);
    const n = await auditCount(t.ctx);
    expect(t.ctx.auditHead.entries().at(-1)?.id).toBe(n);

    await asOwner(() => sql`delete from audit_event where id > ${n - 2}`.execute(t.ctx.db));
    expect(await auditCount(t.ctx)).toBe(n - 2);
    // Without the head file the shortened chain looks whole.
    expect(await verifyAuditChain(t.ctx.db)).toEqual({
      ok: true,
      events: n - 2,
      firstBroken: null,
      reason: null,
    });
    const res = await verifyAuditChain(t.ctx.db, t.ctx.auditHead);
    expect(res).toMatchObject({ ok: false, firstBroken: n - 1, events: n - 2 });
    expect(res.reason).toMatch(/head file records event/);
    expect((await city.get('/api/audit/verify')).json()).toMatchObject({ ok: false, firstBroken: n - 1 });
  });
});
