// `dudao balance FILE --json` on a CSV and an xlsx written here; no database is involved (DUDAO_DATA_DIR
// points at a folder that does not exist, and must still not exist afterwards).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BalanceResult } from '@dudao/contracts';
import { runCli } from '../../test/helpers.js';
import { sampleCsv, sampleXlsx } from '../modules/balance/balance.fixture.js';
import { encodeGb18030, tempDir } from '../platform/imports/test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  env = { DUDAO_DATA_DIR: join(dir, 'no-data'), DATABASE_URL: '' };
  await writeFile(join(dir, 'county.csv'), encodeGb18030(sampleCsv()));
  await writeFile(join(dir, 'county.xlsx'), await sampleXlsx());
});
afterAll(() => cleanup());

describe('dudao balance', () => {
  it('prints one JSON document per stage with county values, coefficients and school flags (csv and xlsx agree)', async () => {
    const csv = await runCli(['balance', join(dir, 'county.csv'), '--json'], env);
    expect(csv.code, csv.stderr).toBe(0);
    const a = JSON.parse(csv.stdout) as BalanceResult & { ok: boolean };
    expect(a.ok).toBe(true);
    expect(a.stages.map((s) => s.stage)).toEqual(['primary', 'junior']);
    const primary = a.stages[0]!;
    expect(primary.quality.indicators).toHaveLength(7);
    expect(primary.basic.indicators).toHaveLength(8);
    const area = primary.quality.indicators.find((q) => q.key === 'buildingArea')!;
    // Σ area / Σ pupils over the four primary parts (实验学校's share 900/1560 of 10,000 m²).
    const shared = (10_000 * 900) / 1560;
    expect(area.countyValue).toBeCloseTo((6000 + 3400 + 1500 + shared) / (1200 + 800 + 300 + 900), 5);
    expect(typeof area.cv).toBe('number');
    const first = primary.schools[0]!;
    expect(first).toMatchObject({ name: '城关第一小学', students: 1200, compliant: true });
    expect(first.met).toMatchObject({ buildingArea: true, equipmentValue: true });
    expect(a.excluded.map((e) => e.name)).toEqual(['西岭村教学点', '县特殊教育学校']);
    expect(existsSync(join(dir, 'no-data'))).toBe(false);

    const xlsx = await runCli(['balance', join(dir, 'county.xlsx'), '--json'], env);
    expect(xlsx.code, xlsx.stderr).toBe(0);
    const b = JSON.parse(xlsx.stdout) as BalanceResult;
    expect(b.stages).toEqual(a.stages);
  });

  it('prints a readable Chinese table without --json', async () => {
    const r = await runCli(['balance', join(dir, 'county.xlsx')], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('【小学】');
    expect(r.stdout).toContain('每百名学生高于规定学历教师数');
    expect(r.stdout).toContain('综合差异系数');
    expect(r.stdout).toContain('西岭村教学点');
  });

  it('exits 1 with a message on a missing or unreadable file', async () => {
    const missing = await runCli(['balance', join(dir, 'nope.xlsx'), '--json'], env);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false });
    expect(missing.stderr).toContain('无法读取文件');
    await writeFile(join(dir, 'bad.xlsx'), '%PDF-1.4 not a table');
    const bad = await runCli(['balance', join(dir, 'bad.xlsx')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/UNSUPPORTED_TYPE/);
  });
});
