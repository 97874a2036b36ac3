// Progress of a running import job: the phase, bytes and rows read, rows/s and ETA, pushed to listeners
// (server-sent events) as it happens and written to the job row every few seconds (polling clients, other
// server instances).
import type { ImportCounts, ImportPhase } from '@dudao/contracts';
import { EventEmitter } from 'node:events';
import type { AppContext } from '../context.js';

/** How often the job row is updated with progress while a phase runs. */
const PERSIST_MS = 2000;

/** Job snapshots as they change, by job id: the events route listens here. */
export const importEvents = new EventEmitter();
importEvents.setMaxListeners(0);

export interface Progress {
  phase: ImportPhase;
  bytesRead: number;
  rowsRead: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
  percent: number;
}

/** The progress of a job that has not started a phase yet. */
export const IDLE: Progress = {
  phase: 'reading',
  bytesRead: 0,
  rowsRead: 0,
  rowsPerSecond: 0,
  etaSeconds: null,
  percent: 0,
};

// Share of the bar each phase fills: reading is most of a validation; a commit is one merge.
const PHASE_SPAN: Record<ImportPhase, [number, number]> = {
  reading: [0, 85],
  checking: [85, 93],
  report: [93, 99],
  merging: [0, 99],
  done: [100, 100],
};

export class Tracker {
  private started = Date.now();
  private lastPersist = 0;
  private lastEmit = 0;
  progress: Progress = { ...IDLE };
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
