/**
 * Responsibility agreements against a database: kinds (built-in and a bureau's own), a round issued by the
 * city to its counties and by a county to its schools, the units told, the signed document uploaded
 * (sniffed PDF/image, refused otherwise), returned with a reason and uploaded again, the round's counts and
 * xlsx export, audit on every change, and cross-scope refusals (another county, a sibling school → 404,
 * nothing changed).
 */
import type { AgreementKind, AgreementRound, AgreementRoundDetail, AgreementSigning } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { addDays, chinaToday } from '../../platform/dates.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let a1: Client;
let a2: Client;
const today = chinaToday();
const year = Number(today.slice(0, 4));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(32, 1),
]);

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, world.users.adminA.username, PASSWORD);
  adminB = await loginAs(app, world.users.adminB.username, PASSWORD);
  a1 = await loginAs(app, world.users.schoolAdminA1.username, PASSWORD);
  a2 = await loginAs(app, world.users.schoolAdminA2.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const upload = (
  c: Client,
  signingId: string,
  body: Buffer,
  q: { signedOn?: string; signerName?: string; signerRole?: string } = {},
) =>
  c.request(
    'POST',
    `/api/agreement-signings/${signingId}/document?${new URLSearchParams({
      signedOn: q.signedOn ?? today,
      signerName: q.signerName ?? '张局长',
      ...(q.signerRole === undefined
        ? { signerRole: '局长' }
        : q.signerRole
          ? { signerRole: q.signerRole }
          : {}),
    }).toString()}`,
    body,
    { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent('责任书.pdf') },
  );

describe('agreement kinds', () => {
  it('lists the built-in kinds to everyone; a bureau adds, renames and retires its own, not the built-in ones', async () => {
    const builtIn = (await a1.get('/api/agreement-kinds')).json<{ items: AgreementKind[] }>().items;
    expect(builtIn.map((k) => k.name)).toEqual(
      expect.arrayContaining(['目标管理责任书', '安全稳定目标责任书', '承诺书']),
    );
    expect(builtIn.every((k) => k.ownerUnit === null && !k.canManage)).toBe(true);
    const made = await adminA.post('/api/agreement-kinds', {
      ownerUnitId: world.countyA.id,
      name: '控辍保学目标责任书',
    });
    expect(made.statusCode, made.body).toBe(200);
    const kind = made.json<AgreementKind>();
    expect(kind).toMatchObject({ canManage: true, active: true, ownerUnit: { id: world.countyA.id } });
    expectError(
      await adminA.post('/api/agreement-kinds', { ownerUnitId: world.countyA.id, name: '目标管理责任书' }),
      409,
      'AGREEMENT_KIND_EXISTS',
    );
    const renamed = await adminA.request('PUT', `/api/agreement-kinds/${kind.id}`, {
      name: '控辍保学工作责任书',
    });
    expect(renamed.json<AgreementKind>().name).toBe('控辍保学工作责任书');
    expectError(
      await adminA.request('PUT', `/api/agreement-kinds/${builtIn[0]!.id}`, { name: '改名' }),
      400,
      'AGREEMENT_KIND_BUILTIN',
    );
    // Another county neither sees nor edits it; a school cannot add one.
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminB.request('PUT', `/api/agreement-kinds/${kind.id}`, { active: false }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await adminB.post('/api/agreement-kinds', { ownerUnitId: world.countyA.id, name: '探' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await a1.post('/api/agreement-kinds', { ownerUnitId: world.schoolA1.id, name: '探' }),
        400,
        'AGREEMENT_ISSUER_KIND',
      );
    });
    const bList = (await adminB.get('/api/agreement-kinds')).json<{ items: AgreementKind[] }>().items;
    expect(bList.some((k) => k.id === kind.id)).toBe(false);
    expect((await auditEvents(t.ctx, 'agreement.kind.update')).length).toBe(1);
  });
});

describe('a round of 目标管理责任书', () => {
  let round: AgreementRoundDetail;
  let goalKind: string;
  const signingOf = (r: AgreementRoundDetail, unitId: string) =>
    r.signings.find((s) => s.unit.id === unitId)!;

  it('is issued by the city to every county, each county told', async () => {
    const kinds = (await city.get('/api/agreement-kinds')).json<{ items: AgreementKind[] }>().items;
    goalKind = kinds.find((k) => k.code === 'goal')!.id;
    const res = await city.post('/api/agreement-rounds', {
      issuerUnitId: world.city.id,
      kindId: goalKind,
      year,
      unitKind: 'county_bureau',
      dueOn: addDays(today, 20),
    });
    expect(res.statusCode, res.body).toBe(200);
    round = res.json<AgreementRoundDetail>();
    expect(round.title).toBe(`${year}年度目标管理责任书`);
    expect(round.counts).toEqual({ total: 2, signed: 0, pending: 2, returned: 0 });
    expect(round.signings.map((s) => s.unit.id).sort()).toEqual([world.countyA.id, world.countyB.id].sort());
    const told = await t.ctx.db
      .selectFrom('notification')
      .select(['user_id'])
      .where('kind', '=', 'agreement.issued')
      .execute();
    expect(told.map((n) => n.user_id)).toEqual(expect.arrayContaining([world.users.adminA.id]));
    expectError(
      await city.post('/api/agreement-rounds', {
        issuerUnitId: world.city.id,
        kindId: goalKind,
        year,
        unitKind: 'county_bureau',
      }),
      409,
      'AGREEMENT_ROUND_EXISTS',
    );
    expect((await auditEvents(t.ctx, 'agreement.round.create')).length).toBe(1);
  });

  it('shows a county its own row only, and its signing in 本单位责任书', async () => {
    const seen = (await adminA.get(`/api/agreement-rounds/${round.id}`)).json<AgreementRoundDetail>();
    expect(seen.signings.map((s) => s.unit.id)).toEqual([world.countyA.id]);
    expect(seen.counts.total).toBe(1);
    expect(seen.canManage).toBe(false);
    const mine = (await adminA.get('/api/agreement-signings')).json<{ items: AgreementSigning[] }>().items;
    expect(mine.map((s) => s.unit.id)).toEqual([world.countyA.id]);
    expect(mine[0]).toMatchObject({ status: 'pending', canSign: true, kindName: '目标管理责任书' });
    // A school sees nothing of the city's round to the counties.
    expectError(await a1.get(`/api/agreement-rounds/${round.id}`), 404, 'NOT_FOUND');
    expect((await a1.get('/api/agreement-rounds')).json<{ items: AgreementRound[] }>().items).toEqual([]);
  });

  it('takes the county’s signed PDF, refuses a file that is neither PDF nor image, and moves the count', async () => {
    const sid = signingOf(round, world.countyA.id).id;
    await expectUnchanged(t.ctx, async () => {
      expectError(await upload(adminA, sid, Buffer.from('not a pdf at all')), 400, 'FILE_TYPE');
      expectError(
        await upload(adminA, sid, PDF, { signedOn: addDays(today, 1) }),
        400,
        'AGREEMENT_SIGNED_ON',
      );
      expectError(await upload(adminA, sid, PDF, { signerName: '' }), 400, 'VALIDATION');
      // Another county, and a school: 404, nothing stored.
      expectError(await upload(adminB, sid, PDF), 404, 'NOT_FOUND');
      expectError(await upload(a1, sid, PDF), 404, 'NOT_FOUND');
    });
    const res = await upload(adminA, sid, PDF);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json<AgreementSigning>();
    expect(s).toMatchObject({
      status: 'signed',
      signedOn: today,
      signerName: '张局长',
      signerRole: '局长',
      canSign: false,
      file: { contentType: 'application/pdf', name: '责任书.pdf' },
    });
    const file = await adminA.get(`/api/files/${s.file!.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expectError(await upload(adminA, sid, PDF), 409, 'AGREEMENT_SIGNED');
    const r = (await city.get(`/api/agreement-rounds/${round.id}`)).json<AgreementRoundDetail>();
    expect(r.counts).toEqual({ total: 2, signed: 1, pending: 1, returned: 0 });
    // Who has not signed yet: county B.
    expect(r.signings.filter((x) => x.status !== 'signed').map((x) => x.unit.id)).toEqual([world.countyB.id]);
    const audit = await auditEvents(t.ctx, 'agreement.sign');
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.after)).toContain('application/pdf');
  });

  it('lets the city return it with a reason; the county is told and uploads again (an image this time)', async () => {
    const sid = signingOf(round, world.countyA.id).id;
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminB.post(`/api/agreement-signings/${sid}/return`, { reason: '探' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await adminA.post(`/api/agreement-signings/${sid}/return`, { reason: '自退' }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await city.post(`/api/agreement-signings/${sid}/return`, { reason: '' }),
        400,
        'VALIDATION',
      );
    });
    const ret = await city.post(`/api/agreement-signings/${sid}/return`, { reason: '缺少单位公章' });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json<AgreementSigning>()).toMatchObject({
      status: 'returned',
      returnedReason: '缺少单位公章',
    });
    expectError(
      await city.post(`/api/agreement-signings/${sid}/return`, { reason: '再退' }),
      409,
      'AGREEMENT_NOT_SIGNED',
    );
    const told = await t.ctx.db
      .selectFrom('notification')
      .select('body')
      .where('kind', '=', 'agreement.returned')
      .where('user_id', '=', world.users.adminA.id)
      .execute();
    expect(told.map((n) => n.body)).toEqual(['缺少单位公章']);
    const r1 = (await city.get(`/api/agreement-rounds/${round.id}`)).json<AgreementRoundDetail>();
    expect(r1.counts).toMatchObject({ signed: 0, returned: 1, pending: 1 });
    const again = await upload(adminA, sid, PNG, { signerRole: '' });
    expect(again.json<AgreementSigning>()).toMatchObject({
      status: 'signed',
      signerRole: null,
      file: { contentType: 'image/png' },
    });
    expect((await auditEvents(t.ctx, 'agreement.return')).length).toBe(1);
  });

  it('exports the round as xlsx, audited; another county cannot', async () => {
    const x = await city.get(`/api/agreement-rounds/${round.id}/export`);
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const exported = await auditEvents(t.ctx, 'export');
    expect(exported.some((e) => e.object_type === 'agreement_round')).toBe(true);
    // County B is in the round: it gets its own row only, and never county A's signing.
    const b = (await adminB.get(`/api/agreement-rounds/${round.id}`)).json<AgreementRoundDetail>();
    expect(b.signings.map((s) => s.unit.id)).toEqual([world.countyB.id]);
    const sid = signingOf(round, world.countyA.id).id;
    expect((await adminB.get('/api/agreement-signings')).body).not.toContain(sid);
  });
});

describe('a county’s round to its schools', () => {
  let round: AgreementRoundDetail;
  it('goes to the schools named, inside the county only; a sibling school sees nothing of it', async () => {
    const kinds = (await adminA.get('/api/agreement-kinds')).json<{ items: AgreementKind[] }>().items;
    const safety = kinds.find((k) => k.code === 'safety')!.id;
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminA.post('/api/agreement-rounds', {
          issuerUnitId: world.countyA.id,
          kindId: safety,
          year,
          unitKind: 'school',
          unitIds: [world.schoolB1.id],
        }),
        400,
        'AGREEMENT_UNIT_OUTSIDE',
      );
      expectError(
        await adminB.post('/api/agreement-rounds', {
          issuerUnitId: world.countyA.id,
          kindId: safety,
          year,
          unitKind: 'school',
        }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await adminA.post('/api/agreement-rounds', {
          issuerUnitId: world.countyA.id,
          kindId: safety,
          year,
          unitKind: 'county_bureau',
        }),
        400,
        'AGREEMENT_NO_UNITS',
      );
    });
    const res = await adminA.post('/api/agreement-rounds', {
      issuerUnitId: world.countyA.id,
      kindId: safety,
      year,
      unitKind: 'school',
      unitIds: [world.schoolA1.id],
    });
    expect(res.statusCode, res.body).toBe(200);
    round = res.json<AgreementRoundDetail>();
    expect(round.signings.map((s) => s.unit.id)).toEqual([world.schoolA1.id]);
    await expectUnchanged(t.ctx, async () => {
      expectError(await a2.get(`/api/agreement-rounds/${round.id}`), 404, 'NOT_FOUND');
      expectError(await adminB.get(`/api/agreement-rounds/${round.id}/export`), 404, 'NOT_FOUND');
      expectError(await upload(a2, round.signings[0]!.id, PDF), 404, 'NOT_FOUND');
    });
    const signed = await upload(a1, round.signings[0]!.id, PDF, { signerName: '李校长', signerRole: '校长' });
    expect(signed.json<AgreementSigning>().status).toBe('signed');
    const list = (await adminA.get('/api/agreement-rounds')).json<{ items: AgreementRound[] }>().items;
    expect(list.find((r) => r.id === round.id)!.counts).toMatchObject({ total: 1, signed: 1 });
    expect((await a2.get('/api/agreement-rounds')).body).not.toContain(round.id);
  });
});
