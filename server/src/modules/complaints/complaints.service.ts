/**
 * The complaints desk (群众诉求): registration from every channel, routing to the responsible unit with a time
 * limit in working days, acceptance, reply, the complainant's satisfaction (reopen when dissatisfied), close,
 * merging duplicates, raising a finding in the ledger, overdue escalation. Every step writes the timeline and
 * the audit trail in the transaction of the change.
 */
import type {
  ComplaintCategory,
  ComplaintCreate,
  ComplaintDetail,
  ComplaintEventKind,
  ComplaintListQuery,
  ComplaintPage,
  ComplaintSummary,
  FindingCategory,
  FindingSeverity,
  Satisfaction,
} from '@dudao/contracts';
import { sql, type Transaction, type Updateable } from 'kysely';
import type { ComplaintTable } from './complaints.tables.js';
import { systemActor, type Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles, fileInfos } from '../../platform/files/files.service.js';
import { notifyUnit } from '../../platform/notifications/notifications.service.js';
import { maskPhone } from '../students/students.export.service.js';
import { defaultDeadline, raiseFindings } from '../findings/findings.service.js';
import { addWorkingDays, DEFAULT_REPLY_DAYS, newTrackingNo } from './complaints.deadline.js';
import { complaintPolicy as policy } from './complaints.policy.js';
import * as repo from './complaints.repository.js';

export const COMPLAINT = { zh: '诉求', en: 'Complaint' };
const UNIT = { zh: '单位', en: 'Unit' };
/** Who hears about a complaint at a unit. */
export const UNIT_ROLES = ['school_admin', 'county_admin', 'city_admin'] as const;
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

/** A name shown masked: the family name kept (张**). */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export async function addEvent(
  trx: Transaction<DB>,
  actor: Actor | null,
  complaintId: string,
  kind: ComplaintEventKind,
  e: { public?: boolean; unitId?: string | null; note?: string | null; data?: unknown; at?: Date } = {},
) {
  await trx
    .insertInto('complaint_event')
    .values({
      id: timeOrderedId(),
      complaint_id: complaintId,
      kind,
      public: e.public ?? false,
      actor_id: actor?.userId ?? null,
      actor_name: !actor || actor.via === 'system' ? null : actor.displayName,
      unit_id: e.unitId ?? null,
      note: e.note ?? null,
      data: e.data === undefined ? null : JSON.stringify(e.data),
      ...(e.at ? { created_at: e.at } : {}),
    })
    .execute();
}

/** The reply limit (working days) for complaints at a unit: the nearest bureau's setting, else 15. */
export async function replyDaysFor(
  db: AppContext['db'] | Transaction<DB>,
  unitPath: string,
): Promise<number> {
  return (await repo.replyDaysAt(db, unitPath)).days ?? DEFAULT_REPLY_DAYS;
}

function decrypt(ctx: AppContext, token: string | null): string | null {
  return token ? ctx.vault.decrypt(token) : null;
}

function toSummary(ctx: AppContext, r: repo.ComplaintRow, today: string): ComplaintSummary {
  return {
    id: r.id,
    trackingNo: r.tracking_no,
    hotlineNo: r.hotline_no,
    channel: r.channel as ComplaintSummary['channel'],
    category: r.category as ComplaintCategory,
    status: r.status as ComplaintSummary['status'],
    title: r.title,
    subjectName: r.subject_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    receivedOn: r.received_on,
    deadline: r.deadline,
    overdue: ['received', 'routed', 'accepted'].includes(r.status) && r.deadline < today,
    escalated: r.escalated_at !== null,
    repliedOn: r.replied_on,
    satisfaction: r.satisfaction as Satisfaction | null,
    reopenCount: r.reopen_count,
    phoneMasked: maskPhone(decrypt(ctx, r.phone_enc)),
  };
}

async function underPathOf(ctx: AppContext, actor: Actor, under: string | undefined) {
  if (!under) return null;
  const u = await repo.unitInScope(ctx.db, actor, under);
  if (!u) throw notFound(UNIT);
  return u.path;
}

/** A phone typed into the search box is looked up by its keyed hash (the stored value is encrypted). */
export function phoneHmacOf(ctx: AppContext, q: string | undefined): string | null {
  return q && /^1[3-9]\d{9}$/.test(q) ? ctx.vault.hmac(q) : null;
}

/** The inbox: complaints in scope, filtered; each figure of the statistics drills down to this list. */
export async function listComplaints(
  ctx: AppContext,
  actor: Actor,
  q: ComplaintListQuery,
): Promise<ComplaintPage> {
  const today = chinaToday();
  const underPath = await underPathOf(ctx, actor, q.under);
  const { rows, total } = await repo.listComplaints(
    ctx.db,
    actor,
    q,
    underPath,
    today,
    phoneHmacOf(ctx, q.q),
  );
  return { items: rows.map((r) => toSummary(ctx, r, today)), total, page: q.page, pageSize: q.pageSize };
}

/** One complaint with its timeline and what the actor may do with it. */
export async function getComplaint(ctx: AppContext, actor: Actor, id: string): Promise<ComplaintDetail> {
  const r = await repo.findVisible(ctx.db, actor, id);
  if (!r) throw notFound(COMPLAINT);
  const [events, duplicates, findings, files] = await Promise.all([
    repo.events(ctx.db, id),
    ctx.db
      .selectFrom('complaint')
      .select(['id', 'tracking_no', 'received_on'])
      .where('merged_into', '=', id)
      .orderBy('received_on')
      .execute(),
    ctx.db
      .selectFrom('finding')
      .select('id')
      .where('source_type', '=', 'complaint')
      .where('source_id', '=', id)
      .execute(),
    fileInfos(ctx.db, r.file_ids),
  ]);
  const open = ['received', 'routed', 'accepted'].includes(r.status);
  const manage = policy.canManage(actor, r.unit_path);
  const handle = policy.canHandle(actor, r);
  return {
    ...toSummary(ctx, r, chinaToday()),
    content: r.content,
    deskUnitId: r.desk_unit_id,
    deskUnitName: r.desk_name,
    schoolId: r.school_id,
    institutionId: r.institution_id,
    complainantMasked: maskName(decrypt(ctx, r.complainant_enc)),
    reply: r.reply,
    satisfactionNote: r.satisfaction_note,
    mergedIntoId: r.merged_into,
    duplicates: duplicates.map((d) => ({ id: d.id, trackingNo: d.tracking_no, receivedOn: d.received_on })),
    findingIds: findings.map((f) => f.id),
    files: files.map((f) => ({ id: f.id, name: f.name, contentType: f.contentType, size: f.size })),
    timeline: events.map((e) => ({
      id: e.id,
      kind: e.kind as ComplaintEventKind,
      at: e.created_at.toISOString(),
      actorName: e.actor_name,
      unitName: e.unit_name,
      note: e.note,
      public: e.public,
    })),
    can: {
      route: manage && open,
      accept: handle && (r.status === 'routed' || r.status === 'received'),
      reply: handle && (r.status === 'accepted' || r.status === 'routed'),
      returnToDesk: handle && open && r.status !== 'received' && r.unit_id !== r.desk_unit_id,
      close: manage && r.status === 'replied',
      merge: manage && r.status !== 'merged' && r.status !== 'closed',
      raiseFinding: r.status !== 'merged' && manage,
      revealPhone: r.phone_enc !== null && policy.canRevealPhone(actor, r),
    },
  };
}

// ---------- registration ----------

export interface NewComplaint {
  deskUnitId: string;
  deskPath: string;
  channel: ComplaintCreate['channel'];
  category: ComplaintCategory;
  title: string;
  content: string;
  schoolId?: string | null;
  institutionId?: string | null;
  subjectName?: string | null;
  complainantName?: string | null;
  phone?: string | null;
  hotlineNo?: string | null;
  receivedOn: string;
  fileIds?: string[];
  /** Bulk callers (the demo) pass what they know: the limit, the hour of receipt, no notification. */
  replyDays?: number;
  receivedAt?: Date;
  notify?: boolean;
}

/** Writes a new complaint at its desk (status 待分派) with its first timeline step; no access check here. */
export async function insertComplaint(
  trx: Transaction<DB>,
  ctx: AppContext,
  origin: AuditOrigin,
  c: NewComplaint,
): Promise<{ id: string; trackingNo: string; deadline: string }> {
  const replyDays = c.replyDays ?? (await replyDaysFor(trx, c.deskPath));
  const deadline = addWorkingDays(c.receivedOn, replyDays);
  const id = timeOrderedId();
  const trackingNo = newTrackingNo(c.receivedOn);
  await trx
    .insertInto('complaint')
    .values({
      id,
      tracking_no: trackingNo,
      channel: c.channel,
      category: c.category,
      status: 'received',
      desk_unit_id: c.deskUnitId,
      unit_id: c.deskUnitId,
      school_id: c.schoolId ?? null,
      institution_id: c.institutionId ?? null,
      subject_name: c.subjectName ?? null,
      title: c.title,
      content: c.content,
      file_ids: c.fileIds ?? [],
      complainant_enc: c.complainantName ? ctx.vault.encrypt(c.complainantName) : null,
      phone_enc: c.phone ? ctx.vault.encrypt(c.phone) : null,
      phone_hmac: c.phone ? ctx.vault.hmac(c.phone) : null,
      hotline_no: c.hotlineNo ?? null,
      received_on: c.receivedOn,
      reply_days: replyDays,
      deadline,
      created_by: origin.actor?.userId ?? null,
    })
    .execute();
  await addEvent(trx, origin.actor, id, 'receive', {
    public: true,
    unitId: c.deskUnitId,
    data: { channel: c.channel, deadline },
    at: c.receivedAt,
  });
  await recordAudit(trx, origin, {
    action: 'complaint.create',
    objectType: 'complaint',
    objectId: id,
    unitId: c.deskUnitId,
    after: {
      trackingNo,
      channel: c.channel,
      category: c.category,
      title: c.title,
      hotlineNo: c.hotlineNo ?? null,
      phone: maskPhone(c.phone ?? null),
      receivedOn: c.receivedOn,
      deadline,
    },
  });
  if (c.notify !== false)
    await notifyUnit(trx, c.deskUnitId, ['county_admin', 'city_admin'], {
      kind: 'complaint.received',
      title: `新诉求待分派：${c.title}`,
      body: `办理时限 ${deadline}`,
      link: `/complaints/${id}`,
      objectType: 'complaint',
      objectId: id,
    });
  return { id, trackingNo, deadline };
}

/** Checks the school or institution named in a complaint: the school under the desk, the institution existing. */
export async function checkSubject(
  trx: Transaction<DB>,
  deskPath: string,
  schoolId: string | undefined | null,
  institutionId: string | undefined | null,
) {
  if (schoolId) {
    const s = await trx
      .selectFrom('unit')
      .select('id')
      .where('id', '=', schoolId)
      .where('kind', '=', 'school')
      .where('path', 'like', `${deskPath}%`)
      .executeTakeFirst();
    if (!s)
      throw badRequest('COMPLAINT_SCHOOL', {
        zh: '所选学校不在本单位辖区内',
        en: 'The school is not in this unit’s area',
      });
  }
  if (institutionId) {
    const i = await trx
      .selectFrom('training_institution')
      .select('id')
      .where('id', '=', institutionId)
      .executeTakeFirst();
    if (!i)
      throw badRequest('COMPLAINT_INSTITUTION', {
        zh: '所选培训机构不存在',
        en: 'Unknown training institution',
      });
  }
}

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

export async function assertNewHotlineNo(trx: Transaction<DB>, no: string) {
  const dup = await trx.selectFrom('complaint').select('id').where('hotline_no', '=', no).executeTakeFirst();
  if (dup)
    throw conflict('COMPLAINT_HOTLINE_DUPLICATE', {
      zh: `12345 工单 ${no} 已登记`,
      en: `12345 work order ${no} is already registered`,
    });
}

// ---------- the handling loop ----------

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

async function update(trx: Transaction<DB>, id: string, set: Updateable<ComplaintTable>) {
  await trx
    .updateTable('complaint')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

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

/** The complainant's phone and name in full, for the handler or a holder of person.reveal; audited. */
export async function revealPhone(ctx: AppContext, actor: Actor, id: string, origin: AuditOrigin) {
  return ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockVisible(trx, actor, id);
    if (!c) throw notFound(COMPLAINT);
    if (!policy.canRevealPhone(actor, c)) throw forbidden();
    await addEvent(trx, actor, c.id, 'reveal', { unitId: actor.unitId });
    await recordAudit(trx, origin, {
      action: 'person.reveal',
      objectType: 'complaint',
      objectId: c.id,
      unitId: c.unit_id,
      after: { field: 'phone', masked: maskPhone(decrypt(ctx, c.phone_enc)) },
    });
    return { phone: decrypt(ctx, c.phone_enc), complainantName: decrypt(ctx, c.complainant_enc) };
  });
}

// ---------- settings ----------

export async function getSettings(ctx: AppContext, actor: Actor, unitId: string) {
  const u = await repo.unitInScope(ctx.db, actor, unitId);
  if (!u) throw notFound(UNIT);
  const s = await repo.replyDaysAt(ctx.db, u.path);
  return { unitId, replyDays: s.days ?? DEFAULT_REPLY_DAYS, own: s.unitId === unitId };
}

export async function putSettings(
  ctx: AppContext,
  actor: Actor,
  unitId: string,
  replyDays: number,
  origin: AuditOrigin,
) {
  const u = await repo.unitInScope(ctx.db, actor, unitId);
  if (!u) throw notFound(UNIT);
  if (!policy.canManage(actor, u.path) || u.kind === 'school') throw forbidden();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.replyDaysAt(trx, u.path);
    await trx
      .insertInto('complaint_setting')
      .values({ unit_id: unitId, reply_days: replyDays, updated_by: actor.userId, updated_at: new Date() })
      .onConflict((oc) =>
        oc
          .column('unit_id')
          .doUpdateSet({ reply_days: replyDays, updated_by: actor.userId, updated_at: new Date() }),
      )
      .execute();
    await recordAudit(trx, origin, {
      action: 'complaint.settings',
      objectType: 'complaint_setting',
      objectId: unitId,
      unitId,
      before: { replyDays: before.days ?? DEFAULT_REPLY_DAYS },
      after: { replyDays },
    });
  });
  return getSettings(ctx, actor, unitId);
}

// ---------- escalation ----------

/**
 * Open complaints past their time limit go up to the parent unit once (提级督办): marked, written in the
 * timeline and the audit trail; the parent's administrators and the responsible unit are told. Runs at
 * start-up and every 5 minutes; rows are claimed with a lock, so several instances may run it.
 */
export async function escalateOverdueComplaints(
  ctx: AppContext,
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('complaint as c')
      .innerJoin('unit as u', 'u.id', 'c.unit_id')
      .select(['c.id', 'c.title', 'c.unit_id', 'c.deadline', 'u.name as unit_name', 'u.parent_id'])
      .where(repo.overdueSql(today))
      .where('c.escalated_at', 'is', null)
      .orderBy('c.deadline')
      .limit(1000)
      .forUpdate('c')
      .skipLocked()
      .execute();
    if (due.length === 0) return 0;
    const actor = origin.actor ?? systemActor('complaint-escalation');
    const byParent = new Map<string, typeof due>();
    for (const c of due) {
      const to = c.parent_id ?? c.unit_id;
      await update(trx, c.id, { escalated_at: new Date(), escalated_to_unit_id: to });
      await addEvent(trx, actor, c.id, 'escalate', { unitId: to, data: { deadline: c.deadline } });
      await recordAudit(trx, origin, {
        action: 'complaint.escalate',
        objectType: 'complaint',
        objectId: c.id,
        unitId: c.unit_id,
        after: { escalatedTo: to, deadline: c.deadline },
      });
      byParent.set(to, [...(byParent.get(to) ?? []), c]);
    }
    for (const [parentId, list] of byParent)
      await notifyUnit(trx, parentId, ['county_admin', 'city_admin'], {
        kind: 'complaint.escalated',
        title: `${list.length} 件群众诉求逾期未答复，已提级督办`,
        body: list
          .slice(0, 5)
          .map((c) => `${c.unit_name}：${c.title}（时限 ${c.deadline}）`)
          .join('；'),
        link: `/complaints?under=${parentId}&state=escalated`,
        objectType: 'complaint',
        objectId: list[0]!.id,
      });
    for (const c of due)
      await notifyUnit(trx, c.unit_id, UNIT_ROLES, {
        kind: 'complaint.overdue',
        title: `诉求逾期未答复：${c.title}`,
        body: `办理时限 ${c.deadline}，已提级督办`,
        link: `/complaints/${c.id}`,
        objectType: 'complaint',
        objectId: c.id,
      });
    return due.length;
  });
}

/** Used by tests and the CLI: the count of open complaints (no scope). */
export async function openCount(ctx: AppContext): Promise<number> {
  const r = await ctx.db
    .selectFrom('complaint')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('status', 'in', ['received', 'routed', 'accepted'])
    .executeTakeFirstOrThrow();
  return r.n;
}
