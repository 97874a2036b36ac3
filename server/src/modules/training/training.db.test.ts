import type {
  ComplianceReport,
  InstitutionDetail,
  InstitutionPage,
  LifecycleStats,
  PrepaidCheckResult,
  PrepaidViolation,
  PublicCounty,
  PublicInstitutionPage,
} from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { makeCreditCode } from './credit-code.js';
import { buildInstitution, orgBody } from './training.fixtures.js';
import { PUBLIC_RATE_LIMIT } from './training.public.routes.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let leaderA: Client;
let schoolA2: Client;
const today = chinaToday();
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };
const ID = generateIdNumber('220302', '1990-04-12', 'F', 17);

/** Institutions built in county A (3 supervised, 1 applied, 1 closed) and B (1). */
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  city = await loginAs(app, u.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  leaderA = await loginAs(app, u.leaderA.username, PASSWORD);
  schoolA2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  const a = { unitId: world.countyA.id, divisionCode: '220302' };
  ids.good = await buildInstitution(t.ctx, sys, origin, {
    ...a,
    name: '四平市启航美术培训学校',
    serial: 1,
    idNumberOf: (n) => (n === 0 ? ID : null),
  });
  ids.venue = await buildInstitution(t.ctx, sys, origin, {
    ...a,
    name: '铁西区跃动体育培训中心',
    serial: 2,
    subType: 'sports',
    flaws: ['venue'],
  });
  ids.staffDocs = await buildInstitution(t.ctx, sys, origin, {
    ...a,
    name: '铁西区求知学科培训学校',
    serial: 3,
    category: 'subject',
    flaws: ['staff', 'docs'],
  });
  ids.applied = await buildInstitution(t.ctx, sys, origin, {
    ...a,
    name: '铁西区申请中编程培训',
    serial: 4,
    status: 'applied',
    subType: 'tech',
  });
  ids.closing = await buildInstitution(t.ctx, sys, origin, { ...a, name: '铁西区将关停培训学校', serial: 5 });
  ids.b = await buildInstitution(t.ctx, sys, origin, {
    unitId: world.countyB.id,
    divisionCode: '220303',
    name: '铁东区音乐培训学校',
    serial: 6,
  });
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const ok = <T>(res: { statusCode: number; body: string; json: <X>() => X }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
};
const inst = async (id: string, c: Client = adminA) =>
  ok<InstitutionDetail>(await c.get(`/api/training/institutions/${id}`));

describe('registry', () => {
  const body = (p: Record<string, unknown> = {}) => ({
    unitId: world.countyA.id,
    name: '铁西区新星舞蹈培训中心',
    creditCode: makeCreditCode('91', '220302', orgBody(900)),
    category: 'non_subject',
    subType: 'arts',
    legalForm: 'company',
    ...p,
  });
  it('registers an institution as applied, with an event and an audit record', async () => {
    const d = ok<InstitutionDetail>(await adminA.post('/api/training/institutions', body()), 201);
    expect(d).toMatchObject({ status: 'applied', unitName: '铁西区教育局', list: 'none', canManage: true });
    expect(d.events).toHaveLength(1);
    expect((await auditEvents(t.ctx, 'training.institution.create')).some((e) => e.object_id === d.id)).toBe(
      true,
    );
  });
  it('refuses a bad credit code with the reason, changing nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      const good = makeCreditCode('91', '220302', orgBody(901));
      const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
      const e = expectError(
        await adminA.post('/api/training/institutions', body({ creditCode: wrong })),
        400,
        'CREDIT_CODE_CHECK_CHAR',
      );
      expect(e.message).toContain('校验码');
      expectError(
        await adminA.post('/api/training/institutions', body({ creditCode: good.toLowerCase() })),
        400,
        'CREDIT_CODE_LOWERCASE',
      );
      expectError(
        await adminA.post('/api/training/institutions', body({ creditCode: 'I' + good.slice(1) })),
        400,
        'CREDIT_CODE_CHARSET',
      );
      expectError(
        await adminA.post('/api/training/institutions', body({ creditCode: good.slice(0, 17) })),
        400,
        'CREDIT_CODE_LENGTH',
      );
    });
  });
  it('refuses a for-profit subject institution and a code already registered', async () => {
    expectError(
      await adminA.post('/api/training/institutions', body({ category: 'subject', creditCode: null })),
      400,
      'TRAINING_SUBJECT_NON_PROFIT',
    );
    expectError(
      await adminA.post('/api/training/institutions', body({ name: '重复机构' })),
      409,
      'CREDIT_CODE_TAKEN',
    );
  });
  it('refuses registering under a school or another county', async () => {
    expectError(
      await adminA.post('/api/training/institutions', body({ unitId: world.schoolA1.id, creditCode: null })),
      400,
      'TRAINING_COUNTY',
    );
    expectError(
      await adminB.post('/api/training/institutions', body({ creditCode: null })),
      404,
      'NOT_FOUND',
    );
  });
  it('lets a leader read but not change; another county sees nothing', async () => {
    const d = await inst(ids.good!, leaderA);
    expect(d.canManage).toBe(false);
    expectError(
      await leaderA.patch(`/api/training/institutions/${ids.good}`, { address: 'x' }),
      403,
      'FORBIDDEN',
    );
    expectError(await adminB.get(`/api/training/institutions/${ids.good}`), 404, 'NOT_FOUND');
    const page = ok<InstitutionPage>(await adminB.get('/api/training/institutions?pageSize=500'));
    expect(page.items.map((i) => i.name)).toEqual(['铁东区音乐培训学校']);
  });
  it('a school administrator has no training lists at all (and no error)', async () => {
    expect(ok<InstitutionPage>(await schoolA2.get('/api/training/institutions')).total).toBe(0);
    expect(ok<ComplianceReport>(await schoolA2.get('/api/training/compliance')).total.total).toBe(0);
    expect(ok<PrepaidViolation[]>(await schoolA2.get('/api/training/prepaid/violations'))).toEqual([]);
  });
  it('searches by name and by credit code, filters by category and list', async () => {
    const byName = ok<InstitutionPage>(
      await city.get(`/api/training/institutions?q=${encodeURIComponent('跃动')}`),
    );
    expect(byName.items.map((i) => i.name)).toEqual(['铁西区跃动体育培训中心']);
    const code = (await inst(ids.good!)).creditCode!;
    const byCode = ok<InstitutionPage>(await city.get(`/api/training/institutions?q=${code.toLowerCase()}`));
    expect(byCode.items.map((i) => i.id)).toEqual([ids.good]);
    const subject = ok<InstitutionPage>(await city.get('/api/training/institutions?category=subject'));
    expect(subject.items.map((i) => i.id)).toEqual([ids.staffDocs]);
    const white = ok<InstitutionPage>(await city.get('/api/training/institutions?list=white&pageSize=100'));
    expect(white.items.map((i) => i.name).sort()).toEqual(
      ['四平市启航美术培训学校', '铁东区音乐培训学校', '铁西区将关停培训学校'].sort(),
    );
  });
  it('stores staff ID numbers encrypted, shows them masked, and audits every reveal', async () => {
    const d = await inst(ids.good!);
    const s = d.staff.find((x) => x.idNumberMasked)!;
    expect(s.idNumberMasked).toBe(`${ID.slice(0, 6)}********${ID.slice(14)}`);
    const rows = await t.ctx.db
      .selectFrom('training_staff')
      .select(['id_number_enc'])
      .where('id', '=', s.id)
      .execute();
    expect(rows[0]!.id_number_enc).not.toContain(ID.slice(6, 14));
    expectError(await leaderA.post(`/api/training/staff/${s.id}/reveal-id`), 403, 'FORBIDDEN');
    expect(
      ok<{ idNumber: string }>(await adminA.post(`/api/training/staff/${s.id}/reveal-id`)).idNumber,
    ).toBe(ID);
    expect((await auditEvents(t.ctx, 'person.reveal')).some((e) => e.object_id === s.id)).toBe(true);
    // A new staff member through the API: the audit trail holds the masked number only.
    const id2 = generateIdNumber('220302', '1988-09-30', 'M', 5);
    const after = ok<InstitutionDetail>(
      await adminA.post(`/api/training/institutions/${ids.good}/staff`, {
        name: '王老师',
        idNumber: id2,
        role: 'teacher',
        backgroundChecked: true,
      }),
    );
    expect(after.staff.some((x) => x.name === '王老师' && x.idNumberMasked?.includes('********'))).toBe(true);
    const ev = (await auditEvents(t.ctx, 'training.staff.create')).at(-1)!;
    expect(JSON.stringify(ev)).not.toContain(id2);
    expectError(
      await adminA.post(`/api/training/institutions/${ids.good}/staff`, {
        name: '李老师',
        idNumber: '220302199001011234',
        role: 'teacher',
      }),
      400,
      'ID_CHECKSUM',
    );
  });
});

describe('lifecycle', () => {
  it('allows only the defined transitions, with dates and reasons, each audited', async () => {
    const id = ids.applied!;
    expectError(
      await adminA.post(`/api/training/institutions/${id}/status`, {
        to: 'operating',
        on: today,
        reason: '跳过审批',
      }),
      409,
      'TRAINING_TRANSITION',
    );
    expectError(
      await adminA.post(`/api/training/institutions/${id}/status`, {
        to: 'approved',
        on: addDays(today, 1),
        reason: '未来',
      }),
      400,
      'TRAINING_STATUS_DATE',
    );
    let d = ok<InstitutionDetail>(
      await adminA.post(`/api/training/institutions/${id}/status`, {
        to: 'approved',
        on: today,
        reason: '审批通过',
      }),
    );
    expect(d.allowedTransitions).toContain('operating');
    d = ok<InstitutionDetail>(
      await adminA.post(`/api/training/institutions/${id}/status`, {
        to: 'operating',
        on: today,
        reason: '开业',
      }),
    );
    expect(d.status).toBe('operating');
    expect(d.events.filter((e) => e.kind === 'status').map((e) => e.toStatus)).toEqual([
      'operating',
      'approved',
      'applied',
    ]);
    expect(
      (await auditEvents(t.ctx, 'training.institution.status')).filter((e) => e.object_id === id),
    ).toHaveLength(2);
  });
  it('closes, bans and converts; a final status admits no further change; counts per period', async () => {
    ok(
      await adminA.post(`/api/training/institutions/${ids.closing}/status`, {
        to: 'closed',
        on: today,
        reason: '主动注销',
      }),
    );
    expectError(
      await adminA.post(`/api/training/institutions/${ids.closing}/status`, {
        to: 'operating',
        on: today,
        reason: '恢复',
      }),
      409,
      'TRAINING_TRANSITION',
    );
    ok(
      await adminA.post(`/api/training/institutions/${ids.staffDocs}/status`, {
        to: 'converted',
        on: today,
        reason: '学科类转为非学科类',
      }),
    );
    ok(
      await adminB.post(`/api/training/institutions/${ids.b}/status`, {
        to: 'banned',
        on: today,
        reason: '违规开展学科类培训',
      }),
    );
    const all = ok<LifecycleStats>(
      await city.get(`/api/training/lifecycle?from=${addDays(today, -7)}&to=${today}`),
    );
    expect(all.sentence).toBe('关停1所，取缔1所，学转非1所');
    const a = ok<LifecycleStats>(
      await city.get(`/api/training/lifecycle?unitId=${world.countyA.id}&from=${today}&to=${today}`),
    );
    expect(a.sentence).toBe('关停1所，取缔0所，学转非1所');
    const before = ok<LifecycleStats>(
      await city.get(`/api/training/lifecycle?from=2020-01-01&to=${addDays(today, -1)}`),
    );
    expect(before.counts.closed ?? 0).toBe(0);
  });
  it('black-lists with reason and date (audited), shows it, and removes it', async () => {
    expectError(
      await adminA.post(`/api/training/institutions/${ids.venue}/unblacklist`, { reason: '无' }),
      409,
      'TRAINING_LIST_UNCHANGED',
    );
    const d = ok<InstitutionDetail>(
      await adminA.post(`/api/training/institutions/${ids.venue}/blacklist`, {
        on: today,
        reason: '虚假宣传',
      }),
    );
    expect([d.list, d.blacklistReason, d.blacklistedOn]).toEqual(['black', '虚假宣传', today]);
    const black = ok<InstitutionPage>(await adminA.get('/api/training/institutions?list=black'));
    expect(black.items.map((i) => i.id)).toEqual([ids.venue]);
    const e = ok<InstitutionDetail>(
      await adminA.post(`/api/training/institutions/${ids.venue}/unblacklist`, { reason: '整改到位' }),
    );
    expect(e.list).toBe('none');
    expect(e.events.slice(0, 2).map((x) => x.kind)).toEqual(['unblacklist', 'blacklist']);
    expect((await auditEvents(t.ctx, 'training.institution.blacklist')).length).toBeGreaterThan(0);
  });
});

describe('compliance', () => {
  it('counts per county and for the city as sums over institutions under supervision', async () => {
    const r = ok<ComplianceReport>(await city.get('/api/training/compliance'));
    // County A under supervision now: good (compliant), venue (fire not accepted), applied→operating (compliant).
    // staffDocs was converted, closing closed, B banned: none of them count.
    const a = r.rows.find((x) => x.unitId === world.countyA.id)!;
    expect([a.total, a.org, a.venue, a.staff, a.docs, a.funds, a.all]).toEqual([3, 3, 2, 3, 3, 3, 2]);
    expect(r.rows.find((x) => x.unitId === world.countyB.id)).toBeUndefined();
    expect(r.total).toMatchObject({ total: 3, all: 2, venue: 2 });
  });
  it('warns of documents and licences expiring within the configured days', async () => {
    await t.ctx.db
      .updateTable('training_document')
      .set({ valid_to: addDays(today, 10) })
      .where('institution_id', '=', ids.good!)
      .where('kind', '=', 'fire')
      .execute();
    const within30 = ok<ComplianceReport>(
      await adminA.get(`/api/training/compliance?unitId=${world.countyA.id}`),
    );
    expect(within30.warnDays).toBe(30);
    expect(
      within30.expiring.some((e) => e.institutionId === ids.good && e.what.includes('消防') && !e.expired),
    ).toBe(true);
    const within5 = ok<ComplianceReport>(
      await adminA.get(`/api/training/compliance?unitId=${world.countyA.id}&days=5`),
    );
    expect(within5.expiring.some((e) => e.institutionId === ids.good && e.what.includes('消防'))).toBe(false);
    // An expired document makes 材料合规 fail.
    await t.ctx.db
      .updateTable('training_document')
      .set({ valid_to: addDays(today, -1) })
      .where('institution_id', '=', ids.good!)
      .where('kind', '=', 'fire')
      .execute();
    expect((await inst(ids.good!)).compliance.docs).toBe(false);
    ok(
      await adminA.request('PUT', `/api/training/institutions/${ids.good}/documents/fire`, {
        number: '消验2026-1',
        validTo: addDays(today, 365),
      }),
    );
    expect((await inst(ids.good!)).compliance.docs).toBe(true);
  });
});

describe('prepaid fees', () => {
  const orders = (list: Record<string, unknown>[]) => ({
    orders: list.map((o) => ({ paidOn: today, coversMonths: 1, ...o })),
  });
  it('raises one finding per violation, in the ledger, and never twice on re-check', async () => {
    const r = ok<{ created: number; raised: number }>(
      await adminA.post(
        `/api/training/institutions/${ids.good}/orders`,
        orders([
          { orderNo: 'QH-001', amount: 1600, classHours: 20 },
          { orderNo: 'QH-002', amount: 6800, classHours: 80, coversMonths: 6 },
        ]),
      ),
    );
    // QH-002 breaks the period rule and the amount rule; the reserve still covers one billing period.
    expect(r).toMatchObject({ created: 2, raised: 2 });
    // The reserve is cut: custody (balance 0) no longer covers the 8,400 yuan of untaught hours.
    const cut = ok<PrepaidCheckResult>(
      await adminA.request('PUT', `/api/training/institutions/${ids.good}/funds`, { reserve: 1000 }),
    );
    expect(cut.raised).toBe(1);
    expect((await inst(ids.good!)).compliance.funds).toBe(false);
    const findings = await t.ctx.db
      .selectFrom('finding')
      .select(['source', 'source_type', 'source_id', 'unit_id', 'category', 'subcategory'])
      .where('source_id', '=', ids.good!)
      .execute();
    expect(findings.map((f) => f.subcategory).sort()).toEqual([
      'prepaid.amount',
      'prepaid.custody',
      'prepaid.period',
    ]);
    expect(
      findings.every(
        (f) =>
          f.source === 'rule' && f.source_type === 'training_institution' && f.unit_id === world.countyA.id,
      ),
    ).toBe(true);
    const again = ok<PrepaidCheckResult>(
      await adminA.post('/api/training/prepaid/check', { unitId: world.countyA.id }),
    );
    expect(again.raised).toBe(0);
    expect(again.violations.filter((v) => v.institutionId === ids.good)).toHaveLength(3);
    expect(again.violations.every((v) => v.findingNo)).toBe(true);
    // Topping up the custody account ends the custody violation (its finding stays in the ledger to close).
    const funds = ok<PrepaidCheckResult>(
      await adminA.request('PUT', `/api/training/institutions/${ids.good}/funds`, {
        custodyBalance: 8400,
        custodyBalanceOn: today,
      }),
    );
    expect(
      funds.violations
        .filter((v) => v.institutionId === ids.good)
        .map((v) => v.rule)
        .sort(),
    ).toEqual(['amount', 'period']);
    expect((await inst(ids.good!)).compliance.funds).toBe(true);
  });
  it('applies the region’s rules (audited) to new checks', async () => {
    ok(
      await adminA.post(
        `/api/training/institutions/${ids.good}/orders`,
        orders([{ orderNo: 'QH-003', amount: 2500, classHours: 50 }]),
      ),
    );
    const v0 = ok<PrepaidViolation[]>(
      await adminA.get(`/api/training/prepaid/violations?unitId=${world.countyA.id}`),
    );
    expect(v0.some((v) => v.subject === 'QH-003')).toBe(false);
    expectError(
      await leaderA.request('PUT', '/api/training/rules', {
        unitId: world.countyA.id,
        maxMonths: 3,
        maxHours: 40,
        maxNonSubject: 5000,
        warnDays: 30,
      }),
      403,
      'FORBIDDEN',
    );
    ok(
      await adminA.request('PUT', '/api/training/rules', {
        unitId: world.countyA.id,
        maxMonths: 3,
        maxHours: 40,
        maxNonSubject: 5000,
        warnDays: 45,
      }),
    );
    expect((await auditEvents(t.ctx, 'training.rules.update')).length).toBe(1);
    const check = ok<PrepaidCheckResult>(
      await adminA.post('/api/training/prepaid/check', { unitId: world.countyA.id }),
    );
    expect(check.raised).toBe(1);
    expect(check.violations.some((v) => v.subject === 'QH-003' && v.rule === 'period')).toBe(true);
    // County B keeps the national defaults; the city's page shows where the rules come from.
    const rb = ok<{ fromUnitId: string | null; maxHours: number }>(
      await city.get(`/api/training/rules?unitId=${world.countyB.id}`),
    );
    expect(rb).toMatchObject({ fromUnitId: null, maxHours: 60 });
  });
  it('imports orders from a CSV (GB18030 or UTF-8), reporting bad rows', async () => {
    const csv =
      '订单号,缴费日期,金额（元）,课时数,覆盖月数,已消课时\nIM-1,2025-10-08,"1,200",20,2,5\nIM-2,不是日期,100,1,1,0\nIM-3,2025-10-09,900,10,1,20\n';
    const res = await adminA.request('POST', `/api/training/institutions/${ids.good}/orders/import`, csv, {
      'content-type': 'application/octet-stream',
      'x-file-name': 'orders.csv',
    });
    const r = ok<{ created: number; errors: { row: number }[] }>(res);
    expect(r.created).toBe(1);
    // Row 3: not a date; row 4: more hours taught than bought.
    expect(r.errors.map((e) => e.row)).toEqual([3, 4]);
  });
});

describe('inspections', () => {
  it('records a 明察暗访 with findings in the ledger, responsible unit the county bureau', async () => {
    const d = ok<InstitutionDetail>(
      await city.post(`/api/training/institutions/${ids.venue}/inspections`, {
        kind: 'joint',
        inspectedOn: today,
        agencies: ['市场监管局', '公安局'],
        people: ['李科长'],
        summary: '联合执法检查',
        findings: [{ title: '消防通道堵塞', severity: 'major', deadline: addDays(today, 10) }],
      }),
    );
    expect(d.inspections[0]!.findingIds).toHaveLength(1);
    const f = await t.ctx.db
      .selectFrom('finding')
      .selectAll()
      .where('id', '=', d.inspections[0]!.findingIds[0]!)
      .executeTakeFirstOrThrow();
    expect([f.source, f.source_type, f.source_id, f.unit_id, f.category]).toEqual([
      'inspection',
      'training_institution',
      ids.venue,
      world.countyA.id,
      'training',
    ]);
    expect(d.openFindings).toBeGreaterThanOrEqual(1);
  });
});

describe('public portal', () => {
  const pub = (url: string, ip = '203.0.113.9') => app.inject({ method: 'GET', url, remoteAddress: ip });
  it('finds institutions by name or full credit code, public fields only', async () => {
    const res = await pub(`/api/public/institutions?q=${encodeURIComponent('启航')}`);
    const page = ok<PublicInstitutionPage>(res);
    expect(page.items).toHaveLength(1);
    const p = page.items[0]!;
    expect(Object.keys(p).sort()).toEqual(
      [
        'blacklistReason',
        'blacklistedOn',
        'category',
        'complaintChannel',
        'county',
        'creditCode',
        'id',
        'licenceFrom',
        'licenceNo',
        'licenceTo',
        'licenceValid',
        'list',
        'name',
        'prepaidSupervised',
        'status',
        'subType',
        'venues',
      ].sort(),
    );
    expect(p).toMatchObject({ county: '铁西区教育局', licenceValid: true });
    // Never: staff names, ID numbers (whole or masked), the phone, money figures.
    for (const secret of [
      '教师1',
      '王老师',
      ID,
      ID.slice(0, 6) + '********',
      '0434-3210000',
      '张经理',
      '6217',
    ])
      expect(res.body).not.toContain(secret);
    const byCode = ok<PublicInstitutionPage>(await pub(`/api/public/institutions?q=${p.creditCode}`));
    expect(byCode.items.map((i) => i.id)).toEqual([p.id]);
    const detail = await pub(`/api/public/institutions/${p.id}`);
    expect(ok<{ venues: unknown[] }>(detail).venues).toHaveLength(1);
    expect(detail.body).not.toContain('教师1');
  });
  it('never shows an institution still applying, nor a closed one off the black list', async () => {
    const hidden = await buildInstitution(t.ctx, sys, origin, {
      unitId: world.countyA.id,
      divisionCode: '220302',
      name: '铁西区未审批培训机构',
      serial: 77,
      status: 'applied',
    });
    expect(
      ok<PublicInstitutionPage>(await pub(`/api/public/institutions?q=${encodeURIComponent('未审批')}`))
        .total,
    ).toBe(0);
    expect((await pub(`/api/public/institutions/${hidden}`)).statusCode).toBe(404);
    expect((await pub(`/api/public/institutions/${ids.closing}`)).statusCode).toBe(404);
    const all = await pub('/api/public/institutions?pageSize=50');
    expect(all.body).not.toContain(hidden);
  });
  it('publishes the lists by county and category; a banned black-listed institution is on the black list', async () => {
    ok(
      await adminB.post(`/api/training/institutions/${ids.b}/blacklist`, {
        on: today,
        reason: '取缔后仍违规招生',
      }),
    );
    const black = ok<PublicInstitutionPage>(
      await pub(`/api/public/institutions?list=black&county=${world.countyB.id}`),
    );
    expect(black.items.map((i) => [i.name, i.list, i.blacklistReason])).toEqual([
      ['铁东区音乐培训学校', 'black', '取缔后仍违规招生'],
    ]);
    const white = ok<PublicInstitutionPage>(
      await pub(`/api/public/institutions?list=white&category=non_subject`),
    );
    expect(white.items.every((i) => i.list === 'white' && i.category === 'non_subject')).toBe(true);
    expect(white.items.length).toBeGreaterThan(0);
    const counties = ok<PublicCounty[]>(await pub('/api/public/training/counties'));
    expect(counties.find((c) => c.id === world.countyB.id)).toMatchObject({ black: 1 });
  });
  it('is rate-limited per IP', async () => {
    const ip = '198.51.100.7';
    let last = 0;
    for (let n = 0; n <= PUBLIC_RATE_LIMIT; n++)
      last = (await pub('/api/public/training/counties', ip)).statusCode;
    expect(last).toBe(429);
    expect((await pub('/api/public/training/counties', '198.51.100.8')).statusCode).toBe(200);
  });
});
