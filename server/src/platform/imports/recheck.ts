// What the commit of a validated job re-checks, and the settings of the transactions that check and merge.
// The validation notes the snapshot its check saw; the commit checks the staged rows again only when a
// table the kind's check reads has been written since by a transaction that snapshot did not see.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ImportKindDef } from './kinds.js';

/** Registry writes are kept this long; a validation older than half of it always checks again. */
const REGISTRY_WRITES_KEPT_MS = 2 * 24 * 60 * 60 * 1000;

/** The snapshot a validation's check runs under (taken before the check), and when. */
export async function currentSnapshot(trx: Transaction<DB>): Promise<{ snapshot: string; at: Date }> {
  const r = await sql<{ s: string; at: Date }>`select pg_current_snapshot()::text as s, now() as at`.execute(
    trx,
  );
  return { snapshot: r.rows[0]!.s, at: r.rows[0]!.at };
}

/**
 * Whether the commit must check the staged rows again: when a transaction the validation's snapshot did not
 * see has since written a table the kind's check reads (noted by the triggers of migration 0019), when the
 * kind does not say what it reads, or when the validation is too old for the notes kept. Runs under the kind's
 * advisory lock, so no other commit of the kind is between this and the merge; a change still uncommitted now
 * is as invisible to a re-check as to this test. Also prunes the old notes.
 */
export async function registryChanged(
  trx: Transaction<DB>,
  def: ImportKindDef,
  row: { checked_snapshot: string | null; checked_at: Date | null },
): Promise<boolean> {
  await sql`delete from registry_write where at < now() - ${`${REGISTRY_WRITES_KEPT_MS} milliseconds`}::interval`.execute(
    trx,
  );
  if (!def.reads || def.reads.length === 0 || !row.checked_snapshot || !row.checked_at) return true;
  if (Date.now() - row.checked_at.getTime() > REGISTRY_WRITES_KEPT_MS / 2) return true;
  const r = await sql<{ changed: boolean }>`
    select exists (
      select 1 from registry_write
      where tbl = any(${[...def.reads]}::text[])
        and not pg_visible_in_snapshot(xid, ${row.checked_snapshot}::pg_snapshot)
    ) as changed`.execute(trx);
  return r.rows[0]?.changed ?? true;
}
