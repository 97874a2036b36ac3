/**
 * Prepaid fees (预收费): courses and their fees, orders recorded by the bureau (form, API or import),
 * custody-account balances and risk reserves, the regions' rules, and the check that turns violations into
 * findings in the ledger — one finding per violation (institution, rule, order), never twice while open.
 */
import {
  prepaidRuleLabels,
  type CourseInput,
  type Order,
  type OrderInput,
  type PrepaidCheckResult,
  type PrepaidRule,
  type PrepaidRules,
  type PrepaidViolation,
} from '@dudao/contracts';
import { OrderInput as OrderInputSchema } from '@dudao/contracts';
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { systemActor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { raiseFindings, type RaiseFinding } from '../findings/findings.service.js';
import { fundsSupervised } from './training.compliance.js';
import { trainingPolicy } from './training.policy.js';
import * as repo from './training.repository.js';
import { loadChildForManage, writeChild } from './training.children.js';
import { getInstitution, loadForManage } from './training.service.js';

/** The national defaults (教育部等三部门 2021 预收费通知): 3 months / 60 class hours; 5,000 yuan; 30 days' warning. */
export const DEFAULT_RULES = { maxMonths: 3, maxHours: 60, maxNonSubjectCents: 500_000, warnDays: 30 };
const BUREAU = { zh: '教育局', en: 'Bureau' };
const yuan = (c: number) => (c / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
const cents = (y: number) => Math.round(y * 100);

export interface Rules {
  maxMonths: number;
  maxHours: number;
  maxNonSubjectCents: number;
  warnDays: number;
}

export async function effectiveRules(
  db: repo.Db,
  unitPath: string,
): Promise<Rules & { fromUnitId: string | null }> {
  const r = await repo.rulesFor(db, unitPath);
  if (!r) return { ...DEFAULT_RULES, fromUnitId: null };
  return {
    maxMonths: r.max_months,
    maxHours: r.max_hours,
    maxNonSubjectCents: Number(r.max_non_subject_cents),
    warnDays: r.warn_days,
    fromUnitId: r.unit_id,
  };
}

// ---------- the rules, pure ----------

export interface OrderFacts {
  order_no: string;
  amount_cents: number;
  class_hours: number;
  covers_months: number;
  refunded: boolean;
}
export interface InstitutionFacts {
  category: 'subject' | 'non_subject';
  custody_account: string | null;
  custody_balance_cents: string | null;
  reserve_cents: string | null;
  owed_cents: string;
  required_cents: string;
  credit_code: string | null;
}

/** The violations of one institution under `rules` (subject: the order number, '' for institution-wide). */
export function violationsOf(
  inst: InstitutionFacts,
  orders: OrderFacts[],
  rules: Rules,
): { rule: PrepaidRule; subject: string; zh: string; en: string }[] {
  const out: { rule: PrepaidRule; subject: string; zh: string; en: string }[] = [];
  for (const o of orders) {
    if (o.refunded) continue;
    if (o.class_hours > rules.maxHours || o.covers_months > rules.maxMonths)
      out.push({
        rule: 'period',
        subject: o.order_no,
        zh: `订单${o.order_no}一次性收取${o.class_hours}课时、${o.covers_months}个月费用（上限${rules.maxHours}课时或${rules.maxMonths}个月）`,
        en: `Order ${o.order_no} covers ${o.class_hours} hours / ${o.covers_months} months (limit ${rules.maxHours} / ${rules.maxMonths})`,
      });
    if (inst.category === 'non_subject' && o.amount_cents > rules.maxNonSubjectCents)
      out.push({
        rule: 'amount',
        subject: o.order_no,
        zh: `订单${o.order_no}收费${yuan(o.amount_cents)}元，超过非学科类单次收费上限${yuan(rules.maxNonSubjectCents)}元`,
        en: `Order ${o.order_no} charges ${o.amount_cents / 100} yuan, over the ${rules.maxNonSubjectCents / 100} limit`,
      });
  }
  const owed = Number(inst.owed_cents);
  const required = Number(inst.required_cents);
  if (!fundsSupervised(inst) && (owed > 0 || required > 0)) {
    if (inst.custody_account) {
      const bal = Number(inst.custody_balance_cents ?? 0);
      out.push({
        rule: 'custody',
        subject: '',
        zh: `监管账户余额${yuan(bal)}元，低于未消课金额${yuan(owed)}元`,
        en: `Custody balance ${bal / 100} below untaught fees ${owed / 100}`,
      });
    } else {
      const res = Number(inst.reserve_cents ?? 0);
      out.push({
        rule: 'reserve',
        subject: '',
        zh: `未开设资金监管账户，风险保证金${inst.reserve_cents === null ? '未缴纳' : yuan(res) + '元'}，低于一个收费周期费用${yuan(required)}元`,
        en: `No custody account; risk reserve ${res / 100} below one billing period ${required / 100}`,
      });
    }
  }
  return out;
}

// ---------- the check: violations → findings ----------

/**
 * Checks one institution inside the caller's transaction and raises a finding per new violation (a violation
 * whose earlier finding is still open is not raised again; one closed and still violated is raised anew).
 */
export async function checkInstitution(
  trx: Transaction<DB>,
  origin: AuditOrigin,
  institutionId: string,
): Promise<{ violations: PrepaidViolation[]; raised: number }> {
  const today = chinaToday();
  const sys = systemActor('training');
  const inst = await repo.findInstitution(trx, sys, institutionId, today);
  if (!inst) return { violations: [], raised: 0 };
  const rules = await effectiveRules(trx, inst.unit_path);
  const orders = await trx
    .selectFrom('training_order')
    .select(['order_no', 'amount_cents', 'class_hours', 'covers_months', 'refunded'])
    .where('institution_id', '=', institutionId)
    .execute();
  const found = violationsOf(
    inst,
    orders.map((o) => ({ ...o, amount_cents: Number(o.amount_cents) })),
    rules,
  );
  const hits = await trx
    .selectFrom('training_rule_hit as h')
    .innerJoin('finding as f', 'f.id', 'h.finding_id')
    .select(['h.id', 'h.rule', 'h.subject_key', 'h.finding_id', 'f.status', 'f.no'])
    .where('h.institution_id', '=', institutionId)
    .execute();
  const toRaise: { v: (typeof found)[number]; hitId: string | null }[] = [];
  for (const v of found) {
    const hit = hits.find((h) => h.rule === v.rule && h.subject_key === v.subject);
    if (!hit || hit.status === 'closed') toRaise.push({ v, hitId: hit?.id ?? null });
  }
  const items: RaiseFinding[] = toRaise.map(({ v }) => ({
    unitId: inst.unit_id,
    source: 'rule',
    sourceType: 'training_institution',
    sourceId: institutionId,
    category: 'training',
    subcategory: `prepaid.${v.rule}`,
    severity: v.rule === 'custody' || v.rule === 'reserve' ? 'major' : 'general',
    title: `${inst.name}：${prepaidRuleLabels[v.rule].zh}`,
    description: v.zh,
    basis: '《关于加强校外培训机构预收费监管工作的通知》（教监管厅函〔2021〕6号）',
    deadline: addDays(today, 15),
  }));
  const { findingIds } = await raiseFindings(trx, { db: trx }, origin, items, {
    notify: false,
    raisedByUnitId: inst.unit_id,
  });
  for (let n = 0; n < toRaise.length; n++) {
    const { v, hitId } = toRaise[n]!;
    if (hitId)
      await trx
        .updateTable('training_rule_hit')
        .set({ finding_id: findingIds[n]! })
        .where('id', '=', hitId)
        .execute();
    else
      await trx
        .insertInto('training_rule_hit')
        .values({
          id: timeOrderedId(),
          institution_id: institutionId,
          rule: v.rule,
          subject_key: v.subject,
          finding_id: findingIds[n]!,
        })
        .execute();
  }
  const linked = await trx
    .selectFrom('training_rule_hit as h')
    .innerJoin('finding as f', 'f.id', 'h.finding_id')
    .select(['h.rule', 'h.subject_key', 'f.id', 'f.no'])
    .where('h.institution_id', '=', institutionId)
    .execute();
  return {
    raised: toRaise.length,
    violations: found.map((v) => {
      const l = linked.find((h) => h.rule === v.rule && h.subject_key === v.subject);
      return {
        institutionId,
        institutionName: inst.name,
        unitName: inst.unit_name,
        rule: v.rule,
        subject: v.subject,
        detail: { zh: v.zh, en: v.en },
        findingId: l?.id ?? null,
        findingNo: l?.no ?? null,
      };
    }),
  };
}

/** Checks every institution of a bureau's area (training.manage there); returns all current violations. */
export async function checkRegion(
  ctx: AppContext,
  actor: Actor,
  unitId: string,
  origin: AuditOrigin,
): Promise<PrepaidCheckResult> {
  const unit = await repo.findBureau(ctx.db, actor, 'training.read', unitId);
  if (!unit) throw notFound(BUREAU);
  if (!trainingPolicy.canManage(actor, unit.path)) throw forbidden();
  const ids = await ctx.db
    .selectFrom('training_institution as i')
    .innerJoin('unit as u', 'u.id', 'i.unit_id')
    .select('i.id')
    .where('u.path', 'like', unit.path + '%')
    .where(repo.visible(actor, 'training.manage'))
    .orderBy('i.id')
    .execute();
  const violations: PrepaidViolation[] = [];
  let raised = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (const { id } of ids) {
      const r = await checkInstitution(trx, origin, id);
      violations.push(...r.violations);
      raised += r.raised;
    }
    await recordAudit(trx, origin, {
      action: 'training.prepaid.check',
      objectType: 'unit',
      objectId: unit.id,
      unitId: unit.id,
      after: { institutions: ids.length, violations: violations.length, raised },
    });
  });
  return { violations, raised };
}

/** Current violations in the actor's scope (read-only: nothing is raised), with their findings. */
export async function listViolations(
  ctx: AppContext,
  actor: Actor,
  unitId?: string,
): Promise<PrepaidViolation[]> {
  const today = chinaToday();
  let unitPath: string | undefined;
  if (unitId) {
    const unit = await repo.findBureau(ctx.db, actor, 'training.read', unitId);
    if (!unit) throw notFound(BUREAU);
    unitPath = unit.path;
  }
  const insts = await repo.listInstitutions(ctx.db, actor, { unitPath }, today);
  if (insts.length === 0) return [];
  const ids = insts.map((i) => i.id);
  const [orders, hits, ruleRows] = await Promise.all([
    ctx.db
      .selectFrom('training_order')
      .select(['institution_id', 'order_no', 'amount_cents', 'class_hours', 'covers_months', 'refunded'])
      .where('institution_id', 'in', ids)
      .execute(),
    ctx.db
      .selectFrom('training_rule_hit as h')
      .innerJoin('finding as f', 'f.id', 'h.finding_id')
      .select(['h.institution_id', 'h.rule', 'h.subject_key', 'f.id', 'f.no'])
      .where('h.institution_id', 'in', ids)
      .execute(),
    ctx.db.selectFrom('training_rule_set').selectAll().execute(),
  ]);
  const out: PrepaidViolation[] = [];
  for (const inst of insts) {
    const ancestors = inst.unit_path.split('/').filter(Boolean).reverse();
    const r = ancestors.map((a) => ruleRows.find((x) => x.unit_id === a)).find(Boolean);
    const rules = r
      ? {
          maxMonths: r.max_months,
          maxHours: r.max_hours,
          maxNonSubjectCents: Number(r.max_non_subject_cents),
          warnDays: r.warn_days,
        }
      : DEFAULT_RULES;
    const mine = orders
      .filter((o) => o.institution_id === inst.id)
      .map((o) => ({ ...o, amount_cents: Number(o.amount_cents) }));
    for (const v of violationsOf(inst, mine, rules)) {
      const h = hits.find(
        (x) => x.institution_id === inst.id && x.rule === v.rule && x.subject_key === v.subject,
      );
      out.push({
        institutionId: inst.id,
        institutionName: inst.name,
        unitName: inst.unit_name,
        rule: v.rule,
        subject: v.subject,
        detail: { zh: v.zh, en: v.en },
        findingId: h?.id ?? null,
        findingNo: h?.no ?? null,
      });
    }
  }
  return out;
}

// ---------- rules per region ----------

export async function getRules(ctx: AppContext, actor: Actor, unitId: string): Promise<PrepaidRules> {
  const unit = await repo.findBureau(ctx.db, actor, 'training.read', unitId);
  if (!unit) throw notFound(BUREAU);
  const r = await effectiveRules(ctx.db, unit.path);
  return {
    unitId,
    fromUnitId: r.fromUnitId,
    maxMonths: r.maxMonths,
    maxHours: r.maxHours,
    maxNonSubject: r.maxNonSubjectCents / 100,
    warnDays: r.warnDays,
  };
}

export async function setRules(
  ctx: AppContext,
  actor: Actor,
  b: { unitId: string; maxMonths: number; maxHours: number; maxNonSubject: number; warnDays: number },
  origin: AuditOrigin,
): Promise<PrepaidRules> {
  const unit = await repo.findBureau(ctx.db, actor, 'training.read', b.unitId);
  if (!unit) throw notFound(BUREAU);
  if (!trainingPolicy.canSetRules(actor, unit.path)) throw forbidden();
  const before = await getRules(ctx, actor, b.unitId);
  const row = {
    max_months: b.maxMonths,
    max_hours: b.maxHours,
    max_non_subject_cents: cents(b.maxNonSubject),
    warn_days: b.warnDays,
    updated_by: actor.userId,
    updated_at: new Date(),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('training_rule_set')
      .values({ unit_id: unit.id, ...row })
      .onConflict((oc) => oc.column('unit_id').doUpdateSet(row))
      .execute();
    await recordAudit(trx, origin, {
      action: 'training.rules.update',
      objectType: 'unit',
      objectId: unit.id,
      unitId: unit.id,
      before,
      after: b,
    });
  });
  return getRules(ctx, actor, b.unitId);
}

// ---------- courses ----------

const courseColumns = (b: Partial<CourseInput>) => ({
  ...(b.name !== undefined ? { name: b.name } : {}),
  ...(b.pricePerHour !== undefined ? { price_per_hour_cents: cents(b.pricePerHour) } : {}),
  ...(b.hoursPerPeriod !== undefined ? { hours_per_period: b.hoursPerPeriod } : {}),
  ...(b.periodMonths !== undefined ? { period_months: b.periodMonths } : {}),
  ...(b.currentStudents !== undefined ? { current_students: b.currentStudents } : {}),
  ...(b.active !== undefined ? { active: b.active } : {}),
});

export async function addCourse(
  ctx: AppContext,
  actor: Actor,
  institutionId: string,
  b: CourseInput,
  origin: AuditOrigin,
) {
  const inst = await loadForManage(ctx, actor, institutionId);
  await writeChild(ctx, origin, inst, 'training_course', { insert: courseColumns(b) }, {}, (trx) =>
    checkInstitution(trx, origin, institutionId).then(() => undefined),
  );
  return getInstitution(ctx, actor, institutionId);
}

export async function updateCourse(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: Partial<CourseInput>,
  origin: AuditOrigin,
) {
  const { inst } = await loadChildForManage(ctx, actor, 'training_course', id);
  await writeChild(ctx, origin, inst, 'training_course', { update: id, set: courseColumns(b) }, {}, (trx) =>
    checkInstitution(trx, origin, inst.id).then(() => undefined),
  );
  return getInstitution(ctx, actor, inst.id);
}

// ---------- funds ----------

export async function setFunds(
  ctx: AppContext,
  actor: Actor,
  institutionId: string,
  b: {
    custodyBank?: string | null;
    custodyAccount?: string | null;
    custodyBalance?: number | null;
    custodyBalanceOn?: string | null;
    reserve?: number | null;
  },
  origin: AuditOrigin,
): Promise<PrepaidCheckResult> {
  const inst = await loadForManage(ctx, actor, institutionId);
  const set = {
    ...(b.custodyBank !== undefined ? { custody_bank: b.custodyBank || null } : {}),
    ...(b.custodyAccount !== undefined ? { custody_account: b.custodyAccount || null } : {}),
    ...(b.custodyBalance !== undefined
      ? { custody_balance_cents: b.custodyBalance === null ? null : cents(b.custodyBalance) }
      : {}),
    ...(b.custodyBalanceOn !== undefined ? { custody_balance_on: b.custodyBalanceOn } : {}),
    ...(b.reserve !== undefined ? { reserve_cents: b.reserve === null ? null : cents(b.reserve) } : {}),
  };
  if (b.custodyBalanceOn && b.custodyBalanceOn > chinaToday())
    throw badRequest('TRAINING_FUNDS_DATE', {
      zh: '余额日期不能晚于今天',
      en: 'The balance date cannot be in the future',
    });
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('training_institution')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', institutionId)
      .execute();
    await recordAudit(trx, origin, {
      action: 'training.funds.update',
      objectType: 'training_institution',
      objectId: institutionId,
      unitId: inst.unit_id,
      before: Object.fromEntries(Object.keys(set).map((k) => [k, inst[k as keyof typeof inst]])),
      after: set,
    });
    return checkInstitution(trx, origin, institutionId);
  });
}

// ---------- orders ----------

function toOrder(o: {
  id: string;
  order_no: string;
  course_id: string | null;
  paid_on: string;
  amount_cents: string;
  class_hours: number;
  covers_months: number;
  hours_taught: number;
  refunded: boolean;
  source: 'bureau' | 'import' | 'api';
}): Order {
  return {
    id: o.id,
    orderNo: o.order_no,
    courseId: o.course_id,
    paidOn: o.paid_on,
    amount: Number(o.amount_cents) / 100,
    classHours: o.class_hours,
    coversMonths: o.covers_months,
    hoursTaught: o.hours_taught,
    refunded: o.refunded,
    source: o.source,
  };
}

export async function listOrders(ctx: AppContext, actor: Actor, institutionId: string): Promise<Order[]> {
  const inst = await repo.findInstitution(ctx.db, actor, institutionId, chinaToday());
  if (!inst) throw notFound({ zh: '培训机构', en: 'Institution' });
  const rows = await ctx.db
    .selectFrom('training_order')
    .selectAll()
    .where('institution_id', '=', institutionId)
    .orderBy('paid_on', 'desc')
    .orderBy('order_no')
    .limit(2000)
    .execute();
  return rows.map(toOrder);
}

/**
 * Records orders (insert or update by order number), then checks the institution. Each order is validated
 * first; one bad order refuses the batch (the import reports per-row errors before calling this).
 */
export async function saveOrders(
  ctx: AppContext,
  actor: Actor,
  institutionId: string,
  orders: (OrderInput & { hoursTaught: number; refunded: boolean })[],
  source: 'bureau' | 'import' | 'api',
  origin: AuditOrigin,
): Promise<{ created: number; updated: number; raised: number }> {
  const inst = await loadForManage(ctx, actor, institutionId);
  const today = chinaToday();
  const courseIds = [...new Set(orders.map((o) => o.courseId).filter((c): c is string => !!c))];
  if (courseIds.length > 0) {
    const known = await ctx.db
      .selectFrom('training_course')
      .select('id')
      .where('institution_id', '=', institutionId)
      .where('id', 'in', courseIds)
      .execute();
    if (known.length !== courseIds.length)
      throw badRequest('TRAINING_ORDER_COURSE', {
        zh: '课程不属于该机构',
        en: 'The course is not the institution’s',
      });
  }
  const seen = new Set<string>();
  for (const o of orders) {
    if (seen.has(o.orderNo))
      throw badRequest('TRAINING_ORDER_DUPLICATE', {
        zh: `订单号${o.orderNo}重复`,
        en: `Order ${o.orderNo} appears twice`,
      });
    seen.add(o.orderNo);
    if (o.paidOn > today)
      throw badRequest('TRAINING_ORDER_DATE', {
        zh: `订单${o.orderNo}缴费日期晚于今天`,
        en: `Order ${o.orderNo} is dated in the future`,
      });
    if (o.hoursTaught > o.classHours)
      throw badRequest('TRAINING_ORDER_HOURS', {
        zh: `订单${o.orderNo}已消课时超过所购课时`,
        en: `Order ${o.orderNo}: hours taught exceed hours bought`,
      });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const existing = new Set(
      (
        await trx
          .selectFrom('training_order')
          .select('order_no')
          .where('institution_id', '=', institutionId)
          .where('order_no', 'in', [...seen])
          .execute()
      ).map((r) => r.order_no),
    );
    for (const o of orders) {
      const vals = {
        course_id: o.courseId ?? null,
        paid_on: o.paidOn,
        amount_cents: cents(o.amount),
        class_hours: o.classHours,
        covers_months: o.coversMonths,
        hours_taught: o.hoursTaught,
        refunded: o.refunded,
        source,
      };
      await trx
        .insertInto('training_order')
        .values({ id: timeOrderedId(), institution_id: institutionId, order_no: o.orderNo, ...vals })
        .onConflict((oc) => oc.columns(['institution_id', 'order_no']).doUpdateSet(vals))
        .execute();
    }
    const updated = orders.filter((o) => existing.has(o.orderNo)).length;
    await recordAudit(trx, origin, {
      action: 'training.orders.save',
      objectType: 'training_institution',
      objectId: institutionId,
      unitId: inst.unit_id,
      after: { source, created: orders.length - updated, updated, orderNos: [...seen].slice(0, 200) },
    });
    const r = await checkInstitution(trx, origin, institutionId);
    return { created: orders.length - updated, updated, raised: r.raised };
  });
}

/** Validates rows parsed from an import against the API's shape; returns orders and per-row errors. */
export function parseOrderRows(rows: { row: number; values: Record<string, unknown> }[]) {
  const orders: (OrderInput & { hoursTaught: number; refunded: boolean })[] = [];
  const errors: { row: number; message: string }[] = [];
  for (const r of rows) {
    const p = OrderInputSchema.safeParse(r.values);
    if (p.success && p.data.hoursTaught > p.data.classHours)
      errors.push({ row: r.row, message: `已消课时${p.data.hoursTaught}超过所购课时${p.data.classHours}` });
    else if (p.success) orders.push(p.data);
    else
      errors.push({
        row: r.row,
        message: p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      });
  }
  return { orders, errors };
}
