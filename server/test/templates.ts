import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { startEmbedded } from '../src/platform/db/embedded.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const migrationsDir = fileURLToPath(new URL('../src/platform/db/migrations/', import.meta.url));

/** A short hash of the migrations, so a changed schema gets a new template. */
export function schemaHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsDir).sort()) h.update(f).update(readFileSync(join(migrationsDir, f)));
  return h.digest('hex').slice(0, 12);
}

/** Folder of the migrated PGlite template; tests copy it instead of paying 6–8 s for a fresh database. */
export function pgliteTemplateDir(): string {
  return join(root, 'node_modules/.cache/dudao-test', `pglite-${schemaHash()}`);
}

export function postgresTemplateName(): string {
  return `dudao_tpl_${schemaHash()}`;
}

/** Creates the PGlite template once per schema version. */
export async function ensurePgliteTemplate(): Promise<string> {
  const dir = pgliteTemplateDir();
  if (existsSync(join(dir, 'pglite', 'PG_VERSION'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const embedded = await startEmbedded(tmp);
  const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db);
  await db.destroy();
  await embedded.close();
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** Connection string of the same server with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates the PostgreSQL template database once per schema version. */
export async function ensurePostgresTemplate(adminUrl: string): Promise<string> {
  const name = postgresTemplateName();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return name;
    await admin.query(`create database ${name}`);
    const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, name), max: 1 });
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    try {
      await migrateToLatest(db);
    } catch (err) {
      await db.destroy();
      await admin.query(`drop database if exists ${name}`);
      throw err;
    }
    await db.destroy();
    return name;
  } finally {
    await admin.end();
  }
}

/** Creates a database from the migrated template; returns its URL and a function that drops it. */
export async function databaseFromTemplate(
  adminUrl: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${postgresTemplateName()}`);
        break;
      } catch (err) {
        // Two files copying the template at the same moment: wait and retry.
        if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
