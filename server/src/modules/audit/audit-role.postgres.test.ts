/** PostgreSQL only: the production app role may append to the audit trail but never rewrite it. */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../../test/fixtures.js';
import { openTestDb, type TestDb } from '../../../test/harness.js';
import { expectUnchanged } from '../../../test/helpers.js';
import { migrateToLatest } from '../../platform/db/migrate.js';

let t: TestDb;
let world: World;

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
});
afterAll(async () => {
  await t?.cleanup();
});

describe('the app role (DUDAO_APP_ROLE)', () => {
  it('may insert into audit_event but not update, delete or truncate it', async () => {
    const role = `dudao_app_test_${Math.random().toString(36).slice(2, 10)}`;
    const db = t.ctx.db;
    await sql`create role ${sql.id(role)} nologin`.execute(db);
    try {
      await migrateToLatest(db as unknown as Kysely<unknown>, { appRole: role });
      const asRole = <T>(fn: (trx: Kysely<unknown>) => Promise<T>) =>
        db.transaction().execute(async (trx) => {
          await sql`set local role ${sql.id(role)}`.execute(trx);
          return fn(trx as unknown as Kysely<unknown>);
        });
      await expectUnchanged(t.ctx, async () => {
        await expect(
          asRole((trx) => sql`update audit_event set action = 'x' where id = 1`.execute(trx)),
        ).rejects.toThrow(/permission denied/);
        await expect(asRole((trx) => sql`delete from audit_event where id = 1`.execute(trx))).rejects.toThrow(
          /permission denied/,
        );
        await expect(asRole((trx) => sql`truncate audit_event`.execute(trx))).rejects.toThrow(
          /permission denied/,
        );

        // Insert and read work (rolled back), and so do ordinary writes to business tables.
        const rollback = new Error('rollback');
        await expect(
          asRole(async (trx) => {
            const who = await sql<{ u: string }>`select current_user as u`.execute(trx);
            expect(who.rows[0]!.u).toBe(role);
            await sql`insert into audit_event (id, occurred_at, action, prev_hash, hash)
              values ((select max(id) + 1 from audit_event), now(), 'test.insert', 'p', 'h')`.execute(trx);
            const n = await sql<{
              n: number;
            }>`select count(*)::int as n from audit_event where action = 'test.insert'`.execute(trx);
            expect(n.rows[0]!.n).toBe(1);
            await sql`update unit set name = name where id = ${world.schoolA1.id}`.execute(trx);
            throw rollback;
          }),
        ).rejects.toBe(rollback);
      });
    } finally {
      await sql`drop owned by ${sql.id(role)}`.execute(db);
      await sql`drop role ${sql.id(role)}`.execute(db);
    }
    const gone = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_roles where rolname = ${role}`.execute(db);
    expect(gone.rows[0]!.n).toBe(0);
  });
});
