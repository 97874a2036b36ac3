import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type TestDb } from '../../../test/harness.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

async function readWorkbook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('unit export (学校名录)', () => {
  it('exports the schools of the county as a titled, framed workbook and audits the export', async () => {
    const a = await loginAs(app, world.users.adminA.username, PASSWORD);
    const res = await a.get(`/api/units/export?under=${world.countyA.id}&kind=school`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('铁西区教育局学校名录.xlsx'));
    const ws = await readWorkbook(res.rawPayload);
    expect(ws.getCell(1, 1).value).toBe('铁西区教育局学校名录');
    expect(ws.getCell(2, 1).text).toContain('共 2 条');
    expect(ws.getRow(3).values).toContain('代码');
    const names = [ws.getCell(4, 2).value, ws.getCell(5, 2).value].sort();
    expect(names).toEqual(['铁西区实验小学', '铁西区第二小学']);
    expect(ws.getCell(4, 5).value).toBe('小学');
    expect(ws.rowCount).toBe(5);

    const events = await t.ctx.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'export')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.actor_user_id).toBe(world.users.adminA.id);
    expect(events[0]!.unit_id).toBe(world.countyA.id);
    expect(events[0]!.after).toMatchObject({ rows: 2, filter: { kind: 'school', under: world.countyA.id } });
  });

  it('exports only what the actor may see when no unit is given', async () => {
    const s = await loginAs(app, world.users.schoolAdminA2.username, PASSWORD);
    const res = await s.get('/api/units/export');
    expect(res.statusCode).toBe(200);
    const ws = await readWorkbook(res.rawPayload);
    expect(ws.rowCount).toBe(4);
    expect(ws.getCell(4, 2).value).toBe('铁西区第二小学');
  });
});
