/**
 * The contract of `dudao findings stats … --json`: {"found","rectified","open","overdue","rate"} for the
 * scope, equal to what the ledger's rows add up to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../test/fixtures.js';
import { testConfig } from '../../test/harness.js';
import { freshDatabase, runCli, type FreshDatabase } from '../../test/helpers.js';
import { raiseFindings } from '../modules/findings/findings.service.js';
import { systemActor } from '../platform/access/actor.js';
import { createContext } from '../platform/context.js';
import { addDays, chinaToday } from '../platform/dates.js';

interface Counts {
  found: number;
  rectified: number;
  open: number;
  overdue: number;
  rate: number | null;
}

let db: FreshDatabase;
let world: World;
/** The ledger's rows as set up, to count the expectations from. */
let rows: { unit: string; source: string; status: string; deadline: string; raised_on: string }[];
const today = chinaToday();

beforeAll(async () => {
  db = await freshDatabase();
  const ctx = await createContext(testConfig(db.dataDir, { databaseUrl: db.env.DATABASE_URL || null }));
  try {
    world = await buildWorld(ctx);
    const origin = { actor: systemActor('test'), ip: null, requestId: null };
    const raise = (unitId: string, raiser: string, source: 'inspection' | 'manual', titles: string[]) =>
      ctx.db.transaction().execute((trx) =>
        raiseFindings(
          trx,
          ctx,
          origin,
          titles.map((title) => ({
            unitId,
            source,
            category: 'fire' as const,
            severity: 'general' as const,
            title,
            deadline: addDays(today, 7),
          })),
          { raisedByUnitId: raiser },
        ),
      );
    const a1 = await raise(world.schoolA1.id, world.countyA.id, 'inspection', ['一', '二', '三', '四', '五']);
    await raise(world.schoolA2.id, world.countyA.id, 'manual', ['六', '七']);
    await raise(world.schoolB1.id, world.countyB.id, 'inspection', ['八', '九', '十']);
    const [x, y, z] = a1.findingIds as [string, string, string];
    await ctx.db
      .updateTable('finding')
      .set({ status: 'closed', closed_on: today })
      .where('id', 'in', [x, y])
      .execute();
    await ctx.db
      .updateTable('finding')
      .set({ deadline: addDays(today, -2) })
      .where('id', '=', z)
      .execute();
    rows = await ctx.db
      .selectFrom('finding')
      .innerJoin('unit', 'unit.id', 'finding.unit_id')
      .select([
        'unit.county_code as unit',
        'finding.source',
        'finding.status',
        'finding.deadline',
        'finding.raised_on',
      ])
      .execute()
      .then((r) => r.map((x) => ({ ...x, unit: x.unit ?? '' })));
  } finally {
    await ctx.close();
  }
});
afterAll(async () => {
  await db?.cleanup();
});

function expected(filter: (r: (typeof rows)[number]) => boolean): Counts {
  const sel = rows.filter(filter);
  const rectified = sel.filter((r) => r.status === 'closed').length;
  return {
    found: sel.length,
    rectified,
    open: sel.length - rectified,
    overdue: sel.filter((r) => r.status !== 'closed' && r.status !== 'submitted' && r.deadline < today)
      .length,
    rate: sel.length === 0 ? null : rectified / sel.length,
  };
}

function one(out: { stdout: string }): Counts {
  const lines = out.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Counts;
}

describe('dudao findings stats', { timeout: 180_000 }, () => {
  it('prints the whole city’s counts, equal to the ledger’s rows', async () => {
    const out = await runCli(['findings', 'stats', '--json'], db.env);
    expect(out.code, out.stderr).toBe(0);
    expect(one(out)).toEqual(expected(() => true));
    expect(one(out)).toEqual({ found: 10, rectified: 2, open: 8, overdue: 1, rate: 0.2 });
  });

  it('narrows to a county (--unit) and a source; a period with nothing gives zeros and a null rate', async () => {
    const county = await runCli(
      ['findings', 'stats', '--unit', '220302', '--source', 'inspection', '--json'],
      db.env,
    );
    expect(county.code, county.stderr).toBe(0);
    expect(one(county)).toEqual(expected((r) => r.unit === '220302' && r.source === 'inspection'));
    expect(one(county).found).toBe(5);
    const school = await runCli(['findings', 'stats', '--unit', '1220200002', '--json'], db.env);
    expect(one(school)).toEqual({ found: 2, rectified: 0, open: 2, overdue: 0, rate: 0 });
    const past = await runCli(
      ['findings', 'stats', '--from', '2020-01-01', '--to', '2020-12-31', '--json'],
      db.env,
    );
    expect(one(past)).toEqual({ found: 0, rectified: 0, open: 0, overdue: 0, rate: null });
    const text = await runCli(['findings', 'stats', '--unit', '220303'], db.env);
    expect(text.stdout.trim()).toBe('发现问题3个，已整改0个，整改率0%');
  });

  it('refuses an unknown unit, source or date with a message and exit code', async () => {
    for (const args of [
      ['--unit', '999999'],
      ['--source', 'gossip'],
      ['--from', '2026-13-01'],
    ]) {
      const out = await runCli(['findings', 'stats', ...args, '--json'], db.env);
      expect(out.code).not.toBe(0);
      expect(JSON.parse(out.stdout)).toEqual({ ok: false, error: expect.any(String) as string });
    }
  });
});
