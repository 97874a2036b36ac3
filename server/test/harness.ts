/**
 * Test harness: a fresh database per test file on the engine the project runs (PGlite copied from a
 * migrated template, or a PostgreSQL database created from a template database), a context and an app.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { createContext, type AppContext } from '../src/platform/context.js';
import type { Engine } from '../src/platform/db/database.js';
import { whenAllIdle } from '../src/platform/imports/job-runs.js';
import { databaseFromTemplate, ensurePgliteTemplate } from './templates.js';

export const engine: Engine = process.env.DUDAO_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';

export interface TestDb {
  ctx: AppContext;
  config: Config;
  dataDir: string;
  /** Closes the database and removes everything the test created. */
  cleanup(): Promise<void>;
}

/** Test settings: cheap argon2, no TOTP obligation unless a test asks for it, a generous login limit. */
export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  return loadConfig({
    dataDir,
    databaseUrl: null,
    argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    totpRequiredRoles: [],
    loginRateLimitPerMinute: 10_000,
    logLevel: 'warn',
    secretKey: null,
    ...overrides,
  });
}

/** Opens a fresh, migrated database for one test file. */
export async function openTestDb(overrides: Partial<Config> = {}): Promise<TestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dudao-test-'));
  let dropDatabase: (() => Promise<void>) | null = null;
  let databaseUrl: string | null = null;
  if (engine === 'pglite') {
    // The template of the schema as it is now (a migration edited since the run's setup gets its own).
    cpSync(join(await ensurePgliteTemplate(), 'pglite'), join(dataDir, 'pglite'), { recursive: true });
  } else {
    const database = await databaseFromTemplate(process.env.DATABASE_URL!, 'dudao_t');
    databaseUrl = database.url;
    dropDatabase = database.drop;
  }
  const config = testConfig(dataDir, { databaseUrl, ...overrides });
  const ctx = await createContext(config);
  return {
    ctx,
    config,
    dataDir,
    async cleanup() {
      await whenAllIdle();
      await ctx.close();
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Builds the app on a test database, recording its routes. */
export async function testApp(ctx: AppContext): Promise<{ app: FastifyInstance; routes: RouteOptions[] }> {
  const routes: RouteOptions[] = [];
  const app = await buildApp(ctx, { logger: false, serveWeb: false, onRoute: (r) => routes.push(r) });
  await app.ready();
  return { app, routes };
}

/** A logged-in client: carries the session cookie and echoes the CSRF token on state changes. */
export interface Client {
  username: string;
  cookie: string;
  csrf: string;
  request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

/** Logs in through the API and returns a client for that session. */
export async function loginAs(
  app: FastifyInstance,
  username: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<Client> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password, ...extra },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const sid = res.cookies.find((c) => c.name === 'dudao_sid')!.value;
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  const cookie = `dudao_sid=${sid}`;
  const request: Client['request'] = (method, url, body, headers = {}) =>
    app.inject({
      method,
      url,
      headers: { cookie, 'x-csrf-token': csrf, ...headers },
      ...(body !== undefined ? { payload: body as InjectOptions['payload'] } : {}),
    });
  return {
    username,
    cookie,
    csrf,
    request,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body ?? {}),
    patch: (url, body) => request('PATCH', url, body ?? {}),
    del: (url) => request('DELETE', url),
  };
}
