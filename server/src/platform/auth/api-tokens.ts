import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { sha256 } from './sessions.js';

/**
 * API tokens for systems (gate readers, the 12345 hotline, provincial platforms). A token acts as exactly
 * one user; it is shown once and stored as a hash. Format `ddo_<prefix>_<secret>`; the prefix names it in lists.
 */
export async function issueApiToken(
  db: Kysely<DB>,
  input: { userId: string; name: string; days: number | null; createdBy: string | null },
): Promise<{ token: string; id: string; prefix: string }> {
  const prefix = randomBytes(4).toString('hex');
  const token = `ddo_${prefix}_${randomBytes(24).toString('base64url')}`;
  const id = randomUUID();
  await db
    .insertInto('api_token')
    .values({
      id,
      user_id: input.userId,
      name: input.name,
      token_hash: sha256(token),
      prefix,
      created_by: input.createdBy,
      expires_at: input.days ? new Date(Date.now() + input.days * 86400_000) : null,
    })
    .execute();
  return { token, id, prefix };
}

const TOUCH_AFTER_MS = 60_000;

/** Finds the live token for a bearer string; null when unknown, revoked or expired. */
export async function resolveApiToken(
  db: Kysely<DB>,
  token: string,
): Promise<{ id: string; userId: string; prefix: string; firstUseThisHour: boolean } | null> {
  if (!/^ddo_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const row = await db
    .selectFrom('api_token')
    .select(['id', 'user_id', 'prefix', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now())) return null;
  const now = Date.now();
  const last = row.last_used_at?.getTime() ?? 0;
  if (now - last > TOUCH_AFTER_MS) {
    await db
      .updateTable('api_token')
      .set({ last_used_at: new Date(now) })
      .where('id', '=', row.id)
      .execute();
  }
  return { id: row.id, userId: row.user_id, prefix: row.prefix, firstUseThisHour: now - last > 3600_000 };
}
