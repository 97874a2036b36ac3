import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/harness.js';
import { pgliteTemplateDir } from '../../../test/templates.js';
import { DataDirLockedError, startEmbedded } from './embedded.js';

/** The pid of a process that has just exited: nothing holds it. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid;
}

describe('the embedded PGlite data folder lock', () => {
  let t: TestDb;
  const dirs: string[] = [];

  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => {
    await t?.cleanup();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a second start on a folder the test context holds fails with DataDirLockedError naming the holder', async () => {
    const lockFile = join(t.dataDir, 'pglite.lock');
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    let caught: unknown;
    try {
      const second = await startEmbedded(t.dataDir);
      await second.close();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DataDirLockedError);
    const err = caught as DataDirLockedError;
    expect(err.holderPid).toBe(process.pid);
    expect(err.lockFile).toBe(lockFile);
    expect(err.message).toContain(String(process.pid));
    // The refused start leaves the holder's lock and database alone.
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    const r = await t.ctx.db
      .selectFrom('unit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(r.n)).toBe(0);
  });

  it('a stale lock (a dead process) is taken over; after close the lock file is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dudao-embedded-'));
    dirs.push(dir);
    cpSync(join(pgliteTemplateDir(), 'pglite'), join(dir, 'pglite'), { recursive: true });
    const lockFile = join(dir, 'pglite.lock');
    const dead = deadPid();
    writeFileSync(lockFile, String(dead));

    const db = await startEmbedded(dir);
    try {
      expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
      expect(db.pid).toBeGreaterThan(0);
      expect(db.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const r = await client.query<{ n: number }>(
          "select count(*)::int as n from pg_tables where tablename = 'audit_event'",
        );
        expect(r.rows[0]!.n).toBe(1);
      } finally {
        await client.end();
      }
      // While it runs, a second start on the same folder is refused.
      await expect(startEmbedded(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await db.close();
    }
    expect(existsSync(lockFile)).toBe(false);
    // Closing twice is harmless.
    await db.close();
  });

  it('a lock file with garbage in it is treated as stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dudao-embedded-'));
    dirs.push(dir);
    cpSync(join(pgliteTemplateDir(), 'pglite'), join(dir, 'pglite'), { recursive: true });
    writeFileSync(join(dir, 'pglite.lock'), 'not a pid');
    const db = await startEmbedded(dir);
    expect(readFileSync(join(dir, 'pglite.lock'), 'utf8').trim()).toBe(String(process.pid));
    await db.close();
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);
  });

  it('closing the test context removes its lock file', async () => {
    const lockFile = join(t.dataDir, 'pglite.lock');
    expect(existsSync(lockFile)).toBe(true);
    await t.ctx.close();
    expect(existsSync(lockFile)).toBe(false);
  });
});
