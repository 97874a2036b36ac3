// Reading and parsing an upload through a row parser module, batch by batch: in the reading workers
// (read-worker.ts) for a large file, in the calling thread for a small one — the same batches either way. The
// import validation uses it, and so does anything else that takes a large list row by row (the dropout
// module's population cross-check), so none of them drives the workers itself.
//
// The caller settles the header on the first rows (onHead, which says what the parser needs) and loads each
// parsed batch (onBatch, awaited: while it loads, the workers parse at most a few batches ahead).
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { CsvEncoding } from './csv-reader.js';
import type { WorkerRowParserFactory } from './kinds.js';
import type { ToWorker } from './read-worker.js';
import { readSettings, startReadWorker } from './read-worker-pool.js';
import { batchParser, type ParsedBatch } from './row-batch.js';
import { readUploadRows, type UploadSource } from './upload-rows.js';

/** What the caller makes of the first rows: where the data starts and what the row parser is built from. */
export interface SettledHead {
  /** Field → 0-based column. */
  columns: Record<string, number | undefined>;
  /** 0-based index of the first data row. */
  dataRow: number;
  /** Structured-cloneable data given to the module's makeRowParser. */
  data: unknown;
}

export interface ParseUploadOptions {
  source: UploadSource;
  /** Goes first in every staged row (the import job's id, or the cross-check's load id). */
  stageId: string;
  /** A file URL of a module exporting `makeRowParser` (a WorkerRowParserFactory). */
  parserModule: string;
  /** Rows given to onHead (fewer when the file is shorter). */
  headRows: number;
  /** Whether the workers read: by default from the size in readSettings() on. */
  inWorkers?: boolean;
  onHead(rows: string[][], bytes: number): Promise<SettledHead>;
  onBatch(batch: ParsedBatch): Promise<void>;
  onEncoding?(encoding: CsvEncoding): void;
}

/** Reads and parses the whole upload; resolves once the last batch has been loaded by onBatch. */
export async function parseUpload(ctx: AppContext, opts: ParseUploadOptions): Promise<void> {
  const { batchRows, minBytes } = readSettings();
  const inWorkers = opts.inWorkers ?? opts.source.fileSize >= minBytes;
  const output = ctx.engine === 'postgres' ? 'copy' : 'rows';
  if (inWorkers) return inWorkerThreads(ctx, opts, batchRows, output);

  let bytes = 0;
  const batches = readUploadRows(
    opts.source,
    batchRows,
    (n) => (bytes = n),
    (e) => opts.onEncoding?.(e),
  );
  const head: string[][] = [];
  let more = true;
  while (more && head.length < opts.headRows) {
    const step = await batches.next();
    if (step.done) more = false;
    else head.push(...step.value);
  }
  const settled = await opts.onHead(head.slice(0, opts.headRows), bytes);
  const factory = (await import(opts.parserModule)) as { makeRowParser: WorkerRowParserFactory };
  const parse = batchParser(
    factory.makeRowParser(settled.data, settled.columns, ctx.vault),
    opts.stageId,
    output,
  );
  await opts.onBatch(parse(head.slice(settled.dataRow), settled.dataRow + 1, bytes));
  let next = head.length + 1;
  if (!more) return;
  for await (const batch of batches) {
    await opts.onBatch(parse(batch, next, bytes));
    next += batch.length;
  }
}

async function inWorkerThreads(
  ctx: AppContext,
  opts: ParseUploadOptions,
  batchSize: number,
  output: 'copy' | 'rows',
): Promise<void> {
  const { workers, next } = startReadWorker({
    source: opts.source,
    jobId: opts.stageId,
    batchSize,
    headRows: opts.headRows,
    parserModule: opts.parserModule,
    dataDir: ctx.config.dataDir,
    secretKey: ctx.config.secretKey,
    output,
  });
  try {
    for (;;) {
      const m = await next();
      if (m.type === 'encoding') opts.onEncoding?.(m.encoding);
      else if (m.type === 'head') {
        const settled = await opts.onHead(m.rows, m.bytes);
        workers[0]!.postMessage({ type: 'start', ...settled } satisfies ToWorker);
      } else if (m.type === 'batch') {
        const { type: _type, ...batch } = m;
        await opts.onBatch(batch);
        workers[0]!.postMessage({ type: 'ack' } satisfies ToWorker);
      } else if (m.type === 'end') return;
      else throw m.app ? new AppError(m.app.status, m.app.code, m.app.msg) : new Error(m.message);
    }
  } finally {
    for (const w of workers) {
      w.removeAllListeners('exit');
      await w.terminate();
    }
  }
}
