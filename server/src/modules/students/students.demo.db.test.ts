import { gradeInfo, type StudentStage } from '@dudao/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../../test/fixtures.js';
import { openTestDb, type TestDb } from '../../../test/harness.js';
import { auditEvents } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { validateIdNumber } from '../../platform/crypto/id-number.js';
import { generateStudents } from './students.demo.js';
import { currentSchoolYear, studentChecks } from './students.service.js';

let t: TestDb;
let world: World;

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
});
afterAll(async () => {
  await t?.cleanup();
});

const count = async (table: 'student' | 'school_class' | 'student_guardian' | 'student_status_event') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('generateStudents', () => {
  it('fills every school with classes and consistent students, in batches, with one audit event', async () => {
    const r = await generateStudents(t.ctx, { perSchool: 500, seed: 42 });
    expect(r.created).toBe(true);
    expect(r.schools).toBe(3);
    expect(r.students).toBeGreaterThan(1300);
    expect(r.students).toBeLessThan(1700);
    expect(await count('student')).toBe(r.students);
    expect(await count('school_class')).toBe(r.classes);
    expect(await count('student_guardian')).toBe(r.guardians);
    expect(await count('student_status_event')).toBe(r.students);
    // Six primary grades, two classes of about forty each.
    expect(r.classes).toBe(3 * 6 * 2);
    expect((await auditEvents(t.ctx, 'student.generate')).length).toBe(1);

    const rows = await t.ctx.db.selectFrom('student').selectAll().execute();
    const year = currentSchoolYear();
    let mismatches = 0;
    for (const s of rows) {
      const id = t.ctx.vault.decrypt(s.id_number_enc!);
      const v = validateIdNumber(id);
      expect(v.ok).toBe(true);
      if (!v.ok) continue;
      expect(s.id_number_hmac).toBe(t.ctx.vault.hmac(id));
      expect(s.id_birth_date).toBe(v.birthDate);
      if (s.student_no !== null) expect(s.student_no).toBe(`G${id}`);
      if (v.birthDate !== s.birth_date || v.sex !== s.sex) mismatches++;
      // The household region is the school's county, or another province's county for migrant children.
      // (A child on two rolls keeps the number of its first school.)
      if (s.migrant) expect(id.slice(0, 2)).not.toBe('22');
      else if (s.student_no !== null) expect(id.slice(0, 6)).toBe(s.county_code);
      expect(s.name_initials).toMatch(/^[a-z]{2,4}$/);
      expect(['primary']).toContain(s.stage);
      const g = gradeInfo(s.stage as StudentStage, s.grade)!;
      const age = year - Number(s.birth_date.slice(0, 4)) - (s.birth_date.slice(5) > '08-31' ? 1 : 0);
      expect(age - g.normalAge).toBeGreaterThanOrEqual(-1);
    }
    // Rare defects for the consistency report to find, but rare.
    expect(mismatches).toBeLessThan(rows.length * 0.01);
    const report = await studentChecks(t.ctx, systemActor(), { page: 1, pageSize: 10 });
    expect(report.counts.over_age).toBeGreaterThan(0);
    expect(report.counts.over_age).toBeLessThan(rows.length * 0.02);

    const guardians = await t.ctx.db.selectFrom('student_guardian').selectAll().limit(10).execute();
    for (const g of guardians) expect(g.phone).toMatch(/^1[3-9]\d{9}$/);
  });

  it('is deterministic from the seed and does nothing when students exist', async () => {
    expect(await generateStudents(t.ctx, { perSchool: 10, seed: 1 })).toMatchObject({
      created: false,
      students: 0,
    });
    const other = await openTestDb();
    try {
      await buildWorld(other.ctx);
      await generateStudents(other.ctx, { perSchool: 500, seed: 42 });
      const people = (ctx: typeof t.ctx) =>
        ctx.db
          .selectFrom('student as s')
          .innerJoin('unit as u', 'u.id', 's.school_id')
          .select(['u.code', 's.name', 's.birth_date', 's.sex', 's.grade'])
          .orderBy('u.code')
          .orderBy('s.grade')
          .orderBy('s.name')
          .orderBy('s.birth_date')
          .execute();
      expect(await people(other.ctx)).toEqual(await people(t.ctx));
    } finally {
      await other.cleanup();
    }
    expect(world.schoolA1.code).toBe('1220200001');
  });
});
