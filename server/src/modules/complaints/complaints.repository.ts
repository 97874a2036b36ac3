/**
 * Queries of the complaints desk. A complaint belongs to its responsible unit (`complaint.unit_id`): every
 * staff query goes through `visible()`, the unit scope filter on that unit's path for complaint.read.
 */
import type { ComplaintListQuery, ComplaintStatsQuery } from '@dudao/contracts';
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import type { DB } from '../../platform/db/schema.js';
import { fullCount, withTotal } from '../../platform/db/paging.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The one scope predicate: the complaint's responsible unit lies in the actor's complaint.read scope. */
export const visible = (actor: Actor): Expression<SqlBool> =>
  pathInScope(actor, 'complaint.read', sql.ref('u.path'));

const OPEN = ['received', 'routed', 'accepted'] as const;

/** Open (not yet replied) and past its deadline. */
export const overdueSql = (today: string) =>
  sql<SqlBool>`(c.status in ('received', 'routed', 'accepted') and c.deadline < ${today})`;

const detailColumns = [
  'c.id',
  'c.tracking_no',
  'c.channel',
  'c.category',
  'c.status',
  'c.desk_unit_id',
  'c.unit_id',
  'c.school_id',
  'c.institution_id',
  'c.subject_name',
  'c.title',
  'c.content',
  'c.file_ids',
  'c.complainant_enc',
  'c.phone_enc',
  'c.hotline_no',
  'c.received_on',
  'c.reply_days',
  'c.deadline',
  'c.accepted_by',
  'c.reply',
  'c.replied_on',
  'c.satisfaction',
  'c.satisfaction_note',
  'c.reopen_count',
  'c.closed_on',
  'c.merged_into',
  'c.escalated_at',
  'u.name as unit_name',
  'u.path as unit_path',
  'u.parent_id as unit_parent_id',
  'd.name as desk_name',
  'd.path as desk_path',
] as const;

function base(db: Db) {
  return db
    .selectFrom('complaint as c')
    .innerJoin('unit as u', 'u.id', 'c.unit_id')
    .innerJoin('unit as d', 'd.id', 'c.desk_unit_id');
}

/** One complaint the actor may see, with its units (undefined: missing or out of scope). */
export function findVisible(db: Db, actor: Actor, id: string) {
  return base(db).select(detailColumns).where('c.id', '=', id).where(visible(actor)).executeTakeFirst();
}
export type ComplaintRow = NonNullable<Awaited<ReturnType<typeof findVisible>>>;

/** The same row inside a transaction, locked for the change. */
export function lockVisible(trx: Transaction<DB>, actor: Actor, id: string) {
  return base(trx)
    .select(detailColumns)
    .where('c.id', '=', id)
    .where(visible(actor))
    .forUpdate('c')
    .executeTakeFirst();
}

/** A unit the actor may read complaints of (for `under` filters and the statistics' root). */
export function unitInScope(db: Db, actor: Actor, unitId: string) {
  return db
    .selectFrom('unit as u')
    .select(['u.id', 'u.name', 'u.path', 'u.kind', 'u.parent_id', 'u.status'])
    .where('u.id', '=', unitId)
    .where(visible(actor))
    .executeTakeFirst();
}

type Filter = Omit<ComplaintListQuery, 'page' | 'pageSize'>;

function filtered(
  db: Db,
  actor: Actor,
  q: Filter,
  underPath: string | null,
  today: string,
  phoneHmac: string | null,
) {
  let query = base(db).where(visible(actor));
  if (underPath) query = query.where('u.path', 'like', `${underPath}%`);
  if (q.status) query = query.where('c.status', '=', q.status);
  if (q.channel) query = query.where('c.channel', '=', q.channel);
  if (q.category) query = query.where('c.category', '=', q.category);
  if (q.from) query = query.where('c.received_on', '>=', q.from);
  if (q.to) query = query.where('c.received_on', '<=', q.to);
  if (q.state) {
    const s = q.state;
    // Statistics count a merged duplicate once (in its primary): the drill-down does the same.
    query = query.where('c.status', '<>', 'merged');
    if (s === 'received') {
      // every counted complaint: the merged duplicates are left out above
    } else if (s === 'open') query = query.where('c.status', 'in', [...OPEN]);
    else if (s === 'overdue') query = query.where(overdueSql(today));
    else if (s === 'escalated') query = query.where('c.escalated_at', 'is not', null);
    else if (s === 'inTime') query = query.where(sql<SqlBool>`c.replied_on <= c.deadline`);
    else if (s === 'late') query = query.where(sql<SqlBool>`c.replied_on > c.deadline`);
    else if (s === 'closed') query = query.where('c.status', '=', 'closed');
    else if (s === 'rated') query = query.where('c.satisfaction', 'is not', null);
    else if (s === 'satisfied') query = query.where('c.satisfaction', 'in', ['satisfied', 'basic']);
  }
  if (q.q) {
    const text = q.q;
    const like = `%${text.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('c.tracking_no', '=', text.toUpperCase()),
        eb('c.hotline_no', '=', text),
        eb('c.title', 'ilike', like),
        eb('c.subject_name', 'ilike', like),
        ...(phoneHmac ? [eb('c.phone_hmac', '=', phoneHmac)] : []),
      ]),
    );
  }
  return query;
}

/** A page of the inbox, newest first, overdue ones not hidden by the order. */
export async function listComplaints(
  db: Db,
  actor: Actor,
  q: ComplaintListQuery,
  underPath: string | null,
  today: string,
  phoneHmac: string | null,
) {
  const rows = await filtered(db, actor, q, underPath, today, phoneHmac)
    .select([...detailColumns, fullCount])
    .orderBy('c.received_on', 'desc')
    .orderBy('c.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return withTotal(rows, q.page, async () => {
    const r = await filtered(db, actor, q, underPath, today, phoneHmac)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return r.n;
  });
}

/** Every row of a filter (the ledger export). */
export function exportRows(
  db: Db,
  actor: Actor,
  q: Filter,
  underPath: string | null,
  today: string,
  phoneHmac: string | null,
  limit: number,
) {
  return filtered(db, actor, q, underPath, today, phoneHmac)
    .select(detailColumns)
    .orderBy('c.received_on')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

export interface CountRow {
  key: string;
  received: number;
  replied: number;
  in_time: number;
  closed: number;
  overdue: number;
  rated: number;
  satisfied: number;
}

/**
 * The counts of the statistics, grouped by `key` (an SQL expression over c and u), for complaints received
 * in [from, to] under `rootPath` within scope. Merged duplicates are left out: each matter counts once.
 */
export async function counts(
  db: Db,
  actor: Actor,
  q: ComplaintStatsQuery,
  rootPath: string,
  today: string,
  key: RawBuilder<string>,
): Promise<CountRow[]> {
  let query = base(db)
    .where(visible(actor))
    .where('u.path', 'like', `${rootPath}%`)
    .where('c.status', '<>', 'merged');
  if (q.from) query = query.where('c.received_on', '>=', q.from);
  if (q.to) query = query.where('c.received_on', '<=', q.to);
  const rows = await query
    .select([
      key.as('key'),
      sql<number>`count(*)::int`.as('received'),
      sql<number>`count(*) filter (where c.replied_on is not null)::int`.as('replied'),
      sql<number>`count(*) filter (where c.replied_on <= c.deadline)::int`.as('in_time'),
      sql<number>`count(*) filter (where c.status = 'closed')::int`.as('closed'),
      sql<number>`count(*) filter (where ${overdueSql(today)})::int`.as('overdue'),
      sql<number>`count(*) filter (where c.satisfaction is not null)::int`.as('rated'),
      sql<number>`count(*) filter (where c.satisfaction in ('satisfied', 'basic'))::int`.as('satisfied'),
    ])
    .groupBy(sql`1`)
    .execute();
  return rows;
}

/** The reply limit for complaints registered at a unit: the nearest unit above it (or itself) that set one. */
export async function replyDaysAt(
  db: Db,
  unitPath: string,
): Promise<{ days: number | null; unitId: string | null }> {
  const ids = unitPath.split('/').filter(Boolean);
  if (ids.length === 0) return { days: null, unitId: null };
  const rows = await db
    .selectFrom('complaint_setting')
    .select(['unit_id', 'reply_days'])
    .where('unit_id', 'in', ids)
    .execute();
  for (const id of [...ids].reverse()) {
    const r = rows.find((x) => x.unit_id === id);
    if (r) return { days: r.reply_days, unitId: id };
  }
  return { days: null, unitId: null };
}

/** The timeline of a complaint, oldest first. */
export function events(db: Db, complaintId: string) {
  return db
    .selectFrom('complaint_event as e')
    .leftJoin('unit', 'unit.id', 'e.unit_id')
    .select([
      'e.id',
      'e.kind',
      'e.public',
      'e.created_at',
      'e.actor_name',
      'e.note',
      'e.data',
      'unit.name as unit_name',
    ])
    .where('e.complaint_id', '=', complaintId)
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute();
}
