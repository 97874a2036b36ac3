/**
 * The handling loop of a complaint: staff registration, routing and transfer, acceptance, reply, sending
 * back, closing, the complainant's satisfaction (reopen when dissatisfied), merging duplicates, raising a
 * finding in the ledger, internal notes. Each step locks the row through the scope filter, checks the
 * policy and writes the timeline and the audit trail in one transaction.
 */
import type {
  ComplaintCategory,
  ComplaintCreate,
  ComplaintDetail,
  FindingCategory,
  FindingSeverity,
  Satisfaction,
} from '@dudao/contracts';
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles } from '../../platform/files/files.service.js';
import { notifyUnit } from '../../platform/notifications/notifications.service.js';
import { defaultDeadline, raiseFindings } from '../findings/findings.service.js';
import { addWorkingDays } from './complaints.deadline.js';
import { complaintPolicy as policy } from './complaints.policy.js';
import * as repo from './complaints.repository.js';
import {
  addEvent,
  assertNewHotlineNo,
  checkSubject,
  COMPLAINT,
  getComplaint,
  insertComplaint,
  UNIT_ROLES,
  update,
} from './complaints.service.js';

const UNIT = { zh: '单位', en: 'Unit' };
/** How many times dissatisfaction sends a complaint back for handling; after that the desk decides. */
export const MAX_REOPENS = 2;

/** The complaint category's counterpart in the findings ledger. */
const FINDING_CATEGORY: Record<ComplaintCategory, FindingCategory> = {
  training: 'training',
  fees: 'enrolment_fees',
  ethics: 'ethics',
  safety: 'campus_safety',
  enrolment: 'enrolment_fees',
  aid: 'other',
  burden: 'burden',
  other: 'other',
};

/** Staff entry at a desk: a hotline call typed in, a letter or visit, an opinion item, a 12345 order by hand. */
export async function createComplaint(
  ctx: AppContext,
  actor: Actor,
  input: ComplaintCreate,
  origin: AuditOrigin,
): Promise<ComplaintDetail> {
  const desk = await repo.unitInScope(ctx.db, actor, input.unitId);
  if (!desk) throw notFound(UNIT);
  if (!policy.canManage(actor, desk.path)) throw forbidden();
  const today = chinaToday();
  const receivedOn = input.receivedOn ?? today;
  if (receivedOn > today)
    throw badRequest('COMPLAINT_RECEIVED_FUTURE', {
      zh: '受理日期不能晚于今天',
      en: 'The date of receipt is in the future',
    });
  const id = await ctx.db.transaction().execute(async (trx) => {
    await checkSubject(trx, desk.path, input.schoolId, input.institutionId);
    if (input.hotlineNo) await assertNewHotlineNo(trx, input.hotlineNo);
    const fileIds = await assertFiles(trx, actor, input.fileIds, desk.id);
    const made = await insertComplaint(trx, ctx, origin, {
      deskUnitId: desk.id,
      deskPath: desk.path,
      channel: input.channel,
      category: input.category,
      title: input.title,
      content: input.content,
      schoolId: input.schoolId,
      institutionId: input.institutionId,
      subjectName: input.subjectName,
      complainantName: input.complainantName,
      phone: input.phone,
      hotlineNo: input.hotlineNo,
      receivedOn,
      fileIds,
    });
    if (input.routeTo) {
      const row = await repo.lockVisible(trx, actor, made.id);
      await routeIn(trx, actor, row!, input.routeTo, undefined, origin);
    }
    return made.id;
  });
  return getComplaint(ctx, actor, id);
}

type Step = (trx: Transaction<DB>, c: repo.ComplaintRow) => Promise<void>;

async function step(ctx: AppContext, actor: Actor, id: string, fn: Step): Promise<ComplaintDetail> {
  await ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockVisible(trx, actor, id);
    if (!c) throw notFound(COMPLAINT);
    await fn(trx, c);
  });
  return getComplaint(ctx, actor, id);
}

const wrongState = (zh: string, en: string) => conflict('COMPLAINT_STATE', { zh, en });

async function routeIn(
  trx: Transaction<DB>,
  actor: Actor,
  c: repo.ComplaintRow,
  unitId: string,
  note: string | undefined,
  origin: AuditOrigin,
) {
  if (!policy.canManage(actor, c.unit_path) && !policy.canManage(actor, c.desk_path)) throw forbidden();
  if (!['received', 'routed', 'accepted'].includes(c.status))
    throw wrongState('只能转办未答复的诉求', 'Only complaints not yet replied to can be routed');
  const target = await repo.unitInScope(trx, actor, unitId);
  if (!target) throw notFound(UNIT);
  if (!policy.canManage(actor, target.path)) throw forbidden();
  if (target.status !== 'active')
    throw badRequest('COMPLAINT_UNIT_DISABLED', { zh: '该单位已停用', en: 'That unit is disabled' });
  await update(trx, c.id, { unit_id: target.id, status: 'routed', accepted_at: null, accepted_by: null });
  await addEvent(trx, actor, c.id, 'route', { public: true, unitId: target.id, note: note ?? null });
  await recordAudit(trx, origin, {
    action: 'complaint.route',
    objectType: 'complaint',
    objectId: c.id,
    unitId: target.id,
    before: { unitId: c.unit_id, status: c.status },
    after: { unitId: target.id, status: 'routed', note: note ?? null },
  });
  await notifyUnit(trx, target.id, UNIT_ROLES, {
    kind: 'complaint.routed',
    title: `诉求转办：${c.title}`,
    body: `请于 ${c.deadline} 前答复`,
    link: `/complaints/${c.id}`,
    objectType: 'complaint',
    objectId: c.id,
  });
}

/** The desk routes (or transfers) a complaint to the responsible unit. */
export function routeComplaint(
  ctx: AppContext,
  actor: Actor,
  id: string,
  unitId: string,
  note: string | undefined,
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, (trx, c) => routeIn(trx, actor, c, unitId, note, origin));
}

/** The responsible unit accepts (签收) and becomes the handler. */
export function acceptComplaint(ctx: AppContext, actor: Actor, id: string, origin: AuditOrigin) {
  return step(ctx, actor, id, async (trx, c) => {
    if (!policy.canHandle(actor, c)) throw forbidden();
    if (c.status !== 'routed' && c.status !== 'received')
      throw wrongState('该诉求不在待签收状态', 'The complaint is not waiting to be accepted');
    await update(trx, c.id, { status: 'accepted', accepted_at: new Date(), accepted_by: actor.userId });
    await addEvent(trx, actor, c.id, 'accept', { public: true, unitId: c.unit_id });
    await recordAudit(trx, origin, {
      action: 'complaint.accept',
      objectType: 'complaint',
      objectId: c.id,
      unitId: c.unit_id,
      before: { status: c.status },
      after: { status: 'accepted' },
    });
  });
}

/** The responsible unit sends a complaint back to the desk (not its matter), with the reason. */
export async function returnComplaint(
  ctx: AppContext,
  actor: Actor,
  id: string,
  note: string,
  origin: AuditOrigin,
): Promise<void> {
  // Back at the desk, the complaint may leave the unit's sight: nothing is returned.
  await ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockVisible(trx, actor, id);
    if (!c) throw notFound(COMPLAINT);
    if (!policy.canHandle(actor, c)) throw forbidden();
    if (!['routed', 'accepted'].includes(c.status) || c.unit_id === c.desk_unit_id)
      throw wrongState('只能退回已转办的诉求', 'Only a routed complaint can be sent back');
    await update(trx, c.id, {
      status: 'received',
      unit_id: c.desk_unit_id,
      accepted_at: null,
      accepted_by: null,
    });
    await addEvent(trx, actor, c.id, 'return', { unitId: c.unit_id, note });
    await recordAudit(trx, origin, {
      action: 'complaint.return',
      objectType: 'complaint',
      objectId: c.id,
      unitId: c.desk_unit_id,
      before: { unitId: c.unit_id, status: c.status },
      after: { unitId: c.desk_unit_id, status: 'received', note },
    });
    await notifyUnit(trx, c.desk_unit_id, ['county_admin', 'city_admin'], {
      kind: 'complaint.returned',
      title: `诉求被退回：${c.title}`,
      body: note,
      link: `/complaints/${c.id}`,
      objectType: 'complaint',
      objectId: c.id,
    });
  });
}

/** The reply to the complainant (shown on the tracking page), which waits for their opinion. */
export function replyComplaint(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reply: string,
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, async (trx, c) => {
    if (!policy.canHandle(actor, c)) throw forbidden();
    if (c.status !== 'accepted' && c.status !== 'routed')
      throw wrongState('只能答复办理中的诉求', 'Only a complaint in progress can be replied to');
    const today = chinaToday();
    await update(trx, c.id, {
      status: 'replied',
      reply,
      replied_on: today,
      replied_by: actor.userId,
      accepted_by: c.accepted_by ?? actor.userId,
      accepted_at: c.accepted_by ? undefined : new Date(),
    });
    await addEvent(trx, actor, c.id, 'reply', { public: true, unitId: c.unit_id, note: reply });
    await recordAudit(trx, origin, {
      action: 'complaint.reply',
      objectType: 'complaint',
      objectId: c.id,
      unitId: c.unit_id,
      before: { status: c.status },
      after: { status: 'replied', repliedOn: today, inTime: today <= c.deadline },
    });
  });
}

/** The desk closes (办结) a replied complaint the complainant did not rate, or rated after the last reopen. */
export function closeComplaint(
  ctx: AppContext,
  actor: Actor,
  id: string,
  note: string | undefined,
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, async (trx, c) => {
    if (!policy.canManage(actor, c.unit_path)) throw forbidden();
    if (c.status !== 'replied')
      throw wrongState('只能办结已答复的诉求', 'Only a replied complaint can be closed');
    await closeIn(trx, actor, c, note ?? null, origin);
  });
}

async function closeIn(
  trx: Transaction<DB>,
  actor: Actor | null,
  c: repo.ComplaintRow,
  note: string | null,
  origin: AuditOrigin,
) {
  const today = chinaToday();
  await update(trx, c.id, { status: 'closed', closed_on: today });
  await addEvent(trx, actor, c.id, 'close', { public: true, unitId: c.unit_id, note });
  await recordAudit(trx, origin, {
    action: 'complaint.close',
    objectType: 'complaint',
    objectId: c.id,
    unitId: c.unit_id,
    before: { status: c.status },
    after: { status: 'closed', closedOn: today, note },
  });
}

/**
 * The complainant's opinion of the reply (from the tracking page): 满意 / 基本满意 close the complaint;
 * 不满意 reopens it at the same unit with a new time limit, up to MAX_REOPENS times (then the desk decides).
 */
export async function rateIn(
  trx: Transaction<DB>,
  c: repo.ComplaintRow,
  satisfaction: Satisfaction,
  note: string | null,
  origin: AuditOrigin,
) {
  const today = chinaToday();
  await update(trx, c.id, { satisfaction, satisfaction_note: note, rated_at: new Date() });
  await addEvent(trx, null, c.id, 'rate', { public: true, note, data: { satisfaction } });
  await recordAudit(trx, origin, {
    action: 'complaint.rate',
    objectType: 'complaint',
    objectId: c.id,
    unitId: c.unit_id,
    before: { satisfaction: c.satisfaction },
    after: { satisfaction },
  });
  if (satisfaction !== 'dissatisfied') {
    if (c.status !== 'closed') await closeIn(trx, null, c, null, origin);
    return;
  }
  if (c.reopen_count >= MAX_REOPENS) return;
  const deadline = addWorkingDays(today, c.reply_days);
  await update(trx, c.id, {
    status: 'accepted',
    reopen_count: c.reopen_count + 1,
    deadline,
    reply: null,
    replied_on: null,
    closed_on: null,
    escalated_at: null,
    escalated_to_unit_id: null,
  });
  await addEvent(trx, null, c.id, 'reopen', { public: true, unitId: c.unit_id, data: { deadline } });
  await recordAudit(trx, origin, {
    action: 'complaint.reopen',
    objectType: 'complaint',
    objectId: c.id,
    unitId: c.unit_id,
    before: { status: c.status, deadline: c.deadline },
    after: { status: 'accepted', deadline, reopenCount: c.reopen_count + 1 },
  });
  await notifyUnit(trx, c.unit_id, UNIT_ROLES, {
    kind: 'complaint.reopened',
    title: `诉求人不满意，请重新办理：${c.title}`,
    body: `新的办理时限 ${deadline}`,
    link: `/complaints/${c.id}`,
    objectType: 'complaint',
    objectId: c.id,
  });
}

/** Merges a duplicate into another complaint of the same matter: the duplicate is kept, linked and closed to work. */
export function mergeComplaint(
  ctx: AppContext,
  actor: Actor,
  id: string,
  intoId: string,
  note: string | undefined,
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, async (trx, c) => {
    if (id === intoId)
      throw badRequest('COMPLAINT_MERGE_SELF', { zh: '不能合并到自身', en: 'Cannot merge into itself' });
    const into = await repo.lockVisible(trx, actor, intoId);
    if (!into) throw notFound(COMPLAINT);
    if (!policy.canManage(actor, c.unit_path) || !policy.canManage(actor, into.unit_path)) throw forbidden();
    if (c.status === 'merged' || c.status === 'closed' || into.status === 'merged')
      throw wrongState('已办结或已合并的诉求不能合并', 'A closed or merged complaint cannot be merged');
    await update(trx, c.id, { status: 'merged', merged_into: into.id });
    // Duplicates of the duplicate follow it.
    await trx
      .updateTable('complaint')
      .set({ merged_into: into.id })
      .where('merged_into', '=', c.id)
      .execute();
    await addEvent(trx, actor, c.id, 'merge', {
      public: true,
      unitId: into.unit_id,
      note: note ?? null,
      data: { into: into.id },
    });
    await addEvent(trx, actor, into.id, 'merge', {
      unitId: into.unit_id,
      note: note ?? null,
      data: { duplicate: c.id, trackingNo: c.tracking_no },
    });
    await recordAudit(trx, origin, {
      action: 'complaint.merge',
      objectType: 'complaint',
      objectId: c.id,
      unitId: c.unit_id,
      before: { status: c.status },
      after: { status: 'merged', mergedInto: into.id, note: note ?? null },
    });
  });
}

/** Raises a finding in the ledger about the matter of a complaint (source 'complaint'), at the responsible unit. */
export function raiseComplaintFinding(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { category?: FindingCategory; severity: FindingSeverity; title: string; deadline?: string },
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, async (trx, c) => {
    if (!policy.canManage(actor, c.unit_path)) throw forbidden();
    if (c.status === 'merged')
      throw wrongState('请在主诉求上转问题台账', 'Raise the finding on the primary complaint');
    const { findingIds } = await raiseFindings(trx, ctx, origin, [
      {
        unitId: c.unit_id,
        source: 'complaint',
        sourceType: 'complaint',
        sourceId: c.id,
        category: input.category ?? FINDING_CATEGORY[c.category as ComplaintCategory],
        severity: input.severity,
        title: input.title,
        description: c.content,
        deadline: input.deadline ?? defaultDeadline(input.severity),
      },
    ]);
    await addEvent(trx, actor, c.id, 'finding', {
      unitId: c.unit_id,
      note: input.title,
      data: { findingId: findingIds[0] },
    });
    await recordAudit(trx, origin, {
      action: 'complaint.finding',
      objectType: 'complaint',
      objectId: c.id,
      unitId: c.unit_id,
      after: { findingId: findingIds[0], title: input.title },
    });
  });
}

/** An internal note in the timeline (never shown to the complainant). */
export function noteComplaint(ctx: AppContext, actor: Actor, id: string, note: string, origin: AuditOrigin) {
  return step(ctx, actor, id, async (trx, c) => {
    if (!policy.canHandle(actor, c) && !policy.canManage(actor, c.unit_path)) throw forbidden();
    await addEvent(trx, actor, c.id, 'note', { unitId: actor.unitId, note });
    await recordAudit(trx, origin, {
      action: 'complaint.note',
      objectType: 'complaint',
      objectId: c.id,
      unitId: c.unit_id,
      after: { note },
    });
  });
}
