import type { ComplianceReport, InstitutionPage, LifecycleStats } from '@dudao/contracts';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectError } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { buildInstitution } from './training.fixtures.js';
import { zhDate } from './training.exports.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
const today = chinaToday();
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };
const ids: Record<string, string> = {};
const A_NAMES = [
  '铁西区启航美术培训学校',
  '铁西区跃动体育培训中心',
  '铁西区求知学科培训学校',
  '铁西区将关停培训学校',
];
const B_NAME = '铁东区音乐培训学校';

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  city = await loginAs(app, u.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  const a = { unitId: world.countyA.id, divisionCode: '220302' };
  ids.good = await buildInstitution(t.ctx, sys, origin, { ...a, name: A_NAMES[0]!, serial: 11 });
  ids.venue = await buildInstitution(t.ctx, sys, origin, {
    ...a,
    name: A_NAMES[1]!,
    serial: 12,
    subType: 'sports',
    flaws: ['venue', 'funds'],
  });
  ids.subject = await buildInstitution(t.ctx, sys, origin, {
    ...a,
    name: A_NAMES[2]!,
    serial: 13,
    category: 'subject',
    flaws: ['staff', 'docs'],
  });
  ids.closing = await buildInstitution(t.ctx, sys, origin, { ...a, name: A_NAMES[3]!, serial: 14 });
  ids.b = await buildInstitution(t.ctx, sys, origin, {
    unitId: world.countyB.id,
    divisionCode: '220303',
    name: B_NAME,
    serial: 15,
  });
  // A reason that a spreadsheet would run as a formula; closed and black-listed (still published).
  expect(
    (
      await adminA.post(`/api/training/institutions/${ids.closing}/blacklist`, {
        on: today,
        reason: '=HYPERLINK("http://x","虚假宣传")',
      })
    ).statusCode,
  ).toBe(200);
  expect(
    (
      await adminA.post(`/api/training/institutions/${ids.closing}/status`, {
        to: 'closed',
        on: today,
        reason: '无证办学',
      })
    ).statusCode,
  ).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

async function sheetOf(res: { statusCode: number; body: string; rawPayload: Buffer }) {
  expect(res.statusCode, res.body).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c) => cells.push(c.text));
    rows.push(cells);
  });
  return { ws, rows, title: rows[0]![0]!, subtitle: rows[1]![0]!, header: rows[2]!, data: rows.slice(3) };
}

const exportsOf = async (what: string) =>
  t.ctx.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'export')
    .where('object_type', '=', what)
    .orderBy('id', 'desc')
    .execute();

const ok = <T>(res: { statusCode: number; body: string; json: <X>() => X }): T => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
};

describe('exports', () => {
  it('exports the county’s registry as xlsx for A4 printing, its own institutions only, audited', async () => {
    const before = (await exportsOf('training_institution')).length;
    const x = await sheetOf(await adminA.get('/api/training/institutions/export'));
    expect(x.title).toBe(`铁西区校外培训机构名册（${zhDate(today)}）`);
    expect(x.header).toContain('统一社会信用代码');
    expect(x.data.map((r) => r[2]).sort()).toEqual([...A_NAMES].sort());
    expect(x.ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1 });
    const events = await exportsOf('training_institution');
    expect(events.length).toBe(before + 1);
    expect(events[0]).toMatchObject({ unit_id: world.countyA.id });
    expect((events[0]!.after as { rows: number }).rows).toBe(4);
    // the filters of the list apply
    const subject = await sheetOf(await adminA.get('/api/training/institutions/export?category=subject'));
    expect(subject.data.map((r) => r[2])).toEqual([A_NAMES[2]]);
  });

  it('exports the published white and black lists with the issuing unit; formulas neutralised', async () => {
    const white = await sheetOf(await adminA.get('/api/training/institutions/export?sheet=white'));
    expect(white.title).toBe(`铁西区校外培训机构白名单（${zhDate(today, true)}）`);
    expect(white.subtitle).toContain('公示单位：铁西区教育局');
    const api = ok<InstitutionPage>(
      await adminA.get('/api/training/institutions?list=white&published=yes&pageSize=100'),
    );
    expect(white.data.map((r) => r[1]).sort()).toEqual(api.items.map((i) => i.name).sort());
    expect(white.data.map((r) => r[1])).toContain(A_NAMES[0]);
    expect(white.data.map((r) => r[1])).not.toContain(A_NAMES[1]);

    const black = await sheetOf(await adminA.get('/api/training/institutions/export?sheet=black'));
    expect(black.title).toBe(`铁西区校外培训机构黑名单（${zhDate(today, true)}）`);
    expect(black.data).toHaveLength(1);
    expect(black.data[0]![1]).toBe(A_NAMES[3]);
    expect(black.data[0]![5]).toBe(`'=HYPERLINK("http://x","虚假宣传")`);
    expect(black.data[0]![7]).toBe('关停');
  });

  it('another county’s bureau is 404 and never leaks into a county’s export', async () => {
    expectError(
      await adminB.get(`/api/training/institutions/export?unitId=${world.countyA.id}`),
      404,
      'NOT_FOUND',
    );
    expectError(
      await adminB.get(`/api/training/compliance/export?unitId=${world.countyA.id}`),
      404,
      'NOT_FOUND',
    );
    expectError(
      await adminB.get(`/api/training/lifecycle/export?unitId=${world.countyA.id}&from=${today}&to=${today}`),
      404,
      'NOT_FOUND',
    );
    const own = await sheetOf(await adminB.get('/api/training/institutions/export'));
    expect(own.data.map((r) => r[2])).toEqual([B_NAME]);
    const black = await sheetOf(await adminB.get('/api/training/institutions/export?sheet=black'));
    expect(black.data).toHaveLength(0);
  });

  it('exports the compliance table per county with the total, as the report computes it', async () => {
    const report = ok<ComplianceReport>(await city.get('/api/training/compliance'));
    const x = await sheetOf(await city.get('/api/training/compliance/export'));
    expect(x.title).toContain(`校外培训机构合规情况统计表（截至${zhDate(today)}）`);
    expect(x.header.slice(0, 4)).toEqual(['区县', '在管机构数', '机构合规数', '机构合规率']);
    expect(x.data.map((r) => [r[0], Number(r[1]), Number(r[4]), Number(r[12])])).toEqual(
      [...report.rows, report.total].map((r) => [r.unitName, r.total, r.venue, r.all]),
    );
    const a = await sheetOf(await adminA.get('/api/training/compliance/export'));
    expect(a.data.map((r) => r[0])).toEqual(['铁西区教育局', '合计']);
    expect((await exportsOf('training_compliance')).length).toBe(2);
  });

  it('exports closures, bans and conversions per county with the sentence', async () => {
    const x = await sheetOf(await city.get(`/api/training/lifecycle/export?from=${today}&to=${today}`));
    expect(x.title).toContain(`关停、取缔、学转非情况统计表（${zhDate(today)}至${zhDate(today)}）`);
    expect(x.subtitle).toContain('关停1所，取缔0所，学转非0所');
    expect(x.data).toEqual([
      ['铁西区教育局', '1', '0', '0', '1'],
      ['合计', '1', '0', '0', '1'],
    ]);
    expect((await exportsOf('training_lifecycle')).length).toBe(1);
  });
});

describe('drill-down filters', () => {
  it('each compliance figure lists exactly the institutions it counted', async () => {
    const report = ok<ComplianceReport>(await city.get('/api/training/compliance'));
    for (const row of [...report.rows, report.total])
      for (const aspect of ['org', 'venue', 'staff', 'docs', 'funds'] as const) {
        const unit = row.unitId ? `&unitId=${row.unitId}` : '';
        const failing = ok<InstitutionPage>(
          await city.get(
            `/api/training/institutions?supervised=yes&aspect=${aspect}&compliant=no${unit}&pageSize=100`,
          ),
        );
        const passing = ok<InstitutionPage>(
          await city.get(
            `/api/training/institutions?supervised=yes&aspect=${aspect}&compliant=yes${unit}&pageSize=100`,
          ),
        );
        expect([failing.total, passing.total], `${row.unitName} ${aspect}`).toEqual([
          row.total - row[aspect],
          row[aspect],
        ]);
        expect(failing.items.every((i) => !i.compliance[aspect])).toBe(true);
      }
    const venueA = ok<InstitutionPage>(
      await adminA.get(`/api/training/institutions?supervised=yes&aspect=venue&compliant=no`),
    );
    expect(venueA.items.map((i) => i.id)).toEqual([ids.venue]);
    // closed institutions are not under supervision
    const all = ok<InstitutionPage>(await adminA.get('/api/training/institutions?supervised=yes'));
    expect(all.items.map((i) => i.id)).not.toContain(ids.closing);
  });

  it('the lifecycle figures list the institutions moved in the period', async () => {
    const stats = ok<LifecycleStats>(await city.get(`/api/training/lifecycle?from=${today}&to=${today}`));
    expect(stats.byUnit).toEqual([
      { unitId: world.countyA.id, unitName: '铁西区教育局', closed: 1, banned: 0, converted: 0 },
    ]);
    const moved = ok<InstitutionPage>(
      await city.get(`/api/training/institutions?movedTo=closed&from=${today}&to=${today}`),
    );
    expect(moved.items.map((i) => i.id)).toEqual([ids.closing]);
    expect(moved.total).toBe(stats.counts.closed);
    const earlier = ok<InstitutionPage>(
      await city.get(`/api/training/institutions?movedTo=closed&to=${addDays(today, -1)}`),
    );
    expect(earlier.total).toBe(0);
    const outside = ok<InstitutionPage>(
      await adminB.get(`/api/training/institutions?movedTo=closed&from=${today}&to=${today}`),
    );
    expect(outside.total).toBe(0);
  });
});
