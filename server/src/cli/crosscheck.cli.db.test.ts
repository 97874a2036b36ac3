/**
 * The contract of `dudao crosscheck FILE [--county CODE] [--dry-run] --json`: exactly the category counts
 * {"listed","enrolledHere","enrolledElsewhere","exempt","outOfSchool","dropout","povertyDropout","unmatched"},
 * adding up to `listed`; --dry-run stores nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld } from '../../test/fixtures.js';
import { testConfig } from '../../test/harness.js';
import { freshDatabase, runCli, type FreshDatabase } from '../../test/helpers.js';
import { createStudent } from '../modules/students/students.service.js';
import { systemActor } from '../platform/access/actor.js';
import { createContext } from '../platform/context.js';
import { generateIdNumber } from '../platform/crypto/id-number.js';

let db: FreshDatabase;
let dir: string;
let file: string;
const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };
const KEYS = [
  'listed',
  'enrolledHere',
  'enrolledElsewhere',
  'exempt',
  'outOfSchool',
  'dropout',
  'povertyDropout',
  'unmatched',
];

beforeAll(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'dudao-crosscheck-cli-'));
  const ctx = await createContext(testConfig(db.dataDir, { databaseUrl: db.env.DATABASE_URL || null }));
  const enrolled = generateIdNumber('220302', '2016-05-05', 'M', 1);
  const elsewhere = generateIdNumber('220302', '2016-06-06', 'M', 2);
  try {
    const world = await buildWorld(ctx);
    await createStudent(
      ctx,
      sys,
      {
        schoolId: world.schoolA1.id,
        name: '甲',
        sex: 'M',
        birthDate: '2016-05-05',
        grade: 4,
        idNumber: enrolled,
      },
      origin,
    );
    await createStudent(
      ctx,
      sys,
      {
        schoolId: world.schoolB1.id,
        name: '乙',
        sex: 'M',
        birthDate: '2016-06-06',
        grade: 4,
        idNumber: elsewhere,
      },
      origin,
    );
  } finally {
    await ctx.close();
  }
  file = join(dir, '户籍名单.csv');
  writeFileSync(
    file,
    [
      '姓名,身份证号,乡镇',
      `甲,${enrolled},仁兴街道`,
      `乙,${elsewhere},仁兴街道`,
      `丙,${generateIdNumber('220302', '2015-01-01', 'F', 3)},英雄街道`,
      '丁,not-an-id,英雄街道',
    ].join('\n'),
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.cleanup();
});

const run = async (...args: string[]) => {
  const r = await runCli(['crosscheck', ...args, '--json'], db.env);
  return r;
};

describe('dudao crosscheck --json', () => {
  it('prints exactly the category counts, which add up to listed; a dry run stores nothing', async () => {
    const r = await run(file, '--county', '220302', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as Record<string, number>;
    expect(Object.keys(out)).toEqual(KEYS);
    expect(out).toEqual({
      listed: 4,
      enrolledHere: 1,
      enrolledElsewhere: 1,
      exempt: 0,
      outOfSchool: 1,
      dropout: 0,
      povertyDropout: 0,
      unmatched: 1,
    });
    expect(KEYS.slice(1).reduce((n, k) => n + out[k]!, 0)).toBe(out.listed);
  });

  it('without --county the city list sees both counties', async () => {
    const r = await run(file);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ listed: 4, enrolledHere: 2, enrolledElsewhere: 0 });
  });

  it('refuses a missing file and an unknown county', async () => {
    const missing = await run(join(dir, 'nope.csv'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('cannot read');
    const county = await run(file, '--county', '999999');
    expect(county.code).not.toBe(0);
    expect(county.stderr).toContain('no county bureau');
  });
});
