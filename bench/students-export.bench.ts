/**
 * The student roster export at 100,000 students (BENCH_EXPORT_ROWS; 200,000 and more show the same rates
 * and memory, only slower to run), as CSV and as .xlsx. Dudao's export — over HTTP with a session, the
 * scope filter, keyset batches per school in roster order, ID numbers decrypted and masked, labels,
 * guardians, the audit event — against a baseline that feeds the same writers the same students straight
 * from one plain keyset query by id, raw values, no HTTP. Printed: rows/s and peak resident memory of this
 * process (the embedded database runs in a child process, outside it) for each, and the ratios. Resident
 * memory grows with the garbage collector's slack, not with the rows: the live heap stays flat. Figures
 * only, no assertions.
 */
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createDemo } from '../server/src/demo/demo.js';
import { buildApp } from '../server/src/app.js';
import { currentTotp } from '../server/src/platform/auth/totp.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createContext, type AppContext } from '../server/src/platform/context.js';
import { writeCsvStream, writeXlsxStream } from '../server/src/platform/exports/stream-writers.js';
import { STUDENT_TEMPLATE_LABELS } from '../server/src/modules/students/students.columns.js';

interface Figures {
  name: string;
  rows: number;
  seconds: number;
  megabytes: number;
  peakRss: number;
  rssGrowth: number;
}

const MB = 1024 * 1024;

/** Runs `fn` while sampling the resident set size; returns its row count and the figures. */
async function measure(name: string, fn: () => Promise<{ rows: number; bytes: number }>): Promise<Figures> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const t0 = performance.now();
  try {
    const { rows, bytes } = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      name,
      rows,
      seconds: (performance.now() - t0) / 1000,
      megabytes: bytes / MB,
      peakRss: peak / MB,
      rssGrowth: (peak - start) / MB,
    };
  } finally {
    clearInterval(timer);
  }
}

/** A destination that counts bytes and keeps none. */
function discard(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      sink.bytes += chunk.length;
      done();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

/** Copies the demo's students (and their guardians) until the registry holds about `target`. */
async function grow(ctx: AppContext, target: number): Promise<number> {
  const count = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('student')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const base = await count();
  const copies = Math.max(0, Math.ceil(target / base) - 1);
  if (copies === 0) return base;
  await ctx.db.transaction().execute(async (trx) => {
    await sql`insert into student (id, school_id, county_code, class_id, student_no, id_number_enc, id_number_hmac,
        id_birth_date, id_sex, name, name_initials, sex, birth_date, ethnicity, hukou_region_code, address, stage,
        grade, enrolled_on, status, poverty_household, left_behind, migrant, disabled, disability_category, orphan)
      select md5(s.id::text || g)::uuid, s.school_id, s.county_code, s.class_id,
        case when s.student_no is null then null else 'L' || lpad((row_number() over ())::text, 18, '0') end,
        s.id_number_enc, s.id_number_hmac, s.id_birth_date, s.id_sex, s.name, s.name_initials, s.sex, s.birth_date,
        s.ethnicity, s.hukou_region_code, s.address, s.stage, s.grade, s.enrolled_on, s.status, s.poverty_household,
        s.left_behind, s.migrant, s.disabled, s.disability_category, s.orphan
      from student s cross join generate_series(1, ${copies}::int) g`.execute(trx);
    await sql`insert into student_guardian (student_id, ord, name, relation, phone)
      select md5(sg.student_id::text || g)::uuid, sg.ord, sg.name, sg.relation, sg.phone
      from student_guardian sg cross join generate_series(1, ${copies}::int) g`.execute(trx);
  });
  await sql`analyze`.execute(ctx.db);
  return count();
}

/**
 * The baseline: the same students, one keyset query by id per batch, raw columns, the same writer. In the
 * ID number's place 18 characters of its HMAC: as much text, as hard to compress as real numbers, without
 * the decryption.
 */
async function* bareBatches(ctx: AppContext, batchSize = 5000): AsyncGenerator<unknown[][]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<Record<string, unknown> & { id: string }>`
      select s.id, s.name, s.sex, s.birth_date, s.ethnicity, left(s.id_number_hmac, 18) as id_number, s.student_no, sch.code, sch.name as school,
        s.stage, s.grade, c.name as class_name, s.enrolled_on, s.status, s.hukou_region_code, s.address,
        s.poverty_household, s.left_behind, s.migrant, s.disabled, s.disability_category, s.orphan,
        (select coalesce(json_agg(json_build_array(g.name, g.relation, g.phone) order by g.ord), '[]'::json)
           from (select sg.name, sg.relation, sg.phone, sg.ord from student_guardian sg
                 where sg.student_id = s.id order by sg.ord limit 2) g) as guardians
      from student s join unit sch on sch.id = s.school_id left join school_class c on c.id = s.class_id
      where s.id > ${after}::uuid order by s.id limit ${batchSize}`.execute(ctx.db);
    if (rows.length === 0) return;
    yield rows.map((r) => {
      const g = r.guardians as unknown[][];
      const { id: _id, guardians: _g, ...rest } = r;
      return [...Object.values(rest), ...(g[0] ?? [null, null, null]), ...(g[1] ?? [null, null, null])];
    });
    after = rows[rows.length - 1]!.id;
  }
}

/** Runs the benchmark and prints its table. */
export async function studentsExportBench(): Promise<void> {
  const target = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'dudao-bench-export-'));
  const config = loadConfig({
    dataDir,
    logLevel: 'error',
    totpRequiredRoles: [],
    loginRateLimitPerMinute: 1000,
  });
  console.error(
    `bench: preparing ${target} students on ${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}…`,
  );
  const ctx = await createContext(config);
  try {
    const t0 = performance.now();
    const demo = await createDemo(ctx, { scale: 'small', seed: 2026 });
    const t1 = performance.now();
    const students = await grow(ctx, target);
    console.error(
      `bench: demo ${((t1 - t0) / 1000).toFixed(1)} s, copies ${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );
    const admin = demo.accounts.find((a) => a.role === 'city_admin')!;
    const app = await buildApp(ctx, { logger: false, serveWeb: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: {
        username: admin.username,
        password: admin.password,
        ...(admin.totpSecret ? { totp: currentTotp(admin.totpSecret) } : {}),
      },
    });
    if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
    const cookie = `dudao_sid=${login.cookies.find((c) => c.name === 'dudao_sid')!.value}`;
    console.error(`bench: ${students} students in ${demo.counts.schools} schools; measuring…`);

    /** Downloads an export over HTTP, counting bytes and keeping none. */
    const download = (format: 'csv' | 'xlsx') => async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/students/export?format=${format}`, {
        headers: { cookie },
      });
      if (res.status !== 200 || !res.body) throw new Error(`export failed: ${res.status}`);
      let bytes = 0;
      const reader = res.body.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length;
      const audit = await ctx.db
        .selectFrom('audit_event')
        .select('after')
        .where('action', '=', 'export')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      return { rows: (audit.after as { rows: number }).rows, bytes };
    };
    const bare = (format: 'csv' | 'xlsx') => async () => {
      const sink = discard();
      const { rows } =
        format === 'csv'
          ? await writeCsvStream(bareBatches(ctx), sink, { header: STUDENT_TEMPLATE_LABELS })
          : await writeXlsxStream(bareBatches(ctx), sink, {
              header: STUDENT_TEMPLATE_LABELS,
              title: '学生名册',
            });
      return { rows, bytes: sink.bytes };
    };

    const results: [Figures, Figures][] = [];
    for (const format of ['csv', 'xlsx'] as const) {
      const baseline = await measure(`bare query + writer, ${format}`, bare(format));
      const platform = await measure(`GET /api/students/export ${format}`, download(format));
      results.push([baseline, platform]);
    }
    await app.close();

    console.log(
      `\nstudents-export — ${ctx.engine}, ${students} students in ${demo.counts.schools} schools, city admin (every school), masked`,
    );
    console.log(
      'run'.padEnd(34) +
        'rows'.padStart(9) +
        's'.padStart(8) +
        'rows/s'.padStart(10) +
        'MB out'.padStart(9) +
        'peak RSS MB'.padStart(13) +
        'RSS +MB'.padStart(9),
    );
    for (const pair of results)
      for (const f of pair)
        console.log(
          f.name.padEnd(34) +
            String(f.rows).padStart(9) +
            f.seconds.toFixed(1).padStart(8) +
            (f.rows / f.seconds).toFixed(0).padStart(10) +
            f.megabytes.toFixed(1).padStart(9) +
            f.peakRss.toFixed(0).padStart(13) +
            f.rssGrowth.toFixed(0).padStart(9),
        );
    for (const [baseline, platform] of results)
      console.log(
        `ratio platform/bare (${platform.name.split(' ').at(-1)}): throughput ${(
          platform.rows /
          platform.seconds /
          (baseline.rows / baseline.seconds)
        ).toFixed(
          2,
        )}×, peak RSS growth ${platform.rssGrowth.toFixed(0)} MB vs ${baseline.rssGrowth.toFixed(0)} MB`,
      );
  } finally {
    await ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
