/**
 * The status of an assignment, computed from its task's dates and milestones, its reports and values —
 * never stored. Pure functions with an injectable "today", so the rule can be tested at date boundaries.
 * The rule is written down in docs/plans.md; keep the two in step.
 */
import type { PlanTarget, ReportCycle, TargetOp, TaskStatus } from '@dudao/contracts';
import { addDays } from '../../platform/dates.js';

export interface StatusTask {
  startsOn: string;
  dueOn: string;
  reportCycle: ReportCycle;
  target: Pick<PlanTarget, 'op' | 'value'> | null;
  milestones: { id: string; title: string; dueOn: string }[];
  /**
   * The day the unit was given the task (the assignment's creation, i.e. the plan's import or the split),
   * China time. Periods that ended before it are not due: a task handed out in September owes no report for
   * August. Absent: everything from the start is due.
   */
  assignedOn?: string;
}
export interface StatusReport {
  reportedOn: string;
  value: number | null;
  milestoneId: string | null;
  completed: boolean;
}
export interface Computed {
  status: TaskStatus;
  reason: string;
}

/** Days before the deadline from which an unfinished task is at risk. */
export const RISK_DAYS = 14;
/** Expected progress minus actual progress (0–1) above which a task is at risk, and behind. */
export const RISK_GAP = 0.1;
export const BEHIND_GAP = 0.25;
/** Reports of a month (a quarter) are due on this day of the month after it. */
export const REPORT_DAY = 5;

export const SEVERITY: Record<TaskStatus, number> = {
  done: 0,
  on_track: 1,
  at_risk: 2,
  behind: 3,
  overdue: 4,
};

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** Whether a value meets a target. */
export function meets(op: TargetOp, value: number, target: number): boolean {
  const eps = 1e-9;
  switch (op) {
    case '>=':
      return value >= target - eps;
    case '<=':
      return value <= target + eps;
    case '>':
      return value > target;
    case '<':
      return value < target;
    case '=':
      return Math.abs(value - target) < eps;
  }
}

function monthStarts(from: string, to: string, stepMonths: number, months?: number[]): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (let i = 0; i < 400; i++) {
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    const d = `${y}-${String(m).padStart(2, '0')}-${String(REPORT_DAY).padStart(2, '0')}`;
    if (d > to) break;
    if (d > from && (!months || months.includes(m))) out.push(d);
  }
  void stepMonths;
  return out;
}

/**
 * The dates reports are due: monthly — the 5th of every month after the start; quarterly — the 5th of
 * January, April, July and October; per milestone — each milestone's date; always the deadline itself.
 * Nothing is due for a period that ended before the unit was given the task (`assignedOn`): a monthly or
 * quarterly date covers the month (quarter) that ends the day before its month begins, so it is due only
 * when that period reaches the assignment day; a milestone or the deadline only when it falls on or after it.
 */
export function reportDueDates(task: StatusTask): string[] {
  let dates: string[];
  const from = task.assignedOn ?? '0000-00-00';
  if (task.reportCycle === 'monthly') dates = monthStarts(task.startsOn, task.dueOn, 1);
  else if (task.reportCycle === 'quarterly') dates = monthStarts(task.startsOn, task.dueOn, 3, [1, 4, 7, 10]);
  else dates = task.milestones.map((m) => m.dueOn).filter((d) => d >= task.startsOn && d <= task.dueOn);
  // A periodic date YYYY-MM-05 covers a period ending YYYY-MM-01 minus a day: due when YYYY-MM-01 > from.
  const periodic = task.reportCycle !== 'milestone';
  dates = dates.filter((d) => (periodic ? `${d.slice(0, 8)}01` > from : d >= from));
  return [...new Set([...dates, ...(task.dueOn >= from ? [task.dueOn] : [])])].sort();
}

export interface Timeliness {
  /** Due dates already passed (before today), up to completion. */
  due: number;
  onTime: number;
  late: number;
  missed: number;
  /** The next due date on or after today, if the task is not done. */
  next: string | null;
  /** The most recent passed due date with no report in its window. */
  lastMissed: string | null;
}

/**
 * For each due date passed before today: on time when a report falls in its window (after the previous due
 * date, up to and including this one); late when a report not counted yet came after it, before the next
 * due date (that report then answers this date, not the next); missed otherwise. Nothing is due after the
 * report that completed the task.
 */
export function timeliness(task: StatusTask, reports: StatusReport[], today: string): Timeliness {
  const days = reports.map((r) => r.reportedOn).sort();
  const completedOn =
    reports
      .filter((r) => r.completed)
      .map((r) => r.reportedOn)
      .sort()[0] ?? null;
  const dues = reportDueDates(task);
  const t: Timeliness = { due: 0, onTime: 0, late: 0, missed: 0, next: null, lastMissed: null };
  let prev = '0000-00-00';
  // Each report answers one due date: on time in its window, or late for the one before it.
  const used = new Set<number>();
  const unusedIn = (from: string, to: string) =>
    days.map((x, i) => [x, i] as const).filter(([x, i]) => !used.has(i) && x > from && x <= to);
  for (let i = 0; i < dues.length; i++) {
    const d = dues[i]!;
    if (completedOn && completedOn <= prev) break;
    if (d >= today) {
      if (!completedOn) t.next = d;
      break;
    }
    t.due += 1;
    const inWindow = unusedIn(prev, d);
    if (inWindow.length > 0) {
      t.onTime += 1;
      for (const [, j] of inWindow) used.add(j);
    } else {
      const next = dues[i + 1] ?? '9999-12-31';
      const late = unusedIn(d, next).filter(([x]) => x < today)[0];
      if (late) {
        t.late += 1;
        used.add(late[1]);
      } else {
        t.missed += 1;
        t.lastMissed = d;
      }
    }
    prev = d;
  }
  return t;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** Progress towards a "more is better" target (≥, >), 0–1; null for other targets or no value. */
export function progressOf(target: StatusTask['target'], value: number | null): number | null {
  if (!target || value === null || (target.op !== '>=' && target.op !== '>') || target.value <= 0)
    return null;
  return Math.max(0, Math.min(1, value / target.value));
}

/**
 * The rule, first match wins:
 * 1. done — a report marked the task completed, or the latest value meets the target and every milestone
 *    was reported reached;
 * 2. overdue — today is after the deadline;
 * 3. behind — a milestone's date has passed (before today) without a report reaching it, or progress
 *    towards a ≥ target trails the time elapsed by more than 25 points;
 * 4. at risk — a report due date passed with no report, progress trails by more than 10 points, a
 *    milestone falls within 7 days unreached, or the deadline is within 14 days;
 * 5. on track.
 */
export function computeStatus(task: StatusTask, reports: StatusReport[], today: string): Computed {
  const sorted = [...reports].sort((a, b) => a.reportedOn.localeCompare(b.reportedOn));
  const done = sorted.find((r) => r.completed);
  if (done) return { status: 'done', reason: `已于 ${done.reportedOn} 报告完成` };
  const valued = sorted.filter((r) => r.value !== null);
  const latest = valued.at(-1)?.value ?? null;
  const reached = new Set(sorted.map((r) => r.milestoneId).filter((x): x is string => !!x));
  const unreached = task.milestones.filter((m) => !reached.has(m.id));
  if (
    task.target &&
    latest !== null &&
    meets(task.target.op, latest, task.target.value) &&
    unreached.length === 0
  )
    return { status: 'done', reason: `目标已达成（最新值 ${latest}）` };
  if (today > task.dueOn)
    return {
      status: 'overdue',
      reason: `已超过完成时限 ${task.dueOn}（逾期 ${daysBetween(task.dueOn, today)} 天）`,
    };
  const missedMilestone = unreached
    .filter((m) => m.dueOn < today)
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];
  if (missedMilestone)
    return {
      status: 'behind',
      reason: `节点“${missedMilestone.title}”应于 ${missedMilestone.dueOn} 完成，尚未报告完成`,
    };
  const span = Math.max(1, daysBetween(task.startsOn, task.dueOn));
  const elapsed = Math.max(0, Math.min(1, daysBetween(task.startsOn, today) / span));
  const progress = progressOf(task.target, latest);
  const gap = progress === null ? null : elapsed - progress;
  if (gap !== null && gap > BEHIND_GAP)
    return { status: 'behind', reason: `目标完成 ${pct(progress!)}，时间已过 ${pct(elapsed)}` };
  const t = timeliness(task, sorted, today);
  if (t.lastMissed) return { status: 'at_risk', reason: `${t.lastMissed} 应报送进度，未报送` };
  if (gap !== null && gap > RISK_GAP)
    return { status: 'at_risk', reason: `目标完成 ${pct(progress!)}，时间已过 ${pct(elapsed)}` };
  const soon = unreached.find((m) => m.dueOn >= today && m.dueOn <= addDays(today, 7));
  if (soon) return { status: 'at_risk', reason: `节点“${soon.title}”将于 ${soon.dueOn} 到期，尚未完成` };
  if (task.dueOn <= addDays(today, RISK_DAYS))
    return { status: 'at_risk', reason: `距完成时限 ${task.dueOn} 不足 ${RISK_DAYS} 天，尚未完成` };
  const last = sorted.at(-1);
  return {
    status: 'on_track',
    reason: last ? `按计划推进（${last.reportedOn} 已报送）` : '按计划推进',
  };
}

/** The worst of several statuses (all done → done). */
export function worst(items: Computed[], label: (i: number) => string): Computed {
  if (items.length === 0) return { status: 'on_track', reason: '尚未分解到责任单位' };
  let w = 0;
  for (let i = 1; i < items.length; i++) if (SEVERITY[items[i]!.status] > SEVERITY[items[w]!.status]) w = i;
  const top = items[w]!;
  if (top.status === 'done') return { status: 'done', reason: '各责任单位均已完成' };
  const same = items.filter((x) => x.status === top.status).length;
  const who = label(w);
  return {
    status: top.status,
    reason: same > 1 ? `${who}等 ${same} 个单位：${top.reason}` : `${who}：${top.reason}`,
  };
}

// ---------- targets from text ----------

const OPS: [RegExp, TargetOp][] = [
  [/^(≥|>=|不低于|不少于|至少|达到|达|不小于|超过等于)/, '>='],
  [/^(≤|<=|不高于|不超过|不多于|控制在|不大于)/, '<='],
  [/^(>|高于|超过|多于|大于)/, '>'],
  [/^(<|低于|少于|小于)/, '<'],
  [/^(=|＝|为|完成|新增|新建)/, '='],
];

/**
 * Parses a target as written in a plan: “学前三年毛入园率≥93%”, “不低于87%”, “182所”, “研学10万人次”,
 * “民办义务教育在校生占比不超过5%”. The number may carry 万/亿; the unit is what follows it. A bare
 * count (“182所”) is “at least”. Returns null when no number is found.
 */
export function parseTarget(text: string, indicatorDefault = ''): PlanTarget | null {
  const t = text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/以内|以上|以下$/g, '');
  const m = /^(.*?)([0-9]+(?:\.[0-9]+)?)(万|亿)?(.*)$/.exec(t);
  if (!m) return null;
  let before = m[1]!;
  let op: TargetOp = '>=';
  for (const [re, o] of OPS) {
    const idx = before.search(new RegExp(re.source.slice(1)));
    if (idx >= 0) {
      const hit = new RegExp(re.source.slice(1)).exec(before.slice(idx))![0];
      // “新增”“完成” describe the indicator, and mean the count is to be reached.
      op = o === '=' && /新增|新建|完成|为/.test(hit) ? '>=' : o;
      if (!(o === '=' && /新增|新建|完成/.test(hit)))
        before = before.slice(0, idx) + before.slice(idx + hit.length);
      break;
    }
  }
  const scale = m[3] === '万' ? 10_000 : m[3] === '亿' ? 100_000_000 : 1;
  const value = Number(m[2]) * scale;
  const unit = m[4]!.replace(/[。；;，,]$/, '').slice(0, 12);
  const indicator = (before.replace(/[：:，,]$/, '') || indicatorDefault || '目标值').slice(0, 60);
  return { indicator, op, value, unit, text: text.trim() };
}

export function targetText(t: Pick<PlanTarget, 'indicator' | 'op' | 'value' | 'unit'>): string {
  const sym = { '>=': '≥', '<=': '≤', '=': '=', '>': '>', '<': '<' }[t.op];
  const v = t.value >= 10_000 && t.value % 10_000 === 0 ? `${t.value / 10_000}万` : String(t.value);
  return `${t.indicator}${sym}${v}${t.unit}`;
}
