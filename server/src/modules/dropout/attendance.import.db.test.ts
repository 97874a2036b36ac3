/**
 * The attendance import (kind `attendance` of the shared import engine): template, a CSV dry run with every kind
 * of row error, commit all-or-nothing vs valid rows only, the sheets and marks written, a later file changing the
 * students it lists (others' marks stay), the same file twice, scope (another county, a sibling school, a teacher's own classes) and
 * the CLI. Dates lie in autumn 2026: 9 October is a Friday, 11 October a Sunday, 3 October in the National Day
 * holiday.
 */
import type { ImportJob } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError } from '../../../test/helpers.js';
import { importCommand } from '../../cli/import.js';
import { systemActor } from '../../platform/access/actor.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { writeXlsx } from '../../platform/exports/xlsx.js';
import { readCsvRows } from '../../platform/imports/csv-reader.js';
import { whenIdle } from '../../platform/imports/job-runs.js';
import { setImportWorker } from '../../platform/imports/read-worker-pool.js';
import { tempDir } from '../../platform/imports/test-helpers.js';
import { readXlsxRows } from '../../platform/imports/xlsx-reader.js';
import { createClass, createStudent } from '../students/students.service.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;
let teacherA1: Client;
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };

let classA: string; // A1 1班, head teacher teacherA1: a1…a5
let classB: string; // A1 2班, no head teacher: b1, b2
let classA2: string; // A2 1班: x1
const s: Record<string, string> = {}; // key → student id
const no: Record<string, string> = {}; // key → 学籍号
const idNo: Record<string, string> = {}; // key → ID number

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  schoolA1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  schoolA2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  teacherA1 = await loginAs(app, u.teacherA1.username, PASSWORD);
  const cls = (schoolId: string, name: string, head?: string) =>
    createClass(
      t.ctx,
      sys,
      { schoolId, schoolYear: '2026', grade: 3, name, headTeacherUserId: head },
      origin,
    );
  classA = (await cls(world.schoolA1.id, '1班', u.teacherA1.id)).id;
  classB = (await cls(world.schoolA1.id, '2班')).id;
  classA2 = (await cls(world.schoolA2.id, '1班')).id;
  await cls(world.schoolB1.id, '1班');
  let n = 0;
  const student = async (key: string, classId: string, schoolId: string) => {
    n++;
    no[key] = `L2203022018030100${String(n).padStart(2, '0')}`.slice(0, 19);
    idNo[key] = generateIdNumber('220302', '2018-03-01', 'F', n);
    s[key] = (
      await createStudent(
        t.ctx,
        sys,
        {
          schoolId,
          classId,
          name: `学生${key}`,
          idNumber: idNo[key],
          studentNo: no[key],
          enrolledOn: '2026-09-01',
        },
        origin,
      )
    ).id;
  };
  for (const k of ['a1', 'a2', 'a3', 'a4', 'a5']) await student(k, classA, world.schoolA1.id);
  for (const k of ['b1', 'b2']) await student(k, classB, world.schoolA1.id);
  await student('x1', classA2, world.schoolA2.id);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const HEADER = ['日期', '学籍号', '身份证号', '姓名', '考勤', '原因'];
const toCsv = (rows: string[][]) =>
  '\uFEFF' + [HEADER, ...rows].map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');

async function upload(c: Client, body: Buffer, fileName: string, query = ''): Promise<ImportJob> {
  const res = await c.request('POST', `/api/imports?kind=attendance${query}`, body, {
    'content-type': 'application/octet-stream',
    'x-file-name': encodeURIComponent(fileName),
  });
  expect(res.statusCode, res.body).toBe(202);
  const job = res.json<ImportJob>();
  await whenIdle(job.id);
  return getJob(c, job.id);
}
async function getJob(c: Client, id: string): Promise<ImportJob> {
  const res = await c.get(`/api/imports/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ImportJob>();
}
async function commit(c: Client, id: string, mode: 'all' | 'valid-only'): Promise<ImportJob> {
  const res = await c.post(`/api/imports/${id}/commit`, { mode });
  expect(res.statusCode, res.body).toBe(202);
  await whenIdle(id);
  return getJob(c, id);
}

/** Every sheet and mark, as rows (submitted_at included): what "nothing changed" compares. */
async function attendanceRows(): Promise<string> {
  const sheets = await t.ctx.db
    .selectFrom('attendance_sheet')
    .selectAll()
    .orderBy('class_id')
    .orderBy('day')
    .execute();
  const marks = await t.ctx.db
    .selectFrom('attendance_mark')
    .selectAll()
    .orderBy('student_id')
    .orderBy('day')
    .execute();
  return JSON.stringify({ sheets, marks });
}
const marksOn = async (day: string) =>
  Object.fromEntries(
    (
      await t.ctx.db
        .selectFrom('attendance_mark')
        .select(['student_id', 'kind', 'reason', 'class_id'])
        .where('day', '=', day)
        .execute()
    ).map((m) => [Object.keys(s).find((k) => s[k] === m.student_id)!, [m.kind, m.reason]]),
  );
const sheetOf = (classId: string, day: string) =>
  t.ctx.db
    .selectFrom('attendance_sheet')
    .select(['enrolled', 'present', 'late', 'sick', 'personal', 'unexcused', 'submitted_by', 'school_id'])
    .where('class_id', '=', classId)
    .where('day', '=', day)
    .executeTakeFirst();

describe('template and fields', () => {
  it('serves the official template with the Chinese columns, required ones marked', async () => {
    const x = await schoolA1.get('/api/imports/templates/attendance?format=xlsx');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-disposition']).toContain(encodeURIComponent('考勤导入模板.xlsx'));
    const { dir, cleanup } = await tempDir();
    try {
      const path = join(dir, 't.xlsx');
      writeFileSync(path, x.rawPayload);
      const rows: string[][] = [];
      for await (const b of readXlsxRows(path)) rows.push(...b);
      expect(rows[1]).toEqual(['*日期', '学籍号', '身份证号', '姓名', '*考勤', '原因']);
      expect(rows.length).toBe(2);
      const help: string[][] = [];
      for await (const b of readXlsxRows(path, { sheet: '填写说明' })) help.push(...b);
      expect(help.find((r) => r[0] === '考勤')?.[2]).toContain('旷课');
      expect(help.find((r) => r[0] === '学籍号')?.[3]).toContain('全国学籍号');
    } finally {
      await cleanup();
    }
    const c = await schoolA1.get('/api/imports/templates/attendance?format=csv');
    expect(c.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('*日期,学籍号,身份证号,姓名,*考勤,原因');
    const f = await schoolA1.get('/api/imports/fields/attendance');
    expect(
      f
        .json<{ fields: { key: string; required: boolean }[] }>()
        .fields.filter((x) => x.required)
        .map((x) => x.key),
    ).toEqual(['date', 'kind']);
  });
});

describe('a CSV with errors: dry run, all-or-nothing refused, valid rows only', () => {
  let first: ImportJob;
  const rows = () => [
    ['2026-10-09', no.a1!, '', '学生a1', '出勤', '不记录'], // 2: present, no mark
    ['2026-10-09', no.a2!, '', '', '迟到', ''], // 3
    ['2026/10/9', '', idNo.a3!, '', '病假', '发烧'], // 4: by ID number
    ['20261009', no.a4!, '', '', '无故缺勤', ''], // 5
    ['2026-10-09', no.b1!, '', '', '事假', '家中有事'], // 6: class B
    ['2026-10-11', no.a1!, '', '', '出勤', ''], // 7: a Sunday
    ['2099-03-02', no.a1!, '', '', '出勤', ''], // 8: future
    ['2026-10-09', 'L999999999999999999', '', '', '旷课', ''], // 9: no such student
    ['2026-10-09', no.a2!, '', '', '出勤', ''], // 10: a2 again that day
    ['2026-10-09', no.a5!, '', '', '请假', ''], // 11: not a value
    ['2026-10-09', no.x1!, '', '', '旷课', ''], // 12: a student of the sibling school A2
    ['2026-10-09', no.a5!, '', '张三', '出勤', ''], // 13: not a5's name
    ['2026-10-03', no.b2!, '', '', '出勤', ''], // 14: National Day holiday
  ];

  it('validates without writing: counts and the reasons, by row', async () => {
    const before = await attendanceRows();
    first = await upload(schoolA1, Buffer.from(toCsv(rows()), 'utf8'), '十月九日考勤.csv');
    expect(first.status).toBe('validated');
    expect(first.counts).toEqual({ rows: 13, valid: 5, rejected: 8, inserted: 5, updated: 0, unchanged: 0 });
    expect(first.errors.map((e) => [e.row, e.code])).toEqual([
      [7, 'ATTENDANCE_NOT_SCHOOL_DAY'],
      [8, 'ATTENDANCE_FUTURE'],
      [9, 'ATTENDANCE_STUDENT_NOT_FOUND'],
      [10, 'IMPORT_DUPLICATE_IN_FILE'],
      [11, 'ENUM_VALUE'],
      [12, 'ATTENDANCE_STUDENT_NOT_FOUND'],
      [13, 'ATTENDANCE_NAME_MISMATCH'],
      [14, 'ATTENDANCE_NOT_SCHOOL_DAY'],
    ]);
    // Another school's student reads exactly as one who does not exist.
    expect(first.errors[5]!.message).toBe(first.errors[2]!.message);
    expect(first.errors.find((e) => e.row === 11)?.column).toBe('考勤');
    expect(await attendanceRows()).toBe(before);
  });

  it('gives the same dry run when the file is read and parsed in the worker threads', async () => {
    setImportWorker({ minBytes: 0, batchRows: 3, parsePeer: true });
    try {
      const w = await upload(schoolA1, Buffer.from(toCsv(rows()), 'utf8'), 'worker.csv');
      expect(w.failure).toBeNull();
      expect(w.counts).toEqual(first.counts);
      expect(w.errors).toEqual(first.errors);
      expect((await schoolA1.post(`/api/imports/${w.id}/cancel`)).statusCode).toBe(200);
    } finally {
      setImportWorker(null);
    }
  });

  it('gives the error report: the rejected rows as they were plus the reason', async () => {
    const res = await schoolA1.get(`/api/imports/${first.id}/error-report`);
    expect(res.statusCode).toBe(200);
    const report: string[][] = [];
    for await (const b of readCsvRows(Readable.from([res.rawPayload]))) report.push(...b);
    expect(report[0]).toEqual([...HEADER, '错误原因']);
    expect(report.slice(1).map((r) => r[0])).toEqual([
      '2026-10-11',
      '2099-03-02',
      '2026-10-09',
      '2026-10-09',
      '2026-10-09',
      '2026-10-09',
      '2026-10-09',
      '2026-10-03',
    ]);
    const reason = (i: number) => report[i]![6]!;
    expect(reason(1)).toContain('上课日');
    expect(reason(2)).toContain('未来');
    expect(reason(3)).toContain('找不到该学生');
    expect(reason(4)).toContain('第 3 行');
    expect(reason(5)).toContain('考勤');
    expect(reason(6)).toBe(reason(3));
    expect(reason(7)).toContain('姓名');
  });

  it('refuses “all or nothing” while rows have errors, writing nothing', async () => {
    const before = await attendanceRows();
    expectError(
      await schoolA1.post(`/api/imports/${first.id}/commit`, { mode: 'all' }),
      409,
      'IMPORT_HAS_ERRORS',
    );
    expect(await attendanceRows()).toBe(before);
  });

  it('commits the valid rows: marks for the exceptions only, sheets counted from the roster', async () => {
    const j = await commit(schoolA1, first.id, 'valid-only');
    expect(j.status).toBe('committed');
    expect(j.counts).toMatchObject({ rows: 13, inserted: 5, updated: 0, unchanged: 0, rejected: 8 });
    expect(await marksOn('2026-10-09')).toEqual({
      a2: ['late', null],
      a3: ['sick', '发烧'],
      a4: ['unexcused', null],
      b1: ['personal', '家中有事'],
    });
    expect(await sheetOf(classA, '2026-10-09')).toEqual({
      enrolled: 5,
      present: 3,
      late: 1,
      sick: 1,
      personal: 0,
      unexcused: 1,
      submitted_by: world.users.schoolAdminA1.id,
      school_id: world.schoolA1.id,
    });
    expect(await sheetOf(classB, '2026-10-09')).toMatchObject({ enrolled: 2, present: 1, personal: 1 });
    expect(await sheetOf(classA, '2026-10-11')).toBeUndefined();
    expect(await sheetOf(classA2, '2026-10-09')).toBeUndefined();
    const audit = (await auditEvents(t.ctx, 'import.commit')).find((e) => e.object_id === first.id);
    expect(audit?.after).toMatchObject({ kind: 'attendance', mode: 'valid-only', counts: { inserted: 5 } });
  });
  it('a corrected row imported alone changes that student only (the error report’s rows, fixed)', async () => {
    const fix = await upload(
      schoolA1,
      Buffer.from(toCsv([['2026-10-09', no.a5!, '', '', '旷课', '']]), 'utf8'),
      '更正.csv',
    );
    expect(fix.counts).toEqual({ rows: 1, valid: 1, rejected: 0, inserted: 0, updated: 1, unchanged: 0 });
    expect((await commit(schoolA1, fix.id, 'all')).status).toBe('committed');
    expect(await marksOn('2026-10-09')).toEqual({
      a2: ['late', null],
      a3: ['sick', '发烧'],
      a4: ['unexcused', null],
      a5: ['unexcused', null],
      b1: ['personal', '家中有事'],
    });
    expect(await sheetOf(classA, '2026-10-09')).toMatchObject({
      enrolled: 5,
      present: 2,
      late: 1,
      sick: 1,
      unexcused: 2,
    });
  });
});

describe('an .xlsx by the county bureau changing the students it lists; the same file twice', () => {
  let xlsx: Buffer;
  let first: ImportJob;

  beforeAll(async () => {
    type Row = [string, string, string, string];
    xlsx = await writeXlsx<Row>({
      title: '铁西区十月考勤汇总',
      subtitle: '铁西区教育局 2026-10-12',
      sheetName: '考勤',
      columns: [
        { header: '考勤日期', width: 14, value: (r) => r[0] },
        { header: '全国学籍号', width: 24, value: (r) => r[1] },
        { header: '考勤情况', width: 10, value: (r) => r[2] },
        { header: '缺勤原因', width: 20, value: (r) => r[3] },
      ],
      rows: [
        ['2026年10月9日', no.a1!, '旷课', ''],
        ['2026-10-09', no.a2!, '到校', ''],
        ['2026-10-12', no.x1!, '病假', '感冒'],
      ],
    });
  });

  it('dry run: one row on a class-day without a sheet, two changing their student’s day', async () => {
    first = await upload(adminA, xlsx, '铁西区考勤.xlsx', `&unitId=${world.countyA.id}`);
    expect(first.format).toBe('xlsx');
    expect(first.header?.row).toBe(3);
    expect(first.counts).toEqual({ rows: 3, valid: 3, rejected: 0, inserted: 1, updated: 2, unchanged: 0 });
  });

  it('commits all: the listed students’ days are the file’s, other students’ marks stay, sheets recounted', async () => {
    const bBefore = await sheetOf(classB, '2026-10-09');
    const j = await commit(adminA, first.id, 'all');
    expect(j.status).toBe('committed');
    expect(j.counts).toMatchObject({ inserted: 1, updated: 2, unchanged: 0, rejected: 0 });
    // a1 was present and is now 旷课, a2 was late and is now present (no mark); a3's 病假, a4's and a5's 旷课
    // on class A's sheet that day are not in the file and stay.
    expect(await marksOn('2026-10-09')).toEqual({
      a1: ['unexcused', null],
      a3: ['sick', '发烧'],
      a4: ['unexcused', null],
      a5: ['unexcused', null],
      b1: ['personal', '家中有事'],
    });
    expect(await sheetOf(classA, '2026-10-09')).toEqual({
      enrolled: 5,
      present: 1,
      late: 0,
      sick: 1,
      personal: 0,
      unexcused: 3,
      submitted_by: world.users.adminA.id,
      school_id: world.schoolA1.id,
    });
    expect(await sheetOf(classB, '2026-10-09')).toEqual(bBefore);
    expect(await marksOn('2026-10-12')).toEqual({ x1: ['sick', '感冒'] });
    expect(await sheetOf(classA2, '2026-10-12')).toMatchObject({
      enrolled: 1,
      present: 0,
      sick: 1,
      school_id: world.schoolA2.id,
    });
  });

  it('the same file again: every row unchanged, no sheet or mark touched', async () => {
    const before = await attendanceRows();
    const again = await upload(adminA, xlsx, '铁西区考勤（再次）.xlsx', `&unitId=${world.countyA.id}`);
    expect(again.sameFileAs?.id).toBe(first.id);
    expect(again.counts).toEqual({ rows: 3, valid: 3, rejected: 0, inserted: 0, updated: 0, unchanged: 3 });
    const j = await commit(adminA, again.id, 'all');
    expect(j.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await attendanceRows()).toBe(before);
  });
});

describe('scope', () => {
  const aRow = () => [['2026-10-13', no.a1!, '', '', '旷课', '']];

  it('another county’s bureau cannot import into a school not theirs: 404, nothing written', async () => {
    const before = await attendanceRows();
    const res = await adminB.request(
      'POST',
      `/api/imports?kind=attendance&unitId=${world.schoolA1.id}`,
      Buffer.from(toCsv(aRow())),
      { 'content-type': 'application/octet-stream', 'x-file-name': 'x.csv' },
    );
    expectError(res, 404, 'NOT_FOUND');
    expect(await attendanceRows()).toBe(before);
  });

  it('another county, or a sibling school, naming a student not theirs: the row is not found', async () => {
    const before = await attendanceRows();
    for (const c of [adminB, schoolA2]) {
      const j = await upload(c, Buffer.from(toCsv(aRow())), 'x.csv');
      expect(j.counts).toMatchObject({ rows: 1, valid: 0, rejected: 1 });
      expect(j.errors.map((e) => e.code)).toEqual(['ATTENDANCE_STUDENT_NOT_FOUND']);
      expectError(
        await c.post(`/api/imports/${j.id}/commit`, { mode: 'valid-only' }),
        409,
        'IMPORT_NOTHING_VALID',
      );
    }
    expect(await attendanceRows()).toBe(before);
  });

  it('a class teacher imports for the classes they head only', async () => {
    const j = await upload(
      teacherA1,
      Buffer.from(
        toCsv([
          ['2026-10-13', no.a5!, '', '学生a5', '迟到', ''],
          ['2026-10-13', no.b2!, '', '', '旷课', ''],
        ]),
      ),
      'mine.csv',
    );
    expect(j.errors.map((e) => [e.row, e.code])).toEqual([[3, 'ATTENDANCE_NOT_OWN_CLASS']]);
    const done = await commit(teacherA1, j.id, 'valid-only');
    expect(done.counts).toMatchObject({ inserted: 1, rejected: 1 });
    expect(await marksOn('2026-10-13')).toEqual({ a5: ['late', null] });
    expect(await sheetOf(classA, '2026-10-13')).toMatchObject({
      enrolled: 5,
      present: 5,
      late: 1,
      submitted_by: world.users.teacherA1.id,
    });
    expect(await sheetOf(classB, '2026-10-13')).toBeUndefined();
  });
});

describe('dudao import attendance FILE --school CODE --json', () => {
  it('runs the file through the same job as the system', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = join(dir, 'b.csv');
      writeFileSync(
        file,
        toCsv([
          ['2026-10-14', no.b1!, '', '', '病假', ''],
          ['2026-10-14', no.b2!, '', '', '出勤', ''],
        ]),
      );
      const cli = { actor: systemActor('cli'), ip: null, requestId: null };
      const { result, ok } = await importCommand(
        t.ctx,
        'attendance',
        file,
        { school: '1220200001', json: true },
        cli,
      );
      expect(ok).toBe(true);
      expect(result).toMatchObject({ status: 'committed', rows: 2, inserted: 2, rejected: 0 });
      expect(await sheetOf(classB, '2026-10-14')).toMatchObject({
        enrolled: 2,
        present: 1,
        sick: 1,
        submitted_by: null,
      });
      await expect(importCommand(t.ctx, 'nothing', file, {}, cli)).rejects.toThrow(/usage/);
    } finally {
      await cleanup();
    }
  });
});
