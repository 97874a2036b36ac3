/**
 * The complaints desk (群众诉求): the inbox and a complaint's detail, registration (every channel writes through
 * `insertComplaint`: tracking number, encrypted phone, the time limit in working days), the audited reveal of
 * the phone, the reply limit settings and overdue escalation. The handling steps are in complaints.loop.ts.
 * Every change writes the timeline and the audit trail in its transaction.
 */
import type {
  ComplaintCategory,
  ComplaintCreate,
  ComplaintDetail,
  ComplaintEventKind,
  ComplaintListQuery,
  ComplaintPage,
  ComplaintSummary,
  Satisfaction,
} from '@dudao/contracts';
import type { Transaction, Updateable } from 'kysely';
import type { ComplaintTable } from './complaints.tables.js';
import { systemActor, type Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { fileInfos } from '../../platform/files/files.service.js';
import {
  notifyEscalation,
  notifyUnit,
  type EscalatedItem,
} from '../../platform/notifications/notifications.service.js';
import { maskPhone } from '../students/students.export.service.js';
import { addWorkingDays, DEFAULT_REPLY_DAYS, newTrackingNo } from './complaints.deadline.js';
import { complaintPolicy as policy } from './complaints.policy.js';
import * as repo from './complaints.repository.js';

export const COMPLAINT = { zh: '诉求', en: 'Complaint' };
const UNIT = { zh: '单位', en: 'Unit' };
/** Who hears about a complaint at a unit. */
export const UNIT_ROLES = ['school_admin', 'county_admin', 'city_admin'] as const;

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

export async function assertNewHotlineNo(trx: Transaction<DB>, no: string) {
  const dup = await trx.selectFrom('complaint').select('id').where('hotline_no', '=', no).executeTakeFirst();
  if (dup)
    throw conflict('COMPLAINT_HOTLINE_DUPLICATE', {
      zh: `12345 工单 ${no} 已登记`,
      en: `12345 work order ${no} is already registered`,
    });
}

export async function update(trx: Transaction<DB>, id: string, set: Updateable<ComplaintTable>) {
  await trx
    .updateTable('complaint')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
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
    const escalated: EscalatedItem[] = [];
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
      escalated.push({
        id: c.id,
        title: c.title,
        deadline: c.deadline,
        unitId: c.unit_id,
        unitName: c.unit_name,
        toUnitId: to,
      });
    }
    await notifyEscalation(trx, escalated, {
      kind: 'complaint',
      objectType: 'complaint',
      path: '/complaints',
      what: { measure: '件', noun: '群众诉求' },
      overdue: '逾期未答复',
      limit: '办理时限',
      unitRoles: UNIT_ROLES,
    });
    return due.length;
  });
}
