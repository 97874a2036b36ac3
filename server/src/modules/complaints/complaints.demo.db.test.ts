import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday } from '../../platform/dates.js';
import { buildWorld } from '../../../test/fixtures.js';
import { openTestDb, type TestDb } from '../../../test/harness.js';
import { seedComplaintDemo } from './complaints.demo.js';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await buildWorld(t.ctx);
});
afterAll(async () => {
  await t?.cleanup();
});

describe('the complaints demo', () => {
  it('files ~150 complaints over the months, every channel, replied, rated, reopened, merged and overdue ones', async () => {
    const started = Date.now();
    await seedComplaintDemo(t.ctx, { seed: 7, scale: 'small' });
    console.log(`complaints demo: ${Date.now() - started} ms`);
    const rows = await t.ctx.db.selectFrom('complaint').selectAll().execute();
    expect(rows).toHaveLength(150);
    expect(new Set(rows.map((r) => r.channel))).toEqual(
      new Set(['web', 'phone', 'hotline12345', 'petition', 'opinion']),
    );
    expect(new Set(rows.map((r) => r.received_on.slice(0, 7))).size).toBeGreaterThanOrEqual(4);
    const today = chinaToday();
    expect(
      rows.filter((r) => ['received', 'routed', 'accepted'].includes(r.status) && r.deadline < today).length,
    ).toBeGreaterThan(0);
    expect(rows.filter((r) => r.reopen_count > 0).length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.status === 'closed' && r.reply).length).toBeGreaterThan(40);
    expect(rows.filter((r) => r.satisfaction).length).toBeGreaterThan(30);
    expect(rows.filter((r) => r.status === 'merged').every((r) => r.merged_into)).toBe(true);
    expect(rows.filter((r) => r.channel === 'hotline12345').every((r) => r.hotline_no)).toBe(true);
    // Replies never precede receipt; a closed complaint has its reply date.
    expect(rows.filter((r) => r.replied_on && r.replied_on < r.received_on)).toEqual([]);
    await seedComplaintDemo(t.ctx, { seed: 7, scale: 'small' });
    expect((await t.ctx.db.selectFrom('complaint').select('id').execute()).length).toBe(150);
  });
});
