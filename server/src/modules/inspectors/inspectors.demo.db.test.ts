import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../../test/fixtures.js';
import { openTestDb, type TestDb } from '../../../test/harness.js';
import { generateInspectorDemo } from './inspectors.demo.js';

let t: TestDb;
let world: World;
beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
});
afterAll(async () => {
  await t?.cleanup();
});

describe('inspector demo data', () => {
  it('fills profiles, settings, visits with findings and opinions, once', async () => {
    const first = await generateInspectorDemo(t.ctx, { seed: 7 });
    expect(first.visits).toBeGreaterThan(0);
    const profile = await t.ctx.db
      .selectFrom('inspector_profile')
      .selectAll()
      .where('user_id', '=', world.users.inspectorA.id)
      .executeTakeFirstOrThrow();
    expect(profile.certificate_no).toMatch(/^吉督/);
    const visits = await t.ctx.db.selectFrom('inspector_visit').select(['id', 'school_id']).execute();
    expect(new Set(visits.map((v) => v.school_id))).toEqual(new Set([world.schoolA1.id]));
    const linked = await t.ctx.db
      .selectFrom('inspector_visit_item')
      .select(['finding_id', 'result'])
      .where('result', '=', 'problem')
      .execute();
    expect(linked.every((i) => i.finding_id !== null)).toBe(true);
    expect(await generateInspectorDemo(t.ctx, { seed: 7 })).toEqual({ visits: 0, opinions: 0 });
  });
});
