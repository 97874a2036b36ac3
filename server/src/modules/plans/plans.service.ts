/**
 * Plans (部署): plans → chapters → numbered tasks with milestones and targets; assignments to responsible
 * units (a county splits its own further to schools, each naming a responsible person); progress reports
 * with values and evidence. Status is computed on every read (plans.status.ts).
 */
import type {
  PlanAssignment,
  PlanAssignmentDetail,
  PlanCreate,
  PlanDetail,
  Plan,
  PlanReport,
  PlanReportCreate,
  PlanTask,
  PlanTaskCreate,
  PlanTarget,
  TaskStatus,
} from '@dudao/contracts';
import {
  PlanTaskCreate as PlanTaskCreateSchema,
  PlanReportCreate as PlanReportCreateSchema,
} from '@dudao/contracts';
import { sql, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles, fileInfos } from '../../platform/files/files.service.js';
import { notifyUnit, notifyUsers } from '../../platform/notifications/notifications.service.js';
import { planPolicy } from './plans.policy.js';
import * as repo from './plans.repository.js';
import {
  computeStatus,
  targetText,
  timeliness,
  worst,
  type Computed,
  type StatusTask,
} from './plans.status.js';

const PLAN = { zh: '工作计划', en: 'Plan' };
const ASSIGNMENT = { zh: '任务分解', en: 'Assignment' };
const UNIT = { zh: '单位', en: 'Unit' };
export const UNIT_ROLES = ['school_admin', 'county_admin', 'city_admin'] as const;

// ---------- evaluation ----------

export function statusTaskOf(
  t: repo.TaskData,
  milestones: { id: string; task_id: string; title: string; due_on: string }[],
): StatusTask {
  return {
    startsOn: t.starts_on,
    dueOn: t.due_on,
    reportCycle: t.report_cycle,
    target: t.target_op && t.target_value !== null ? { op: t.target_op, value: t.target_value } : null,
    milestones: milestones
      .filter((m) => m.task_id === t.id)
      .map((m) => ({ id: m.id, title: m.title, dueOn: m.due_on })),
  };
}

export function targetOf(t: repo.TaskData): PlanTarget | null {
  if (!t.target_op || t.target_value === null) return null;
  const target = {
    indicator: t.target_indicator ?? '目标值',
    op: t.target_op,
    value: t.target_value,
    unit: t.target_unit ?? '',
  };
  return { ...target, text: t.target_text ?? targetText(target) };
}

function toReport(r: repo.ReportData, files: Map<string, string>): PlanReport {
  return {
    id: r.id,
    assignmentId: r.assignment_id,
    reportedOn: r.reported_on,
    text: r.text,
    value: r.value,
    milestoneId: r.milestone_id,
    completed: r.completed,
    files: r.file_ids.map((id) => ({ id, name: files.get(id) ?? '附件' })),
    reportedByName: r.reported_by_name,
  };
}

export interface Evaluated {
  tasks: (repo.TaskData & {
    computed: Computed;
    assignments: (repo.AssignmentData & { computed: Computed })[];
  })[];
  assignment: Map<
    string,
    {
      a: repo.AssignmentData;
      task: repo.TaskData;
      st: StatusTask;
      computed: Computed;
      reports: repo.ReportData[];
    }
  >;
}

/** Computes every assignment's and task's status as of `today`. */
export function evaluate(data: repo.PlanData, today: string): Evaluated {
  const reportsBy = new Map<string, repo.ReportData[]>();
  for (const r of data.reports)
    reportsBy.set(r.assignment_id, [...(reportsBy.get(r.assignment_id) ?? []), r]);
  const assignment: Evaluated['assignment'] = new Map();
  const tasks = data.tasks.map((t) => {
    const st = statusTaskOf(t, data.milestones);
    const as = data.assignments
      .filter((a) => a.task_id === t.id)
      .map((a) => {
        const reports = reportsBy.get(a.id) ?? [];
        const computed = computeStatus(
          st,
          reports.map((r) => ({
            reportedOn: r.reported_on,
            value: r.value,
            milestoneId: r.milestone_id,
            completed: r.completed,
          })),
          today,
        );
        assignment.set(a.id, { a, task: t, st, computed, reports });
        return { ...a, computed };
      });
    return {
      ...t,
      computed: worst(
        as.map((a) => a.computed),
        (i) => as[i]!.unit_name,
      ),
      assignments: as,
    };
  });
  return { tasks, assignment };
}

function emptyCounts(): Record<TaskStatus, number> {
  return { done: 0, on_track: 0, at_risk: 0, behind: 0, overdue: 0 };
}

async function fileNames(ctx: AppContext, reports: repo.ReportData[]) {
  const infos = await fileInfos(
    ctx.db,
    reports.flatMap((r) => r.file_ids),
  );
  return new Map(infos.map((f) => [f.id, f.name]));
}

function toAssignment(
  actor: Actor,
  ev: Evaluated,
  id: string,
  today: string,
  notices: Map<string, number>,
  files: Map<string, string>,
): PlanAssignment {
  const e = ev.assignment.get(id)!;
  const valued = e.reports.filter((r) => r.value !== null);
  const last = e.reports.at(-1) ?? null;
  const tl = timeliness(
    e.st,
    e.reports.map((r) => ({
      reportedOn: r.reported_on,
      value: r.value,
      milestoneId: r.milestone_id,
      completed: r.completed,
    })),
    today,
  );
  return {
    id,
    planId: e.a.plan_id,
    taskId: e.task.id,
    taskSeq: e.task.seq,
    taskTitle: e.task.title,
    unit: { id: e.a.unit_id, name: e.a.unit_name, code: e.a.unit_code },
    parentId: e.a.parent_id,
    person: e.a.person_user_id ? { id: e.a.person_user_id, name: e.a.person_name ?? '' } : null,
    dueOn: e.task.due_on,
    target: targetOf(e.task),
    latestValue: valued.at(-1)?.value ?? null,
    latestReport: last ? toReport(last, files) : null,
    missedReports: tl.missed,
    lateReports: tl.late,
    nextReportDue: tl.next,
    openNotices: notices.get(id) ?? 0,
    canReport: planPolicy.canReport(actor, { path: e.a.unit_path }),
    canSplit: planPolicy.canSplit(actor, e.a),
    status: e.computed.status,
    reason: e.computed.reason,
  };
}

function toPlan(actor: Actor, p: repo.PlanRow, ev: Evaluated | null): Plan {
  const counts = emptyCounts();
  for (const t of ev?.tasks ?? []) counts[t.computed.status] += 1;
  return {
    id: p.id,
    ownerUnit: { id: p.owner_unit_id, name: p.owner_name, code: p.owner_code },
    title: p.title,
    kind: p.kind,
    year: p.year,
    startsOn: p.starts_on,
    endsOn: p.ends_on,
    tasks: ev?.tasks.length ?? 0,
    counts,
    canManage: planPolicy.canManage(actor, { path: p.owner_path }),
  };
}

/** The tasks a reader sees: all of them for the owner's side; those with a visible assignment otherwise. */
export function visibleTasks(actor: Actor, p: repo.PlanRow, ev: Evaluated) {
  const ownerSide = pathVisible(actor, p.owner_path);
  return ownerSide ? ev.tasks : ev.tasks.filter((t) => t.assignments.length > 0);
}
function pathVisible(actor: Actor, path: string) {
  return (
    planPolicy.canManage(actor, { path }) ||
    actor.grants.some((g) => path.startsWith(g.path)) ||
    actor.via === 'system'
  );
}

// ---------- reads ----------

export async function listPlans(
  ctx: AppContext,
  actor: Actor,
  today = chinaToday(),
): Promise<{ items: Plan[] }> {
  const plans = await repo.listPlans(ctx.db, actor);
  const data = await repo.loadPlanData(
    ctx.db,
    plans.map((p) => p.id),
    actor,
  );
  const ev = evaluate(data, today);
  return {
    items: plans.map((p) => {
      const mine = {
        tasks: visibleTasks(actor, p, { ...ev, tasks: ev.tasks.filter((t) => t.plan_id === p.id) }),
        assignment: ev.assignment,
      };
      return toPlan(actor, p, mine);
    }),
  };
}

export async function getPlan(
  ctx: AppContext,
  actor: Actor,
  id: string,
  today = chinaToday(),
): Promise<PlanDetail> {
  const p = await repo.findPlan(ctx.db, actor, id);
  if (!p) throw notFound(PLAN);
  const data = await repo.loadPlanData(ctx.db, [id], actor);
  const ev = evaluate(data, today);
  const tasks = visibleTasks(actor, p, ev);
  const notices = await repo.openNoticesByAssignment(
    ctx.db,
    data.assignments.map((a) => a.id),
  );
  const files = await fileNames(ctx, data.reports);
  const chapters = await ctx.db
    .selectFrom('plan_chapter')
    .select(['id', 'seq', 'title'])
    .where('plan_id', '=', id)
    .orderBy('seq')
    .execute();
  const taskList: PlanTask[] = tasks.map((t) => ({
    id: t.id,
    planId: t.plan_id,
    chapterId: t.chapter_id,
    chapterSeq: t.chapter_seq,
    chapterTitle: t.chapter_title,
    seq: t.seq,
    title: t.title,
    description: t.description,
    leadOffice: t.lead_office,
    coOffices: t.co_offices,
    startsOn: t.starts_on,
    dueOn: t.due_on,
    reportCycle: t.report_cycle,
    target: targetOf(t),
    milestones: data.milestones
      .filter((m) => m.task_id === t.id)
      .map((m) => ({ id: m.id, seq: m.seq, title: m.title, dueOn: m.due_on })),
    assignments: t.assignments.map((a) => toAssignment(actor, ev, a.id, today, notices, files)),
    status: t.computed.status,
    reason: t.computed.reason,
  }));
  return { ...toPlan(actor, p, { ...ev, tasks }), chapters, taskList };
}

export async function listAssignments(
  ctx: AppContext,
  actor: Actor,
  q: { planId?: string; status?: TaskStatus },
  today = chinaToday(),
): Promise<{ items: PlanAssignment[] }> {
  const plans = (await repo.listPlans(ctx.db, actor)).filter((p) => !q.planId || p.id === q.planId);
  const data = await repo.loadPlanData(
    ctx.db,
    plans.map((p) => p.id),
    actor,
  );
  // “My tasks”: assignments of units inside the actor's own report/read scope (not the whole plan of an owner).
  const mine = data.assignments.filter(
    (a) => planPolicy.canReport(actor, { path: a.unit_path }) || actor.via === 'system',
  );
  const ev = evaluate(data, today);
  const notices = await repo.openNoticesByAssignment(
    ctx.db,
    mine.map((a) => a.id),
  );
  const files = await fileNames(ctx, data.reports);
  // The newest plan first, then by task number.
  const order = new Map(plans.map((p, i) => [p.id, i]));
  const items = mine
    .map((a) => toAssignment(actor, ev, a.id, today, notices, files))
    .filter((a) => !q.status || a.status === q.status)
    .sort((x, y) => (order.get(x.planId) ?? 0) - (order.get(y.planId) ?? 0) || x.taskSeq - y.taskSeq);
  return { items: items.slice(0, 500) };
}

export async function getAssignment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  today = chinaToday(),
): Promise<PlanAssignmentDetail> {
  const row = await repo.findAssignment(ctx.db, actor, id);
  if (!row) throw notFound(ASSIGNMENT);
  const data = await repo.loadPlanData(ctx.db, [row.plan_id], actor);
  const ev = evaluate(data, today);
  const e = ev.assignment.get(id)!;
  const childIds = data.assignments.filter((a) => a.parent_id === id).map((a) => a.id);
  const notices = await repo.openNoticesByAssignment(ctx.db, [id, ...childIds]);
  const files = await fileNames(ctx, data.reports);
  const reached = new Set(e.reports.map((r) => r.milestone_id).filter(Boolean));
  const { listNotices } = await import('./plans.notices.js');
  const people = await ctx.db
    .selectFrom('app_user as pu')
    .innerJoin('unit as uu', 'uu.id', 'pu.unit_id')
    .select(['pu.id', 'pu.display_name as name'])
    .where('uu.path', 'like', `${row.unit_path}%`)
    .where('pu.disabled_at', 'is', null)
    .orderBy('pu.display_name')
    .limit(200)
    .execute();
  return {
    ...toAssignment(actor, ev, id, today, notices, files),
    planTitle: row.plan_title,
    milestones: data.milestones
      .filter((m) => m.task_id === row.task_id)
      .map((m) => ({ id: m.id, seq: m.seq, title: m.title, dueOn: m.due_on, reached: reached.has(m.id) })),
    reports: [...e.reports].reverse().map((r) => toReport(r, files)),
    children: childIds.map((c) => toAssignment(actor, ev, c, today, notices, files)),
    notices: (await listNotices(ctx, actor, {}, today)).items.filter((n) => n.assignmentId === id),
    people,
  };
}

// ---------- changes ----------

async function ownerForManage(ctx: AppContext, actor: Actor, unitId: string) {
  const unit = await repo.findUnit(ctx.db, actor, unitId, 'plan.read');
  if (!unit) throw notFound(UNIT);
  if (unit.kind === 'school')
    throw badRequest('PLAN_OWNER_KIND', {
      zh: '工作计划由市、县教育局制定',
      en: 'Plans belong to a city or county bureau',
    });
  if (!planPolicy.canManage(actor, unit)) throw forbidden();
  return unit;
}

export async function createPlan(ctx: AppContext, actor: Actor, input: PlanCreate, origin: AuditOrigin) {
  const owner = await ownerForManage(ctx, actor, input.ownerUnitId);
  if (input.endsOn < input.startsOn)
    throw badRequest('PLAN_DATES', { zh: '结束日期不能早于开始日期', en: 'The end is before the start' });
  const id = timeOrderedId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('plan')
      .values({
        id,
        owner_unit_id: owner.id,
        title: input.title,
        kind: input.kind,
        year: input.year,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        created_by: actor.userId,
      })
      .execute();
    let seq = 0;
    for (const title of input.chapters ?? [])
      await trx
        .insertInto('plan_chapter')
        .values({ id: timeOrderedId(), plan_id: id, seq: ++seq, title })
        .execute();
    await recordAudit(trx, origin, {
      action: 'plan.create',
      objectType: 'plan',
      objectId: id,
      unitId: owner.id,
      after: input,
    });
  });
  return getPlan(ctx, actor, id);
}

export async function loadManagedPlan(ctx: AppContext, actor: Actor, planId: string) {
  const p = await repo.findPlan(ctx.db, actor, planId);
  if (!p) throw notFound(PLAN);
  if (!planPolicy.canManage(actor, { path: p.owner_path })) {
    if (!pathVisible(actor, p.owner_path)) throw notFound(PLAN);
    throw forbidden();
  }
  return p;
}

export async function addChapter(
  ctx: AppContext,
  actor: Actor,
  planId: string,
  title: string,
  origin: AuditOrigin,
) {
  const p = await loadManagedPlan(ctx, actor, planId);
  await ctx.db.transaction().execute(async (trx) => {
    const { max } = await trx
      .selectFrom('plan_chapter')
      .select(sql<number>`coalesce(max(seq), 0)::int`.as('max'))
      .where('plan_id', '=', planId)
      .executeTakeFirstOrThrow();
    const id = timeOrderedId();
    await trx
      .insertInto('plan_chapter')
      .values({ id, plan_id: planId, seq: max + 1, title })
      .execute();
    await recordAudit(trx, origin, {
      action: 'plan.chapter.create',
      objectType: 'plan',
      objectId: planId,
      unitId: p.owner_unit_id,
      after: { title },
    });
  });
  return getPlan(ctx, actor, planId);
}

/** Units a task may be assigned to: inside the plan owner's subtree (and not the owner's parent). */
async function assignableUnits(trx: repo.Db, ownerPath: string, unitIds: string[]) {
  if (unitIds.length === 0) return [];
  const rows = await trx
    .selectFrom('unit')
    .select(['id', 'name', 'path', 'kind'])
    .where('id', 'in', [...new Set(unitIds)])
    .where('path', 'like', `${ownerPath}%`)
    .where('status', '=', 'active')
    .execute();
  if (rows.length !== new Set(unitIds).size)
    throw badRequest('PLAN_UNIT_OUTSIDE', {
      zh: '责任单位须为本单位所辖的单位',
      en: 'Responsible units must lie within the plan owner’s area',
    });
  return rows;
}

/** Inserts a task with its milestones and assignments (no units: the owner unit itself is responsible). */
export async function insertTask(
  trx: Transaction<DB>,
  plan: { id: string; owner_unit_id: string; owner_path: string; starts_on: string },
  input: ReturnType<typeof PlanTaskCreateSchema.parse>,
  target: PlanTarget | null,
): Promise<{ taskId: string; assignments: string[] }> {
  const chapter = await trx
    .selectFrom('plan_chapter')
    .select('id')
    .where('id', '=', input.chapterId)
    .where('plan_id', '=', plan.id)
    .executeTakeFirst();
  if (!chapter)
    throw badRequest('PLAN_CHAPTER', { zh: '所选章节不属于该计划', en: 'The chapter is not the plan’s' });
  const startsOn = input.startsOn ?? plan.starts_on;
  if (input.dueOn < startsOn)
    throw badRequest('PLAN_TASK_DATES', {
      zh: '完成时限不能早于开始日期',
      en: 'The deadline is before the start',
    });
  let seq = input.seq;
  if (seq === undefined) {
    const { max } = await trx
      .selectFrom('plan_task')
      .select(sql<number>`coalesce(max(seq), 0)::int`.as('max'))
      .where('plan_id', '=', plan.id)
      .executeTakeFirstOrThrow();
    seq = max + 1;
  }
  const dup = await trx
    .selectFrom('plan_task')
    .select('id')
    .where('plan_id', '=', plan.id)
    .where('seq', '=', seq)
    .executeTakeFirst();
  if (dup) throw conflict('PLAN_TASK_SEQ', { zh: `序号 ${seq} 已被使用`, en: `Number ${seq} is taken` });
  const units = await assignableUnits(trx, plan.owner_path, input.unitIds ?? []);
  const id = timeOrderedId();
  await trx
    .insertInto('plan_task')
    .values({
      id,
      plan_id: plan.id,
      chapter_id: input.chapterId,
      seq,
      title: input.title,
      description: input.description ?? null,
      lead_office: input.leadOffice,
      co_offices: input.coOffices ?? [],
      starts_on: startsOn,
      due_on: input.dueOn,
      report_cycle: input.reportCycle,
      target_indicator: target?.indicator ?? null,
      target_op: target?.op ?? null,
      target_value: target?.value ?? null,
      target_unit: target?.unit ?? null,
      target_text: target?.text ?? null,
    })
    .execute();
  let m = 0;
  for (const ms of input.milestones ?? []) {
    if (ms.dueOn > input.dueOn || ms.dueOn < startsOn)
      throw badRequest('PLAN_MILESTONE_DATE', {
        zh: `节点“${ms.title}”的日期须在任务起止日期之内`,
        en: `Milestone “${ms.title}” must fall within the task’s dates`,
      });
    await trx
      .insertInto('plan_milestone')
      .values({ id: timeOrderedId(), task_id: id, seq: ++m, title: ms.title, due_on: ms.dueOn })
      .execute();
  }
  const unitIds = units.length ? units.map((u) => u.id) : [plan.owner_unit_id];
  const assignments: string[] = [];
  for (const unitId of unitIds) {
    const aid = timeOrderedId();
    assignments.push(aid);
    await trx
      .insertInto('plan_assignment')
      .values({ id: aid, plan_id: plan.id, task_id: id, unit_id: unitId })
      .execute();
  }
  return { taskId: id, assignments };
}

export async function createTask(
  ctx: AppContext,
  actor: Actor,
  planId: string,
  body: PlanTaskCreate,
  origin: AuditOrigin,
) {
  const p = await loadManagedPlan(ctx, actor, planId);
  const input = PlanTaskCreateSchema.parse(body);
  const target = input.target ? { ...input.target, text: targetText(input.target) } : null;
  await ctx.db.transaction().execute(async (trx) => {
    const r = await insertTask(trx, p, input, target);
    for (const aid of r.assignments) {
      const a = await trx
        .selectFrom('plan_assignment')
        .select('unit_id')
        .where('id', '=', aid)
        .executeTakeFirstOrThrow();
      if (a.unit_id !== p.owner_unit_id)
        await notifyUnit(trx, a.unit_id, UNIT_ROLES, {
          kind: 'plan.assigned',
          title: `新任务：${input.title}`,
          body: `${p.title}，完成时限 ${input.dueOn}`,
          link: `/plans/assignments/${aid}`,
          objectType: 'plan_assignment',
          objectId: aid,
        });
    }
    await recordAudit(trx, origin, {
      action: 'plan.task.create',
      objectType: 'plan_task',
      objectId: r.taskId,
      unitId: p.owner_unit_id,
      after: input,
    });
  });
  return getPlan(ctx, actor, planId);
}

/** A county splits its assignment to schools of its own (责任链条). */
export async function splitAssignment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  unitIds: string[],
  origin: AuditOrigin,
) {
  const a = await repo.findAssignment(ctx.db, actor, id);
  if (!a) throw notFound(ASSIGNMENT);
  if (!planPolicy.canSplit(actor, a)) throw forbidden();
  if (a.parent_id)
    throw badRequest('PLAN_SPLIT_TWICE', {
      zh: '已分解的任务不能再分解',
      en: 'A split assignment cannot be split again',
    });
  await ctx.db.transaction().execute(async (trx) => {
    const units = await trx
      .selectFrom('unit')
      .select(['id', 'name'])
      .where('id', 'in', [...new Set(unitIds)])
      .where('kind', '=', 'school')
      .where('path', 'like', `${a.unit_path}%`)
      .where(pathInScope(actor, 'plan.manage', sql.ref('unit.path')))
      .execute();
    if (units.length !== new Set(unitIds).size)
      throw badRequest('PLAN_SPLIT_UNIT', {
        zh: '只能分解到本单位所辖学校',
        en: 'Split only to schools of the unit',
      });
    const task = await trx
      .selectFrom('plan_task')
      .select(['title', 'due_on'])
      .where('id', '=', a.task_id)
      .executeTakeFirstOrThrow();
    const made: string[] = [];
    for (const u of units) {
      const exists = await trx
        .selectFrom('plan_assignment')
        .select('id')
        .where('task_id', '=', a.task_id)
        .where('unit_id', '=', u.id)
        .executeTakeFirst();
      if (exists) continue;
      const cid = timeOrderedId();
      made.push(cid);
      await trx
        .insertInto('plan_assignment')
        .values({ id: cid, plan_id: a.plan_id, task_id: a.task_id, unit_id: u.id, parent_id: a.id })
        .execute();
      await notifyUnit(trx, u.id, UNIT_ROLES, {
        kind: 'plan.assigned',
        title: `新任务：${task.title}`,
        body: `${a.unit_name}分解下达，完成时限 ${task.due_on}`,
        link: `/plans/assignments/${cid}`,
        objectType: 'plan_assignment',
        objectId: cid,
      });
    }
    await recordAudit(trx, origin, {
      action: 'plan.assignment.split',
      objectType: 'plan_assignment',
      objectId: id,
      unitId: a.unit_id,
      after: { children: made, unitIds },
    });
  });
  return getAssignment(ctx, actor, id);
}

export async function setPerson(
  ctx: AppContext,
  actor: Actor,
  id: string,
  userId: string | null,
  origin: AuditOrigin,
) {
  const a = await repo.findAssignment(ctx.db, actor, id);
  if (!a) throw notFound(ASSIGNMENT);
  if (!planPolicy.canReport(actor, { path: a.unit_path })) throw forbidden();
  await ctx.db.transaction().execute(async (trx) => {
    if (userId) {
      const u = await trx
        .selectFrom('app_user as pu')
        .innerJoin('unit as uu', 'uu.id', 'pu.unit_id')
        .select('pu.id')
        .where('pu.id', '=', userId)
        .where('uu.path', 'like', `${a.unit_path}%`)
        .executeTakeFirst();
      if (!u)
        throw badRequest('PLAN_PERSON', {
          zh: '责任人须为本单位的用户',
          en: 'The person must be a user of the unit',
        });
    }
    const before = await trx
      .selectFrom('plan_assignment')
      .select('person_user_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await trx.updateTable('plan_assignment').set({ person_user_id: userId }).where('id', '=', id).execute();
    if (userId)
      await notifyUsers(trx, [userId], {
        kind: 'plan.person',
        title: `您被指定为任务责任人：${a.plan_title}`,
        link: `/plans/assignments/${id}`,
        objectType: 'plan_assignment',
        objectId: id,
      });
    await recordAudit(trx, origin, {
      action: 'plan.assignment.person',
      objectType: 'plan_assignment',
      objectId: id,
      unitId: a.unit_id,
      before,
      after: { person_user_id: userId },
    });
  });
  return getAssignment(ctx, actor, id);
}

export async function addReport(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: PlanReportCreate,
  origin: AuditOrigin,
  today = chinaToday(),
) {
  const input = PlanReportCreateSchema.parse(body);
  const a = await repo.findAssignment(ctx.db, actor, id);
  if (!a) throw notFound(ASSIGNMENT);
  if (!planPolicy.canReport(actor, { path: a.unit_path })) throw forbidden();
  await ctx.db.transaction().execute(async (trx) => {
    if (input.milestoneId) {
      const m = await trx
        .selectFrom('plan_milestone')
        .select('id')
        .where('id', '=', input.milestoneId)
        .where('task_id', '=', a.task_id)
        .executeTakeFirst();
      if (!m)
        throw badRequest('PLAN_MILESTONE', {
          zh: '所选节点不属于该任务',
          en: 'The milestone is not the task’s',
        });
    }
    const fileIds = await assertFiles(trx, actor, input.fileIds, a.unit_id);
    const rid = timeOrderedId();
    await trx
      .insertInto('plan_report')
      .values({
        id: rid,
        assignment_id: id,
        reported_on: today,
        text: input.text,
        value: input.value ?? null,
        milestone_id: input.milestoneId ?? null,
        completed: input.completed,
        file_ids: fileIds,
        reported_by: actor.userId,
        reported_by_name: actor.via === 'system' ? null : actor.displayName,
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'plan.report.create',
      objectType: 'plan_report',
      objectId: rid,
      unitId: a.unit_id,
      after: { assignmentId: id, ...input },
    });
  });
  return getAssignment(ctx, actor, id, today);
}
