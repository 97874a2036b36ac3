// Bulk loading of many rows into one table: COPY FROM STDIN on PostgreSQL (the speed of psql's \copy),
// multi-row INSERTs on the embedded PGlite (one session, reached over its socket, where every statement
// competes with the requests of the web users and must stay short).
import { sql, type Transaction } from 'kysely';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { AppContext } from '../context.js';
import type { DB } from './schema.js';

/** A value of a loaded column: text, number, boolean, null, or an object stored as JSON. */
export type BulkValue = string | number | boolean | null | object;

/** Writes rows to one table; end() finishes the load (and must be awaited), abort() gives it up. */
export interface BulkLoader {
  write(rows: readonly (readonly BulkValue[])[]): Promise<void>;
  /**
   * Rows already in COPY's text format (copyText), made elsewhere — a worker thread formats them while this
   * one loads. Only where `copy` is true (PostgreSQL).
   */
  writeText?(text: string, rows: number): Promise<void>;
  /** Whether writeText is available. */
  readonly copy: boolean;
  end(): Promise<number>;
  abort(err?: Error): Promise<void>;
}

// COPY's text format: \N for null; backslash, tab, newline and carriage return escaped.
function copyField(v: BulkValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;
}

/** Rows in COPY's text format, one line each. */
export function copyText(rows: readonly (readonly BulkValue[])[]): string {
  let text = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyField(row[i]!);
    text += line + '\n';
  }
  return text;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

async function copyLoader(ctx: AppContext, table: string, columns: readonly string[]): Promise<BulkLoader> {
  const client: PoolClient = await ctx.pool.connect();
  let count = 0;
  let stream: Writable;
  try {
    stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  } catch (e) {
    client.release();
    throw e;
  }
  let failure: Error | null = null;
  stream.on('error', (e: Error) => (failure ??= e));
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    // A client whose COPY failed or was cut off is not reusable: destroy it rather than return it.
    client.release(err);
  };
  // Waits for the stream to take more, or to fail. The listeners are removed either way: a load of a million
  // rows waits thousands of times, and listeners left behind pile up (MaxListenersExceededWarning).
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
      stream.on('close', done);
    });
  const writeText = async (text: string, rows: number) => {
    if (failure) throw failure;
    count += rows;
    if (!stream.write(text)) await drained();
    if (failure) throw failure;
  };
  return {
    copy: true,
    write: (rows) => writeText(copyText(rows), rows.length),
    writeText,
    async end() {
      try {
        stream.end();
        await finished(stream);
        if (failure) throw failure;
        release();
        return count;
      } catch (e) {
        release(e instanceof Error ? e : new Error(String(e)));
        throw e;
      }
    },
    async abort(err) {
      const e = err ?? new Error('bulk load aborted');
      stream.destroy(e);
      release(e);
      await Promise.resolve();
    },
  };
}

// PostgreSQL takes at most 65,535 parameters per statement.
const MAX_PARAMS = 60_000;

function insertLoader(ctx: AppContext, table: string, columns: readonly string[]): BulkLoader {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const cols = sql.join(columns.map((c) => sql.id(c)));
  let count = 0;
  const insert = async (rows: readonly (readonly BulkValue[])[]) => {
    const values = rows.map(
      (r) => sql`(${sql.join(r.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v)))})`,
    );
    await sql`insert into ${sql.table(table)} (${cols}) values ${sql.join(values)}`.execute(ctx.db);
  };
  return {
    copy: false,
    async write(rows) {
      for (let i = 0; i < rows.length; i += perStatement) await insert(rows.slice(i, i + perStatement));
      count += rows.length;
    },
    end: () => Promise.resolve(count),
    abort: () => Promise.resolve(),
  };
}

/**
 * Starts a bulk load into `table` (columns in the order of the values written). Rows are committed as they
 * arrive (COPY: when it ends), outside any transaction of the caller: load into a staging table and merge
 * from there in one transaction.
 */
export async function bulkLoader(
  ctx: AppContext,
  table: string,
  columns: readonly string[],
): Promise<BulkLoader> {
  if (!IDENT.test(table) || !columns.every((c) => IDENT.test(c))) throw new Error('bad identifier');
  return ctx.engine === 'postgres' ? copyLoader(ctx, table, columns) : insertLoader(ctx, table, columns);
}

/**
 * Settings of a transaction whose statements work on a whole city's rows at once — an import's check and
 * merge, the daily dropout detection and data signs (set local: they end with the transaction). Sorts and
 * hashes of a million keys stay in memory rather than spilling to temporary files (the server's default 4 MB
 * also turns an anti-join into a re-scan per row); and no JIT: compiling one of these statements took up to
 * 2 s, longer than running it.
 */
export async function bulkSettings(trx: Transaction<DB>): Promise<void> {
  await sql`select set_config('work_mem', '256MB', true), set_config('jit', 'off', true)`.execute(trx);
}
