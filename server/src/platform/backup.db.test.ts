import type { User, UserPage } from '@dudao/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, snapshot, type World } from '../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type TestDb } from '../../test/harness.js';
import { expectUnchanged, makeUser, snapshotDiff } from '../../test/helpers.js';
import { generateStudents } from '../modules/students/students.demo.js';
import { requestTransfer } from '../modules/students/students.service.js';
import { systemActor } from './access/actor.js';
import { issueApiToken } from './auth/api-tokens.js';
import { knownMigrations } from './db/migrate.js';
import { verifyAuditChain } from './audit/verify.js';
import { BACKUP_TABLES, NOT_BACKED_UP, backupKeyCheck, backupTo, restoreFrom } from './backup.js';
import { raiseFindings } from '../modules/findings/findings.service.js';
import { addDays, chinaToday } from './dates.js';
import { createVault } from './crypto/vault.js';
import { generateIdNumber } from './crypto/id-number.js';
import type { AppContext } from './context.js';

// Both databases share one key, as an operator restoring with the data folder's secret.key would.
const secretKey = randomBytes(32).toString('base64');
const ID_NUMBER = generateIdNumber('220303', '1979-02-28', 'F', 3);

let source: TestDb;
let target: TestDb;
/** What a freshly migrated database holds (built-in rows a migration creates, e.g. the 责任书 kinds). */
let fresh: Record<string, number>;
let world: World;
let dir: string;
let file: string;

const TABLES = [
  'unit',
  'app_user',
  'user_role',
  'inspector_school',
  'api_token',
  'app_setting',
  'audit_event',
  'school_class',
  'student',
  'student_guardian',
  'student_transfer',
  'student_status_event',
  'stored_file',
  'rectification_notice',
  'finding',
  'finding_event',
  'doc_counter',
  'notification',
] as const;

async function counts(ctx: AppContext): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { name: table } of BACKUP_TABLES) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(ctx.db);
    out[table] = r.rows[0]!.n;
  }
  return out;
}

beforeAll(async () => {
  // One source database with data in every table, and one empty target.
  [source, target] = await Promise.all([openTestDb({ secretKey }), openTestDb({ secretKey })]);
  fresh = await counts(target.ctx);
  world = await buildWorld(source.ctx);
  await makeUser(source.ctx, 'b1.wang', world.schoolB1.id, 'teacher', { idNumber: ID_NUMBER });
  await issueApiToken(source.ctx.db, {
    userId: world.users.adminA.id,
    name: '门禁',
    days: 30,
    createdBy: null,
  });
  await source.ctx.db
    .insertInto('app_setting')
    .values({
      key: 'branding',
      value: JSON.stringify({ title: '四平市“督导”平台', nested: { list: [1, 'двa', null] } }),
    })
    .execute();
  await generateStudents(source.ctx, { perSchool: 12, seed: 3 });
  const mover = await source.ctx.db
    .selectFrom('student')
    .select('id')
    .where('school_id', '=', world.schoolA1.id)
    .where('student_no', 'is not', null)
    .executeTakeFirstOrThrow();
  const sys = { actor: systemActor('test'), ip: null, requestId: null };
  await requestTransfer(
    source.ctx,
    sys.actor,
    { studentId: mover.id, toSchoolCode: '1220300001', reason: '迁居' },
    sys,
  );
  // A finding with a photo: bytea, jsonb and uuid[] columns travel too.
  const photo = await source.ctx.db
    .insertInto('stored_file')
    .values({
      id: crypto.randomUUID(),
      unit_id: world.schoolA1.id,
      name: '现场.png',
      content_type: 'image/png',
      size: 4,
      sha256: 'x',
      data: Buffer.from([0x89, 0x50, 0x00, 0xff]),
      uploaded_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await source.ctx.db.transaction().execute((trx) =>
    raiseFindings(
      trx,
      source.ctx,
      sys,
      [
        {
          unitId: world.schoolA1.id,
          source: 'manual',
          category: 'fire',
          severity: 'general',
          title: '灭火器过期',
          deadline: addDays(chinaToday(), 10),
          fileIds: [photo.id],
        },
      ],
      { raisedByUnitId: world.countyA.id },
    ),
  );
  dir = mkdtempSync(join(tmpdir(), 'dudao-backup-'));
  file = join(dir, 'backup.jsonl.gz');
});
afterAll(async () => {
  await source?.cleanup();
  await target?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('holds every table of the schema (or leaves it out on purpose), parents before children', async () => {
    const { rows: tables } = await sql<{ name: string }>`
      select tablename as name from pg_tables
      where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(source.ctx.db);
    const partitions = await sql<{ name: string }>`
      select c.relname as name from pg_class c where c.relispartition`.execute(source.ctx.db);
    const parts = new Set(partitions.rows.map((r) => r.name));
    const listed = BACKUP_TABLES.map((t) => t.name as string);
    const missing = tables
      .map((t) => t.name)
      .filter((n) => !parts.has(n) && !listed.includes(n) && !NOT_BACKED_UP.includes(n));
    expect(missing).toEqual([]);
    const { rows: fks } = await sql<{ child: string; parent: string }>`
      select c.relname as child, p.relname as parent from pg_constraint k
      join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and c.relnamespace = (select oid from pg_namespace where nspname = current_schema())`.execute(
      source.ctx.db,
    );
    const late = fks.filter(
      (f) =>
        f.child !== f.parent &&
        listed.includes(f.child) &&
        listed.indexOf(f.parent) > listed.indexOf(f.child),
    );
    expect(late.map((f) => `${f.child} → ${f.parent}`)).toEqual([]);
  });

  it('backupTo writes a gzip of JSON lines with a header that counts every table', async () => {
    const header = await expectUnchanged(source.ctx, () => backupTo(source.ctx.db, file));
    expect(header).toMatchObject({ format: 'dudao-backup', version: 1, migrations: knownMigrations() });
    expect(header.counts).toEqual(await counts(source.ctx));
    for (const table of TABLES) expect(header.counts[table]).toBeGreaterThan(0);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual(header);
    expect(lines.length - 1).toBe(Object.values(header.counts).reduce((a, b) => a + b, 0));
    // Sessions are not kept; secrets stay as stored (hashes, ciphertext).
    expect(lines.some((l) => l.includes('"t":"session"'))).toBe(false);
    expect(lines.join('\n')).not.toContain(ID_NUMBER);
  });

  it('a restore that fails half-way leaves the fresh target as it was', async () => {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
    // Keep the header, every unit and user row, then add a line of a table that does not exist.
    const kept = lines.filter(
      (l, i) => i === 0 || l.startsWith('{"t":"unit"') || l.startsWith('{"t":"app_user"'),
    );
    const bad = join(dir, 'bad.jsonl.gz');
    writeFileSync(bad, gzipSync([...kept, JSON.stringify({ t: 'pg_authid', r: {} })].join('\n') + '\n'));
    const before = await snapshot(target.ctx);
    await expect(restoreFrom(target.ctx.db, bad)).rejects.toThrow(/unknown table pg_authid/);
    expect(snapshotDiff(before, await snapshot(target.ctx))).toEqual({});
    expect(await counts(target.ctx)).toEqual(fresh);

    const notBackup = join(dir, 'not.jsonl.gz');
    writeFileSync(notBackup, gzipSync('{"hello":"world"}\n'));
    await expect(restoreFrom(target.ctx.db, notBackup)).rejects.toThrow(/not a Dudao backup/);
    const newer = join(dir, 'newer.jsonl.gz');
    const header = { ...(JSON.parse(lines[0]!) as object), migrations: ['0001_foundation', '9999_future'] };
    writeFileSync(newer, gzipSync(JSON.stringify(header) + '\n'));
    await expect(restoreFrom(target.ctx.db, newer)).rejects.toThrow(/newer Dudao/);
    // A missing file and a file that is not gzip are errors, not a crash or a hang.
    await expect(restoreFrom(target.ctx.db, join(dir, 'missing.jsonl.gz'))).rejects.toThrow(/ENOENT/);
    const plain = join(dir, 'plain.jsonl');
    writeFileSync(plain, lines.join('\n'));
    await expect(restoreFrom(target.ctx.db, plain)).rejects.toThrow(/header check|incorrect header/);
    // A backup of nothing (a header alone: a tiny file, read before the transaction is open) restores nothing.
    const empty = join(dir, 'empty.jsonl.gz');
    writeFileSync(
      empty,
      gzipSync(JSON.stringify({ ...(JSON.parse(lines[0]!) as object), counts: {} }) + '\n'),
    );
    expect((await restoreFrom(target.ctx.db, empty)).format).toBe('dudao-backup');
    expect(await counts(target.ctx)).toEqual(fresh);
  });

  it('refuses a backup made under another secret key, before writing anything', async () => {
    const keyed = join(dir, 'keyed.jsonl.gz');
    const header = await backupTo(source.ctx.db, keyed, { keyCheck: backupKeyCheck(source.ctx.vault) });
    expect(header.keyCheck).toBe(backupKeyCheck(source.ctx.vault));
    const otherKey = createVault(randomBytes(32));
    await expect(restoreFrom(target.ctx.db, keyed, { keyCheck: backupKeyCheck(otherKey) })).rejects.toThrow(
      /another secret key/,
    );
    expect(await counts(target.ctx)).toEqual(fresh);
  });

  it('restoreFrom into a fresh database gives the same rows and a verifying audit chain', async () => {
    const header = await restoreFrom(target.ctx.db, file);
    expect(await counts(target.ctx)).toEqual(header.counts);
    expect(await counts(target.ctx)).toEqual(await counts(source.ctx));
    // Row for row the same, timestamps and JSON included.
    expect(snapshotDiff(await snapshot(source.ctx), await snapshot(target.ctx))).toEqual({});
    const verified = await verifyAuditChain(target.ctx.db);
    expect(verified).toEqual({
      ok: true,
      events: header.counts.audit_event,
      firstBroken: null,
      reason: null,
    });

    // The restored database serves the app: logins, scope and the encrypted ID number work.
    const { app } = await testApp(target.ctx);
    try {
      const b = await loginAs(app, world.users.adminB.username, PASSWORD);
      const users = (await b.get('/api/users?pageSize=100')).json<UserPage>();
      expect(users.items.map((u) => u.username).sort()).toEqual(['b.admin', 'b1.admin', 'b1.wang']);
      const wang = users.items.find((u) => u.username === 'b1.wang') as User;
      expect(wang.idNumberMasked).toBe(`${ID_NUMBER.slice(0, 6)}********${ID_NUMBER.slice(14)}`);
      const reveal = await b.post(`/api/users/${wang.id}/reveal-id`);
      expect(reveal.json()).toEqual({ idNumber: ID_NUMBER });
      // New events continue the restored chain.
      expect((await verifyAuditChain(target.ctx.db)).events).toBe(header.counts.audit_event! + 2);
      expect((await verifyAuditChain(target.ctx.db)).ok).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('restoring into a non-empty database throws and changes nothing', async () => {
    const before = await snapshot(source.ctx);
    await expect(restoreFrom(source.ctx.db, file)).rejects.toThrow(/not empty/);
    expect(snapshotDiff(before, await snapshot(source.ctx))).toEqual({});
    const targetBefore = await snapshot(target.ctx);
    await expect(restoreFrom(target.ctx.db, file)).rejects.toThrow(/not empty/);
    expect(snapshotDiff(targetBefore, await snapshot(target.ctx))).toEqual({});
  });
});
