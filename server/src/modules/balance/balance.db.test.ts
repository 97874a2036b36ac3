import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BalanceResult, BalanceWhatIfResult } from '@dudao/contracts';
import { buildWorld, PASSWORD, snapshot, type World } from '../../../test/fixtures.js';
import { expectError } from '../../../test/helpers.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { encodeGb18030, makeZip } from '../../platform/imports/test-helpers.js';
import { sampleCsv, sampleXlsx } from './balance.fixture.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let user: Client;

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  user = await loginAs(app, world.users.adminA.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const upload = (c: Client, body: Buffer, name: string, query = '') =>
  c.request('POST', `/api/balance/compute${query}`, body, {
    'content-type': 'application/octet-stream',
    'x-file-name': encodeURIComponent(name),
  });

describe('POST /api/balance/compute', () => {
  it('computes from an xlsx and from a GB18030 CSV alike, storing nothing', async () => {
    const before = await snapshot(t.ctx);
    const x = await upload(user, await sampleXlsx(), '某某县办学条件.xlsx');
    expect(x.statusCode, x.body).toBe(200);
    const a = x.json<BalanceResult>();
    expect(a.file).toBe('某某县办学条件.xlsx');
    expect(a.stages.map((s) => [s.stage, s.schools.length])).toEqual([
      ['primary', 4],
      ['junior', 3],
    ]);
    expect(a.columns.scaled).toEqual([{ column: '教学仪器设备值（万元）', factor: 10_000 }]);
    const c = await upload(user, encodeGb18030(sampleCsv()), 'county.csv');
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json<BalanceResult>().stages).toEqual(a.stages);
    expect(await snapshot(t.ctx)).toBe(before);
  });

  it('takes the school rule and limits as query parameters', async () => {
    const res = await upload(user, await sampleXlsx(), 'c.xlsx', '?minMet=7&primaryCvLimit=0.1');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<BalanceResult>();
    expect(r.options.minMet).toBe(7);
    const p = r.stages[0]!;
    expect(p.quality.indicators.every((q) => q.cvLimit === 0.1)).toBe(true);
    expect(p.quality.cvPassed).toBe(false);
    expect(p.holdingBack.indicators.length).toBeGreaterThan(0);
  });

  it('a bad file is a 400 with a code; a table without required columns too; no login is a 401', async () => {
    expectError(await upload(user, Buffer.from('%PDF-1.4\nnot a table'), 'x.xlsx'), 400, 'UNSUPPORTED_TYPE');
    expectError(await upload(user, Buffer.alloc(0), 'empty.csv'), 400, 'EMPTY_FILE');
    expectError(
      await upload(user, Buffer.from('学校名称,在校生数,图书册数\n一小,500,1000\n'), 'x.csv'),
      400,
      'BALANCE_MISSING_COLUMNS',
    );
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/balance/compute',
      payload: Buffer.from('x'),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses more than 10 MB with 413', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 0x31);
    const res = await upload(user, big, 'big.csv');
    expectError(res, 413, 'FILE_TOO_LARGE');
    expect(res.json<{ message: string }>().message).toContain('10 MB');
  });

  it('refuses an xlsx past the zip limits and a table of more than 20,000 schools', async () => {
    // 20 MB of zeros in one sheet: declared 200:1 and more, refused from the zip's directory
    const bomb = makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 ** 2) }]);
    expectError(await upload(user, bomb, 'bomb.xlsx'), 400, 'XLSX_COMPRESSION_RATIO');
    const many = '学校名称,学段,在校生数\n' + '一小,小学,500\n'.repeat(20_050);
    expectError(await upload(user, Buffer.from(many), 'many.csv'), 400, 'BALANCE_TOO_MANY_ROWS');
  });
});

describe('POST /api/balance/what-if', () => {
  it('gives the coefficient and compliant count after raising one school’s value', async () => {
    const r = (await upload(user, await sampleXlsx(), 'c.xlsx')).json<BalanceResult>();
    const junior = r.stages.find((s) => s.stage === 'junior')!;
    const weak = junior.schools.find((s) => s.compliant === false)!;
    const res = await user.post('/api/balance/what-if', {
      stage: 'junior',
      schools: junior.schools.map((s) => ({ id: s.id, students: s.students, values: s.values })),
      schoolId: weak.id,
      indicator: 'sportsArea',
      value: 10.2,
    });
    expect(res.statusCode, res.body).toBe(200);
    const w = res.json<BalanceWhatIfResult>();
    expect(w.before.compliantSchools).toBe(junior.quality.compliantSchools);
    expect(w.before.cv).toBeCloseTo(junior.quality.indicators.find((q) => q.key === 'sportsArea')!.cv!, 5);
    expect(w.after.schoolValue).toBe(10.2);
    expect(w.cvLimit).toBe(0.45);
    expectError(
      await user.post('/api/balance/what-if', {
        stage: 'junior',
        schools: [{ id: 'a', students: 10, values: {} }],
        schoolId: 'b',
        indicator: 'sportsArea',
        value: 1,
      }),
      400,
      'BALANCE_UNKNOWN_SCHOOL',
    );
  });
});

describe('OpenAPI', () => {
  it('documents both routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    expect(Object.keys(paths['/api/balance/compute']!)).toEqual(['post']);
    expect(Object.keys(paths['/api/balance/what-if']!)).toEqual(['post']);
  });
});
