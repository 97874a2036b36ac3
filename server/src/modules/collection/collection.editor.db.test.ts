/**
 * The editor's API (elements, forms, activation — the city's only; everyone else 403 and nothing changes),
 * what it refuses for elements and forms in use, the approval levels of a county-level form (county → city),
 * and the import of the bureau's usual workbook: the form's generated template filled in with ExcelJS (one
 * sheet, and one sheet per section), a dry run, the `all` / `valid_only` modes, and a workbook LibreOffice made.
 */
import type {
  CollectionForm,
  DataElementWithUsage,
  EntryView,
  FormDetail,
  ImportResult,
  ProgressBoard,
} from '@dudao/contracts';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectError, expectUnchanged } from '../../../test/helpers.js';
import { makeZip } from '../../platform/imports/test-helpers.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let school1: Client;
let form: FormDetail;

const put = (c: Client, url: string, body: unknown) => c.request('PUT', url, body);
const formInput = (f: FormDetail['form']) => ({
  code: f.code,
  name: f.name,
  periodType: f.periodType,
  targets: f.targets,
  sections: f.sections,
  description: f.description,
});
const submissions = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('data_submission')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, world.users.adminA.username, PASSWORD);
  school1 = await loginAs(app, world.users.schoolAdminA1.username, PASSWORD);
  const forms = (await city.get('/api/collection/forms')).json<CollectionForm[]>();
  form = (
    await city.get(`/api/collection/forms/${forms.find((f) => f.code === 'SCHOOL_ANNUAL')!.id}`)
  ).json<FormDetail>();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

describe('definitions are the city’s', () => {
  it('refuses every definition change to a county and a school (403) and changes nothing', async () => {
    const el = (await city.get('/api/collection/elements')).json<DataElementWithUsage[]>()[0]!;
    const ind = (await city.get('/api/collection/indicators')).json<{ id: string }[]>()[0]!;
    const element = { code: 'NOT_ALLOWED', name: '不允许', type: 'integer' };
    for (const who of [adminA, school1])
      await expectUnchanged(t.ctx, async () => {
        expectError(await who.post('/api/collection/elements', element), 403, 'FORBIDDEN');
        expectError(await put(who, `/api/collection/elements/${el.id}`, element), 403, 'FORBIDDEN');
        expectError(await who.del(`/api/collection/elements/${el.id}`), 403, 'FORBIDDEN');
        expectError(
          await who.post('/api/collection/forms', { ...formInput(form.form), code: 'X' }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await put(who, `/api/collection/forms/${form.form.id}`, formInput(form.form)),
          403,
          'FORBIDDEN',
        );
        expectError(
          await put(who, `/api/collection/forms/${form.form.id}/active`, { active: false }),
          403,
          'FORBIDDEN',
        );
        const indicator = {
          code: 'X_IND',
          name: 'x',
          numerator: 'TEACHERS',
          denominator: 'STUDENTS',
          formId: form.form.id,
        };
        expectError(await who.post('/api/collection/indicators', indicator), 403, 'FORBIDDEN');
        expectError(await put(who, `/api/collection/indicators/${ind.id}`, indicator), 403, 'FORBIDDEN');
      });
    // reading is everyone's, with the usage
    const list = (await school1.get('/api/collection/elements')).json<DataElementWithUsage[]>();
    expect(list.find((e) => e.code === 'TEACHERS')!.usage.forms).toEqual(['SCHOOL_ANNUAL']);
  });

  it('creates an element, adds it to a form the school then sees, and refuses deleting it while used', async () => {
    const bad = await city.post('/api/collection/elements', { code: 'lower', name: '', type: 'integer' });
    expectError(bad, 400, 'VALIDATION');
    expectError(
      await city.post('/api/collection/elements', {
        code: 'OPT_X',
        name: '选项',
        type: 'option',
        options: [],
      }),
      400,
      'COLLECTION_NO_OPTIONS',
    );
    const created = await city.post('/api/collection/elements', {
      code: 'LAB_ROOMS',
      name: '实验室间数',
      type: 'integer',
      unit: '间',
      description: '理科实验室',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const renamed = await put(city, `/api/collection/elements/${id}`, {
      code: 'LAB_ROOMS',
      name: '理科实验室间数',
      type: 'integer',
      unit: '间',
    });
    expect(renamed.json<{ name: string }>().name).toBe('理科实验室间数');

    const sections = form.form.sections.map((s, i) =>
      i === 2 ? { ...s, elements: [...s.elements, 'LAB_ROOMS'] } : s,
    );
    const saved = await put(city, `/api/collection/forms/${form.form.id}`, {
      ...formInput(form.form),
      sections,
    });
    expect(saved.statusCode).toBe(200);
    const seen = (await school1.get(`/api/collection/forms/${form.form.id}`)).json<FormDetail>();
    expect(seen.form.sections[2]!.elements.at(-1)).toBe('LAB_ROOMS');
    expect(seen.elements.map((e) => e.code)).toContain('LAB_ROOMS');

    expectError(await city.del(`/api/collection/elements/${id}`), 409, 'COLLECTION_ELEMENT_IN_USE');
    expectError(
      await put(city, `/api/collection/elements/${id}`, { code: 'LABS', name: '实验室', type: 'integer' }),
      409,
      'COLLECTION_ELEMENT_IN_USE',
    );

    // the school stores a figure for it: it may no longer leave the form, nor change type
    const entry = await put(school1, '/api/collection/entry', {
      formId: form.form.id,
      unitId: world.schoolA1.id,
      period: '2027',
      values: { LAB_ROOMS: 3 },
    });
    expect(entry.json<EntryView>().values.LAB_ROOMS).toBe(3);
    expectError(
      await put(city, `/api/collection/forms/${form.form.id}`, formInput(form.form)),
      409,
      'COLLECTION_ELEMENT_HAS_DATA',
    );
    expectError(
      await put(city, `/api/collection/elements/${id}`, { code: 'LAB_ROOMS', name: '实验室', type: 'text' }),
      409,
      'COLLECTION_ELEMENT_IN_USE',
    );
    expectError(
      await put(city, `/api/collection/forms/${form.form.id}`, {
        ...formInput(form.form),
        sections,
        periodType: 'term',
      }),
      409,
      'COLLECTION_FORM_IN_USE',
    );
    const list = (await city.get('/api/collection/elements')).json<DataElementWithUsage[]>();
    expect(list.find((e) => e.code === 'LAB_ROOMS')!.usage).toEqual({
      forms: ['SCHOOL_ANNUAL'],
      submissions: 1,
    });

    // an unused element can go
    const spare = (
      await city.post('/api/collection/elements', { code: 'SPARE', name: '备用', type: 'boolean' })
    ).json<{ id: string }>();
    expect((await city.del(`/api/collection/elements/${spare.id}`)).statusCode).toBe(204);
    expect(
      (await city.get('/api/collection/elements')).json<{ code: string }[]>().map((e) => e.code),
    ).not.toContain('SPARE');
  });

  it('retires a form: readable, takes no new figures; reactivated it does again', async () => {
    const off = await put(city, `/api/collection/forms/${form.form.id}/active`, { active: false });
    expect(off.json<CollectionForm>()).toMatchObject({ active: false, submissions: 1 });
    const key = { formId: form.form.id, unitId: world.schoolA1.id, period: '2027' };
    await expectUnchanged(t.ctx, async () =>
      expectError(
        await put(school1, '/api/collection/entry', { ...key, values: { TEACHERS: 9 } }),
        409,
        'COLLECTION_FORM_RETIRED',
      ),
    );
    const read = await school1.get(
      `/api/collection/entry?formId=${key.formId}&unitId=${key.unitId}&period=2027`,
    );
    expect(read.statusCode).toBe(200);
    await put(city, `/api/collection/forms/${form.form.id}/active`, { active: true });
    expect(
      (await put(school1, '/api/collection/entry', { ...key, values: { TEACHERS: 9 } })).statusCode,
    ).toBe(200);
  });
});

describe('a county-level form goes county → city', () => {
  it('is approved by the city once, which is final; the board shows who waits for whom', async () => {
    const forms = (await city.get('/api/collection/forms')).json<CollectionForm[]>();
    const county = forms.find((f) => f.code === 'COUNTY_ANNUAL')!;
    const key = { formId: county.id, unitId: world.countyA.id, period: '2027' };
    const values = { POP_3_5: 1000, KG_CHILDREN_ALL: 930, COHORT_ENTRY: 800, GRADUATING_JUNIOR: 790 };
    const sub = await adminA.post('/api/collection/entry/submit', { ...key, values });
    expect(sub.statusCode).toBe(200);
    const boardUrl = `/api/collection/progress?formId=${county.id}&period=2027&unitId=${world.city.id}`;
    let board = (await city.get(boardUrl)).json<ProgressBoard>();
    expect(board.levels).toEqual(['county', 'city']);
    const rowA = () => board.units.find((u) => u.unitId === world.countyA.id)!;
    expect(rowA()).toMatchObject({ level: 'county', status: 'submitted', waitingFor: 'city' });
    expect(board.units.find((u) => u.unitId === world.countyB.id)).toMatchObject({ waitingFor: 'county' });
    expect(board.waiting).toEqual({ school: 0, county: 1, city: 1 });
    // the county cannot sign off its own figures
    const id = sub.json<EntryView>().id!;
    expectError(await adminA.post(`/api/collection/submissions/${id}/approve`), 403, 'FORBIDDEN');
    const ok = await city.post(`/api/collection/submissions/${id}/approve`);
    expect(ok.json<EntryView>().status).toBe('accepted');
    board = (await city.get(boardUrl)).json<ProgressBoard>();
    expect(rowA()).toMatchObject({ status: 'accepted', waitingFor: 'none' });
    expect(board.counties.find((c) => c.countyId === world.countyA.id)).toMatchObject({
      accepted: true,
      waitingFor: 'none',
    });
    // the city reopens it with a reason: back to the county
    const re = await city.post(`/api/collection/submissions/${id}/reopen`, { reason: '人口数据需核对' });
    expect(re.json<EntryView>()).toMatchObject({ status: 'returned', returnReason: '人口数据需核对' });
    board = (await city.get(boardUrl)).json<ProgressBoard>();
    expect(rowA()).toMatchObject({ waitingFor: 'county' });
    expect(board.counties.find((c) => c.countyId === world.countyA.id)!.accepted).toBe(false);
  });

  it('a school form goes school → county → city, level by level', async () => {
    const url = `/api/collection/progress?formId=${form.form.id}&period=2027&unitId=${world.city.id}`;
    const board = (await city.get(url)).json<ProgressBoard>();
    expect(board.levels).toEqual(['school', 'county', 'city']);
    expect(board.units.every((u) => u.level === 'school')).toBe(true);
    const a = board.counties.find((c) => c.countyId === world.countyA.id)!;
    expect(a.waitingFor).toBe('school');
    expect(a.waiting.school).toBe(2);
  });
});

// ---------- import ----------

async function template(layout: 'single' | 'sections'): Promise<ExcelJS.Workbook> {
  const res = await adminA.get(`/api/collection/import-template?formId=${form.form.id}&layout=${layout}`);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}
/** Writes a school row under the template's header (row 2), by header text (the unit note ignored). */
function fill(ws: ExcelJS.Worksheet, rowNo: number, cells: Record<string, string | number>) {
  const header = ws.getRow(2);
  for (const [name, v] of Object.entries(cells)) {
    let col = 0;
    header.eachCell((c, n) => {
      const text = (typeof c.value === 'string' ? c.value : '').replace(/^\*/, '');
      if (text === name || text.startsWith(`${name}（`)) col = n;
    });
    if (!col) throw new Error(`no column ${name} in ${ws.name}`);
    ws.getRow(rowNo).getCell(col).value = v;
  }
}
const upload = (who: Client, body: Buffer, name: string, q = '') =>
  who.request(
    'POST',
    `/api/collection/import?formId=${form.form.id}&unitId=${world.countyA.id}&period=2028${q}`,
    body,
    { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
  );
const entryOf = async (unitId: string) =>
  (
    await adminA.get(`/api/collection/entry?formId=${form.form.id}&unitId=${unitId}&period=2028`)
  ).json<EntryView>();

describe('import of the bureau’s usual workbook', () => {
  it('generates the template from the form: school columns, one column per element, named as the form names it', async () => {
    const wb = await template('single');
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(2).values as unknown[]).slice(1).map(String);
    expect(header.slice(0, 2)).toEqual(['学校标识码', '*学校名称']);
    expect(header).toContain('教学及辅助用房面积（平方米）');
    expect(header).toContain('理科实验室间数（间）');
    expect(header.length).toBe(2 + form.form.sections.flatMap((s) => s.elements).length + 1);
    expect(wb.worksheets.map((w) => w.name)).toEqual([expect.any(String), '填写说明']);
    const csv = await adminA.get(`/api/collection/import-template?formId=${form.form.id}&format=csv`);
    expect(
      csv.body
        .replace(/^\uFEFF/, '')
        .split('\r\n')[0]!
        .split(',')
        .slice(0, 3),
    ).toEqual(['学校标识码', '*学校名称', '在校生数（人）']);
  });

  it('dry-runs, refuses everything in `all` mode on one bad row, saves the good rows in `valid_only`', async () => {
    const wb = await template('single');
    const ws = wb.worksheets[0]!;
    fill(ws, 3, {
      学校标识码: '1220200001',
      专任教师数: 40,
      教学及辅助用房面积: '3,200',
      是否有独立图书室: '是',
    });
    fill(ws, 4, { 学校名称: '铁西区第二小学', 专任教师数: 30, 体育运动场馆面积: '约300' });
    fill(ws, 5, { 学校名称: '铁东区实验小学', 专任教师数: 30 });
    fill(ws, 6, { 学校名称: '合计', 专任教师数: 100 });
    const buf = Buffer.from(await wb.xlsx.writeBuffer());

    const before = await submissions();
    const dry = (await upload(adminA, buf, '汇总表.xlsx', '&dryRun=true')).json<ImportResult>();
    expect(dry).toMatchObject({ dryRun: true, saved: 1, refused: false });
    expect(dry.skipped.map((s) => [s.row, s.name])).toEqual([
      [4, '铁西区第二小学'],
      [5, '铁东区实验小学'],
    ]);
    expect(dry.skipped[0]!.message).toContain('体育运动场馆面积');
    expect(await submissions()).toBe(before);

    const all = (await upload(adminA, buf, '汇总表.xlsx', '&mode=all')).json<ImportResult>();
    expect(all).toMatchObject({ refused: true, mode: 'all' });
    expect(await submissions()).toBe(before);

    const valid = (await upload(adminA, buf, '汇总表.xlsx')).json<ImportResult>();
    expect(valid).toMatchObject({ saved: 1, refused: false, dryRun: false });
    expect(await submissions()).toBe(before + 1);
    const a1 = await entryOf(world.schoolA1.id);
    expect(a1).toMatchObject({ status: 'draft' });
    expect(a1.values).toMatchObject({ TEACHERS: 40, BUILDING_AREA: 3200, HAS_LIBRARY: true });
  });

  it('reads a workbook with one sheet per section and merges each school across the sheets', async () => {
    const wb = await template('sections');
    const names = wb.worksheets.map((w) => w.name);
    expect(names.length).toBe(form.form.sections.length + 1);
    const teachers = wb.worksheets.find((w) => w.name.includes('教师'))!;
    const facilities = wb.worksheets.find((w) => w.name.includes('办学条件'))!;
    fill(teachers, 3, { 学校名称: '铁西区第二小学', 专任教师数: 25, 县级以上骨干教师数: 3 });
    fill(facilities, 3, { 学校名称: '铁西区第二小学', 教学仪器设备值: 500000, 理科实验室间数: 2 });
    fill(facilities, 4, { 学校名称: '铁西区第二小学x', 教学仪器设备值: 1 });
    const res = (
      await upload(adminA, Buffer.from(await wb.xlsx.writeBuffer()), '分表.xlsx')
    ).json<ImportResult>();
    expect(res.saved).toBe(1);
    expect(res.sheets).toEqual(names.filter((n) => n !== '填写说明'));
    expect(res.skipped).toEqual([
      expect.objectContaining({ row: 4, name: '铁西区第二小学x', sheet: facilities.name }),
    ]);
    expect((await entryOf(world.schoolA2.id)).values).toMatchObject({
      TEACHERS: 25,
      BACKBONE_TEACHERS: 3,
      EQUIPMENT_VALUE: 500000,
      LAB_ROOMS: 2,
    });
  });

  it('reads an xlsx LibreOffice made from the bureau’s CSV', async () => {
    expect(existsSync('/usr/bin/soffice')).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'dudao-soffice-'));
    try {
      const csv = '学校标识码,学校名称,图书册数（万册）,计算机台数\n1220200001,铁西区实验小学,1.5,60\n';
      await writeFile(join(dir, 'county.csv'), csv);
      execFileSync(
        '/usr/bin/soffice',
        [
          `-env:UserInstallation=file://${dir}/profile`,
          '--headless',
          '--infilter=CSV:44,34,76',
          '--convert-to',
          'xlsx',
          '--outdir',
          dir,
          join(dir, 'county.csv'),
        ],
        { stdio: 'ignore', timeout: 120_000 },
      );
      const res = (
        await upload(adminA, await readFile(join(dir, 'county.xlsx')), 'county.xlsx')
      ).json<ImportResult>();
      expect(res).toMatchObject({ saved: 1, skipped: [] });
      expect((await entryOf(world.schoolA1.id)).values).toMatchObject({
        BOOKS: 15000,
        COMPUTERS: 60,
        TEACHERS: 40,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('refuses more than 10 MB, a file that is no table, a zip bomb and too many rows, saving nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      const big = await upload(adminA, Buffer.alloc(10 * 1024 * 1024 + 10, 0x31), 'big.csv');
      expectError(big, 413, 'FILE_TOO_LARGE');
      expect(big.json<{ message: string }>().message).toContain('10 MB');
      expectError(
        await upload(adminA, Buffer.from('%PDF-1.4\n1 0 obj\n'), 'x.xlsx'),
        400,
        'UNSUPPORTED_TYPE',
      );
      // 20 MB of zeros in one sheet: declared 200:1 and more, refused from the zip's directory
      const bomb = makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 ** 2) }]);
      expectError(await upload(adminA, bomb, 'bomb.xlsx'), 400, 'XLSX_COMPRESSION_RATIO');
      const rows = '学校名称,专任教师数\r\n' + '铁西区实验小学,1\r\n'.repeat(20_000);
      expectError(await upload(adminA, Buffer.from(rows), 'many.csv'), 400, 'COLLECTION_TOO_MANY_ROWS');
    });
  });

  it('refuses a body whose Content-Length already says more than 10 MB, before reading it', async () => {
    // A valid sheet that would be saved: only the declared length refuses it.
    const ok = Buffer.from('学校名称,专任教师数\r\n铁西区实验小学,1\r\n');
    await expectUnchanged(t.ctx, async () => {
      const res = await adminA.request(
        'POST',
        `/api/collection/import?formId=${form.form.id}&unitId=${world.countyA.id}&period=2028`,
        ok,
        {
          'content-type': 'application/octet-stream',
          'x-file-name': 'declared.csv',
          'content-length': String(10 * 1024 * 1024 + 1),
        },
      );
      expectError(res, 413, 'FILE_TOO_LARGE');
      expect(res.headers.connection).toBe('close');
    });
  });

  it('refuses a file without the school column, and schools outside the importer’s area are skipped', async () => {
    expectError(await upload(adminA, Buffer.from('甲,乙\r\n1,2\r\n'), 'x.csv'), 400, 'COLLECTION_NO_HEADER');
    const adminB = await loginAs(app, world.users.adminB.username, PASSWORD);
    const res = await adminB.request(
      'POST',
      `/api/collection/import?formId=${form.form.id}&unitId=${world.countyA.id}&period=2028`,
      Buffer.from('学校名称,专任教师数\r\n铁西区实验小学,1\r\n'),
      { 'content-type': 'application/octet-stream', 'x-file-name': 'b.csv' },
    );
    expect(res.statusCode).toBe(404);
  });
});
