/**
 * The dispatch-meeting view (调度会): one page per plan with every task's status and reason, the latest
 * report, open 督办单, and what changed since the last meeting (its recorded snapshot of statuses).
 */
import type { PlanDispatch, DispatchRow, TaskStatus } from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest } from '../../platform/errors.js';
import * as repo from './plans.repository.js';
import { evaluate, targetOf, visibleTasks } from './plans.evaluate.js';
import { getPlan, loadManagedPlan } from './plans.service.js';
import { notFound } from '../../platform/errors.js';

interface Snapshot {
  tasks: Record<string, TaskStatus>;
  reports: string[];
}

export async function dispatchView(
  ctx: AppContext,
  actor: Actor,
  planId: string,
  today = chinaToday(),
): Promise<PlanDispatch> {
  const p = await repo.findPlan(ctx.db, actor, planId);
  if (!p) throw notFound({ zh: '工作计划', en: 'Plan' });
  const data = await repo.loadPlanData(ctx.db, [planId], actor);
  const ev = evaluate(data, today);
  const tasks = visibleTasks(actor, p, ev);
  const meetings = await ctx.db
    .selectFrom('plan_meeting')
    .select(['id', 'held_on', 'title', 'snapshot'])
    .where('plan_id', '=', planId)
    .orderBy('held_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const last = meetings[0] ?? null;
  const snap = (last?.snapshot ?? null) as Snapshot | null;
  const seen = new Set(snap?.reports ?? []);
  const notices = await ctx.db
    .selectFrom('plan_notice as n')
    .innerJoin('unit as u', 'u.id', 'n.unit_id')
    .select(['n.no', 'n.task_id', 'n.assignment_id', 'n.deadline', 'u.name as unit_name'])
    .where('n.plan_id', '=', planId)
    .where('n.status', '=', 'open')
    .where(
      'n.assignment_id',
      'in',
      data.assignments.length ? data.assignments.map((a) => a.id) : ['00000000-0000-0000-0000-000000000000'],
    )
    .orderBy('n.deadline')
    .execute();
  const unitOf = new Map(data.assignments.map((a) => [a.id, a.unit_name]));
  const rows: DispatchRow[] = tasks.map((t) => {
    const aIds = new Set(t.assignments.map((a) => a.id));
    const reports = data.reports.filter((r) => aIds.has(r.assignment_id));
    const latest = reports.at(-1);
    const previous = snap ? (snap.tasks[t.id] ?? null) : null;
    const target = targetOf(t);
    return {
      taskId: t.id,
      chapterSeq: t.chapter_seq,
      chapterTitle: t.chapter_title,
      seq: t.seq,
      title: t.title,
      leadOffice: t.lead_office,
      dueOn: t.due_on,
      target: target?.text ?? null,
      status: t.computed.status,
      reason: t.computed.reason,
      latestReport: latest
        ? {
            unitName: unitOf.get(latest.assignment_id) ?? '',
            reportedOn: latest.reported_on,
            text: latest.text,
            value: latest.value,
          }
        : null,
      openNotices: notices
        .filter((n) => n.task_id === t.id)
        .map((n) => ({ no: n.no, unitName: n.unit_name, deadline: n.deadline, overdue: n.deadline < today })),
      previousStatus: previous,
      changed: snap !== null && previous !== t.computed.status,
      reportsSince: snap ? reports.filter((r) => !seen.has(r.id)).length : reports.length,
    };
  });
  const plan = await getPlan(ctx, actor, planId, today);
  const { chapters: _c, taskList: _t, ...planOnly } = plan;
  return {
    plan: planOnly,
    today,
    lastMeeting: last ? { id: last.id, heldOn: last.held_on, title: last.title } : null,
    meetings: meetings.map((m) => ({ id: m.id, heldOn: m.held_on, title: m.title })),
    rows,
  };
}

/** Records a meeting: the date and a snapshot of every task's status and the reports seen. */
export async function recordMeeting(
  ctx: AppContext,
  actor: Actor,
  planId: string,
  input: { heldOn: string; title: string },
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<PlanDispatch> {
  const p = await loadManagedPlan(ctx, actor, planId);
  if (input.heldOn > today)
    throw badRequest('PLAN_MEETING_FUTURE', {
      zh: '调度会日期不能晚于今天',
      en: 'The meeting date cannot be in the future',
    });
  const data = await repo.loadPlanData(ctx.db, [planId], null);
  const ev = evaluate(data, input.heldOn);
  const snapshot: Snapshot = {
    tasks: Object.fromEntries(ev.tasks.map((t) => [t.id, t.computed.status])),
    reports: data.reports.filter((r) => r.reported_on <= input.heldOn).map((r) => r.id),
  };
  await ctx.db.transaction().execute(async (trx) => {
    const id = timeOrderedId();
    await trx
      .insertInto('plan_meeting')
      .values({
        id,
        plan_id: planId,
        held_on: input.heldOn,
        title: input.title,
        snapshot: JSON.stringify(snapshot),
        created_by: actor.userId,
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'plan.meeting.create',
      objectType: 'plan_meeting',
      objectId: id,
      unitId: p.owner_unit_id,
      after: input,
    });
  });
  return dispatchView(ctx, actor, planId, today);
}
