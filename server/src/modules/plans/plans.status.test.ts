/** The status rule at its date boundaries, report due dates and timeliness, and targets read from text. */
import { describe, expect, it } from 'vitest';
import {
  computeStatus,
  parseTarget,
  reportDueDates,
  timeliness,
  worst,
  type StatusReport,
  type StatusTask,
} from './plans.status.js';

const task = (over: Partial<StatusTask> = {}): StatusTask => ({
  startsOn: '2026-01-01',
  dueOn: '2026-06-30',
  reportCycle: 'monthly',
  target: null,
  milestones: [],
  ...over,
});
const rep = (reportedOn: string, over: Partial<StatusReport> = {}): StatusReport => ({
  reportedOn,
  value: null,
  milestoneId: null,
  completed: false,
  ...over,
});
/** Reports on every 5th from February to `until`, on time. */
const monthly = (until: string) =>
  ['2026-02-05', '2026-03-05', '2026-04-05', '2026-05-05', '2026-06-05']
    .filter((d) => d <= until)
    .map((d) => rep(d));

describe('computeStatus at date boundaries', () => {
  it('is overdue from the day after the deadline, not on it', () => {
    const reports = monthly('2026-06-05');
    expect(computeStatus(task(), reports, '2026-06-30').status).toBe('at_risk'); // within 14 days
    const over = computeStatus(task(), reports, '2026-07-01');
    expect(over).toEqual({ status: 'overdue', reason: '已超过完成时限 2026-06-30（逾期 1 天）' });
  });

  it('is at risk from 14 days before the deadline, on track the day before that', () => {
    const reports = monthly('2026-06-05');
    expect(computeStatus(task(), reports, '2026-06-15').status).toBe('on_track');
    expect(computeStatus(task(), reports, '2026-06-16')).toMatchObject({
      status: 'at_risk',
      reason: '距完成时限 2026-06-30 不足 14 天，尚未完成',
    });
  });

  it('is behind once a milestone date has passed unreached (not on its day); reaching it clears it', () => {
    const t = task({ milestones: [{ id: 'm1', title: '出台方案', dueOn: '2026-03-31' }] });
    const reports = monthly('2026-03-05');
    expect(computeStatus(t, reports, '2026-03-31').status).toBe('at_risk'); // due within 7 days, unreached
    expect(computeStatus(t, reports, '2026-04-01')).toEqual({
      status: 'behind',
      reason: '节点“出台方案”应于 2026-03-31 完成，尚未报告完成',
    });
    const reached = [...reports, rep('2026-03-30', { milestoneId: 'm1' })];
    expect(computeStatus(t, reached, '2026-04-01').status).toBe('on_track');
  });

  it('is at risk when a report due date passed without a report: the day after it, not on it', () => {
    const reports = monthly('2026-03-05');
    expect(computeStatus(task(), reports, '2026-04-05').status).toBe('on_track');
    expect(computeStatus(task(), reports, '2026-04-06')).toEqual({
      status: 'at_risk',
      reason: '2026-04-05 应报送进度，未报送',
    });
  });

  it('compares progress towards a ≥ target with the time elapsed', () => {
    const t = task({ startsOn: '2026-01-01', dueOn: '2026-12-31', target: { op: '>=', value: 100 } });
    // On 2026-07-02 half the year has gone (182/364).
    const at = (value: number) =>
      computeStatus(t, [...monthly('2026-06-05'), rep('2026-06-30', { value })], '2026-07-02');
    expect(at(45).status).toBe('on_track');
    expect(at(35)).toMatchObject({ status: 'at_risk', reason: '目标完成 35%，时间已过 50%' });
    expect(at(20)).toMatchObject({ status: 'behind', reason: '目标完成 20%，时间已过 50%' });
    expect(at(100)).toMatchObject({ status: 'done', reason: '目标已达成（最新值 100）' });
  });

  it('is done when a report says so, even after the deadline; a ≤ target is met from below', () => {
    expect(computeStatus(task(), [rep('2026-06-20', { completed: true })], '2026-09-01')).toEqual({
      status: 'done',
      reason: '已于 2026-06-20 报告完成',
    });
    const t = task({ target: { op: '<=', value: 5 } });
    expect(computeStatus(t, [rep('2026-02-05', { value: 5 })], '2026-02-10').status).toBe('done');
    expect(computeStatus(t, [rep('2026-02-05', { value: 5.1 })], '2026-02-10').status).toBe('on_track');
  });

  it('takes the worst status of a task’s assignments, naming the unit', () => {
    expect(
      worst(
        [
          { status: 'done', reason: 'a' },
          { status: 'behind', reason: '滞后' },
        ],
        (i) => ['甲', '乙'][i]!,
      ),
    ).toEqual({ status: 'behind', reason: '乙：滞后' });
    expect(
      worst(
        [
          { status: 'done', reason: 'a' },
          { status: 'done', reason: 'b' },
        ],
        () => 'x',
      ).status,
    ).toBe('done');
  });
});

describe('report due dates and timeliness', () => {
  it('lists the 5th of each month, the quarter months, milestones, and always the deadline', () => {
    expect(reportDueDates(task())).toEqual([
      '2026-02-05',
      '2026-03-05',
      '2026-04-05',
      '2026-05-05',
      '2026-06-05',
      '2026-06-30',
    ]);
    expect(reportDueDates(task({ reportCycle: 'quarterly', dueOn: '2026-12-31' }))).toEqual([
      '2026-04-05',
      '2026-07-05',
      '2026-10-05',
      '2026-12-31',
    ]);
    expect(
      reportDueDates(
        task({ reportCycle: 'milestone', milestones: [{ id: 'm', title: 'x', dueOn: '2026-03-31' }] }),
      ),
    ).toEqual(['2026-03-31', '2026-06-30']);
  });

  it('counts on-time, late and missed reports up to yesterday', () => {
    const reports = [rep('2026-02-05'), rep('2026-03-07'), rep('2026-05-01')];
    const t = timeliness(task(), reports, '2026-05-20');
    // 02-05 on time; 03-07 answers 03-05 late; 05-01 answers 04-05 late; nothing is left for 05-05.
    expect(t).toMatchObject({
      due: 4,
      onTime: 1,
      late: 2,
      missed: 1,
      next: '2026-06-05',
      lastMissed: '2026-05-05',
    });
  });

  it('owes nothing for periods that ended before the assignment was made (a plan imported late)', () => {
    const year = task({ dueOn: '2026-12-31' });
    // Given on 09-20: August's report (due 09-05) is not owed; September's (due 10-05) is.
    expect(reportDueDates({ ...year, assignedOn: '2026-09-20' })).toEqual([
      '2026-10-05',
      '2026-11-05',
      '2026-12-05',
      '2026-12-31',
    ]);
    // The boundary: given on the last day of August, August is owed; on the first of September, it is not.
    expect(reportDueDates({ ...year, assignedOn: '2026-08-31' })[0]).toBe('2026-09-05');
    expect(reportDueDates({ ...year, assignedOn: '2026-09-01' })[0]).toBe('2026-10-05');
    // Quarterly: the third quarter (due 10-05) is owed when given on its last day, not the day after.
    const q = { ...year, reportCycle: 'quarterly' as const };
    expect(reportDueDates({ ...q, assignedOn: '2026-09-30' })).toEqual(['2026-10-05', '2026-12-31']);
    expect(reportDueDates({ ...q, assignedOn: '2026-10-01' })).toEqual(['2026-12-31']);
    // Milestones: those before the assignment day are not report dates; the day itself is.
    const ms = {
      ...year,
      reportCycle: 'milestone' as const,
      milestones: [
        { id: 'a', title: 'a', dueOn: '2026-03-31' },
        { id: 'b', title: 'b', dueOn: '2026-09-20' },
      ],
    };
    expect(reportDueDates({ ...ms, assignedOn: '2026-09-20' })).toEqual(['2026-09-20', '2026-12-31']);
    // A task imported in late September is not at risk for a report nobody could have made.
    const late = { ...year, assignedOn: '2026-09-20' };
    expect(computeStatus(year, [], '2026-09-25')).toMatchObject({ status: 'at_risk' });
    expect(timeliness(year, [], '2026-09-25').missed).toBe(8);
    expect(timeliness(late, [], '2026-09-25')).toMatchObject({ due: 0, missed: 0, next: '2026-10-05' });
    expect(computeStatus(late, [], '2026-09-25')).toMatchObject({ status: 'on_track' });
    expect(computeStatus(late, [], '2026-10-06')).toMatchObject({
      status: 'at_risk',
      reason: '2026-10-05 应报送进度，未报送',
    });
  });
});

describe('targets written in plans', () => {
  it('reads the comparison, the number (with 万), the unit and the indicator', () => {
    expect(parseTarget('学前三年毛入园率≥93%')).toMatchObject({
      indicator: '学前三年毛入园率',
      op: '>=',
      value: 93,
      unit: '%',
    });
    expect(parseTarget('不低于87%')).toMatchObject({ op: '>=', value: 87, unit: '%' });
    expect(parseTarget('182所')).toMatchObject({ op: '>=', value: 182, unit: '所' });
    expect(parseTarget('研学实践参与10万人次')).toMatchObject({
      indicator: '研学实践参与',
      value: 100_000,
      unit: '人次',
    });
    expect(parseTarget('民办义务教育在校生占比不超过5%')).toMatchObject({
      indicator: '民办义务教育在校生占比',
      op: '<=',
      value: 5,
    });
    expect(parseTarget('低于3%')).toMatchObject({ op: '<', value: 3 });
    expect(parseTarget('很多')).toBeNull();
  });
});
