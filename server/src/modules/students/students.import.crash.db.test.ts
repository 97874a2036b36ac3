/**
 * Crash safety of the import: `dudao import` is killed with SIGKILL — the whole process group, so on the
 * embedded database PGlite dies with it, mid-write — while validating and while committing. Afterwards the
 * registry holds the whole batch or none of it, the interrupted job is failed by the recovery, and running
 * the import again finishes the job exactly once (and a third time changes nothing).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld } from '../../../test/fixtures.js';
import { testConfig } from '../../../test/harness.js';
import { freshDatabase, repoRoot, runCli, type FreshDatabase } from '../../../test/helpers.js';
import { createContext, type AppContext } from '../../platform/context.js';
import { recoverImports } from '../../platform/imports/jobs.js';
import { rosterRows, toCsv } from './roster-fixture.js';

const ROWS = 8_000;
const SCHOOL = '1220200001';

let db: FreshDatabase;
let file: string;

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createContext(testConfig(db.dataDir, { databaseUrl: db.env.DATABASE_URL || null }));
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const counts = () =>
  withContext(async (ctx) => {
    const school = await ctx.db
      .selectFrom('unit')
      .select('id')
      .where('code', '=', SCHOOL)
      .executeTakeFirstOrThrow();
    const n = async (table: 'student' | 'student_status_event') =>
      Number(
        (
          await ctx.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('school_id', '=', school.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { students: await n('student'), events: await n('student_status_event') };
  });

/** Starts the import and SIGKILLs its process group once stderr shows `marker` (plus a delay). */
function importAndKill(marker: string, delayMs: number): Promise<{ stderr: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['server/bin/dudao.mjs', 'import', 'students', file, '--school', SCHOOL, '--json'],
      {
        cwd: repoRoot,
        env: { ...process.env, DUDAO_LOG_LEVEL: 'warn', ...db.env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!killed && stderr.includes(marker)) {
        killed = true;
        setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), delayMs);
      }
    });
    child.on('exit', () => resolve({ stderr, killed }));
  });
}

beforeAll(async () => {
  db = await freshDatabase();
  await withContext((ctx) => buildWorld(ctx));
  file = join(db.dataDir, 'roster.csv');
  writeFileSync(file, toCsv(rosterRows(0, ROWS, [SCHOOL])));
}, 240_000);
afterAll(async () => {
  await db?.cleanup();
});

describe('kill -9 during an import', () => {
  it('while validating: nothing is written, the job is failed as interrupted', async () => {
    const run = await importAndKill('reading', 200);
    expect(run.killed, run.stderr).toBe(true);
    expect(await counts()).toEqual({ students: 0, events: 0 });
    const job = await withContext(async (ctx) => {
      // On PostgreSQL another server instance could be running the job: it counts as interrupted once its
      // heartbeat is two minutes old. Age it rather than wait.
      if (ctx.engine === 'postgres')
        await ctx.db
          .updateTable('import_job')
          .set({ progress: JSON.stringify({ heartbeat: 0 }) })
          .execute();
      await recoverImports(ctx);
      return ctx.db.selectFrom('import_job').select(['status', 'failure']).executeTakeFirstOrThrow();
    });
    expect(job.status).toBe('failed');
    expect(job.failure).toMatchObject({ code: 'IMPORT_INTERRUPTED' });
  }, 240_000);

  it('while committing: all of the batch or none of it, then one re-run completes it exactly once', async () => {
    const run = await importAndKill('committing', 300);
    expect(run.killed, run.stderr).toBe(true);
    const after = await counts();
    // The merge is one transaction: either it committed before the kill or it left no trace.
    expect([0, ROWS]).toContain(after.students);
    expect(after.events).toBe(after.students);

    const again = await runCli(['import', 'students', file, '--school', SCHOOL, '--json'], db.env);
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout) as {
      status: string;
      inserted: number;
      unchanged: number;
      rejected: number;
    };
    expect(result).toMatchObject({ status: 'committed', rejected: 0 });
    expect(result.inserted + result.unchanged).toBe(ROWS);
    expect(await counts()).toEqual({ students: ROWS, events: ROWS });

    const third = await runCli(['import', 'students', file, '--school', SCHOOL, '--json'], db.env);
    expect(third.code, third.stderr).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({
      status: 'committed',
      inserted: 0,
      updated: 0,
      unchanged: ROWS,
    });
    expect(await counts()).toEqual({ students: ROWS, events: ROWS });
  }, 400_000);
});
