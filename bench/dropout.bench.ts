/**
 * 控辍保学 at scale, on PostgreSQL (BENCH_PG_URL or DATABASE_URL; a scratch database is created beside it) and
 * on the embedded PGlite at a smaller size (BENCH_DROPOUT_PGLITE_STUDENTS, default 20,000; 0 skips it).
 * BENCH_DROPOUT_STUDENTS (default 100,000; the issue's city is 1,000,000) students in classes of 40 at schools
 * of 1,000 over 4 counties, BENCH_DROPOUT_DAYS (default 20; the issue's 60) school days of sheets with 5 %
 * exceptions (half of them 旷课), and 0.2 % of the students absent on the last 3 days. Students have
 * time-ordered ids in roster order (as the registry's import assigns them); each class's sheet carries the
 * counts of its marks. Each figure is printed with a ratio to a baseline measured in the same run on the same
 * data:
 * - daily ingest: one day's marks for the whole city through the set-based insert into the monthly
 *   partition (with the day's sheets) vs the same rows into a bare unlogged table (no indexes, no partitions);
 *   and the raw throughput of one mark per student (students × 1 marks) the same two ways;
 * - detection: `scan()` over the city (without the data signs) vs one count(*) over the window's 旷课 marks;
 *   the data signs (`refreshSigns`, the rest of the daily job) vs the same count;
 * - 四查三比对: `runCrosscheck()` of a CSV list of 2 × students persons, dry run and stored, vs only reading
 *   and parsing the file with the import engine's CSV reader;
 * - dashboard: p50/p95 of `dashboard()` for a county and for the city over 30 calls vs a `select 1` round trip.
 * Setup rows are written by SQL (not measured). Measures; never asserts.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createReadStream } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { missingReport } from '../server/src/modules/dropout/attendance.service.js';
import { dashboard } from '../server/src/modules/dropout/dashboard.service.js';
import { dataSigns, refreshSigns } from '../server/src/modules/dropout/signs.service.js';
import { runCrosscheck } from '../server/src/modules/dropout/crosscheck.service.js';
import { ensureMarkPartition } from '../server/src/modules/dropout/dropout.repository.js';
import { scan } from '../server/src/modules/dropout/dropout.service.js';
import { createRootUnit, createUnit } from '../server/src/modules/units/units.service.js';
import { systemActor } from '../server/src/platform/access/actor.js';
import { lastSchoolDays, loadCalendars } from '../server/src/platform/calendar/school-days.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createContext } from '../server/src/platform/context.js';
import { generateIdNumber } from '../server/src/platform/crypto/id-number.js';
import { timeOrderedId } from '../server/src/platform/db/ids.js';
import { readCsvRows } from '../server/src/platform/imports/csv-reader.js';

const PG_STUDENTS = Number(process.env.BENCH_DROPOUT_STUDENTS ?? 100_000);
const PG_DAYS = Number(process.env.BENCH_DROPOUT_DAYS ?? 20);
const PGLITE_STUDENTS = Number(process.env.BENCH_DROPOUT_PGLITE_STUDENTS ?? 20_000);
const PGLITE_DAYS = Number(process.env.BENCH_DROPOUT_PGLITE_DAYS ?? 20);
const PER_CLASS = 40;
const PER_SCHOOL = 1000;
const COUNTIES = ['220302', '220303', '220322', '220382'];
const sys = { actor: null, ip: null, requestId: null };

const deps = {
  dashboard,
  dataSigns,
  refreshSigns,
  missingReport,
  runCrosscheck,
  ensureMarkPartition,
  scan,
  createRootUnit,
  createUnit,
  systemActor,
  lastSchoolDays,
  loadCalendars,
  loadConfig,
  createContext,
  generateIdNumber,
  readCsvRows,
  timeOrderedId,
};

/** A distinct (birth date, sequence) per index: 2,920 days of 2011–2018 × 499 sequences. */
const birthOf = (i: number) =>
  new Date(Date.UTC(2011, 0, 1) + (i % 2920) * 86_400_000).toISOString().slice(0, 10);

const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function withPostgres<T>(adminUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `dudao_bench_dropout_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    // BENCH_KEEP_DB=1 keeps the scratch database for profiling (its name is printed).
    if (process.env.BENCH_KEEP_DB === '1') console.log(`dropout: kept database ${name}`);
    else await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

export async function dropoutBench(): Promise<void> {
  const pgUrl = process.env.BENCH_PG_URL ?? process.env.DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-dropout-'));
  try {
    if (!pgUrl) console.log('\ndropout: PostgreSQL needs BENCH_PG_URL or DATABASE_URL; skipped');
    else
      await withPostgres(pgUrl, async (url) => {
        const ctx = await deps.createContext(
          deps.loadConfig({ dataDir: mkdtempSync(join(dir, 'pg-')), databaseUrl: url, logLevel: 'warn' }),
        );
        try {
          await measure(ctx, 'PostgreSQL', PG_STUDENTS, PG_DAYS, dir);
        } finally {
          await ctx.close();
        }
      });
    if (PGLITE_STUDENTS > 0) {
      const ctx = await deps.createContext(
        deps.loadConfig({ dataDir: mkdtempSync(join(dir, 'pglite-')), databaseUrl: null, logLevel: 'warn' }),
      );
      try {
        await measure(ctx, 'PGlite', PGLITE_STUDENTS, PGLITE_DAYS, dir);
      } finally {
        await ctx.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Ctx = Awaited<ReturnType<typeof deps.createContext>>;

async function measure(ctx: Ctx, engine: string, STUDENTS: number, DAYS: number, dir: string): Promise<void> {
  const d = deps;
  const lines: string[] = [];
  const line = (label: string, s: number, base: number, extra = '') =>
    lines.push(
      `${label.padEnd(48)} ${s.toFixed(2).padStart(7)} s  ×${(s / base).toFixed(1)} of baseline ${base.toFixed(2)} s${extra}`,
    );
  const step = (what: string) =>
    console.log(`  ${engine}: ${what} (${new Date().toISOString().slice(11, 19)})`);
  console.log(
    `\ndropout (${engine}): ${STUDENTS.toLocaleString()} students, ${DAYS} school days; setting up …`,
  );
  const t0 = process.hrtime.bigint();
  const origin = { ...sys, actor: d.systemActor('bench') };
  const city = await d.createRootUnit(ctx, '220300', origin);
  const schools: { id: string; county: string }[] = [];
  const nSchools = Math.max(1, Math.ceil(STUDENTS / PER_SCHOOL));
  for (const [ci, code] of COUNTIES.entries()) {
    const county = await d.createUnit(
      ctx,
      origin.actor,
      { parentId: city.id, kind: 'county_bureau', code, name: `县${ci}教育局` },
      origin,
    );
    for (let i = ci; i < nSchools; i += COUNTIES.length) {
      const s = await d.createUnit(
        ctx,
        origin.actor,
        {
          parentId: county.id,
          kind: 'school',
          code: `1${code.slice(0, 2)}${code.slice(4)}${String(i + 1).padStart(5, '0')}`,
          name: `学校${i + 1}`,
          stage: 'nine_year',
          ownership: 'public',
          locality: 'urban',
        },
        origin,
      );
      schools.push({ id: s.id, county: code });
    }
  }
  // Students with real ID numbers (their HMAC, as the registry stores it) and classes, by SQL.
  const ids: string[] = [];
  const hmacs: string[] = [];
  const births: string[] = [];
  const schoolOf: string[] = [];
  const countyOf: string[] = [];
  // Time-ordered ids in roster order, as the registry's import gives them (students.import.ts `new_id`).
  const studentIds: string[] = [];
  for (let i = 0; i < STUDENTS; i++) {
    studentIds.push(d.timeOrderedId());
    const birth = birthOf(i);
    const sc = schools[Math.floor(i / PER_SCHOOL) % schools.length]!;
    const id = d.generateIdNumber(sc.county, birth, i % 2 ? 'M' : 'F', Math.floor(i / 2920) % 499);
    ids.push(id);
    hmacs.push(ctx.vault.hmac(id));
    births.push(birth);
    schoolOf.push(sc.id);
    countyOf.push(sc.county);
  }
  const B = 20_000;
  for (let i = 0; i < STUDENTS; i += B) {
    const sl = <T>(a: T[]) => a.slice(i, i + B);
    const n = Array.from({ length: Math.min(B, STUDENTS - i) }, (_, k) => i + k);
    await sql`
      insert into school_class (id, school_id, school_year, stage, grade, name)
      select distinct on (cls) md5(s || ':' || cls)::uuid, s, '2026', 'primary', 3, cls::text || '班'
      from unnest(${sl(schoolOf)}::uuid[], ${n.map((k) => Math.floor(k / PER_CLASS))}::int[]) as t(s, cls)
      on conflict do nothing`.execute(ctx.db);
    await sql`
      insert into student (id, school_id, county_code, class_id, name, sex, birth_date, stage, grade, status,
        id_number_hmac, id_number_enc, poverty_household)
      select id, s, c, md5(s || ':' || (n / ${PER_CLASS}))::uuid, '学生' || n, 'F', b::date, 'primary', 3,
        'enrolled', h, 'x', n % 50 = 0
      from unnest(${sl(studentIds)}::uuid[], ${sl(schoolOf)}::uuid[], ${sl(countyOf)}::text[], ${sl(births)}::text[],
        ${sl(hmacs)}::text[], ${n}::int[]) as t(id, s, c, b, h, n)`.execute(ctx.db);
  }
  await sql`analyze student`.execute(ctx.db);
  step('students');
  // The last DAYS school days of the first school (all share the default calendar).
  const first = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path'])
    .where('id', '=', schools[0]!.id)
    .executeTakeFirstOrThrow();
  const cals = await d.loadCalendars(ctx.db, [first], { start: '2026-06-01', end: '2026-11-20' });
  const days = d.lastSchoolDays(cals.get(schools[0]!.id)!, '2026-11-20', DAYS + 1).reverse();
  const ingestDay = days.pop()!;
  // A narrow copy of the students (id, class, school, county, a number) the mark generator reads each day.
  await sql`create unlogged table bench_s as
    select id, class_id, school_id, county_code, abs(hashtext(id::text))::bigint as h from student`.execute(
    ctx.db,
  );
  const writeDay = async (day: string, table: 'attendance_mark' | 'bare_mark', last3: boolean) => {
    const k = days.indexOf(day) + 1 || days.length + 1;
    await sql`
      insert into ${sql.table(table)} (day, student_id, class_id, school_id, county_code, kind, reason)
      select ${day}::date, s.id, s.class_id, s.school_id, s.county_code,
        case when ${last3} and s.h % 500 = 0 then 'unexcused'
             when (s.h + ${k * 7919}) % 40 = 0 then 'unexcused'
             when (s.h + ${k * 7919}) % 40 = 1 then 'sick' else 'late' end, null
      from bench_s s
      where (${last3} and s.h % 500 = 0) or (s.h + ${k * 7919}) % 40 in (0, 1, 2, 3)
      order by s.id`.execute(ctx.db);
  };
  // Each class's sheet of the day, its counts from the day's marks (as submitSheet counts them).
  const writeSheets = (day: string) =>
    sql`insert into attendance_sheet (class_id, day, school_id, enrolled, present, late, sick, personal, unexcused)
      select c.id, ${day}::date, c.school_id, ${PER_CLASS},
        ${PER_CLASS} - count(m.kind) filter (where m.kind in ('sick', 'personal', 'unexcused')),
        count(m.kind) filter (where m.kind = 'late'), count(m.kind) filter (where m.kind = 'sick'),
        count(m.kind) filter (where m.kind = 'personal'), count(m.kind) filter (where m.kind = 'unexcused')
      from school_class c left join attendance_mark m on m.class_id = c.id and m.day = ${day}
      group by c.id, c.school_id`.execute(ctx.db);
  await ctx.db.transaction().execute(async (trx) => {
    for (const m of new Set([...days, ingestDay].map((x) => x.slice(0, 7))))
      await d.ensureMarkPartition(trx, `${m}-01`);
  });
  for (const [k, day] of days.entries()) {
    await writeDay(day, 'attendance_mark', k >= days.length - 3);
    await writeSheets(day);
  }
  await sql`analyze attendance_mark`.execute(ctx.db);
  await sql`analyze attendance_sheet`.execute(ctx.db);
  const marks = await sql<{ n: number }>`select count(*)::int as n from attendance_mark`.execute(ctx.db);
  lines.push(
    `setup: ${schools.length} schools, ${STUDENTS.toLocaleString()} students, ${days.length} days, ${marks.rows[0]!.n.toLocaleString()} marks (${secs(t0).toFixed(0)} s, not measured)`,
  );
  step('marks');

  // 1. Daily ingest.
  await sql`create unlogged table bare_mark (day date, student_id uuid, class_id uuid, school_id uuid, county_code text, kind text, reason text)`.execute(
    ctx.db,
  );
  let t = process.hrtime.bigint();
  await writeDay(ingestDay, 'bare_mark', true);
  const bare = secs(t);
  t = process.hrtime.bigint();
  await writeDay(ingestDay, 'attendance_mark', true);
  await writeSheets(ingestDay);
  const ingest = secs(t);
  const dayMarks = await sql<{
    n: number;
  }>`select count(*)::int as n from attendance_mark where day = ${ingestDay}`.execute(ctx.db);
  line(
    `daily ingest (${dayMarks.rows[0]!.n.toLocaleString()} marks + sheets)`,
    ingest,
    bare,
    `  ${Math.round(dayMarks.rows[0]!.n / ingest).toLocaleString()} marks/s`,
  );

  // 1b. Raw mark throughput: one mark for every student on one more day (the per-mark cost at volume), after
  // that day's marks are deleted — as the attendance import's merge replaces a day's marks (no ON CONFLICT).
  const extraDay = days[0]!;
  await sql`truncate bare_mark`.execute(ctx.db);
  const every = (table: string, day: string) =>
    sql`insert into ${sql.table(table)} (day, student_id, class_id, school_id, county_code, kind, reason)
      select ${day}::date, s.id, s.class_id, s.school_id, s.county_code, 'late', null from bench_s s
      order by s.id`.execute(ctx.db);
  t = process.hrtime.bigint();
  await every('bare_mark', extraDay);
  const bareAll = secs(t);
  await sql`delete from attendance_mark where day = ${extraDay}`.execute(ctx.db);
  t = process.hrtime.bigint();
  await every('attendance_mark', extraDay);
  const all = secs(t);
  line(
    `ingest of ${STUDENTS.toLocaleString()} marks (one per student)`,
    all,
    bareAll,
    `  ${Math.round(STUDENTS / all).toLocaleString()} marks/s`,
  );
  // Back to the day's real marks for the detection below.
  await sql`delete from attendance_mark where day = ${extraDay}`.execute(ctx.db);
  await writeDay(extraDay, 'attendance_mark', false);
  step('ingest');

  // 2. The daily job over the city: detection, then the data signs.
  t = process.hrtime.bigint();
  await sql`select count(*) from attendance_mark where kind = 'unexcused' and day >= ${days[days.length - 30] ?? days[0]!}`.execute(
    ctx.db,
  );
  const countBase = secs(t);
  t = process.hrtime.bigint();
  const r = await d.scan(ctx, origin, ingestDay, { signs: false });
  const scanS = secs(t);
  line(`detection scan (new cases ${r.newCases.toLocaleString()})`, scanS, countBase);
  t = process.hrtime.bigint();
  const signs = await d.refreshSigns(ctx.db, ingestDay);
  const signsS = secs(t);
  line(`data signs stored (${Object.values(signs).reduce((a, b) => a + b, 0)} signs)`, signsS, countBase);
  line('daily job (detection + signs)', scanS + signsS, countBase);
  t = process.hrtime.bigint();
  const again = await d.scan(ctx, origin, ingestDay, { signs: false });
  line(`detection re-run (new cases ${again.newCases})`, secs(t), countBase);
  step('detection');

  // 3. 四查三比对 of 2 × students persons.
  const file = join(dir, `list-${engine}.csv`);
  const out = createWriteStream(file);
  out.write('姓名,身份证号,乡镇\n');
  for (let i = 0; i < STUDENTS * 2; i++) {
    const idn =
      i < STUDENTS
        ? ids[i]!
        : d.generateIdNumber('220381', birthOf(i), i % 2 ? 'M' : 'F', Math.floor(i / 2920) % 499);
    if (!out.write(`人${i},${idn},仁兴街道\n`))
      await new Promise<void>((res) => out.once('drain', () => res()));
  }
  out.end();
  await finished(out);
  t = process.hrtime.bigint();
  let n = 0;
  for await (const batch of d.readCsvRows(createReadStream(file), { batchSize: 5000 })) n += batch.length;
  const readBase = secs(t);
  const cityUnit = await ctx.db
    .selectFrom('unit')
    .select(['id', 'kind', 'name', 'path', 'region_code', 'county_code'])
    .where('id', '=', city.id)
    .executeTakeFirstOrThrow();
  for (const dryRun of [true, false]) {
    t = process.hrtime.bigint();
    const cc = await d.runCrosscheck(ctx, origin, {
      unit: cityUnit,
      path: file,
      fileName: 'list.csv',
      dryRun,
      asOf: '2026-11-20',
    });
    const sum = Object.entries(cc.counts)
      .filter(([k]) => k !== 'listed')
      .reduce((a, [, v]) => a + v, 0);
    line(
      `四查三比对 ${dryRun ? 'dry run' : 'stored '} (${(n - 1).toLocaleString()} vs ${STUDENTS.toLocaleString()})`,
      secs(t),
      readBase,
      `  listed ${cc.counts.listed.toLocaleString()}, categories sum ${sum === cc.counts.listed && cc.counts.listed === n - 1 ? '=' : '≠'} listed`,
    );
  }
  step('crosscheck');

  // 4. Dashboard latency (county and city), the signs read from the daily job's run. The cross-check above
  // has just written millions of rows: a checkpoint first, so the server's flushing of them is not measured
  // as request latency.
  await sql`checkpoint`.execute(ctx.db);
  const county = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path'])
    .where('code', '=', '220302')
    .executeTakeFirstOrThrow();
  const base: number[] = [];
  for (let i = 0; i < 30; i++) {
    t = process.hrtime.bigint();
    await sql`select 1`.execute(ctx.db);
    base.push(secs(t) * 1000);
  }
  const latency = async (label: string, fn: () => Promise<unknown>, times = 30) => {
    const xs: number[] = [];
    for (let i = 0; i < times; i++) {
      t = process.hrtime.bigint();
      await fn();
      xs.push(secs(t) * 1000);
    }
    lines.push(
      `${`${label} p50 / p95`.padEnd(48)} ${pct(xs, 0.5).toFixed(1)} / ${pct(xs, 0.95).toFixed(1)} ms  ×${(pct(xs, 0.95) / pct(base, 0.95)).toFixed(0)} of select-1 p95 ${pct(base, 0.95).toFixed(2)} ms`,
    );
  };
  await latency('dashboard (county)', () =>
    d.dashboard(ctx, origin.actor, { under: county.id, date: ingestDay }),
  );
  await latency('dashboard (city)', () =>
    d.dashboard(ctx, origin.actor, { under: city.id, date: ingestDay }),
  );
  await latency('  of which data signs (county)', () =>
    d.dataSigns(ctx, origin.actor, county.path, ingestDay),
  );
  await latency('  of which not-submitted report (county)', () =>
    d.missingReport(ctx, origin.actor, { date: ingestDay, under: county.id }),
  );
  console.log(`dropout (${engine}):\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
