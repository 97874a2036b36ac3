import type { SchoolClass, StudentDetail, StudentPage, StudentReveal } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditCount, auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { generateIdNumber, idNumberCheckChar } from '../../platform/crypto/id-number.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;
let teacherA1: Client;
let leaderA: Client;
let inspectorA: Client;

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
  teacherA1 = await loginAs(app, u.teacherA1.username, PASSWORD);
  leaderA = await loginAs(app, u.leaderA.username, PASSWORD);
  inspectorA = await loginAs(app, u.inspectorA.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

/** An ID number whose check character is X (the search must accept a lower-case x). */
function idEndingInX(region: string, birth: string, sex: 'M' | 'F'): string {
  for (let seq = 0; seq < 499; seq++) {
    const n = generateIdNumber(region, birth, sex, seq);
    if (n.endsWith('X')) return n;
  }
  throw new Error('no X');
}

const ID_ZSF = generateIdNumber('220302', '2017-05-12', 'M', 3);
const ID_OTHER = idEndingInX('220302', '2019-02-03', 'F');
const masked = (n: string) => `${n.slice(0, 6)}********${n.slice(14)}`;

const studentRow = (id: string) =>
  t.ctx.db.selectFrom('student').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const created = async (c: Client, body: Record<string, unknown>) => {
  const res = await c.post('/api/students', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<StudentDetail>();
};
const list = async (c: Client, query: string) => {
  const res = await c.get(`/api/students${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<StudentPage>();
};
const names = (p: StudentPage) => p.items.map((s) => s.name);

let zsf: StudentDetail;

describe('enrolling a student', () => {
  it('a school admin enrols a student: 201, sex and birth date from the ID number, encrypted, audited', async () => {
    const before = await auditCount(t.ctx);
    zsf = await created(schoolA1, {
      schoolId: world.schoolA1.id,
      name: '张三丰',
      idNumber: ` ${ID_ZSF.slice(0, 6)} ${ID_ZSF.slice(6)} `,
      studentNo: `g${ID_ZSF}`,
      ethnicity: '满族',
      hukouRegionCode: '220302',
      address: '吉林省四平市铁西区英雄大路 8 号',
      grade: 3,
      enrolledOn: '2023-09-01',
      flags: { leftBehind: true },
      guardians: [
        { name: '张大山', relation: 'father', phone: '13912345678' },
        { name: '李秀英', relation: 'mother' },
      ],
    });
    expect(zsf).toMatchObject({
      name: '张三丰',
      sex: 'M',
      birthDate: '2017-05-12',
      idNumberMasked: masked(ID_ZSF),
      // The G number embeds the ID number: its birth-date digits are masked too.
      studentNo: `G${ID_ZSF.slice(0, 6)}********${ID_ZSF.slice(14)}`,
      school: { id: world.schoolA1.id, name: '铁西区实验小学', code: '1220200001' },
      classId: null,
      stage: 'primary',
      grade: 3,
      status: 'enrolled',
      flags: { povertyHousehold: false, leftBehind: true, migrant: false, disabled: false, orphan: false },
      disabilityCategory: null,
      ethnicity: '满族',
      hukouRegionCode: '220302',
      hukouRegionName: '铁西区',
      enrolledOn: '2023-09-01',
      guardians: [
        { name: '张大山', relation: 'father', phone: '13912345678' },
        { name: '李秀英', relation: 'mother', phone: null },
      ],
      transfers: [],
    });
    expect(zsf.history).toMatchObject([
      {
        kind: 'enrol',
        statusFrom: null,
        statusTo: 'enrolled',
        effectiveOn: '2023-09-01',
        school: { id: world.schoolA1.id, code: '1220200001' },
        actorName: '测试a1admin',
      },
    ]);
    expect(JSON.stringify(zsf)).not.toContain(ID_ZSF);

    const row = await studentRow(zsf.id);
    expect(row).toMatchObject({
      school_id: world.schoolA1.id,
      county_code: '220302',
      student_no: `G${ID_ZSF}`,
      id_number_hmac: t.ctx.vault.hmac(ID_ZSF),
      id_birth_date: '2017-05-12',
      id_sex: 'M',
      name_initials: 'zsf',
      sex: 'M',
      birth_date: '2017-05-12',
      left_behind: true,
    });
    expect(row.id_number_enc).not.toContain(ID_ZSF.slice(6, 14));
    expect(t.ctx.vault.decrypt(row.id_number_enc!)).toBe(ID_ZSF);

    expect(await auditCount(t.ctx)).toBe(before + 1);
    const ev = (await auditEvents(t.ctx, 'student.create')).at(-1)!;
    expect(ev).toMatchObject({
      actor_user_id: world.users.schoolAdminA1.id,
      unit_id: world.schoolA1.id,
      object_type: 'student',
      object_id: zsf.id,
      before: null,
      after: { name: '张三丰', idNumberMasked: masked(ID_ZSF), schoolId: world.schoolA1.id, grade: 3 },
    });
    expect(JSON.stringify(ev)).not.toContain(ID_ZSF);
  });

  it('without an ID number, sex and birth date are required; the stage follows the school and grade', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await schoolA1.post('/api/students', { schoolId: world.schoolA1.id, name: '无证', grade: 1 }),
        400,
        'STUDENT_IDENTITY_REQUIRED',
      );
    });
    const s = await created(schoolA1, {
      schoolId: world.schoolA1.id,
      name: '无证明',
      sex: 'F',
      birthDate: '2020-01-20',
      grade: 1,
    });
    expect(s).toMatchObject({ idNumberMasked: null, studentNo: null, stage: 'primary', grade: 1 });
    expect((await studentRow(s.id)).id_number_hmac).toBeNull();
  });

  it('bad input is 400 with a clear code and changes nothing', async () => {
    const base = { schoolId: world.schoolA1.id, name: '坏数据', sex: 'M', birthDate: '2018-02-02', grade: 2 };
    const badCheck = ID_ZSF.slice(0, 17) + (ID_ZSF[17] === '0' ? '1' : '0');
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, extra: 1 }, 400, 'VALIDATION'],
      [{ ...base, name: '<b>x</b>' }, 400, 'VALIDATION'],
      [{ ...base, sex: 'X' }, 400, 'VALIDATION'],
      [{ ...base, birthDate: '2018-02-30' }, 400, 'VALIDATION'],
      [{ ...base, ethnicity: '火星族' }, 400, 'VALIDATION'],
      [{ ...base, studentNo: '12345' }, 400, 'VALIDATION'],
      [{ ...base, guardians: [{ name: '王', relation: 'father', phone: '12345' }] }, 400, 'VALIDATION'],
      [{ ...base, guardians: [{ name: '王', relation: 'uncle' }] }, 400, 'VALIDATION'],
      [{ ...base, grade: 13 }, 400, 'VALIDATION'],
      [{ ...base, idNumber: badCheck }, 400, 'ID_CHECKSUM'],
      [{ ...base, idNumber: '220302170512003' }, 400, 'ID_FIFTEEN_DIGIT'],
      [{ ...base, idNumber: '4.40882E+17' }, 400, 'ID_FORMAT'],
      [{ ...base, birthDate: '2099-01-01' }, 400, 'STUDENT_BIRTH_DATE'],
      [{ ...base, enrolledOn: '2017-01-01' }, 400, 'STUDENT_DATE_OUT_OF_RANGE'],
      [{ ...base, grade: 9 }, 400, 'STUDENT_GRADE_INVALID'],
      [{ ...base, stage: 'junior', grade: 7 }, 400, 'STUDENT_STAGE_NOT_AT_SCHOOL'],
      [{ ...base, hukouRegionCode: '229999' }, 400, 'STUDENT_REGION_UNKNOWN'],
      [{ ...base, disabilityCategory: 'visual', flags: { disabled: false } }, 400, 'STUDENT_DISABILITY'],
      [{ ...base, idNumber: ID_OTHER, studentNo: `G${ID_ZSF}` }, 400, 'STUDENT_NO_ID_MISMATCH'],
      [{ ...base, studentNo: `G${ID_ZSF}` }, 409, 'STUDENT_NO_TAKEN'],
      // 一人一籍: the same child is already in school at A1.
      [{ ...base, idNumber: ID_ZSF }, 409, 'STUDENT_ALREADY_ENROLLED'],
    ];
    await expectUnchanged(t.ctx, async () => {
      for (const [body, status, code] of cases) {
        const res = await city.post('/api/students', body);
        expect({ body, code: res.json<{ code: string }>().code }).toEqual({ body, code });
        expectError(res, status, code);
      }
      const dup = expectError(
        await schoolA2.post('/api/students', { ...base, schoolId: world.schoolA2.id, idNumber: ID_ZSF }),
        409,
        'STUDENT_ALREADY_ENROLLED',
      );
      expect(dup.message).toContain('铁西区实验小学（1220200001）');
    });
  });

  it('who may not enrol is refused: 404 outside the area, 403 for readers', async () => {
    const body = { schoolId: world.schoolA1.id, name: '越权', sex: 'M', birthDate: '2018-02-02', grade: 2 };
    await expectUnchanged(t.ctx, async () => {
      expectError(await adminB.post('/api/students', body), 404, 'NOT_FOUND');
      expectError(await schoolA2.post('/api/students', body), 404, 'NOT_FOUND');
      expectError(await inspectorA.post('/api/students', body), 403, 'FORBIDDEN');
      expectError(await teacherA1.post('/api/students', body), 403, 'FORBIDDEN');
      expectError(await leaderA.post('/api/students', body), 403, 'FORBIDDEN');
      // A county bureau is not a school.
      expectError(
        await adminA.post('/api/students', { ...body, schoolId: world.countyA.id }),
        404,
        'NOT_FOUND',
      );
    });
  });
});

describe('reading, masking and revealing', () => {
  it('readers of the school see the student; others get 404 and lists without them', () =>
    expectUnchanged(t.ctx, async () => {
      for (const c of [schoolA1, adminA, city, teacherA1, leaderA, inspectorA]) {
        const res = await c.get(`/api/students/${zsf.id}`);
        expect(res.statusCode).toBe(200);
        expect(res.json<StudentDetail>().idNumberMasked).toBe(masked(ID_ZSF));
      }
      for (const c of [adminB, schoolA2]) {
        expectError(await c.get(`/api/students/${zsf.id}`), 404, 'NOT_FOUND');
        expect((await list(c, '?pageSize=500')).items.map((s) => s.id)).not.toContain(zsf.id);
        expect((await list(c, `?q=${ID_ZSF}`)).total).toBe(0);
      }
      expectError(await adminB.get(`/api/students?schoolId=${world.schoolA1.id}`), 404, 'NOT_FOUND');
      expectError(await adminB.get(`/api/students?under=${world.countyA.id}`), 404, 'NOT_FOUND');
      expectError(await schoolA1.get(`/api/students?under=${world.countyA.id}`), 404, 'NOT_FOUND');
      expectError(await adminA.get('/api/students/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    }));

  it('reveal: refused without the permission (403, nothing recorded); shown and audited with it', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(await teacherA1.post(`/api/students/${zsf.id}/reveal-id`), 403, 'FORBIDDEN');
      expectError(await leaderA.post(`/api/students/${zsf.id}/reveal-id`), 403, 'FORBIDDEN');
      expectError(await inspectorA.post(`/api/students/${zsf.id}/reveal-id`), 403, 'FORBIDDEN');
      expectError(await adminB.post(`/api/students/${zsf.id}/reveal-id`), 404, 'NOT_FOUND');
    });
    const res = await schoolA1.post(`/api/students/${zsf.id}/reveal-id`);
    expect(res.statusCode).toBe(200);
    expect(res.json<StudentReveal>()).toEqual({ idNumber: ID_ZSF, studentNo: `G${ID_ZSF}` });
    const ev = (await auditEvents(t.ctx, 'person.reveal')).at(-1)!;
    expect(ev).toMatchObject({
      actor_user_id: world.users.schoolAdminA1.id,
      object_type: 'student',
      object_id: zsf.id,
      unit_id: world.schoolA1.id,
      after: { field: 'id_number', masked: masked(ID_ZSF) },
    });
    expect(JSON.stringify(ev)).not.toContain(ID_ZSF);
  });
});

describe('classes and rosters', () => {
  let class3: SchoolClass;
  let class4: SchoolClass;

  it('a school admin opens classes (stage from the school, head teacher of the school), audited', async () => {
    const res = await schoolA1.post('/api/classes', {
      schoolId: world.schoolA1.id,
      schoolYear: '2026',
      grade: 3,
      name: '1班',
      headTeacherUserId: world.users.teacherA1.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    class3 = res.json<SchoolClass>();
    expect(class3).toMatchObject({
      school: { id: world.schoolA1.id, code: '1220200001' },
      schoolYear: '2026',
      stage: 'primary',
      grade: 3,
      name: '1班',
      headTeacher: { id: world.users.teacherA1.id, name: '测试a1teacher' },
      studentCount: 0,
    });
    expect((await auditEvents(t.ctx, 'class.create')).at(-1)).toMatchObject({
      object_id: class3.id,
      unit_id: world.schoolA1.id,
      after: { schoolYear: '2026', grade: 3, name: '1班', stage: 'primary' },
    });
    const res4 = await schoolA1.post('/api/classes', {
      schoolId: world.schoolA1.id,
      schoolYear: '2026',
      grade: 4,
      name: '1班',
    });
    expect(res4.statusCode).toBe(201);
    class4 = res4.json<SchoolClass>();
    expect(
      (
        await schoolA1.post('/api/classes', {
          schoolId: world.schoolA1.id,
          schoolYear: '2025',
          grade: 3,
          name: '2班',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('refusals: duplicate 409, foreign head teacher 400, readers 403, outsiders 404 — nothing changes', () =>
    expectUnchanged(t.ctx, async () => {
      const body = { schoolId: world.schoolA1.id, schoolYear: '2026', grade: 3, name: '1班' };
      expectError(await schoolA1.post('/api/classes', body), 409, 'CLASS_EXISTS');
      expectError(
        await schoolA1.post('/api/classes', {
          ...body,
          name: '9班',
          headTeacherUserId: world.users.schoolAdminA2.id,
        }),
        400,
        'HEAD_TEACHER_NOT_AT_SCHOOL',
      );
      expectError(
        await schoolA1.post('/api/classes', { ...body, name: '9班', grade: 8 }),
        400,
        'STUDENT_GRADE_INVALID',
      );
      expectError(await schoolA1.post('/api/classes', { ...body, schoolYear: '26' }), 400, 'VALIDATION');
      expectError(await teacherA1.post('/api/classes', { ...body, name: '9班' }), 403, 'FORBIDDEN');
      expectError(await adminB.post('/api/classes', { ...body, name: '9班' }), 404, 'NOT_FOUND');
      expectError(await adminB.get(`/api/classes?schoolId=${world.schoolA1.id}`), 404, 'NOT_FOUND');
      expectError(await adminB.get(`/api/classes/${class3.id}/roster`), 404, 'NOT_FOUND');
      expectError(await schoolA2.get(`/api/classes/${class3.id}/roster`), 404, 'NOT_FOUND');
    }));

  it('a student is placed in a class; moving to another grade needs a matching class', async () => {
    await expectUnchanged(t.ctx, async () => {
      // A grade-4 class for a grade-3 student is fine: the class brings its grade. A grade change alone is not.
      expectError(
        await schoolA1.patch(`/api/students/${zsf.id}`, { classId: class3.id, grade: 4 }),
        400,
        'STUDENT_CLASS_MISMATCH',
      );
    });
    const placed = await schoolA1.patch(`/api/students/${zsf.id}`, { classId: class3.id });
    expect(placed.statusCode, placed.body).toBe(200);
    expect(placed.json<StudentDetail>()).toMatchObject({ classId: class3.id, className: '1班', grade: 3 });
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await schoolA1.patch(`/api/students/${zsf.id}`, { grade: 4 }),
        400,
        'STUDENT_CLASS_MISMATCH',
      );
    });
    const moved = await schoolA1.patch(`/api/students/${zsf.id}`, { classId: class4.id });
    expect(moved.json<StudentDetail>()).toMatchObject({ classId: class4.id, grade: 4 });
    expect((await auditEvents(t.ctx, 'student.update')).at(-1)).toMatchObject({
      before: { classId: class3.id, grade: 3 },
      after: { classId: class4.id, grade: 4 },
    });
    const back = await schoolA1.patch(`/api/students/${zsf.id}`, { classId: class3.id });
    expect(back.json<StudentDetail>()).toMatchObject({ classId: class3.id, grade: 3 });
  });

  it('lists classes per school and year with counts; the roster lists the class', () =>
    expectUnchanged(t.ctx, async () => {
      const all = (await teacherA1.get(`/api/classes?schoolId=${world.schoolA1.id}`)).json<SchoolClass[]>();
      expect(all.map((c) => `${c.schoolYear}/${c.grade}/${c.name}/${c.studentCount}`)).toEqual([
        '2026/3/1班/1',
        '2026/4/1班/0',
        '2025/3/2班/0',
      ]);
      const y = (await adminA.get(`/api/classes?schoolId=${world.schoolA1.id}&schoolYear=2025`)).json<
        SchoolClass[]
      >();
      expect(y.map((c) => c.name)).toEqual(['2班']);
      const roster = await inspectorA.get(`/api/classes/${class3.id}/roster`);
      expect(roster.statusCode).toBe(200);
      expect(roster.json<{ class: SchoolClass; students: { id: string }[] }>()).toMatchObject({
        class: { id: class3.id, studentCount: 1 },
        students: [{ id: zsf.id }],
      });
      expect(names(await list(schoolA1, `?classId=${class3.id}`))).toEqual(['张三丰']);
      expectError(await schoolA2.get(`/api/students?classId=${class3.id}`), 404, 'NOT_FOUND');
    }));
});

describe('corrections', () => {
  it('a correction is audited with the changed fields only, before and after', async () => {
    const res = await schoolA1.patch(`/api/students/${zsf.id}`, {
      address: '铁西区北迎宾街 5 号',
      flags: { povertyHousehold: true },
      guardians: [{ name: '张大山', relation: 'father', phone: '13912345678' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<StudentDetail>()).toMatchObject({
      address: '铁西区北迎宾街 5 号',
      flags: { povertyHousehold: true, leftBehind: true },
      guardians: [{ name: '张大山' }],
    });
    const ev = (await auditEvents(t.ctx, 'student.update')).at(-1)!;
    expect(ev).toMatchObject({ actor_user_id: world.users.schoolAdminA1.id, unit_id: world.schoolA1.id });
    expect(Object.keys(ev.before as object).sort()).toEqual(['address', 'flags', 'guardians']);
    expect(ev.before).toMatchObject({
      address: '吉林省四平市铁西区英雄大路 8 号',
      flags: { povertyHousehold: false },
    });
    expect(ev.after).toMatchObject({ address: '铁西区北迎宾街 5 号', flags: { povertyHousehold: true } });
  });

  it('a new ID number is validated; a change hidden by the mask is still recorded as a change', async () => {
    await expectUnchanged(t.ctx, async () => {
      const bad = ID_ZSF.slice(0, 17) + (ID_ZSF[17] === '0' ? '1' : '0');
      expectError(await schoolA1.patch(`/api/students/${zsf.id}`, { idNumber: bad }), 400, 'ID_CHECKSUM');
      expectError(await schoolA1.patch(`/api/students/${zsf.id}`, {}), 400, 'VALIDATION');
      expectError(
        await schoolA1.patch(`/api/students/${zsf.id}`, { schoolId: world.schoolA2.id }),
        400,
        'VALIDATION',
      );
      expectError(
        await schoolA1.patch(`/api/students/${zsf.id}`, { birthDate: '2030-01-01' }),
        400,
        'STUDENT_BIRTH_DATE',
      );
      // The G number does not match another ID number.
      expectError(
        await schoolA1.patch(`/api/students/${zsf.id}`, { studentNo: `G${ID_OTHER}` }),
        400,
        'STUDENT_NO_ID_MISMATCH',
      );
      expectError(await teacherA1.patch(`/api/students/${zsf.id}`, { address: '老师改' }), 403, 'FORBIDDEN');
      expectError(await leaderA.patch(`/api/students/${zsf.id}`, { address: '领导改' }), 403, 'FORBIDDEN');
      expectError(await adminB.patch(`/api/students/${zsf.id}`, { address: '外县改' }), 404, 'NOT_FOUND');
    });
    // Same order code, another birth date: the masked forms may look alike, the audit still says it changed.
    const first17 = `${ID_ZSF.slice(0, 6)}20170513${ID_ZSF.slice(14, 17)}`;
    const next = first17 + idNumberCheckChar(first17);
    const res = await schoolA1.patch(`/api/students/${zsf.id}`, { idNumber: next, studentNo: null });
    expect(res.statusCode, res.body).toBe(200);
    const row = await studentRow(zsf.id);
    expect(row).toMatchObject({
      id_number_hmac: t.ctx.vault.hmac(next),
      id_birth_date: '2017-05-13',
      student_no: null,
    });
    const ev = (await auditEvents(t.ctx, 'student.update')).at(-1)!;
    expect(ev.before).toMatchObject({ idNumberMasked: masked(ID_ZSF) });
    expect(ev.after).toMatchObject({ idNumberMasked: masked(next), studentNo: null });
    expect(JSON.stringify(ev)).not.toContain(next);
    expect(JSON.stringify(ev)).not.toContain(ID_ZSF);
    // And back.
    expect(
      (await schoolA1.patch(`/api/students/${zsf.id}`, { idNumber: ID_ZSF, studentNo: `G${ID_ZSF}` }))
        .statusCode,
    ).toBe(200);
  });
});

describe('search', () => {
  beforeAll(async () => {
    const add = (schoolId: string, name: string, extra: Record<string, unknown> = {}) =>
      created(city, { schoolId, name, sex: 'F', birthDate: '2019-03-03', grade: 1, ...extra });
    await add(world.schoolA1.id, '张小明', { sex: 'M', flags: { leftBehind: true, migrant: true } });
    await add(world.schoolA2.id, '王小明', { sex: 'M', studentNo: 'L220302201903030011' });
    await add(world.schoolB1.id, '李思思');
    await add(world.schoolA1.id, '欧阳娜娜', { idNumber: ID_OTHER, birthDate: undefined, sex: undefined });
  });

  it('by name prefix, part of the name, pinyin initials, 学籍号 and full ID number', () =>
    expectUnchanged(t.ctx, async () => {
      expect(names(await list(city, '?q=张'))).toEqual(['张小明', '张三丰']);
      expect(names(await list(city, `?q=${encodeURIComponent('小明')}`)).sort()).toEqual(
        ['张小明', '王小明'].sort(),
      );
      expect(names(await list(city, `?q=${encodeURIComponent('娜娜')}`))).toEqual(['欧阳娜娜']);
      expect(names(await list(city, `?q=${encodeURIComponent('明')}`)).sort()).toEqual(
        ['张小明', '王小明', '无证明'].sort(),
      );
      expect(names(await list(city, `?q=${encodeURIComponent('三丰')}`))).toEqual(['张三丰']);
      expect(names(await list(city, '?q=zs'))).toEqual(['张三丰']);
      expect(names(await list(city, '?q=ZX'))).toEqual(['张小明']);
      expect(names(await list(city, '?q=oynn'))).toEqual(['欧阳娜娜']);
      expect(names(await list(city, '?q=lss'))).toEqual(['李思思']);
      expect(names(await list(city, `?q=G${ID_ZSF}`))).toEqual(['张三丰']);
      expect(names(await list(city, `?q=g${ID_ZSF.slice(0, 8)}`))).toEqual(['张三丰']);
      expect(names(await list(city, '?q=L220302201903030011'))).toEqual(['王小明']);
      expect(names(await list(city, `?q=${ID_ZSF}`))).toEqual(['张三丰']);
      // A lower-case x and spaces as people type them.
      expect(names(await list(city, `?q=${encodeURIComponent(ID_OTHER.toLowerCase())}`))).toEqual([
        '欧阳娜娜',
      ]);
      // Part of an ID number finds nothing: numbers are encrypted, only whole ones are looked up.
      expect((await list(city, `?q=${ID_ZSF.slice(0, 14)}`)).total).toBe(0);
      // The county admin of B finds only B's students, whatever the query.
      expect(names(await list(adminB, '?q=张'))).toEqual([]);
      expect(names(await list(adminB, '?q=lss'))).toEqual(['李思思']);
      expect(names(await list(schoolA2, '?q=wx'))).toEqual(['王小明']);
      expect(names(await list(schoolA2, '?q=xm'))).toEqual([]);
    }));

  it('filters: school, under, grade, status, flags; paging keeps the total', () =>
    expectUnchanged(t.ctx, async () => {
      expect(names(await list(city, `?under=${world.countyB.id}`))).toEqual(['李思思']);
      expect(
        (await list(city, `?under=${world.countyA.id}&pageSize=100`)).items.map((s) => s.school.code),
      ).not.toContain('1220300001');
      expect(names(await list(adminA, `?schoolId=${world.schoolA2.id}`))).toEqual(['王小明']);
      expect(names(await list(schoolA1, '?grade=1&q=z'))).toEqual(['张小明']);
      expect(names(await list(schoolA1, '?flags=left_behind'))).toEqual(['张小明', '张三丰']);
      expect(names(await list(schoolA1, '?flags=left_behind,migrant'))).toEqual(['张小明']);
      expect((await list(schoolA1, '?status=graduated')).total).toBe(0);
      expectError(await schoolA1.get('/api/students?flags=rich'), 400, 'VALIDATION');
      expectError(await schoolA1.get('/api/students?status=expelled'), 400, 'VALIDATION');
      const p1 = await list(city, '?pageSize=2&page=1');
      const p2 = await list(city, '?pageSize=2&page=2');
      const all = await list(city, '?pageSize=100');
      expect([p1.total, p2.total]).toEqual([all.total, all.total]);
      expect([...p1.items, ...p2.items].map((s) => s.id)).toEqual(all.items.slice(0, 4).map((s) => s.id));
      expect((await list(city, '?pageSize=2&page=99')).total).toBe(all.total);
    }));

  it('q with SQL characters is harmless', () =>
    expectUnchanged(t.ctx, async () => {
      for (const q of ["%' or 1=1 --", '%', '_', '\\', '张%', "'; drop table student;--"]) {
        expect((await list(city, `?q=${encodeURIComponent(q)}`)).total).toBe(0);
      }
    }));
});

describe('status changes and history', () => {
  let s: StudentDetail;
  beforeAll(async () => {
    s = await created(schoolA1, {
      schoolId: world.schoolA1.id,
      name: '赵休学',
      sex: 'F',
      birthDate: '2015-10-10',
      grade: 5,
      enrolledOn: '2022-09-01',
    });
  });
  const change = (c: Client, status: string, effectiveOn: string, reason = '家长申请') =>
    c.post(`/api/students/${s.id}/status`, { status, effectiveOn, reason });

  it('休学 → 复学 → 毕业, each with its date and reason in the history and the audit trail', async () => {
    const r1 = await change(schoolA1, 'suspended', '2025-03-01', '因病休学');
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json<StudentDetail>().status).toBe('suspended');
    expect((await auditEvents(t.ctx, 'student.status')).at(-1)).toMatchObject({
      object_id: s.id,
      unit_id: world.schoolA1.id,
      before: { status: 'enrolled' },
      after: { status: 'suspended', kind: 'suspend', effectiveOn: '2025-03-01', reason: '因病休学' },
    });
    expect((await change(adminA, 'enrolled', '2025-09-01', '病愈复学')).statusCode).toBe(200);
    const done = await change(schoolA1, 'graduated', '2026-07-01', '小学毕业');
    expect(done.statusCode).toBe(200);
    const d = done.json<StudentDetail>();
    expect(d.status).toBe('graduated');
    expect(d.history.map((e) => [e.kind, e.statusFrom, e.statusTo, e.effectiveOn, e.reason])).toEqual([
      ['enrol', null, 'enrolled', '2022-09-01', null],
      ['suspend', 'enrolled', 'suspended', '2025-03-01', '因病休学'],
      ['resume', 'suspended', 'enrolled', '2025-09-01', '病愈复学'],
      ['graduate', 'enrolled', 'graduated', '2026-07-01', '小学毕业'],
    ]);
    expect(d.history.every((e) => e.school.id === world.schoolA1.id)).toBe(true);
  });

  it('refusals: 辍学 belongs to the dropout module, bad transitions, bad dates, readers and outsiders', async () => {
    const other = await created(schoolA1, {
      schoolId: world.schoolA1.id,
      name: '钱在读',
      sex: 'M',
      birthDate: '2016-01-01',
      grade: 4,
    });
    const post = (c: Client, id: string, status: string, effectiveOn = '2025-05-05') =>
      c.post(`/api/students/${id}/status`, { status, effectiveOn, reason: '测试' });
    await expectUnchanged(t.ctx, async () => {
      expectError(await post(schoolA1, other.id, 'dropped_out'), 400, 'STATUS_RESERVED_FOR_DROPOUT');
      expectError(await post(schoolA1, other.id, 'enrolled'), 409, 'STUDENT_STATUS_UNCHANGED');
      expectError(await post(schoolA1, s.id, 'enrolled'), 409, 'STUDENT_STATUS_TRANSITION');
      expectError(
        await post(schoolA1, other.id, 'suspended', '2099-01-01'),
        400,
        'STUDENT_DATE_OUT_OF_RANGE',
      );
      expectError(
        await post(schoolA1, other.id, 'suspended', '2010-01-01'),
        400,
        'STUDENT_DATE_OUT_OF_RANGE',
      );
      expectError(await post(schoolA1, other.id, 'expelled'), 400, 'VALIDATION');
      expectError(
        await schoolA1.post(`/api/students/${other.id}/status`, {
          status: 'suspended',
          effectiveOn: '2025-05-05',
        }),
        400,
        'VALIDATION',
      );
      expectError(await post(teacherA1, other.id, 'suspended'), 403, 'FORBIDDEN');
      expectError(await post(leaderA, other.id, 'suspended'), 403, 'FORBIDDEN');
      expectError(await post(adminB, other.id, 'suspended'), 404, 'NOT_FOUND');
      expectError(await post(schoolA2, other.id, 'suspended'), 404, 'NOT_FOUND');
    });
    // 死亡 is final.
    expect((await post(schoolA1, other.id, 'deceased')).statusCode).toBe(200);
    await expectUnchanged(t.ctx, async () => {
      expectError(await post(schoolA1, other.id, 'enrolled'), 409, 'STUDENT_STATUS_TRANSITION');
    });
  });

  it('a child who left for a school outside Dudao can come back (转出 → 转入)', async () => {
    const c = await created(schoolA1, {
      schoolId: world.schoolA1.id,
      name: '孙外省',
      sex: 'M',
      birthDate: '2016-06-06',
      grade: 4,
      enrolledOn: '2022-09-01',
    });
    const out = await schoolA1.post(`/api/students/${c.id}/status`, {
      status: 'transferred_out',
      effectiveOn: '2025-02-20',
      reason: '转往外省就读',
    });
    expect(out.statusCode).toBe(200);
    const back = await schoolA1.post(`/api/students/${c.id}/status`, {
      status: 'enrolled',
      effectiveOn: '2025-09-01',
      reason: '返回本校就读',
    });
    expect(back.json<StudentDetail>().history.map((e) => e.kind)).toEqual([
      'enrol',
      'transfer_out',
      'transfer_in',
    ]);
  });

  it('the API document describes the registry routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
    for (const path of [
      '/api/students',
      '/api/students/checks',
      '/api/students/{id}',
      '/api/students/{id}/status',
      '/api/students/{id}/reveal-id',
      '/api/classes',
      '/api/classes/{id}/roster',
      '/api/transfers',
      '/api/transfers/{id}/confirm',
      '/api/transfers/{id}/reject',
      '/api/transfers/{id}/cancel',
    ])
      expect(Object.values(doc.paths[path] ?? {})[0]?.tags, path).toEqual(['students 学籍']);
    expect(doc.paths['/api/students/{id}']!.delete).toBeUndefined();
  });

  it('there is no way to delete a student', async () => {
    const res = await city.del(`/api/students/${s.id}`);
    expect(res.statusCode).toBe(404);
    expect((await studentRow(s.id)).id).toBe(s.id);
  });
});
