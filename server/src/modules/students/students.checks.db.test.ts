import type { StudentCheckPage, StudentDetail } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectError, expectUnchanged } from '../../../test/helpers.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { currentSchoolYear, identityColumns } from './students.service.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;
let leaderA: Client;

const ID_OK = generateIdNumber('220302', '2018-03-03', 'M', 1);
const ID_BIRTH = generateIdNumber('220302', '2016-03-01', 'F', 1);
const ID_SEX = generateIdNumber('220303', '2017-07-07', 'M', 2);
const ID_TWICE = generateIdNumber('220302', '2018-01-15', 'F', 5);
const ID_GRADUATED = generateIdNumber('220302', '2015-05-05', 'M', 1);

const ids: Record<string, string> = {};

/** A row as an import would write it: straight into the table, past the form's 一人一籍 check. */
async function importRow(schoolId: string, county: string, status: 'enrolled' | 'graduated') {
  const id = randomUUID();
  await t.ctx.db
    .insertInto('student')
    .values({
      id,
      school_id: schoolId,
      county_code: county,
      class_id: null,
      student_no: null,
      ...identityColumns(t.ctx.vault, ID_TWICE),
      name: '丁重复',
      name_initials: 'dcf',
      sex: 'F',
      birth_date: '2018-01-15',
      ethnicity: null,
      hukou_region_code: null,
      address: null,
      stage: 'primary',
      grade: 3,
      enrolled_on: null,
      status,
      disability_category: null,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  city = await loginAs(app, u.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  schoolA1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  schoolA2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  leaderA = await loginAs(app, u.leaderA.username, PASSWORD);

  const enrol = async (key: string, body: Record<string, unknown>) => {
    const res = await schoolA1.post('/api/students', { schoolId: world.schoolA1.id, ...body });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json<StudentDetail>().id;
  };
  // Consistent: the ID agrees, grade 3 at 8.
  await enrol('ok', { name: '甲一致', idNumber: ID_OK, grade: 3 });
  // The ID says 2016-03-01, the record 2016-04-01.
  await enrol('birth', { name: '乙生日', idNumber: ID_BIRTH, birthDate: '2016-04-01', grade: 4 });
  // The ID says male, the record female.
  await enrol('sex', { name: '丙性别', idNumber: ID_SEX, sex: 'F', grade: 3 });
  // Enrolled at A1 by the form, and at B1 by an import; a graduated record at A2 does not count.
  await enrol('twiceA', { name: '丁重复', idNumber: ID_TWICE, grade: 3 });
  ids.twiceB = await importRow(world.schoolB1.id, '220303', 'enrolled');
  ids.graduatedA2 = await importRow(world.schoolA2.id, '220302', 'graduated');
  // Grade 1 at 9 on 31 August 2026: three years above 6, reported. At 8 (two above): not.
  await enrol('over', { name: '戊超龄', sex: 'M', birthDate: '2017-06-01', grade: 1 });
  await enrol('edge', { name: '己正常', sex: 'F', birthDate: '2018-06-01', grade: 1 });
  // A mismatch on a graduate is history, not a problem to fix.
  await enrol('graduated', { name: '庚毕业', idNumber: ID_GRADUATED, birthDate: '2015-06-05', grade: 6 });
  const g = await schoolA1.post(`/api/students/${ids.graduated}/status`, {
    status: 'graduated',
    effectiveOn: '2026-07-01',
    reason: '小学毕业',
  });
  expect(g.statusCode).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const checks = async (c: Client, query = '') => {
  const res = await c.get(`/api/students/checks?schoolYear=2026&pageSize=100${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<StudentCheckPage>();
};
const rows = (p: StudentCheckPage) => p.items.map((r) => `${r.type}:${r.student.name}@${r.school.code}`);

describe('the consistency report', () => {
  it('finds each rule with the data that breaks it, and not with the data that does not', () =>
    expectUnchanged(t.ctx, async () => {
      const p = await checks(adminA);
      expect(p.counts).toEqual({
        id_birth_mismatch: 1,
        id_sex_mismatch: 1,
        duplicate_enrolment: 1,
        over_age: 1,
      });
      expect(p.total).toBe(4);
      expect(p.schoolYear).toBe('2026');
      expect(rows(p)).toEqual([
        'duplicate_enrolment:丁重复@1220200001',
        'id_birth_mismatch:乙生日@1220200001',
        'id_sex_mismatch:丙性别@1220200001',
        'over_age:戊超龄@1220200001',
      ]);
      const by = Object.fromEntries(p.items.map((r) => [r.type, r]));
      expect(by.id_birth_mismatch).toMatchObject({
        student: { id: ids.birth, birthDate: '2016-04-01', status: 'enrolled' },
        expected: '2016-03-01',
        otherSchools: [],
        age: null,
      });
      expect(by.id_sex_mismatch).toMatchObject({ student: { id: ids.sex, sex: 'F' }, expected: 'M' });
      // The other school is named (name and code only), whichever county it lies in.
      expect(by.duplicate_enrolment).toMatchObject({
        student: { id: ids.twiceA },
        otherSchools: [{ name: '铁东区实验小学', code: '1220300001' }],
      });
      expect(by.over_age).toMatchObject({ student: { id: ids.over, grade: 1 }, age: 9, normalAge: 6 });
      for (const r of p.items) expect(r.student.idNumberMasked ?? '').not.toMatch(/\d{8}/);
    }));

  it('a duplicate shows in both counties, each its own record and the other school', () =>
    expectUnchanged(t.ctx, async () => {
      const b = await checks(adminB);
      expect(rows(b)).toEqual(['duplicate_enrolment:丁重复@1220300001']);
      expect(b.items[0]!.student.id).toBe(ids.twiceB);
      expect(b.items[0]!.otherSchools).toEqual([{ name: '铁西区实验小学', code: '1220200001' }]);
      expect(JSON.stringify(b)).not.toContain(ids.twiceA);
      const all = await checks(city, '&type=duplicate_enrolment');
      expect(rows(all)).toEqual([
        'duplicate_enrolment:丁重复@1220200001',
        'duplicate_enrolment:丁重复@1220300001',
      ]);
      // A2 holds only a graduated record of that child: nothing to report there.
      const a2 = await checks(schoolA2);
      expect(a2.total).toBe(0);
      expect(a2.counts).toEqual({
        id_birth_mismatch: 0,
        id_sex_mismatch: 0,
        duplicate_enrolment: 0,
        over_age: 0,
      });
    }));

  it('the ID number’s birth date is shown only to those who may reveal it', () =>
    expectUnchanged(t.ctx, async () => {
      const p = await checks(leaderA, '&type=id_birth_mismatch');
      expect(p.items.map((r) => [r.student.id, r.expected])).toEqual([[ids.birth, null]]);
      expect(JSON.stringify(p)).not.toContain('2016-03-01');
      expect((await checks(leaderA, '&type=id_sex_mismatch')).items[0]!.expected).toBe('M');
    }));

  it('filters by type, area and school year; pages; refuses what is out of scope', () =>
    expectUnchanged(t.ctx, async () => {
      const over = await checks(adminA, '&type=over_age');
      expect(rows(over)).toEqual(['over_age:戊超龄@1220200001']);
      expect(over.total).toBe(1);
      expect(over.counts.id_birth_mismatch).toBe(1);
      // A year earlier the same child was 8 in grade 1: two years above, not reported.
      const lastYear = await adminA.get('/api/students/checks?type=over_age&schoolYear=2025');
      expect(lastYear.json<StudentCheckPage>().total).toBe(0);
      expect((await checks(city, `&under=${world.countyB.id}`)).total).toBe(1);
      expect((await checks(city, `&under=${world.schoolA1.id}`)).total).toBe(4);
      expect((await checks(schoolA1, `&under=${world.schoolA1.id}`)).total).toBe(4);
      const page2 = (
        await adminA.get('/api/students/checks?schoolYear=2026&pageSize=1&page=2')
      ).json<StudentCheckPage>();
      expect([page2.total, page2.items.length, page2.items[0]!.type]).toEqual([4, 1, 'id_birth_mismatch']);
      const past = (
        await adminA.get('/api/students/checks?schoolYear=2026&pageSize=10&page=9')
      ).json<StudentCheckPage>();
      expect([past.total, past.items.length, past.counts.over_age]).toEqual([4, 0, 1]);
      const dflt = (await adminA.get('/api/students/checks')).json<StudentCheckPage>();
      expect(dflt.schoolYear).toBe(String(currentSchoolYear()));
      expectError(await adminA.get(`/api/students/checks?under=${world.countyB.id}`), 404, 'NOT_FOUND');
      expectError(await schoolA2.get(`/api/students/checks?under=${world.schoolA1.id}`), 404, 'NOT_FOUND');
      expectError(await adminA.get('/api/students/checks?type=everything'), 400, 'VALIDATION');
      expectError(await adminA.get('/api/students/checks?schoolYear=26'), 400, 'VALIDATION');
    }));

  it('a correction clears the report', async () => {
    const res = await schoolA1.patch(`/api/students/${ids.birth}`, { birthDate: '2016-03-01' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await checks(adminA)).counts.id_birth_mismatch).toBe(0);
  });
});
