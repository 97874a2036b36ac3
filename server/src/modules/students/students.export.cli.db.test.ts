import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/harness.js';
import { freshDatabase, runCli, type FreshDatabase } from '../../../test/helpers.js';
import { createContext } from '../../platform/context.js';
import { readCsvRows } from '../../platform/imports/csv-reader.js';
import { readXlsxRows } from '../../platform/imports/xlsx-reader.js';
import { STUDENT_TEMPLATE_LABELS } from './students.columns.js';

/** Parses stdout that must be exactly one JSON document on one line. */
function one<T>(out: { code: number; stdout: string; stderr: string }): T {
  const lines = out.stdout.split('\n').filter((l) => l.trim() !== '');
  expect(lines, `stdout: ${out.stdout}\nstderr: ${out.stderr}`).toHaveLength(1);
  return JSON.parse(lines[0]!) as T;
}

interface Exported {
  file: string;
  rows: number;
  format: string;
  revealed: boolean;
}

const ID = STUDENT_TEMPLATE_LABELS.indexOf('身份证号');
const SCHOOL_CODE = STUDENT_TEMPLATE_LABELS.indexOf('学校标识码');

async function readRows(file: string): Promise<string[][]> {
  const rows: string[][] = [];
  const batches = file.endsWith('.xlsx') ? readXlsxRows(file) : readCsvRows(createReadStream(file));
  for await (const b of batches) rows.push(...b);
  return rows;
}

let db: FreshDatabase;
let dir: string;

beforeAll(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'dudao-cli-export-'));
  const demo = await runCli(['demo', '--scale', 'small', '--json'], db.env);
  expect(demo.code, demo.stderr).toBe(0);
});
afterAll(async () => {
  await db?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each run starts a process that opens the database: slow on a busy machine.
describe('dudao export students', { timeout: 180_000 }, () => {
  let all: Exported;
  let county: Exported;
  let school: Exported;

  it('--out FILE.csv --json writes every student, masked, and prints one JSON document', async () => {
    const file = join(dir, '全市学生.csv');
    const out = await runCli(['export', 'students', '--out', file, '--json'], db.env);
    expect(out.code, out.stderr).toBe(0);
    all = one<Exported>(out);
    expect(all).toEqual({ file, rows: all.rows, format: 'csv', revealed: false });
    // About 250 students per school of the small demo.
    expect(all.rows).toBeGreaterThan(4000);
    const [header, ...rows] = await readRows(file);
    expect(header).toEqual(STUDENT_TEMPLATE_LABELS);
    expect(rows).toHaveLength(all.rows);
    const ids = rows.map((r) => r[ID] ?? '').filter((x) => x !== '');
    expect(ids.length).toBeGreaterThan(all.rows / 2);
    for (const n of ids) expect(n).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('--reveal --county CODE, format from the extension: full ID numbers of that county only', async () => {
    const file = join(dir, 'county.xlsx');
    const out = await runCli(
      ['export', 'students', '--out', file, '--reveal', '--county', '220302', '--json'],
      db.env,
    );
    expect(out.code, out.stderr).toBe(0);
    county = one<Exported>(out);
    expect(county).toMatchObject({ file, format: 'xlsx', revealed: true });
    const rows = (await readRows(file)).slice(3);
    expect(rows).toHaveLength(county.rows);
    expect(county.rows).toBeGreaterThan(0);
    expect(county.rows).toBeLessThan(all.rows);
    const ids = rows.map((r) => r[ID] ?? '').filter((x) => x !== '');
    expect(ids.length).toBeGreaterThan(0);
    for (const n of ids) expect(n).toMatch(/^\d{17}[\dX]$/);
  });

  it('--school CODE --format csv whatever the file is called', async () => {
    const file = join(dir, 'roster.dat');
    const out = await runCli(
      ['export', 'students', '--out', file, '--format', 'csv', '--school', '1220200001', '--json'],
      db.env,
    );
    expect(out.code, out.stderr).toBe(0);
    school = one<Exported>(out);
    expect(school).toMatchObject({ file, format: 'csv', revealed: false });
    const rows = (await readRows(file)).slice(1);
    expect(rows).toHaveLength(school.rows);
    expect(new Set(rows.map((r) => r[SCHOOL_CODE]))).toEqual(new Set(['1220200001']));
  });

  it('refuses what it cannot do with one JSON error, exit 1, and leaves no file behind', async () => {
    const cases: [string[], RegExp][] = [
      [['--out', join(dir, 'x.txt')], /cannot tell the format/],
      [['--out', join(dir, 'x.csv'), '--school', '9999999999'], /no school with code 9999999999/],
      [['--out', join(dir, 'x.csv'), '--school', '1220200001', '--county', '220302'], /not both/],
    ];
    for (const [args, message] of cases) {
      const out = await runCli(['export', 'students', ...args, '--json'], db.env);
      expect(out.code).toBe(1);
      const error = one<{ ok: boolean; error: string }>(out);
      expect(error.ok).toBe(false);
      expect(error.error).toMatch(message);
    }
    const bad = await runCli(['export', 'teachers', '--out', join(dir, 'x.csv'), '--json'], db.env);
    expect(bad.code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['county.xlsx', 'roster.dat', '全市学生.csv']);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it('every export is audited with the CLI as its actor, and the chain holds', async () => {
    const verify = await runCli(['audit', 'verify', '--json'], db.env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(one<{ ok: boolean }>(verify).ok).toBe(true);

    const ctx = await createContext(testConfig(db.dataDir, { databaseUrl: db.env.DATABASE_URL || null }));
    try {
      const counties = await ctx.db
        .selectFrom('unit')
        .select(['id', 'code'])
        .where('code', 'in', ['220302', '1220200001'])
        .execute();
      const idOf = (code: string) => counties.find((u) => u.code === code)!.id;
      const students = await ctx.db
        .selectFrom('student')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('county_code', '=', '220302')
        .executeTakeFirstOrThrow();
      expect(county.rows).toBe(Number(students.n));
      const events = await ctx.db
        .selectFrom('audit_event')
        .select(['actor_name', 'actor_user_id', 'unit_id', 'object_type', 'after'])
        .where('action', '=', 'export')
        .orderBy('id')
        .execute();
      expect(events).toEqual([
        {
          actor_name: 'cli',
          actor_user_id: null,
          unit_id: null,
          object_type: 'student',
          after: { rows: all.rows, filter: { format: 'csv', reveal: false } },
        },
        {
          actor_name: 'cli',
          actor_user_id: null,
          unit_id: idOf('220302'),
          object_type: 'student',
          after: { rows: county.rows, filter: { under: idOf('220302'), format: 'xlsx', reveal: true } },
        },
        {
          actor_name: 'cli',
          actor_user_id: null,
          unit_id: idOf('1220200001'),
          object_type: 'student',
          after: {
            rows: school.rows,
            filter: { schoolId: idOf('1220200001'), format: 'csv', reveal: false },
          },
        },
      ]);
    } finally {
      await ctx.close();
    }
  });
});
