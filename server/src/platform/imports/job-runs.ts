// The import jobs running in this process: each phase (validation or commit) is tracked until it ends, a
// failure is recorded on the job rather than thrown, and a cancel asks a validation to stop between batches.
import type { ImportKind } from '@dudao/contracts';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { AppError, type Message } from '../errors.js';
import { importEvents } from './job-progress.js';
import { importKind } from './kinds.js';

const running = new Map<string, Promise<void>>();
/** Validations asked to stop (a cancel while validating); the reading loop looks here between batches. */
export const stopRequested = new Set<string>();

/** Thrown by a validation that stops because it was asked to. */
export class Stopped extends Error {}

/** Whether a phase of the job runs in this process. */
export function runsHere(id: string): boolean {
  return running.has(id);
}

/** Resolves when the job's current phase (validation or commit) has finished in this process. */
export function whenIdle(id: string): Promise<void> {
  return running.get(id) ?? Promise.resolve();
}

/** Resolves when no job runs in this process (tests wait for it before closing the database). */
export async function whenAllIdle(): Promise<void> {
  while (running.size > 0) await Promise.all([...running.values()]);
}

/** Runs a phase of the job (validation or commit), tracked until it ends. */
export function track(id: string, work: () => Promise<void>): Promise<void> {
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

/** Records the failure on a job that is validating or committing, and removes its staged rows. */
export async function failJob(ctx: AppContext, id: string, e: unknown): Promise<void> {
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

/** Removes the rows the job staged. */
export async function clearStaging(ctx: AppContext, id: string): Promise<void> {
  const row = await ctx.db.selectFrom('import_job').select('kind').where('id', '=', id).executeTakeFirst();
  if (!row) return;
  const table = importKind(row.kind as ImportKind).staging.table;
  await sql`delete from ${sql.table(table)} where job_id = ${id}`.execute(ctx.db);
}
