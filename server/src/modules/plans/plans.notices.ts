/**
 * Supervision notices (督办单): issued on a lagging assignment to its unit with a deadline, numbered per
 * issuing unit and year with the findings ledger's document counter (findings.repository nextNumber); the
 * unit answers, the issuer closes. An open notice past its deadline escalates once: it is marked and
 * raises a finding in the ledger (source 'task', sourceType 'plan_notice'), and both sides are told.
 */
import type { PlanNotice } from '@dudao/contracts';
import { sql } from 'kysely';
import { systemActor, type Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles, fileInfos } from '../../platform/files/files.service.js';
import { notifyUnit } from '../../platform/notifications/notifications.service.js';
import { nextNumber } from '../findings/findings.repository.js';
import { raiseFindings } from '../findings/findings.service.js';
import { planPolicy, UNIT_ROLES } from './plans.policy.js';
import * as repo from './plans.repository.js';
import { evaluate } from './plans.evaluate.js';

const NOTICE = { zh: '督办单', en: 'Supervision notice' };
const ASSIGNMENT = { zh: '任务分解', en: 'Assignment' };

export const shortName = (name: string) => name.replace(/(教育局|教育和体育局|教育体育局)$/, '');

function baseQuery(db: repo.Db, actor: Actor) {
  return db
    .selectFrom('plan_notice as n')
    .innerJoin('unit as u', 'u.id', 'n.unit_id')
    .innerJoin('unit as i', 'i.id', 'n.issuer_unit_id')
    .innerJoin('plan_task as t', 't.id', 'n.task_id')
    .selectAll('n')
    .select([
      'u.name as unit_name',
      'u.code as unit_code',
      'u.path as unit_path',
      'i.name as issuer_name',
      'i.code as issuer_code',
      'i.path as issuer_path',
      't.seq as task_seq',
      't.title as task_title',
    ])
    .where(
      sql<boolean>`(${pathInScope(actor, 'plan.read', sql.ref('u.path'))} or ${pathInScope(actor, 'plan.read', sql.ref('i.path'))})`,
    );
}
type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

async function toNotices(ctx: AppContext, actor: Actor, rows: Row[], today: string): Promise<PlanNotice[]> {
  const files = new Map(
    (
      await fileInfos(
        ctx.db,
        rows.flatMap((r) => r.answer_file_ids),
      )
    ).map((f) => [f.id, f.name]),
  );
  return rows.map((n) => ({
    id: n.id,
    no: n.no,
    planId: n.plan_id,
    taskId: n.task_id,
    taskSeq: n.task_seq,
    taskTitle: n.task_title,
    assignmentId: n.assignment_id,
    issuerUnit: { id: n.issuer_unit_id, name: n.issuer_name, code: n.issuer_code },
    unit: { id: n.unit_id, name: n.unit_name, code: n.unit_code },
    reason: n.reason,
    requirement: n.requirement,
    issuedOn: n.issued_on,
    deadline: n.deadline,
    status: n.status,
    overdue: n.status === 'open' && n.deadline < today,
    answer: n.answer,
    answerFiles: n.answer_file_ids.map((id) => ({ id, name: files.get(id) ?? '附件' })),
    answeredOn: n.answered_on,
    answeredByName: n.answered_by_name,
    escalated: n.escalated_at !== null,
    findingId: n.finding_id,
    canAnswer: n.status === 'open' && planPolicy.canReport(actor, { path: n.unit_path }),
    canClose: n.status === 'answered' && planPolicy.canManage(actor, { path: n.issuer_path }),
  }));
}

export async function listNotices(
  ctx: AppContext,
  actor: Actor,
  q: { planId?: string; status?: PlanNotice['status'] },
  today = chinaToday(),
): Promise<{ items: PlanNotice[] }> {
  let query = baseQuery(ctx.db, actor);
  if (q.planId) query = query.where('n.plan_id', '=', q.planId);
  if (q.status) query = query.where('n.status', '=', q.status);
  const rows = await query.orderBy('n.issued_on', 'desc').orderBy('n.id', 'desc').limit(500).execute();
  return { items: await toNotices(ctx, actor, rows, today) };
}

export async function getNotice(
  ctx: AppContext,
  actor: Actor,
  id: string,
  today = chinaToday(),
): Promise<PlanNotice> {
  const row = await baseQuery(ctx.db, actor).where('n.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(NOTICE);
  return (await toNotices(ctx, actor, [row], today))[0]!;
}

/** Issues a 督办单 on an assignment: by the plan's owner, or by the unit that split it down. */
export async function createNotice(
  ctx: AppContext,
  actor: Actor,
  input: { assignmentId: string; requirement: string; deadline: string },
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<PlanNotice> {
  const a = await repo.findAssignment(ctx.db, actor, input.assignmentId);
  if (!a) throw notFound(ASSIGNMENT);
  const candidates = [{ id: a.owner_id, path: a.owner_path }];
  if (a.parent_id) {
    const parent = await ctx.db
      .selectFrom('plan_assignment as pa')
      .innerJoin('unit as pu', 'pu.id', 'pa.unit_id')
      .select(['pu.id', 'pu.path'])
      .where('pa.id', '=', a.parent_id)
      .executeTakeFirstOrThrow();
    candidates.push(parent);
  }
  const issuer = candidates.find((c) => planPolicy.canManage(actor, c));
  if (!issuer) throw forbidden();
  if (input.deadline < today)
    throw badRequest('PLAN_NOTICE_DEADLINE', {
      zh: '办理期限不能早于今天',
      en: 'The deadline cannot be in the past',
    });
  const data = await repo.loadPlanData(ctx.db, [a.plan_id], null);
  const e = evaluate(data, today).assignment.get(a.id)!;
  if (e.computed.status === 'done')
    throw conflict('PLAN_NOTICE_DONE', { zh: '该任务已完成，无需督办', en: 'The assignment is done' });
  const id = timeOrderedId();
  await ctx.db.transaction().execute(async (trx) => {
    const iu = await trx
      .selectFrom('unit')
      .select(['id', 'name', 'code'])
      .where('id', '=', issuer.id)
      .executeTakeFirstOrThrow();
    const year = Number(today.slice(0, 4));
    const n = await nextNumber(trx, iu.id, 'plan_notice', year);
    const no = `${shortName(iu.name)}督〔${year}〕${n}号`;
    const labels = {
      on_track: '正常推进',
      at_risk: '存在风险',
      behind: '进度滞后',
      overdue: '逾期未完成',
      done: '已完成',
    };
    const reason = `${labels[e.computed.status]}：${e.computed.reason}`;
    await trx
      .insertInto('plan_notice')
      .values({
        id,
        no,
        plan_id: a.plan_id,
        task_id: a.task_id,
        assignment_id: a.id,
        issuer_unit_id: iu.id,
        unit_id: a.unit_id,
        reason,
        requirement: input.requirement,
        issued_on: today,
        deadline: input.deadline,
        status: 'open',
        created_by: actor.userId,
      })
      .execute();
    await notifyUnit(trx, a.unit_id, UNIT_ROLES, {
      kind: 'plan.notice',
      title: `督办单 ${no}：${e.task.title}`,
      body: `${reason}。请于 ${input.deadline} 前回复。`,
      link: `/plans/notices?id=${id}`,
      objectType: 'plan_notice',
      objectId: id,
    });
    await recordAudit(trx, origin, {
      action: 'plan.notice.create',
      objectType: 'plan_notice',
      objectId: id,
      unitId: a.unit_id,
      after: { no, ...input, reason },
    });
  });
  return getNotice(ctx, actor, id, today);
}

export async function answerNotice(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { answer: string; fileIds?: string[] },
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<PlanNotice> {
  const n = await baseQuery(ctx.db, actor).where('n.id', '=', id).executeTakeFirst();
  if (!n) throw notFound(NOTICE);
  if (!planPolicy.canReport(actor, { path: n.unit_path })) throw forbidden();
  if (n.status !== 'open')
    throw conflict('PLAN_NOTICE_STATE', { zh: '该督办单已回复', en: 'The notice was answered' });
  await ctx.db.transaction().execute(async (trx) => {
    const fileIds = await assertFiles(trx, actor, input.fileIds, n.unit_id);
    await trx
      .updateTable('plan_notice')
      .set({
        status: 'answered',
        answer: input.answer,
        answer_file_ids: fileIds,
        answered_on: today,
        answered_by_name: actor.via === 'system' ? null : actor.displayName,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await notifyUnit(trx, n.issuer_unit_id, ['county_admin', 'city_admin'], {
      kind: 'plan.notice.answered',
      title: `督办单 ${n.no} 已回复`,
      body: `${n.unit_name}：${input.answer.slice(0, 80)}`,
      link: `/plans/notices?id=${id}`,
      objectType: 'plan_notice',
      objectId: id,
    });
    await recordAudit(trx, origin, {
      action: 'plan.notice.answer',
      objectType: 'plan_notice',
      objectId: id,
      unitId: n.unit_id,
      after: input,
    });
  });
  return getNotice(ctx, actor, id, today);
}

export async function closeNotice(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<PlanNotice> {
  const n = await baseQuery(ctx.db, actor).where('n.id', '=', id).executeTakeFirst();
  if (!n) throw notFound(NOTICE);
  if (!planPolicy.canManage(actor, { path: n.issuer_path })) throw forbidden();
  if (n.status !== 'answered')
    throw conflict('PLAN_NOTICE_STATE', {
      zh: '督办单须在回复后办结',
      en: 'A notice is closed after its answer',
    });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('plan_notice')
      .set({ status: 'closed', updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, origin, {
      action: 'plan.notice.close',
      objectType: 'plan_notice',
      objectId: id,
      unitId: n.unit_id,
    });
  });
  return getNotice(ctx, actor, id);
}

/**
 * Open notices past their deadline (deadline before today) escalate once: each raises a finding in the
 * ledger at the unit (问题来源“任务督办”, deadline 15 days), is marked escalated with the finding, and the
 * issuer and the unit are told. Runs at start-up, every five minutes and on demand.
 */
export async function escalateNotices(
  ctx: AppContext,
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('plan_notice as n')
      .innerJoin('plan_task as t', 't.id', 'n.task_id')
      .innerJoin('unit as u', 'u.id', 'n.unit_id')
      .select([
        'n.id',
        'n.no',
        'n.unit_id',
        'n.issuer_unit_id',
        'n.deadline',
        'n.reason',
        'n.requirement',
        't.title',
        'u.name as unit_name',
      ])
      .where('n.status', '=', 'open')
      .where('n.escalated_at', 'is', null)
      .where('n.deadline', '<', today)
      .orderBy('n.deadline')
      .limit(500)
      .forUpdate('n')
      .skipLocked()
      .execute();
    const actor = origin.actor ?? systemActor('escalation');
    for (const n of due) {
      const { findingIds } = await raiseFindings(
        trx,
        ctx,
        { ...origin, actor },
        [
          {
            unitId: n.unit_id,
            source: 'task',
            sourceType: 'plan_notice',
            sourceId: n.id,
            category: 'other',
            severity: 'major',
            title: `督办单逾期未回复：${n.title}`.slice(0, 200),
            description:
              `督办单 ${n.no} 要求于 ${n.deadline} 前回复，逾期未回复。督办事由：${n.reason}；督办要求：${n.requirement}`.slice(
                0,
                2000,
              ),
            deadline: addDays(today, 15),
          },
        ],
        { raisedByUnitId: n.issuer_unit_id },
      );
      await trx
        .updateTable('plan_notice')
        .set({ escalated_at: new Date(), finding_id: findingIds[0] ?? null, updated_at: new Date() })
        .where('id', '=', n.id)
        .execute();
      await notifyUnit(trx, n.issuer_unit_id, ['county_admin', 'city_admin'], {
        kind: 'plan.notice.escalated',
        title: `督办单 ${n.no} 逾期未回复，已转入问题台账`,
        body: `${n.unit_name}：${n.title}`,
        link: `/findings/${findingIds[0] ?? ''}`,
        objectType: 'plan_notice',
        objectId: n.id,
      });
      await recordAudit(
        trx,
        { ...origin, actor },
        {
          action: 'plan.notice.escalate',
          objectType: 'plan_notice',
          objectId: n.id,
          unitId: n.unit_id,
          after: { findingId: findingIds[0], deadline: n.deadline },
        },
      );
    }
    return due.length;
  });
}
