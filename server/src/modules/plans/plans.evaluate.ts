/**
 * Evaluation of plans: the status of every assignment and task, computed on every read as of a given day
 * (the rule is in plans.status.ts), and what a reader may see of a plan's tasks.
 */
import type { PlanTarget } from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import { chinaToday } from '../../platform/dates.js';
import { planPolicy } from './plans.policy.js';
import type * as repo from './plans.repository.js';
import { computeStatus, targetText, worst, type Computed, type StatusTask } from './plans.status.js';

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
        // Periods that ended before the unit was given the task are not due (a plan imported late).
        const sta: StatusTask = { ...st, assignedOn: chinaToday(a.created_at) };
        const computed = computeStatus(
          sta,
          reports.map((r) => ({
            reportedOn: r.reported_on,
            value: r.value,
            milestoneId: r.milestone_id,
            completed: r.completed,
          })),
          today,
        );
        assignment.set(a.id, { a, task: t, st: sta, computed, reports });
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

/** The tasks a reader sees: all of them for the owner's side; those with a visible assignment otherwise. */
export function visibleTasks(actor: Actor, p: repo.PlanRow, ev: Evaluated) {
  const ownerSide = pathVisible(actor, p.owner_path);
  return ownerSide ? ev.tasks : ev.tasks.filter((t) => t.assignments.length > 0);
}
export function pathVisible(actor: Actor, path: string) {
  return (
    planPolicy.canManage(actor, { path }) ||
    actor.grants.some((g) => path.startsWith(g.path)) ||
    actor.via === 'system'
  );
}
