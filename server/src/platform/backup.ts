import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import type { Vault } from './crypto/vault.js';
import type { DB } from './db/schema.js';
import { knownMigrations } from './db/migrate.js';

/**
 * Logical backup that works the same on PGlite and PostgreSQL: gzip'd JSON lines, a header and then every
 * row of every table in dependency order. Sessions are not kept (a restore logs everyone out).
 */
const TABLES: { name: keyof DB; key: string; order: string; json: string[] }[] = [
  { name: 'unit', key: 'id', order: 'depth, id', json: [] },
  { name: 'app_user', key: 'id', order: 'id', json: [] },
  { name: 'user_role', key: 'user_id', order: 'user_id, role, unit_id', json: [] },
  { name: 'inspector_school', key: 'user_id', order: 'user_id, school_id', json: [] },
  { name: 'school_class', key: 'id', order: 'id', json: [] },
  { name: 'student', key: 'id', order: 'id', json: [] },
  { name: 'student_guardian', key: 'student_id', order: 'student_id, ord', json: [] },
  { name: 'student_transfer', key: 'id', order: 'id', json: [] },
  { name: 'student_status_event', key: 'id', order: 'id', json: [] },
  { name: 'api_token', key: 'id', order: 'id', json: [] },
  { name: 'app_setting', key: 'key', order: 'key', json: ['value'] },
  { name: 'audit_event', key: 'id', order: 'id', json: ['before', 'after'] },
];
const BATCH = 2000;

export interface BackupHeader {
  format: 'dudao-backup';
  version: 1;
  migrations: string[];
  createdAt: string;
  counts: Record<string, number>;
  /** HMAC of a constant under the secret key: a restore under another key would leave personal data unreadable. */
  keyCheck?: string;
}

const KEY_CHECK_INPUT = 'dudao/backup-key-check';

/** The key check a backup records and a restore compares. */
export function backupKeyCheck(vault: Pick<Vault, 'hmac'>): string {
  return vault.hmac(KEY_CHECK_INPUT);
}

/** Writes a backup of the whole database to `file`. */
export async function backupTo(
  db: Kysely<DB>,
  file: string,
  opts: { keyCheck?: string } = {},
): Promise<BackupHeader> {
  const counts: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t.name)}`.execute(db);
    counts[t.name] = r.rows[0]!.n;
  }
  const header: BackupHeader = {
    format: 'dudao-backup',
    version: 1,
    migrations: knownMigrations(),
    createdAt: new Date().toISOString(),
    counts,
    ...(opts.keyCheck ? { keyCheck: opts.keyCheck } : {}),
  };
  async function* lines() {
    yield JSON.stringify(header) + '\n';
    for (const t of TABLES) {
      // Offsets over a stable order; the database is not written during a backup by the CLI.
      for (let offset = 0; ; offset += BATCH) {
        const r = await sql<
          Record<string, unknown>
        >`select * from ${sql.table(t.name)} order by ${sql.raw(t.order)} limit ${BATCH} offset ${offset}`.execute(
          db,
        );
        for (const row of r.rows) yield JSON.stringify({ t: t.name, r: row }) + '\n';
        if (r.rows.length < BATCH) break;
      }
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
  return header;
}

/** Restores a backup into an empty, migrated database, in one transaction. */
export async function restoreFrom(
  db: Kysely<DB>,
  file: string,
  opts: { keyCheck?: string } = {},
): Promise<BackupHeader> {
  const nonEmpty = await sql<{
    n: number;
  }>`select (select count(*) from unit) + (select count(*) from app_user) + (select count(*) from audit_event) as n`.execute(
    db,
  );
  if (Number(nonEmpty.rows[0]!.n) > 0)
    throw new Error('the target database is not empty; restore needs an empty database');
  let header: BackupHeader | null = null;
  await db.transaction().execute(async (trx) => {
    let pending: { table: string; rows: Record<string, unknown>[] } | null = null;
    const flush = async () => {
      if (!pending || pending.rows.length === 0) return;
      const spec = TABLES.find((t) => t.name === pending!.table)!;
      const rows = pending.rows.map((row) => {
        const out: Record<string, unknown> = { ...row };
        for (const c of spec.json)
          out[c] = row[c] === null || row[c] === undefined ? null : JSON.stringify(row[c]);
        return out;
      });
      await trx.insertInto(spec.name).values(rows).execute();
      pending.rows = [];
    };
    // Opened right before it is read: a readline iterator created before an `await` loses the lines (and
    // the close) a small file emits meanwhile, and then waits forever. A read error (no such file) is passed
    // on to the iterator, which `pipe` alone would not do.
    const gunzip = createGunzip();
    createReadStream(file)
      .on('error', (err) => gunzip.destroy(err))
      .pipe(gunzip);
    const rl = createInterface({ input: gunzip, crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line) continue;
      const parsed = JSON.parse(line) as BackupHeader | { t: string; r: Record<string, unknown> };
      if (!header) {
        if ((parsed as BackupHeader).format !== 'dudao-backup') throw new Error('not a Dudao backup file');
        header = parsed as BackupHeader;
        const unknown = header.migrations.filter((m) => !knownMigrations().includes(m));
        if (unknown.length)
          throw new Error(`backup made by a newer Dudao (migrations ${unknown.join(', ')})`);
        if (header.keyCheck && opts.keyCheck && header.keyCheck !== opts.keyCheck) {
          throw new Error(
            'the backup was made under another secret key: set DUDAO_SECRET_KEY (or secret.key in the data folder) to the key of the backed-up installation, or its ID numbers and TOTP secrets cannot be read',
          );
        }
        continue;
      }
      const rec = parsed as { t: string; r: Record<string, unknown> };
      if (!TABLES.some((t) => t.name === rec.t)) throw new Error(`unknown table ${rec.t} in backup`);
      if (pending && pending.table !== rec.t) await flush();
      if (!pending || pending.table !== rec.t) pending = { table: rec.t, rows: [] };
      pending.rows.push(rec.r);
      if (pending.rows.length >= 500) await flush();
    }
    await flush();
  });
  if (!header) throw new Error('empty backup file');
  return header;
}
