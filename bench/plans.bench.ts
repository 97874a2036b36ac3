/**
 * 部署·督办·考评 at city scale: a city bureau's plan of BENCH_PLANS_TASKS (default 50) tasks fanned out to
 * 15 counties, BENCH_PLANS_SPLIT (default 10) of them split by every county to all its schools
 * (BENCH_PLANS_SCHOOLS, default 1,200), and a year of monthly reports (every month since January up to
 * today, 10 % of the units silent, values towards the targets). Each figure is a median of BENCH_PLANS_RUNS
 * (default 5) runs with its ratio to a baseline measured in the same run: one bare select of the same rows
 * (the plan's assignments joined with their reports). Measured:
 * - status computation: `loadPlanData` + `evaluate` of the whole plan (and `evaluate` alone, pure CPU);
 * - the dispatch view (调度会) `dispatchView` for the city;
 * - assessment scoring: `periodResults` of an open period for the counties (with the findings-ledger item)
 *   and for the 1,200 schools.
 * On PostgreSQL (BENCH_PG_URL or DATABASE_URL: a scratch database is created beside it and dropped after);
 * also on PGlite when BENCH_PLANS_PGLITE=1 or when no PostgreSQL URL is given. Setup rows are written by SQL
 * (not measured). Measures; never asserts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { createPeriod, createScheme, periodResults } from '../server/src/modules/plans/plans.assess.js';
import { dispatchView } from '../server/src/modules/plans/plans.dispatch.js';
import { evaluate } from '../server/src/modules/plans/plans.evaluate.js';
import { loadPlanData } from '../server/src/modules/plans/plans.repository.js';
import { systemActor } from '../server/src/platform/access/actor.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createContext, type AppContext } from '../server/src/platform/context.js';
import { addDays, chinaToday } from '../server/src/platform/dates.js';

const TASKS = Number(process.env.BENCH_PLANS_TASKS ?? 50);
const SPLIT = Number(process.env.BENCH_PLANS_SPLIT ?? 10);
const SCHOOLS = Number(process.env.BENCH_PLANS_SCHOOLS ?? 1200);
const COUNTIES = 15;
const RUNS = Number(process.env.BENCH_PLANS_RUNS ?? 5);
const sys = systemActor('bench');
const origin = { actor: sys, ip: null, requestId: null };

const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function insertChunks(ctx: AppContext, table: string, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += 1000)
    await ctx.db
      .insertInto(table as 'unit')
      .values(rows.slice(i, i + 1000) as never)
      .execute();
}

/** The city, its counties and schools, the plan, assignments and a year of reports, by SQL. */
async function build(ctx: AppContext, today: string) {
  const year = Number(today.slice(0, 4));
  let seed = 42;
  const rng = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const cityId = randomUUID();
  const cityPath = `/${cityId}/`;
  const units: Record<string, unknown>[] = [
    {
      id: cityId,
      kind: 'city_bureau',
      code: '229900',
      name: '基准市教育局',
      parent_id: null,
      path: cityPath,
      depth: 0,
      region_code: '229900',
    },
  ];
  const counties = Array.from({ length: COUNTIES }, (_, i) => {
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
    return { id, code, path: `${cityPath}${id}/`, schools: [] as string[] };
  });
  for (let i = 0; i < SCHOOLS; i++) {
    const c = counties[i % COUNTIES]!;
    const id = randomUUID();
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
      stage: 'primary',
      ownership: 'public',
      locality: 'urban',
    });
    c.schools.push(id);
  }
  await insertChunks(ctx, 'unit', units);

  const planId = randomUUID();
  const startsOn = `${year}-01-01`;
  await ctx.db
    .insertInto('plan')
    .values({
      id: planId,
      owner_unit_id: cityId,
      title: `基准市${year}年教育工作要点`,
      kind: 'annual',
      year,
      starts_on: startsOn,
      ends_on: `${year}-12-31`,
    })
    .execute();
  const chapters = Array.from({ length: 5 }, (_, i) => ({
    id: randomUUID(),
    plan_id: planId,
    seq: i + 1,
    title: `第${i + 1}章`,
  }));
  await insertChunks(ctx, 'plan_chapter', chapters);
  const tasks: Record<string, unknown>[] = [];
  const assignments: Record<string, unknown>[] = [];
  const reports: Record<string, unknown>[] = [];
  const created = `${startsOn}T00:00:00+08:00`;
  const dues: string[] = [];
  for (let m = 2; m <= 12; m++) {
    const d = `${year}-${String(m).padStart(2, '0')}-05`;
    if (d < today) dues.push(d);
  }
  const report = (assignmentId: string, target: number | null) => {
    if (rng() < 0.1) return; // silent
    for (const [i, d] of dues.entries())
      reports.push({
        id: randomUUID(),
        assignment_id: assignmentId,
        reported_on: rng() < 0.8 ? addDays(d, -1) : addDays(d, 3),
        text: '按计划推进',
        value: target === null ? null : Math.round(target * ((i + 1) / 12) * (0.7 + rng() * 0.4) * 10) / 10,
        completed: false,
        file_ids: [],
      });
  };
  for (let t = 0; t < TASKS; t++) {
    const taskId = randomUUID();
    const target = t % 3 === 0 ? 100 : null;
    tasks.push({
      id: taskId,
      plan_id: planId,
      chapter_id: chapters[t % chapters.length]!.id,
      seq: t + 1,
      title: `重点任务${t + 1}`,
      lead_office: '办公室',
      co_offices: [],
      starts_on: startsOn,
      due_on: `${year}-12-31`,
      report_cycle: 'monthly',
      target_indicator: target === null ? null : '完成率',
      target_op: target === null ? null : '>=',
      target_value: target,
      target_unit: target === null ? null : '%',
      target_text: target === null ? null : '完成率≥100%',
    });
    for (const c of counties) {
      const aid = randomUUID();
      assignments.push({ id: aid, plan_id: planId, task_id: taskId, unit_id: c.id, created_at: created });
      report(aid, target);
      if (t < SPLIT)
        for (const s of c.schools) {
          const sid = randomUUID();
          assignments.push({
            id: sid,
            plan_id: planId,
            task_id: taskId,
            unit_id: s,
            parent_id: aid,
            created_at: created,
          });
          report(sid, target);
        }
    }
  }
  await insertChunks(ctx, 'plan_task', tasks);
  await insertChunks(ctx, 'plan_assignment', assignments);
  await insertChunks(ctx, 'plan_report', reports);
  await sql`analyze`.execute(ctx.db);
  return { cityId, planId, year, assignments: assignments.length, reports: reports.length };
}

async function measure(label: string, fn: () => Promise<unknown>) {
  await fn(); // warm
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(ms(t0));
  }
  return { label, ms: median(xs) };
}

async function runOn(ctx: AppContext) {
  const today = chinaToday();
  const t0 = performance.now();
  const b = await build(ctx, today);
  const scheme = await createScheme(
    ctx,
    sys,
    {
      ownerUnitId: b.cityId,
      year: b.year,
      unitKind: 'county_bureau',
      name: '县区考评',
      items: [
        { kind: 'task_completion', name: '任务完成', weight: 40 },
        { kind: 'target_achievement', name: '目标达成', weight: 20 },
        { kind: 'report_timeliness', name: '报送及时', weight: 20 },
        { kind: 'rectification_rate', name: '整改率', weight: 10 },
        { kind: 'manual', name: '综合', weight: 10 },
      ],
    },
    origin,
  );
  const countyPeriod = (
    await createPeriod(
      ctx,
      sys,
      {
        schemeId: scheme.id,
        planId: b.planId,
        label: `${b.year}年度`,
        startsOn: `${b.year}-01-01`,
        endsOn: `${b.year}-12-31`,
      },
      origin,
    )
  ).periods[0]!.id;
  const schoolScheme = await createScheme(
    ctx,
    sys,
    {
      ownerUnitId: b.cityId,
      year: b.year,
      unitKind: 'school',
      name: '学校考评',
      items: [
        { kind: 'task_completion', name: '任务完成', weight: 50 },
        { kind: 'report_timeliness', name: '报送及时', weight: 50 },
      ],
    },
    origin,
  );
  const schoolPeriod = (
    await createPeriod(
      ctx,
      sys,
      {
        schemeId: schoolScheme.id,
        planId: b.planId,
        label: `${b.year}年度`,
        startsOn: `${b.year}-01-01`,
        endsOn: `${b.year}-12-31`,
      },
      origin,
    )
  ).periods[0]!.id;
  console.log(
    `\nplans — ${ctx.engine}: ${TASKS} tasks × ${COUNTIES} counties, ${SPLIT} split to ${SCHOOLS} schools: ` +
      `${b.assignments.toLocaleString()} assignments, ${b.reports.toLocaleString()} reports (setup ${(ms(t0) / 1000).toFixed(1)} s), median of ${RUNS}`,
  );
  const baseline = await measure('baseline: select the plan’s assignments × reports', () =>
    ctx.db
      .selectFrom('plan_assignment as a')
      .leftJoin('plan_report as r', 'r.assignment_id', 'a.id')
      .select(['a.id', 'a.unit_id', 'a.task_id', 'r.reported_on', 'r.value', 'r.completed'])
      .where('a.plan_id', '=', b.planId)
      .execute(),
  );
  const data = await loadPlanData(ctx.db, [b.planId], null);
  const results = [
    await measure('status: loadPlanData + evaluate (whole plan)', async () =>
      evaluate(await loadPlanData(ctx.db, [b.planId], sys), today),
    ),
    await measure('status: evaluate alone (CPU)', () => Promise.resolve(evaluate(data, today))),
    await measure('dispatch view (调度会), city', () => dispatchView(ctx, sys, b.planId, today)),
    await measure(`assessment: ${COUNTIES} counties (with ledger item)`, () =>
      periodResults(ctx, sys, countyPeriod, today),
    ),
    await measure(`assessment: ${SCHOOLS} schools`, () => periodResults(ctx, sys, schoolPeriod, today)),
  ];
  console.log('step'.padEnd(56) + 'ms'.padStart(10) + '  ratio');
  console.log(baseline.label.padEnd(56) + baseline.ms.toFixed(1).padStart(10) + '  1.0×');
  for (const r of results)
    console.log(
      r.label.padEnd(56) +
        r.ms.toFixed(1).padStart(10) +
        `  ${(r.ms / Math.max(baseline.ms, 0.001)).toFixed(1)}×`,
    );
}

async function withPostgres(adminUrl: string, fn: (url: string) => Promise<void>) {
  const name = `dudao_bench_plans_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await fn(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

export async function plansBench(): Promise<void> {
  const pgUrl = process.env.BENCH_PG_URL ?? process.env.DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-plans-'));
  try {
    if (pgUrl)
      await withPostgres(pgUrl, async (url) => {
        const ctx = await createContext(
          loadConfig({ dataDir: mkdtempSync(join(dir, 'pg-')), databaseUrl: url, logLevel: 'error' }),
        );
        try {
          await runOn(ctx);
        } finally {
          await ctx.close();
        }
      });
    if (!pgUrl || process.env.BENCH_PLANS_PGLITE === '1') {
      const ctx = await createContext(
        loadConfig({ dataDir: mkdtempSync(join(dir, 'lite-')), logLevel: 'error' }),
      );
      try {
        await runOn(ctx);
      } finally {
        await ctx.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await plansBench();
