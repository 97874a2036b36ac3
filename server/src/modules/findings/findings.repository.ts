/** Queries of the findings ledger. Every read goes through `visible`, the scope filter applied to findings. */
import type { FindingListQuery, FindingStatsQuery } from '@dudao/contracts';
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import type { DB } from '../../platform/db/schema.js';
import { fullCount, withTotal } from '../../platform/db/paging.js';
import { OVERDUE_STATUSES } from './findings.policy.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * A finding is seen by whoever may read findings at its responsible unit — except that one still 待下发
 * (raised, no notice yet) is seen only by the raising side until it is sent.
 */
function visible(actor: Actor): Expression<SqlBool> {
  const atUnit = pathInScope(actor, 'finding.read', sql.ref('u.path'));
  const atRaiser = pathInScope(actor, 'finding.read', sql.ref('ru.path'));
  const mine = actor.userId ? sql<SqlBool>`f.raised_by = ${actor.userId}` : sql<SqlBool>`false`;
  return sql<SqlBool>`(${atUnit} and (f.status <> 'raised' or ${atRaiser} or ${mine}))`;
}

export const overdueSql = (today: string) =>
  sql<SqlBool>`(f.status in (${sql.join([...OVERDUE_STATUSES])}) and f.deadline < ${today}::date)`;

function base(db: Db, actor: Actor) {
  return db
    .selectFrom('finding as f')
    .innerJoin('unit as u', 'u.id', 'f.unit_id')
    .innerJoin('unit as ru', 'ru.id', 'f.raised_by_unit_id')
    .where(visible(actor));
}

function withColumns(db: Db, actor: Actor) {
  return base(db, actor)
    .leftJoin('unit as eu', 'eu.id', 'f.escalated_to_unit_id')
    .leftJoin('rectification_notice as n', 'n.id', 'f.notice_id')
    .selectAll('f')
    .select([
      'u.name as unit_name',
      'u.code as unit_code',
      'u.path as unit_path',
      'u.parent_id as unit_parent_id',
      'ru.name as raiser_name',
      'ru.path as raiser_path',
      'eu.name as escalated_to_name',
      'n.no as notice_no',
      sql<string | null>`(select g.name from safety_grid g where g.id = f.grid_id)`.as('grid_name'),
    ]);
}

export type FindingRow = NonNullable<Awaited<ReturnType<typeof findFinding>>>;

export function findFinding(db: Db, actor: Actor, id: string) {
  return withColumns(db, actor).where('f.id', '=', id).executeTakeFirst();
}

/** The finding, locked for a change (the caller has already checked it is visible). */
export function lockFinding(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('finding')
    .select(['id', 'status', 'deadline', 'return_count', 'notice_id', 'unit_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

function applyFilters<
  QB extends {
    where: (e: Expression<SqlBool>) => QB;
  },
>(qb: QB, q: Omit<FindingListQuery, 'page' | 'pageSize'>, underPath: string | null, today: string): QB {
  let r = qb;
  if (underPath) r = r.where(sql<SqlBool>`u.path like ${underPath + '%'}`);
  if (q.status) r = r.where(sql<SqlBool>`f.status = ${q.status}`);
  if (q.state === 'open') r = r.where(sql<SqlBool>`f.status <> 'closed'`);
  if (q.state === 'closed') r = r.where(sql<SqlBool>`f.status = 'closed'`);
  if (q.state === 'overdue') r = r.where(overdueSql(today));
  if (q.state === 'escalated') r = r.where(sql<SqlBool>`f.escalated_at is not null and f.status <> 'closed'`);
  if (q.source) r = r.where(sql<SqlBool>`f.source = ${q.source}`);
  if (q.category) r = r.where(sql<SqlBool>`f.category = ${q.category}`);
  if (q.severity) r = r.where(sql<SqlBool>`f.severity = ${q.severity}`);
  if (q.sourceType) r = r.where(sql<SqlBool>`f.source_type = ${q.sourceType}`);
  if (q.sourceId) r = r.where(sql<SqlBool>`f.source_id = ${q.sourceId}`);
  if (q.noticeId) r = r.where(sql<SqlBool>`f.notice_id = ${q.noticeId}`);
  if (q.from) r = r.where(sql<SqlBool>`f.raised_on >= ${q.from}::date`);
  if (q.to) r = r.where(sql<SqlBool>`f.raised_on <= ${q.to}::date`);
  if (q.q) {
    const like = '%' + q.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
    r = r.where(
      sql<SqlBool>`(f.title like ${like} or f.no like ${like} or u.name like ${like} or coalesce(f.location, '') like ${like})`,
    );
  }
  return r;
}

export async function listFindings(
  db: Db,
  actor: Actor,
  q: FindingListQuery & { page: number; pageSize: number },
  underPath: string | null,
  today: string,
) {
  const rows = await applyFilters(withColumns(db, actor), q, underPath, today)
    .select(fullCount)
    // Overdue first, then the nearest deadline; closed items last, newest first.
    .orderBy(sql`case when f.status = 'closed' then 1 else 0 end`)
    .orderBy(sql`case when f.status = 'closed' then null else f.deadline end`, 'asc')
    .orderBy('f.raised_on', 'desc')
    .orderBy('f.no', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return withTotal(rows, q.page, async () => {
    const c = await applyFilters(base(db, actor), q, underPath, today)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(c.n);
  });
}

/** Every matching row (exports stream these in pages). */
export function exportQuery(
  db: Db,
  actor: Actor,
  q: Omit<FindingListQuery, 'page' | 'pageSize'>,
  underPath: string | null,
  today: string,
) {
  return applyFilters(withColumns(db, actor), q, underPath, today)
    .orderBy('u.path')
    .orderBy('f.raised_on')
    .orderBy('f.no');
}

// ---------- statistics ----------

const counts = (today: string) =>
  [
    sql<number>`count(*)::int`.as('found'),
    sql<number>`(count(*) filter (where f.status = 'closed'))::int`.as('rectified'),
    sql<number>`(count(*) filter (where f.status <> 'closed'))::int`.as('open'),
    sql<number>`(count(*) filter (where ${overdueSql(today)}))::int`.as('overdue'),
  ] as const;

type StatsFilter = Omit<FindingStatsQuery, 'under'>;

function statsBase(db: Db, actor: Actor, q: StatsFilter, underPath: string | null, today: string) {
  return applyFilters(base(db, actor), q, underPath, today);
}

export interface CountRow {
  found: number;
  rectified: number;
  open: number;
  overdue: number;
}

export async function statsTotals(
  db: Db,
  actor: Actor,
  q: StatsFilter,
  underPath: string | null,
  today: string,
) {
  return statsBase(db, actor, q, underPath, today).select(counts(today)).executeTakeFirstOrThrow();
}

export async function statsBy(
  db: Db,
  actor: Actor,
  q: StatsFilter,
  underPath: string | null,
  today: string,
  column: 'category' | 'source' | 'severity',
) {
  return statsBase(db, actor, q, underPath, today)
    .select(sql.ref<string>(`f.${column}`).as('key'))
    .select(counts(today))
    .groupBy(`f.${column}`)
    .orderBy(sql`count(*)`, 'desc')
    .execute();
}

/**
 * Counts per child of the root unit (each finding counted under the child whose subtree holds its unit; one
 * of the root itself counted under the root). Children without findings are listed with zeros.
 */
export async function statsByChild(
  db: Db,
  actor: Actor,
  q: StatsFilter,
  root: { id: string; path: string },
  today: string,
) {
  const children = await db
    .selectFrom('unit')
    .select(['id', 'name', 'path'])
    .where('parent_id', '=', root.id)
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
  const rows = await statsBase(db, actor, q, root.path, today)
    .select(
      sql<string>`coalesce((select c.id from unit c where c.parent_id = ${root.id} and u.path like c.path || '%'), ${root.id})`.as(
        'child_id',
      ),
    )
    .select(counts(today))
    .groupBy('child_id')
    .execute();
  const byId = new Map(rows.map((r) => [r.child_id, r]));
  const zero = { found: 0, rectified: 0, open: 0, overdue: 0 };
  const out = children.map((c) => ({ unitId: c.id, unitName: c.name, ...(byId.get(c.id) ?? zero) }));
  const own = byId.get(root.id);
  if (own) {
    const r = await db.selectFrom('unit').select('name').where('id', '=', root.id).executeTakeFirstOrThrow();
    out.unshift({ unitId: root.id, unitName: r.name, ...own });
  }
  return out;
}

/** Counts per responsible unit (an inspector's schools: no single root). */
export async function statsByUnit(db: Db, actor: Actor, q: StatsFilter, today: string) {
  return statsBase(db, actor, q, null, today)
    .select(['u.id as unitId', 'u.name as unitName'])
    .select(counts(today))
    .groupBy(['u.id', 'u.name', 'u.code'])
    .orderBy('u.code')
    .execute();
}

/** Per source record: how many findings it raised and where they stand (no scope: the caller's record is). */
export async function countsBySource(
  db: Db,
  sourceType: string,
  sourceIds: readonly string[],
  today: string,
) {
  if (sourceIds.length === 0) return [];
  return db
    .selectFrom('finding as f')
    .select('f.source_id')
    .select([
      sql<number>`count(*)::int`.as('found'),
      sql<number>`(count(*) filter (where f.status <> 'closed'))::int`.as('open'),
      sql<number>`(count(*) filter (where ${overdueSql(today)}))::int`.as('overdue'),
      sql<number>`(count(*) filter (where f.status = 'closed'))::int`.as('closed'),
    ])
    .where('f.source_type', '=', sourceType)
    .where('f.source_id', 'in', [...sourceIds])
    .groupBy('f.source_id')
    .execute();
}

// ---------- notices ----------

export function findNotice(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom('rectification_notice as n')
    .innerJoin('unit as u', 'u.id', 'n.unit_id')
    .innerJoin('unit as iu', 'iu.id', 'n.issuer_unit_id')
    .selectAll('n')
    .select(['u.name as unit_name', 'u.code as unit_code', 'u.principal', 'iu.name as issuer_name'])
    .where('n.id', '=', id)
    .where(pathInScope(actor, 'finding.read', sql.ref('u.path')))
    .executeTakeFirst();
}

export function noticeItems(db: Db, noticeId: string) {
  return db
    .selectFrom('finding')
    .select([
      'id',
      'no',
      'category',
      'severity',
      'title',
      'description',
      'location',
      'basis',
      'deadline',
      'status',
    ])
    .where('notice_id', '=', noticeId)
    .orderBy('no')
    .execute();
}

// ---------- numbering ----------

/** The next number of a kind of document for a unit and year (gap-free inside committed transactions). */
export async function nextNumber(trx: Transaction<DB>, unitId: string, kind: string, year: number) {
  const row = await trx
    .insertInto('doc_counter')
    .values({ unit_id: unitId, kind, year, last: 1 })
    .onConflict((oc) =>
      oc.columns(['unit_id', 'kind', 'year']).doUpdateSet({ last: sql<number>`doc_counter.last + 1` }),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}
