/**
 * The contract of `dudao plan import FILE --json` ({"planId","chapters","tasks","assignments","rejected"})
 * and `dudao assess score --plan ID --period P --json` ([{"unit":{"code","name"},"score","grade","rank","vetoed"}]).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../test/fixtures.js';
import { testConfig } from '../../test/harness.js';
import { freshDatabase, runCli, type FreshDatabase } from '../../test/helpers.js';
import { createPeriod, createScheme, setEntry } from '../modules/plans/plans.assess.js';
import { systemActor } from '../platform/access/actor.js';
import { createContext } from '../platform/context.js';
import { chinaToday } from '../platform/dates.js';

let db: FreshDatabase;
let world: World;
let dir: string;
const year = Number(chinaToday().slice(0, 4));

function one<T>(out: { code: number; stdout: string; stderr: string }): T {
  const lines = out.stdout.split('\n').filter((l) => l.trim() !== '');
  expect(lines, `stdout: ${out.stdout}\nstderr: ${out.stderr}`).toHaveLength(1);
  return JSON.parse(lines[0]!) as T;
}

beforeAll(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'dudao-plan-cli-'));
  const ctx = await createContext(testConfig(db.dataDir, { databaseUrl: db.env.DATABASE_URL || null }));
  try {
    world = await buildWorld(ctx);
  } finally {
    await ctx.close();
  }
});
afterAll(async () => {
  await db?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Imported {
  planId: string;
  chapters: number;
  tasks: number;
  assignments: number;
  rejected: { row: number; reasons: string[] }[];
}

describe('dudao plan import and dudao assess score', { timeout: 180_000 }, () => {
  let planId: string;
  it('imports a sheet and prints the counts and the rejected rows', async () => {
    const file = join(dir, `${year}年工作要点.csv`);
    writeFileSync(
      file,
      [
        '章节,序号,任务,牵头科室,责任单位,完成时限,目标',
        `一、学前教育,1,提高学前三年毛入园率,基础教育科,铁西区、铁东区,${year}-12-31,≥93%`,
        `,2,控制民办在校生占比,民办教育科,铁西区,${year}年12月,民办义务教育在校生占比≤5%`,
        `二、义务教育,3,新改扩建学校,发展规划科,不存在区,${year}-12-31,182所`,
      ].join('\r\n'),
    );
    const out = await runCli(['plan', 'import', file, '--json'], db.env);
    expect(out.code, out.stderr).toBe(0);
    const r = one<Imported>(out);
    expect(Object.keys(r).sort()).toEqual(['assignments', 'chapters', 'planId', 'rejected', 'tasks']);
    expect(r).toMatchObject({ chapters: 1, tasks: 2, assignments: 3 });
    expect(r.rejected).toEqual([{ row: 4, reasons: ['责任单位“不存在区”不在本单位辖区内'] }]);
    planId = r.planId;
  });

  it('prints the ranking of a period with ties, grades and vetoes', async () => {
    const ctx = await createContext(testConfig(db.dataDir, { databaseUrl: db.env.DATABASE_URL || null }));
    const origin = { actor: systemActor('test'), ip: null, requestId: null };
    try {
      const scheme = await createScheme(
        ctx,
        origin.actor,
        {
          ownerUnitId: world.city.id,
          year,
          unitKind: 'county_bureau',
          name: '县区考评',
          items: [
            { kind: 'manual', name: '实绩', weight: 100 },
            { kind: 'veto', name: '重大事故', weight: 0, vetoMode: 'cap', vetoCap: 59 },
          ],
        },
        origin,
      );
      const s = await createPeriod(
        ctx,
        origin.actor,
        { schemeId: scheme.id, planId, label: '年度', startsOn: `${year}-01-01`, endsOn: `${year}-12-31` },
        origin,
      );
      const period = s.periods[0]!.id;
      await setEntry(
        ctx,
        origin.actor,
        period,
        { unitId: world.countyA.id, itemId: scheme.items[0]!.id, points: 92, reason: '实绩突出' },
        origin,
      );
      await setEntry(
        ctx,
        origin.actor,
        period,
        { unitId: world.countyB.id, itemId: scheme.items[0]!.id, points: 92, reason: '实绩突出' },
        origin,
      );
      await setEntry(
        ctx,
        origin.actor,
        period,
        { unitId: world.countyB.id, itemId: scheme.items[1]!.id, points: 1, reason: '发生事故' },
        origin,
      );
    } finally {
      await ctx.close();
    }
    const out = await runCli(['assess', 'score', '--plan', planId, '--period', '年度', '--json'], db.env);
    expect(out.code, out.stderr).toBe(0);
    expect(one(out)).toEqual([
      {
        unit: { code: '220302', name: '铁西区教育局' },
        score: 92,
        grade: 'excellent',
        rank: 1,
        vetoed: false,
      },
      { unit: { code: '220303', name: '铁东区教育局' }, score: 59, grade: 'fail', rank: 2, vetoed: true },
    ]);
    const missing = await runCli(['assess', 'score', '--plan', planId, '--period', '没有', '--json'], db.env);
    expect(missing.code).not.toBe(0);
  });
});
