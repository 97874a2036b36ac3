/**
 * 数据填报: entry (save, submit), the rule check, and the bottom-up approval — school submits, county
 * approves or returns, city accepts the county; approved data is locked; reopening needs a reason and is
 * audited. Every change is written with its audit event in one transaction.
 */
import {
  checkValue,
  evaluateRule,
  isPeriod,
  numericValue,
  previousPeriod,
  type AcceptBody,
  type EntryKey,
  type EntrySave,
  type EntryValue,
  type EntryView,
  type Lang,
  type RegistryFigure,
  type RuleResult,
  type SubmissionStatus,
} from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { collectionPolicy as policy } from './collection.policy.js';
import * as repo from './collection.repository.js';
import type { Db, ElementRow, FormRow, RuleRow, SubmissionRow, UnitRow } from './collection.repository.js';

type Origin = AuditOrigin & { actor: Actor };
type Values = Record<string, EntryValue>;

const notFoundForm = () => notFound({ zh: '报表', en: 'Form' });
const notFoundUnit = () => notFound({ zh: '单位', en: 'Unit' });
const notFoundSubmission = () => notFound({ zh: '填报记录', en: 'Submission' });
export const lockedError = () =>
  new AppError(409, 'COLLECTION_LOCKED', {
    zh: '数据已审核锁定，不能修改；如需修改，请由审核单位填写理由后重新打开',
    en: 'The figures are approved and locked; the approving bureau must reopen them (with a reason) first',
  });

/** Whether a unit is one the form is for. */
export function isTarget(form: Pick<FormRow, 'targets'>, u: Pick<UnitRow, 'kind' | 'stage'>) {
  if (u.kind === 'county_bureau') return form.targets.includes('county_bureau');
  return u.kind === 'school' && u.stage !== null && form.targets.includes(u.stage);
}

/** Registry values as element codes see them: element code → the registry figure it pre-fills from. */
export function prefillOf(elements: ElementRow[], registry: Record<RegistryFigure, number> | undefined) {
  const out: Record<string, number> = {};
  if (!registry) return out;
  for (const e of elements)
    if (e.prefill && e.prefill in registry) out[e.code] = registry[e.prefill as RegistryFigure];
  return out;
}

/** Runs the form's active rules over a unit's figures. */
export function checkRules(
  rules: RuleRow[],
  values: Values,
  previous: Values,
  registry: Partial<Record<string, number>>,
  lang: Lang,
): { results: RuleResult[]; errors: number; warnings: number } {
  const lookup = (code: string, prev: boolean) =>
    prev
      ? numericValue(previous[code])
      : code.startsWith('reg.')
        ? (registry[code] ?? null)
        : numericValue(values[code]);
  const results = rules
    .filter((r) => r.active)
    .map((r) =>
      evaluateRule(
        {
          id: r.id,
          name: r.name,
          left: r.left_expr,
          operator: r.operator,
          right: r.right_expr,
          missing: r.missing,
          importance: r.importance,
          message: r.message,
        },
        lookup,
        lang,
      ),
    );
  const failed = results.filter((r) => r.outcome === 'fail');
  return {
    results,
    errors: failed.filter((r) => r.importance === 'error').length,
    warnings: failed.filter((r) => r.importance === 'warning').length,
  };
}

interface Loaded {
  form: FormRow;
  unit: UnitRow;
  elements: ElementRow[];
  rules: RuleRow[];
  row: SubmissionRow | undefined;
  previous: Values;
  registry: Record<RegistryFigure, number> | undefined;
}

/** Everything one entry needs, after the scope check (404 outside) and the form's checks. */
async function load(db: Db, actor: Actor, key: EntryKey): Promise<Loaded> {
  const unit = await repo.findUnit(db, actor, 'collection.read', key.unitId);
  if (!unit) throw notFoundUnit();
  const form = await repo.formById(db, key.formId);
  if (!form) throw notFoundForm();
  if (!isTarget(form, unit))
    throw badRequest('COLLECTION_NOT_ASSIGNED', {
      zh: `“${form.name}”不由“${unit.name}”填报`,
      en: `${unit.name} does not fill in this form`,
    });
  if (!isPeriod(form.period_type, key.period))
    throw badRequest('COLLECTION_BAD_PERIOD', {
      zh: `报告期“${key.period}”的写法不对`,
      en: `Bad period “${key.period}” for this form`,
    });
  const [elements, rules, row, prev] = await Promise.all([
    repo.elementsByCodes(db, repo.formCodes(form)),
    repo.rulesOf(db, form.id, true),
    repo.submissionOf(db, form.id, unit.id, key.period),
    repo.submissionOf(db, form.id, unit.id, previousPeriod(form.period_type, key.period)),
  ]);
  const registry =
    unit.kind === 'school'
      ? (await repo.registryFigures(db, [unit.id], key.period.slice(0, 4))).get(unit.id)
      : undefined;
  return { form, unit, elements, rules, row, previous: prev?.vals ?? {}, registry };
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

function view(actor: Actor, l: Loaded, county: UnitRow | undefined, lang: Lang): EntryView {
  const status: SubmissionStatus = l.row?.status ?? 'not_started';
  const editable = status === 'not_started' || status === 'draft' || status === 'returned';
  const values = l.row?.vals ?? {};
  const prefill = prefillOf(l.elements, l.registry);
  const { results } = checkRules(l.rules, values, l.previous, l.registry ?? {}, lang);
  const canApprove = policy.canApprove(actor, l.unit.path);
  return {
    id: l.row?.id ?? null,
    formId: l.form.id,
    unitId: l.unit.id,
    unitName: l.unit.name,
    countyName: county && county.id !== l.unit.id ? county.name : null,
    period: l.row?.period ?? '',
    status,
    values,
    previous: l.previous,
    prefill,
    registry: l.registry ?? {},
    prefilled: l.row?.prefilled ?? [],
    explanations: l.row?.explanations ?? {},
    results,
    locked: status === 'approved' || status === 'accepted',
    returnReason: l.row?.return_reason ?? null,
    submittedAt: iso(l.row?.submitted_at),
    approvedAt: iso(l.row?.approved_at),
    acceptedAt: iso(l.row?.accepted_at),
    updatedAt: iso(l.row?.updated_at),
    can: {
      edit: editable && policy.canEnter(actor, l.unit.path),
      submit: editable && policy.canEnter(actor, l.unit.path),
      approve: status === 'submitted' && canApprove,
      return: status === 'submitted' && canApprove,
      reopen:
        (status === 'approved' && canApprove) ||
        (status === 'accepted' && county !== undefined && policy.canAccept(actor, county.path)),
    },
  };
}

/** GET /api/collection/entry: a unit's figures for a form and period (an empty entry when none yet). */
export async function getEntry(ctx: AppContext, actor: Actor, key: EntryKey, lang: Lang): Promise<EntryView> {
  const l = await load(ctx.db, actor, key);
  const v = view(actor, l, await repo.countyOf(ctx.db, l.unit), lang);
  return { ...v, period: key.period };
}

/** Validates the values against the form's elements: unknown codes and wrong types are 400. */
function cleanValues(form: FormRow, elements: ElementRow[], values: Values, lang: Lang): Values {
  const byCode = new Map(elements.map((e) => [e.code, e]));
  const details: { path: string; message: string }[] = [];
  const out: Values = {};
  for (const [code, v] of Object.entries(values)) {
    const el = byCode.get(code);
    if (!el) {
      details.push({
        path: code,
        message: lang === 'en' ? 'Not an element of this form' : '不是本表的数据项',
      });
      continue;
    }
    const problem = checkValue({ type: el.type, options: el.options }, v, lang);
    if (problem) details.push({ path: code, message: `${el.name}：${problem}` });
    else if (v !== null && v !== '') out[code] = v;
  }
  if (details.length)
    throw badRequest(
      'COLLECTION_BAD_VALUE',
      { zh: `有 ${details.length} 项填写不正确`, en: `${details.length} values are not valid` },
      details,
    );
  void form;
  return out;
}

/**
 * PUT /api/collection/entry (save) and POST /api/collection/entry/submit: saves a unit's figures; on submit
 * also refuses failing error rules and unexplained failing warnings. Submitted figures wait for the county;
 * approved ones are locked.
 */
export async function saveEntry(
  ctx: AppContext,
  origin: Origin,
  input: EntrySave & { explanations: Record<string, string> },
  opts: { submit: boolean; lang: Lang; dryRun?: boolean },
): Promise<EntryView> {
  const { actor } = origin;
  const lang = opts.lang;
  return ctx.db.transaction().execute(async (trx) => {
    const l = await load(trx, actor, input);
    if (!policy.canEnter(actor, l.unit.path))
      throw forbidden({ zh: '没有为该单位填报的权限', en: 'You may not enter figures for this unit' });
    if (!l.form.active)
      throw conflict('COLLECTION_FORM_RETIRED', {
        zh: `“${l.form.name}”已停用，不再接收数据`,
        en: `“${l.form.name}” is retired and takes no new figures`,
      });
    const status = l.row?.status;
    if (status === 'approved' || status === 'accepted') throw lockedError();
    if (status === 'submitted')
      throw conflict('COLLECTION_SUBMITTED', {
        zh: '已上报，等待县级审核；如需修改，请联系县级教育局退回',
        en: 'Submitted and waiting for the county; ask the county to return it to change it',
      });
    const values = cleanValues(l.form, l.elements, input.values, lang);
    const prefill = prefillOf(l.elements, l.registry);
    const prefilled = Object.keys(prefill).filter((c) => values[c] === prefill[c]);
    const checked = checkRules(l.rules, values, l.previous, l.registry ?? {}, lang);
    const explanations = Object.fromEntries(
      Object.entries(input.explanations).filter(([, t]) => t.trim() !== ''),
    );
    if (opts.submit) {
      const errors = checked.results.filter((r) => r.outcome === 'fail' && r.importance === 'error');
      if (errors.length)
        throw badRequest(
          'COLLECTION_RULE_ERRORS',
          {
            zh: `有 ${errors.length} 条校验错误，不能上报`,
            en: `${errors.length} validation errors: cannot submit`,
          },
          errors.map((r) => ({ path: r.ruleId, message: `${r.name}：${r.message}` })),
        );
      const unexplained = checked.results.filter(
        (r) => r.outcome === 'fail' && r.importance === 'warning' && !explanations[r.ruleId],
      );
      if (unexplained.length)
        throw badRequest(
          'COLLECTION_EXPLAIN_WARNINGS',
          {
            zh: `有 ${unexplained.length} 条校验警告需要填写说明后才能上报`,
            en: `${unexplained.length} warnings need an explanation before submitting`,
          },
          unexplained.map((r) => ({ path: r.ruleId, message: `${r.name}：${r.message}` })),
        );
    }
    // a dry run (the import's check) stops here: every check passed, nothing is written
    if (opts.dryRun) return { ...view(actor, l, undefined, lang), period: input.period };
    const now = new Date();
    const next = opts.submit ? 'submitted' : status === 'returned' ? 'returned' : 'draft';
    const fields = {
      status: next as SubmissionStatus & SubmissionRow['status'],
      vals: JSON.stringify(values),
      prefilled: JSON.stringify(prefilled),
      explanations: JSON.stringify(explanations),
      results: JSON.stringify(checked.results),
      errors: checked.errors,
      warnings: checked.warnings,
      checked_at: now,
      updated_by: actor.userId,
      updated_at: now,
      ...(opts.submit ? { submitted_by: actor.userId, submitted_at: now, return_reason: null } : {}),
    };
    const id = l.row?.id ?? randomUUID();
    if (l.row) await trx.updateTable('data_submission').set(fields).where('id', '=', id).execute();
    else
      await trx
        .insertInto('data_submission')
        .values({ id, form_id: l.form.id, unit_id: l.unit.id, period: input.period, ...fields })
        .execute();
    await recordAudit(trx, origin, {
      action: opts.submit ? 'collection.submit' : 'collection.save',
      objectType: 'data_submission',
      objectId: id,
      unitId: l.unit.id,
      before: l.row ? { status: l.row.status, values: l.row.vals } : null,
      after: { status: next, values, explanations },
    });
    const row = await repo.submissionOf(trx, l.form.id, l.unit.id, input.period);
    return { ...view(actor, { ...l, row }, await repo.countyOf(trx, l.unit), lang), period: input.period };
  });
}

async function decide(
  ctx: AppContext,
  origin: Origin,
  id: string,
  lang: Lang,
  act: (trx: Db, s: NonNullable<Awaited<ReturnType<typeof repo.findSubmission>>>) => Promise<string>,
): Promise<EntryView> {
  return ctx.db.transaction().execute(async (trx) => {
    const s = await repo.findSubmission(trx, origin.actor, 'collection.read', id, true);
    if (!s) throw notFoundSubmission();
    const action = await act(trx, s);
    const after = await repo.submissionOf(trx, s.form_id, s.unit_id, s.period);
    await recordAudit(trx, origin, {
      action,
      objectType: 'data_submission',
      objectId: s.id,
      unitId: s.unit_id,
      before: { status: s.status, returnReason: s.return_reason },
      after: { status: after?.status, returnReason: after?.return_reason },
    });
    return getEntryIn(trx, origin.actor, { formId: s.form_id, unitId: s.unit_id, period: s.period }, lang);
  });
}

async function getEntryIn(db: Db, actor: Actor, key: EntryKey, lang: Lang) {
  const l = await load(db, actor, key);
  return { ...view(actor, l, await repo.countyOf(db, l.unit), lang), period: key.period };
}

const badStatus = (zh: string, en: string) => conflict('COLLECTION_BAD_STATUS', { zh, en });
const mayNotApprove = () =>
  forbidden({ zh: '只有上级教育局可以审核该单位的数据', en: 'Only the bureau above approves these figures' });

/**
 * The level above approves submitted figures; they are locked from then on. A school's figures: the county
 * approves (`approved`), the city accepts the county later. A county bureau's own figures (县域年报) have
 * one level above them: the city's approval is final (`accepted` at once, and recorded as the city's
 * acceptance of the county when the form is for county bureaus only).
 */
export function approve(ctx: AppContext, origin: Origin, id: string, lang: Lang) {
  return decide(ctx, origin, id, lang, async (trx, s) => {
    if (!policy.canApprove(origin.actor, s.unit_path)) throw mayNotApprove();
    if (s.status !== 'submitted')
      throw badStatus('只有已上报的数据可以审核', 'Only submitted figures can be approved');
    if (s.errors > 0)
      throw badStatus(
        '数据仍有校验错误，请退回修改',
        'The figures still fail error rules: return them instead',
      );
    const now = new Date();
    const unit = (await repo.unitById(trx, s.unit_id))!;
    const own = unit.kind === 'county_bureau';
    await trx
      .updateTable('data_submission')
      .set({
        status: own ? 'accepted' : 'approved',
        approved_by: origin.actor.userId,
        approved_at: now,
        ...(own ? { accepted_by: origin.actor.userId, accepted_at: now } : {}),
        updated_at: now,
      })
      .where('id', '=', s.id)
      .execute();
    if (own) {
      const form = (await repo.formById(trx, s.form_id))!;
      if (form.targets.every((t) => t === 'county_bureau'))
        await trx
          .insertInto('collection_acceptance')
          .values({
            form_id: s.form_id,
            county_id: unit.id,
            period: s.period,
            accepted_by: origin.actor.userId,
            accepted_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
    }
    return 'collection.approve';
  });
}

/** The county returns submitted figures to the school with a reason. */
export function returnSubmission(ctx: AppContext, origin: Origin, id: string, reason: string, lang: Lang) {
  return decide(ctx, origin, id, lang, async (trx, s) => {
    if (!policy.canApprove(origin.actor, s.unit_path)) throw mayNotApprove();
    if (s.status !== 'submitted')
      throw badStatus('只有已上报的数据可以退回', 'Only submitted figures can be returned');
    await trx
      .updateTable('data_submission')
      .set({ status: 'returned', return_reason: reason, updated_at: new Date() })
      .where('id', '=', s.id)
      .execute();
    return 'collection.return';
  });
}

/**
 * Reopens approved figures (back to the school as returned, with the reason): the county while the city has
 * not accepted the county; once accepted, only the city, which withdraws its acceptance of the county.
 */
export function reopen(ctx: AppContext, origin: Origin, id: string, reason: string, lang: Lang) {
  return decide(ctx, origin, id, lang, async (trx, s) => {
    if (s.status !== 'approved' && s.status !== 'accepted')
      throw badStatus('只有已审核的数据需要重新打开', 'Only approved figures can be reopened');
    const unit = (await repo.unitById(trx, s.unit_id))!;
    const county = await repo.countyOf(trx, unit);
    if (s.status === 'accepted') {
      if (!county || !policy.canAccept(origin.actor, county.path))
        throw forbidden({
          zh: '市级已确认的数据只能由市级重新打开',
          en: 'Only the city reopens accepted figures',
        });
      await trx
        .deleteFrom('collection_acceptance')
        .where('form_id', '=', s.form_id)
        .where('county_id', '=', county.id)
        .where('period', '=', s.period)
        .execute();
      const schools = await repo.expectedUnits(
        trx,
        (await repo.formById(trx, s.form_id))!.targets,
        county.path,
      );
      await trx
        .updateTable('data_submission')
        .set({ status: 'approved', accepted_by: null, accepted_at: null })
        .where('form_id', '=', s.form_id)
        .where('period', '=', s.period)
        .where('status', '=', 'accepted')
        .where(
          'unit_id',
          'in',
          schools.map((x) => x.id),
        )
        .execute();
    } else if (!policy.canApprove(origin.actor, s.unit_path)) throw mayNotApprove();
    await trx
      .updateTable('data_submission')
      .set({
        status: 'returned',
        return_reason: reason,
        approved_by: null,
        approved_at: null,
        accepted_by: null,
        accepted_at: null,
        updated_at: new Date(),
      })
      .where('id', '=', s.id)
      .execute();
    return 'collection.reopen';
  });
}

/**
 * The city accepts a county's figures for a form and period: only when every unit of the county the form is
 * for has approved figures (a level approves only when everything below it is approved).
 */
export async function accept(ctx: AppContext, origin: Origin, body: AcceptBody) {
  const { actor } = origin;
  return ctx.db.transaction().execute(async (trx) => {
    const county = await repo.findUnit(trx, actor, 'collection.read', body.countyId);
    if (!county || county.kind !== 'county_bureau') throw notFoundUnit();
    const form = await repo.formById(trx, body.formId);
    if (!form) throw notFoundForm();
    if (!policy.canAccept(actor, county.path))
      throw forbidden({ zh: '只有市级教育局可以确认县级数据', en: 'Only the city accepts a county' });
    if (await repo.acceptanceOf(trx, form.id, county.id, body.period))
      throw badStatus('该县本期数据已确认', 'Already accepted');
    const units = await repo.expectedUnits(trx, form.targets, county.path);
    const subs = new Map(
      (await repo.submissionsUnder(trx, form.id, body.period, county.path)).map((s) => [s.unit_id, s]),
    );
    const pending = units.filter((u) => subs.get(u.id)?.status !== 'approved');
    if (units.length === 0 || pending.length > 0)
      throw conflict('COLLECTION_NOT_ALL_APPROVED', {
        zh: `还有 ${pending.length} 个单位的数据未经县级审核（如 ${pending
          .slice(0, 3)
          .map((u) => u.name)
          .join('、')}），不能确认`,
        en: `${pending.length} units are not approved by the county yet`,
      });
    const now = new Date();
    await trx
      .insertInto('collection_acceptance')
      .values({
        form_id: form.id,
        county_id: county.id,
        period: body.period,
        accepted_by: actor.userId,
        accepted_at: now,
      })
      .execute();
    await trx
      .updateTable('data_submission')
      .set({ status: 'accepted', accepted_by: actor.userId, accepted_at: now })
      .where('form_id', '=', form.id)
      .where('period', '=', body.period)
      .where(
        'unit_id',
        'in',
        units.map((u) => u.id),
      )
      .execute();
    await recordAudit(trx, origin, {
      action: 'collection.accept',
      objectType: 'collection_acceptance',
      objectId: `${form.id}/${county.id}/${body.period}`,
      unitId: county.id,
      after: { form: form.code, period: body.period, units: units.length },
    });
    return { accepted: units.length };
  });
}
