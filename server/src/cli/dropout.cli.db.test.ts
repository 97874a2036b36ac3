/**
 * The contract of `dudao dropout scan [--date YYYY-MM-DD] --json`: {"date","suspected","newCases",
 * "closedByReturn"}, on a fresh database, against the cases the rows should raise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld } from '../../test/fixtures.js';
import { testConfig } from '../../test/harness.js';
import { freshDatabase, runCli, type FreshDatabase } from '../../test/helpers.js';
import { submitSheet } from '../modules/dropout/attendance.service.js';
import { createClass, createStudent } from '../modules/students/students.service.js';
import { systemActor } from '../platform/access/actor.js';
import { createContext } from '../platform/context.js';

let db: FreshDatabase;
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };

beforeAll(async () => {
  db = await freshDatabase();
  const ctx = await createContext(testConfig(db.dataDir, { databaseUrl: db.env.DATABASE_URL || null }));
  try {
    const world = await buildWorld(ctx);
    const cls = await createClass(
      ctx,
      sys,
      { schoolId: world.schoolA1.id, schoolYear: '2026', grade: 3, name: '1班' },
      origin,
    );
    const student = (name: string) =>
      createStudent(
        ctx,
        sys,
        {
          schoolId: world.schoolA1.id,
          classId: cls.id,
          name,
          sex: 'M',
          birthDate: '2018-02-02',
          enrolledOn: '2026-09-01',
        },
        origin,
      );
    const away = await student('旷课生');
    await student('出勤生');
    // Unexcused on 30 Sep, 8 Oct and 9 Oct: three consecutive school days across the National Day holiday.
    for (const date of ['2026-09-30', '2026-10-08', '2026-10-09'])
      await submitSheet(
        ctx,
        sys,
        { classId: cls.id, date, marks: [{ studentId: away.id, kind: 'unexcused' }] },
        origin,
      );
    for (const date of ['2026-10-10', '2026-10-12', '2026-10-13'])
      await submitSheet(ctx, sys, { classId: cls.id, date, marks: [] }, origin);
  } finally {
    await ctx.close();
  }
});
afterAll(async () => {
  await db?.cleanup();
});

const scan = async (...args: string[]) => {
  const r = await runCli(['dropout', 'scan', ...args, '--json'], db.env);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
};

describe('dudao dropout scan --json', () => {
  it('prints exactly the contract keys; 2 consecutive days raise nothing', async () => {
    const r = await scan('--date', '2026-10-08');
    expect(Object.keys(r).sort()).toEqual(['closedByReturn', 'date', 'newCases', 'suspected']);
    expect(r).toEqual({ date: '2026-10-08', suspected: 0, newCases: 0, closedByReturn: 0 });
  });
  it('raises the case at 3, once', async () => {
    expect(await scan('--date', '2026-10-09')).toEqual({
      date: '2026-10-09',
      suspected: 1,
      newCases: 1,
      closedByReturn: 0,
    });
    expect(await scan('--date', '2026-10-09')).toEqual({
      date: '2026-10-09',
      suspected: 1,
      newCases: 0,
      closedByReturn: 0,
    });
  });
  it('closes it when the student is back for 3 recorded school days', async () => {
    expect(await scan('--date', '2026-10-13')).toEqual({
      date: '2026-10-13',
      suspected: 0,
      newCases: 0,
      closedByReturn: 1,
    });
  });
  it('defaults to today and refuses a bad date', async () => {
    const r = await scan();
    expect(r.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const bad = await runCli(['dropout', 'scan', '--date', '2026-02-30', '--json'], db.env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--date');
  });
});
