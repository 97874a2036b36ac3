/**
 * 四查三比对: a population list is matched to the registry by the ID-number HMAC; every person ends in one
 * category, the counts reconcile per town, county and list, the age range has its edges on 31 August, a dry
 * run stores nothing, and only bureaus in scope may import.
 */
import {
  CROSSCHECK_CATEGORIES,
  type CrosscheckCounts,
  type CrosscheckResult,
  type PopulationPersonPage,
} from '@dudao/contracts';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { setImportWorker } from '../../platform/imports/read-worker-pool.js';
import { makeZip } from '../../platform/imports/test-helpers.js';
import { createStudent } from '../students/students.service.js';
import { confirmCase } from './cases.service.js';
import { ageOnCutoff } from './crosscheck.service.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let adminA: Client;
let adminB: Client;
let city: Client;
let schoolA1: Client;
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };
const id = (birth: string, seq: number) => generateIdNumber('220302', birth, 'F', seq);
const ids = {
  here: id('2016-05-05', 1),
  elsewhere: id('2016-06-06', 2),
  dropout: id('2015-07-07', 3),
  poor: id('2014-08-08', 4),
  homeTaught: id('2013-01-01', 5),
  nowhere: id('2012-02-02', 6),
  six: id('2020-08-31', 7),
  five: id('2020-09-01', 8),
  fifteen: id('2010-09-01', 9),
  sixteen: id('2010-08-31', 10),
};

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  adminA = await loginAs(app, world.users.adminA.username, PASSWORD);
  adminB = await loginAs(app, world.users.adminB.username, PASSWORD);
  city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
  schoolA1 = await loginAs(app, world.users.schoolAdminA1.username, PASSWORD);
  const student = (schoolId: string, idNumber: string, birthDate: string, poverty = false) =>
    createStudent(
      t.ctx,
      sys,
      {
        schoolId,
        name: '在籍生',
        sex: 'F',
        birthDate,
        grade: 4,
        idNumber,
        flags: { povertyHousehold: poverty },
      },
      origin,
    );
  await student(world.schoolA1.id, ids.here, '2016-05-05');
  await student(world.schoolB1.id, ids.elsewhere, '2016-06-06');
  for (const [key, birth, poverty] of [
    ['dropout', '2015-07-07', false],
    ['poor', '2014-08-08', true],
  ] as const) {
    const st = await student(world.schoolA2.id, ids[key], birth, poverty);
    const caseId = randomUUID();
    await t.ctx.db
      .insertInto('dropout_case')
      .values({
        id: caseId,
        student_id: st.id,
        school_id: world.schoolA2.id,
        county_code: '220302',
        reason: 'consecutiveAbsence',
        detected_on: '2026-09-20',
      })
      .execute();
    await confirmCase(t.ctx, sys, caseId, { on: '2026-09-21' }, origin);
  }
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const csv = (title: string | null) =>
  Buffer.from(
    [
      ...(title ? [title] : []),
      '序号,姓名,公民身份号码,乡镇（街道）,免缓学情况',
      `1,甲,${ids.here},仁兴街道,`,
      `2,乙,${ids.elsewhere},仁兴街道,`,
      `3,丙,${ids.dropout},220302002,`,
      `4,丁,${ids.poor},英雄街道,`,
      `5,戊,${ids.homeTaught},英雄街道,送教上门`,
      `6,己,${ids.nowhere},英雄街道,`,
      `7,庚,${ids.six},仁兴街道,`,
      `8,辛,${ids.five},仁兴街道,`,
      `9,壬,${ids.fifteen},,`,
      `10,癸,${ids.sixteen},,`,
      `11,子,22030220160101123X,仁兴街道,`,
    ].join('\n'),
  );

const upload = (client: Client, unitId: string, body: Buffer, extra = '') =>
  client.request('POST', `/api/dropout/crosscheck?unitId=${unitId}&asOf=2026-10-09${extra}`, body, {
    'content-type': 'application/octet-stream',
    'x-file-name': 'list.csv',
  });

const sum = (c: CrosscheckCounts) => CROSSCHECK_CATEGORIES.reduce((n, k) => n + c[k], 0);

describe('age on 31 August', () => {
  it('counts the birthday on 31 August in, 1 September out', () => {
    expect(ageOnCutoff('2020-08-31', '2026-10-09')).toBe(6);
    expect(ageOnCutoff('2020-09-01', '2026-10-09')).toBe(5);
    expect(ageOnCutoff('2010-08-31', '2027-03-01')).toBe(16);
    expect(ageOnCutoff('2010-09-01', '2027-03-01')).toBe(15);
  });
});

describe('a county’s 户籍 list', () => {
  let result: CrosscheckResult;

  it('refuses outsiders and schools, storing nothing', async () => {
    expectError(await upload(adminB, world.countyA.id, csv(null)), 404, 'NOT_FOUND');
    expectError(await upload(schoolA1, world.countyA.id, csv(null)), 404, 'NOT_FOUND');
    expectError(await upload(schoolA1, world.schoolA1.id, csv(null)), 403, 'FORBIDDEN');
    expect(await t.ctx.db.selectFrom('population_list').selectAll().execute()).toEqual([]);
  });

  it('refuses a list declared over 200 MB (413) and files that are no table (400), storing nothing', async () => {
    const post = (body: Buffer, fileName: string, headers: Record<string, string> = {}) =>
      adminA.request('POST', `/api/dropout/crosscheck?unitId=${world.countyA.id}&asOf=2026-10-09`, body, {
        'content-type': 'application/octet-stream',
        'x-file-name': fileName,
        ...headers,
      });
    await expectUnchanged(t.ctx, async () => {
      // A valid list that would be stored: only the declared Content-Length refuses it, before it is read.
      const big = await post(csv(null), 'list.csv', { 'content-length': String(200 * 1024 * 1024 + 1) });
      expectError(big, 413, 'FILE_TOO_LARGE');
      expect(big.json<{ message: string }>().message).toContain('200 MB');
      expect(big.headers.connection).toBe('close');
      // What the file is comes from its bytes, not its name.
      expectError(await post(Buffer.from('%PDF-1.4\n1 0 obj\n'), 'list.csv'), 400, 'UNSUPPORTED_TYPE');
      const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]);
      expectError(await post(xls, 'list.xlsx'), 400, 'XLS_NOT_SUPPORTED');
      // 20 MB of zeros in one sheet: declared 200:1 and more, refused from the zip's directory
      const bomb = makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 ** 2) }]);
      expectError(await post(bomb, 'list.xlsx'), 400, 'XLSX_COMPRESSION_RATIO');
    });
    expect(await t.ctx.db.selectFrom('population_list').selectAll().execute()).toEqual([]);
  });

  it('a dry run gives the counts and stores nothing', async () => {
    const res = await upload(adminA, world.countyA.id, csv(null), '&dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CrosscheckResult>()).toMatchObject({
      dryRun: true,
      listId: null,
      counts: { listed: 11 },
    });
    expect(await t.ctx.db.selectFrom('population_list').selectAll().execute()).toEqual([]);
    expect(await t.ctx.db.selectFrom('population_person').selectAll().execute()).toEqual([]);
    // Nor is anything left in the staging table.
    const staged = await sql<{ n: number }>`select count(*)::int as n from population_stage`.execute(
      t.ctx.db,
    );
    expect(staged.rows[0]!.n).toBe(0);
  });

  it('reads the list alike as a plain CSV, a quoted CSV and an xlsx (dry runs)', async () => {
    const countsOf = async (body: Buffer, fileName: string) => {
      const res = await adminA.request(
        'POST',
        `/api/dropout/crosscheck?unitId=${world.countyA.id}&asOf=2026-10-09&dryRun=true`,
        body,
        { 'content-type': 'application/octet-stream', 'x-file-name': fileName },
      );
      expect(res.statusCode, res.body).toBe(200);
      return res.json<CrosscheckResult>().counts;
    };
    const lines = csv(null).toString('utf8').split('\n');
    const plain = await countsOf(csv(null), 'list.csv');
    expect(plain).toMatchObject({ listed: 11, enrolledHere: 1, unmatched: 3 });
    // A quote sends the file through the import engine's CSV reader instead of the fast split.
    const quoted = lines
      .map((l) =>
        l
          .split(',')
          .map((c) => `"${c}"`)
          .join(','),
      )
      .join('\r\n');
    expect(await countsOf(Buffer.from(quoted), 'list.csv')).toEqual(plain);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    for (const l of lines) ws.addRow(l.split(','));
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await countsOf(xlsx, 'list.xlsx')).toEqual(plain);
    expect(await t.ctx.db.selectFrom('population_list').selectAll().execute()).toEqual([]);
  });

  it('gives the same result when the list is parsed in the import engine’s reading workers', async () => {
    // Two more unreadable numbers in later batches (batches of 3 rows, two workers: they arrive out of order)
    // and a 合计 line, which is no person.
    const body = Buffer.concat([
      csv('铁西区适龄儿童户籍名单'),
      Buffer.from(`\n12,丑,2203022016010112,仁兴街道,\n13,寅,1.23457E+17,,\n合计,,,,\n`),
    ]);
    const dry = async () => {
      const res = await upload(adminA, world.countyA.id, body, '&dryRun=true');
      expect(res.statusCode, res.body).toBe(200);
      return res.json<CrosscheckResult>();
    };
    const here = await dry();
    expect(here.counts).toMatchObject({ listed: 13, unmatched: 5 });
    expect(here.rowErrors.map((e) => e.row)).toEqual([13, 14, 15]);
    setImportWorker({ minBytes: 0, batchRows: 3, parsePeer: true });
    try {
      const inWorkers = await dry();
      expect(inWorkers.counts).toEqual(here.counts);
      expect(inWorkers.counties).toEqual(here.counties);
      expect(inWorkers.rowErrors).toEqual(here.rowErrors);
    } finally {
      setImportWorker(null);
    }
    expect(await t.ctx.db.selectFrom('population_list').selectAll().execute()).toEqual([]);
  });

  it('puts every person in exactly one category, matched by the ID-number HMAC', async () => {
    const res = await upload(adminA, world.countyA.id, csv('铁西区适龄儿童户籍名单'));
    expect(res.statusCode, res.body).toBe(200);
    result = res.json<CrosscheckResult>();
    expect(result.kind).toBe('hukou');
    expect(result.counts).toEqual({
      listed: 11,
      enrolledHere: 1,
      enrolledElsewhere: 1,
      exempt: 1,
      outOfSchool: 3,
      dropout: 1,
      povertyDropout: 1,
      unmatched: 3,
    });
    expect(result.rowErrors.map((e) => e.row)).toEqual([13]);
    // The list keeps no ID number in the clear.
    const stored = await t.ctx.db.selectFrom('population_person').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(ids.here);
    // It keeps the HMAC (to match) and the masked number (to show), no ciphertext; the staged rows are gone.
    expect(stored.every((p) => p.id_number_enc === null)).toBe(true);
    const valid = stored.filter((p) => p.id_number_hmac !== null);
    expect(valid.length).toBeGreaterThan(0);
    for (const p of valid) expect(p.id_number_masked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(stored.filter((p) => p.id_number_hmac === null).every((p) => p.id_number_masked === null)).toBe(
      true,
    );
    const staged = await sql<{ n: number }>`select count(*)::int as n from population_stage`.execute(
      t.ctx.db,
    );
    expect(staged.rows[0]!.n).toBe(0);
    expect((await auditEvents(t.ctx, 'dropout.crosscheck')).length).toBe(1);
  });

  it('reconciles per town and county', () => {
    expect(sum(result.counts)).toBe(result.counts.listed);
    const [county] = result.counties;
    expect(county).toMatchObject({ code: '220302', listed: 11 });
    for (const c of result.counties) {
      expect(sum(c)).toBe(c.listed);
      expect(c.towns.reduce((n, x) => n + x.listed, 0)).toBe(c.listed);
      for (const town of c.towns) expect(sum(town)).toBe(town.listed);
    }
    expect(county!.towns.map((x) => [x.name, x.listed])).toEqual([
      ['未填乡镇', 2],
      ['仁兴街道', 5],
      ['英雄街道', 4],
    ]);
  });

  it('drills down to the persons of a category, ID numbers masked', async () => {
    const page = (
      await adminA.get(`/api/dropout/population-lists/${result.listId}/persons?category=outOfSchool`)
    ).json<PopulationPersonPage>();
    expect(page.items.map((p) => p.name)).toEqual(['己', '庚', '壬']);
    expect(page.items[0]!.idNumber).toMatch(/^220302\*{8}\d{3}[\dX]$/);
    const dropouts = (
      await adminA.get(`/api/dropout/population-lists/${result.listId}/persons?category=dropout`)
    ).json<PopulationPersonPage>();
    expect(dropouts.items[0]).toMatchObject({ name: '丙', schoolName: '铁西区第二小学' });
    expectError(await adminB.get(`/api/dropout/population-lists/${result.listId}`), 404, 'NOT_FOUND');
  });
});

describe('a 脱贫户 list and a city list', () => {
  it('counts every dropout on a 脱贫户 list as a poverty-household dropout', async () => {
    const res = await upload(adminA, world.countyA.id, csv('铁西区脱贫户义务教育阶段子女名单'));
    const r = res.json<CrosscheckResult>();
    expect(r.kind).toBe('poverty');
    expect(r.counts).toMatchObject({ dropout: 0, povertyDropout: 2, listed: 11 });
  });

  it('at the city, a student in county B is enrolled here', async () => {
    const res = await upload(city, world.city.id, csv(null));
    const r = res.json<CrosscheckResult>();
    expect(r.counts).toMatchObject({ enrolledHere: 2, enrolledElsewhere: 0, listed: 11 });
    expect(sum(r.counts)).toBe(11);
  });
});
