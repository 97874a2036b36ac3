// Import jobs: the one pipeline every import kind runs through.
//
//   upload ──► file on disk (SHA-256, size limit, type sniffed from content, zip-bomb limits)
//          ──► validate: stream rows → header mapping → kind's row parser → staging table (COPY / bulk
//              INSERT), rejects collected → set-based check (duplicates in the file, conflicts with the
//              database) → error report (the rejected rows as they were, plus a reason column, in the
//              upload's own format) → status validated: the dry run's counts and first errors
//          ──► commit (mode all | valid-only): one transaction re-checks and merges set-based, records
//              the audit entry and marks the job committed — a kill -9 at any moment leaves all or nothing
//   restart ──► jobs caught validating or committing are failed as interrupted and can be re-run.
//
// Progress (phase, bytes, rows, rows/s, ETA) is pushed to listeners (server-sent events) as it happens and
// written to the job row every few seconds (polling clients, other server instances).
import type {
  ImportCounts,
  ImportJob,
  ImportKind,
  ImportMapping,
  ImportMode,
  ImportPhase,
  ImportRowError,
} from '@dudao/contracts';
import { sql, type Kysely, type Transaction } from 'kysely';
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { can, type Actor } from '../access/actor.js';
import { unitIdInScope } from '../access/scope.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { bulkLoader, type BulkLoader, type BulkValue } from '../db/bulk.js';
import type { DB } from '../db/schema.js';
import { AppError, badRequest, conflict, forbidden, notFound, type Message } from '../errors.js';
import type { Lang } from '../i18n.js';
import type { CsvEncoding } from './csv-reader.js';
import { writeErrorReport } from './error-report.js';
import { mapHeader, normalizeHeader, type HeaderMapping } from './header.js';
import { importKind, type ImportJobInfo, type ImportKindDef, type RowError } from './kinds.js';
import { checkZipLimits, SNIFF_BYTES, sniffUpload } from './sniff.js';
import type { FromWorker, ReadWorkerInit, ToWorker } from './read-worker.js';
import { isBlankRow, readUploadRows, type UploadSource } from './upload-rows.js';
import { openZip } from './zip.js';

const JOB = { zh: '导入任务', en: 'Import job' };
const UNIT = { zh: '机构', en: 'Unit' };
/** Errors kept on the job for the wizard; the report file has all of them. */
const FIRST_ERRORS = 100;
const BATCH_ROWS = 5000;
/** Rows per batch read (BATCH_ROWS; tests make it small to exercise several batches). */
let batchRows = BATCH_ROWS;
/** A commit writing this many rows refreshes the planner statistics of the kind's tables. */
const ANALYZE_AFTER_ROWS = 10_000;
/** How often the job row is updated with progress while a phase runs. */
const PERSIST_MS = 2000;

// ---------- files ----------

function importsDir(ctx: AppContext): string {
  return join(ctx.config.dataDir, 'imports');
}
export function uploadPath(ctx: AppContext, id: string): string {
  return join(importsDir(ctx), `${id}.upload`);
}
export function reportPath(ctx: AppContext, id: string, format: 'csv' | 'xlsx'): string {
  return join(importsDir(ctx), `${id}.errors.${format}`);
}

// ---------- progress ----------

/** Job snapshots as they change, by job id: the events route listens here. */
export const importEvents = new EventEmitter();
importEvents.setMaxListeners(0);

interface Progress {
  phase: ImportPhase;
  bytesRead: number;
  rowsRead: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
  percent: number;
}

// Share of the bar each phase fills: reading is most of a validation; a commit is one merge.
const PHASE_SPAN: Record<ImportPhase, [number, number]> = {
  reading: [0, 85],
  checking: [85, 93],
  report: [93, 99],
  merging: [0, 99],
  done: [100, 100],
};

class Tracker {
  private started = Date.now();
  private lastPersist = 0;
  private lastEmit = 0;
  progress: Progress = {
    phase: 'reading',
    bytesRead: 0,
    rowsRead: 0,
    rowsPerSecond: 0,
    etaSeconds: null,
    percent: 0,
  };
  counts: Partial<ImportCounts> = {};

  constructor(
    private ctx: AppContext,
    private id: string,
    private total: number,
  ) {}

  phase(phase: ImportPhase, fraction = 0): void {
    this.progress = { ...this.progress, phase, etaSeconds: null };
    this.started = phase === 'reading' ? this.started : Date.now();
    this.at(fraction, true);
  }

  /** fraction: how far the current phase is (0–1). */
  at(fraction: number, force = false): void {
    const [from, to] = PHASE_SPAN[this.progress.phase];
    const f = Math.min(Math.max(fraction, 0), 1);
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0.5 ? Math.round(this.progress.rowsRead / seconds) : 0;
    const eta =
      this.progress.phase === 'reading' && f > 0.02 && seconds > 1
        ? Math.round((seconds * (1 - f)) / f)
        : null;
    this.progress = {
      ...this.progress,
      rowsPerSecond: this.progress.phase === 'reading' ? rate : this.progress.rowsPerSecond,
      etaSeconds: eta,
      percent: Math.floor(from + (to - from) * f),
    };
    const now = Date.now();
    if (force || now - this.lastEmit > 250) {
      this.lastEmit = now;
      importEvents.emit(this.id, { progress: this.progress, counts: this.counts });
    }
    if (force || now - this.lastPersist > PERSIST_MS) {
      this.lastPersist = now;
      void this.persist();
    }
  }

  reading(bytesRead: number, rowsRead: number): void {
    this.progress.bytesRead = bytesRead;
    this.progress.rowsRead = rowsRead;
    this.at(this.total > 0 ? bytesRead / this.total : 0);
  }

  private async persist(): Promise<void> {
    await this.ctx.db
      .updateTable('import_job')
      .set({ progress: JSON.stringify({ ...this.progress, heartbeat: Date.now() }) })
      .where('id', '=', this.id)
      .where('status', 'in', ['validating', 'committing'])
      .execute()
      .catch(() => undefined);
  }
}

// ---------- mapping ----------

interface StoredError {
  row: number;
  column: string | null;
  code: string;
  message: Message;
}

const ZERO_COUNTS: ImportCounts = { rows: 0, valid: 0, rejected: 0, inserted: 0, updated: 0, unchanged: 0 };
const IDLE: Progress = {
  phase: 'reading',
  bytesRead: 0,
  rowsRead: 0,
  rowsPerSecond: 0,
  etaSeconds: null,
  percent: 0,
};

function jobsFrom(db: Kysely<DB>) {
  return db
    .selectFrom('import_job as j')
    .innerJoin('unit as u', 'u.id', 'j.unit_id')
    .leftJoin('app_user as au', 'au.id', 'j.created_by')
    .selectAll('j')
    .select(['u.name as unit_name', 'u.code as unit_code', 'u.path as unit_path', 'u.kind as unit_kind'])
    .select('au.display_name as created_by_name');
}
type JobRow = NonNullable<Awaited<ReturnType<ReturnType<typeof jobsFrom>['executeTakeFirst']>>>;

async function sameFileAs(db: Kysely<DB>, j: JobRow): Promise<ImportJob['sameFileAs']> {
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

function toJob(
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

async function loadJob(
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

function jobInfo(row: JobRow): ImportJobInfo {
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

/** The job as the API shows it. */
export async function getImportJob(
  ctx: AppContext,
  actor: Actor,
  id: string,
  lang: Lang,
): Promise<ImportJob> {
  const { row } = await loadJob(ctx, actor, id);
  return toJob(row, lang, await sameFileAs(ctx.db, row));
}

/** Recent jobs in the actor's scope, newest first. */
export async function listImportJobs(
  ctx: AppContext,
  actor: Actor,
  q: { kind?: ImportKind; status?: ImportJob['status']; page: number; pageSize: number },
  lang: Lang,
): Promise<{ items: ImportJob[]; total: number; page: number; pageSize: number }> {
  // One kind at a time (students unless asked), each seen by those who may import it.
  const def = importKind(q.kind ?? 'students');
  let query = jobsFrom(ctx.db)
    .where('j.kind', '=', def.kind)
    .where((eb) => unitIdInScope(actor, def.permission, eb.ref('j.unit_id')));
  if (q.status) query = query.where('j.status', '=', q.status);
  const rows = await query
    .select(sql<number>`count(*) over ()`.as('full_count'))
    .orderBy('j.created_at', 'desc')
    .orderBy('j.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const items = await Promise.all(rows.map(async (r) => toJob(r, lang, await sameFileAs(ctx.db, r))));
  return { items, total: rows[0]?.full_count ?? 0, page: q.page, pageSize: q.pageSize };
}

// ---------- upload ----------

export interface ImportUpload {
  kind: ImportKind;
  /** Default: the actor's own unit. */
  unitId?: string | undefined;
  sheet?: string | undefined;
  fileName: string;
  /** The file's bytes; null when the request carried none (refused after the access checks). */
  source: Readable | null;
}

function tooLarge(limit: number): AppError {
  const mb = Math.round(limit / 1024 / 1024);
  // The rest of the body is never read: the connection is closed after the answer, or the client would keep
  // sending into a socket nobody reads and hold the server's shutdown open.
  return new AppError(
    413,
    'IMPORT_TOO_LARGE',
    {
      zh: `文件超过 ${mb} MB 的上限，请拆分后分批导入`,
      en: `The file exceeds the ${mb} MB limit; split it and import the parts`,
    },
    undefined,
    { connection: 'close' },
  );
}

// Streams the upload to disk, hashing it and enforcing the size limit on the way.
async function receive(
  ctx: AppContext,
  id: string,
  source: Readable,
): Promise<{ size: number; sha256: string }> {
  await mkdir(importsDir(ctx), { recursive: true });
  const part = `${uploadPath(ctx, id)}.part`;
  const hash = createHash('sha256');
  const limit = ctx.config.importMaxBytes;
  let size = 0;
  try {
    await pipeline(
      source,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > limit) return done(tooLarge(limit));
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(part),
    );
  } catch (e) {
    await rm(part, { force: true });
    if (e instanceof AppError) throw e;
    throw badRequest('IMPORT_UPLOAD_FAILED', {
      zh: '文件上传中断，请重试',
      en: 'The upload was interrupted; try again',
    });
  }
  await rename(part, uploadPath(ctx, id));
  return { size, sha256: hash.digest('hex') };
}

async function sniffFile(path: string, fileName: string): Promise<'csv' | 'xlsx'> {
  const fh = await open(path, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const sniffed = sniffUpload(head, fileName);
  if ('error' in sniffed) throw badRequest(sniffed.error, sniffed.message);
  if (sniffed.kind === 'xlsx') {
    const zip = await checkZipLimits(path);
    if ('error' in zip) throw badRequest(zip.error, zip.message);
    // The central directory names every part: only a package with a workbook is a workbook.
    const pkg = await openZip(path);
    const names = [...pkg.entries.keys()];
    pkg.close();
    if (!names.some((n) => n.startsWith('xl/'))) {
      const ods = names.includes('mimetype') && names.includes('content.xml');
      throw badRequest(
        ods ? 'ODS_NOT_SUPPORTED' : 'UNSUPPORTED_TYPE',
        ods
          ? {
              zh: `文件“${fileName}”是 OpenDocument 表格（.ods），请另存为 .xlsx 再上传`,
              en: `“${fileName}” is an OpenDocument spreadsheet (.ods); save it as .xlsx and upload that`,
            }
          : {
              zh: `文件“${fileName}”不是 Excel 工作簿（.xlsx）或 CSV 文件，无法导入`,
              en: `“${fileName}” is neither an Excel workbook (.xlsx) nor a CSV file and cannot be imported`,
            },
      );
    }
  }
  return sniffed.kind;
}

/**
 * Takes an upload for an import of `kind` into `unitId`: stores it, checks it is a readable .xlsx or CSV,
 * records the job and starts validating it (awaited when opts.wait, as the CLI does).
 */
export async function createImportJob(
  ctx: AppContext,
  actor: Actor,
  input: ImportUpload,
  origin: AuditOrigin,
  opts: { wait?: boolean; lang?: Lang; onCreated?: (id: string) => void } = {},
): Promise<ImportJob> {
  const def = importKind(input.kind);
  const unitId = input.unitId ?? actor.unitId;
  const unit = unitId
    ? await ctx.db
        .selectFrom('unit')
        .select(['id', 'path', 'kind', 'status'])
        .where('id', '=', unitId)
        .where((eb) => unitIdInScope(actor, 'unit.read', eb.ref('id')))
        .executeTakeFirst()
    : undefined;
  // A refused upload is drained, so the client sees the answer rather than a stalled request.
  if (!unit) {
    input.source?.resume();
    throw notFound(UNIT);
  }
  if (!can(actor, def.permission, unit.path)) {
    input.source?.resume();
    throw forbidden();
  }
  if (!input.source)
    throw badRequest('IMPORT_NO_FILE', {
      zh: '请以 application/octet-stream 上传文件内容',
      en: 'Send the file as the application/octet-stream body',
    });
  if (!def.unitKinds.includes(unit.kind) || unit.status !== 'active') {
    input.source.resume();
    throw badRequest('IMPORT_UNIT_KIND', {
      zh: '只能导入到在用的学校或教育局',
      en: 'Imports go to an active school or bureau',
    });
  }
  const id = randomUUID();
  const { size, sha256 } = await receive(ctx, id, input.source);
  let format: 'csv' | 'xlsx';
  try {
    format = await sniffFile(uploadPath(ctx, id), input.fileName);
  } catch (e) {
    await rm(uploadPath(ctx, id), { force: true });
    throw e;
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('import_job')
      .values({
        id,
        kind: input.kind,
        status: 'validating',
        unit_id: unit.id,
        file_name: input.fileName.slice(0, 255),
        file_size: size,
        file_sha256: sha256,
        format,
        sheet: input.sheet ?? null,
        created_by: actor.userId,
        progress: JSON.stringify({ ...IDLE, heartbeat: Date.now() }),
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'import.upload',
      objectType: 'import_job',
      objectId: id,
      unitId: unit.id,
      after: { kind: input.kind, fileName: input.fileName, fileSize: size, sha256, format },
    });
  });
  opts.onCreated?.(id);
  const run = runValidation(ctx, id);
  if (opts.wait) await run;
  return getImportJob(ctx, actor, id, opts.lang ?? 'zh');
}

// ---------- validation ----------

const running = new Map<string, Promise<void>>();
/** Validations asked to stop (a cancel while validating); the reading loop looks here between batches. */
const stopRequested = new Set<string>();

class Stopped extends Error {}

/** Resolves when the job's current phase (validation or commit) has finished in this process. */
export function whenIdle(id: string): Promise<void> {
  return running.get(id) ?? Promise.resolve();
}

/** Resolves when no job runs in this process (tests wait for it before closing the database). */
export async function whenAllIdle(): Promise<void> {
  while (running.size > 0) await Promise.all([...running.values()]);
}

function track(id: string, work: () => Promise<void>): Promise<void> {
  // A job never rejects: its failures are recorded on the job (and logged when even that fails).
  const p = work()
    .catch((e: unknown) => console.error('[import] job', id, 'could not record its failure:', e))
    .finally(() => running.delete(id));
  running.set(id, p);
  return p;
}

function internalFailure(): Message {
  return {
    zh: '导入时发生内部错误，请稍后重试或联系管理员',
    en: 'The import failed with an internal error; retry later or ask the administrator',
  };
}

async function failJob(ctx: AppContext, id: string, e: unknown): Promise<void> {
  const failure =
    e instanceof AppError
      ? { code: e.code, message: e.msg }
      : { code: 'IMPORT_FAILED', message: internalFailure() };
  if (!(e instanceof AppError)) console.error('[import] job', id, 'failed:', e);
  await clearStaging(ctx, id);
  await ctx.db
    .updateTable('import_job')
    .set({ status: 'failed', failure: JSON.stringify(failure), finished_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', ['validating', 'committing'])
    .execute();
  importEvents.emit(id, { done: true });
}

async function clearStaging(ctx: AppContext, id: string): Promise<void> {
  const row = await ctx.db.selectFrom('import_job').select('kind').where('id', '=', id).executeTakeFirst();
  if (!row) return;
  const table = importKind(row.kind as ImportKind).staging.table;
  await sql`delete from ${sql.table(table)} where job_id = ${id}`.execute(ctx.db);
}

function headerProblem(mapping: HeaderMapping, fields: ImportKindDef['fields']): AppError | null {
  if (mapping.headerRow < 0)
    return badRequest('IMPORT_HEADER_NOT_FOUND', {
      zh: `在前 20 行中找不到表头，请使用导入模板（列名如：${fields
        .slice(0, 5)
        .map((f) => f.label)
        .join('、')}）`,
      en: `No header row in the first 20 rows; use the import template (columns such as ${fields
        .slice(0, 5)
        .map((f) => f.label)
        .join(', ')})`,
    });
  if (mapping.missingRequired.length > 0)
    return badRequest('IMPORT_MISSING_COLUMNS', {
      zh: `缺少必填列：${mapping.missingRequired.join('、')}`,
      en: `Required columns are missing: ${mapping.missingRequired.join(', ')}`,
    });
  return null;
}

// The header as the rows show it: one line, or two joined (监护人1 + 电话).
function headerTexts(rows: readonly (readonly string[])[], mapping: HeaderMapping): string[] {
  const top = rows[mapping.headerRow] ?? [];
  if (mapping.headerRows === 1) return top.map((t) => t.trim());
  const bottom = rows[mapping.headerRow + 1] ?? [];
  const width = Math.max(top.length, bottom.length);
  return Array.from({ length: width }, (_, c) => {
    const a = (top[c] ?? '').trim();
    const b = (bottom[c] ?? '').trim();
    return a && b && a !== b ? `${a}${b}` : a || b;
  });
}

function headerInfo(
  mapping: HeaderMapping,
  texts: readonly string[],
  fields: ImportKindDef['fields'],
  sheet: string | null,
): NonNullable<ImportJob['header']> {
  const columns = mapping.columns as Record<string, number | undefined>;
  return {
    row: mapping.headerRow + 1,
    sheet,
    mapped: fields
      .filter((f) => columns[f.key] !== undefined)
      .map((f) => ({ field: f.key, label: f.label, column: texts[columns[f.key]!] ?? f.label })),
    unknown: mapping.unknown,
    missingRequired: mapping.missingRequired,
  };
}

/** The kind's fields with the column names the job's unit (or a unit above it) taught the importer. */
async function fieldsWithAliases(
  ctx: AppContext,
  def: ImportKindDef,
  unitPath: string,
): Promise<ImportKindDef['fields']> {
  const aliases = await ctx.db
    .selectFrom('import_header_alias as a')
    .innerJoin('unit as u', 'u.id', 'a.unit_id')
    .select(['a.field', 'a.header'])
    .where('a.kind', '=', def.kind)
    .where(sql<boolean>`${unitPath} like u.path || '%'`)
    .orderBy(sql`length(u.path)`, 'desc')
    .execute();
  if (aliases.length === 0) return def.fields;
  return def.fields.map((f) => {
    const extra = aliases.filter((a) => a.field === f.key).map((a) => a.header);
    return extra.length ? { ...f, synonyms: [...(f.synonyms ?? []), ...extra] } : f;
  });
}

function openRows(
  ctx: AppContext,
  row: JobRow,
  onBytes: (n: number) => void,
  onEncoding: (e: CsvEncoding) => void,
): AsyncGenerator<string[][]> {
  return readUploadRows(uploadSource(ctx, row), batchRows, onBytes, onEncoding);
}

function uploadSource(ctx: AppContext, row: JobRow): UploadSource {
  return { path: uploadPath(ctx, row.id), format: row.format, sheet: row.sheet, fileSize: row.file_size };
}

// ---------- the reading worker ----------

/** Files from this size on are read in a worker thread (smaller ones are read before a worker would start). */
let workerMinBytes = 4 * 1024 * 1024;
/** Whether a second worker parses every other batch: when the machine has a core for it (see read-worker.ts). */
let parsePeer = availableParallelism() >= 2;
const workerDefaults = { minBytes: workerMinBytes, batchRows, parsePeer };

/**
 * For tests: the size from which the worker reads (0: always), the rows per batch and whether the parsing peer
 * takes part; `null` restores the defaults.
 */
export function setImportWorker(
  opts: Partial<{ minBytes: number; batchRows: number; parsePeer: boolean }> | null,
): void {
  const o = { ...workerDefaults, ...opts };
  workerMinBytes = o.minBytes;
  batchRows = o.batchRows;
  parsePeer = o.parsePeer;
}

const workerScript = new URL('./read-worker.ts', import.meta.url).href;
// The worker is TypeScript: it registers tsx's loader itself (a worker does not inherit the loader the server
// registered through tsx's API), found from here so any working directory will do.
const tsxApi = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
).href;

function startReadWorker(init: ReadWorkerInit): {
  workers: Worker[];
  next: () => Promise<FromWorker>;
} {
  const queue: FromWorker[] = [];
  let waiting: ((m: FromWorker) => void) | null = null;
  const push = (m: FromWorker) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else queue.push(m);
  };
  const spawn = (data: ReadWorkerInit, transfer: MessagePort[]) => {
    const worker = new Worker(
      `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerScript)}); })`,
      { eval: true, execArgv: [], workerData: data, transferList: transfer },
    );
    worker.on('message', push);
    worker.on('error', (e: Error) => push({ type: 'error', app: null, message: e.stack ?? e.message }));
    worker.on('exit', (code) =>
      push({ type: 'error', app: null, message: `import worker exited (${code})` }),
    );
    return worker;
  };
  if (!parsePeer) return { workers: [spawn(init, [])], next: () => take() };
  const { port1, port2 } = new MessageChannel();
  const workers = [
    spawn({ ...init, role: 'read', peer: port1 }, [port1]),
    spawn({ ...init, role: 'parse', peer: port2 }, [port2]),
  ];
  return { workers, next: () => take() };

  function take(): Promise<FromWorker> {
    return queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise<FromWorker>((r) => (waiting = r));
  }
}

async function validate(ctx: AppContext, id: string): Promise<void> {
  const row = await jobsFrom(ctx.db).where('j.id', '=', id).executeTakeFirstOrThrow();
  const def = importKind(row.kind as ImportKind);
  const info = jobInfo(row);
  const tracker = new Tracker(ctx, id, row.file_size);
  await clearStaging(ctx, id);

  // Assigned inside startRows (a closure): typed wide so the catch below sees it may be set.
  let loader = null as BulkLoader | null;
  let encoding: CsvEncoding | null = null;
  const rejected = new Map<number, string>();
  const firstErrors: StoredError[] = [];
  let rows = 0;
  let valid = 0;
  let mapping = null as HeaderMapping | null;
  let texts: string[] = [];
  let parse = null as ((cells: readonly string[]) => { values: BulkValue[] } | { errors: RowError[] }) | null;
  const head: string[][] = [];
  let bytes = 0;

  const reject = (rowNo: number, errors: readonly StoredError[]) => {
    rejected.set(
      rowNo,
      errors.map((e) => (e.column ? `【${e.column}】${e.message.zh}` : e.message.zh)).join('；'),
    );
    // The errors of the first rejected rows; batches can arrive out of order (two parsing workers), so
    // collect, and now and then keep only the lowest rows.
    firstErrors.push(...errors);
    if (firstErrors.length > 10 * FIRST_ERRORS) {
      firstErrors.sort((a, b) => a.row - b.row);
      firstErrors.length = FIRST_ERRORS;
    }
  };
  const columnText = (field: string | null | undefined): string | null => {
    if (!field || !mapping) return null;
    const col = (mapping.columns as Record<string, number | undefined>)[field];
    return col === undefined
      ? (def.fields.find((f) => f.key === field)?.label ?? null)
      : (texts[col] ?? null);
  };

  const processRows = async (batch: readonly string[][], firstRowNo: number) => {
    if (!parse) return;
    const staged: BulkValue[][] = [];
    batch.forEach((cells, i) => {
      const rowNo = firstRowNo + i;
      if (isBlankRow(cells)) return;
      rows++;
      const r = parse!(cells);
      if ('values' in r) {
        valid++;
        staged.push([id, rowNo, ...r.values]);
      } else {
        reject(
          rowNo,
          r.errors.map((e) => ({
            row: rowNo,
            column: columnText(e.column),
            code: e.code,
            message: e.message,
          })),
        );
      }
    });
    if (staged.length > 0) await loader!.write(staged);
  };

  // The header is settled on the first rows (with the names the unit taught the importer); a file missing
  // required columns fails with its header kept, so the user can say which column is which.
  const fields = await fieldsWithAliases(ctx, def, row.unit_path);
  const settleHeader = async (): Promise<HeaderMapping> => {
    const m = mapHeader(head, fields);
    mapping = m;
    texts = headerTexts(head, m);
    const problem = headerProblem(m, fields);
    if (problem) {
      if (m.headerRow >= 0)
        await ctx.db
          .updateTable('import_job')
          .set({ header: JSON.stringify(headerInfo(m, texts, fields, row.sheet)) })
          .where('id', '=', id)
          .execute();
      throw problem;
    }
    loader = await bulkLoader(ctx, def.staging.table, ['job_id', 'row_no', ...def.staging.columns]);
    return m;
  };
  const startRows = async () => {
    const m = await settleHeader();
    parse = await def.prepare(ctx, info, m.columns);
    await processRows(head.slice(m.dataRow), m.dataRow + 1);
  };

  // Large files: read, parsed and validated in a worker thread, while this one loads the staging table.
  const readInWorker = async (worker: NonNullable<ImportKindDef['worker']>) => {
    const { workers, next } = startReadWorker({
      source: uploadSource(ctx, row),
      jobId: id,
      batchSize: batchRows,
      headRows: 20,
      parserModule: worker.module,
      dataDir: ctx.config.dataDir,
      secretKey: ctx.config.secretKey,
      output: ctx.engine === 'postgres' ? 'copy' : 'rows',
    });
    try {
      for (;;) {
        const m = await next();
        if (stopRequested.has(id)) throw new Stopped();
        if (m.type === 'encoding') encoding = m.encoding;
        else if (m.type === 'head') {
          head.push(...m.rows);
          bytes = m.bytes;
          const settled = await settleHeader();
          const data = await worker.data(ctx, info);
          workers[0]!.postMessage({
            type: 'start',
            columns: settled.columns,
            dataRow: settled.dataRow,
            data,
          } satisfies ToWorker);
        } else if (m.type === 'batch') {
          rows += m.read;
          valid += m.staged;
          for (const r of m.rejects)
            reject(
              r.rowNo,
              r.errors.map((e) => ({
                row: r.rowNo,
                column: columnText(e.column),
                code: e.code,
                message: e.message,
              })),
            );
          if (m.staged > 0) {
            if (m.copy !== null) await loader!.writeText!(m.copy, m.staged);
            else await loader!.write(m.rows ?? []);
          }
          workers[0]!.postMessage({ type: 'ack' } satisfies ToWorker);
          bytes = m.bytes;
          tracker.reading(bytes, rows);
        } else if (m.type === 'end') return;
        else throw m.app ? new AppError(m.app.status, m.app.code, m.app.msg) : new Error(m.message);
      }
    } finally {
      for (const w of workers) {
        w.removeAllListeners('exit');
        await w.terminate();
      }
    }
  };

  try {
    let next = 1; // the 1-based row number of the next row read
    if (def.worker && row.file_size >= workerMinBytes) await readInWorker(def.worker);
    else
      for await (const batch of openRows(
        ctx,
        row,
        (n) => (bytes = n),
        (e) => (encoding = e),
      )) {
        const firstRowNo = next;
        next += batch.length;
        if (stopRequested.has(id)) throw new Stopped();
        if (!mapping) {
          head.push(...batch);
          if (head.length < 20 && batch.length === batchRows) continue;
          await startRows();
        } else {
          await processRows(batch, firstRowNo);
        }
        tracker.reading(bytes, rows);
      }
    if (!mapping) {
      await startRows();
    }
    if (!mapping) throw new Error('unreachable: no header after reading');
    await loader!.end();
    loader = null;
    if (rows === 0)
      throw badRequest('IMPORT_NO_ROWS', {
        zh: '表头下面没有数据行',
        en: 'There are no data rows under the header',
      });

    tracker.phase('checking');
    // The snapshot is taken before the check, so whatever the check saw is visible in it (see registryChanged).
    let checked = null as { snapshot: string; at: Date } | null;
    const planned = await ctx.db.transaction().execute(async (trx) => {
      await bulkSettings(trx);
      if (def.reads) checked = await currentSnapshot(trx);
      return def.check(trx, info);
    });
    for (const r of await def.rejections(ctx.db, id)) {
      const e: StoredError = { row: r.rowNo, column: null, code: r.code, message: r.message };
      reject(r.rowNo, [e]);
      valid--;
    }
    firstErrors.sort((a, b) => a.row - b.row);

    let report = false;
    if (rejected.size > 0) {
      tracker.phase('report');
      await writeErrorReport({
        source: openRows(
          ctx,
          row,
          () => undefined,
          () => undefined,
        ),
        format: row.format,
        encoding: encoding ?? 'utf-8',
        mapping,
        rejected,
        out: reportPath(ctx, id, row.format),
      });
      report = true;
    }

    const counts: ImportCounts = { rows, valid, rejected: rejected.size, ...planned };
    const header = headerInfo(mapping, texts, fields, row.sheet);
    tracker.counts = counts;
    tracker.progress = { ...tracker.progress, phase: 'done', percent: 100, etaSeconds: null };
    await ctx.db
      .updateTable('import_job')
      .set({
        status: 'validated',
        checked_snapshot: checked?.snapshot ?? null,
        checked_at: checked?.at ?? null,
        encoding: row.format === 'csv' ? encoding : null,
        counts: JSON.stringify(counts),
        header: JSON.stringify(header),
        errors: JSON.stringify(firstErrors.slice(0, FIRST_ERRORS)),
        error_report: report,
        failure: null,
        progress: JSON.stringify(tracker.progress),
      })
      .where('id', '=', id)
      .where('status', '=', 'validating')
      .execute();
    importEvents.emit(id, { done: true });
  } catch (e) {
    await loader?.abort().catch(() => undefined);
    if (e instanceof Stopped) await clearStaging(ctx, id);
    else await failJob(ctx, id, e);
  } finally {
    stopRequested.delete(id);
  }
}

function runValidation(ctx: AppContext, id: string): Promise<void> {
  return track(id, () => validate(ctx, id));
}

// ---------- commit, cancel, retry ----------

/** Registry writes are kept this long; a validation older than half of it always checks again. */
const REGISTRY_WRITES_KEPT_MS = 2 * 24 * 60 * 60 * 1000;

async function currentSnapshot(trx: Transaction<DB>): Promise<{ snapshot: string; at: Date }> {
  const r = await sql<{ s: string; at: Date }>`select pg_current_snapshot()::text as s, now() as at`.execute(
    trx,
  );
  return { snapshot: r.rows[0]!.s, at: r.rows[0]!.at };
}

/**
 * Whether the commit must check the staged rows again: when a transaction the validation's snapshot did not
 * see has since written a table the kind's check reads (noted by the triggers of migration 0019), when the
 * kind does not say what it reads, or when the validation is too old for the notes kept. Runs under the kind's
 * advisory lock, so no other commit of the kind is between this and the merge; a change still uncommitted now
 * is as invisible to a re-check as to this test. Also prunes the old notes.
 */
async function registryChanged(
  trx: Transaction<DB>,
  def: ImportKindDef,
  row: { checked_snapshot: string | null; checked_at: Date | null },
): Promise<boolean> {
  await sql`delete from registry_write where at < now() - ${`${REGISTRY_WRITES_KEPT_MS} milliseconds`}::interval`.execute(
    trx,
  );
  if (!def.reads || def.reads.length === 0 || !row.checked_snapshot || !row.checked_at) return true;
  if (Date.now() - row.checked_at.getTime() > REGISTRY_WRITES_KEPT_MS / 2) return true;
  const r = await sql<{ changed: boolean }>`
    select exists (
      select 1 from registry_write
      where tbl = any(${[...def.reads]}::text[])
        and not pg_visible_in_snapshot(xid, ${row.checked_snapshot}::pg_snapshot)
    ) as changed`.execute(trx);
  return r.rows[0]?.changed ?? true;
}

/**
 * Settings of the transactions that check and merge staged rows (set local: they end with the transaction).
 * Sorts and hashes of a million keys stay in memory rather than spilling to temporary files; and no JIT:
 * compiling one of these statements took up to 2 s, longer than running it.
 */
async function bulkSettings(trx: Transaction<DB>): Promise<void> {
  await sql`set local work_mem = '256MB'`.execute(trx);
  await sql`set local jit = off`.execute(trx);
}

/**
 * Commits a validated job: `all` only when no row was rejected; `valid-only` leaves the rejected rows out.
 * The merge, the job's new status and the audit entry share one transaction.
 */
export async function commitImportJob(
  ctx: AppContext,
  actor: Actor,
  id: string,
  mode: ImportMode,
  origin: AuditOrigin,
  opts: { wait?: boolean; lang?: Lang } = {},
): Promise<ImportJob> {
  const { row, def } = await loadJob(ctx, actor, id);
  const counts = { ...ZERO_COUNTS, ...(row.counts as Partial<ImportCounts>) };
  if (row.status !== 'validated')
    throw conflict('IMPORT_NOT_VALIDATED', {
      zh: '只有校验完成、等待确认的导入才能提交',
      en: 'Only a validated import waiting for confirmation can be committed',
    });
  if (mode === 'all' && counts.rejected > 0)
    throw conflict('IMPORT_HAS_ERRORS', {
      zh: `有 ${counts.rejected} 行存在错误，选择“全部导入”时不能提交；请修正后重新上传，或选择“仅导入正确的行”`,
      en: `${counts.rejected} rows have errors: “all or nothing” cannot commit; fix and upload again, or choose “valid rows only”`,
    });
  if (counts.valid === 0)
    throw conflict('IMPORT_NOTHING_VALID', { zh: '没有可以导入的正确行', en: 'No valid rows to import' });
  const claimed = await ctx.db
    .updateTable('import_job')
    .set({
      status: 'committing',
      mode,
      progress: JSON.stringify({ ...IDLE, phase: 'merging', heartbeat: Date.now() }),
    })
    .where('id', '=', id)
    .where('status', '=', 'validated')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1)
    throw conflict('IMPORT_NOT_VALIDATED', {
      zh: '该导入正在提交或已提交',
      en: 'The import is being or has been committed',
    });

  const run = track(id, async () => {
    const tracker = new Tracker(ctx, id, row.file_size);
    tracker.phase('merging');
    try {
      const info = jobInfo(row);
      await ctx.db.transaction().execute(async (trx) => {
        // One merge of a kind at a time: the re-check below then sees every earlier commit.
        await sql`select pg_advisory_xact_lock(hashtext(${'dudao.import.' + row.kind}))`.execute(trx);
        await bulkSettings(trx);
        const recheck = await registryChanged(trx, def, row);
        if (recheck) await def.check(trx, info, { recheck: true });
        const refused = await sql<{ n: number }>`
          select count(*)::int as n from ${sql.table(def.staging.table)}
          where job_id = ${id} and action = 'reject'`.execute(trx);
        if (mode === 'all' && (refused.rows[0]?.n ?? 0) > 0)
          throw conflict('IMPORT_DATA_CHANGED', {
            zh: '校验之后数据库中的数据发生了变化，部分行已不能导入；请重新校验',
            en: 'The database changed after validation and some rows no longer fit; validate again',
          });
        const merged = await def.merge(trx, info, actor);
        // Rows the re-check refused (another import took their student number meanwhile) count as rejected.
        const final: ImportCounts = {
          ...counts,
          ...merged,
          valid: merged.inserted + merged.updated + merged.unchanged,
          rejected: counts.rows - merged.inserted - merged.updated - merged.unchanged,
        };
        await trx
          .updateTable('import_job')
          .set({
            status: 'committed',
            counts: JSON.stringify(final),
            finished_at: new Date(),
            progress: JSON.stringify({ ...IDLE, phase: 'done', percent: 100, rowsRead: counts.rows }),
          })
          .where('id', '=', id)
          .execute();
        await recordAudit(trx, origin, {
          action: 'import.commit',
          objectType: 'import_job',
          objectId: id,
          unitId: row.unit_id,
          after: {
            kind: row.kind,
            fileName: row.file_name,
            sha256: row.file_sha256,
            mode,
            counts: final,
            rechecked: recheck,
          },
        });
      });
      await clearStaging(ctx, id);
      const written = await ctx.db
        .selectFrom('import_job')
        .select('counts')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const c = written.counts as Partial<ImportCounts>;
      // The upload held every row in the clear; the error report (rejected rows only) stays for correction.
      await rm(uploadPath(ctx, id), { force: true });
      importEvents.emit(id, { done: true });
      // After a large commit: fresh planner statistics, and a vacuum that sets the new rows' hint bits and the
      // visibility map, so the first searches neither plan for empty tables nor write while they read. Only
      // the tables' owner may (an app role that is not gets a warning, and autovacuum does it later).
      if ((c.inserted ?? 0) + (c.updated ?? 0) >= ANALYZE_AFTER_ROWS)
        for (const table of def.analyze)
          await sql`vacuum (analyze) ${sql.table(table)}`
            .execute(ctx.db)
            .catch((e: unknown) => console.error('[import] vacuum of', table, 'failed:', e));
    } catch (e) {
      await failJob(ctx, id, e);
    }
  });
  if (opts.wait) await run;
  return getImportJob(ctx, actor, id, opts.lang ?? 'zh');
}

/** Gives up a job that is waiting for confirmation (or failed): its staged rows and upload are removed. */
export async function cancelImportJob(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
  lang: Lang,
): Promise<ImportJob> {
  const { row } = await loadJob(ctx, actor, id);
  if (row.status !== 'validated' && row.status !== 'failed' && row.status !== 'validating')
    throw conflict('IMPORT_NOT_CANCELLABLE', {
      zh: '正在写入或已经结束的导入不能取消',
      en: 'An import being committed, or finished, cannot be cancelled',
    });
  // A validation under way stops at its next batch and removes what it staged.
  if (row.status === 'validating') stopRequested.add(id);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('import_job')
      .set({ status: 'cancelled', finished_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', ['validating', 'validated', 'failed'])
      .execute();
    await recordAudit(trx, origin, {
      action: 'import.cancel',
      objectType: 'import_job',
      objectId: id,
      unitId: row.unit_id,
    });
  });
  await whenIdle(id);
  await clearStaging(ctx, id);
  await rm(uploadPath(ctx, id), { force: true });
  importEvents.emit(id, { done: true });
  return getImportJob(ctx, actor, id, lang);
}

// Returns the run wrapped: an async function returning a promise would wait for it.
async function rerun(ctx: AppContext, row: JobRow): Promise<{ run: Promise<void> }> {
  await clearStaging(ctx, row.id);
  await ctx.db
    .updateTable('import_job')
    .set({
      status: 'validating',
      failure: null,
      finished_at: null,
      errors: '[]',
      error_report: false,
      counts: '{}',
      header: null,
      progress: JSON.stringify({ ...IDLE, heartbeat: Date.now() }),
    })
    .where('id', '=', row.id)
    .execute();
  await rm(reportPath(ctx, row.id, row.format), { force: true });
  return { run: runValidation(ctx, row.id) };
}

/** Validates a failed job again from its stored file (after an interruption, or once the data is fixed). */
export async function retryImportJob(
  ctx: AppContext,
  actor: Actor,
  id: string,
  opts: { wait?: boolean; lang?: Lang } = {},
): Promise<ImportJob> {
  const { row } = await loadJob(ctx, actor, id);
  if (row.status !== 'failed' || !existsSync(uploadPath(ctx, id)))
    throw conflict('IMPORT_NOT_RETRYABLE', {
      zh: '只有失败且原文件仍在的导入可以重新运行，否则请重新上传',
      en: 'Only a failed import whose file is still kept can be re-run; otherwise upload it again',
    });
  const { run } = await rerun(ctx, row);
  if (opts.wait) await run;
  return getImportJob(ctx, actor, id, opts.lang ?? 'zh');
}

/**
 * Says which field unrecognised columns of a job's file hold; the names are remembered for the unit (and the
 * units under it) and the file is validated again. Allowed on a failed or validated job whose file is kept.
 */
export async function mapImportColumns(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ImportMapping,
  origin: AuditOrigin,
  opts: { wait?: boolean; lang?: Lang } = {},
): Promise<ImportJob> {
  const { row, def } = await loadJob(ctx, actor, id);
  if ((row.status !== 'failed' && row.status !== 'validated') || !existsSync(uploadPath(ctx, id)))
    throw conflict('IMPORT_NOT_REMAPPABLE', {
      zh: '只有待确认或失败、且原文件仍在的导入可以指定列对应关系',
      en: 'Columns can be mapped only on a validated or failed import whose file is still kept',
    });
  const entries = input.columns.map((c) => ({ header: normalizeHeader(c.header), field: c.field }));
  const unknownField = entries.find((e) => !def.fields.some((f) => f.key === e.field));
  if (unknownField)
    throw badRequest('IMPORT_UNKNOWN_FIELD', {
      zh: `没有名为“${unknownField.field}”的导入字段`,
      en: `There is no import field “${unknownField.field}”`,
    });
  if (entries.some((e) => e.header === ''))
    throw badRequest('IMPORT_EMPTY_HEADER', { zh: '列名不能为空', en: 'A column name is required' });
  await ctx.db.transaction().execute(async (trx) => {
    for (const e of entries) {
      await trx
        .insertInto('import_header_alias')
        .values({
          unit_id: row.unit_id,
          kind: row.kind,
          header: e.header,
          field: e.field,
          created_by: actor.userId,
        })
        .onConflict((oc) =>
          oc.columns(['unit_id', 'kind', 'header']).doUpdateSet({ field: e.field, created_by: actor.userId }),
        )
        .execute();
    }
    await recordAudit(trx, origin, {
      action: 'import.mapping',
      objectType: 'import_job',
      objectId: id,
      unitId: row.unit_id,
      after: { kind: row.kind, columns: entries },
    });
  });
  const { run } = await rerun(ctx, row);
  if (opts.wait) await run;
  return getImportJob(ctx, actor, id, opts.lang ?? 'zh');
}

/** Path and download name of a job's error report (audited as an export by the route). */
export async function errorReportOf(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ path: string; fileName: string; unitId: string; format: 'csv' | 'xlsx' }> {
  const { row } = await loadJob(ctx, actor, id);
  const path = reportPath(ctx, id, row.format);
  if (!row.error_report || !existsSync(path)) throw notFound({ zh: '错误报告', en: 'Error report' });
  const base = row.file_name.replace(/\.(csv|xlsx|txt)$/i, '');
  return { path, fileName: `${base}-错误报告.${row.format}`, unitId: row.unit_id, format: row.format };
}

// ---------- recovery ----------

/** How long a running job may go without a heartbeat before another process calls it interrupted. */
const STALE_MS = 2 * 60 * 1000;

/**
 * Fails the jobs a crash or restart interrupted, so they can be re-run. With the embedded database only
 * this process can run jobs, so every running job was interrupted; on PostgreSQL only those whose
 * heartbeat stopped. Staged rows of finished jobs and error reports older than `keepDays` are removed.
 */
export async function recoverImports(ctx: AppContext, opts: { keepDays?: number } = {}): Promise<number> {
  const interrupted = {
    code: 'IMPORT_INTERRUPTED',
    message: {
      zh: '导入因服务重启而中断，未写入任何数据；可以重新运行或重新上传',
      en: 'The import was interrupted by a server restart and wrote nothing; re-run it or upload again',
    },
  };
  const candidates = await ctx.db
    .selectFrom('import_job')
    .select(['id', 'progress'])
    .where('status', 'in', ['validating', 'committing'])
    .execute();
  const now = Date.now();
  const stale = candidates.filter((c) => {
    if (running.has(c.id)) return false;
    if (ctx.engine === 'pglite') return true;
    const beat = (c.progress as { heartbeat?: number } | null)?.heartbeat ?? 0;
    return now - beat > STALE_MS;
  });
  for (const c of stale) {
    await clearStaging(ctx, c.id);
    await ctx.db
      .updateTable('import_job')
      .set({ status: 'failed', failure: JSON.stringify(interrupted), finished_at: new Date() })
      .where('id', '=', c.id)
      .where('status', 'in', ['validating', 'committing'])
      .execute();
  }
  // A crash empties the unlogged staging table: a validated job without its rows cannot be committed.
  const waiting = await ctx.db
    .selectFrom('import_job')
    .select(['id', 'kind', 'counts'])
    .where('status', '=', 'validated')
    .execute();
  for (const w of waiting) {
    const def = importKind(w.kind as ImportKind);
    const staged = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(def.staging.table)} where job_id = ${w.id}`.execute(ctx.db);
    const expected = (w.counts as Partial<ImportCounts>).rows ?? 0;
    if (expected > 0 && (staged.rows[0]?.n ?? 0) === 0) {
      await ctx.db
        .updateTable('import_job')
        .set({ status: 'failed', failure: JSON.stringify(interrupted), finished_at: new Date() })
        .where('id', '=', w.id)
        .execute();
    }
  }
  const keepMs = (opts.keepDays ?? 7) * 86_400_000;
  if (existsSync(importsDir(ctx))) {
    for (const name of await readdir(importsDir(ctx))) {
      if (!name.includes('.errors.')) continue;
      const p = join(importsDir(ctx), name);
      const s = await stat(p).catch(() => null);
      if (s && now - s.mtimeMs > keepMs) await rm(p, { force: true });
    }
  }
  return stale.length;
}
