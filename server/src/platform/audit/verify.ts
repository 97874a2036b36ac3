import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { chainHash, GENESIS_HASH } from './canonical.js';
import type { AuditHeadFile } from './head-file.js';

export interface VerifyResult {
  ok: boolean;
  events: number;
  /** Id of the first event whose link or content does not check out. */
  firstBroken: number | null;
  reason: string | null;
}

const BATCH = 5000;

/** Recomputes the whole chain in id order and compares it with the head file kept outside the database. */
export async function verifyAuditChain(db: Kysely<DB>, headFile?: AuditHeadFile): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let events = 0;
  const known = new Map<number, string>();
  for (const e of headFile?.entries() ?? []) known.set(e.id, e.hash);
  const broken = (id: number, reason: string): VerifyResult => ({
    ok: false,
    events,
    firstBroken: id,
    reason,
  });

  for (;;) {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      if (r.id !== expectedId) return broken(expectedId, `event ${expectedId} is missing`);
      if (r.prev_hash !== prevHash) return broken(r.id, 'link to the previous event does not match');
      const hash = chainHash(prevHash, {
        id: r.id,
        occurredAt: r.occurred_at.toISOString(),
        actorUserId: r.actor_user_id,
        actorName: r.actor_name,
        actorUnitId: r.actor_unit_id,
        unitId: r.unit_id,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        before: r.before ?? null,
        after: r.after ?? null,
        ip: r.ip,
        requestId: r.request_id,
      });
      if (hash !== r.hash) return broken(r.id, 'content does not match its hash');
      const outside = known.get(r.id);
      if (outside !== undefined && outside !== r.hash) return broken(r.id, 'differs from the head file');
      prevHash = r.hash;
      expectedId++;
      events++;
    }
    if (rows.length < BATCH) break;
  }
  const lastKnown = [...known.keys()].reduce((a, b) => Math.max(a, b), 0);
  if (lastKnown >= expectedId)
    return broken(expectedId, `head file records event ${lastKnown}; the database ends earlier`);
  return { ok: true, events, firstBroken: null, reason: null };
}
