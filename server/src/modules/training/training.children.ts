/**
 * The institution's children: venues, staff (ID numbers encrypted, masked; the audited reveal) and documents
 * with their validity. Each change is checked against the institution's bureau (training.manage) and audited.
 */
import {
  type InstitutionDetail,
  type StaffInput,
  type TrainingDocKind,
  type VenueInput,
} from '@dudao/contracts';
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { idNumberErrorMessages, maskIdNumber, validateIdNumber } from '../../platform/crypto/id-number.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles } from '../../platform/files/files.service.js';
import { trainingPolicy } from './training.policy.js';
import * as repo from './training.repository.js';
import { getInstitution, loadForManage } from './training.service.js';

// ---------- venues ----------

const venueColumns = (b: Partial<VenueInput>) => ({
  ...(b.address !== undefined ? { address: b.address } : {}),
  ...(b.areaM2 !== undefined ? { area_m2: b.areaM2 } : {}),
  ...(b.fireAccepted !== undefined ? { fire_accepted: b.fireAccepted } : {}),
  ...(b.fireCertNo !== undefined ? { fire_cert_no: b.fireCertNo || null } : {}),
  ...(b.approved !== undefined ? { approved: b.approved } : {}),
  ...(b.approvedOn !== undefined ? { approved_on: b.approvedOn } : {}),
});

type Child = 'training_venue' | 'training_staff' | 'training_course';
const CHILD = {
  training_venue: { zh: '场所', en: 'Venue' },
  training_staff: { zh: '人员', en: 'Staff member' },
  training_course: { zh: '课程', en: 'Course' },
};

/** A child row the actor may change: 404 out of scope, 403 when only readable. */
export async function loadChildForManage(
  ctx: Pick<AppContext, 'db'>,
  actor: Actor,
  table: Child,
  id: string,
) {
  const c = await repo.findChild(ctx.db, actor, table, id, 'training.read');
  if (!c) throw notFound(CHILD[table]);
  return { child: c, inst: await loadForManage(ctx, actor, c.institution_id) };
}

/** Inserts, updates or deletes a child row with its audit event. */
export async function writeChild(
  ctx: Pick<AppContext, 'db'>,
  origin: AuditOrigin,
  inst: { id: string; unit_id: string },
  table: Child,
  op:
    | { insert: Record<string, unknown> }
    | { update: string; set: Record<string, unknown> }
    | { delete: string },
  audit: { after?: unknown; before?: unknown } = {},
  then?: (trx: Transaction<DB>) => Promise<void>,
): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    let id: string;
    if ('insert' in op) {
      id = timeOrderedId();
      await trx
        .insertInto(table)
        .values({ id, institution_id: inst.id, ...op.insert })
        .execute();
    } else if ('update' in op) {
      id = op.update;
      await trx
        .updateTable(table)
        .set(op.set as never)
        .where('id', '=', id)
        .execute();
    } else {
      id = op.delete;
      await trx.deleteFrom(table).where('id', '=', id).execute();
    }
    await trx
      .updateTable('training_institution')
      .set({ updated_at: new Date() })
      .where('id', '=', inst.id)
      .execute();
    const verb = 'insert' in op ? 'create' : 'update' in op ? 'update' : 'delete';
    await recordAudit(trx, origin, {
      action: `${table.replace('_', '.')}.${verb}`,
      objectType: table,
      objectId: id,
      unitId: inst.unit_id,
      before: audit.before,
      after: audit.after ?? ('insert' in op ? op.insert : 'update' in op ? op.set : undefined),
    });
    if (then) await then(trx);
    return id;
  });
}

export async function addVenue(
  ctx: AppContext,
  actor: Actor,
  institutionId: string,
  b: VenueInput,
  origin: AuditOrigin,
) {
  const inst = await loadForManage(ctx, actor, institutionId);
  await writeChild(ctx, origin, inst, 'training_venue', { insert: venueColumns(b) });
  return getInstitution(ctx, actor, inst.id);
}

export async function updateVenue(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: Partial<VenueInput>,
  origin: AuditOrigin,
) {
  const { inst } = await loadChildForManage(ctx, actor, 'training_venue', id);
  const before = await ctx.db
    .selectFrom('training_venue')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  await writeChild(ctx, origin, inst, 'training_venue', { update: id, set: venueColumns(b) }, { before });
  return getInstitution(ctx, actor, inst.id);
}

export async function deleteChild(
  ctx: AppContext,
  actor: Actor,
  table: Child,
  id: string,
  origin: AuditOrigin,
) {
  const { inst } = await loadChildForManage(ctx, actor, table, id);
  const before = await ctx.db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (table === 'training_course') {
    const used = await ctx.db
      .selectFrom('training_order')
      .select('id')
      .where('course_id', '=', id)
      .executeTakeFirst();
    if (used)
      throw conflict('TRAINING_COURSE_USED', {
        zh: '该课程已有预收费订单，请改为停用',
        en: 'The course has prepaid orders: deactivate it instead',
      });
  }
  const { id_number_enc: _e, id_number_hmac: _h, ...shown } = before as Record<string, unknown>;
  await writeChild(ctx, origin, inst, table, { delete: id }, { before: shown });
  return getInstitution(ctx, actor, inst.id);
}

// ---------- staff ----------

function staffColumns(ctx: AppContext, b: Partial<StaffInput>) {
  let id: { id_number_enc: string | null; id_number_hmac: string | null } | undefined;
  let masked: string | null | undefined;
  if (b.idNumber === null || b.idNumber === '') {
    id = { id_number_enc: null, id_number_hmac: null };
    masked = null;
  } else if (b.idNumber !== undefined) {
    const v = validateIdNumber(b.idNumber);
    if (!v.ok)
      throw badRequest(v.code, idNumberErrorMessages[v.code], [{ path: 'body/idNumber', message: v.code }]);
    id = { id_number_enc: ctx.vault.encrypt(v.normalized), id_number_hmac: ctx.vault.hmac(v.normalized) };
    masked = maskIdNumber(v.normalized);
  }
  const cols = {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(id ?? {}),
    ...(b.role !== undefined ? { role: b.role } : {}),
    ...(b.subjectTeaching !== undefined ? { subject_teaching: b.subjectTeaching } : {}),
    ...(b.teacherCertNo !== undefined ? { teacher_cert_no: b.teacherCertNo || null } : {}),
    ...(b.backgroundChecked !== undefined ? { background_checked: b.backgroundChecked } : {}),
    ...(b.backgroundCheckedOn !== undefined ? { background_checked_on: b.backgroundCheckedOn } : {}),
    ...(b.active !== undefined ? { active: b.active } : {}),
  };
  // The audit trail sees the masked number only.
  const { id_number_enc: _e, id_number_hmac: _h, ...shown } = cols as Record<string, unknown>;
  return { cols, audit: masked === undefined ? shown : { ...shown, idNumberMasked: masked } };
}

/** Staff with masked ID numbers (decrypting only to mask). */
export async function addStaff(
  ctx: AppContext,
  actor: Actor,
  institutionId: string,
  b: StaffInput,
  origin: AuditOrigin,
) {
  const inst = await loadForManage(ctx, actor, institutionId);
  const { cols, audit } = staffColumns(ctx, b);
  await writeChild(ctx, origin, inst, 'training_staff', { insert: cols }, { after: audit });
  return getInstitution(ctx, actor, inst.id);
}

export async function updateStaff(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: Partial<StaffInput>,
  origin: AuditOrigin,
) {
  const { inst } = await loadChildForManage(ctx, actor, 'training_staff', id);
  const { cols, audit } = staffColumns(ctx, b);
  await writeChild(ctx, origin, inst, 'training_staff', { update: id, set: cols }, { after: audit });
  return getInstitution(ctx, actor, inst.id);
}

export async function revealStaffId(ctx: AppContext, actor: Actor, id: string, origin: AuditOrigin) {
  const c = await repo.findChild(ctx.db, actor, 'training_staff', id, 'training.read');
  if (!c) throw notFound(CHILD.training_staff);
  const inst = await repo.findInstitution(ctx.db, actor, c.institution_id, chinaToday());
  if (!inst || !trainingPolicy.canReveal(actor, inst.unit_path))
    throw forbidden({ zh: '没有查看完整身份证号的权限', en: 'You may not see full ID numbers' });
  const s = await ctx.db
    .selectFrom('training_staff')
    .select('id_number_enc')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const idNumber = s.id_number_enc ? ctx.vault.decrypt(s.id_number_enc) : null;
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, origin, {
      action: 'person.reveal',
      objectType: 'training_staff',
      objectId: id,
      unitId: inst.unit_id,
      after: { field: 'id_number', masked: idNumber ? maskIdNumber(idNumber) : null },
    }),
  );
  return { idNumber };
}

// ---------- documents ----------

export async function putDocument(
  ctx: AppContext,
  actor: Actor,
  institutionId: string,
  kind: TrainingDocKind,
  b: { number?: string | null; validTo?: string | null; fileId?: string | null },
  origin: AuditOrigin,
): Promise<InstitutionDetail> {
  const inst = await loadForManage(ctx, actor, institutionId);
  await ctx.db.transaction().execute(async (trx) => {
    const [fileId] = b.fileId ? await assertFiles(trx, actor, [b.fileId], inst.unit_id) : [null];
    const before = await trx
      .selectFrom('training_document')
      .selectAll()
      .where('institution_id', '=', institutionId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    const vals = { number: b.number || null, valid_to: b.validTo ?? null, file_id: fileId ?? null };
    if (before) await trx.updateTable('training_document').set(vals).where('id', '=', before.id).execute();
    else
      await trx
        .insertInto('training_document')
        .values({ id: timeOrderedId(), institution_id: institutionId, kind, ...vals })
        .execute();
    await recordAudit(trx, origin, {
      action: 'training.document.put',
      objectType: 'training_institution',
      objectId: institutionId,
      unitId: inst.unit_id,
      before: before ? { kind, number: before.number, validTo: before.valid_to } : null,
      after: { kind, ...vals },
    });
  });
  return getInstitution(ctx, actor, institutionId);
}

export async function deleteDocument(
  ctx: AppContext,
  actor: Actor,
  institutionId: string,
  kind: TrainingDocKind,
  origin: AuditOrigin,
): Promise<InstitutionDetail> {
  const inst = await loadForManage(ctx, actor, institutionId);
  await ctx.db.transaction().execute(async (trx) => {
    const gone = await trx
      .deleteFrom('training_document')
      .where('institution_id', '=', institutionId)
      .where('kind', '=', kind)
      .returningAll()
      .executeTakeFirst();
    if (!gone) throw notFound({ zh: '材料', en: 'Document' });
    await recordAudit(trx, origin, {
      action: 'training.document.delete',
      objectType: 'training_institution',
      objectId: institutionId,
      unitId: inst.unit_id,
      before: { kind, number: gone.number, validTo: gone.valid_to },
    });
  });
  return getInstitution(ctx, actor, institutionId);
}
