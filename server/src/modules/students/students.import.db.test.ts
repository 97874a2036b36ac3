import type { ImportJob, ImportPage } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { readCsvRows } from '../../platform/imports/csv-reader.js';
import { whenIdle } from '../../platform/imports/job-runs.js';
import { recoverImports } from '../../platform/imports/jobs.js';
import { setImportWorker } from '../../platform/imports/read-worker-pool.js';
import { hasSoffice, sofficeConvert, tempDir } from '../../platform/imports/test-helpers.js';
import { readXlsxRows } from '../../platform/imports/xlsx-reader.js';
import { Readable } from 'node:stream';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { ROSTER_HEADER, rosterRow, rosterRows, toCsv } from './roster-fixture.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;
let teacherA1: Client;

beforeAll(async () => {
  // A small upload limit, so the size check is testable with a 3 MB body.
  t = await openTestDb({ importMaxBytes: 2 * 1024 * 1024 });
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  schoolA1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  schoolA2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  teacherA1 = await loginAs(app, u.teacherA1.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const A1 = '1220200001';
const A2 = '1220200002';
const B1 = '1220300001';

async function upload(c: Client, body: Buffer, fileName: string, query = ''): Promise<ImportJob> {
  const res = await c.request('POST', `/api/imports?kind=students${query}`, body, {
    'content-type': 'application/octet-stream',
    'x-file-name': encodeURIComponent(fileName),
  });
  expect(res.statusCode, res.body).toBe(202);
  const job = res.json<ImportJob>();
  await whenIdle(job.id);
  return job;
}
async function job(c: Client, id: string): Promise<ImportJob> {
  const res = await c.get(`/api/imports/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ImportJob>();
}
async function commit(c: Client, id: string, mode: 'all' | 'valid-only'): Promise<ImportJob> {
  const res = await c.post(`/api/imports/${id}/commit`, { mode });
  expect(res.statusCode, res.body).toBe(202);
  await whenIdle(id);
  return job(c, id);
}
const studentCount = async (schoolId?: string) => {
  let q = t.ctx.db.selectFrom('student').select((eb) => eb.fn.countAll<number>().as('n'));
  if (schoolId) q = q.where('school_id', '=', schoolId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

// A roster of 40 students of school A1 with four bad rows, as GBK-era Excel would save it: GB18030.
function badRoster(): string[][] {
  const rows = rosterRows(0, 40, [A1]);
  rows[5]![4] = '4.40882E+17'; // Excel ate the ID number (row 6)
  rows[9]![1] = '未知'; // row 10
  rows[12]![7] = '十三年级'; // row 13
  rows[20] = [...rows[3]!]; // row 21 repeats row 4
  return rows;
}

describe('templates and fields', () => {
  it('serves the official template as xlsx and csv, with the columns users know', async () => {
    const x = await schoolA1.get('/api/imports/templates/students?format=xlsx');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-disposition']).toContain(encodeURIComponent('学生学籍导入模板.xlsx'));
    const { dir, cleanup } = await tempDir();
    try {
      const path = join(dir, 't.xlsx');
      writeFileSync(path, x.rawPayload);
      const rows: string[][] = [];
      for await (const b of readXlsxRows(path)) rows.push(...b);
      expect(rows[1]!.slice(0, 7)).toEqual([
        '*姓名',
        '性别',
        '出生日期',
        '民族',
        '身份证号',
        '学籍号',
        '学校标识码',
      ]);
      expect(rows[1]).toContain('*年级');
      expect(rows.length).toBe(2); // no example row on the data sheet
      const help: string[][] = [];
      for await (const b of readXlsxRows(path, { sheet: '填写说明' })) help.push(...b);
      expect(help.find((r) => r[0] === '身份证号')?.[3]).toContain('公民身份号码');
    } finally {
      await cleanup();
    }
    const c = await schoolA1.get('/api/imports/templates/students?format=csv');
    expect(c.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toContain('*姓名,性别,出生日期');
    const f = await schoolA1.get('/api/imports/fields/students');
    expect(
      f
        .json<{ fields: { key: string; required: boolean }[] }>()
        .fields.filter((x) => x.required)
        .map((x) => x.key),
    ).toEqual(['name', 'grade']);
  });
});

describe('a GB18030 roster with errors, dry run then valid rows only', () => {
  let first: ImportJob;

  it('validates without writing: counts, first errors, header mapping', async () => {
    const before = await studentCount();
    const body = iconv.encode(toCsv(badRoster()), 'gb18030');
    first = await upload(schoolA1, body, '铁西实验小学花名册.csv');
    const j = await job(schoolA1, first.id);
    expect(j.status).toBe('validated');
    expect(j.encoding).toBe('gb18030');
    expect(j.counts).toMatchObject({
      rows: 40,
      valid: 36,
      rejected: 4,
      inserted: 36,
      updated: 0,
      unchanged: 0,
    });
    expect(j.errors.map((e) => [e.row, e.code])).toEqual([
      [6, 'ID_SCIENTIFIC_NOTATION'],
      [10, 'ENUM_VALUE'],
      [13, 'IMPORT_GRADE'],
      [21, 'IMPORT_DUPLICATE_IN_FILE'],
    ]);
    expect(j.errors[0]!.column).toBe('身份证号');
    expect(j.header?.row).toBe(2);
    expect(j.header?.mapped.map((m) => m.field)).toContain('guardian1Phone');
    expect(j.errorReport).toBe(true);
    expect(await studentCount()).toBe(before);
  });

  it('gives the error report in the upload’s encoding: the rows as they were plus the reason', async () => {
    const res = await schoolA1.get(`/api/imports/${first.id}/error-report`);
    expect(res.statusCode).toBe(200);
    const rows: string[][] = [];
    for await (const b of readCsvRows(Readable.from([res.rawPayload]))) rows.push(...b);
    expect(res.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false); // GB18030, no BOM
    expect(rows[0]).toEqual([...badRoster()[1]!, '错误原因']);
    expect(rows.slice(1).map((r) => r[0])).toEqual([5, 9, 12, 20].map((i) => badRoster()[i]![0]));
    expect(rows[1]![4]).toBe('4.40882E+17');
    expect(rows[1]![15]).toContain('科学计数法');
    expect(rows[4]![15]).toContain('第 4 行');
    expect((await auditEvents(t.ctx, 'export')).some((e) => e.object_type === 'import_error_report')).toBe(
      true,
    );
  });

  it('refuses “all or nothing” while rows have errors, and changes nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await schoolA1.post(`/api/imports/${first.id}/commit`, { mode: 'all' }),
        409,
        'IMPORT_HAS_ERRORS',
      );
    });
  });

  it('commits the valid rows: students with encrypted ID numbers, classes, guardians, history, audit', async () => {
    const j = await commit(schoolA1, first.id, 'valid-only');
    expect(j.status).toBe('committed');
    expect(j.counts).toMatchObject({ rows: 40, inserted: 36, updated: 0, unchanged: 0, rejected: 4 });
    expect(await studentCount(world.schoolA1.id)).toBe(36);
    const row0 = rosterRow(0, [A1]);
    const s = await t.ctx.db
      .selectFrom('student')
      .selectAll()
      .where('id_number_hmac', '=', t.ctx.vault.hmac(row0[4]!))
      .executeTakeFirstOrThrow();
    expect(t.ctx.vault.decrypt(s.id_number_enc!)).toBe(row0[4]);
    expect(s).toMatchObject({
      name: row0[0],
      student_no: row0[5],
      stage: 'primary',
      grade: 1,
      status: 'enrolled',
    });
    expect(s.name_initials.length).toBeGreaterThan(1);
    const cls = await t.ctx.db
      .selectFrom('school_class')
      .selectAll()
      .where('id', '=', s.class_id!)
      .executeTakeFirstOrThrow();
    expect(cls).toMatchObject({ school_id: world.schoolA1.id, grade: 1, name: '1班' });
    const g = await t.ctx.db
      .selectFrom('student_guardian')
      .selectAll()
      .where('student_id', '=', s.id)
      .execute();
    expect(g.map((x) => [x.name, x.relation, x.phone])).toEqual([[row0[12], 'father', row0[14]]]);
    const ev = await t.ctx.db
      .selectFrom('student_status_event')
      .selectAll()
      .where('student_id', '=', s.id)
      .execute();
    expect(ev.map((e) => e.kind)).toEqual(['enrol']);
    const audit = (await auditEvents(t.ctx, 'import.commit')).find((e) => e.object_id === first.id);
    expect(audit?.after).toMatchObject({ mode: 'valid-only', counts: { inserted: 36 } });
    // The upload (every row in the clear) is gone; the report stays for the corrections.
    expect((await schoolA1.get(`/api/imports/${first.id}/error-report`)).statusCode).toBe(200);
  });

  it('imports the same file a second time without changing anything', async () => {
    const body = iconv.encode(toCsv(badRoster()), 'gb18030');
    const again = await upload(schoolA1, body, 'again.csv');
    const j = await job(schoolA1, again.id);
    expect(j.sameFileAs?.id).toBe(first.id);
    expect(j.counts).toMatchObject({
      rows: 40,
      valid: 36,
      rejected: 4,
      inserted: 0,
      updated: 0,
      unchanged: 36,
    });
    const students = () => t.ctx.db.selectFrom('student').selectAll().orderBy('id').execute();
    const guardians = () =>
      t.ctx.db.selectFrom('student_guardian').selectAll().orderBy('student_id').execute();
    const before = JSON.stringify([await students(), await guardians()]);
    const done = await commit(schoolA1, again.id, 'valid-only');
    expect(done.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: 36 });
    expect(JSON.stringify([await students(), await guardians()])).toBe(before);
  });

  it('corrects what changed and records each student’s values before and after', async () => {
    const rows = rosterRows(0, 10, [A1]);
    rows[2]![10] = '铁西区北新街8号'; // student 0's address
    rows[3]![11] = '是'; // student 1 becomes left-behind
    const j = await upload(schoolA1, Buffer.from(toCsv(rows)), 'fix.csv');
    // Students 3 and 7 were refused by the first import (bad ID, bad sex): this file brings them in.
    expect((await job(schoolA1, j.id)).counts).toMatchObject({ inserted: 2, updated: 2, unchanged: 6 });
    await commit(schoolA1, j.id, 'all');
    const changes = await t.ctx.db
      .selectFrom('import_change')
      .selectAll()
      .where('job_id', '=', j.id)
      .execute();
    expect(
      changes.map((c) => c.after).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([{ address: '铁西区北新街8号' }, { left_behind: true }]);
    expect(changes.find((c) => (c.after as { address?: string }).address)?.before).toEqual({
      address: rosterRow(0, [A1])[10],
    });
  });
});

describe('a county bureau imports for its schools', () => {
  it('takes rows of its schools and refuses rows of another county and moves between schools', async () => {
    const rows = rosterRows(100, 106, [A1, A2, B1]);
    // Student 0 is registered at A1: a row putting them at A2 is a transfer, not an import.
    rows.push(rosterRow(0, [A2]));
    const j = await upload(adminA, Buffer.from(toCsv(rows)), 'county.csv', `&unitId=${world.countyA.id}`);
    const v = await job(adminA, j.id);
    expect(v.counts).toMatchObject({ rows: 7, inserted: 4, rejected: 3 });
    expect(v.errors.map((e) => e.code).sort()).toEqual([
      'IMPORT_SCHOOL_OUT_OF_SCOPE',
      'IMPORT_SCHOOL_OUT_OF_SCOPE',
      'IMPORT_STUDENT_AT_OTHER_SCHOOL',
    ]);
    const before = await studentCount(world.schoolB1.id);
    await commit(adminA, j.id, 'valid-only');
    expect(await studentCount(world.schoolB1.id)).toBe(before);
    expect(await studentCount(world.schoolA2.id)).toBe(2);
  });
});

describe('scope: another county, a sibling school, a teacher', () => {
  let a1Job: ImportJob;
  beforeAll(async () => {
    a1Job = await upload(schoolA1, Buffer.from(toCsv(rosterRows(200, 203, [A1]))), 'scope.csv');
  });

  it('hides a school’s import from another county and from the sibling school (404, nothing changes)', async () => {
    for (const c of [adminB, schoolA2]) {
      await expectUnchanged(t.ctx, async () => {
        expectError(await c.get(`/api/imports/${a1Job.id}`), 404, 'NOT_FOUND');
        expectError(await c.get(`/api/imports/${a1Job.id}/events`), 404, 'NOT_FOUND');
        expectError(await c.get(`/api/imports/${a1Job.id}/error-report`), 404, 'NOT_FOUND');
        expectError(await c.post(`/api/imports/${a1Job.id}/commit`, { mode: 'all' }), 404, 'NOT_FOUND');
        expectError(await c.post(`/api/imports/${a1Job.id}/cancel`), 404, 'NOT_FOUND');
        expectError(await c.post(`/api/imports/${a1Job.id}/retry`), 404, 'NOT_FOUND');
        const list = (await c.get('/api/imports')).json<ImportPage>();
        expect(list.items.map((i) => i.id)).not.toContain(a1Job.id);
      });
    }
    expect((await job(adminA, a1Job.id)).status).toBe('validated');
  });

  it('refuses an upload into a unit of another county (404) and by a teacher (403), storing nothing', async () => {
    const body = Buffer.from(toCsv(rosterRows(300, 302, [A1])));
    await expectUnchanged(t.ctx, async () => {
      const res = await adminB.request(
        'POST',
        `/api/imports?kind=students&unitId=${world.schoolA1.id}`,
        body,
        {
          'content-type': 'application/octet-stream',
        },
      );
      expectError(res, 404, 'NOT_FOUND');
      const res2 = await teacherA1.request('POST', '/api/imports?kind=students', body, {
        'content-type': 'application/octet-stream',
      });
      expectError(res2, 403, 'FORBIDDEN');
    });
  });

  it('stops a validation under way when it is cancelled, leaving nothing staged', async () => {
    const res = await schoolA1.request(
      'POST',
      '/api/imports?kind=students',
      Buffer.from(toCsv(rosterRows(1000, 9000, [A1]))),
      {
        'content-type': 'application/octet-stream',
        'x-file-name': 'long.csv',
      },
    );
    const started = res.json<ImportJob>();
    expect(started.status).toBe('validating');
    const cancelled = await schoolA1.post(`/api/imports/${started.id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await whenIdle(started.id);
    expect((await job(schoolA1, started.id)).status).toBe('cancelled');
    const staged = await t.ctx.db
      .selectFrom('import_student_row')
      .select('row_no')
      .where('job_id', '=', started.id)
      .execute();
    expect(staged).toEqual([]);
  });

  it('lets the school cancel its own job', async () => {
    const res = await schoolA1.post(`/api/imports/${a1Job.id}/cancel`);
    expect(res.json<ImportJob>().status).toBe('cancelled');
    expect(
      await t.ctx.db
        .selectFrom('import_student_row')
        .select('row_no')
        .where('job_id', '=', a1Job.id)
        .execute(),
    ).toEqual([]);
  });
});

describe('bad uploads', () => {
  const send = (body: Buffer, name: string) =>
    schoolA1.request('POST', '/api/imports?kind=students', body, {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(name),
    });

  it('refuses what is not a roster before creating a job', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(await send(Buffer.from('%PDF-1.4\n...'), 'a.pdf'), 400, 'UNSUPPORTED_TYPE');
      expectError(await send(Buffer.alloc(0), 'empty.csv'), 400, 'EMPTY_FILE');
      expectError(
        await send(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'old.xls'),
        400,
        'XLS_NOT_SUPPORTED',
      );
      const big = await send(Buffer.alloc(3 * 1024 * 1024, 0x41), 'big.csv');
      expectError(big, 413, 'IMPORT_TOO_LARGE');
      // The unread rest of the body must not keep the connection (and a shutting-down server) open.
      expect(big.headers.connection).toBe('close');
      const noBody = await schoolA1.request('POST', '/api/imports?kind=students', undefined, {});
      expect(noBody.statusCode).toBe(400);
    });
  });

  it('fails a file without the required columns, with the reason, and writes nothing', async () => {
    const before = await studentCount();
    const j = await upload(
      schoolA1,
      Buffer.from('姓名,性别,出生日期\r\n张三,男,2015-01-01\r\n'),
      'nogrades.csv',
    );
    const v = await job(schoolA1, j.id);
    expect(v.status).toBe('failed');
    expect(v.failure?.code).toBe('IMPORT_MISSING_COLUMNS');
    expect(v.failure?.message).toContain('年级');
    expect(await studentCount()).toBe(before);
  });
});

describe('search over an imported school', () => {
  it('looks at the first 1,000 matches of a broad search and says so', async () => {
    const j = await upload(schoolA2, Buffer.from(toCsv(rosterRows(2000, 3050, [A2]))), 'big-school.csv');
    await commit(schoolA2, j.id, 'all');
    const broad = (await schoolA2.get('/api/students?q=G220302&pageSize=20')).json<{
      items: unknown[];
      total: number;
      capped?: boolean;
    }>();
    expect(broad).toMatchObject({ total: 1000, capped: true });
    expect(broad.items).toHaveLength(20);
    const exact = rosterRow(2500, [A2]);
    const narrow = (await schoolA2.get(`/api/students?q=${exact[5]}`)).json<{
      total: number;
      capped?: boolean;
    }>();
    expect(narrow).toMatchObject({ total: 1, capped: false });
  });
});

describe('columns the importer does not know', () => {
  it('keeps the header of a file missing a column, learns the name once, and maps it by itself next time', async () => {
    const rows = rosterRows(700, 705, [A1]);
    rows[1]![7] = '就读年段'; // the grade column under a name of the school's old system
    const j = await upload(schoolA1, Buffer.from(toCsv(rows)), 'old-system.csv');
    const failed = await job(schoolA1, j.id);
    expect(failed.failure?.code).toBe('IMPORT_MISSING_COLUMNS');
    expect(failed.header?.unknown).toEqual(['就读年段']);
    expect(failed.header?.missingRequired).toEqual(['年级']);

    // Another county cannot teach this school's importer anything.
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminB.post(`/api/imports/${j.id}/mapping`, {
          columns: [{ header: '就读年段', field: 'grade' }],
        }),
        404,
        'NOT_FOUND',
      );
    });
    expectError(
      await schoolA1.post(`/api/imports/${j.id}/mapping`, {
        columns: [{ header: '就读年段', field: 'shoeSize' }],
      }),
      400,
      'IMPORT_UNKNOWN_FIELD',
    );
    const res = await schoolA1.post(`/api/imports/${j.id}/mapping`, {
      columns: [{ header: '就读年段', field: 'grade' }],
    });
    expect(res.statusCode, res.body).toBe(202);
    await whenIdle(j.id);
    const mapped = await job(schoolA1, j.id);
    expect(mapped.status).toBe('validated');
    expect(mapped.counts).toMatchObject({ rows: 5, inserted: 5 });
    expect(mapped.header?.mapped.find((m) => m.field === 'grade')?.column).toBe('就读年段');
    expect((await auditEvents(t.ctx, 'import.mapping')).some((e) => e.object_id === j.id)).toBe(true);

    // The next upload with that layout maps by itself; a sibling school has not learnt it.
    const again = await upload(schoolA1, Buffer.from(toCsv(rows)), 'old-system-2.csv');
    expect((await job(schoolA1, again.id)).status).toBe('validated');
    const sibling = rosterRows(710, 712, [A2]);
    sibling[1]![7] = '就读年段';
    const other = await upload(schoolA2, Buffer.from(toCsv(sibling)), 'old-system.csv');
    expect((await job(schoolA2, other.id)).failure?.code).toBe('IMPORT_MISSING_COLUMNS');
  });
});

describe('interrupted jobs', () => {
  it('fails a job a restart caught mid-way, and re-runs it from its file', async () => {
    const j = await upload(schoolA1, Buffer.from(toCsv(rosterRows(400, 405, [A1]))), 'interrupted.csv');
    // As a kill -9 during the commit leaves it: status committing, nothing merged (the transaction died).
    const caught = (heartbeat: number) =>
      t.ctx.db
        .updateTable('import_job')
        .set({ status: 'committing', progress: JSON.stringify({ heartbeat }) })
        .where('id', '=', j.id)
        .execute();
    if (t.ctx.engine === 'postgres') {
      // On PostgreSQL another instance may be running it: only a job whose heartbeat stopped is interrupted.
      await caught(Date.now());
      expect(await recoverImports(t.ctx)).toBe(0);
      await caught(Date.now() - 10 * 60_000);
    } else {
      // The embedded database has one process: whatever was running when it started again was interrupted.
      await caught(Date.now());
    }
    expect(await recoverImports(t.ctx)).toBe(1);
    const failed = await job(schoolA1, j.id);
    expect(failed.status).toBe('failed');
    expect(failed.failure?.code).toBe('IMPORT_INTERRUPTED');
    const res = await schoolA1.post(`/api/imports/${j.id}/retry`);
    expect(res.statusCode, res.body).toBe(202);
    await whenIdle(j.id);
    expect((await job(schoolA1, j.id)).counts).toMatchObject({ rows: 5, inserted: 5 });
    expect((await commit(schoolA1, j.id, 'all')).status).toBe('committed');
  });

  it('streams progress as server-sent events ending with the job’s state', async () => {
    const j = await upload(schoolA1, Buffer.from(toCsv(rosterRows(500, 503, [A1]))), 'sse.csv');
    const res = await schoolA1.get(`/api/imports/${j.id}/events`);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = res.body
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => JSON.parse(e.slice(6)) as ImportJob);
    expect(events.at(-1)?.status).toBe('validated');
    expect(events.at(-1)?.counts.inserted).toBe(3);
  });
});

// CI installs LibreOffice (.ci/run) and must run this; a developer machine without it leaves it out.
describe.runIf(process.env.CI === 'true' || (await hasSoffice()))('xlsx made by LibreOffice', () => {
  it('imports the same roster saved as .xlsx with the same result', { timeout: 180_000 }, async () => {
    const { dir, cleanup } = await tempDir();
    try {
      // A workbook as a registrar keeps it (merged title, real date cells), re-saved by LibreOffice's writer.
      const src = join(dir, 'roster-src.xlsx');
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('花名册');
      const rows = rosterRows(600, 650, [A1]);
      ws.addRow(rows[0]!);
      ws.mergeCells('A1:O1');
      for (const r of rows.slice(1)) ws.addRow(r);
      for (let i = 3; i <= rows.length; i++) {
        const cell = ws.getCell(i, 3);
        cell.value = new Date(`${cell.text}T00:00:00Z`);
        cell.numFmt = 'yyyy-mm-dd';
      }
      await wb.xlsx.writeFile(src);
      const xlsx = await sofficeConvert(src, join(dir, 'lo'), 'xlsx:Calc MS Excel 2007 XML');
      const { readFileSync } = await import('node:fs');
      const j = await upload(schoolA1, readFileSync(xlsx), '花名册.xlsx');
      const v = await job(schoolA1, j.id);
      expect(v.format).toBe('xlsx');
      expect(v.failure).toBeNull();
      expect(v.counts).toMatchObject({ rows: 50, inserted: 50, rejected: 0 });
    } finally {
      await cleanup();
    }
  });
});

describe('a large file, read and validated in the worker thread', () => {
  afterAll(() => setImportWorker(null));

  // Batches of 7 rows: the reader parses some, and with the peer the second worker parses the others.
  it.each([
    { peer: true, from: 700 },
    { peer: false, from: 900 },
  ])(
    'gives the same counts, errors, report and students as the main thread (parsing peer: $peer)',
    async ({ peer, from }) => {
      setImportWorker({ minBytes: 0, batchRows: 7, parsePeer: peer });
      const rows = rosterRows(from, from + 40, [A2]);
      rows[5]![4] = '4.40882E+17';
      rows[9]![1] = '未知';
      rows[12]![7] = '十三年级';
      rows[20] = [...rows[3]!];
      const first = await upload(schoolA2, iconv.encode(toCsv(rows), 'gb18030'), '花名册-worker.csv');
      const j = await job(schoolA2, first.id);
      expect(j.failure).toBeNull();
      expect(j.encoding).toBe('gb18030');
      expect(j.counts).toMatchObject({ rows: 40, valid: 36, rejected: 4, inserted: 36 });
      expect(j.errors.map((e) => [e.row, e.code, e.column])).toEqual([
        [6, 'ID_SCIENTIFIC_NOTATION', '身份证号'],
        [10, 'ENUM_VALUE', '性别'],
        [13, 'IMPORT_GRADE', '年级'],
        [21, 'IMPORT_DUPLICATE_IN_FILE', null],
      ]);
      const report = await schoolA2.get(`/api/imports/${first.id}/error-report`);
      const back: string[][] = [];
      for await (const b of readCsvRows(Readable.from([report.rawPayload]))) back.push(...b);
      expect(back.slice(1).map((r) => r[0])).toEqual([5, 9, 12, 20].map((i) => rows[i]![0]));
      const done = await commit(schoolA2, first.id, 'valid-only');
      expect(done.counts).toMatchObject({ inserted: 36, rejected: 4 });
      const row = rows[2]!;
      const s = await t.ctx.db
        .selectFrom('student')
        .selectAll()
        .where('id_number_hmac', '=', t.ctx.vault.hmac(row[4]!))
        .executeTakeFirstOrThrow();
      expect(t.ctx.vault.decrypt(s.id_number_enc!)).toBe(row[4]);
      expect(s).toMatchObject({ name: row[0], student_no: row[5], school_id: world.schoolA2.id });
      // The same file again, through the worker too: every row matched, nothing to write.
      const again = await upload(schoolA2, iconv.encode(toCsv(rows), 'gb18030'), '花名册-worker.csv');
      expect((await job(schoolA2, again.id)).counts).toMatchObject({
        inserted: 0,
        updated: 0,
        unchanged: 36,
      });
    },
  );

  it('reads an .xlsx in the worker, and fails a file without the required columns with the reason', async () => {
    setImportWorker({ minBytes: 0 });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    for (const r of rosterRows(800, 820, [A2])) ws.addRow(r);
    const x = await upload(schoolA2, Buffer.from(await wb.xlsx.writeBuffer()), '花名册.xlsx');
    expect((await job(schoolA2, x.id)).counts).toMatchObject({ rows: 20, inserted: 20, rejected: 0 });
    const bad = await upload(schoolA2, Buffer.from('学号,备注\n1,2\n'), 'bad.csv');
    const b = await job(schoolA2, bad.id);
    expect(b.status).toBe('failed');
    expect(b.failure?.code).toBe('IMPORT_HEADER_NOT_FOUND');
  });
});

describe('conflicts with the registry, decided set-based', () => {
  it('refuses a 学籍号 paired with another student’s ID number or with a new one, and updates a changed guardian', async () => {
    // Four students with L student numbers (an L number does not repeat the ID number, so it can disagree).
    const four = [600, 601, 602, 603].map((i, k) => {
      const r = rosterRow(i, [A1]);
      r[5] = `L2203022015010100${k}1`;
      return r;
    });
    const first = await upload(schoolA1, Buffer.from(toCsv([[...ROSTER_HEADER], ...four])), 'l-numbers.csv');
    await commit(schoolA1, first.id, 'all');
    const [p, q, r, s] = four as [string[], string[], string[], string[]];
    const freshId = generateIdNumber('220302', '2016-05-05', 'M', 77);
    const rows = [
      [...p.slice(0, 4), q[4]!, ...p.slice(5)], // P's number, Q's ID number: Q is registered already
      [...r.slice(0, 4), freshId, ...r.slice(5)], // R's number, an ID number nobody holds: not R's
      [...s.slice(0, 12), '王二', ...s.slice(13)], // S with another guardian: an update
    ];
    const j = await job(
      schoolA1,
      (await upload(schoolA1, Buffer.from(toCsv([[...ROSTER_HEADER], ...rows])), 'c.csv')).id,
    );
    expect(j.counts).toMatchObject({ rows: 3, rejected: 2, inserted: 0, updated: 1, unchanged: 0 });
    expect(j.errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'STUDENT_ALREADY_ENROLLED'],
      [3, 'STUDENT_NO_ID_CONFLICT'],
    ]);
    await commit(schoolA1, j.id, 'valid-only');
    const sRow = await t.ctx.db
      .selectFrom('student')
      .innerJoin('student_guardian', 'student_guardian.student_id', 'student.id')
      .select(['student_guardian.name', 'student_guardian.ord'])
      .where('student.student_no', '=', s[5]!)
      .orderBy('student_guardian.ord')
      .execute();
    expect(sRow.map((g) => g.name)).toEqual(['王二']);
    // P and R keep their own ID numbers.
    for (const x of [p, r]) {
      const st = await t.ctx.db
        .selectFrom('student')
        .select('id_number_hmac')
        .where('student_no', '=', x[5]!)
        .executeTakeFirstOrThrow();
      expect(st.id_number_hmac).toBe(t.ctx.vault.hmac(x[4]!));
    }
  });
});

describe('the commit checks the rows again only when the registry changed after the validation', () => {
  it('skips the re-check of an unchanged registry, and refuses rows another commit has taken since', async () => {
    // X: five students for A1; Y: the same five students (same numbers) for A2. Both validate on an empty slate.
    const x = await upload(schoolA1, Buffer.from(toCsv(rosterRows(650, 655, [A1]))), 'x.csv');
    const y = await upload(schoolA2, Buffer.from(toCsv(rosterRows(650, 655, [A2]))), 'y.csv');
    expect((await job(schoolA1, x.id)).counts).toMatchObject({ inserted: 5, rejected: 0 });
    expect((await job(schoolA2, y.id)).counts).toMatchObject({ inserted: 5, rejected: 0 });
    // A third job, validated now too.
    const other = await upload(schoolA1, Buffer.from(toCsv(rosterRows(660, 661, [A1]))), 'other.csv');
    // Y commits first: nothing changed since its validation (X and the other job are not committed).
    expect((await commit(schoolA2, y.id, 'all')).status).toBe('committed');
    const audit = async (id: string) =>
      (await auditEvents(t.ctx, 'import.commit')).find((e) => e.object_id === id)?.after as
        { rechecked?: boolean } | undefined;
    expect((await audit(y.id))?.rechecked).toBe(false);
    // X now refers to students registered at A2: the re-check runs and refuses every row; all-or-nothing fails.
    const failed = await commit(schoolA1, x.id, 'all');
    expect(failed.status).toBe('failed');
    expect(failed.failure?.code).toBe('IMPORT_DATA_CHANGED');
    const atA1 = await t.ctx.db
      .selectFrom('student')
      .select('id')
      .where('school_id', '=', world.schoolA1.id)
      .where(
        'student_no',
        'in',
        rosterRows(650, 655, [A1])
          .slice(2)
          .map((r) => r[5]!),
      )
      .execute();
    expect(atA1).toEqual([]);
    // The other job was validated before Y's commit too: it checks again, finds its row still new, commits.
    expect((await commit(schoolA1, other.id, 'all')).counts).toMatchObject({ inserted: 1 });
    expect((await audit(other.id))?.rechecked).toBe(true);
  });
});
