import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from './fixtures.js';
import { loginAs, openTestDb, testApp, type TestDb } from './harness.js';

let t: TestDb;
let world: World;
let app: Awaited<ReturnType<typeof testApp>>['app'];

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

describe('smoke', () => {
  it('county admin sees their own county only', async () => {
    const a = await loginAs(app, world.users.adminA.username, PASSWORD);
    const res = await a.get('/api/units?pageSize=100');
    expect(res.statusCode).toBe(200);
    const names = res
      .json<{ items: { name: string }[] }>()
      .items.map((u) => u.name)
      .sort();
    expect(names).toEqual(['铁西区实验小学', '铁西区教育局', '铁西区第二小学'].sort());
  });
});
