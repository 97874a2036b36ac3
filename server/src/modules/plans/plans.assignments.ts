/**
 * Assignments (任务分解) and progress reports: the unit's own tasks, an assignment with its milestones, reports,
 * children and notices; a county splits its assignment to its schools; a responsible person is named; the
 * responsible unit reports progress with values and evidence.
 */
import type {
  PlanAssignment,
  PlanAssignmentDetail,
  PlanReport,
  PlanReportCreate,
  TaskStatus,
} from '@dudao/contracts';
import { PlanReportCreate as PlanReportCreateSchema } from '@dudao/contracts';
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles, fileInfos } from '../../platform/files/files.service.js';
import { notifyUnit, notifyUsers } from '../../platform/notifications/notifications.service.js';
import { evaluate, targetOf, type Evaluated } from './plans.evaluate.js';
import { planPolicy, UNIT_ROLES } from './plans.policy.js';
import * as repo from './plans.repository.js';
import { timeliness } from './plans.status.js';

const ASSIGNMENT = { zh: '任务分解', en: 'Assignment' };

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

export async function fileNames(ctx: AppContext, reports: repo.ReportData[]) {
  const infos = await fileInfos(
    ctx.db,
    reports.flatMap((r) => r.file_ids),
  );
  return new Map(infos.map((f) => [f.id, f.name]));
}

export function toAssignment(
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
