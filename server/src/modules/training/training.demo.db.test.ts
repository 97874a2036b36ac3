import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../../test/fixtures.js';
import { openTestDb, type TestDb } from '../../../test/harness.js';
import { seedTrainingDemo } from './training.demo.js';

let t: TestDb;
let world: World;
beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
});
afterAll(() => t?.cleanup());

describe('training demo', () => {
  it('registers institutions in every county with a mix of statuses, lists, orders and findings; a no-op the second time', async () => {
    await seedTrainingDemo(t.ctx, { seed: 42, scale: 'small' });
    const byCounty = await t.ctx.db
      .selectFrom('training_institution')
      .select(['unit_id', sql<number>`count(*)::int`.as('n')])
      .groupBy('unit_id')
      .execute();
    expect(byCounty.map((r) => r.unit_id).sort()).toEqual([world.countyA.id, world.countyB.id].sort());
    const statuses = await t.ctx.db
      .selectFrom('training_institution')
      .select(['status', 'blacklisted'])
      .execute();
    expect(new Set(statuses.map((s) => s.status)).size).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((s) => s.blacklisted).length).toBeGreaterThanOrEqual(2);
    const findings = await t.ctx.db
      .selectFrom('finding')
      .select(['source', sql<number>`count(*)::int`.as('n')])
      .where('source_type', '=', 'training_institution')
      .groupBy('source')
      .execute();
    expect(findings.find((f) => f.source === 'rule')?.n ?? 0).toBeGreaterThan(0);
    expect(findings.find((f) => f.source === 'inspection')?.n ?? 0).toBeGreaterThan(0);
    const total = statuses.length;
    await seedTrainingDemo(t.ctx, { seed: 42, scale: 'small' });
    expect((await t.ctx.db.selectFrom('training_institution').select('id').execute()).length).toBe(total);
  });
});
