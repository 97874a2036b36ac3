/**
 * Queries of the training module. An institution belongs to its supervising county bureau (unit_id); every
 * read of scoped data goes through the scope filter `visible()` (training.read or training.manage over that
 * bureau). Children (venues, staff, courses, documents, orders, inspections) are reached through their
 * institution only.
 */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { TRAINING_SUPERVISED } from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import type { Permission } from '../../platform/access/permissions.js';
import { pathInScope, unitIdInScope } from '../../platform/access/scope.js';
import type { DB } from '../../platform/db/schema.js';

export type Db = Kysely<DB> | Transaction<DB>;

/** The scope filter: the institution's supervising bureau lies in the actor's scope for `permission`. */
export function visible(actor: Actor, permission: Permission = 'training.read'): Expression<SqlBool> {
  return unitIdInScope(actor, permission, sql.ref('i.unit_id'));
}

/** A bureau (city or county) in the actor's scope for `permission`, or undefined (the caller answers 404). */
export function findBureau(db: Db, actor: Actor, permission: Permission, id: string) {
  return db
    .selectFrom('unit')
    .select(['id', 'kind', 'name', 'code', 'path', 'parent_id'])
    .where('id', '=', id)
    .where('kind', '<>', 'school')
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst();
}

/** Any unit in the actor's scope for `permission` (a school too: the caller decides what it may be). */
export function findUnit(db: Db, actor: Actor, permission: Permission, id: string) {
  return db
    .selectFrom('unit')
    .select(['id', 'kind', 'name', 'code', 'path', 'parent_id'])
    .where('id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst();
}

/**
 * Per institution, the facts compliance is computed from (see docs/training.md): venues, teaching staff,
 * documents in force, fees owed for untaught hours and one billing period's fees of all current students.
 */
export function withFacts(db: Db, today: string) {
  return db
    .selectFrom('training_institution as i')
    .innerJoin('unit as u', 'u.id', 'i.unit_id')
    .selectAll('i')
    .select([
      'u.name as unit_name',
      'u.path as unit_path',
      sql<number>`(select count(*)::int from training_venue v where v.institution_id = i.id)`.as(
        'venue_count',
      ),
      sql<number>`(select count(*)::int from training_venue v where v.institution_id = i.id
        and not (v.approved and v.fire_accepted))`.as('venue_bad'),
      sql<number>`(select count(*)::int from training_staff s where s.institution_id = i.id
        and s.active and s.role = 'teacher')`.as('teacher_count'),
      sql<number>`(select count(*)::int from training_staff s where s.institution_id = i.id
        and s.active and s.role = 'teacher' and not s.background_checked)`.as('unchecked'),
      sql<number>`(select count(*)::int from training_staff s where s.institution_id = i.id
        and s.active and s.role = 'teacher' and (s.subject_teaching or i.category = 'subject')
        and coalesce(s.teacher_cert_no, '') = '')`.as('uncertified'),
      sql<string[]>`coalesce((select array_agg(d.kind order by d.kind) from training_document d
        where d.institution_id = i.id and (d.valid_to is null or d.valid_to >= ${today}::date)), '{}')`.as(
        'docs_in_force',
      ),
      sql<string>`coalesce((select round(sum(o.amount_cents::numeric * (o.class_hours - o.hours_taught) / o.class_hours))
        from training_order o where o.institution_id = i.id and not o.refunded), 0)::bigint::text`.as(
        'owed_cents',
      ),
      sql<string>`coalesce((select sum(c.price_per_hour_cents::bigint * c.hours_per_period * c.current_students)
        from training_course c where c.institution_id = i.id and c.active), 0)::bigint::text`.as(
        'required_cents',
      ),
      sql<number>`(select count(*)::int from training_order o where o.institution_id = i.id)`.as(
        'order_count',
      ),
    ]);
}

export type FactRow = Awaited<ReturnType<ReturnType<typeof withFacts>['executeTakeFirstOrThrow']>>;

/** One institution with its facts, in scope for `permission`. */
export function findInstitution(
  db: Db,
  actor: Actor,
  id: string,
  today: string,
  permission: Permission = 'training.read',
) {
  return withFacts(db, today).where('i.id', '=', id).where(visible(actor, permission)).executeTakeFirst();
}

export interface InstitutionFilter {
  unitPath?: string;
  q?: string;
  category?: string;
  status?: string;
  /** Under supervision only (the compliance denominator). */
  supervised?: boolean;
  /** Only what the portal publishes. */
  published?: boolean;
  /** Moved to this status within [from, to] (the lifecycle figures). */
  movedTo?: string;
  from?: string;
  to?: string;
}

/** Which institutions the public sees: under supervision, or black-listed after closure or a ban. */
export const isPublished: Expression<SqlBool> = sql<SqlBool>`(i.status in (${sql.join(
  TRAINING_SUPERVISED.map((s) => sql.lit(s)),
)}) or (i.blacklisted and i.status in ('closed', 'banned')))`;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** Every institution in scope matching the filter, with facts (the caller computes compliance and pages). */
export function listInstitutions(db: Db, actor: Actor, f: InstitutionFilter, today: string) {
  let q = withFacts(db, today).where(visible(actor));
  if (f.unitPath) q = q.where('u.path', 'like', escapeLike(f.unitPath) + '%');
  if (f.q) {
    const like = '%' + escapeLike(f.q) + '%';
    q = q.where((eb) =>
      eb.or([eb('i.name', 'like', like), eb('i.credit_code', 'like', escapeLike(f.q!.toUpperCase()) + '%')]),
    );
  }
  if (f.category) q = q.where('i.category', '=', f.category as 'subject');
  if (f.status) q = q.where('i.status', '=', f.status);
  if (f.supervised) q = q.where('i.status', 'in', [...TRAINING_SUPERVISED]);
  if (f.published) q = q.where(isPublished);
  if (f.movedTo) {
    const { movedTo, from, to } = f;
    // The same events lifecycleStats counts: status changes to movedTo dated within the period.
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('training_event as e')
          .select('e.id')
          .whereRef('e.institution_id', '=', 'i.id')
          .where('e.kind', '=', 'status')
          .where('e.to_status', '=', movedTo)
          .$if(!!from, (w) => w.where('e.on_date', '>=', from!))
          .$if(!!to, (w) => w.where('e.on_date', '<=', to!)),
      ),
    );
  }
  return q.orderBy('u.code').orderBy('i.name').orderBy('i.id').execute();
}

export function childrenOf(db: Db, id: string) {
  return Promise.all([
    db
      .selectFrom('training_venue')
      .selectAll()
      .where('institution_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('training_staff')
      .selectAll()
      .where('institution_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('training_course')
      .selectAll()
      .where('institution_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('training_document').selectAll().where('institution_id', '=', id).execute(),
    db
      .selectFrom('training_event')
      .selectAll()
      .where('institution_id', '=', id)
      .orderBy('on_date', 'desc')
      .orderBy('created_at', 'desc')
      .execute(),
    db
      .selectFrom('training_inspection')
      .selectAll()
      .where('institution_id', '=', id)
      .orderBy('inspected_on', 'desc')
      .execute(),
    db
      .selectFrom('finding')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('source_type', '=', 'training_institution')
      .where('source_id', '=', id)
      .where('status', '<>', 'closed')
      .executeTakeFirstOrThrow(),
  ]);
}

/** A child row (venue, staff member, course) with its institution, in scope for `permission`. */
export function findChild(
  db: Db,
  actor: Actor,
  table: 'training_venue' | 'training_staff' | 'training_course' | 'training_order',
  id: string,
  permission: Permission,
) {
  return db
    .selectFrom(`${table} as c` as 'training_venue as c')
    .innerJoin('training_institution as i', 'i.id', 'c.institution_id')
    .select(['c.id', 'c.institution_id', 'i.unit_id'])
    .where('c.id', '=', id)
    .where(visible(actor, permission))
    .executeTakeFirst();
}

/** The prepaid rules in force for a unit: its own row, else the nearest ancestor's. */
export async function rulesFor(db: Db, unitPath: string) {
  const ids = unitPath.split('/').filter(Boolean);
  if (ids.length === 0) return undefined;
  const rows = await db.selectFrom('training_rule_set').selectAll().where('unit_id', 'in', ids).execute();
  for (const id of ids.reverse()) {
    const r = rows.find((x) => x.unit_id === id);
    if (r) return r;
  }
  return undefined;
}
