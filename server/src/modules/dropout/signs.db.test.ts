/**
 * Signs of made-up attendance (数据真实): a class at 100 % every day for weeks while its peers vary, and marks
 * for a student whose ID number is enrolled at another school (人籍分离).
 */
import type { Dashboard } from '@dudao/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../../test/fixtures.js';
import { openTestDb, type TestDb } from '../../../test/harness.js';
import { systemActor } from '../../platform/access/actor.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { createClass, createStudent } from '../students/students.service.js';
import { submitSheet } from './attendance.service.js';
import { dashboard } from './dashboard.service.js';
import { refreshSigns } from './signs.service.js';

let t: TestDb;
let world: World;
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };
const DAYS = ['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13', '2026-10-14'];
const MORE = ['2026-10-15', '2026-10-16', '2026-10-19', '2026-10-20'];

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  const cls = (name: string) =>
    createClass(t.ctx, sys, { schoolId: world.schoolA1.id, schoolYear: '2026', grade: 3, name }, origin);
  const perfect = await cls('1班');
  const varied = await cls('2班');
  const kid = (classId: string, name: string, idNumber?: string) =>
    createStudent(
      t.ctx,
      sys,
      {
        schoolId: world.schoolA1.id,
        classId,
        name,
        sex: 'M',
        birthDate: '2018-02-02',
        enrolledOn: '2026-09-01',
        ...(idNumber ? { idNumber } : {}),
      },
      origin,
    );
  for (const n of ['甲', '乙', '丙']) await kid(perfect.id, n);
  const id = generateIdNumber('220302', '2018-02-02', 'M', 7);
  const twin = await kid(varied.id, '人籍分离生', id);
  const other = await kid(varied.id, '丁');
  // The same ID number enrolled at A2 since September (data that came in outside the registry's checks).
  const a2 = await createStudent(
    t.ctx,
    sys,
    {
      schoolId: world.schoolA2.id,
      name: '人籍分离生',
      sex: 'M',
      birthDate: '2018-02-02',
      grade: 3,
      enrolledOn: '2026-09-01',
    },
    origin,
  );
  await t.ctx.db
    .updateTable('student')
    .set((eb) => ({
      id_number_hmac: eb.selectFrom('student').select('id_number_hmac').where('id', '=', twin.id),
      id_number_enc: eb.selectFrom('student').select('id_number_enc').where('id', '=', twin.id),
    }))
    .where('id', '=', a2.id)
    .execute();
  for (const [i, date] of [...DAYS, ...MORE].entries()) {
    await submitSheet(t.ctx, sys, { classId: perfect.id, date, marks: [] }, origin);
    await submitSheet(
      t.ctx,
      sys,
      {
        classId: varied.id,
        date,
        marks: [{ studentId: i % 2 ? twin.id : other.id, kind: i % 3 ? 'sick' : 'late' }],
      },
      origin,
    );
  }
});
afterAll(async () => {
  await t?.cleanup();
});

describe('signs of made-up data', () => {
  it('shows nothing before the daily job has computed the signs', async () => {
    const d = await dashboard(t.ctx, sys, { under: world.countyA.id, date: '2026-10-20' });
    expect(d.signs.filter((s) => s.kind !== 'reportMismatch')).toEqual([]);
  });

  it('flags the always-perfect class and the marks of a student enrolled elsewhere', async () => {
    // The daily job stores the signs of its day; the dashboard reads them.
    expect(await refreshSigns(t.ctx.db, '2026-10-14')).toEqual({
      perfectClass: 0,
      identicalSheets: 0,
      rosterConflict: 1,
    });
    const counts = await refreshSigns(t.ctx.db, '2026-10-20');
    expect(counts).toEqual({ perfectClass: 1, identicalSheets: 0, rosterConflict: 1 });
    const d: Dashboard = await dashboard(t.ctx, sys, { under: world.countyA.id, date: '2026-10-20' });
    const byKind = (k: string) => d.signs.filter((s) => s.kind === k);
    expect(byKind('perfectClass').map((s) => s.className)).toEqual(['1班']);
    expect(byKind('rosterConflict')).toHaveLength(1);
    expect(byKind('rosterConflict')[0]!.detail).toContain('铁西区第二小学');
    // Too few days (before 10 sheets) is not yet a sign: the run of 14 October says so, and a day without
    // its own run (15 October) shows the latest run before it.
    for (const date of ['2026-10-14', '2026-10-15']) {
      const early = await dashboard(t.ctx, sys, { under: world.countyA.id, date });
      expect(early.signs.filter((s) => s.kind === 'perfectClass')).toEqual([]);
      expect(early.signs.filter((s) => s.kind === 'rosterConflict')).toHaveLength(1);
    }
    // Another county sees none of them; a re-run of the day replaces its signs (no duplicates).
    const other = await dashboard(t.ctx, sys, { under: world.countyB.id, date: '2026-10-20' });
    expect(other.signs).toEqual([]);
    await refreshSigns(t.ctx.db, '2026-10-20');
    const again = await dashboard(t.ctx, sys, { under: world.countyA.id, date: '2026-10-20' });
    expect(again.signs).toEqual(d.signs);
  });

  it('flags a class whose exceptions are the same on different days, and only then', async () => {
    const cls = await createClass(
      t.ctx,
      sys,
      { schoolId: world.schoolA1.id, schoolYear: '2026', grade: 3, name: '3班' },
      origin,
    );
    const kid = (name: string) =>
      createStudent(
        t.ctx,
        sys,
        {
          schoolId: world.schoolA1.id,
          classId: cls.id,
          name,
          sex: 'F',
          birthDate: '2018-03-03',
          enrolledOn: '2026-09-01',
        },
        origin,
      );
    const [wu, ji, geng] = [await kid('戊'), await kid('己'), await kid('庚')];
    const sheet = (date: string, marks: { studentId: string; kind: 'sick' | 'personal' | 'unexcused' }[]) =>
      submitSheet(t.ctx, sys, { classId: cls.id, date, marks }, origin);
    await sheet('2026-10-08', [
      { studentId: wu.id, kind: 'unexcused' },
      { studentId: ji.id, kind: 'sick' },
    ]);
    await sheet('2026-10-09', [
      { studentId: wu.id, kind: 'unexcused' },
      { studentId: ji.id, kind: 'sick' },
    ]);
    // The same students with another kind, and the same kinds with another student: not the same list.
    await sheet('2026-10-12', [
      { studentId: wu.id, kind: 'unexcused' },
      { studentId: ji.id, kind: 'personal' },
    ]);
    await sheet('2026-10-13', [
      { studentId: wu.id, kind: 'unexcused' },
      { studentId: geng.id, kind: 'sick' },
    ]);
    // Entered in another order: the same list.
    await sheet('2026-10-14', [
      { studentId: ji.id, kind: 'sick' },
      { studentId: wu.id, kind: 'unexcused' },
    ]);
    const counts = await refreshSigns(t.ctx.db, '2026-10-20');
    expect(counts.identicalSheets).toBe(1);
    const d = await dashboard(t.ctx, sys, { under: world.countyA.id, date: '2026-10-20' });
    const same = d.signs.filter((s) => s.kind === 'identicalSheets');
    expect(same.map((s) => [s.className, s.detail])).toEqual([
      ['3班', '2026-10-08、2026-10-09、2026-10-14 的考勤异常名单完全相同'],
    ]);
    // Outside the 28 days before the run, the days no longer count.
    expect((await refreshSigns(t.ctx.db, '2026-11-10')).identicalSheets).toBe(0);
  });
});
