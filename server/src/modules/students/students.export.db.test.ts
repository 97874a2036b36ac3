import { StudentExportQuery, type StudentPage } from '@dudao/contracts';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import type { AuditEventRow } from '../../platform/db/schema.js';
import { readCsvRows } from '../../platform/imports/csv-reader.js';
import { readXlsxRows } from '../../platform/imports/xlsx-reader.js';
import { createUser } from '../users/users.service.js';
import { createUnit } from '../units/units.service.js';
import { STUDENT_TEMPLATE_COLUMNS } from './students.columns.js';
import { exportStream, maskPhone, prepareStudentExport } from './students.export.service.js';
import { createClass, createStudent } from './students.service.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let dir: string;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;
let teacherA1: Client;
let leaderA: Client;
let inspectorA: Client;
let mixed: Client;

const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };

const ID_ZSF = generateIdNumber('220302', '2017-05-12', 'M', 3);
const ID_WW = generateIdNumber('220302', '2017-08-20', 'F', 8);
const ID_SQ = generateIdNumber('220303', '2016-04-02', 'M', 5);
const masked = (n: string) => `${n.slice(0, 6)}********${n.slice(14)}`;
const INJECTED_ADDRESS = '=HYPERLINK("http://evil.example","点我")';

/** The official template, spelled out: the order users know. */
const TEMPLATE = [
  '姓名',
  '性别',
  '出生日期',
  '民族',
  '身份证号',
  '学籍号',
  '学校标识码',
  '学校名称',
  '学段',
  '年级',
  '班级',
  '入学日期',
  '学籍状态',
  '户籍所在地',
  '现住址',
  '脱贫户/低收入家庭',
  '留守儿童',
  '随迁子女',
  '残疾',
  '残疾类别',
  '孤儿',
  '监护人1姓名',
  '监护人1关系',
  '监护人1电话',
  '监护人2姓名',
  '监护人2关系',
  '监护人2电话',
];
const col = (label: string) => TEMPLATE.indexOf(label);

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  dir = await mkdtemp(join(tmpdir(), 'dudao-export-'));
  const u = world.users;
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  schoolA1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  schoolA2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  teacherA1 = await loginAs(app, u.teacherA1.username, PASSWORD);
  leaderA = await loginAs(app, u.leaderA.username, PASSWORD);
  inspectorA = await loginAs(app, u.inspectorA.username, PASSWORD);
  // Reads the whole county as its leader, but may reveal only at school A2 (as its school admin).
  await createUser(
    t.ctx,
    sys,
    {
      username: 'mixed.user',
      displayName: '测试兼职',
      unitId: world.countyA.id,
      roles: [
        { role: 'leader', unitId: world.countyA.id },
        { role: 'school_admin', unitId: world.schoolA2.id },
      ],
    },
    origin,
    { password: PASSWORD, mustChangePassword: false },
  );
  mixed = await loginAs(app, 'mixed.user', PASSWORD);

  const class1 = await createClass(
    t.ctx,
    sys,
    { schoolId: world.schoolA1.id, schoolYear: '2025', grade: 3, name: '1班' },
    origin,
  );
  const enrol = (body: Parameters<typeof createStudent>[2]) => createStudent(t.ctx, sys, body, origin);
  await enrol({
    schoolId: world.schoolA1.id,
    name: '张三丰',
    idNumber: ID_ZSF,
    studentNo: `G${ID_ZSF}`,
    ethnicity: '满族',
    hukouRegionCode: '220302',
    address: '吉林省四平市铁西区英雄大路 8 号',
    grade: 3,
    classId: class1.id,
    enrolledOn: '2023-09-01',
    flags: { leftBehind: true },
    guardians: [
      { name: '张大山', relation: 'father', phone: '13912345678' },
      { name: '李秀英', relation: 'mother' },
    ],
  });
  await enrol({
    schoolId: world.schoolA1.id,
    name: '李四',
    sex: 'F',
    birthDate: '2018-03-01',
    address: INJECTED_ADDRESS,
    grade: 2,
    flags: { povertyHousehold: true, orphan: true },
    disabilityCategory: 'visual',
    guardians: [{ name: '李爷爷', relation: 'paternal_grandparent', phone: '0434-3212345' }],
  });
  await enrol({
    schoolId: world.schoolA1.id,
    name: '王五',
    idNumber: ID_WW,
    studentNo: `L${ID_WW.slice(0, 17)}1`,
    grade: 3,
    flags: { migrant: true },
  });
  await enrol({ schoolId: world.schoolA2.id, name: '赵六', sex: 'M', birthDate: '2019-01-15', grade: 1 });
  await enrol({
    schoolId: world.schoolB1.id,
    name: '孙七',
    idNumber: ID_SQ,
    grade: 4,
    guardians: [{ name: '孙大', relation: 'father', phone: '13800001111' }],
  });
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// ---------- reading exports back with the platform's own readers ----------

async function csvRows(body: Buffer): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const b of readCsvRows(Readable.from([body]))) rows.push(...b);
  return rows;
}

async function xlsxRows(body: Buffer): Promise<string[][]> {
  const path = join(dir, `${randomUUID()}.xlsx`);
  await writeFile(path, body);
  const rows: string[][] = [];
  for await (const b of readXlsxRows(path)) rows.push(...b);
  return rows;
}

/** Every row as long as the template (readers leave trailing empty cells out). */
const padded = (rows: string[][]) =>
  rows.map((r) => Array.from({ length: TEMPLATE.length }, (_, i) => r[i] ?? ''));

async function exportOk(c: Client, query: string): Promise<LightMyRequestResponse> {
  const res = await c.get(`/api/students/export?${query}`);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res;
}

/** The data rows of a CSV export (the header checked). */
async function csvExport(c: Client, query: string): Promise<string[][]> {
  const res = await exportOk(c, `format=csv&${query}`);
  const [header, ...rows] = await csvRows(res.rawPayload);
  expect(header).toEqual(TEMPLATE);
  return padded(rows);
}

const namesOf = (rows: string[][]) => rows.map((r) => r[0]);

async function listNames(c: Client, query: string): Promise<string[]> {
  const res = await c.get(`/api/students?pageSize=500&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<StudentPage>().items.map((s) => s.name);
}

async function lastExportEvent(): Promise<AuditEventRow | undefined> {
  return (await auditEvents(t.ctx, 'export')).at(-1);
}

const zsfMasked = [
  '张三丰',
  '男',
  '2017-05-12',
  '满族',
  masked(ID_ZSF),
  `G${masked(ID_ZSF)}`,
  '1220200001',
  '铁西区实验小学',
  '小学',
  '三年级',
  '1班',
  '2023-09-01',
  '在读',
  '220302 吉林省四平市铁西区',
  '吉林省四平市铁西区英雄大路 8 号',
  '否',
  '是',
  '否',
  '否',
  '',
  '否',
  '张大山',
  '父亲',
  '139****5678',
  '李秀英',
  '母亲',
  '',
];

describe('the template', () => {
  it('is one constant of key, label and required, in the official order', () => {
    expect(STUDENT_TEMPLATE_COLUMNS.map((c) => c.label)).toEqual(TEMPLATE);
    expect(new Set(STUDENT_TEMPLATE_COLUMNS.map((c) => c.key)).size).toBe(TEMPLATE.length);
    expect(STUDENT_TEMPLATE_COLUMNS.filter((c) => c.required).map((c) => c.label)).toEqual([
      '姓名',
      '性别',
      '出生日期',
      '年级',
    ]);
  });

  it('masks phones but for the first 3 and last 4 digits', () => {
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskPhone('0434-3212345')).toBe('043*-***2345');
    expect(maskPhone(null)).toBeNull();
  });
});

describe('csv export', () => {
  it('is UTF-8 with a BOM, the template header, labels, masked numbers and phones, in roster order', async () => {
    const res = await exportOk(schoolA1, `format=csv&schoolId=${world.schoolA1.id}`);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('铁西区实验小学学生名册.csv'));
    expect(res.headers['cache-control']).toBe('no-store');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = padded(await csvRows(res.rawPayload));
    expect(header).toEqual(TEMPLATE);
    // Grade 2 before grade 3; within grade 3 the class 1班 before students without a class.
    expect(namesOf(rows)).toEqual(['李四', '张三丰', '王五']);
    expect(rows[1]).toEqual(zsfMasked);
    const lisi = rows[0]!;
    expect(lisi[col('身份证号')]).toBe('');
    expect(lisi[col('年级')]).toBe('二年级');
    expect(lisi[col('脱贫户/低收入家庭')]).toBe('是');
    expect(lisi[col('残疾')]).toBe('是');
    expect(lisi[col('残疾类别')]).toBe('视力残疾');
    expect(lisi[col('孤儿')]).toBe('是');
    expect(lisi[col('监护人1关系')]).toBe('祖父母');
    expect(lisi[col('监护人1电话')]).toBe('043*-***2345');
    const wangwu = rows[2]!;
    expect(wangwu[col('身份证号')]).toBe(masked(ID_WW));
    // Every 学籍号 of the national format is masked like the ID number it may carry.
    expect(wangwu[col('学籍号')]).toBe(`L${ID_WW.slice(0, 6)}********${ID_WW.slice(14, 17)}1`);
    expect(wangwu[col('随迁子女')]).toBe('是');
    expect(wangwu[col('班级')]).toBe('');
    // Nothing of the full numbers anywhere in the file.
    const text = res.rawPayload.toString('utf8');
    for (const n of [ID_ZSF, ID_WW, '13912345678', '3212345']) expect(text).not.toContain(n);
  });

  it('neutralises a formula in an address (a leading apostrophe)', async () => {
    const rows = await csvExport(schoolA1, `schoolId=${world.schoolA1.id}&q=李四`);
    expect(rows).toHaveLength(1);
    expect(rows[0]![col('现住址')]).toBe(`'${INJECTED_ADDRESS}`);
  });

  it('is audited: actor, unit, rows, filters, format, not revealed', async () => {
    await csvExport(schoolA1, `schoolId=${world.schoolA1.id}&grade=3`);
    const ev = await lastExportEvent();
    expect(ev).toMatchObject({
      action: 'export',
      object_type: 'student',
      actor_user_id: world.users.schoolAdminA1.id,
      unit_id: world.schoolA1.id,
      after: { rows: 2, filter: { schoolId: world.schoolA1.id, grade: 3, format: 'csv', reveal: false } },
    });
    expect((ev!.after as { filter: Record<string, unknown> }).filter).not.toHaveProperty('interrupted');
  });

  it('keeps a full ID number searched for out of the audit trail', async () => {
    const rows = await csvExport(schoolA1, `q=${ID_ZSF}`);
    expect(namesOf(rows)).toEqual(['张三丰']);
    const ev = await lastExportEvent();
    // Without a school or unit filter the event belongs to the exporter's own unit.
    expect(ev!.unit_id).toBe(world.schoolA1.id);
    expect(ev!.after).toMatchObject({ rows: 1, filter: { q: masked(ID_ZSF) } });
    expect(JSON.stringify(ev)).not.toContain(ID_ZSF);
  });
});

describe('xlsx export', () => {
  it('is titled, dated, with a frozen header, the same rows and a neutralised formula', async () => {
    const res = await exportOk(schoolA1, `schoolId=${world.schoolA1.id}`);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('铁西区实验小学学生名册.xlsx'));
    const rows = await xlsxRows(res.rawPayload);
    expect(rows[0]![0]).toBe('铁西区实验小学学生名册');
    expect(rows[1]![0]).toMatch(/^导出人：测试a1admin\u3000导出时间：\d{4}\/\d{1,2}\/\d{1,2} /);
    expect(rows[1]![0]).toContain('身份证号、监护人电话已部分隐藏');
    expect(rows[2]).toEqual(TEMPLATE);
    const data = padded(rows.slice(3));
    expect(namesOf(data)).toEqual(['李四', '张三丰', '王五']);
    expect(data[1]).toEqual(zsfMasked);
    expect(data[0]![col('现住址')]).toBe(`'${INJECTED_ADDRESS}`);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('学生名册');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    // Text cells: ID numbers and codes keep their digits.
    expect(ws.getCell(5, col('学校标识码') + 1).value).toBe('1220200001');
    expect(await lastExportEvent()).toMatchObject({
      after: { rows: 3, filter: { format: 'xlsx', reveal: false } },
    });
  });
});

describe('reveal', () => {
  it('shows full ID numbers, 学籍号 and phones to a school admin, and the audit says so', async () => {
    const res = await exportOk(schoolA1, `format=xlsx&reveal=true&schoolId=${world.schoolA1.id}`);
    const rows = padded((await xlsxRows(res.rawPayload)).slice(3));
    const zsf = rows.find((r) => r[0] === '张三丰')!;
    expect(zsf[col('身份证号')]).toBe(ID_ZSF);
    expect(zsf[col('学籍号')]).toBe(`G${ID_ZSF}`);
    expect(zsf[col('监护人1电话')]).toBe('13912345678');
    expect(rows.find((r) => r[0] === '李四')![col('监护人1电话')]).toBe('0434-3212345');
    expect(await lastExportEvent()).toMatchObject({
      actor_user_id: world.users.schoolAdminA1.id,
      after: { rows: 3, filter: { format: 'xlsx', reveal: true, schoolId: world.schoolA1.id } },
    });
    const csv = await csvExport(adminA, 'reveal=1');
    expect(csv.find((r) => r[0] === '王五')![col('身份证号')]).toBe(ID_WW);
  });

  it('is refused (403, zh and en) to a teacher and a leader: nothing written, nothing audited', async () => {
    for (const c of [teacherA1, leaderA]) {
      await expectUnchanged(t.ctx, async () => {
        const zh = await c.get(`/api/students/export?reveal=true&format=csv`);
        expect(expectError(zh, 403, 'FORBIDDEN').message).toContain('没有查看完整身份证号的权限');
        const en = await c.request('GET', '/api/students/export?reveal=true', undefined, {
          'accept-language': 'en',
        });
        expect(expectError(en, 403, 'FORBIDDEN').message).toContain('You may not see full ID numbers');
      });
    }
    // Without reveal the same people export, masked.
    const rows = await csvExport(teacherA1, '');
    expect(namesOf(rows)).toEqual(['李四', '张三丰', '王五']);
    expect(rows[1]![col('身份证号')]).toBe(masked(ID_ZSF));
  });

  it('needs the permission at every school whose students are exported', async () => {
    // The mixed user reads county A but may reveal only at school A2.
    await expectUnchanged(t.ctx, async () => {
      expectError(await mixed.get('/api/students/export?reveal=true'), 403, 'FORBIDDEN');
      expectError(
        await mixed.get(`/api/students/export?reveal=true&under=${world.countyA.id}`),
        403,
        'FORBIDDEN',
      );
    });
    expect(namesOf(await csvExport(mixed, `reveal=true&schoolId=${world.schoolA2.id}`))).toEqual(['赵六']);
    // A school where the user may not reveal but no student matches is no obstacle.
    expect(namesOf(await csvExport(mixed, 'reveal=true&q=赵六'))).toEqual(['赵六']);
    // Unrevealed, the whole county.
    expect(namesOf(await csvExport(mixed, ''))).toEqual(['李四', '张三丰', '王五', '赵六']);
  });
});

describe('filters', () => {
  it('are those of the list, and the export holds every matching student of the list', async () => {
    const queries = [
      '',
      `schoolId=${world.schoolA1.id}`,
      `under=${world.countyA.id}`,
      'grade=3',
      'stage=primary&grade=2',
      'flags=left_behind',
      'flags=poverty_household,orphan',
      'status=enrolled',
      'status=suspended',
      'q=张',
      'q=zsf',
      'q=三丰',
      `q=${ID_WW}`,
    ];
    for (const q of queries) {
      const exported = namesOf(await csvExport(adminA, q));
      expect(exported.slice().sort(), q).toEqual((await listNames(adminA, q)).sort());
    }
    expect(namesOf(await csvExport(adminA, 'flags=left_behind'))).toEqual(['张三丰']);
    expect(namesOf(await csvExport(adminA, 'status=suspended'))).toEqual([]);
  });

  it('a class filter in scope', async () => {
    const roster = await schoolA1.get(`/api/classes?schoolId=${world.schoolA1.id}`);
    const [cls] = roster.json<{ id: string }[]>();
    expect(namesOf(await csvExport(adminA, `classId=${cls!.id}`))).toEqual(['张三丰']);
    await expectUnchanged(t.ctx, async () => {
      expectError(await adminB.get(`/api/students/export?classId=${cls!.id}`), 404, 'NOT_FOUND');
    });
  });

  it('answers no HEAD request (it would read and audit the whole export)', async () => {
    await expectUnchanged(t.ctx, async () => {
      // (It falls to HEAD /api/students/:id, where “export” is no id.)
      const res = await adminA.request('HEAD', '/api/students/export?format=csv');
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
    });
  });

  it('refuses unknown fields and bad values (400)', async () => {
    expectError(await adminA.get('/api/students/export?page=2'), 400, 'VALIDATION');
    expectError(await adminA.get('/api/students/export?format=pdf'), 400, 'VALIDATION');
    expectError(await adminA.get('/api/students/export?reveal=maybe'), 400, 'VALIDATION');
  });
});

describe('scope', () => {
  it('another county sees none of county A’s students; its own only', async () => {
    const rows = await csvExport(adminB, '');
    expect(namesOf(rows)).toEqual(['孙七']);
    expect(rows[0]![col('身份证号')]).toBe(masked(ID_SQ));
    expect(rows[0]![col('户籍所在地')]).toBe('');
    const text = (await exportOk(adminB, 'format=csv&reveal=true')).rawPayload.toString('utf8');
    for (const n of ['张三丰', '李四', '王五', '赵六', ID_ZSF, ID_WW]) expect(text).not.toContain(n);
    expect(text).toContain(ID_SQ);
  });

  it('a sibling school and an inspector see only their own schools', async () => {
    expect(namesOf(await csvExport(schoolA2, ''))).toEqual(['赵六']);
    expect(namesOf(await csvExport(inspectorA, ''))).toEqual(['李四', '张三丰', '王五']);
  });

  it('a school, unit or class out of scope is 404 and nothing changes, not even the audit trail', async () => {
    await expectUnchanged(t.ctx, async () => {
      for (const [c, q] of [
        [adminB, `schoolId=${world.schoolA1.id}`],
        [adminB, `under=${world.countyA.id}`],
        [adminB, `under=${world.schoolA1.id}&reveal=true`],
        [schoolA2, `schoolId=${world.schoolA1.id}&format=csv`],
        [inspectorA, `schoolId=${world.schoolA2.id}`],
      ] as const) {
        expectError(await c.get(`/api/students/export?${q}`), 404, 'NOT_FOUND');
      }
    });
  });

  it('the city sees every county, in school order', async () => {
    const city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
    const rows = await csvExport(city, '');
    expect(namesOf(rows)).toEqual(['李四', '张三丰', '王五', '赵六', '孙七']);
    expect(rows[4]![col('学校名称')]).toBe('铁东区实验小学');
  });
});

describe('streaming', () => {
  // A school of 5,100 students: more than one batch of 5,000, with long runs of equal grade, class and
  // name, so batches end in the middle of ties.
  const N = 5100;
  let schoolId: string;
  let expected: string[];

  beforeAll(async () => {
    const school = await createUnit(
      t.ctx,
      sys,
      {
        parentId: world.countyA.id,
        kind: 'school',
        code: '1220200003',
        name: '铁西区第三小学',
        stage: 'primary',
      },
      origin,
    );
    schoolId = school.id;
    const classOf = async (name: string) =>
      (await createClass(t.ctx, sys, { schoolId, schoolYear: '2025', grade: 1, name }, origin)).id;
    const classes = { c2: await classOf('2班'), c10: await classOf('10班') };
    const rows = Array.from({ length: N }, (_, i) => {
      const grade = (i % 3) + 1;
      const className =
        grade === 1 ? (['2班', '10班', null] as const)[i % 2 === 0 ? 0 : i % 5 === 0 ? 2 : 1] : null;
      return {
        id: randomUUID(),
        school_id: schoolId,
        county_code: '220302',
        class_id: className === '2班' ? classes.c2 : className === '10班' ? classes.c10 : null,
        name: `学生${String(Math.floor(i / 4) % 300).padStart(3, '0')}`,
        sex: i % 2 ? ('M' as const) : ('F' as const),
        birth_date: '2017-06-01',
        stage: 'primary',
        grade,
        address: `地址${i}`,
        className,
      };
    });
    for (let i = 0; i < N; i += 1000)
      await t.ctx.db
        .insertInto('student')
        .values(rows.slice(i, i + 1000).map(({ className: _c, ...r }) => r))
        .execute();
    // The roster order: grade; class (shorter names first, none last); name; id.
    const key = (r: (typeof rows)[number]) =>
      [
        String(r.grade).padStart(2, '0'),
        r.className === null ? '1' : '0',
        String(r.className?.length ?? 0).padStart(2, '0'),
        r.className ?? '',
        r.name,
        r.id,
      ].join('|');
    expected = rows
      .slice()
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
      .map((r) => r.address);
  });

  it(`exports ${N} rows (more than a batch) each exactly once, in roster order, over HTTP`, async () => {
    const rows = await csvExport(adminA, `schoolId=${schoolId}`);
    const addresses = rows.map((r) => r[col('现住址')]);
    expect(new Set(addresses).size).toBe(N);
    expect(addresses).toEqual(expected);
    expect(rows[0]![col('班级')]).toBe('2班');
    expect(await lastExportEvent()).toMatchObject({ after: { rows: N } });
  });

  it('the same with small batches, for both formats', { timeout: 120_000 }, async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const exp = await prepareStudentExport(
        t.ctx,
        sys,
        StudentExportQuery.parse({ schoolId, format }),
        origin,
        { batchSize: 331 },
      );
      const chunks: Buffer[] = [];
      const body = exportStream(exp, (e) => {
        throw e;
      });
      for await (const chunk of body) chunks.push(chunk as Buffer);
      const all = Buffer.concat(chunks);
      const rows = format === 'csv' ? (await csvRows(all)).slice(1) : (await xlsxRows(all)).slice(3);
      expect(
        rows.map((r) => r[col('现住址')]),
        format,
      ).toEqual(expected);
    }
  });

  it('stops when the reader goes away, and audits the interrupted export', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const before = (await auditEvents(t.ctx, 'export')).length;
      const exp = await prepareStudentExport(
        t.ctx,
        sys,
        StudentExportQuery.parse({ schoolId, format }),
        origin,
        { batchSize: 100 },
      );
      const failures: unknown[] = [];
      const body = exportStream(exp, (e) => failures.push(e));
      // Read a little (some rows have gone out), then hang up, like a browser whose download is cancelled.
      let received = 0;
      for await (const chunk of body) {
        received += (chunk as Buffer).length;
        if (received > 16 * 1024) break;
      }
      expect(body.destroyed).toBe(true);
      await vi.waitFor(
        async () => {
          const events = await auditEvents(t.ctx, 'export');
          expect(events.length).toBe(before + 1);
        },
        { timeout: 30_000, interval: 50 },
      );
      const ev = await lastExportEvent();
      const after = ev!.after as { rows: number; filter: Record<string, unknown> };
      expect(after.filter).toMatchObject({ format, interrupted: true });
      expect(after.rows).toBeGreaterThan(0);
      expect(after.rows).toBeLessThan(N);
      expect(failures).toEqual([]);
    }
  });

  it('stops when an HTTP client hangs up mid-download', { timeout: 120_000 }, async () => {
    // Large enough (about 5 MB of CSV) not to fit in the sockets' buffers at once.
    const big = await createUnit(
      t.ctx,
      sys,
      {
        parentId: world.countyA.id,
        kind: 'school',
        code: '1220200004',
        name: '铁西区第四小学',
        stage: 'primary',
      },
      origin,
    );
    await sql`insert into student (id, school_id, county_code, name, sex, birth_date, stage, grade, address)
      select gen_random_uuid(), ${big.id}::uuid, '220302', '学生' || i, 'M', date '2017-06-01', 'primary',
        1 + i % 6, '吉林省四平市铁西区某某街道某某小区' || i || '号楼'
      from generate_series(1, 50000) i`.execute(t.ctx.db);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const before = (await auditEvents(t.ctx, 'export')).length;
    await new Promise<void>((resolve, reject) => {
      const req = httpGet(
        {
          host: '127.0.0.1',
          port,
          path: `/api/students/export?format=csv&schoolId=${big.id}`,
          headers: { cookie: adminA.cookie },
        },
        (res) => {
          expect(res.statusCode).toBe(200);
          let received = 0;
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > 64 * 1024 && !req.destroyed) {
              req.destroy();
              resolve();
            }
          });
          res.on('end', () => reject(new Error('the whole export arrived before the hang-up')));
        },
      );
      req.on('error', () => undefined);
    });
    await vi.waitFor(async () => expect((await auditEvents(t.ctx, 'export')).length).toBe(before + 1), {
      timeout: 30_000,
      interval: 50,
    });
    const after = (await lastExportEvent())!.after as { rows: number; filter: Record<string, unknown> };
    expect(after.filter).toMatchObject({ schoolId: big.id, format: 'csv', interrupted: true });
    expect(after.rows).toBeLessThan(50_000);
  });
});
