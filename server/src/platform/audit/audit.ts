import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { DB } from '../db/schema.js';
import { chainHash, GENESIS_HASH, type ChainedFields } from './canonical.js';

/** One thing to record: what happened to which object, in which unit, with its state before and after. */
export interface AuditEntry {
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  /** The unit the event belongs to; the audit trail is scoped by it. */
  unitId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Where a change comes from: the actor and the request. */
export interface AuditOrigin {
  actor: Actor | null;
  ip?: string | null;
  requestId?: string | null;
  /** For events without an actor (a login): the name that was tried, and the account when known. */
  actorName?: string;
  actorUserId?: string | null;
  actorUnitId?: string | null;
}

// Any constant will do; it only has to be the same for every writer of the chain.
const AUDIT_LOCK_KEY = 7_210_426;

const SECRET_KEYS = new Set([
  'password',
  'password_hash',
  'passwordHash',
  'initialPassword',
  'currentPassword',
  'newPassword',
  'token',
  'token_hash',
  'idNumber',
  'id_number_enc',
  'totp_secret_enc',
  'secret',
]);

/** Strips values that must never reach the trail (secrets) and turns Dates into ISO text. */
function clean(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, (k, v: unknown) => (SECRET_KEYS.has(k) ? '[redacted]' : v)),
  ) as unknown;
}

/**
 * Appends an event to the hash chain inside the caller's transaction, so the event commits or rolls back
 * with the change it describes. Writers are serialised by a transaction-scoped advisory lock.
 */
export async function recordAudit(
  trx: Transaction<DB>,
  origin: AuditOrigin,
  entry: AuditEntry,
): Promise<number> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx
    .selectFrom('audit_event')
    .select(['id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const actor = origin.actor;
  const actorName = actor
    ? actor.via === 'token'
      ? `${actor.username} (token ${actor.tokenPrefix ?? ''})`
      : actor.username
    : (origin.actorName ?? null);
  const fields: ChainedFields = {
    id: (last?.id ?? 0) + 1,
    occurredAt: new Date().toISOString(),
    actorUserId: actor ? actor.userId : (origin.actorUserId ?? null),
    actorName,
    actorUnitId: actor ? actor.unitId : (origin.actorUnitId ?? null),
    unitId: entry.unitId ?? null,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    before: clean(entry.before),
    after: clean(entry.after),
    ip: origin.ip ?? null,
    requestId: origin.requestId ?? null,
  };
  const hash = chainHash(last?.hash ?? GENESIS_HASH, fields);
  await trx
    .insertInto('audit_event')
    .values({
      id: fields.id,
      occurred_at: new Date(fields.occurredAt),
      actor_user_id: fields.actorUserId,
      actor_name: fields.actorName,
      actor_unit_id: fields.actorUnitId,
      unit_id: fields.unitId,
      action: fields.action,
      object_type: fields.objectType,
      object_id: fields.objectId,
      before: fields.before === null ? null : JSON.stringify(fields.before),
      after: fields.after === null ? null : JSON.stringify(fields.after),
      ip: fields.ip,
      request_id: fields.requestId,
      prev_hash: last?.hash ?? GENESIS_HASH,
      hash,
    })
    .execute();
  return fields.id;
}

/** Records a lone event in its own transaction (logins, reveals, exports). */
export async function recordAuditNow(
  db: Kysely<DB>,
  origin: AuditOrigin,
  entry: AuditEntry,
): Promise<number> {
  return db.transaction().execute((trx) => recordAudit(trx, origin, entry));
}
