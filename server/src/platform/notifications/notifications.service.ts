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

/** One overdue item that went up a level (提级督办). */
export interface EscalatedItem {
  id: string;
  title: string;
  deadline: string;
  /** The responsible unit, told that its item went up. */
  unitId: string;
  unitName: string;
  /** The unit it went up to, told once with a summary of everything that reached it. */
  toUnitId: string;
}

/**
 * Tells both sides of an escalation: each receiving unit's administrators get one summary of the items that
 * reached them (the first five named), and each responsible unit hears of its own item. The wording comes from
 * the module: `what` names the items (问题 / 群众诉求), `overdue` says what was missed (逾期未整改 …), `limit`
 * names the deadline (整改期限 / 办理时限), `kind` prefixes the notification kinds, `path` the web list.
 */
export async function notifyEscalation(
  db: Db,
  items: readonly EscalatedItem[],
  w: {
    kind: string;
    objectType: string;
    path: string;
    what: { measure: string; noun: string };
    overdue: string;
    limit: string;
    unitRoles: readonly Role[];
  },
): Promise<void> {
  const byTarget = new Map<string, EscalatedItem[]>();
  for (const i of items) byTarget.set(i.toUnitId, [...(byTarget.get(i.toUnitId) ?? []), i]);
  for (const [to, list] of byTarget)
    await notifyUnit(db, to, ['county_admin', 'city_admin'], {
      kind: `${w.kind}.escalated`,
      title: `${list.length} ${w.what.measure}${w.what.noun}${w.overdue}，已提级督办`,
      body: list
        .slice(0, 5)
        .map((i) => `${i.unitName}：${i.title}（${w.limit} ${i.deadline}）`)
        .join('；'),
      link: `${w.path}?under=${to}&state=escalated`,
      objectType: w.objectType,
      objectId: list[0]!.id,
    });
  for (const i of items)
    await notifyUnit(db, i.unitId, w.unitRoles, {
      kind: `${w.kind}.overdue`,
      title: `${w.what.noun}${w.overdue}：${i.title}`,
      body: `${w.limit} ${i.deadline}，已提级督办`,
      link: `${w.path}/${i.id}`,
      objectType: w.objectType,
      objectId: i.id,
    });
}
