/** The demo plan: 35 tasks in 7 chapters, assignments, reports, notices (one escalated), an open assessment period. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/harness.js';
import { systemActor } from '../../platform/access/actor.js';
import { buildWorld } from '../../../test/fixtures.js';
import { periodResults } from './plans.assess.js';
import { getPlan } from './plans.service.js';
import { seedPlanDemo } from './plans.demo.js';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await buildWorld(t.ctx);
  const started = Date.now();
  await seedPlanDemo(t.ctx, { seed: 7, scale: 'small' });
  console.log(`plans demo: ${Date.now() - started} ms`);
}, 300_000);
afterAll(async () => {
  await t?.cleanup();
});

describe('the plans demo', () => {
  it('holds a 35-task plan in 7 chapters with every status, notices and an assessment ready to score', async () => {
    const sys = systemActor('t');
    const plan = await t.ctx.db.selectFrom('plan').selectAll().executeTakeFirstOrThrow();
    const d = await getPlan(t.ctx, sys, plan.id);
    expect(d.chapters).toHaveLength(7);
    expect(d.taskList).toHaveLength(35);
    expect(d.taskList.filter((x) => x.target).length).toBeGreaterThanOrEqual(6);
    const statuses = new Set(d.taskList.flatMap((x) => x.assignments.map((a) => a.status)));
    expect(statuses.has('on_track') || statuses.has('done')).toBe(true);
    expect([...statuses].some((s) => s === 'behind' || s === 'overdue' || s === 'at_risk')).toBe(true);
    const notices = await t.ctx.db.selectFrom('plan_notice').select(['status', 'finding_id']).execute();
    expect(notices.length).toBeGreaterThanOrEqual(3);
    expect(notices.some((n) => n.finding_id)).toBe(true);
    const period = await t.ctx.db.selectFrom('assess_period').selectAll().executeTakeFirstOrThrow();
    expect(period.status).toBe('open');
    const r = await periodResults(t.ctx, sys, period.id);
    expect(r.results.length).toBeGreaterThan(1);
    expect(r.results.every((x) => x.score > 0)).toBe(true);
    // This year's 目标管理责任书: most counties signed with a PDF, some not yet, one returned.
    const signings = await t.ctx.db.selectFrom('agreement_signing').select(['status', 'file_type']).execute();
    expect(signings.length).toBeGreaterThan(1);
    expect(signings.filter((x) => x.status === 'pending').length).toBeGreaterThan(0);
    expect(signings.filter((x) => x.status === 'returned')).toHaveLength(signings.length > 2 ? 1 : 0);
    expect(
      signings.filter((x) => x.status === 'signed').every((x) => x.file_type === 'application/pdf'),
    ).toBe(true);
    const before = await t.ctx.db.selectFrom('plan_report').select('id').execute();
    await seedPlanDemo(t.ctx, { seed: 7, scale: 'small' });
    expect((await t.ctx.db.selectFrom('plan_report').select('id').execute()).length).toBe(before.length);
  });
});
