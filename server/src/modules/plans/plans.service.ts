/**
 * Plans (部署): plans → chapters → numbered tasks with milestones and targets, each task fanned out to its
 * responsible units as assignments (plans.assignments.ts). Status is computed on every read
 * (plans.evaluate.ts, plans.status.ts).
 */
import type {
  PlanCreate,
  PlanDetail,
  Plan,
  PlanTask,
  PlanTaskCreate,
  PlanTarget,
  TaskStatus,
} from '@dudao/contracts';
import { PlanTaskCreate as PlanTaskCreateSchema } from '@dudao/contracts';
import { sql, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { notifyUnit } from '../../platform/notifications/notifications.service.js';
import { fileNames, toAssignment } from './plans.assignments.js';
import { evaluate, pathVisible, targetOf, visibleTasks, type Evaluated } from './plans.evaluate.js';
import { planPolicy, UNIT_ROLES } from './plans.policy.js';
import * as repo from './plans.repository.js';
import { targetText } from './plans.status.js';

const PLAN = { zh: '工作计划', en: 'Plan' };
const UNIT = { zh: '单位', en: 'Unit' };

function emptyCounts(): Record<TaskStatus, number> {
  return { done: 0, on_track: 0, at_risk: 0, behind: 0, overdue: 0 };
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
