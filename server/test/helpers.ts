/**
 * Small helpers shared by the database tests: assertions on error bodies and on "nothing changed",
 * extra accounts built through the real service, audit look-ups, and fresh databases for the CLI.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '@dudao/contracts';
import { systemActor } from '../src/platform/access/actor.js';
import type { AppContext } from '../src/platform/context.js';
import type { AuditEventRow } from '../src/platform/db/schema.js';
import { createUser } from '../src/modules/users/users.service.js';
import { PASSWORD, snapshot } from './fixtures.js';
import { engine } from './harness.js';
import { databaseFromTemplate, pgliteTemplateDir } from './templates.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Asserts an error response: status, stable code, a message, and a JSON body. Returns the body. */
export function expectError(
  res: LightMyRequestResponse,
  status: number,
  code: string,
): { code: string; message: string; details?: { path: string; message: string }[] } {
  const body = res.json<{ code: string; message: string; details?: { path: string; message: string }[] }>();
  expect({ status: res.statusCode, code: body.code }).toEqual({ status, code });
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return body;
}

/** Rows that differ between two snapshots, per table: `{}` when nothing changed. */
export function snapshotDiff(
  before: string,
  after: string,
): Record<string, { gone: string[]; added: string[] }> {
  const b = JSON.parse(before) as Record<string, string[]>;
  const a = JSON.parse(after) as Record<string, string[]>;
  const out: Record<string, { gone: string[]; added: string[] }> = {};
  for (const table of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const was = new Set(b[table] ?? []);
    const is = new Set(a[table] ?? []);
    const gone = [...was].filter((r) => !is.has(r));
    const added = [...is].filter((r) => !was.has(r));
    if (gone.length || added.length) out[table] = { gone, added };
  }
  return out;
}

/** Runs `fn` and asserts that no business table changed meanwhile (a failure shows only the changed rows). */
export async function expectUnchanged<T>(ctx: AppContext, fn: () => Promise<T>): Promise<T> {
  const before = await snapshot(ctx);
  const out = await fn();
  expect(snapshotDiff(before, await snapshot(ctx))).toEqual({});
  return out;
}

/** The snapshot without the audit trail (for refused logins, which are recorded by design). */
export async function snapshotWithoutAudit(ctx: AppContext): Promise<string> {
  const all = JSON.parse(await snapshot(ctx)) as Record<string, unknown>;
  delete all.audit_event;
  return JSON.stringify(all);
}

/** Runs `fn` and asserts that nothing but the audit trail changed (refused logins are recorded by design). */
export async function expectOnlyAudited<T>(ctx: AppContext, fn: () => Promise<T>): Promise<T> {
  const before = await snapshotWithoutAudit(ctx);
  const out = await fn();
  expect(snapshotDiff(before, await snapshotWithoutAudit(ctx))).toEqual({});
  return out;
}

/** Creates an extra account through the real service (password PASSWORD, no forced change by default). */
export async function makeUser(
  ctx: AppContext,
  username: string,
  unitId: string,
  role: Role,
  opts: {
    password?: string;
    mustChangePassword?: boolean;
    inspectorSchoolIds?: string[];
    idNumber?: string;
  } = {},
): Promise<{ id: string; username: string }> {
  const { user } = await createUser(
    ctx,
    systemActor('test'),
    {
      username,
      displayName: `测试${username.replace(/[^a-z0-9]/gi, '')}`.slice(0, 30),
      unitId,
      roles: [{ role, unitId }],
      ...(opts.inspectorSchoolIds ? { inspectorSchoolIds: opts.inspectorSchoolIds } : {}),
      ...(opts.idNumber ? { idNumber: opts.idNumber } : {}),
    },
    { actor: systemActor('test'), ip: null, requestId: null },
    { password: opts.password ?? PASSWORD, mustChangePassword: opts.mustChangePassword ?? false },
  );
  return { id: user.id, username };
}

/** Audit events, oldest first, optionally of one action. */
export async function auditEvents(ctx: AppContext, action?: string): Promise<AuditEventRow[]> {
  let q = ctx.db.selectFrom('audit_event').selectAll().orderBy('id');
  if (action) q = q.where('action', '=', action);
  return q.execute();
}

/** Number of audit events. */
export async function auditCount(ctx: AppContext): Promise<number> {
  const r = await ctx.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Live sessions of a user. */
export async function sessionCount(ctx: AppContext, userId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('session')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The session cookie of a login response, as a `cookie` header value. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const sid = res.cookies.find((c) => c.name === 'dudao_sid');
  if (!sid) throw new Error(`no session cookie in ${res.statusCode} ${res.body}`);
  return `dudao_sid=${sid.value}`;
}

/** A fresh, migrated, empty database outside any context, for a child process (the CLI) to open. */
export interface FreshDatabase {
  /** Folder for the secret key and the audit head file (and, on PGlite, the database itself). */
  dataDir: string;
  /** Environment that points `dudao` at this database. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Copies the migrated template: a PGlite folder, or a PostgreSQL database from the template database. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dudao-fresh-'));
  if (engine === 'pglite') {
    cpSync(join(pgliteTemplateDir(), 'pglite'), join(dataDir, 'pglite'), { recursive: true });
    return {
      dataDir,
      env: { DUDAO_DATA_DIR: dataDir, DATABASE_URL: '' },
      cleanup() {
        rmSync(dataDir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const database = await databaseFromTemplate(process.env.DATABASE_URL!, 'dudao_f');
  return {
    dataDir,
    env: { DUDAO_DATA_DIR: dataDir, DATABASE_URL: database.url },
    async cleanup() {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `node server/bin/dudao.mjs ARGS` from the repository root; never rejects on a non-zero exit. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['server/bin/dudao.mjs', ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, DUDAO_LOG_LEVEL: 'warn', ...env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
