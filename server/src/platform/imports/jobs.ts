// Import jobs: the one pipeline every import kind runs through. This module is its API.
//
//   upload ──► file on disk (SHA-256, size limit, type sniffed from content, zip-bomb limits: job-upload.ts)
//          ──► validate (validate.ts): stream rows → header mapping → kind's row parser → staging table (COPY /
//              bulk INSERT), rejects collected → set-based check (duplicates in the file, conflicts with the
//              database) → error report (the rejected rows as they were, plus a reason column, in the
//              upload's own format) → status validated: the dry run's counts and first errors
//          ──► commit (mode all | valid-only): one transaction re-checks (recheck.ts) and merges set-based,
//              records the audit entry and marks the job committed — a kill -9 at any moment leaves all or nothing
//   restart ──► jobs caught validating or committing are failed as interrupted and can be re-run.
//
// Progress (phase, bytes, rows, rows/s, ETA) is pushed to listeners (server-sent events) as it happens and
// written to the job row every few seconds (polling clients, other server instances): job-progress.ts.
import type { ImportCounts, ImportJob, ImportKind, ImportMapping, ImportMode } from '@dudao/contracts';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { can, type Actor } from '../access/actor.js';
import { unitIdInScope } from '../access/scope.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import type { Lang } from '../i18n.js';
import { normalizeHeader } from './header.js';
import { IDLE, importEvents, Tracker } from './job-progress.js';
import {
  importsDir,
  jobInfo,
  jobsFrom,
  loadJob,
  reportPath,
  sameFileAs,
  toJob,
  uploadPath,
  ZERO_COUNTS,
  type JobRow,
} from './job-record.js';
import { clearStaging, failJob, runsHere, stopRequested, track, whenIdle } from './job-runs.js';
import { storeUpload } from './job-upload.js';
import { importKind } from './kinds.js';
import { bulkSettings } from '../db/bulk.js';
import { registryChanged } from './recheck.js';
import { runValidation } from './validate.js';

const UNIT = { zh: '机构', en: 'Unit' };
/** A commit writing this many rows refreshes the planner statistics of the kind's tables. */
const ANALYZE_AFTER_ROWS = 10_000;

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
  const { size, sha256, format } = await storeUpload(ctx, id, input.source, input.fileName);
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
    if (runsHere(c.id)) return false;
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
