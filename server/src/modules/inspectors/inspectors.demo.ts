/**
 * Demo data of the responsibility inspectors, on top of the demo city (which creates one inspector per
 * county with five schools, and a city inspector): profiles, each county's hotline, visits of the previous
 * and the current term (some behind on purpose, some with problems that go to the ledger), and 督导意见书
 * in every state. Deterministic from the seed; does nothing when visits exist already.
 */
import { ROUTINE_ITEMS, VISIT_METHODS, type RoutineItem, type VisitMethod } from '@dudao/contracts';
import { systemActor } from '../../platform/access/actor.js';
import { previousTerm, termOf } from '../../platform/calendar/terms.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { seededRng } from '../../demo/rng.js';
import * as inspectors from './inspectors.service.js';
import * as opinionService from './inspectors.opinions.service.js';

const PROBLEMS: Record<RoutineItem, string[]> = {
  school_affairs: ['校务公开栏内容未及时更新', '“三重一大”事项会议记录不完整'],
  enrolment_fees: ['收费公示牌未标明收费依据', '招生简章未在规定时间公开'],
  curriculum: ['三年级每周科学课少于规定课时', '劳动教育课程未排入课表'],
  burden: ['部分班级书面作业时间超过规定', '大课间活动时间不足30分钟'],
  ethics: ['师德师风承诺书未全员签订'],
  campus_safety: ['东侧围墙有破损，未设置警示标志', '门卫室未配备防刺背心'],
  canteen_dorm: ['食堂留样记录不全', '直饮水设备滤芯更换记录缺失'],
  ethos: ['校训、校风标识陈旧，需更新'],
};

export async function generateInspectorDemo(
  ctx: AppContext,
  opts: { seed: number; today?: string },
): Promise<{ visits: number; opinions: number }> {
  const any = await ctx.db.selectFrom('inspector_visit').select('id').limit(1).executeTakeFirst();
  if (any) return { visits: 0, opinions: 0 };
  const rng = seededRng(opts.seed + 5);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const today = opts.today ?? chinaToday();
  const sys = systemActor('dudao demo');
  const origin = { actor: sys, ip: null, requestId: null };

  const people = await ctx.db
    .selectFrom('user_role as r')
    .innerJoin('app_user as u', 'u.id', 'r.user_id')
    .innerJoin('unit', 'unit.id', 'r.unit_id')
    .select([
      'u.id',
      'u.display_name',
      'u.phone',
      'unit.id as unit_id',
      'unit.kind',
      'unit.name as unit_name',
    ])
    .where('r.role', '=', 'inspector')
    .orderBy('u.username')
    .execute();
  for (const [i, p] of people.entries()) {
    await inspectors.updateProfile(
      ctx,
      sys,
      p.id,
      {
        employment: p.kind === 'city_bureau' || i % 3 === 0 ? 'full_time' : 'part_time',
        title: pick(['督导室副主任', '退休校长', '教研员', '中学高级教师']),
        employer: p.unit_name,
        phone: p.phone ?? `139${String(40000000 + i * 7919).padStart(8, '0')}`,
        specialty: pick(['中小学教育管理', '学校安全', '课程与教学', '德育工作']),
        certificateNo: `吉督${2024 + (i % 3)}${String(i + 1).padStart(3, '0')}`,
        appointedOn: `${2023 + (i % 3)}-09-01`,
      },
      origin,
    );
    if (p.kind === 'county_bureau')
      await inspectors.updateSettings(
        ctx,
        sys,
        {
          unitId: p.unit_id,
          visitsPerTerm: 2,
          maxSchools: 5,
          hotline: `0434-32${String(10000 + i * 37).slice(-5)}`,
        },
        origin,
      );
  }

  const assignments = await ctx.db
    .selectFrom('inspector_school')
    .select(['user_id', 'school_id'])
    .orderBy('user_id')
    .orderBy('school_id')
    .execute();
  const current = termOf(today);
  const previous = previousTerm(current);
  const oldest = addDays(today, -360);
  const days = (from: string, to: string) =>
    Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000));
  let visits = 0;
  let opinions = 0;
  for (const a of assignments) {
    const plan: string[] = [];
    // The previous term: mostly two visits, sometimes one (behind).
    const prevStart = previous.start < oldest ? oldest : previous.start;
    const prevCount = rng() < 0.8 ? 2 : 1;
    for (let k = 0; k < prevCount; k++)
      plan.push(addDays(prevStart, Math.floor(rng() * days(prevStart, previous.end))));
    // This term so far: none, one or two.
    const span = days(current.start, today);
    const curCount = span < 20 ? 0 : rng() < 0.25 ? 0 : rng() < 0.6 ? 1 : 2;
    for (let k = 0; k < curCount; k++) plan.push(addDays(current.start, Math.floor(rng() * span)));
    for (const visitDate of plan.sort()) {
      const looked = ROUTINE_ITEMS.filter(() => rng() < 0.6);
      if (looked.length === 0) looked.push(pick(ROUTINE_ITEMS));
      const problem = rng() < 0.35 ? pick(looked) : null;
      const methods = [
        ...new Set<VisitMethod>([pick(VISIT_METHODS.slice(0, 4)), pick(VISIT_METHODS.slice(0, 5))]),
      ];
      const id = timeOrderedId();
      const { visit } = await inspectors.createVisit(
        ctx,
        sys,
        {
          id,
          schoolId: a.school_id,
          inspectorId: a.user_id,
          visitDate,
          methods,
          items: looked.map((item) =>
            item === problem
              ? {
                  item,
                  result: 'problem' as const,
                  notes: pick(PROBLEMS[item]),
                  severity: rng() < 0.2 ? ('major' as const) : ('general' as const),
                }
              : { item, result: 'ok' as const },
          ),
          summary: problem
            ? '学校整体运转正常，发现个别问题，已当场反馈学校并要求限期整改。'
            : '学校各项工作运转正常，未发现明显问题。',
        },
        origin,
      );
      visits++;
      if (problem && rng() < 0.7) {
        const o = await opinionService.createOpinion(
          ctx,
          sys,
          visit.id,
          {
            content: `${visit.schoolName}：本次督导发现的问题已列明，请学校高度重视，认真整改。`,
            requirements: '一、明确责任人；二、建立整改台账；三、按期报送整改报告。',
            deadline: addDays(today, 5 + Math.floor(rng() * 25)),
          },
          origin,
        );
        opinions++;
        const r = rng();
        if (r < 0.6)
          await opinionService.submitReport(
            ctx,
            sys,
            o.id,
            { text: '已按督导意见完成整改，建立长效机制。' },
            origin,
          );
        if (r < 0.3)
          await opinionService.verifyReport(ctx, sys, o.id, { accept: true, note: '整改到位' }, origin);
        else if (r < 0.4)
          await opinionService.verifyReport(
            ctx,
            sys,
            o.id,
            { accept: false, reason: '整改报告缺少佐证材料' },
            origin,
          );
      }
    }
  }
  return { visits, opinions };
}
