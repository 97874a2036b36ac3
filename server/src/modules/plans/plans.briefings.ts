/**
 * Briefings (通报): a document generated per assessment period — the ranking, notable achievements, lagging
 * units and overdue 督办单 — numbered per unit and year, exported to xlsx (and printed to PDF by the
 * browser's A4 print), and published to the assessed units, who are told and find it in their list.
 */
import type { Briefing, BriefingContent, BriefingDetail } from '@dudao/contracts';
import { assessGradeLabel } from './plans.labels.js';
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { recordExport, writeXlsx } from '../../platform/exports/xlsx.js';
import { notifyUnit } from '../../platform/notifications/notifications.service.js';
import { nextNumber } from '../findings/findings.repository.js';
import { periodResults } from './plans.assess.js';
import { shortName } from './plans.notices.js';
import { planPolicy, UNIT_ROLES } from './plans.policy.js';
import * as repo from './plans.repository.js';
import { evaluate } from './plans.evaluate.js';

const BRIEFING = { zh: '通报', en: 'Briefing' };

function baseQuery(db: repo.Db, actor: Actor) {
  return db
    .selectFrom('briefing as b')
    .innerJoin('unit as o', 'o.id', 'b.owner_unit_id')
    .selectAll('b')
    .select([
      'o.name as owner_name',
      'o.code as owner_code',
      'o.path as owner_path',
      sql<number>`(select count(*)::int from briefing_recipient r where r.briefing_id = b.id)`.as(
        'recipients',
      ),
      sql<number>`(select count(*)::int from briefing_recipient r where r.briefing_id = b.id and r.read_at is not null)`.as(
        'read_count',
      ),
    ])
    .where(
      sql<boolean>`(${pathInScope(actor, 'plan.read', sql.ref('o.path'))} or (b.status = 'published' and exists (
        select 1 from briefing_recipient br join unit ru on ru.id = br.unit_id
        where br.briefing_id = b.id and ${pathInScope(actor, 'plan.read', sql.ref('ru.path'))})))`,
    );
}
type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function toBriefing(actor: Actor, b: Row): Briefing {
  return {
    id: b.id,
    no: b.no,
    title: b.title,
    ownerUnit: { id: b.owner_unit_id, name: b.owner_name, code: b.owner_code },
    periodId: b.period_id,
    status: b.status,
    publishedAt: b.published_at?.toISOString() ?? null,
    createdAt: b.created_at.toISOString(),
    recipients: b.recipients,
    read: b.read_count,
    canManage: planPolicy.canManage(actor, { path: b.owner_path }),
  };
}

export async function listBriefings(ctx: AppContext, actor: Actor) {
  const rows = await baseQuery(ctx.db, actor).orderBy('b.created_at', 'desc').limit(200).execute();
  return { items: rows.map((b) => toBriefing(actor, b)) };
}

export async function getBriefing(ctx: AppContext, actor: Actor, id: string): Promise<BriefingDetail> {
  const b = await baseQuery(ctx.db, actor).where('b.id', '=', id).executeTakeFirst();
  if (!b) throw notFound(BRIEFING);
  if (b.status === 'published' && actor.unitId)
    await ctx.db
      .updateTable('briefing_recipient')
      .set({ read_at: new Date() })
      .where('briefing_id', '=', id)
      .where('unit_id', '=', actor.unitId)
      .where('read_at', 'is', null)
      .execute();
  return { ...toBriefing(actor, b), content: b.content as BriefingContent };
}

/** Generates a draft briefing from a period's results, the plan's lagging assignments and overdue notices. */
export async function createBriefing(
  ctx: AppContext,
  actor: Actor,
  input: { periodId: string; title?: string },
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<BriefingDetail> {
  const res = await periodResults(ctx, actor, input.periodId, today);
  const period = await ctx.db
    .selectFrom('assess_period as p')
    .innerJoin('assess_scheme as s', 's.id', 'p.scheme_id')
    .innerJoin('unit as o', 'o.id', 's.owner_unit_id')
    .select([
      'p.id',
      'p.plan_id',
      'p.ends_on',
      's.year',
      's.owner_unit_id',
      'o.name as owner_name',
      'o.path as owner_path',
    ])
    .where('p.id', '=', input.periodId)
    .executeTakeFirstOrThrow();
  if (!planPolicy.canManage(actor, { path: period.owner_path })) throw forbidden();
  const planIds = period.plan_id
    ? [period.plan_id]
    : (
        await ctx.db
          .selectFrom('plan')
          .select('id')
          .where('owner_unit_id', '=', period.owner_unit_id)
          .where('year', '=', period.year)
          .execute()
      ).map((x) => x.id);
  const asOf = period.ends_on < today ? period.ends_on : today;
  const data = await repo.loadPlanData(ctx.db, planIds, null, asOf);
  const ev = evaluate(data, asOf);
  const ranked = new Set(res.results.map((r) => r.unit.id));
  const lagBy = new Map<string, { name: string; behind: number; overdue: number; titles: string[] }>();
  let doneCount = 0;
  for (const e of ev.assignment.values()) {
    if (e.computed.status === 'done') doneCount += 1;
    if (!ranked.has(e.a.unit_id) || (e.computed.status !== 'behind' && e.computed.status !== 'overdue'))
      continue;
    const l = lagBy.get(e.a.unit_id) ?? { name: e.a.unit_name, behind: 0, overdue: 0, titles: [] };
    if (e.computed.status === 'behind') l.behind += 1;
    else l.overdue += 1;
    if (l.titles.length < 3) l.titles.push(`${e.task.seq}. ${e.task.title}`);
    lagBy.set(e.a.unit_id, l);
  }
  const overdue = planIds.length
    ? await ctx.db
        .selectFrom('plan_notice as n')
        .innerJoin('unit as u', 'u.id', 'n.unit_id')
        .innerJoin('plan_task as t', 't.id', 'n.task_id')
        .select(['n.no', 'u.name as unit_name', 't.title', 'n.deadline'])
        .where('n.plan_id', 'in', planIds)
        .where('n.status', '=', 'open')
        .where('n.deadline', '<', today)
        .orderBy('n.deadline')
        .limit(100)
        .execute()
    : [];
  const top = res.results.filter((r) => r.grade === 'excellent' && !r.vetoed).slice(0, 5);
  const content: BriefingContent = {
    periodLabel: res.period.label,
    intro: `根据《${res.period.schemeName}》，对 ${res.results.length} 个单位 ${res.period.label} 的工作进行了考评。截至 ${asOf}，共有 ${doneCount} 项任务分解已完成，${lagBy.size} 个单位存在滞后或逾期任务，${overdue.length} 份督办单逾期未回复。${res.period.status === 'approved' ? '考评结果已审定。' : '考评结果尚未审定，以下为测算结果。'}`,
    ranking: res.results.map((r) => ({
      rank: r.rank,
      unitName: r.unit.name,
      score: r.score,
      grade: r.grade,
      vetoed: r.vetoed,
    })),
    achievements: top.map((r) => `${r.unit.name}得分 ${r.score}，评为${assessGradeLabel(r.grade)}`),
    lagging: [...lagBy.values()].map((l) => ({
      unitName: l.name,
      detail: `进度滞后 ${l.behind} 项、逾期未完成 ${l.overdue} 项：${l.titles.join('；')}${l.behind + l.overdue > l.titles.length ? '等' : ''}`,
    })),
    overdueNotices: overdue.map((n) => ({
      no: n.no,
      unitName: n.unit_name,
      taskTitle: n.title,
      deadline: n.deadline,
    })),
  };
  const id = timeOrderedId();
  await ctx.db.transaction().execute(async (trx) => {
    const owner = await trx
      .selectFrom('unit')
      .select(['id', 'name'])
      .where('id', '=', period.owner_unit_id)
      .executeTakeFirstOrThrow();
    const year = Number(today.slice(0, 4));
    const n = await nextNumber(trx, owner.id, 'briefing', year);
    const no = `${shortName(owner.name)}通〔${year}〕${n}号`;
    await trx
      .insertInto('briefing')
      .values({
        id,
        owner_unit_id: owner.id,
        period_id: period.id,
        plan_id: period.plan_id,
        no,
        title: input.title ?? `关于${res.period.label}工作考评情况的通报`,
        content: JSON.stringify(content),
        status: 'draft',
        created_by: actor.userId,
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'briefing.create',
      objectType: 'briefing',
      objectId: id,
      unitId: owner.id,
      after: { no, periodId: period.id },
    });
  });
  return getBriefing(ctx, actor, id);
}

export async function publishBriefing(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<BriefingDetail> {
  const b = await baseQuery(ctx.db, actor).where('b.id', '=', id).executeTakeFirst();
  if (!b) throw notFound(BRIEFING);
  if (!planPolicy.canManage(actor, { path: b.owner_path })) throw forbidden();
  if (b.status === 'published')
    throw conflict('BRIEFING_PUBLISHED', { zh: '该通报已发布', en: 'Already published' });
  // The units of the ranking (the assessed units), inside the owner's area.
  const content = b.content as BriefingContent;
  const units = b.period_id
    ? await ctx.db
        .selectFrom('assess_period as p')
        .innerJoin('assess_scheme as s', 's.id', 'p.scheme_id')
        .innerJoin('unit as u', (j) =>
          j.on('u.kind', '=', sql.ref('s.unit_kind')).on(sql<boolean>`u.path like ${b.owner_path + '%'}`),
        )
        .select('u.id')
        .where('p.id', '=', b.period_id)
        .where('u.id', '<>', b.owner_unit_id)
        .where('u.status', '=', 'active')
        .execute()
    : [];
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('briefing')
      .set({ status: 'published', published_at: new Date() })
      .where('id', '=', id)
      .execute();
    if (units.length)
      await trx
        .insertInto('briefing_recipient')
        .values(units.map((u) => ({ briefing_id: id, unit_id: u.id })))
        .execute();
    for (const u of units)
      await notifyUnit(trx, u.id, UNIT_ROLES, {
        kind: 'briefing.published',
        title: `${b.owner_name}通报：${b.title}`,
        body: `${b.no}（${content.periodLabel}）`,
        link: `/briefings?id=${id}`,
        objectType: 'briefing',
        objectId: id,
      });
    await recordAudit(trx, origin, {
      action: 'briefing.publish',
      objectType: 'briefing',
      objectId: id,
      unitId: b.owner_unit_id,
      after: { recipients: units.length },
    });
  });
  return getBriefing(ctx, actor, id);
}

interface XRow {
  section: string;
  no: string;
  unit: string;
  text: string;
}

export async function exportBriefing(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<{ buffer: Buffer; fileName: string }> {
  const b = await getBriefing(ctx, actor, id);
  const c = b.content;
  const rows: XRow[] = [
    ...c.ranking.map((r) => ({
      section: '考评排名',
      no: String(r.rank),
      unit: r.unitName,
      text: `${r.score} 分，${assessGradeLabel(r.grade)}${r.vetoed ? '（一票否决）' : ''}`,
    })),
    ...c.achievements.map((a, i) => ({ section: '工作亮点', no: String(i + 1), unit: '', text: a })),
    ...c.lagging.map((l, i) => ({
      section: '进度滞后',
      no: String(i + 1),
      unit: l.unitName,
      text: l.detail,
    })),
    ...c.overdueNotices.map((n, i) => ({
      section: '督办单逾期',
      no: String(i + 1),
      unit: n.unitName,
      text: `${n.no} ${n.taskTitle}（期限 ${n.deadline}）`,
    })),
  ];
  const buffer = await writeXlsx<XRow>({
    title: `${b.title}（${b.no}）`,
    subtitle: `${b.ownerUnit.name}\u3000${c.periodLabel}\u3000${c.intro}`.slice(0, 250),
    sheetName: '通报',
    columns: [
      { header: '类别', width: 12, value: (r) => r.section },
      { header: '排名/序号', width: 10, value: (r) => r.no },
      { header: '单位', width: 24, value: (r) => r.unit },
      { header: '内容', width: 80, value: (r) => r.text },
    ],
    rows,
  });
  await recordExport(ctx, origin, {
    what: 'briefing',
    unitId: b.ownerUnit.id,
    rows: rows.length,
    filter: { id },
  });
  return { buffer, fileName: `${b.title}.xlsx` };
}
