/** The demo's attendance: head teachers, sheets on school days only, marks, and cases raised by the scan. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../../test/fixtures.js';
import { openTestDb, type TestDb } from '../../../test/harness.js';
import { systemActor } from '../../platform/access/actor.js';
import { createClass, createStudent } from '../students/students.service.js';
import { seedDropoutDemo } from './dropout.demo.js';

let t: TestDb;
let world: World;
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  for (const school of [world.schoolA1, world.schoolA2]) {
    const cls = await createClass(
      t.ctx,
      sys,
      { schoolId: school.id, schoolYear: '2026', grade: 2, name: '1班' },
      origin,
    );
    for (let i = 0; i < 8; i++)
      await createStudent(
        t.ctx,
        sys,
        {
          schoolId: school.id,
          classId: cls.id,
          name: `演示${i}`,
          sex: 'F',
          birthDate: '2019-01-01',
          enrolledOn: '2026-09-01',
        },
        origin,
      );
  }
});
afterAll(async () => {
  await t?.cleanup();
});

describe('seedDropoutDemo', () => {
  it('writes sheets on school days only and raises the students who stopped coming', async () => {
    const r = await seedDropoutDemo(t.ctx, { today: '2026-10-13' });
    expect(r.sheets).toBeGreaterThan(20);
    const days = await t.ctx.db.selectFrom('attendance_sheet').select('day').distinct().execute();
    // The National Day holiday has no sheets; the make-up Saturday does.
    expect(days.map((d) => d.day)).not.toContain('2026-10-05');
    expect(days.map((d) => d.day)).toContain('2026-10-10');
    const cases = await t.ctx.db.selectFrom('dropout_case').select(['reason', 'school_id']).execute();
    expect(cases.filter((c) => c.reason === 'consecutiveAbsence').length).toBeGreaterThanOrEqual(2);
    const heads = await t.ctx.db
      .selectFrom('school_class')
      .select('head_teacher_user_id')
      .where('school_id', '=', world.schoolA1.id)
      .execute();
    expect(heads[0]!.head_teacher_user_id).toBe(world.users.teacherA1.id);
  });

  it('works cases through the workflow and cross-checks a list, once', async () => {
    const statuses = await t.ctx.db.selectFrom('dropout_case').select('status').execute();
    expect(new Set(statuses.map((c) => c.status))).toEqual(new Set(['suspected', 'dropout', 'verifying']));
    const lists = await t.ctx.db.selectFrom('population_list').select(['counts']).execute();
    expect(lists).toHaveLength(1);
    const counts = (lists[0]!.counts as { counts: Record<string, number> }).counts;
    expect(counts).toMatchObject({ listed: 7, exempt: 2, outOfSchool: 4, unmatched: 1 });
    const events = await t.ctx.db.selectFrom('dropout_case_event').select('id').execute();
    await seedDropoutDemo(t.ctx, { today: '2026-10-13' });
    expect(await t.ctx.db.selectFrom('dropout_case_event').select('id').execute()).toHaveLength(
      events.length,
    );
    expect(await t.ctx.db.selectFrom('population_list').select('id').execute()).toHaveLength(1);
  });
});
