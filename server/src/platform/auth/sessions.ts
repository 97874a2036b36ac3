import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { loadSessionActor, type LoadedUser } from './actor-loader.js';

export const SESSION_COOKIE = 'dudao_sid';
export const CSRF_COOKIE = 'dudao_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Sessions and tokens are stored only as hashes: a leaked table opens no account. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time equality of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Starts a session; returns the cookie value and the CSRF token that state changes must echo. */
export async function createSession(
  db: Kysely<DB>,
  config: Pick<Config, 'sessionMaxHours'>,
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db
    .insertInto('session')
    .values({
      id_hash: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      expires_at: new Date(Date.now() + config.sessionMaxHours * 3600_000),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken };
}

export type SessionLookup =
  | { state: 'ok'; sessionId: string; csrfToken: string; loaded: LoadedUser }
  | { state: 'expired' }
  | { state: 'none' };

// Touching last_seen_at on every request would write on every read; a short grace keeps it cheap.
const TOUCH_AFTER_MS = 15_000;

/**
 * Finds a live session and its user's actor in one query, ending the session when it has been idle too long
 * or reached its maximum age.
 */
export async function resolveSession(
  db: Kysely<DB>,
  config: Pick<Config, 'idleTimeoutMinutes'>,
  token: string,
): Promise<SessionLookup> {
  const idHash = sha256(token);
  const found = await loadSessionActor(db, idHash);
  if (!found) return { state: 'none' };
  const { session } = found;
  const now = Date.now();
  if (
    session.expiresAt.getTime() <= now ||
    session.lastSeenAt.getTime() + config.idleTimeoutMinutes * 60_000 <= now
  ) {
    await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
    return { state: 'expired' };
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db
      .updateTable('session')
      .set({ last_seen_at: new Date(now) })
      .where('id_hash', '=', idHash)
      .execute();
  }
  return { state: 'ok', sessionId: idHash, csrfToken: session.csrfToken, loaded: found.loaded };
}

/** Ends one session. */
export async function endSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.deleteFrom('session').where('id_hash', '=', sessionId).execute();
}

/** Ends every session of a user (logout everywhere, disable, password reset). */
export async function endUserSessions(db: Kysely<DB>, userId: string): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}
