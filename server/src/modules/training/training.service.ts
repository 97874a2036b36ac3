/**
 * The registry of training institutions: the scope checks shared by the module (loadForManage, the bureau
 * of a filter), the list with its filters (drill-down included), the detail, registration and edits. The
 * lifecycle and the black list: training.lifecycle.ts; venues, staff and documents: training.children.ts;
 * courses, orders and funds: training.prepaid.ts. Every change is audited in its own transaction.
 */
import {
  TRAINING_DOC_KINDS,
  TRAINING_TRANSITIONS,
  type InstitutionDetail,
  type InstitutionInput,
  type InstitutionListQuery,
  type InstitutionPage,
  type InstitutionUpdate,
  type TrainingStatus,
} from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { validateCreditCode } from './credit-code.js';
import { toSummary } from './training.compliance.js';
import { trainingPolicy } from './training.policy.js';
import * as repo from './training.repository.js';
import { staffOut, toVenue } from './training.mapping.js';

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

/** The bureau a list or report is narrowed to (out of scope: 404). */
export async function bureauInScope(ctx: AppContext, actor: Actor, unitId: string | undefined) {
  if (!unitId) return undefined;
  const unit = await repo.findBureau(ctx.db, actor, 'training.read', unitId);
  if (!unit) throw notFound(BUREAU);
  return unit;
}

/**
 * Every institution in scope matching the list's filters, with its summary (compliance computed today).
 * `compliant` applies to `aspect` when one is given, else to all five.
 */
export async function filterInstitutions(
  ctx: AppContext,
  actor: Actor,
  q: Omit<InstitutionListQuery, 'page' | 'pageSize'>,
) {
  const today = chinaToday();
  const unit = await bureauInScope(ctx, actor, q.unitId);
  const rows = await repo.listInstitutions(
    ctx.db,
    actor,
    {
      unitPath: unit?.path,
      q: q.q?.trim() || undefined,
      category: q.category,
      status: q.status,
      supervised: q.supervised === 'yes',
      published: q.published === 'yes',
      movedTo: q.movedTo,
      from: q.from,
      to: q.to,
    },
    today,
  );
  let items = rows.map((row) => ({ row, summary: toSummary(row, today) }));
  if (q.list) items = items.filter((i) => i.summary.list === q.list);
  if (q.compliant) {
    const want = q.compliant === 'yes';
    const aspect = q.aspect ?? 'all';
    items = items.filter((i) => i.summary.compliance[aspect] === want);
  }
  return { unit, items };
}

export async function listInstitutions(
  ctx: AppContext,
  actor: Actor,
  q: InstitutionListQuery,
): Promise<InstitutionPage> {
  const { items } = await filterInstitutions(ctx, actor, q);
  const start = (q.page - 1) * q.pageSize;
  return {
    items: items.slice(start, start + q.pageSize).map((i) => i.summary),
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
