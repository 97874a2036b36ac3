/**
 * Student search within scope (issue 3: p95 ≤ 50 ms at 1M students). BENCH_SEARCH_STUDENTS (default
 * 1,000,000) students of 100 schools in 10 counties, seeded by SQL (generate_series: surnames weighted as in
 * the census — 王 李 张 刘 陈 first —, two- and three-character names with their pinyin initials, 学籍号, ID
 * numbers as HMAC + ciphertext, grades and classes), on PostgreSQL (BENCH_PG_URL or DATABASE_URL; a scratch
 * database dudao_bench_search_<pid> is created beside it and dropped after) and on the embedded PGlite with
 * BENCH_SEARCH_PGLITE_STUDENTS (default 200,000; 0 skips it: seeding a million rows there takes minutes).
 *
 * Measured over the real API (buildApp + inject, with a session): GET /api/students?q=… as a city admin (all
 * 10 counties), a county admin (one county, a tenth of the students) and a school admin (one school), for a
 * common surname (张), a full name, pinyin initials (zs, zhw), a 学籍号 prefix, a full ID number (exact HMAC
 * match), with and without a grade or class filter, and the roster without a search. BENCH_SEARCH_RUNS
 * (default 30) calls each; p50/p95 in ms beside the baseline of the same run — GET /api/students/:id, one
 * student read by primary key through the same path (session, scope check, decryption, JSON) — and the
 * ratio. BENCH_SEARCH_EXPLAIN=1 prints EXPLAIN (ANALYZE, BUFFERS) of each statement of one call per kind
 * (PostgreSQL) as the county admin, or as BENCH_SEARCH_EXPLAIN_AS (city, county or school).
 * BENCH_SEARCH_KEEP=1 keeps the scratch database (its name is printed) for further EXPLAINs. Measures; never
 * asserts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { createRootUnit, createUnit } from '../server/src/modules/units/units.service.js';
import { createUser } from '../server/src/modules/users/users.service.js';
import { listStudents } from '../server/src/modules/students/students.service.js';
import { systemActor, type Actor } from '../server/src/platform/access/actor.js';
import { loadActor } from '../server/src/platform/auth/actor-loader.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createContext, type AppContext } from '../server/src/platform/context.js';
import { generateIdNumber } from '../server/src/platform/crypto/id-number.js';
import type { DB } from '../server/src/platform/db/schema.js';
import { pinyinInitials } from '../server/src/platform/imports/pinyin.js';
import type { Role } from '@dudao/contracts';

const PASSWORD = 'Bench@2026x';
// 长春市 and ten of its counties (四平 has fewer).
const CITY = '220100';
const COUNTIES = [
  '220102',
  '220103',
  '220104',
  '220105',
  '220106',
  '220112',
  '220113',
  '220122',
  '220182',
  '220183',
];
const SCHOOLS_PER_COUNTY = 10;
const PER_CLASS = 45;

// Surnames with rough census weights (per mille); the rest share what is left.
const SURNAME_WEIGHTS: [string, number][] = [
  ['王', 72],
  ['李', 72],
  ['张', 68],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['赵', 23],
  ['黄', 22],
  ['周', 21],
  ['吴', 20],
  ['徐', 17],
  ['孙', 15],
  ['胡', 13],
  ['朱', 12],
  ['高', 12],
  ['林', 12],
  ['何', 11],
  ['郭', 11],
  ['马', 11],
  ['罗', 9],
];
const OTHER_SURNAMES = [
  ...'梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文',
];
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕春菊凤洁梅琳云莲雪荣爱香月瑞佳嘉琼珍莉晶妍茜秋珊婷颖露瑶怡丹蓉君琴蕊薇梦岚馨韵悦宁欣晓欢宇浩轩子涵博文俊鹏辉峰建国家海波斌飞彬鑫雨思诗雅晨阳天昊然一诺梓睿泽皓',
];

interface Seeded {
  cityId: string;
  countyIds: string[];
  schoolIds: string[];
  /** Students of the first school with a real ID number: [id, name, ID number, class id]. */
  samples: { id: string; name: string; initials: string; idNumber: string; classId: string; grade: number }[];
  students: number;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

const origin = { actor: systemActor('bench'), ip: null, requestId: null };

/** A deterministic, well-formed (version 4) UUID from the md5 of a text. */
const uuidOf = (text: ReturnType<typeof sql>) =>
  sql`overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;

/** Units, classes and students, all but the units by SQL. */
async function seed(ctx: AppContext, students: number): Promise<Seeded> {
  const city = await createRootUnit(ctx, CITY, origin);
  const countyIds: string[] = [];
  const schoolIds: string[] = [];
  const schoolCounty: string[] = [];
  for (const [ci, code] of COUNTIES.entries()) {
    const county = await createUnit(
      ctx,
      origin.actor,
      { parentId: city.id, kind: 'county_bureau', code, name: `第${ci + 1}区教育局` },
      origin,
    );
    countyIds.push(county.id);
    for (let k = 0; k < SCHOOLS_PER_COUNTY; k++) {
      const s = await createUnit(
        ctx,
        origin.actor,
        {
          parentId: county.id,
          kind: 'school',
          code: `12${code.slice(2)}00${String(k + 1).padStart(2, '0')}`,
          name: `第${ci + 1}区第${k + 1}小学`,
          stage: 'primary',
          ownership: 'public',
          locality: 'urban',
        },
        origin,
      );
      schoolIds.push(s.id);
      schoolCounty.push(code);
    }
  }
  const perSchool = Math.ceil(students / schoolIds.length);
  const classesPerGrade = Math.max(1, Math.ceil(perSchool / 6 / PER_CLASS));
  await sql`
    insert into school_class (id, school_id, school_year, stage, grade, name)
    select ${uuidOf(sql`s::text || ':' || g || ':' || c`)}, s, '2026', 'primary', g, c || '班'
    from unnest(${schoolIds}::uuid[]) as s, generate_series(1, 6) g, generate_series(1, ${classesPerGrade}::int) c`.execute(
    ctx.db,
  );
  const surnames: string[] = [];
  for (const [s, w] of SURNAME_WEIGHTS) for (let i = 0; i < w; i++) surnames.push(s);
  while (surnames.length < 1000) surnames.push(OTHER_SURNAMES[surnames.length % OTHER_SURNAMES.length]!);
  const surnameInitials = surnames.map((s) => pinyinInitials(s));
  const givenInitials = GIVEN.map((g) => pinyinInitials('王' + g).slice(1));
  const enc = ctx.vault.encrypt(generateIdNumber(COUNTIES[0]!, '2015-01-01', 'M', 1));
  // The student table's secondary indexes are dropped for the load and built again after it (as a large
  // import does; definitions read back from pg_indexes, so the migrations stay their source).
  const { rows: indexes } = await sql<{ name: string; def: string }>`
    select indexname as name, indexdef as def from pg_indexes
    where tablename = 'student' and schemaname = current_schema() and indexname <> 'student_pkey'`.execute(
    ctx.db,
  );
  for (const i of indexes) await sql`drop index ${sql.ref(i.name)}`.execute(ctx.db);
  const batch = 100_000;
  for (let from = 0; from < students; from += batch) {
    const to = Math.min(students, from + batch) - 1;
    // Row n: school n / perSchool (a school's students arrive together, as imports bring them), grade and class
    // round robin, name and birth date from multiplicative hashes of n.
    await sql`
      insert into student (id, school_id, county_code, class_id, student_no, id_number_enc, id_number_hmac,
        id_birth_date, id_sex, name, name_initials, sex, birth_date, hukou_region_code, address, stage, grade,
        enrolled_on, status, left_behind)
      select ${uuidOf(sql`'student' || n`)}, sch, county, ${uuidOf(sql`sch::text || ':' || grade || ':' || cls`)},
        'G' || county || to_char(birth, 'YYYYMMDD') || lpad((n % 1000)::text, 3, '0') || (n / 1000 % 10),
        ${enc}, md5('id' || n) || md5('hmac' || n), birth, sex, sur || g1 || g2, si || gi1 || gi2, sex, birth,
        county, '吉林省长春市南关区人民大街' || (n % 1000) || '号', 'primary', grade,
        make_date((2027 - grade)::int, 9, 1), case when n % 50 = 0 then 'graduated' else 'enrolled' end, n % 10 = 0
      from (
        select n, (${schoolIds}::uuid[])[n / ${perSchool}::int + 1] as sch,
          (${schoolCounty}::text[])[n / ${perSchool}::int + 1] as county,
          n % 6 + 1 as grade, (n / 6) % ${classesPerGrade}::int + 1 as cls,
          make_date((2019 - n % 6)::int, 1, 1) + ((n * 7919) % 365)::int as birth,
          case when (n / 6) % 2 = 0 then 'M' else 'F' end as sex,
          (${surnames}::text[])[(n * 2654435761) % 1000 + 1] as sur,
          (${surnameInitials}::text[])[(n * 2654435761) % 1000 + 1] as si,
          (${GIVEN}::text[])[(n * 40503) % ${GIVEN.length}::int + 1] as g1,
          (${givenInitials}::text[])[(n * 40503) % ${GIVEN.length}::int + 1] as gi1,
          case when (n * 97) % 5 < 2 then '' else (${GIVEN}::text[])[(n * 2654435761 / 1000) % ${GIVEN.length}::int + 1] end as g2,
          case when (n * 97) % 5 < 2 then '' else (${givenInitials}::text[])[(n * 2654435761 / 1000) % ${GIVEN.length}::int + 1] end as gi2
        from generate_series(${from}::bigint, ${to}::bigint) n
      ) x`.execute(ctx.db);
    console.error(`bench: ${to + 1} students`);
  }
  for (const i of indexes) await sql.raw(i.def).execute(ctx.db);
  // Students of the first school whose ID number is real (the full-number search finds them by HMAC).
  const { rows } = await sql<{
    id: string;
    name: string;
    name_initials: string;
    birth: string;
    sex: 'M' | 'F';
    class_id: string;
    grade: number;
  }>`
    select id, name, name_initials, to_char(birth_date, 'YYYY-MM-DD') as birth, sex, class_id, grade from student
    where school_id = ${schoolIds[0]!}::uuid order by id limit 40`.execute(ctx.db);
  const samples: Seeded['samples'] = [];
  for (const [i, r] of rows.entries()) {
    const idNumber = generateIdNumber(COUNTIES[0]!, r.birth, r.sex, 450 + i);
    await sql`update student set id_number_hmac = ${ctx.vault.hmac(idNumber)}, id_number_enc = ${ctx.vault.encrypt(idNumber)}
      where id = ${r.id}::uuid`.execute(ctx.db);
    samples.push({
      id: r.id,
      name: r.name,
      initials: r.name_initials,
      idNumber,
      classId: r.class_id,
      grade: r.grade,
    });
  }
  // As a large import leaves it (VACUUM (ANALYZE) after ≥ 10,000 rows): visibility map and statistics fresh.
  await sql`vacuum (analyze) student`.execute(ctx.db);
  await sql`analyze`.execute(ctx.db);
  return { cityId: city.id, countyIds, schoolIds, samples, students };
}

async function login(app: Awaited<ReturnType<typeof buildApp>>, username: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return `dudao_sid=${res.cookies.find((c) => c.name === 'dudao_sid')!.value}`;
}

async function user(ctx: AppContext, username: string, unitId: string, role: Role): Promise<void> {
  await createUser(
    ctx,
    origin.actor,
    { username, displayName: username, unitId, roles: [{ role, unitId }] },
    origin,
    { password: PASSWORD, mustChangePassword: false },
  );
}

/** EXPLAIN ANALYZE of every statement one listStudents call runs (PostgreSQL only). */
async function explain(
  url: string,
  ctx: AppContext,
  actor: Actor,
  q: Record<string, unknown>,
): Promise<void> {
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      if (e.level === 'query') statements.push({ sql: e.query.sql, parameters: e.query.parameters });
    },
  });
  try {
    await listStudents({ ...ctx, db }, actor, { page: 1, pageSize: 20, ...q });
    for (const s of statements) {
      const plan = await pool.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers, costs off) ${s.sql}`,
        [...s.parameters],
      );
      console.log(`  ${s.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
      for (const r of plan.rows) console.log(`    ${r['QUERY PLAN']}`);
    }
  } finally {
    await db.destroy();
  }
}

async function run(engineLabel: string, ctx: AppContext, students: number, pgUrl: string | null) {
  const t0 = process.hrtime.bigint();
  const s = await seed(ctx, students);
  console.error(`bench: seeded ${students} students in ${(ms(t0) / 1000).toFixed(0)} s`);
  await user(ctx, 'bench.city', s.cityId, 'city_admin');
  await user(ctx, 'bench.county', s.countyIds[0]!, 'county_admin');
  await user(ctx, 'bench.school', s.schoolIds[0]!, 'school_admin');
  const app = await buildApp(ctx, { logger: false, serveWeb: false });
  await app.ready();
  try {
    const cookies = {
      city: await login(app, 'bench.city'),
      county: await login(app, 'bench.county'),
      school: await login(app, 'bench.school'),
    };
    const sample = s.samples.find((x) => [...x.name].length === 3) ?? s.samples[0]!;
    const noPrefix = `G${COUNTIES[0]}201603`;
    const kinds: [label: string, query: string][] = [
      ['surname 张', 'q=张'],
      ['surname 张 + grade 3', 'q=张&grade=3&stage=primary'],
      [`full name ${sample.name}`, `q=${sample.name}`],
      ['initials zs', 'q=zs'],
      [
        `initials ${sample.initials.slice(0, 2)} + class`,
        `q=${sample.initials.slice(0, 2)}&classId=${sample.classId}`,
      ],
      ['initials zhw', 'q=zhw'],
      [`学籍号 prefix ${noPrefix}`, `q=${noPrefix}`],
      ['full ID number', `q=${sample.idNumber}`],
      ['no search (roster)', ''],
      ['no search + grade 3', 'grade=3&stage=primary'],
    ];
    const runs = Number(process.env.BENCH_SEARCH_RUNS ?? 30);
    const get = async (cookie: string, url: string) => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json<{ total: number; capped?: boolean; items: unknown[] }>();
    };
    const measure = async (cookie: string, url: string) => {
      const times: number[] = [];
      let last = await get(cookie, url);
      await get(cookie, url);
      for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        last = await get(cookie, url);
        times.push(ms(t));
      }
      return { p50: pct(times, 0.5), p95: pct(times, 0.95), last };
    };
    const baseline = await measure(cookies.county, `/api/students/${sample.id}`);
    const base = baseline.p95;
    console.log(
      `\nstudents-search — ${engineLabel}, ${students.toLocaleString()} students, ${s.schoolIds.length} schools in ${COUNTIES.length} counties, ${runs} calls each`,
    );
    console.log(
      `baseline GET /api/students/:id (primary key, same path): p50 ${baseline.p50.toFixed(1)} ms, p95 ${baseline.p95.toFixed(1)} ms`,
    );
    console.log(
      'actor'.padEnd(8) +
        'query'.padEnd(34) +
        'matches'.padStart(10) +
        'p50 ms'.padStart(9) +
        'p95 ms'.padStart(9) +
        '×base p95'.padStart(11),
    );
    const worst: number[] = [];
    for (const actor of ['city', 'county', 'school'] as const) {
      for (const [label, query] of kinds) {
        const r = await measure(cookies[actor], `/api/students?${encodeURI(query)}&page=1&pageSize=20`);
        worst.push(r.p95);
        const shown = `${r.last.total}${r.last.capped ? '+' : ''}`;
        console.log(
          actor.padEnd(8) +
            label.padEnd(34) +
            shown.padStart(10) +
            r.p50.toFixed(1).padStart(9) +
            r.p95.toFixed(1).padStart(9) +
            (r.p95 / base).toFixed(1).padStart(11),
        );
      }
    }
    console.log(`worst p95 ${Math.max(...worst).toFixed(1)} ms (target ≤ 50 ms)`);
    if (process.env.BENCH_SEARCH_EXPLAIN === '1' && pgUrl) {
      const as = process.env.BENCH_SEARCH_EXPLAIN_AS ?? 'county';
      if (!['city', 'county', 'school'].includes(as)) throw new Error(`BENCH_SEARCH_EXPLAIN_AS=${as}`);
      const who = await ctx.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', `bench.${as}`)
        .executeTakeFirstOrThrow();
      const loaded = await loadActor(ctx.db, who.id, 'session');
      for (const [label, query] of kinds) {
        console.log(`\nEXPLAIN ANALYZE, ${as} admin, ${label}`);
        const q: Record<string, unknown> = Object.fromEntries(new URLSearchParams(query));
        if (q.grade) q.grade = Number(q.grade);
        await explain(pgUrl, ctx, loaded!.actor, q);
      }
    }
  } finally {
    await app.close();
  }
}

export async function studentsSearchBench(): Promise<void> {
  const pgUrl = process.env.BENCH_PG_URL ?? process.env.DATABASE_URL;
  const argon2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
  const common = {
    logLevel: 'error' as const,
    totpRequiredRoles: [],
    loginRateLimitPerMinute: 10_000,
    argon2,
  };
  if (pgUrl) {
    const name = `dudao_bench_search_${process.pid}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'dudao-bench-search-'));
    try {
      const ctx = await createContext(loadConfig({ dataDir, databaseUrl: url.toString(), ...common }));
      try {
        await run('PostgreSQL', ctx, Number(process.env.BENCH_SEARCH_STUDENTS ?? 1_000_000), url.toString());
      } finally {
        await ctx.close();
      }
    } finally {
      if (process.env.BENCH_SEARCH_KEEP === '1') console.error(`bench: kept database ${name}`);
      else await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
  } else {
    console.log('\nstudents-search: no BENCH_PG_URL or DATABASE_URL; PostgreSQL part skipped');
  }
  const small = Number(process.env.BENCH_SEARCH_PGLITE_STUDENTS ?? 200_000);
  if (small > 0) {
    const dataDir = mkdtempSync(join(tmpdir(), 'dudao-bench-search-'));
    try {
      const ctx = await createContext(loadConfig({ dataDir, databaseUrl: null, ...common }));
      try {
        await run('embedded PGlite', ctx, small, null);
      } finally {
        await ctx.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}
