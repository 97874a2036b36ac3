// The reading worker: files from a few megabytes on are read, parsed and validated in worker threads while
// the validation loads the staging table; with a core to spare, a second worker parses every other batch
// (see read-worker.ts).
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { FromWorker, ReadWorkerInit } from './read-worker.js';

/** How the rows of an upload are read. */
export interface ReadSettings {
  /** Files from this size on are read in a worker thread (smaller ones are read before a worker would start). */
  minBytes: number;
  /** Rows per batch read (tests make it small to exercise several batches). */
  batchRows: number;
  /** Whether a second worker parses every other batch: when the machine has a core for it. */
  parsePeer: boolean;
}

const DEFAULTS: ReadSettings = {
  minBytes: 4 * 1024 * 1024,
  batchRows: 5000,
  parsePeer: availableParallelism() >= 2,
};
let settings: ReadSettings = DEFAULTS;

/** The settings reading uses now. */
export function readSettings(): Readonly<ReadSettings> {
  return settings;
}

/**
 * For tests: the size from which the worker reads (0: always), the rows per batch and whether the parsing peer
 * takes part; `null` restores the defaults.
 */
export function setImportWorker(opts: Partial<ReadSettings> | null): void {
  settings = { ...DEFAULTS, ...opts };
}

/** The workers' young generation (V8's default is a few megabytes; 96 measured best of 48/96/192). */
const YOUNG_GENERATION_MB = 96;

const workerScript = new URL('./read-worker.ts', import.meta.url).href;
// The worker is TypeScript: it registers tsx's loader itself (a worker does not inherit the loader the server
// registered through tsx's API), found from here so any working directory will do.
const tsxApi = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
).href;

/** Starts the reading worker (and its parsing peer) on an upload; `next` answers their messages in order. */
export function startReadWorker(init: ReadWorkerInit): {
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
      {
        eval: true,
        execArgv: [],
        workerData: data,
        transferList: transfer,
        // A roomier young generation: parsing allocates a few short-lived objects per cell, and with V8's
        // default most of a batch survived into the old generation (a 2M-row list: 13 s → 10 s measured).
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      },
    );
    worker.on('message', push);
    worker.on('error', (e: Error) => push({ type: 'error', app: null, message: e.stack ?? e.message }));
    worker.on('exit', (code) =>
      push({ type: 'error', app: null, message: `import worker exited (${code})` }),
    );
    return worker;
  };
  if (!settings.parsePeer) return { workers: [spawn(init, [])], next: () => take() };
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
