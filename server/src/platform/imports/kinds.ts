// What a module tells the import engine about one kind of import. The engine does the rest — upload,
// sniffing, reading, header mapping, progress, dry run, error report, commit modes, crash recovery, audit —
// the same way for every kind.
import type { ImportKind } from '@dudao/contracts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { Permission } from '../access/permissions.js';
import type { AppContext } from '../context.js';
import type { BulkValue } from '../db/bulk.js';
import type { Vault } from '../crypto/vault.js';
import type { DB } from '../db/schema.js';
import type { Message } from '../errors.js';
import type { FieldSpec } from './header.js';

/** A column of the kind's official template. */
export interface ImportFieldSpec<K extends string = string> extends FieldSpec<K> {
  /** What to write in it, shown in the wizard and as a note in the template. */
  hint?: string;
  /** Template column width in characters. */
  width?: number;
}

/** Why a row was refused: a stable code, the reason, and the column it concerns (its header text). */
export interface RowError {
  code: string;
  message: Message;
  column?: string | null;
}

/** The job as a kind sees it. */
export interface ImportJobInfo {
  id: string;
  unit: { id: string; path: string; kind: string; code: string; name: string };
}

/**
 * What a row parser makes of one data row: the values of a staging row, why it is refused, or `null`: not a
 * data row at all (a 合计 line), neither staged nor counted. `notes`: staged, and said about the row — the
 * population cross-check keeps a person with an unreadable ID number, as unmatched, and lists why; the import
 * kinds' parsers give none (a row they stage is valid).
 */
export type RowParseResult = { values: BulkValue[]; notes?: RowError[] } | { errors: RowError[] } | null;

/** Parses one data row (cell texts) into the values of a staging row, or says why not. */
export type RowParser = (cells: readonly string[]) => RowParseResult;

/**
 * Builds a row parser from plain data: what a kind's parser module exports as `makeRowParser`, so the parser
 * can be built in the import's worker thread (columns: field → 0-based column).
 */
export type WorkerRowParserFactory = (
  data: unknown,
  columns: Partial<Record<string, number>>,
  vault: Vault,
) => RowParser;

/** What a check or a merge found: per-row rejections and the counts of what a commit does (or did). */
export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface Rejection {
  rowNo: number;
  code: string;
  message: Message;
}

export interface ImportKindDef<K extends string = string> {
  kind: ImportKind;
  /** Permission needed at the job's unit to import (and to see the jobs' error reports). */
  permission: Permission;
  /** Unit kinds a job may target. */
  unitKinds: readonly string[];
  fields: readonly ImportFieldSpec<K>[];
  /** A row or two of the official template, as a user would fill it in. */
  example: readonly (readonly string[])[];
  /** Staging table and its columns, in the order RowParser gives values (job_id and row_no come first). */
  staging: { table: keyof DB; columns: readonly string[] };
  /** Loads what parsing needs (the schools under the unit …) and returns the row parser. */
  prepare(ctx: AppContext, job: ImportJobInfo, columns: Partial<Record<K, number>>): Promise<RowParser>;
  /**
   * Optional: the same parser built in a worker thread, which then reads and parses large files while the main
   * thread loads the staging table. `module` (a file URL) exports `makeRowParser` (a WorkerRowParserFactory);
   * `data` loads, in the main thread, the structured-cloneable data it is given.
   */
  worker?: { module: string; data(ctx: AppContext, job: ImportJobInfo): Promise<unknown> };
  /**
   * Set-based checks over the staged rows: duplicates within the file, conflicts with the database; marks
   * every staged row insert / update / unchanged / reject. Runs in a transaction at validation, and again inside
   * the commit (recheck: the staged rows are those the validation saw) unless none of `reads` changed since.
   */
  check(
    db: Kysely<DB> | Transaction<DB>,
    job: ImportJobInfo,
    opts?: { recheck?: boolean },
  ): Promise<MergeCounts>;
  /**
   * The tables the check reads, each with the registry_write trigger of migration 0019: a commit checks again
   * only when one of them was written by a transaction the validation's check could not see. Without it, every
   * commit checks again.
   */
  reads?: readonly (keyof DB)[];
  /** The staged rows the check rejected, in row order. */
  rejections(db: Kysely<DB>, jobId: string): Promise<Rejection[]>;
  /**
   * Tables whose planner statistics a large commit makes stale (a first roster of a million rows): analyzed
   * right after it, or searches plan as if the tables were empty until autovacuum comes round.
   */
  analyze: readonly (keyof DB)[];
  /** Writes the rows marked insert and update into the registry, inside the commit's transaction. */
  merge(trx: Transaction<DB>, job: ImportJobInfo, actor: Actor): Promise<MergeCounts>;
}

/** Staging tables: each has job_id, row_no, action (null: insert, 'update', 'unchanged', 'reject'), reject_code and reject_message. */
type StagingTable = ImportKindDef['staging']['table'];

/** What a check decided for a job's staged rows, counted (a kind's check returns it). */
export async function stagedCounts(
  db: Kysely<DB> | Transaction<DB>,
  table: StagingTable,
  jobId: string,
): Promise<MergeCounts> {
  const counts = await sql<{ action: string | null; n: number }>`
    select action, count(*)::int as n from ${sql.table(table)} where job_id = ${jobId} group by action`.execute(
    db,
  );
  const n = (a: string | null) => counts.rows.find((c) => c.action === a)?.n ?? 0;
  return { inserted: n(null), updated: n('update'), unchanged: n('unchanged') };
}

/** A kind's `rejections`: the staged rows its check refused, in row order. */
export function stagedRejections(table: StagingTable): ImportKindDef['rejections'] {
  return async (db, jobId) => {
    const { rows } = await sql<{ row_no: number; reject_code: string | null; reject_message: Message }>`
      select row_no, reject_code, reject_message from ${sql.table(table)}
      where job_id = ${jobId} and action = 'reject' order by row_no`.execute(db);
    return rows.map((r) => ({
      rowNo: r.row_no,
      code: r.reject_code ?? 'IMPORT_REJECTED',
      message: r.reject_message,
    }));
  };
}

const kinds = new Map<ImportKind, ImportKindDef>();

/** Registers a kind (at module load; the import routes make sure every module is loaded). */
export function registerImportKind<K extends string>(def: ImportKindDef<K>): void {
  kinds.set(def.kind, def);
}

export function importKind(kind: ImportKind): ImportKindDef {
  const def = kinds.get(kind);
  if (!def) throw new Error(`import kind ${kind} is not registered`);
  return def;
}

export function importKinds(): ImportKindDef[] {
  return [...kinds.values()];
}
