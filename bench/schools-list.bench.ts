/**
 * The scoped school list at city scale (四平, 345 schools), served by the full platform (session, scope
 * filter, zod validation and serialisation, audit hooks) against a bare Fastify route that runs the same
 * query with none of those layers. The ratio is the cost of the platform.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/src/app.js';
import { createDemo } from '../server/src/demo/demo.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createContext } from '../server/src/platform/context.js';

interface Figures {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(name: string, url: string, headers: Record<string, string>): Promise<Figures> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const latencies: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, headers, duration, connections }, (err, res) =>
      err ? reject(err as Error) : resolve(res),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200) errors++;
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: errors + result.errors + result.non2xx,
  };
}

/** Runs the benchmark and prints its table. */
export async function schoolsListBench(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dudao-bench-'));
  const config = loadConfig({
    dataDir,
    logLevel: 'error',
    totpRequiredRoles: [],
    loginRateLimitPerMinute: 1000,
  });
  console.error(
    `bench: preparing the demo city on ${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}…`,
  );
  const ctx = await createContext(config);
  try {
    const demo = await createDemo(ctx, { scale: 'city', seed: 2026 });
    const county = demo.accounts.find((a) => a.role === 'county_admin' && a.unit.code === '220322')!;
    const app = await buildApp(ctx, { logger: false, serveWeb: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;

    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: county.username, password: county.password },
    });
    const cookie = `dudao_sid=${login.cookies.find((c) => c.name === 'dudao_sid')!.value}`;
    const countyRow = await ctx.db
      .selectFrom('unit')
      .select(['id', 'path'])
      .where('kind', '=', 'county_bureau')
      .where('code', '=', '220322')
      .executeTakeFirstOrThrow();

    // The same page of the same schools, straight from the database: no session, scope, schema or audit.
    const bare = Fastify({ logger: false });
    bare.get('/bare/schools', async () => {
      const [rows, total] = await Promise.all([
        sql`select u.*, (select count(*)::int from unit c where c.parent_id = u.id) as child_count from unit u
            where u.path like ${countyRow.path + '%'} and u.kind = 'school' order by u.depth, u.kind, u.code limit 20`.execute(
          ctx.db,
        ),
        sql<{
          n: number;
        }>`select count(*)::int as n from unit u where u.path like ${countyRow.path + '%'} and u.kind = 'school'`.execute(
          ctx.db,
        ),
      ]);
      return { items: rows.rows, total: total.rows[0]!.n };
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const barePort = (bare.server.address() as { port: number }).port;

    const platformUrl = `http://127.0.0.1:${port}/api/units?under=${countyRow.id}&kind=school&pageSize=20`;
    const check = await fetch(platformUrl, { headers: { cookie } });
    const body = (await check.json()) as { total: number };
    console.error(`bench: ${county.username} sees ${body.total} schools; measuring…`);

    const baseline = await measure(
      'bare Fastify + same SQL',
      `http://127.0.0.1:${barePort}/bare/schools`,
      {},
    );
    const platform = await measure('Dudao /api/units (scoped)', platformUrl, { cookie });
    await app.close();
    await bare.close();

    console.log(
      `\nschools-list — ${ctx.engine}, city scale (${demo.counts.schools} schools), ${process.env.BENCH_CONNECTIONS ?? 10} connections, ${process.env.BENCH_DURATION ?? 10} s each`,
    );
    console.log(
      'route'.padEnd(30) +
        'req/s'.padStart(10) +
        'p50 ms'.padStart(10) +
        'p95 ms'.padStart(10) +
        'p99 ms'.padStart(10) +
        'errors'.padStart(8),
    );
    for (const f of [baseline, platform]) {
      console.log(
        f.name.padEnd(30) +
          f.rps.toFixed(0).padStart(10) +
          f.p50.toFixed(1).padStart(10) +
          f.p95.toFixed(1).padStart(10) +
          f.p99.toFixed(1).padStart(10) +
          String(f.errors).padStart(8),
      );
    }
    console.log(
      `ratio platform/bare: throughput ${(platform.rps / baseline.rps).toFixed(2)}×, p95 ${(platform.p95 / Math.max(baseline.p95, 0.001)).toFixed(2)}×`,
    );
  } finally {
    await ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
