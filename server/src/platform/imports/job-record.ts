// An import job's row: where its files lie, how it is read (with its unit) and shown by the API, and who may
// see it.
import type { ImportCounts, ImportJob, ImportKind, ImportRowError } from '@dudao/contracts';
import type { Kysely } from 'kysely';
import { join } from 'node:path';
import { can, type Actor } from '../access/actor.js';
import { unitIdInScope } from '../access/scope.js';
import type { AppContext } from '../context.js';
import type { DB } from '../db/schema.js';
import { notFound, type Message } from '../errors.js';
import type { Lang } from '../i18n.js';
import { IDLE, type Progress } from './job-progress.js';
import { importKind, type ImportJobInfo, type ImportKindDef } from './kinds.js';

const JOB = { zh: '导入任务', en: 'Import job' };

// ---------- files ----------

/** Where jobs keep their uploads and error reports. */
export function importsDir(ctx: AppContext): string {
  return join(ctx.config.dataDir, 'imports');
}
export function uploadPath(ctx: AppContext, id: string): string {
  return join(importsDir(ctx), `${id}.upload`);
}
export function reportPath(ctx: AppContext, id: string, format: 'csv' | 'xlsx'): string {
  return join(importsDir(ctx), `${id}.errors.${format}`);
}

// ---------- the row ----------

/** A row error as the job keeps it (both languages). */
export interface StoredError {
  row: number;
  column: string | null;
  code: string;
  message: Message;
}

export const ZERO_COUNTS: ImportCounts = {
  rows: 0,
  valid: 0,
  rejected: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
};

/** Job rows with their unit and creator. */
export function jobsFrom(db: Kysely<DB>) {
  return db
    .selectFrom('import_job as j')
    .innerJoin('unit as u', 'u.id', 'j.unit_id')
    .leftJoin('app_user as au', 'au.id', 'j.created_by')
    .selectAll('j')
    .select(['u.name as unit_name', 'u.code as unit_code', 'u.path as unit_path', 'u.kind as unit_kind'])
    .select('au.display_name as created_by_name');
}
export type JobRow = NonNullable<Awaited<ReturnType<ReturnType<typeof jobsFrom>['executeTakeFirst']>>>;

/** The last committed job of the same kind and unit that imported the same file (by SHA-256). */
export async function sameFileAs(db: Kysely<DB>, j: JobRow): Promise<ImportJob['sameFileAs']> {
  const prev = await db
    .selectFrom('import_job')
    .select(['id', 'finished_at'])
    .where('file_sha256', '=', j.file_sha256)
    .where('kind', '=', j.kind)
    .where('unit_id', '=', j.unit_id)
    .where('status', '=', 'committed')
    .where('id', '<>', j.id)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return prev
    ? { id: prev.id, finishedAt: prev.finished_at ? new Date(prev.finished_at).toISOString() : null }
    : null;
}

/** The job as the API shows it, live progress and counts (of a running phase) over the stored ones. */
export function toJob(
  j: JobRow,
  lang: Lang,
  same: ImportJob['sameFileAs'],
  live?: { progress?: Progress; counts?: Partial<ImportCounts> },
): ImportJob {
  const stored = (j.progress as Partial<Progress> | null) ?? {};
  const progress = live?.progress ?? { ...IDLE, ...stored };
  const errors = (j.errors as StoredError[]).map((e): ImportRowError => ({
    row: e.row,
    column: e.column,
    code: e.code,
    message: e.message[lang],
  }));
  const failure = j.failure as { code: string; message: Message } | null;
  return {
    id: j.id,
    kind: j.kind as ImportKind,
    status: j.status,
    fileName: j.file_name,
    fileSize: j.file_size,
    fileSha256: j.file_sha256,
    format: j.format,
    encoding: j.encoding,
    unit: { id: j.unit_id, name: j.unit_name, code: j.unit_code },
    mode: j.mode,
    createdBy: j.created_by_name ?? null,
    createdAt: new Date(j.created_at).toISOString(),
    finishedAt: j.finished_at ? new Date(j.finished_at).toISOString() : null,
    progress: {
      phase: progress.phase,
      bytesRead: progress.bytesRead,
      rowsRead: progress.rowsRead,
      rowsPerSecond: progress.rowsPerSecond,
      etaSeconds: progress.etaSeconds,
      percent: progress.percent,
    },
    counts: { ...ZERO_COUNTS, ...(j.counts as Partial<ImportCounts>), ...(live?.counts ?? {}) },
    header: (j.header as ImportJob['header']) ?? null,
    errors,
    errorReport: j.error_report,
    sameFileAs: same,
    failure: failure ? { code: failure.code, message: failure.message[lang] } : null,
  };
}

// ---------- access ----------

/** The job, if the actor may see it (404 otherwise), and its kind. */
export async function loadJob(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ row: JobRow; def: ImportKindDef }> {
  const row = await jobsFrom(ctx.db)
    .where('j.id', '=', id)
    .where((eb) => unitIdInScope(actor, 'unit.read', eb.ref('j.unit_id')))
    .executeTakeFirst();
  if (!row) throw notFound(JOB);
  const def = importKind(row.kind as ImportKind);
  // Visible only to those who may import this kind there: the jobs carry the uploaded personal data.
  if (!can(actor, def.permission, row.unit_path)) throw notFound(JOB);
  return { row, def };
}

/** What a kind's steps are told about the job. */
export function jobInfo(row: JobRow): ImportJobInfo {
  return {
    id: row.id,
    unit: {
      id: row.unit_id,
      path: row.unit_path,
      kind: row.unit_kind,
      code: row.unit_code,
      name: row.unit_name,
    },
  };
}
