// The reading half of a validation, in a worker thread: decode and parse the upload, map each row through the
// kind's row parser (validation, ID numbers encrypted and HMAC'd) and format the staged rows as COPY text,
// while the main thread loads the previous batch into the staging table. On a 2-core server the parse and the
// database then run side by side instead of taking turns.
//
// Protocol (see runReadWorker in jobs.ts): the worker sends the first rows ('head'); the main thread maps the
// header, loads what the parser needs and sends 'start'; the worker then sends 'batch' messages, at most
// MAX_AHEAD unacknowledged, and 'end' — or 'error' at any point.
import { parentPort, workerData } from 'node:worker_threads';
import type { BulkValue } from '../db/bulk.js';
import { copyText } from '../db/bulk.js';
import { createVault, loadMasterKey } from '../crypto/vault.js';
import { AppError } from '../errors.js';
import type { CsvEncoding } from './csv-reader.js';
import type { RowError, RowParser, WorkerRowParserFactory } from './kinds.js';
import { isBlankRow, readUploadRows, type UploadSource } from './upload-rows.js';

export interface ReadWorkerInit {
  source: UploadSource;
  jobId: string;
  batchSize: number;
  /** Rows examined for the header before 'head' is sent. */
  headRows: number;
  /** The module whose `makeRowParser` export builds the kind's parser (kinds.ts: ImportKindDef.worker). */
  parserModule: string;
  dataDir: string;
  secretKey: string | null;
  /** 'copy': staged rows as COPY text (PostgreSQL); 'rows': as value arrays (the embedded database). */
  output: 'copy' | 'rows';
}

export type FromWorker =
  | { type: 'encoding'; encoding: CsvEncoding }
  | { type: 'head'; rows: string[][]; bytes: number }
  | {
      type: 'batch';
      copy: string | null;
      rows: BulkValue[][] | null;
      /** Non-blank rows read, rows staged, and the rejected ones with their errors. */
      read: number;
      staged: number;
      rejects: { rowNo: number; errors: RowError[] }[];
      bytes: number;
    }
  | { type: 'end'; bytes: number }
  | {
      type: 'error';
      app: { status: number; code: string; msg: { zh: string; en: string } } | null;
      message: string;
    };

export type ToWorker =
  | { type: 'start'; columns: Record<string, number | undefined>; dataRow: number; data: unknown }
  | { type: 'ack' };

const MAX_AHEAD = 3;

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as ReadWorkerInit;
  const send = (m: FromWorker) => port.postMessage(m);
  let acked = 0;
  let sent = 0;
  let wake: (() => void) | null = null;
  let start: Extract<ToWorker, { type: 'start' }> | null = null;
  port.on('message', (m: ToWorker) => {
    if (m.type === 'ack') acked++;
    else start = m;
    wake?.();
  });
  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise<void>((r) => (wake = r));
    wake = null;
  };

  let bytes = 0;
  const batches = readUploadRows(
    init.source,
    init.batchSize,
    (n) => (bytes = n),
    (encoding) => send({ type: 'encoding', encoding }),
  );
  const head: string[][] = [];
  let next = 1;
  let ended = false;
  while (head.length < init.headRows) {
    const step = await batches.next();
    if (step.done) {
      ended = true;
      break;
    }
    head.push(...step.value);
    next += step.value.length;
  }
  send({ type: 'head', rows: head, bytes });
  await until(() => start !== null);
  const { columns, dataRow, data } = start!;

  const factory = (await import(init.parserModule)) as { makeRowParser: WorkerRowParserFactory };
  const vault = createVault(loadMasterKey(init.dataDir, init.secretKey));
  const parse: RowParser = factory.makeRowParser(data, columns, vault);

  const process = (batch: readonly string[][], firstRowNo: number) => {
    const staged: BulkValue[][] = [];
    const rejects: { rowNo: number; errors: RowError[] }[] = [];
    let read = 0;
    for (let i = 0; i < batch.length; i++) {
      const cells = batch[i]!;
      if (isBlankRow(cells)) continue;
      read++;
      const rowNo = firstRowNo + i;
      const r = parse(cells);
      if ('values' in r) staged.push([init.jobId, rowNo, ...r.values]);
      else rejects.push({ rowNo, errors: r.errors });
    }
    const copy = init.output === 'copy' ? copyText(staged) : null;
    send({
      type: 'batch',
      copy,
      rows: copy === null ? staged : null,
      read,
      staged: staged.length,
      rejects,
      bytes,
    });
    sent++;
  };

  process(head.slice(dataRow), dataRow + 1);
  if (!ended) {
    for (;;) {
      await until(() => sent - acked < MAX_AHEAD);
      const step = await batches.next();
      if (step.done) break;
      process(step.value, next);
      next += step.value.length;
    }
  }
  await until(() => acked === sent);
  send({ type: 'end', bytes });
}

main().catch((e: unknown) => {
  parentPort!.postMessage({
    type: 'error',
    app: e instanceof AppError ? { status: e.status, code: e.code, msg: e.msg } : null,
    message: e instanceof Error ? (e.stack ?? e.message) : String(e),
  } satisfies FromWorker);
});
