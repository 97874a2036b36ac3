/**
 * The student import at a million rows, and student search at that size.
 *
 * For each engine (PostgreSQL when BENCH_PG_URL or DATABASE_URL points at a server — a scratch database is
 * created beside it — and the embedded PGlite unless BENCH_SKIP_PGLITE=1):
 * - a GB18030 CSV of BENCH_IMPORT_ROWS (default 1,000,000) students of 100 schools, imported by the real
 *   job (sniff, decode, header, validation, ID encryption and HMAC, staging, set-based check and merge),
 *   beside `psql \copy` of the same rows into a bare student-shaped table (the floor: no validation, no
 *   encryption, no indexes);
 * - the same rows as .xlsx (PostgreSQL only; BENCH_SKIP_XLSX=1 leaves it out);
 * - search p50/p95 over the API at that size, as a county admin and as a school admin.
 * Prints seconds, rows/s, peak RSS and the ratio to \copy. Measures; never asserts.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import iconv from 'iconv-lite';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { rosterRow, ROSTER_HEADER, toCsv } from '../server/src/modules/students/roster-fixture.js';
import { createRootUnit, createUnit } from '../server/src/modules/units/units.service.js';
import { createUser } from '../server/src/modules/users/users.service.js';
import { systemActor } from '../server/src/platform/access/actor.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createContext, type AppContext } from '../server/src/platform/context.js';
import { writeXlsxStream } from '../server/src/platform/exports/stream-writers.js';
import { commitImportJob, createImportJob } from '../server/src/platform/imports/jobs.js';
import '../server/src/modules/students/students.import.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const SCHOOLS = 100;
const schoolCode = (i: number) => `12202${String(i).padStart(5, '0')}`;
const codes = Array.from({ length: SCHOOLS }, (_, i) => schoolCode(i + 1));
const PASSWORD = 'Bench@2026x';

async function writeCsvFile(path: string, encoding: 'gb18030' | 'utf-8', header: boolean): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) => {
    const buf = encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8');
    return out.write(buf) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  };
  if (header) await write(toCsv([['学生花名册'], [...ROSTER_HEADER]]));
  for (let i = 0; i < ROWS; i += 10_000) {
    const rows: string[][] = [];
    for (let j = i; j < Math.min(ROWS, i + 10_000); j++) rows.push(rosterRow(j, codes));
    await write(toCsv(rows));
  }
  out.end();
  await finished(out);
}

async function writeXlsxFile(path: string): Promise<void> {
  function* batches() {
    for (let i = 0; i < ROWS; i += 10_000) {
      const rows: string[][] = [];
      for (let j = i; j < Math.min(ROWS, i + 10_000); j++) rows.push(rosterRow(j, codes));
      yield rows;
    }
  }
  await writeXlsxStream(batches(), createWriteStream(path), {
    header: [...ROSTER_HEADER],
    title: '学生花名册',
  });
}

async function setupCity(ctx: AppContext): Promise<void> {
  const sys = systemActor('bench');
  const origin = { actor: sys, ip: null, requestId: null };
  const city = await createRootUnit(ctx, '220300', origin);
  const county = await createUnit(
    ctx,
    sys,
    { parentId: city.id, kind: 'county_bureau', code: '220302', name: '铁西区教育局' },
    origin,
  );
  let first = '';
  for (let i = 1; i <= SCHOOLS; i++) {
    const s = await createUnit(
      ctx,
      sys,
      {
        parentId: county.id,
        kind: 'school',
        code: schoolCode(i),
        name: `铁西区第${i}小学`,
        stage: 'primary',
      },
      origin,
    );
    if (i === 1) first = s.id;
  }
  for (const [username, unitId, role] of [
    ['bench.county', county.id, 'county_admin'],
    ['bench.school', first, 'school_admin'],
  ] as const) {
    await createUser(
      ctx,
      sys,
      { username, displayName: username, unitId, roles: [{ role, unitId }] },
      origin,
      {
        password: PASSWORD,
        mustChangePassword: false,
      },
    );
  }
}

/** Samples the process's RSS while fn runs; returns fn's result, seconds and the peak. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - t0) / 1000, peakMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

async function importFile(ctx: AppContext, path: string, name: string) {
  const sys = systemActor('bench');
  const origin = { actor: sys, ip: null, requestId: null };
  const unit = await ctx.db
    .selectFrom('unit')
    .select('id')
    .where('code', '=', '220302')
    .executeTakeFirstOrThrow();
  const { createReadStream } = await import('node:fs');
  let validateSeconds = 0;
  const run = await timed(async () => {
    const t0 = performance.now();
    const job = await createImportJob(
      ctx,
      sys,
      { kind: 'students', unitId: unit.id, fileName: name, source: createReadStream(path) },
      origin,
      { wait: true },
    );
    validateSeconds = (performance.now() - t0) / 1000;
    if (job.status !== 'validated')
      throw new Error(`validation ${job.status}: ${JSON.stringify(job.failure)}`);
    return commitImportJob(ctx, sys, job.id, 'all', origin, { wait: true });
  });
  if (run.value.status !== 'committed')
    throw new Error(`commit ${run.value.status}: ${JSON.stringify(run.value.failure)}`);
  return { ...run, validateSeconds, counts: run.value.counts };
}

function psqlCopy(url: string, csvPath: string): number {
  const table = 'bench_copy_floor';
  const ddl = `drop table if exists ${table}; create table ${table} (name text, sex text, birth_date text, ethnicity text,
    id_number text, student_no text, school_code text, grade text, class_name text, hukou text, address text,
    left_behind text, guardian_name text, guardian_relation text, guardian_phone text);`;
  execFileSync('psql', [url, '-q', '-c', ddl]);
  const t0 = performance.now();
  execFileSync('psql', [url, '-q', '-c', `\\copy ${table} from '${csvPath}' with (format csv)`]);
  const s = (performance.now() - t0) / 1000;
  execFileSync('psql', [url, '-q', '-c', `drop table ${table}`]);
  return s;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function searchLatencies(ctx: AppContext): Promise<{ who: string; p50: number; p95: number }[]> {
  const app = await buildApp(ctx, { logger: false, serveWeb: false });
  await app.ready();
  const out: { who: string; p50: number; p95: number }[] = [];
  try {
    for (const username of ['bench.county', 'bench.school']) {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: PASSWORD },
      });
      const cookie = `dudao_sid=${login.cookies.find((c) => c.name === 'dudao_sid')!.value}`;
      // What registrars type: a full name, a surname and given-name start, initials, a student number, an ID number.
      const queries: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = rosterRow(i * 977 * 100, codes);
        queries.push(r[0]!, r[0]!.slice(0, 2), 'zw', r[5]!.slice(0, 12), r[4]!);
      }
      const times: number[] = [];
      const slowest: { q: string; ms: number }[] = [];
      for (const q of queries) {
        const t0 = performance.now();
        const res = await app.inject({
          method: 'GET',
          url: `/api/students?q=${encodeURIComponent(q)}&pageSize=20`,
          headers: { cookie },
        });
        times.push(performance.now() - t0);
        slowest.push({ q, ms: performance.now() - t0 });
        if (res.statusCode !== 200) throw new Error(`search ${q}: ${res.statusCode}`);
      }
      slowest.sort((a, b) => b.ms - a.ms);
      console.log(
        `students-import: slowest searches as ${username}: ` +
          slowest
            .slice(0, 5)
            .map((x) => `${x.q.length > 6 ? x.q.slice(0, 6) + '…' : x.q} ${x.ms.toFixed(0)} ms`)
            .join(', '),
      );
      times.sort((a, b) => a - b);
      out.push({
        who: username === 'bench.county' ? 'county admin (100 schools)' : 'school admin',
        p50: percentile(times, 50),
        p95: percentile(times, 95),
      });
    }
  } finally {
    await app.close();
  }
  return out;
}

async function withPostgres<T>(adminUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `dudao_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    // BENCH_KEEP=1 leaves the database for a closer look (EXPLAIN); its name is printed.
    if (process.env.BENCH_KEEP) console.log(`students-import: kept database ${name}`);
    else await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/** Runs the benchmark and prints its table. */
export async function studentsImportBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-import-'));
  try {
    const gbCsv = join(dir, 'roster-gb18030.csv');
    const plainCsv = join(dir, 'rows-utf8.csv');
    console.log(
      `\nstudents-import: generating ${ROWS.toLocaleString()} rows (GB18030 CSV, plain CSV${process.env.BENCH_SKIP_XLSX ? '' : ', xlsx'}) …`,
    );
    await writeCsvFile(gbCsv, 'gb18030', true);
    await writeCsvFile(plainCsv, 'utf-8', false);
    const xlsx = join(dir, 'roster.xlsx');
    if (!process.env.BENCH_SKIP_XLSX) await writeXlsxFile(xlsx);

    const lines: string[] = [];
    const report = (
      label: string,
      r: { seconds: number; peakMb: number; validateSeconds: number; counts: { rows: number } },
      floor: number | null,
    ) =>
      lines.push(
        `${label.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s  (validate ${r.validateSeconds.toFixed(1)} s, merge ${(r.seconds - r.validateSeconds).toFixed(1)} s)  ` +
          `${Math.round(r.counts.rows / r.seconds)
            .toLocaleString()
            .padStart(8)} rows/s  peak RSS ${r.peakMb} MB` +
          (floor ? `  ×${(r.seconds / floor).toFixed(1)} of \\copy` : ''),
      );

    const pgUrl = process.env.BENCH_PG_URL ?? process.env.DATABASE_URL;
    if (pgUrl) {
      await withPostgres(pgUrl, async (url) => {
        const data = mkdtempSync(join(dir, 'pg-'));
        const ctx = await createContext(
          loadConfig({
            dataDir: data,
            databaseUrl: url,
            logLevel: 'warn',
            argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
          }),
        );
        try {
          await setupCity(ctx);
          const floor = psqlCopy(url, plainCsv);
          lines.push(`${'psql \\copy (bare table, no checks)'.padEnd(34)} ${floor.toFixed(1).padStart(6)} s`);
          report('PostgreSQL: GB18030 CSV import', await importFile(ctx, gbCsv, 'roster.csv'), floor);
          // The same file again: every row matched and compared, nothing written (the idempotent path).
          report('PostgreSQL: same file again', await importFile(ctx, gbCsv, 'roster.csv'), floor);
          if (!process.env.BENCH_SKIP_SEARCH)
            for (const s of await searchLatencies(ctx))
              lines.push(
                `${`PostgreSQL: search as ${s.who}`.padEnd(34)} p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`,
              );
          if (!process.env.BENCH_SKIP_XLSX) {
            await ctx.db.deleteFrom('import_change').execute();
            await ctx.db.deleteFrom('student_guardian').execute();
            await ctx.db.deleteFrom('student_status_event').execute();
            await ctx.db.deleteFrom('student').execute();
            report('PostgreSQL: xlsx import', await importFile(ctx, xlsx, 'roster.xlsx'), floor);
          }
        } finally {
          await ctx.close();
        }
      });
    }
    if (!process.env.BENCH_SKIP_PGLITE) {
      const data = mkdtempSync(join(dir, 'pglite-'));
      const ctx = await createContext(
        loadConfig({
          dataDir: data,
          databaseUrl: null,
          logLevel: 'warn',
          argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
        }),
      );
      try {
        await setupCity(ctx);
        report('PGlite: GB18030 CSV import', await importFile(ctx, gbCsv, 'roster.csv'), null);
        if (!process.env.BENCH_SKIP_SEARCH)
          for (const s of await searchLatencies(ctx))
            lines.push(
              `${`PGlite: search as ${s.who}`.padEnd(34)} p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`,
            );
      } finally {
        await ctx.close();
      }
    }
    console.log(`students-import: ${ROWS.toLocaleString()} rows, ${SCHOOLS} schools`);
    for (const l of lines) console.log('  ' + l);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
