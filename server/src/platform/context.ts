import type { Kysely } from 'kysely';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { AuditHeadFile } from './audit/head-file.js';
import type { Config } from './config.js';
import { createVault, loadMasterKey, type Vault } from './crypto/vault.js';
import { openDatabase, type Engine } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import type { DB } from './db/schema.js';

/** Everything a service needs from the platform, built once per process. */
export interface AppContext {
  config: Config;
  db: Kysely<DB>;
  engine: Engine;
  /** The pg pool under db (bulk loads only: everything else goes through Kysely). */
  pool: Pool;
  vault: Vault;
  auditHead: AuditHeadFile;
  close(): Promise<void>;
}

/** Opens the database (embedded or PostgreSQL), migrates it, and loads the keys. */
export async function createContext(config: Config, opts: { migrate?: boolean } = {}): Promise<AppContext> {
  const database = await openDatabase(config);
  try {
    if (opts.migrate !== false)
      await migrateToLatest(database.db as Kysely<unknown>, { appRole: config.appRole });
    const auditHead = new AuditHeadFile(join(config.dataDir, 'audit-head.log'));
    return {
      config,
      db: database.db,
      engine: database.engine,
      pool: database.pool,
      vault: createVault(loadMasterKey(config.dataDir, config.secretKey)),
      auditHead,
      async close() {
        await auditHead.sync(database.db).catch(() => undefined);
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
