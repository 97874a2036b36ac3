/**
 * In-app notifications: a finding sent to a school, a report waiting for verification, an overdue item
 * escalated to the county. Written in the same transaction as the change they announce; each user reads
 * only their own.
 */
import type { Notification, NotificationList, Role } from '@dudao/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { timeOrderedId } from '../db/ids.js';
import { notFound } from '../errors.js';

export interface NotificationInput {
  kind: string;
  title: string;
  body?: string | null;
  /** A path of the web client, e.g. /findings/<id>. */
  link?: string | null;
  objectType?: string | null;
  objectId?: string | null;
}

type Db = Kysely<DB> | Transaction<DB>;

/** Notifies these users (duplicates and nulls dropped). */
export async function notifyUsers(
  db: Db,
  userIds: readonly (string | null | undefined)[],
  n: NotificationInput,
): Promise<number> {
  const ids = [...new Set(userIds.filter((u): u is string => !!u))];
  if (ids.length === 0) return 0;
  await db
    .insertInto('notification')
    .values(
      ids.map((userId) => ({
        id: timeOrderedId(),
        user_id: userId,
        kind: n.kind,
        title: n.title,
        body: n.body ?? null,
        link: n.link ?? null,
        object_type: n.objectType ?? null,
        object_id: n.objectId ?? null,
      })),
    )
    .execute();
  return ids.length;
}

/** Notifies every active user holding one of `roles` at the unit itself. */
export async function notifyUnit(
  db: Db,
  unitId: string,
  roles: readonly Role[],
  n: NotificationInput,
): Promise<number> {
  const users = await db
    .selectFrom('user_role as r')
    .innerJoin('app_user as u', 'u.id', 'r.user_id')
    .select('u.id')
    .where('r.unit_id', '=', unitId)
    .where('r.role', 'in', [...roles])
    .where('u.disabled_at', 'is', null)
    .execute();
  return notifyUsers(
    db,
    users.map((u) => u.id),
    n,
  );
}

const toNotification = (r: {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}): Notification => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at?.toISOString() ?? null,
});

/** The user's latest notifications and the number unread. */
export async function listNotifications(
  db: Kysely<DB>,
  userId: string,
  limit = 30,
): Promise<NotificationList> {
  const [rows, unread] = await Promise.all([
    db
      .selectFrom('notification')
      .select(['id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('notification')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toNotification), unread: Number(unread.n) };
}

/** Marks one of the user's own notifications read (someone else's answers 404). */
export async function markRead(db: Kysely<DB>, userId: string, id: string): Promise<void> {
  const res = await db
    .updateTable('notification')
    .set({ read_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) {
    const exists = await db
      .selectFrom('notification')
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!exists) throw notFound({ zh: '通知', en: 'Notification' });
  }
}

export async function markAllRead(db: Kysely<DB>, userId: string): Promise<number> {
  const res = await db
    .updateTable('notification')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
