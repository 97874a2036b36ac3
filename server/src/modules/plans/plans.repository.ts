/**
 * Queries of the plans module. Scope: a plan is seen by those whose scope (plan.read) covers its owner
 * unit, and by the units it assigns tasks to (they see the plan and their own assignments); an assignment
 * by those covering its unit or the plan's owner; a 督办单 by those covering its unit or its issuer. Every
 * read of scoped data goes through one of the predicates below.
 */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import type { DB } from '../../platform/db/schema.js';

export type Db = Kysely<DB> | Transaction<DB>;

/** plan p (aliased 'p', joined with owner unit 'o') visible to the actor. */
export function planVisible(actor: Actor): Expression<SqlBool> {
  return sql<SqlBool>`(${pathInScope(actor, 'plan.read', sql.ref('o.path'))} or exists (
    select 1 from plan_assignment va join unit vu on vu.id = va.unit_id
    where va.plan_id = p.id and ${pathInScope(actor, 'plan.read', sql.ref('vu.path'))}))`;
}

/** assignment a (unit 'u', plan owner 'o') visible to the actor. */
export function assignmentVisible(actor: Actor): Expression<SqlBool> {
  return sql<SqlBool>`(${pathInScope(actor, 'plan.read', sql.ref('u.path'))} or ${pathInScope(
    actor,
    'plan.read',
    sql.ref('o.path'),
  )})`;
}

export function findPlan(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom('plan as p')
    .innerJoin('unit as o', 'o.id', 'p.owner_unit_id')
    .selectAll('p')
    .select(['o.name as owner_name', 'o.code as owner_code', 'o.path as owner_path'])
    .where('p.id', '=', id)
    .where(planVisible(actor))
    .executeTakeFirst();
}
export type PlanRow = NonNullable<Awaited<ReturnType<typeof findPlan>>>;

export function listPlans(db: Db, actor: Actor) {
  return db
    .selectFrom('plan as p')
    .innerJoin('unit as o', 'o.id', 'p.owner_unit_id')
    .selectAll('p')
    .select(['o.name as owner_name', 'o.code as owner_code', 'o.path as owner_path'])
    .where(planVisible(actor))
    .orderBy('p.year', 'desc')
    .orderBy('p.created_at', 'desc')
    .limit(200)
    .execute();
}

export function findAssignment(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom('plan_assignment as a')
    .innerJoin('unit as u', 'u.id', 'a.unit_id')
    .innerJoin('plan as p', 'p.id', 'a.plan_id')
    .innerJoin('unit as o', 'o.id', 'p.owner_unit_id')
    .select([
      'a.id',
      'a.plan_id',
      'a.task_id',
      'a.unit_id',
      'a.parent_id',
      'u.path as unit_path',
      'u.kind as unit_kind',
      'u.name as unit_name',
      'o.path as owner_path',
      'o.id as owner_id',
      'p.title as plan_title',
    ])
    .where('a.id', '=', id)
    .where(assignmentVisible(actor))
    .executeTakeFirst();
}
export type AssignmentRow = NonNullable<Awaited<ReturnType<typeof findAssignment>>>;

/** Any unit in the actor's scope for the permission. */
export function findUnit(
  db: Db,
  actor: Actor,
  id: string,
  permission: 'plan.read' | 'plan.manage' | 'assess.manage',
) {
  return db
    .selectFrom('unit')
    .select(['id', 'name', 'code', 'kind', 'path', 'parent_id'])
    .where('id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst();
}

// ---------- the data of plans, for status computation ----------

export interface TaskData {
  id: string;
  plan_id: string;
  chapter_id: string;
  chapter_seq: number;
  chapter_title: string;
  seq: number;
  title: string;
  description: string | null;
  lead_office: string;
  co_offices: string[];
  starts_on: string;
  due_on: string;
  report_cycle: 'monthly' | 'quarterly' | 'milestone';
  target_indicator: string | null;
  target_op: '>=' | '<=' | '=' | '>' | '<' | null;
  target_value: number | null;
  target_unit: string | null;
  target_text: string | null;
}
export interface AssignmentData {
  id: string;
  plan_id: string;
  task_id: string;
  unit_id: string;
  unit_name: string;
  unit_code: string;
  unit_path: string;
  unit_kind: string;
  parent_id: string | null;
  person_user_id: string | null;
  person_name: string | null;
  /** When the unit was given the task: reports for periods before it are not due. */
  created_at: Date;
}
export interface ReportData {
  id: string;
  assignment_id: string;
  reported_on: string;
  text: string;
  value: number | null;
  milestone_id: string | null;
  completed: boolean;
  file_ids: string[];
  reported_by_name: string | null;
}

/**
 * Tasks, milestones, assignments (only those visible when an actor is given) and reports of some plans.
 * Unscoped for plans: call with plan ids loaded through the scope filter.
 */
export async function loadPlanData(db: Db, planIds: string[], actor: Actor | null, upTo?: string) {
  if (planIds.length === 0) return { tasks: [], milestones: [], assignments: [], reports: [] };
  const tasks = (await db
    .selectFrom('plan_task as t')
    .innerJoin('plan_chapter as c', 'c.id', 't.chapter_id')
    .selectAll('t')
    .select(['c.seq as chapter_seq', 'c.title as chapter_title'])
    .where('t.plan_id', 'in', planIds)
    .orderBy('c.seq')
    .orderBy('t.seq')
    .execute()) as unknown as TaskData[];
  const taskIds = tasks.map((t) => t.id);
  const milestones = taskIds.length
    ? await db
        .selectFrom('plan_milestone')
        .selectAll()
        .where('task_id', 'in', taskIds)
        .orderBy('task_id')
        .orderBy('seq')
        .execute()
    : [];
  let aq = db
    .selectFrom('plan_assignment as a')
    .innerJoin('unit as u', 'u.id', 'a.unit_id')
    .innerJoin('plan as p', 'p.id', 'a.plan_id')
    .innerJoin('unit as o', 'o.id', 'p.owner_unit_id')
    .leftJoin('app_user as pu', 'pu.id', 'a.person_user_id')
    .select([
      'a.id',
      'a.plan_id',
      'a.task_id',
      'a.unit_id',
      'u.name as unit_name',
      'u.code as unit_code',
      'u.path as unit_path',
      'u.kind as unit_kind',
      'a.parent_id',
      'a.person_user_id',
      'pu.display_name as person_name',
      'a.created_at',
    ])
    .where('a.plan_id', 'in', planIds);
  if (actor) aq = aq.where(assignmentVisible(actor));
  const assignments: AssignmentData[] = await aq.orderBy('u.code').execute();
  const aIds = assignments.map((a) => a.id);
  let rq = db
    .selectFrom('plan_report')
    .select([
      'id',
      'assignment_id',
      'reported_on',
      'text',
      'value',
      'milestone_id',
      'completed',
      'file_ids',
      'reported_by_name',
    ])
    .where('assignment_id', 'in', aIds.length ? aIds : ['00000000-0000-0000-0000-000000000000']);
  if (upTo) rq = rq.where('reported_on', '<=', upTo);
  const reports: ReportData[] = await rq.orderBy('reported_on').orderBy('id').execute();
  return { tasks, milestones, assignments, reports };
}
export type PlanData = Awaited<ReturnType<typeof loadPlanData>>;

/** Open 督办单 per assignment (unscoped: for assignments already loaded through the filter). */
export async function openNoticesByAssignment(db: Db, assignmentIds: string[]) {
  if (assignmentIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('plan_notice')
    .select(['assignment_id', sql<number>`count(*)::int`.as('n')])
    .where('assignment_id', 'in', assignmentIds)
    .where('status', '=', 'open')
    .groupBy('assignment_id')
    .execute();
  return new Map(rows.map((r) => [r.assignment_id, r.n]));
}
