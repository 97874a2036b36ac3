// The validation of an import job: stream the upload's rows (in worker threads when large) → settle the header
// (with the column names the unit taught the importer) → the kind's row parser → staging table, rejects
// collected → set-based check → error report → status validated with the dry run's counts and first errors.
import type { ImportCounts, ImportJob, ImportKind } from '@dudao/contracts';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { bulkLoader, type BulkLoader } from '../db/bulk.js';
import { type AppError, badRequest } from '../errors.js';
import type { CsvEncoding } from './csv-reader.js';
import { writeErrorReport } from './error-report.js';
import { mapHeader, type HeaderMapping } from './header.js';
import { importEvents, Tracker } from './job-progress.js';
import { jobInfo, jobsFrom, reportPath, uploadPath, type JobRow, type StoredError } from './job-record.js';
import { clearStaging, failJob, Stopped, stopRequested, track } from './job-runs.js';
import { importKind, type ImportKindDef } from './kinds.js';
import { parseUpload } from './parse-upload.js';
import { readSettings } from './read-worker-pool.js';
import { batchParser, type ParsedBatch } from './row-batch.js';
import { bulkSettings } from '../db/bulk.js';
import { currentSnapshot } from './recheck.js';
import { readUploadRows, type UploadSource } from './upload-rows.js';

/** Errors kept on the job for the wizard; the report file has all of them. */
const FIRST_ERRORS = 100;

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
  batchRows: number,
  onBytes: (n: number) => void,
  onEncoding: (e: CsvEncoding) => void,
): AsyncGenerator<string[][]> {
  return readUploadRows(uploadSource(ctx, row), batchRows, onBytes, onEncoding);
}

function uploadSource(ctx: AppContext, row: JobRow): UploadSource {
  return { path: uploadPath(ctx, row.id), format: row.format, sheet: row.sheet, fileSize: row.file_size };
}

async function validate(ctx: AppContext, id: string): Promise<void> {
  const row = await jobsFrom(ctx.db).where('j.id', '=', id).executeTakeFirstOrThrow();
  const def = importKind(row.kind as ImportKind);
  const info = jobInfo(row);
  const tracker = new Tracker(ctx, id, row.file_size);
  const { batchRows, minBytes } = readSettings();
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
  let parseBatch = null as ReturnType<typeof batchParser> | null;
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

  // A parsed batch — from the reading workers, or parsed here by the same batchParser — into the counts, the
  // rejected rows and the staging table.
  const loadBatch = async (m: ParsedBatch) => {
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
    parseBatch = batchParser(await def.prepare(ctx, info, m.columns), id, 'rows');
    await loadBatch(parseBatch(head.slice(m.dataRow), m.dataRow + 1, bytes));
  };

  // Large files: read, parsed and validated in worker threads, while this one loads the staging table.
  const readInWorkers = (worker: NonNullable<ImportKindDef['worker']>) =>
    parseUpload(ctx, {
      source: uploadSource(ctx, row),
      stageId: id,
      parserModule: worker.module,
      headRows: 20,
      inWorkers: true,
      onEncoding: (e) => (encoding = e),
      onHead: async (rows, at) => {
        if (stopRequested.has(id)) throw new Stopped();
        head.push(...rows);
        bytes = at;
        const settled = await settleHeader();
        return { columns: settled.columns, dataRow: settled.dataRow, data: await worker.data(ctx, info) };
      },
      onBatch: async (m) => {
        if (stopRequested.has(id)) throw new Stopped();
        await loadBatch(m);
        bytes = m.bytes;
        tracker.reading(bytes, rows);
      },
    });

  try {
    let next = 1; // the 1-based row number of the next row read
    if (def.worker && row.file_size >= minBytes) await readInWorkers(def.worker);
    else
      for await (const batch of openRows(
        ctx,
        row,
        batchRows,
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
          await loadBatch(parseBatch!(batch, firstRowNo, bytes));
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
          batchRows,
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

/** Validates the job in the background (tracked: whenIdle waits for it). */
export function runValidation(ctx: AppContext, id: string): Promise<void> {
  return track(id, () => validate(ctx, id));
}
