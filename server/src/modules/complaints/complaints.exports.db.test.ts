import type { ComplaintPage, ComplaintStats } from '@dudao/contracts';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectError } from '../../../test/helpers.js';
import { issueCaptcha } from './complaints.public.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let county: Client;
let countyB: Client;
let leader: Client;
let city: Client;
let ip = 1;

async function submit(extra: Record<string, unknown> = {}) {
  const c = issueCaptcha(t.ctx);
  const res = await app.inject({
    method: 'POST',
    url: '/api/public/complaints',
    remoteAddress: `10.9.0.${ip++}`,
    payload: {
      category: 'fees',
      unitId: world.schoolA1.id,
      title: '学校强制购买教辅',
      content: '班主任要求每位学生购买指定教辅资料，每套 168 元，不买的学生被点名批评。',
      phone: '13912345678',
      name: '王小明',
      captchaToken: c.token,
      captchaAnswer: c.answer,
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const { trackingNo } = res.json<{ trackingNo: string }>();
  return (
    await t.ctx.db
      .selectFrom('complaint')
      .select('id')
      .where('tracking_no', '=', trackingNo)
      .executeTakeFirstOrThrow()
  ).id;
}

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  county = await loginAs(app, world.users.adminA.username, PASSWORD);
  countyB = await loginAs(app, world.users.adminB.username, PASSWORD);
  leader = await loginAs(app, world.users.leaderA.username, PASSWORD);
  city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
  await submit();
  await submit({ category: 'training', title: '=1+2 培训机构乱收费', phone: '13700001111', name: '李四' });
  const a = await submit({ category: 'safety', title: '校门口交通拥堵', phone: '13600002222' });
  const dup = await submit({ category: 'safety', title: '校门口交通拥堵（重复）', phone: '13600003333' });
  expect((await county.post(`/api/complaints/${dup}/merge`, { intoId: a })).statusCode).toBe(200);
  await submit({ unitId: world.schoolB1.id, title: '铁东区的诉求', phone: '13500004444' });
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
  const header = rows[2]!;
  const col = (name: string) => header.indexOf(name);
  return { ws, title: rows[0]![0]!, subtitle: rows[1]![0]!, header, data: rows.slice(3), col };
}

const lastExport = async () =>
  t.ctx.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'export')
    .where('object_type', '=', 'complaint')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();

describe('the ledger export (群众诉求办理台账)', () => {
  it('masks names and phones, neutralises formulas, prints on A4, audited', async () => {
    const x = await sheetOf(await county.get(`/api/complaints/export?under=${world.countyA.id}`));
    expect(x.title).toBe('铁西区教育局群众诉求办理台账');
    expect(x.data).toHaveLength(4);
    const phones = x.data.map((r) => r[x.col('联系电话')]);
    expect(phones.sort()).toEqual(['136****2222', '136****3333', '137****1111', '139****5678']);
    expect(x.data.map((r) => r[x.col('诉求人')])).toContain('王**');
    expect(x.data.map((r) => r[x.col('诉求事项')])).toContain("'=1+2 培训机构乱收费");
    expect(JSON.stringify(x.data)).not.toContain('13912345678');
    expect(x.ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape' });
    const ev = await lastExport();
    expect(ev.unit_id).toBe(world.countyA.id);
    expect(ev.after).toMatchObject({ rows: 4, filter: { reveal: false, revealed: 0 } });
  });

  it('shows them in full with reveal=true only to who may see them, and audits how many', async () => {
    const full = await sheetOf(
      await county.get(`/api/complaints/export?under=${world.countyA.id}&reveal=true`),
    );
    expect(full.data.map((r) => r[full.col('联系电话')])).toContain('13912345678');
    expect(full.data.map((r) => r[full.col('诉求人')])).toContain('王小明');
    expect(full.subtitle).toContain('已审计');
    expect((await lastExport()).after).toMatchObject({ filter: { reveal: true, revealed: 4 } });
    // a leader reads complaints but never the phone
    const masked = await sheetOf(await leader.get('/api/complaints/export?reveal=true'));
    expect(masked.data.length).toBe(4);
    expect(JSON.stringify(masked.data)).not.toMatch(/1[3-9]\d{9}/);
    expect((await lastExport()).after).toMatchObject({ filter: { reveal: true, revealed: 0 } });
  });

  it('another county’s unit is 404; a county’s export holds its own complaints only', async () => {
    expectError(await countyB.get(`/api/complaints/export?under=${world.countyA.id}`), 404, 'NOT_FOUND');
    const own = await sheetOf(await countyB.get('/api/complaints/export'));
    expect(own.data.map((r) => r[own.col('诉求事项')])).toEqual(['铁东区的诉求']);
  });

  it('each chart figure lists exactly the complaints it counted (merged duplicates left out)', async () => {
    const s = (await city.get(`/api/complaints/stats?under=${world.countyA.id}`)).json<ComplaintStats>();
    expect(s.total.received).toBe(3);
    const count = async (q: string) =>
      (
        await city.get(`/api/complaints?under=${world.countyA.id}&state=received&pageSize=500${q}`)
      ).json<ComplaintPage>().total;
    expect(await count('')).toBe(s.total.received);
    for (const c of s.byCategory) expect(await count(`&category=${c.category}`), c.category).toBe(c.received);
    for (const c of s.byChannel) expect(await count(`&channel=${c.channel}`), c.channel).toBe(c.received);
    for (const m of s.byMonth) {
      const [y, mo] = m.month.split('-').map(Number) as [number, number];
      const last = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
      expect(await count(`&from=${m.month}-01&to=${last}`), m.month).toBe(m.received);
    }
    for (const u of s.byUnit) {
      const n = (
        await city.get(`/api/complaints?under=${u.unitId}&state=received&pageSize=500`)
      ).json<ComplaintPage>().total;
      expect(n, u.name).toBe(u.received);
    }
    expect(s.byCategory.find((c) => c.category === 'safety')?.received).toBe(1);
  });
});
