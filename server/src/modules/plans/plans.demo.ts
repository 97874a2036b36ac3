/**
 * The plans module's demo data: 四平市 this year's 教育工作要点 (35 tasks in 7 chapters after seed 002, with seed
 * 001's hard targets), assigned to every county (a few to the city bureau's own offices), two tasks split
 * by the first county to its schools with named responsible people, months of progress reports (most on
 * time, some late or silent, some values short of their targets), one dispatch meeting last month,
 * supervision notices in each state (one escalated into the findings ledger), and this year's county
 * assessment with its period open and ready to score; this year's 目标管理责任书 signed by most counties (a few
 * missing, one returned). Deterministic from the seed; a no-op once a plan exists.
 */
import { PlanTaskCreate } from '@dudao/contracts';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { seededRng } from '../../demo/rng.js';
import { Readable } from 'node:stream';
import { createRound, returnSigning, signAgreement } from './plans.agreements.js';
import { createPeriod, createScheme, setEntry } from './plans.assess.js';
import { recordMeeting } from './plans.dispatch.js';
import { answerNotice, createNotice, escalateNotices } from './plans.notices.js';
import * as repo from './plans.repository.js';
import { DEMO_CHAPTERS, REPORT_TEXTS } from './plans.demo.data.js';
import { evaluate, statusTaskOf } from './plans.evaluate.js';
import { insertTask } from './plans.service.js';
import { parseTarget, reportDueDates } from './plans.status.js';
import { rootUnit } from '../../platform/access/scope.js';

export async function seedPlanDemo(
  ctx: AppContext,
  opts: { seed: number; scale: 'small' | 'city' | 'province'; today?: string },
): Promise<void> {
  const any = await ctx.db.selectFrom('plan').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const city = await rootUnit(ctx.db);
  if (!city) return;
  const rng = seededRng(opts.seed + 8);
  const today = opts.today ?? chinaToday();
  const year = Number(today.slice(0, 4));
  const sys = systemActor('dudao demo');
  const origin = { actor: sys, ip: null, requestId: null };
  const counties = await ctx.db
    .selectFrom('unit')
    .select(['id', 'name', 'path'])
    .where('parent_id', '=', city.id)
    .where('kind', '=', 'county_bureau')
    .orderBy('code')
    .execute();
  if (counties.length === 0) return;
  const first = counties[0]!;
  const schools = await ctx.db
    .selectFrom('unit')
    .select(['id', 'name'])
    .where('parent_id', '=', first.id)
    .where('kind', '=', 'school')
    .orderBy('code')
    .limit(3)
    .execute();
  const people = await ctx.db
    .selectFrom('app_user')
    .select(['id', 'unit_id'])
    .where('unit_id', 'in', [...counties.map((c) => c.id), ...schools.map((s) => s.id)])
    .where('disabled_at', 'is', null)
    .orderBy('username')
    .execute();
  const personOf = (unitId: string) => people.find((p) => p.unit_id === unitId)?.id ?? null;

  const planId = timeOrderedId();
  const startsOn = `${year}-01-01`;
  const endsOn = `${year}-12-31`;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('plan')
      .values({
        id: planId,
        owner_unit_id: city.id,
        title: `${city.name.replace(/教育局$/, '')}${year}年教育工作要点`,
        kind: 'annual',
        year,
        starts_on: startsOn,
        ends_on: endsOn,
      })
      .execute();
    let seq = 0;
    for (const [ci, ch] of DEMO_CHAPTERS.entries()) {
      const chapterId = timeOrderedId();
      await trx
        .insertInto('plan_chapter')
        .values({ id: chapterId, plan_id: planId, seq: ci + 1, title: ch.title })
        .execute();
      for (const t of ch.tasks) {
        seq += 1;
        const input = PlanTaskCreate.parse({
          chapterId,
          seq,
          title: t.title,
          description: t.description,
          leadOffice: t.lead,
          coOffices: t.co,
          startsOn,
          dueOn: `${year}-${t.due}`,
          reportCycle: t.cycle,
          milestones: t.milestones?.map(([title, md]) => ({ title, dueOn: `${year}-${md}` })),
          unitIds: t.to === 'counties' ? counties.map((c) => c.id) : [],
        });
        const r = await insertTask(
          trx,
          { id: planId, owner_unit_id: city.id, owner_path: city.path, starts_on: startsOn },
          input,
          t.target ? parseTarget(t.target) : null,
        );
        // The first county splits 课后服务 and 研学 to its schools, each with a responsible person.
        if ((seq === 13 || seq === 15) && schools.length) {
          const parent = await trx
            .selectFrom('plan_assignment')
            .select('id')
            .where('task_id', '=', r.taskId)
            .where('unit_id', '=', first.id)
            .executeTakeFirstOrThrow();
          for (const s of schools)
            await trx
              .insertInto('plan_assignment')
              .values({
                id: timeOrderedId(),
                plan_id: planId,
                task_id: r.taskId,
                unit_id: s.id,
                parent_id: parent.id,
                person_user_id: personOf(s.id),
              })
              .execute();
        }
      }
    }
    // The plan was handed out at the start of the year: every report since January is due.
    await trx
      .updateTable('plan_assignment')
      .set({ created_at: `${startsOn}T00:00:00+08:00` })
      .where('plan_id', '=', planId)
      .execute();
    for (const c of counties)
      await trx
        .updateTable('plan_assignment')
        .set({ person_user_id: personOf(c.id) })
        .where('plan_id', '=', planId)
        .where('unit_id', '=', c.id)
        .execute();

    // Progress: most units report on time; a few are late or silent; values move towards the targets.
    const data = await repo.loadPlanData(trx, [planId], null);
    const rows: {
      id: string;
      assignment_id: string;
      reported_on: string;
      text: string;
      value: number | null;
      milestone_id: string | null;
      completed: boolean;
      reported_by_name: string;
    }[] = [];
    for (const a of data.assignments) {
      const task = data.tasks.find((t) => t.id === a.task_id)!;
      const st = statusTaskOf(task, data.milestones);
      const roll = rng();
      const profile = roll < 0.68 ? 'good' : roll < 0.86 ? 'slow' : 'silent';
      const dues = reportDueDates(st).filter((d) => d < today);
      const span = Math.max(1, (Date.parse(task.due_on) - Date.parse(task.starts_on)) / 86_400_000);
      const stop = profile === 'silent' ? Math.max(0, dues.length - 2) : dues.length;
      for (const [i, d] of dues.slice(0, stop).entries()) {
        const on = profile === 'slow' && i % 3 === 2 ? addDays(d, 4) : addDays(d, -Math.floor(rng() * 4));
        if (on >= today) continue;
        const elapsed = Math.min(1, (Date.parse(on) - Date.parse(task.starts_on)) / 86_400_000 / span);
        let value: number | null = null;
        if (st.target) {
          const pace = profile === 'good' ? 0.95 + rng() * 0.15 : 0.55 + rng() * 0.15;
          value =
            st.target.op === '<=' || st.target.op === '<'
              ? Math.round(
                  st.target.value * (profile === 'good' ? 0.8 + rng() * 0.15 : 1.05 + rng() * 0.2) * 10,
                ) / 10
              : Math.round(Math.min(st.target.value * 1.02, st.target.value * elapsed * pace) * 10) / 10;
          if (task.target_unit === '人次' || task.target_unit === '所') value = Math.round(value);
        }
        const milestone = st.milestones.find((m) => m.dueOn <= d && m.dueOn > (dues[i - 1] ?? '0000'));
        const last = i === dues.length - 1;
        const completed =
          last && d === task.due_on && profile !== 'silent' && !(profile === 'slow' && rng() < 0.5);
        rows.push({
          id: timeOrderedId(),
          assignment_id: a.id,
          reported_on: on,
          text: completed
            ? '各项工作已全部完成，总结材料已报送。'
            : REPORT_TEXTS[Math.floor(rng() * REPORT_TEXTS.length)]!,
          value,
          milestone_id: milestone && profile !== 'slow' ? milestone.id : null,
          completed,
          reported_by_name: a.unit_name.replace(/教育局$/, '') + '教育局',
        });
      }
    }
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('plan_report')
        .values(rows.slice(i, i + 500))
        .execute();
  });

  // A dispatch meeting last month, so the view shows what changed since.
  const meetingDay = addDays(today, -Math.min(30, Number(today.slice(5, 7)) > 1 ? 30 : 0));
  if (meetingDay >= startsOn)
    await recordMeeting(
      ctx,
      sys,
      planId,
      { heldOn: meetingDay, title: `${Number(meetingDay.slice(5, 7))}月份重点工作调度会` },
      origin,
      today,
    );

  // 督办单 on lagging county assignments: two open, one answered, one unanswered past its deadline (escalated).
  const data = await repo.loadPlanData(ctx.db, [planId], null);
  const ev = evaluate(data, today);
  const lagging = [...ev.assignment.values()]
    .filter(
      (e) =>
        !e.a.parent_id &&
        e.a.unit_id !== city.id &&
        ['behind', 'overdue', 'at_risk'].includes(e.computed.status),
    )
    .sort((x, y) => x.task.seq - y.task.seq || x.a.unit_code.localeCompare(y.a.unit_code));
  const pickN = lagging.filter((_, i) => i % Math.max(1, Math.floor(lagging.length / 4)) === 0).slice(0, 4);
  for (const [i, e] of pickN.entries()) {
    const issued = i === 3 ? addDays(today, -25) : addDays(today, -5 - i);
    if (issued < startsOn) continue;
    const deadline = i === 3 ? addDays(today, -10) : addDays(today, 7 + i);
    const n = await createNotice(
      ctx,
      sys,
      {
        assignmentId: e.a.id,
        requirement: '请于期限内说明滞后原因，提出整改措施和完成时间，并报送佐证材料。',
        deadline,
      },
      origin,
      issued,
    );
    if (i === 2)
      await answerNotice(
        ctx,
        sys,
        n.id,
        { answer: '已召开专题会议研究，明确分管领导和责任股室，确保本月底前完成。' },
        origin,
        addDays(issued, 2),
      );
  }
  await escalateNotices(ctx, origin, today);

  // This year's county assessment, with its period open and some items scored by hand.
  const scheme = await createScheme(
    ctx,
    sys,
    {
      ownerUnitId: city.id,
      year,
      unitKind: 'county_bureau',
      name: `${year}年度县（市）区教育工作目标责任考评`,
      items: [
        { kind: 'task_completion', name: '重点任务完成情况', weight: 40 },
        { kind: 'target_achievement', name: '量化目标达成情况', weight: 20 },
        { kind: 'report_timeliness', name: '进度报送及时性', weight: 10 },
        { kind: 'rectification_rate', name: '督导问题整改率', weight: 20 },
        { kind: 'manual', name: '工作实绩与创新', weight: 10 },
        { kind: 'bonus', name: '获省级以上表彰', weight: 5 },
        { kind: 'deduction', name: '被通报批评', weight: 5 },
        { kind: 'veto', name: '发生重大安全责任事故', weight: 0, vetoMode: 'void' },
        { kind: 'veto', name: '发生严重师德师风问题', weight: 0, vetoMode: 'cap', vetoCap: 59 },
      ],
    },
    origin,
  );
  const withPeriod = await createPeriod(
    ctx,
    sys,
    { schemeId: scheme.id, planId, label: `${year}年度`, startsOn, endsOn },
    origin,
  );
  const periodId = withPeriod.periods[0]!.id;
  const manual = scheme.items.find((i) => i.kind === 'manual')!;
  for (const [i, c] of counties.entries())
    if (i < counties.length - 1)
      await setEntry(
        ctx,
        sys,
        periodId,
        {
          unitId: c.id,
          itemId: manual.id,
          points: 6 + Math.floor(rng() * 5),
          reason: '年度工作实绩材料评审',
        },
        origin,
        today,
      );
  const bonus = scheme.items.find((i) => i.kind === 'bonus')!;
  await setEntry(
    ctx,
    sys,
    periodId,
    { unitId: first.id, itemId: bonus.id, points: 3, reason: '获评省级义务教育优质均衡发展先进县' },
    origin,
    today,
  );
  if (counties.length > 1) {
    const ded = scheme.items.find((i) => i.kind === 'deduction')!;
    await setEntry(
      ctx,
      sys,
      periodId,
      { unitId: counties[1]!.id, itemId: ded.id, points: 2, reason: '校外培训治理工作被市政府通报' },
      origin,
      today,
    );
  }
  await seedAgreementDemo(ctx, city, counties, today);
}

/** A one-page PDF standing in for a scanned, signed agreement. */
function demoPdf(unitName: string): Buffer {
  const text = `Signed agreement - ${unitName.length} chars`;
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n` +
      `4 0 obj<</Length ${text.length + 24}>>stream\nBT /F1 12 Tf 72 760 Td (${text}) Tj ET\nendstream endobj\n` +
      `trailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

/** This year's 目标管理责任书 from the city to every county: most signed, the last two not yet, one returned. */
async function seedAgreementDemo(
  ctx: AppContext,
  city: { id: string },
  counties: { id: string; name: string }[],
  today: string,
) {
  const sys = systemActor('dudao demo');
  const origin = { actor: sys, ip: null, requestId: null };
  const year = Number(today.slice(0, 4));
  const round = await createRound(
    ctx,
    sys,
    {
      issuerUnitId: city.id,
      kindId: GOAL_KIND,
      year,
      unitKind: 'county_bureau',
      dueOn: `${year}-03-31` < today ? `${year}-03-31` : today,
      note: '请各县（市）区教育局主要负责同志签字并加盖公章后，扫描上传。',
    },
    origin,
  );
  const missing = Math.min(2, Math.max(1, Math.floor(counties.length / 4)));
  for (const [i, c] of counties.entries()) {
    if (i >= counties.length - missing) continue;
    const s = round.signings.find((x) => x.unit.id === c.id);
    if (!s) continue;
    const day = `${year}-02-${String(10 + (i % 15)).padStart(2, '0')}`;
    await signAgreement(
      ctx,
      sys,
      s.id,
      {
        signedOn: day < today ? day : today,
        signerName: `${c.name.replace(/教育局$/, '')}教育局局长`,
        signerRole: '局长',
      },
      { source: Readable.from([demoPdf(c.name)]), fileName: `${c.name}${year}年目标管理责任书.pdf` },
      origin,
      today,
    );
    if (i === 1) await returnSigning(ctx, sys, s.id, '签订文本缺少单位公章，请加盖公章后重新上传。', origin);
  }
}
const GOAL_KIND = '00000000-0000-7000-8000-00000000a001';
