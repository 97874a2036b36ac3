// The reading half of a validation, in a worker thread: decode and parse the upload, map each row through the
// kind's row parser (validation, ID numbers encrypted and HMAC'd) and format the staged rows as COPY text,
// while the main thread loads the previous batch into the staging table. On a 2-core server the parse and the
// database then run side by side instead of taking turns.
//
// Protocol (see parseUpload in parse-upload.ts): the worker sends the first rows ('head'); the main thread maps the
// header, loads what the parser needs and sends 'start'; the worker then sends 'batch' messages, at most
// MAX_AHEAD unacknowledged, and 'end' — or 'error' at any point.
//
// Parsing a row (validation, encryption, COPY text) costs several times what reading it does, so on a machine
// with a core to spare the reader hands batches of raw rows to a second worker of this script in the 'parse'
// role, over a channel of their own (as many as that worker keeps up with; the reader parses the others). That worker sends its 'batch' messages to the main thread like the
// reader does; the main thread acknowledges every batch to the reader, which counts them all, so 'end' still
// comes after the last batch of either worker has been loaded. (Rows are numbered, so the order in which the
// staging table receives the batches does not matter.)
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createVault, loadMasterKey } from '../crypto/vault.js';
import { AppError } from '../errors.js';
import type { CsvEncoding } from './csv-reader.js';
import type { WorkerRowParserFactory } from './kinds.js';
import { batchParser, type ParsedBatch } from './row-batch.js';
import { readUploadRows, type UploadSource } from './upload-rows.js';

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
  /**
   * 'read' (the default): reads the upload and parses rows. 'parse': only parses the batches the reader sends
   * over `peer`. A reader with a `peer` gives it a batch whenever it has fewer than two to parse.
   */
  role?: 'read' | 'parse';
  peer?: MessagePort;
}

/** What the reader sends its parsing peer. */
type ToPeer =
  | { type: 'start'; columns: Record<string, number | undefined>; data: unknown }
  | { type: 'rows'; rows: string[][]; firstRowNo: number; bytes: number };

export type FromWorker =
  | { type: 'encoding'; encoding: CsvEncoding }
  | { type: 'head'; rows: string[][]; bytes: number }
  | ({ type: 'batch' } & ParsedBatch)
  | { type: 'end'; bytes: number }
  | {
      type: 'error';
      app: { status: number; code: string; msg: { zh: string; en: string } } | null;
      message: string;
    };

export type ToWorker =
  | { type: 'start'; columns: Record<string, number | undefined>; dataRow: number; data: unknown }
  | { type: 'ack' };

const MAX_AHEAD = 4;

type Process = (batch: readonly string[][], firstRowNo: number, bytes: number) => void;

/** Builds the kind's row parser and the function that turns a batch of rows into a 'batch' message. */
async function parser(
  init: ReadWorkerInit,
  columns: Record<string, number | undefined>,
  data: unknown,
  send: (m: FromWorker) => void,
): Promise<Process> {
  const factory = (await import(init.parserModule)) as { makeRowParser: WorkerRowParserFactory };
  const vault = createVault(loadMasterKey(init.dataDir, init.secretKey));
  const parseBatch = batchParser(factory.makeRowParser(data, columns, vault), init.jobId, init.output);
  return (batch, firstRowNo, bytes) => send({ type: 'batch', ...parseBatch(batch, firstRowNo, bytes) });
}

/** The 'parse' role: parses what the reader sends, until the main thread ends the worker. */
function parsePeer(init: ReadWorkerInit): Promise<void> {
  const send = (m: FromWorker) => parentPort!.postMessage(m);
  const peer = init.peer!;
  let process: Process | null = null;
  // Messages are handled one at a time, in order: the first ('start') builds the parser asynchronously.
  let chain = Promise.resolve();
  peer.on('message', (m: ToPeer) => {
    chain = chain
      .then(async () => {
        if (m.type === 'start') process = await parser(init, m.columns, m.data, send);
        else {
          process!(m.rows, m.firstRowNo, m.bytes);
          peer.postMessage({ type: 'parsed' });
        }
      })
      .catch((e: unknown) => fail(e));
  });
  return Promise.resolve();
}

async function read(init: ReadWorkerInit): Promise<void> {
  const port = parentPort!;
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
  const peer = init.peer;
  peer?.postMessage({ type: 'start', columns, data } satisfies ToPeer);
  // Batches given to the peer and not parsed yet. The reader gives it the next batch while it has fewer
  // than two, and parses the batch itself otherwise: reading takes part of the reader's time, so the peer
  // takes more than half the batches, as many as it can keep up with.
  let atPeer = 0;
  peer?.on('message', () => atPeer--);
  const process = await parser(init, columns, data, send);

  process(head.slice(dataRow), dataRow + 1, bytes);
  sent++;
  if (!ended) {
    for (;;) {
      await until(() => sent - acked < MAX_AHEAD);
      const step = await batches.next();
      if (step.done) break;
      if (peer && atPeer < 2) {
        atPeer++;
        peer.postMessage({ type: 'rows', rows: step.value, firstRowNo: next, bytes } satisfies ToPeer);
      } else process(step.value, next, bytes);
      sent++;
      next += step.value.length;
    }
  }
  await until(() => acked === sent);
  send({ type: 'end', bytes });
}

function fail(e: unknown): void {
  parentPort!.postMessage({
    type: 'error',
    app: e instanceof AppError ? { status: e.status, code: e.code, msg: e.msg } : null,
    message: e instanceof Error ? (e.stack ?? e.message) : String(e),
  } satisfies FromWorker);
}

const init = workerData as ReadWorkerInit;
(init.role === 'parse' ? parsePeer(init) : read(init)).catch(fail);
