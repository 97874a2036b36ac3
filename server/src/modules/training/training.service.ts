/**
 * The registry of training institutions: institutions, venues, staff (ID numbers encrypted, masked),
 * documents; the lifecycle (allowed transitions only, with dates and reasons) and the black list. Every
 * change is audited in its own transaction. Courses, orders and funds: training.prepaid.ts.
 */
import {
  TRAINING_DOC_KINDS,
  TRAINING_TRANSITIONS,
  trainingStatusLabels,
  type InstitutionDetail,
  type InstitutionInput,
  type InstitutionListQuery,
  type InstitutionPage,
  type InstitutionUpdate,
  type Staff,
  type StaffInput,
  type TrainingDocKind,
  type TrainingStatus,
  type Venue,
  type VenueInput,
} from '@dudao/contracts';
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { idNumberErrorMessages, maskIdNumber, validateIdNumber } from '../../platform/crypto/id-number.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles } from '../../platform/files/files.service.js';
import { validateCreditCode } from './credit-code.js';
import { toSummary } from './training.compliance.js';
import { trainingPolicy } from './training.policy.js';
import * as repo from './training.repository.js';

export const INSTITUTION = { zh: '培训机构', en: 'Institution' };
const BUREAU = { zh: '教育局', en: 'Bureau' };
const money = (cents: string | number | null) => (cents === null ? null : Number(cents) / 100);

/** Loads an institution the actor may change: 404 out of scope, 403 when only readable. */
export async function loadForManage(ctx: Pick<AppContext, 'db'>, actor: Actor, id: string) {
  const today = chinaToday();
  const row = await repo.findInstitution(ctx.db, actor, id, today);
  if (!row) throw notFound(INSTITUTION);
  if (!trainingPolicy.canManage(actor, row.unit_path)) throw forbidden();
  return row;
}

/** A county bureau in scope where the actor manages training (for creating institutions). */
async function countyForManage(ctx: AppContext, actor: Actor, unitId: string) {
  const unit = await repo.findUnit(ctx.db, actor, 'training.read', unitId);
  if (!unit) throw notFound(BUREAU);
  if (unit.kind !== 'county_bureau')
    throw badRequest('TRAINING_COUNTY', {
      zh: '培训机构应由区县教育局监管',
      en: 'Institutions are supervised by a county bureau',
    });
  if (!trainingPolicy.canManage(actor, unit.path)) throw forbidden();
  return unit;
}

function checkCode(code: string | null | undefined): string | null {
  if (code === undefined || code === null || code.trim() === '') return null;
  const r = validateCreditCode(code);
  if (!r.valid)
    throw badRequest('CREDIT_CODE_' + r.error, r.reason, [{ path: 'body/creditCode', message: r.error }]);
  return r.code;
}

function checkForm(category: string, legalForm: string, from: string | null, to: string | null) {
  if (category === 'subject' && legalForm !== 'non_profit')
    throw badRequest('TRAINING_SUBJECT_NON_PROFIT', {
      zh: '学科类培训机构须登记为非营利性机构',
      en: 'A subject-training institution must be non-profit',
    });
  if (from && to && to < from)
    throw badRequest('TRAINING_LICENCE_DATES', {
      zh: '许可证有效期止日早于起日',
      en: 'The licence ends before it starts',
    });
}

async function codeTaken(ctx: AppContext, code: string | null, exceptId: string | null) {
  if (!code) return;
  let q = ctx.db.selectFrom('training_institution').select(['id', 'name']).where('credit_code', '=', code);
  if (exceptId) q = q.where('id', '<>', exceptId);
  // The name is not shown: the other institution may be outside the actor's scope.
  if (await q.executeTakeFirst())
    throw conflict('CREDIT_CODE_TAKEN', {
      zh: '该统一社会信用代码已登记',
      en: 'This credit code is already registered',
    });
}

// ---------- institutions ----------

export async function listInstitutions(
  ctx: AppContext,
  actor: Actor,
  q: InstitutionListQuery,
): Promise<InstitutionPage> {
  const today = chinaToday();
  let unitPath: string | undefined;
  if (q.unitId) {
    const unit = await repo.findBureau(ctx.db, actor, 'training.read', q.unitId);
    if (!unit) throw notFound(BUREAU);
    unitPath = unit.path;
  }
  const rows = await repo.listInstitutions(
    ctx.db,
    actor,
    { unitPath, q: q.q?.trim() || undefined, category: q.category, status: q.status },
    today,
  );
  let items = rows.map((r) => toSummary(r, today));
  if (q.list) items = items.filter((i) => i.list === q.list);
  if (q.compliant) items = items.filter((i) => i.compliance.all === (q.compliant === 'yes'));
  const start = (q.page - 1) * q.pageSize;
  return {
    items: items.slice(start, start + q.pageSize),
    total: items.length,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getInstitution(ctx: AppContext, actor: Actor, id: string): Promise<InstitutionDetail> {
  const today = chinaToday();
  const row = await repo.findInstitution(ctx.db, actor, id, today);
  if (!row) throw notFound(INSTITUTION);
  const [venues, staff, courses, docs, events, inspections, open] = await repo.childrenOf(ctx.db, id);
  const rules = await repo.rulesFor(ctx.db, row.unit_path);
  const warn = rules?.warn_days ?? 30;
  const canManage = trainingPolicy.canManage(actor, row.unit_path);
  return {
    ...toSummary(row, today),
    legalForm: row.legal_form,
    address: row.address,
    legalPerson: row.legal_person,
    phone: row.phone,
    licenceNo: row.licence_no,
    licenceFrom: row.licence_from,
    blacklistReason: row.blacklist_reason,
    blacklistedOn: row.blacklisted_on,
    allowedTransitions: canManage ? [...TRAINING_TRANSITIONS[row.status as TrainingStatus]] : [],
    canManage,
    venues: venues.map(toVenue),
    staff: staff.map((s) => staffOut(ctx, s)),
    courses: courses.map((c) => ({
      id: c.id,
      name: c.name,
      pricePerHour: c.price_per_hour_cents / 100,
      hoursPerPeriod: c.hours_per_period,
      periodMonths: c.period_months,
      currentStudents: c.current_students,
      periodFee: (c.price_per_hour_cents * c.hours_per_period) / 100,
      active: c.active,
    })),
    documents: TRAINING_DOC_KINDS.map((kind) => {
      const d = docs.find((x) => x.kind === kind);
      const state = !d
        ? 'missing'
        : d.valid_to && d.valid_to < today
          ? 'expired'
          : d.valid_to && d.valid_to <= addDays(today, warn)
            ? 'expiring'
            : 'ok';
      return {
        kind,
        number: d?.number ?? null,
        validTo: d?.valid_to ?? null,
        fileId: d?.file_id ?? null,
        state,
      };
    }),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      fromStatus: e.from_status as TrainingStatus | null,
      toStatus: e.to_status as TrainingStatus | null,
      on: e.on_date,
      reason: e.reason,
      actorName: e.actor_name,
    })),
    funds: {
      custodyBank: row.custody_bank,
      custodyAccount: row.custody_account,
      custodyBalance: money(row.custody_balance_cents),
      custodyBalanceOn: row.custody_balance_on,
      reserve: money(row.reserve_cents),
      owed: Number(row.owed_cents) / 100,
      requiredReserve: Number(row.required_cents) / 100,
      orders: row.order_count,
    },
    inspections: inspections.map((i) => ({
      id: i.id,
      kind: i.kind,
      inspectedOn: i.inspected_on,
      agencies: i.agencies,
      people: i.people,
      summary: i.summary,
      findingIds: i.finding_ids,
    })),
    openFindings: open.n,
  };
}

const institutionColumns = (b: InstitutionUpdate) => ({
  ...(b.name !== undefined ? { name: b.name } : {}),
  ...(b.category !== undefined ? { category: b.category } : {}),
  ...(b.subType !== undefined ? { sub_type: b.subType } : {}),
  ...(b.legalForm !== undefined ? { legal_form: b.legalForm } : {}),
  ...(b.address !== undefined ? { address: b.address || null } : {}),
  ...(b.legalPerson !== undefined ? { legal_person: b.legalPerson || null } : {}),
  ...(b.phone !== undefined ? { phone: b.phone || null } : {}),
  ...(b.licenceNo !== undefined ? { licence_no: b.licenceNo || null } : {}),
  ...(b.licenceFrom !== undefined ? { licence_from: b.licenceFrom } : {}),
  ...(b.licenceTo !== undefined ? { licence_to: b.licenceTo } : {}),
});

export async function createInstitution(
  ctx: AppContext,
  actor: Actor,
  b: InstitutionInput,
  origin: AuditOrigin,
): Promise<InstitutionDetail> {
  return getInstitution(ctx, actor, await registerInstitution(ctx, actor, b, origin));
}

/** Registers an institution (applied, or — for the demo and tests — an initial status) and returns its id. */
export async function registerInstitution(
  ctx: AppContext,
  actor: Actor,
  b: InstitutionInput,
  origin: AuditOrigin,
  opts: { id?: string; status?: TrainingStatus; statusSince?: string } = {},
): Promise<string> {
  const unit = await countyForManage(ctx, actor, b.unitId);
  const code = checkCode(b.creditCode);
  checkForm(b.category, b.legalForm, b.licenceFrom ?? null, b.licenceTo ?? null);
  await codeTaken(ctx, code, null);
  const id = opts.id ?? timeOrderedId();
  const today = chinaToday();
  await ctx.db.transaction().execute(async (trx) => {
    const row = {
      id,
      unit_id: unit.id,
      credit_code: code,
      ...institutionColumns(b),
      name: b.name,
      category: b.category,
      legal_form: b.legalForm,
      status: opts.status ?? 'applied',
      status_since: opts.statusSince ?? today,
      created_by: actor.userId,
    };
    await trx.insertInto('training_institution').values(row).execute();
    await trx
      .insertInto('training_event')
      .values({
        id: timeOrderedId(),
        institution_id: id,
        kind: 'status',
        from_status: null,
        to_status: row.status,
        on_date: row.status_since,
        reason: opts.status ? '登记' : '提交申请',
        actor_id: actor.userId,
        actor_name: actor.displayName,
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'training.institution.create',
      objectType: 'training_institution',
      objectId: id,
      unitId: unit.id,
      after: row,
    });
  });
  return id;
}

export async function updateInstitution(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: InstitutionUpdate,
  origin: AuditOrigin,
): Promise<InstitutionDetail> {
  const row = await loadForManage(ctx, actor, id);
  const code = b.creditCode === undefined ? row.credit_code : checkCode(b.creditCode);
  checkForm(
    b.category ?? row.category,
    b.legalForm ?? row.legal_form,
    b.licenceFrom === undefined ? row.licence_from : b.licenceFrom,
    b.licenceTo === undefined ? row.licence_to : b.licenceTo,
  );
  await codeTaken(ctx, code, id);
  const patch = { ...institutionColumns(b), credit_code: code };
  const before = Object.fromEntries(Object.keys(patch).map((k) => [k, row[k as keyof typeof row]]));
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('training_institution')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, origin, {
      action: 'training.institution.update',
      objectType: 'training_institution',
      objectId: id,
      unitId: row.unit_id,
      before,
      after: patch,
    });
  });
  return getInstitution(ctx, actor, id);
}

// ---------- lifecycle and black list ----------

export async function changeStatus(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { to: TrainingStatus; on: string; reason: string },
  origin: AuditOrigin,
): Promise<InstitutionDetail> {
  await applyStatus(ctx, actor, id, b, origin);
  return getInstitution(ctx, actor, id);
}

/** The status change itself (allowed transitions only, dated, with a reason, audited). */
export async function applyStatus(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { to: TrainingStatus; on: string; reason: string },
  origin: AuditOrigin,
): Promise<void> {
  const row = await loadForManage(ctx, actor, id);
  const from = row.status as TrainingStatus;
  if (!TRAINING_TRANSITIONS[from].includes(b.to))
    throw new AppError(409, 'TRAINING_TRANSITION', {
      zh: `不能从“${trainingStatusLabels[from].zh}”变为“${trainingStatusLabels[b.to].zh}”`,
      en: `Cannot go from ${trainingStatusLabels[from].en} to ${trainingStatusLabels[b.to].en}`,
    });
  if (b.on > chinaToday() || b.on < row.status_since)
    throw badRequest('TRAINING_STATUS_DATE', {
      zh: `日期应在${row.status_since}至今天之间`,
      en: `The date must lie between ${row.status_since} and today`,
    });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('training_institution')
      .set({ status: b.to, status_since: b.on, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await addEvent(trx, actor, id, {
      kind: 'status',
      from_status: from,
      to_status: b.to,
      on_date: b.on,
      reason: b.reason,
    });
    await recordAudit(trx, origin, {
      action: 'training.institution.status',
      objectType: 'training_institution',
      objectId: id,
      unitId: row.unit_id,
      before: { status: from, statusSince: row.status_since },
      after: { status: b.to, statusSince: b.on, reason: b.reason },
    });
  });
}

async function addEvent(
  trx: Transaction<DB>,
  actor: Actor,
  institutionId: string,
  e: {
    kind: 'status' | 'blacklist' | 'unblacklist';
    from_status?: string;
    to_status?: string;
    on_date: string;
    reason: string;
  },
) {
  await trx
    .insertInto('training_event')
    .values({
      id: timeOrderedId(),
      institution_id: institutionId,
      from_status: null,
      to_status: null,
      ...e,
      actor_id: actor.userId,
      actor_name: actor.via === 'system' ? null : actor.displayName,
    })
    .execute();
}

export async function setBlacklist(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { on?: string; reason: string },
  black: boolean,
  origin: AuditOrigin,
): Promise<InstitutionDetail> {
  await applyBlacklist(ctx, actor, id, b, black, origin);
  return getInstitution(ctx, actor, id);
}

/** Puts an institution on the black list (with reason and date) or takes it off, audited. */
export async function applyBlacklist(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { on?: string; reason: string },
  black: boolean,
  origin: AuditOrigin,
): Promise<void> {
  const row = await loadForManage(ctx, actor, id);
  if (row.blacklisted === black)
    throw conflict('TRAINING_LIST_UNCHANGED', {
      zh: black ? '该机构已在黑名单中' : '该机构不在黑名单中',
      en: black ? 'Already black-listed' : 'Not black-listed',
    });
  const on = b.on ?? chinaToday();
  if (on > chinaToday())
    throw badRequest('TRAINING_LIST_DATE', {
      zh: '日期不能晚于今天',
      en: 'The date cannot be in the future',
    });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('training_institution')
      .set(
        black
          ? { blacklisted: true, blacklist_reason: b.reason, blacklisted_on: on, updated_at: new Date() }
          : { blacklisted: false, blacklist_reason: null, blacklisted_on: null, updated_at: new Date() },
      )
      .where('id', '=', id)
      .execute();
    await addEvent(trx, actor, id, {
      kind: black ? 'blacklist' : 'unblacklist',
      on_date: on,
      reason: b.reason,
    });
    await recordAudit(trx, origin, {
      action: black ? 'training.institution.blacklist' : 'training.institution.unblacklist',
      objectType: 'training_institution',
      objectId: id,
      unitId: row.unit_id,
      before: { blacklisted: row.blacklisted, reason: row.blacklist_reason, on: row.blacklisted_on },
      after: { blacklisted: black, reason: b.reason, on },
    });
  });
}

// ---------- venues ----------

function toVenue(v: {
  id: string;
  address: string;
  area_m2: string;
  fire_accepted: boolean;
  fire_cert_no: string | null;
  approved: boolean;
  approved_on: string | null;
}): Venue {
  return {
    id: v.id,
    address: v.address,
    areaM2: Number(v.area_m2),
    fireAccepted: v.fire_accepted,
    fireCertNo: v.fire_cert_no,
    approved: v.approved,
    approvedOn: v.approved_on,
  };
}

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

function toStaff(
  s: {
    id: string;
    name: string;
    id_number_enc: string | null;
    role: 'teacher' | 'manager' | 'other';
    subject_teaching: boolean;
    teacher_cert_no: string | null;
    background_checked: boolean;
    background_checked_on: string | null;
    active: boolean;
  },
  masked?: string | null,
): Staff {
  return {
    id: s.id,
    name: s.name,
    idNumberMasked: masked ?? null,
    role: s.role,
    subjectTeaching: s.subject_teaching,
    teacherCertNo: s.teacher_cert_no,
    backgroundChecked: s.background_checked,
    backgroundCheckedOn: s.background_checked_on,
    active: s.active,
  };
}

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
export function staffOut(ctx: AppContext, s: Parameters<typeof toStaff>[0]): Staff {
  return toStaff(s, s.id_number_enc ? maskIdNumber(ctx.vault.decrypt(s.id_number_enc)) : null);
}

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
