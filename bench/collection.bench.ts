/**
 * 数据填报 at city scale: a city of BENCH_SCHOOLS (default 1,200) compulsory-education schools in 8 counties,
 * each with approved figures of the annual school form for this year and last; then every indicator for
 * every county (Σ/Σ, collection.indicators.ts) and the balance coefficients of every county from the stored
 * figures (balance.stored.ts → balance.engine.ts). Target ≤ 2 s on PostgreSQL. The baseline, in the same run,
 * is the bare read of the same submissions (one query, no computation): the ratio is the cost of computing.
 * Run: `npx tsx bench/collection.bench.ts` (DATABASE_URL: an empty PostgreSQL database; else embedded PGlite).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SCHOOL_ANNUAL_FORM_CODE } from '@dudao/contracts';
import { computeStoredAll } from '../server/src/modules/balance/balance.stored.js';
import { allIndicatorsByCounty } from '../server/src/modules/collection/collection.indicators.js';
import * as repo from '../server/src/modules/collection/collection.repository.js';
import { ensureDefinitions } from '../server/src/modules/collection/collection.seed.js';
import { seededRng } from '../server/src/demo/rng.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createContext, type AppContext } from '../server/src/platform/context.js';

const STAGES = ['primary', 'primary', 'primary', 'junior', 'nine_year', 'complete_secondary'];

async function buildCity(ctx: AppContext, schools: number): Promise<{ cityId: string; cityPath: string }> {
  const rng = seededRng(1200);
  const cityId = randomUUID();
  const cityPath = `/${cityId}/`;
  const units: Parameters<ReturnType<AppContext['db']['insertInto']>['values']>[0][] = [];
  units.push({
    id: cityId,
    kind: 'city_bureau',
    code: '229900',
    name: '基准市教育局',
    parent_id: null,
    path: cityPath,
    depth: 0,
    region_code: '229900',
  });
  const counties = Array.from({ length: 8 }, (_, i) => {
    const id = randomUUID();
    const code = `2299${String(i + 1).padStart(2, '0')}`;
    units.push({
      id,
      kind: 'county_bureau',
      code,
      name: `基准${i + 1}县教育局`,
      parent_id: cityId,
      path: `${cityPath}${id}/`,
      depth: 1,
      region_code: code,
      county_code: code,
    });
    return { id, code, path: `${cityPath}${id}/` };
  });
  const schoolIds: { id: string; stage: string }[] = [];
  for (let i = 0; i < schools; i++) {
    const c = counties[i % counties.length]!;
    const id = randomUUID();
    const stage = STAGES[Math.floor(rng() * STAGES.length)]!;
    units.push({
      id,
      kind: 'school',
      code: `19${String(i).padStart(8, '0')}`,
      name: `基准学校${i + 1}`,
      parent_id: c.id,
      path: `${c.path}${id}/`,
      depth: 2,
      region_code: c.code,
      county_code: c.code,
      stage,
      ownership: rng() < 0.05 ? 'private' : 'public',
      locality: 'urban',
    });
    schoolIds.push({ id, stage });
  }
  for (let i = 0; i < units.length; i += 500)
    await ctx.db
      .insertInto('unit')
      .values(units.slice(i, i + 500) as never)
      .execute();
  await ensureDefinitions(ctx.db);
  const form = (await repo.formByCode(ctx.db, SCHOOL_ANNUAL_FORM_CODE))!;
  const rows = [];
  for (const period of ['2025', '2026'])
    for (const s of schoolIds) {
      const students = 100 + Math.floor(rng() * 1500);
      const junior = s.stage === 'junior';
      const p =
        s.stage === 'nine_year'
          ? Math.round(students * 0.6)
          : junior || s.stage === 'complete_secondary'
            ? 0
            : students;
      const seniors = s.stage === 'complete_secondary' ? Math.round(students * 0.4) : 0;
      const r = (a: number, b: number) => a + rng() * (b - a);
      rows.push({
        id: randomUUID(),
        form_id: form.id,
        unit_id: s.id,
        period,
        status: 'approved' as const,
        vals: JSON.stringify({
          STUDENTS: students,
          STUDENTS_PRIMARY: p,
          STUDENTS_JUNIOR: students - p - seniors,
          STUDENTS_SENIOR: seniors,
          CLASSES: Math.round(students / 45),
          LARGE_CLASSES: Math.round(r(0, 3)),
          SUPER_LARGE_CLASSES: Math.round(r(0, 1)),
          TEACHERS: Math.round(students / r(12, 18)),
          QUALIFIED_TEACHERS: Math.round((students * r(3, 7)) / 100),
          BACKBONE_TEACHERS: Math.round((students * r(0.6, 1.6)) / 100),
          ARTS_PE_TEACHERS: Math.round((students * r(0.6, 1.4)) / 100),
          SENIOR_TITLE_TEACHERS: Math.round(students / r(25, 40)),
          BUILDING_AREA: Math.round(students * r(3.5, 8)),
          SPORTS_AREA: Math.round(students * r(5, 14)),
          EQUIPMENT_VALUE: Math.round(students * r(1500, 3500)),
          BOOKS: Math.round(students * r(20, 45)),
          COMPUTERS: Math.round(students / r(6, 12)),
          MULTIMEDIA_ROOMS: Math.round((students * r(1.8, 3.2)) / 100),
        }),
      });
    }
  for (let i = 0; i < rows.length; i += 500)
    await ctx.db
      .insertInto('data_submission')
      .values(rows.slice(i, i + 500))
      .execute();
  return { cityId, cityPath };
}

const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function collectionBench(): Promise<void> {
  const schools = Number(process.env.BENCH_SCHOOLS ?? 1200);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const dataDir = mkdtempSync(join(tmpdir(), 'dudao-bench-collection-'));
  const ctx = await createContext(loadConfig({ dataDir, logLevel: 'error' }));
  try {
    console.error(`bench: building a city of ${schools} schools on ${ctx.engine}…`);
    const { cityPath } = await buildCity(ctx, schools);
    const form = (await repo.formByCode(ctx.db, SCHOOL_ANNUAL_FORM_CODE))!;
    const counties = await ctx.db
      .selectFrom('unit')
      .select(['id', 'kind', 'name', 'path', 'parent_id', 'stage', 'ownership', 'status'])
      .where('kind', '=', 'county_bureau')
      .where('path', 'like', cityPath + '%')
      .execute();
    const indicators = (await repo.listIndicators(ctx.db)).length;

    const baseline: number[] = [];
    const full: number[] = [];
    let values = 0;
    let coefficients = 0;
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      await repo.submissionsUnder(ctx.db, form.id, '2026', cityPath);
      baseline.push(ms(t0));
      t0 = performance.now();
      const byCounty = await allIndicatorsByCounty(ctx.db, cityPath, '2026', true);
      values = [...byCounty.values()].reduce((s, m) => s + m.size, 0);
      coefficients = 0;
      for (const r of await computeStoredAll(ctx, cityPath, form, '2026', true, 'zh'))
        coefficients += r.stages.reduce(
          (s, st) => s + st.quality.indicators.length + st.basic.indicators.length,
          0,
        );
      full.push(ms(t0));
    }
    const b = median(baseline);
    const f = median(full);
    console.log(
      `\ncollection — ${ctx.engine}, ${schools} schools in ${counties.length} counties, median of ${runs} runs`,
    );
    console.log('step'.padEnd(52) + 'ms'.padStart(10));
    console.log('baseline: read the period’s submissions (one query)'.padEnd(52) + b.toFixed(1).padStart(10));
    console.log(
      `all ${indicators} indicators × ${counties.length} counties + balance of every county`.padEnd(52) +
        f.toFixed(1).padStart(10),
    );
    console.log(
      `indicator values ${values}, coefficients ${coefficients}; target ≤ 2000 ms: ${f <= 2000 ? 'met' : 'NOT met'}`,
    );
    console.log(`ratio full/baseline: ${(f / Math.max(b, 0.001)).toFixed(2)}×`);
  } finally {
    await ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await collectionBench();
