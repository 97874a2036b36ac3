/**
 * 控辍保学 at scale, on PostgreSQL (BENCH_PG_URL or DATABASE_URL; a scratch database is created beside it).
 * BENCH_DROPOUT_STUDENTS (default 100,000) students in classes of 40 at schools of 1,000 over 4 counties,
 * BENCH_DROPOUT_DAYS (default 20) school days of sheets with 5 % exceptions (half of them 旷课), and 0.2 % of
 * the students absent on the last 3 days. Each figure is printed with a ratio to a baseline measured in the
 * same run on the same data:
 * - daily ingest: one day's marks for the whole city through the set-based insert into the monthly
 *   partition (with the day's sheets) vs the same rows into a bare unlogged table (no indexes, no partitions);
 *   and the raw throughput of one mark per student (students × 1 marks) the same two ways;
 * - detection: `scan()` over the city vs one count(*) over the window's 旷课 marks;
 * - 四查三比对: `runCrosscheck()` (read, validate, HMAC, store, match, count; dry run) of a CSV list of
 *   2 × students persons vs only reading and parsing the file;
 * - dashboard: p50/p95 of `dashboard()` for a county over 30 calls vs a `select 1` round trip.
 * The issue's targets are at city scale (1M students, 2M persons); this measures at the scale set above and
 * prints it. Setup rows are written by SQL (not measured). Measures; never asserts.
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
import { dataSigns } from '../server/src/modules/dropout/signs.service.js';
import { runCrosscheck } from '../server/src/modules/dropout/crosscheck.service.js';
import { ensureMarkPartition } from '../server/src/modules/dropout/dropout.repository.js';
import { scan } from '../server/src/modules/dropout/dropout.service.js';
import { createRootUnit, createUnit } from '../server/src/modules/units/units.service.js';
import { systemActor } from '../server/src/platform/access/actor.js';
import { lastSchoolDays, loadCalendars } from '../server/src/platform/calendar/school-days.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createContext } from '../server/src/platform/context.js';
import { generateIdNumber } from '../server/src/platform/crypto/id-number.js';
import { readCsvRows } from '../server/src/platform/imports/csv-reader.js';

const STUDENTS = Number(process.env.BENCH_DROPOUT_STUDENTS ?? 100_000);
const DAYS = Number(process.env.BENCH_DROPOUT_DAYS ?? 20);
const PER_CLASS = 40;
const PER_SCHOOL = 1000;
const COUNTIES = ['220302', '220303', '220322', '220382'];
const sys = { actor: null, ip: null, requestId: null };

const deps = {
  dashboard,
  dataSigns,
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
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

export async function dropoutBench(): Promise<void> {
  const pgUrl = process.env.BENCH_PG_URL ?? process.env.DATABASE_URL;
  if (!pgUrl) {
    console.log('\ndropout: needs BENCH_PG_URL or DATABASE_URL (PostgreSQL); skipped');
    return;
  }
  const d = deps;
  const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-dropout-'));
  const lines: string[] = [];
  const line = (label: string, s: number, base: number, extra = '') =>
    lines.push(
      `${label.padEnd(44)} ${s.toFixed(2).padStart(7)} s  ×${(s / base).toFixed(1)} of baseline ${base.toFixed(2)} s${extra}`,
    );
  try {
    await withPostgres(pgUrl, async (url) => {
      const ctx = await d.createContext(
        d.loadConfig({ dataDir: mkdtempSync(join(dir, 'pg-')), databaseUrl: url, logLevel: 'warn' }),
      );
      try {
        console.log(`\ndropout: ${STUDENTS.toLocaleString()} students, ${DAYS} school days; setting up …`);
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
        for (let i = 0; i < STUDENTS; i++) {
          const birth = birthOf(i);
          const sc = schools[Math.floor(i / PER_SCHOOL) % schools.length]!;
          const id = d.generateIdNumber(sc.county, birth, i % 2 ? 'M' : 'F', Math.floor(i / 2920) % 499);
          ids.push(id);
          hmacs.push(ctx.vault.hmac(id));
          births.push(birth);
          schoolOf.push(sc.id);
          countyOf.push(sc.county);
        }
        for (let i = 0; i < STUDENTS; i += 20_000) {
          const sl = <T>(a: T[]) => a.slice(i, i + 20_000);
          await sql`
            insert into school_class (id, school_id, school_year, stage, grade, name)
            select distinct on (cls) md5(s || ':' || cls)::uuid, s, '2026', 'primary', 3, cls::text || '班'
            from unnest(${sl(schoolOf)}::uuid[], ${Array.from({ length: Math.min(20_000, STUDENTS - i) }, (_, k) => Math.floor((i + k) / PER_CLASS))}::int[]) as t(s, cls)
            on conflict do nothing`.execute(ctx.db);
          await sql`
            insert into student (id, school_id, county_code, class_id, name, sex, birth_date, stage, grade, status,
              id_number_hmac, id_number_enc, poverty_household)
            select gen_random_uuid(), s, c, md5(s || ':' || (n / ${PER_CLASS}))::uuid, '学生' || n, 'F', b::date, 'primary', 3,
              'enrolled', h, 'x', n % 50 = 0
            from unnest(${sl(schoolOf)}::uuid[], ${sl(countyOf)}::text[], ${sl(births)}::text[], ${sl(hmacs)}::text[],
              ${Array.from({ length: Math.min(20_000, STUDENTS - i) }, (_, k) => i + k)}::int[]) as t(s, c, b, h, n)`.execute(
            ctx.db,
          );
        }
        await sql`analyze student`.execute(ctx.db);
        // The last DAYS school days of the first school (all share the default calendar).
        const first = await ctx.db
          .selectFrom('unit')
          .select(['id', 'path'])
          .where('id', '=', schools[0]!.id)
          .executeTakeFirstOrThrow();
        const cals = await d.loadCalendars(ctx.db, [first], {
          start: '2026-08-01',
          end: '2026-11-20',
        });
        const days = d.lastSchoolDays(cals.get(schools[0]!.id)!, '2026-11-20', DAYS + 1).reverse();
        const ingestDay = days.pop()!;
        const writeDay = async (day: string, table: 'attendance_mark' | 'bare_mark', last3: boolean) => {
          await sql`
            insert into ${sql.table(table)} (day, student_id, class_id, school_id, county_code, kind, reason)
            select ${day}::date, s.id, s.class_id, s.school_id, s.county_code,
              case when ${last3} and abs(hashtext(s.id::text)) % 500 = 0 then 'unexcused'
                   when abs(hashtext(s.id::text || ${day})) % 40 = 0 then 'unexcused'
                   when abs(hashtext(s.id::text || ${day})) % 40 = 1 then 'sick' else 'late' end, null
            from student s
            where (${last3} and abs(hashtext(s.id::text)) % 500 = 0) or abs(hashtext(s.id::text || ${day})) % 20 = 0`.execute(
            ctx.db,
          );
        };
        const writeSheets = (day: string) =>
          sql`insert into attendance_sheet (class_id, day, school_id, enrolled, present, late, sick, personal, unexcused)
            select c.id, ${day}::date, c.school_id, ${PER_CLASS}, ${PER_CLASS}, 0, 0, 0, 0 from school_class c`.execute(
            ctx.db,
          );
        await ctx.db.transaction().execute(async (trx) => {
          for (const m of new Set([...days, ingestDay].map((x) => x.slice(0, 7))))
            await d.ensureMarkPartition(trx, `${m}-01`);
        });
        for (const [k, day] of days.entries()) {
          await writeSheets(day);
          await writeDay(day, 'attendance_mark', k >= days.length - 3);
        }
        await sql`analyze attendance_mark`.execute(ctx.db);
        await sql`analyze attendance_sheet`.execute(ctx.db);
        const marks = await sql<{ n: number }>`select count(*)::int as n from attendance_mark`.execute(
          ctx.db,
        );
        lines.push(
          `setup: ${schools.length} schools, ${STUDENTS.toLocaleString()} students, ${days.length} days, ${marks.rows[0]!.n.toLocaleString()} marks (${secs(t0).toFixed(0)} s, not measured)`,
        );

        // 1. Daily ingest.
        await sql`create unlogged table bare_mark (day date, student_id uuid, class_id uuid, school_id uuid, county_code text, kind text, reason text)`.execute(
          ctx.db,
        );
        let t = process.hrtime.bigint();
        await writeDay(ingestDay, 'bare_mark', true);
        const bare = secs(t);
        t = process.hrtime.bigint();
        await writeSheets(ingestDay);
        await writeDay(ingestDay, 'attendance_mark', true);
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

        // 1b. Raw mark throughput: one mark for every student on one more day (the per-mark cost at volume).
        const extraDay = days[0]!;
        await sql`truncate bare_mark`.execute(ctx.db);
        const every = (table: string, day: string) =>
          sql`insert into ${sql.table(table)} (day, student_id, class_id, school_id, county_code, kind, reason)
            select ${day}::date, s.id, s.class_id, s.school_id, s.county_code, 'late', null from student s
            on conflict do nothing`.execute(ctx.db);
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

        // 2. Detection over the city.
        t = process.hrtime.bigint();
        await sql`select count(*) from attendance_mark where kind = 'unexcused' and day >= ${days[0]!}`.execute(
          ctx.db,
        );
        const countBase = secs(t);
        t = process.hrtime.bigint();
        const r = await d.scan(ctx, origin, ingestDay);
        line(`detection scan (new cases ${r.newCases.toLocaleString()})`, secs(t), countBase);

        // 3. 四查三比对 of 2 × students persons.
        const file = join(dir, 'list.csv');
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
        for await (const batch of d.readCsvRows(createReadStream(file), { batchSize: 5000 }))
          n += batch.length;
        const readBase = secs(t);
        const cityUnit = await ctx.db
          .selectFrom('unit')
          .select(['id', 'kind', 'name', 'path', 'region_code', 'county_code'])
          .where('id', '=', city.id)
          .executeTakeFirstOrThrow();
        t = process.hrtime.bigint();
        const cc = await d.runCrosscheck(ctx, origin, {
          unit: cityUnit,
          path: file,
          fileName: 'list.csv',
          dryRun: true,
          asOf: '2026-11-20',
        });
        line(
          `四查三比对 (${(n - 1).toLocaleString()} persons vs ${STUDENTS.toLocaleString()} students)`,
          secs(t),
          readBase,
          `  sum of categories ${cc.counts.listed === n - 1 ? '=' : '≠'} listed`,
        );

        // 4. Dashboard latency.
        const county = await ctx.db
          .selectFrom('unit')
          .select('id')
          .where('code', '=', '220302')
          .executeTakeFirstOrThrow();
        const base: number[] = [];
        const dash: number[] = [];
        for (let i = 0; i < 30; i++) {
          t = process.hrtime.bigint();
          await sql`select 1`.execute(ctx.db);
          base.push(secs(t) * 1000);
          t = process.hrtime.bigint();
          await d.dashboard(ctx, origin.actor, { under: county.id, date: ingestDay });
          dash.push(secs(t) * 1000);
        }
        const part = async (label: string, fn: () => Promise<unknown>) => {
          const xs: number[] = [];
          for (let i = 0; i < 10; i++) {
            t = process.hrtime.bigint();
            await fn();
            xs.push(secs(t) * 1000);
          }
          lines.push(
            `${`  of which ${label} p50 / p95`.padEnd(44)} ${pct(xs, 0.5).toFixed(1)} / ${pct(xs, 0.95).toFixed(1)} ms`,
          );
        };
        const countyPath = (
          await ctx.db.selectFrom('unit').select('path').where('id', '=', county.id).executeTakeFirstOrThrow()
        ).path;
        await part('data signs', () => d.dataSigns(ctx, origin.actor, countyPath, ingestDay));
        await part('not-submitted report', () =>
          d.missingReport(ctx, origin.actor, { date: ingestDay, under: county.id }),
        );
        lines.push(
          `${'dashboard (county) p50 / p95'.padEnd(44)} ${pct(dash, 0.5).toFixed(1)} / ${pct(dash, 0.95).toFixed(1)} ms  ×${(pct(dash, 0.95) / pct(base, 0.95)).toFixed(0)} of select-1 p95 ${pct(base, 0.95).toFixed(2)} ms`,
        );
      } finally {
        await ctx.close();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`dropout (PostgreSQL):\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
