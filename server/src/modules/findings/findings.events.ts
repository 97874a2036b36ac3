/** The finding timeline: one event row per step, written in the step's transaction. */
import type { FindingEventKind } from '@dudao/contracts';
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';

export async function addEvent(
  trx: Transaction<DB>,
  actor: Actor,
  findingId: string,
  kind: FindingEventKind,
  e: { unitId?: string | null; note?: string | null; data?: unknown; fileIds?: string[] } = {},
) {
  await trx
    .insertInto('finding_event')
    .values({
      id: timeOrderedId(),
      finding_id: findingId,
      kind,
      actor_id: actor.userId,
      // The platform's own steps (escalation) are nobody's.
      actor_name: actor.via === 'system' ? null : actor.displayName,
      unit_id: e.unitId ?? actor.unitId,
      note: e.note ?? null,
      data: e.data === undefined ? null : JSON.stringify(e.data),
      file_ids: e.fileIds ?? [],
    })
    .execute();
}
