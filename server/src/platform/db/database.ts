import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { startEmbedded, type EmbeddedDatabase } from './embedded.js';
import type { DB } from './schema.js';

// bigint (counts, audit ids) as numbers: our values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// date as the plain 'YYYY-MM-DD' text, never shifted through a time zone.
pg.types.setTypeParser(1082, (v) => v);

export type Engine = 'pglite' | 'postgres';

/** An open database: the Kysely handle plus what is needed to close it cleanly. */
export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  url: string;
  /** The pool under Kysely, for what Kysely cannot do (COPY FROM STDIN in bulk loads). */
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Opens PostgreSQL at `url` (or the embedded PGlite when url is null) with one pg pool. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbedded(config.dataDir);
    url = embedded.url;
  }
  // PGlite is one session: a second connection would interleave with a first one's transaction.
  const pool = new pg.Pool({ connectionString: url, max: embedded ? 1 : 10, idleTimeoutMillis: 30_000 });
  pool.on('error', (err) => console.error('[db] idle client error', err.message));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    await embedded?.close();
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    db,
    engine: embedded ? 'pglite' : 'postgres',
    url,
    pool,
    close() {
      closing ??= (async () => {
        await db.destroy();
        await embedded?.close();
      })();
      return closing;
    },
  };
}
