import type { AuditPage, SchoolClass, StudentDetail, Transfer, TransferPage } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;
let schoolB1: Client;
let teacherA1: Client;

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
  schoolB1 = await loginAs(app, u.schoolAdminB1.username, PASSWORD);
  teacherA1 = await loginAs(app, u.teacherA1.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

let seq = 0;
async function enrol(name: string, extra: Record<string, unknown> = {}): Promise<StudentDetail> {
  const res = await schoolA1.post('/api/students', {
    schoolId: world.schoolA1.id,
    name,
    idNumber: generateIdNumber('220302', '2016-09-09', 'F', seq++),
    grade: 4,
    enrolledOn: '2022-09-01',
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<StudentDetail>();
}
const transfers = async (c: Client, query = '') => {
  const res = await c.get(`/api/transfers${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TransferPage>();
};
const ids = (p: TransferPage) => p.items.map((x) => x.id);
const studentRow = (id: string) =>
  t.ctx.db.selectFrom('student').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('a transfer across counties: A1 (铁西区) → B1 (铁东区)', () => {
  let kid: StudentDetail;
  let tr: Transfer;

  beforeAll(async () => {
    const cls = await schoolA1.post('/api/classes', {
      schoolId: world.schoolA1.id,
      schoolYear: '2026',
      grade: 4,
      name: '2班',
    });
    kid = await enrol('周转学', { classId: cls.json<SchoolClass>().id });
  });

  it('the leaving school requests it, naming the receiving school by its code', async () => {
    const res = await schoolA1.post('/api/transfers', {
      studentId: kid.id,
      toSchoolCode: '1220300001',
      reason: '随父母迁居铁东区',
    });
    expect(res.statusCode, res.body).toBe(201);
    tr = res.json<Transfer>();
    expect(tr).toMatchObject({
      status: 'pending',
      reason: '随父母迁居铁东区',
      student: { id: kid.id, name: '周转学', idNumberMasked: kid.idNumberMasked, grade: 4 },
      fromSchool: { id: world.schoolA1.id, name: '铁西区实验小学', code: '1220200001' },
      toSchool: { id: world.schoolB1.id, name: '铁东区实验小学', code: '1220300001' },
      requestedBy: '测试a1admin',
      decidedAt: null,
      actions: { confirm: false, reject: false, cancel: true },
    });
    expect(Object.keys(tr.toSchool).sort()).toEqual(['code', 'id', 'name']);
    expect((await auditEvents(t.ctx, 'student.transfer.request')).at(-1)).toMatchObject({
      object_id: tr.id,
      unit_id: world.schoolA1.id,
      after: { studentId: kid.id, toSchool: { code: '1220300001' }, reason: '随父母迁居铁东区' },
    });
  });

  it('both sides see it; others do not; the receiving side sees the transfer but not yet the student', () =>
    expectUnchanged(t.ctx, async () => {
      expect(ids(await transfers(schoolA1))).toContain(tr.id);
      expect(ids(await transfers(schoolA1, '?direction=out&status=pending'))).toEqual([tr.id]);
      expect(ids(await transfers(schoolA1, '?direction=in'))).toEqual([]);
      expect(ids(await transfers(teacherA1))).toContain(tr.id);
      for (const c of [adminB, schoolB1]) {
        const page = await transfers(c, '?direction=in');
        expect(ids(page)).toEqual([tr.id]);
        expect(page.items[0]!.actions).toEqual({ confirm: true, reject: true, cancel: false });
        expect(page.items[0]!.student.name).toBe('周转学');
        expectError(await c.get(`/api/students/${kid.id}`), 404, 'NOT_FOUND');
      }
      expect(ids(await transfers(adminB, `?schoolId=${world.schoolB1.id}`))).toEqual([tr.id]);
      expectError(await adminB.get(`/api/transfers?schoolId=${world.schoolA1.id}`), 404, 'NOT_FOUND');
      expect(ids(await transfers(schoolA2))).toEqual([]);
      expect((await transfers(city)).total).toBe(1);
    }));

  it('while it is open: no second request, no status change; only the receiving side decides', () =>
    expectUnchanged(t.ctx, async () => {
      expectError(
        await schoolA1.post('/api/transfers', {
          studentId: kid.id,
          toSchoolCode: '1220200002',
          reason: '再转',
        }),
        409,
        'STUDENT_TRANSFER_PENDING',
      );
      expectError(
        await schoolA1.post(`/api/students/${kid.id}/status`, {
          status: 'suspended',
          effectiveOn: '2025-05-05',
          reason: '休学',
        }),
        409,
        'STUDENT_TRANSFER_PENDING',
      );
      expectError(await schoolA1.post(`/api/transfers/${tr.id}/confirm`), 403, 'FORBIDDEN');
      expectError(await adminA.post(`/api/transfers/${tr.id}/reject`, { reason: '不行' }), 403, 'FORBIDDEN');
      expectError(await adminB.post(`/api/transfers/${tr.id}/cancel`), 403, 'FORBIDDEN');
      expectError(await teacherA1.post(`/api/transfers/${tr.id}/cancel`), 403, 'FORBIDDEN');
      expectError(await schoolA2.post(`/api/transfers/${tr.id}/confirm`), 404, 'NOT_FOUND');
      expectError(await schoolB1.post(`/api/transfers/${tr.id}/reject`, {}), 400, 'VALIDATION');
    }));

  it('the receiving school confirms: the student moves county, leaves the class, history on both sides', async () => {
    const res = await schoolB1.post(`/api/transfers/${tr.id}/confirm`, { reason: '材料齐全' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Transfer>()).toMatchObject({
      status: 'confirmed',
      decidedBy: '测试b1admin',
      decisionReason: '材料齐全',
      actions: { confirm: false, reject: false, cancel: false },
    });
    expect(await studentRow(kid.id)).toMatchObject({
      school_id: world.schoolB1.id,
      county_code: '220303',
      class_id: null,
      status: 'enrolled',
    });

    const detail = await adminB.get(`/api/students/${kid.id}`);
    expect(detail.statusCode).toBe(200);
    const d = detail.json<StudentDetail>();
    expect(d).toMatchObject({ school: { id: world.schoolB1.id }, classId: null, status: 'enrolled' });
    expect(d.history.map((e) => [e.kind, e.statusFrom, e.statusTo, e.school.code, e.transferId])).toEqual([
      ['enrol', null, 'enrolled', '1220200001', null],
      ['transfer_out', 'enrolled', 'transferred_out', '1220200001', tr.id],
      ['transfer_in', 'transferred_out', 'enrolled', '1220300001', tr.id],
    ]);
    expect(d.transfers.map((x) => [x.id, x.status])).toEqual([[tr.id, 'confirmed']]);

    // Each county's audit trail holds its half of the move.
    expect((await auditEvents(t.ctx, 'student.transfer.confirm')).at(-1)).toMatchObject({
      object_id: tr.id,
      unit_id: world.schoolB1.id,
      actor_user_id: world.users.schoolAdminB1.id,
    });
    expect((await auditEvents(t.ctx, 'student.transfer.out')).at(-1)).toMatchObject({
      object_id: tr.id,
      unit_id: world.schoolA1.id,
    });
    const trail = async (c: Client) =>
      (await c.get('/api/audit?action=student.transfer&pageSize=100'))
        .json<AuditPage>()
        .items.map((e) => e.action)
        .sort();
    expect(await trail(adminA)).toEqual(['student.transfer.out', 'student.transfer.request']);
    expect(await trail(adminB)).toEqual(['student.transfer.confirm']);
  });

  it('afterwards: the old side sees the settled transfer but no longer the student; it cannot be undone', () =>
    expectUnchanged(t.ctx, async () => {
      expectError(await adminA.get(`/api/students/${kid.id}`), 404, 'NOT_FOUND');
      expectError(await schoolA1.get(`/api/students/${kid.id}`), 404, 'NOT_FOUND');
      const out = await transfers(adminA, '?status=confirmed');
      expect(out.items.map((x) => [x.id, x.toSchool.code])).toEqual([[tr.id, '1220300001']]);
      expect((await transfers(adminB, '?direction=in&status=confirmed')).total).toBe(1);
      expectError(await schoolB1.post(`/api/transfers/${tr.id}/confirm`), 409, 'TRANSFER_CLOSED');
      // (Sent without any body: confirm and cancel need none.)
      expectError(await schoolA1.request('POST', `/api/transfers/${tr.id}/cancel`), 409, 'TRANSFER_CLOSED');
      expectError(await schoolB1.request('POST', `/api/transfers/${tr.id}/confirm`), 409, 'TRANSFER_CLOSED');
      // The student is now B1's: A may not move them again.
      expectError(
        await schoolA1.post('/api/transfers', {
          studentId: kid.id,
          toSchoolCode: '1220200002',
          reason: '回来',
        }),
        404,
        'NOT_FOUND',
      );
    }));
});

describe('rejecting, cancelling and refusals', () => {
  it('the receiving school rejects with a reason; the student stays', async () => {
    const kid = await enrol('吴退回');
    // A county admin may name a school of the county by id.
    const req = await adminA.post('/api/transfers', {
      studentId: kid.id,
      toSchoolId: world.schoolA2.id,
      reason: '就近入学',
    });
    expect(req.statusCode, req.body).toBe(201);
    const tr = req.json<Transfer>();
    const res = await schoolA2.post(`/api/transfers/${tr.id}/reject`, { reason: '学位已满' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Transfer>()).toMatchObject({
      status: 'rejected',
      decisionReason: '学位已满',
      decidedBy: '测试a2admin',
    });
    expect(await studentRow(kid.id)).toMatchObject({ school_id: world.schoolA1.id, status: 'enrolled' });
    expect((await auditEvents(t.ctx, 'student.transfer.reject')).at(-1)).toMatchObject({
      object_id: tr.id,
      unit_id: world.schoolA2.id,
      before: { status: 'pending' },
      after: { status: 'rejected', reason: '学位已满' },
    });
    // History is untouched by a rejection; a new request is possible.
    const d = (await schoolA1.get(`/api/students/${kid.id}`)).json<StudentDetail>();
    expect(d.history.map((e) => e.kind)).toEqual(['enrol']);
    expect(d.transfers.map((x) => x.status)).toEqual(['rejected']);
  });

  it('the leaving school cancels its own request', async () => {
    const kid = await enrol('郑撤销');
    const tr = (
      await schoolA1.post('/api/transfers', { studentId: kid.id, toSchoolCode: '1220300001', reason: '迁居' })
    ).json<Transfer>();
    await expectUnchanged(t.ctx, async () => {
      expectError(await schoolA1.post(`/api/transfers/${tr.id}/cancel`, { why: 'x' }), 400, 'VALIDATION');
    });
    const res = await schoolA1.post(`/api/transfers/${tr.id}/cancel`, { reason: '家长改变主意' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Transfer>()).toMatchObject({ status: 'cancelled', decisionReason: '家长改变主意' });
    expect((await auditEvents(t.ctx, 'student.transfer.cancel')).at(-1)).toMatchObject({
      object_id: tr.id,
      unit_id: world.schoolA1.id,
    });
    await expectUnchanged(t.ctx, async () => {
      expectError(await schoolB1.post(`/api/transfers/${tr.id}/confirm`), 409, 'TRANSFER_CLOSED');
    });
  });

  it('bad requests change nothing', async () => {
    const kid = await enrol('冯拒绝');
    const graduated = await enrol('陈毕业');
    expect(
      (
        await schoolA1.post(`/api/students/${graduated.id}/status`, {
          status: 'graduated',
          effectiveOn: '2026-07-01',
          reason: '毕业',
        })
      ).statusCode,
    ).toBe(200);
    const body = { studentId: kid.id, reason: '迁居' };
    await expectUnchanged(t.ctx, async () => {
      // By id, only schools of one's own area: another county's school is named by its public code.
      expectError(
        await schoolA1.post('/api/transfers', { ...body, toSchoolId: world.schoolB1.id }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await schoolA1.post('/api/transfers', { ...body, toSchoolCode: '1229999999' }),
        404,
        'NOT_FOUND',
      );
      // A county bureau's code is no school.
      expectError(
        await schoolA1.post('/api/transfers', { ...body, toSchoolCode: '2203020000' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await schoolA1.post('/api/transfers', { ...body, toSchoolCode: '1220200001' }),
        400,
        'TRANSFER_SAME_SCHOOL',
      );
      expectError(
        await schoolA1.post('/api/transfers', {
          ...body,
          toSchoolCode: '1220300001',
          toSchoolId: world.schoolA2.id,
        }),
        400,
        'VALIDATION',
      );
      expectError(await schoolA1.post('/api/transfers', body), 400, 'VALIDATION');
      expectError(
        await schoolA1.post('/api/transfers', { ...body, toSchoolCode: '1220300001', reason: '' }),
        400,
        'VALIDATION',
      );
      expectError(
        await schoolA1.post('/api/transfers', {
          ...body,
          studentId: graduated.id,
          toSchoolCode: '1220300001',
        }),
        409,
        'STUDENT_NOT_ENROLLED',
      );
      expectError(
        await teacherA1.post('/api/transfers', { ...body, toSchoolCode: '1220300001' }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await adminB.post('/api/transfers', { ...body, toSchoolCode: '1220300001' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await schoolA2.post('/api/transfers', { ...body, toSchoolCode: '1220300001' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await adminA.post('/api/transfers/00000000-0000-4000-8000-000000000000/confirm'),
        404,
        'NOT_FOUND',
      );
    });
  });

  it('a disabled receiving school takes no transfers', async () => {
    const kid = await enrol('褚停用');
    const res = await adminA.post(`/api/units/${world.schoolA2.id}/disable`, { reason: '撤并' });
    expect(res.statusCode, res.body).toBe(200);
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await schoolA1.post('/api/transfers', {
          studentId: kid.id,
          toSchoolCode: '1220200002',
          reason: '迁居',
        }),
        409,
        'SCHOOL_DISABLED',
      );
    });
  });
});
