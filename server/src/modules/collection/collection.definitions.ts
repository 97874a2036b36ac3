/**
 * The city's definitions: data elements, forms with sections, validation rules and indicators. Read by every
 * holder of collection.read; changed by holders of collection.manage at the city (audited). Expressions
 * are parsed with the shared parser and refused when they name unknown codes.
 */
import {
  REGISTRY_FIGURES,
  parseExpression,
  type CollectionForm,
  type DataElement,
  type DataElementWithUsage,
  type ElementInput,
  type FormDetail,
  type FormInput,
  type IndicatorInput,
  type RuleInput,
  type ValidationRule,
} from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import { holdsAnywhere, type Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { indicatorOut } from './collection.indicators.js';
import { collectionPolicy as policy } from './collection.policy.js';
import * as repo from './collection.repository.js';
import type { Db, ElementRow, FormRow, RuleRow } from './collection.repository.js';
import { sql } from 'kysely';

type Origin = AuditOrigin & { actor: Actor };
type Parsed<T> = T extends { parse: (x: unknown) => infer R } ? R : never;

const mustRead = (actor: Actor) => {
  if (!holdsAnywhere(actor, 'collection.read'))
    throw forbidden({ zh: '没有查看数据填报的权限', en: 'You may not read collection data' });
};
const mustManage = (actor: Actor) => {
  if (!policy.canManage(actor))
    throw forbidden({
      zh: '报表、数据项、校验规则和指标由市级教育局维护',
      en: 'Only the city bureau manages definitions',
    });
};

export const elementOut = (e: ElementRow): DataElement => ({
  id: e.id,
  code: e.code,
  name: e.name,
  type: e.type,
  unit: e.unit,
  options: e.options,
  description: e.description,
  prefill: e.prefill,
});
export const formOut = (f: FormRow, submissions = 0): CollectionForm => ({
  id: f.id,
  code: f.code,
  name: f.name,
  periodType: f.period_type,
  targets: f.targets as CollectionForm['targets'],
  sections: f.sections,
  description: f.description,
  updatedAt: new Date(f.updated_at).toISOString(),
  active: f.active,
  submissions,
});

/** Stored submissions per form. */
async function submissionCounts(db: Db, formId?: string): Promise<Map<string, number>> {
  let q = db
    .selectFrom('data_submission')
    .select(['form_id', sql<string>`count(*)`.as('n')])
    .groupBy('form_id');
  if (formId) q = q.where('form_id', '=', formId);
  return new Map((await q.execute()).map((r) => [r.form_id, Number(r.n)]));
}

/** Element codes holding a value in stored submissions (of one form, or all), with the count. */
async function storedCodes(db: Db, formId?: string): Promise<Map<string, number>> {
  const rows = await sql<{ code: string; n: string }>`
    select k.code, count(*) as n
    from data_submission s cross join lateral jsonb_object_keys(s.vals) as k(code)
    ${formId ? sql`where s.form_id = ${formId}` : sql``}
    group by k.code`.execute(db);
  return new Map(rows.rows.map((r) => [r.code, Number(r.n)]));
}

const inUse = (zh: string, en: string) => conflict('COLLECTION_ELEMENT_IN_USE', { zh, en });
export const ruleOut = (r: RuleRow): ValidationRule => ({
  id: r.id,
  formId: r.form_id,
  name: r.name,
  left: r.left_expr,
  operator: r.operator,
  right: r.right_expr,
  missing: r.missing,
  importance: r.importance,
  message: r.message,
  active: r.active,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listForms(ctx: AppContext, actor: Actor): Promise<CollectionForm[]> {
  mustRead(actor);
  const counts = await submissionCounts(ctx.db);
  return (await repo.listForms(ctx.db)).map((f) => formOut(f, counts.get(f.id) ?? 0));
}

export async function formDetail(ctx: AppContext, actor: Actor, id: string): Promise<FormDetail> {
  mustRead(actor);
  const form = await repo.formById(ctx.db, id);
  if (!form) throw notFound({ zh: '报表', en: 'Form' });
  const codes = repo.formCodes(form);
  const elements = await repo.elementsByCodes(ctx.db, codes);
  elements.sort((a, b) => codes.indexOf(a.code) - codes.indexOf(b.code));
  return {
    form: formOut(form, (await submissionCounts(ctx.db, id)).get(id) ?? 0),
    elements: elements.map(elementOut),
    rules: (await repo.rulesOf(ctx.db, id)).map(ruleOut),
  };
}

/** Every element with where it is used (forms, stored figures). */
export async function listElements(ctx: AppContext, actor: Actor): Promise<DataElementWithUsage[]> {
  mustRead(actor);
  const [elements, forms, stored] = await Promise.all([
    repo.listElements(ctx.db),
    repo.listForms(ctx.db),
    storedCodes(ctx.db),
  ]);
  return elements.map((e) => ({
    ...elementOut(e),
    usage: {
      forms: forms.filter((f) => repo.formCodes(f).includes(e.code)).map((f) => f.code),
      submissions: stored.get(e.code) ?? 0,
    },
  }));
}

function checkElement(input: Parsed<typeof ElementInput>) {
  if (input.type === 'option' && input.options.length === 0)
    throw badRequest('COLLECTION_NO_OPTIONS', {
      zh: '选项型数据项需要至少一个选项',
      en: 'An option element needs options',
    });
  if (input.prefill && !(REGISTRY_FIGURES as readonly string[]).includes(input.prefill))
    throw badRequest('COLLECTION_BAD_PREFILL', { zh: '不认识的学籍预填来源', en: 'Unknown registry figure' });
}

/** Forms, rules and indicators naming an element, and how many stored submissions hold a value for it. */
async function usageOf(db: Db, code: string) {
  const forms = (await repo.listForms(db)).filter((f) => repo.formCodes(f).includes(code));
  const names = (text: string) => {
    const p = parseExpression(text);
    return p.ok && p.refs.some((r) => r.code === code);
  };
  const rules = (await db.selectFrom('validation_rule').selectAll().execute()).filter(
    (r) => names(r.left_expr) || names(r.right_expr),
  );
  const indicators = (await repo.listIndicators(db)).filter(
    (i) => names(i.numerator) || names(i.denominator),
  );
  const submissions = (await storedCodes(db)).get(code) ?? 0;
  return { forms, rules, indicators, submissions };
}

/**
 * PUT /api/collection/elements/:id: name, unit, options, description and pre-fill may change at any time; the
 * code only while nothing uses the element (forms, rules, indicators, stored figures), the type only while no
 * figures are stored for it.
 */
export async function updateElement(
  ctx: AppContext,
  origin: Origin,
  id: string,
  input: Parsed<typeof ElementInput>,
) {
  mustManage(origin.actor);
  checkElement(input);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('data_element').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound({ zh: '数据项', en: 'Data element' });
    if (input.code !== before.code || input.type !== before.type) {
      const u = await usageOf(trx, before.code);
      if (input.code !== before.code) {
        if (u.forms.length || u.rules.length || u.indicators.length || u.submissions)
          throw inUse(
            `数据项 ${before.code} 已被使用（报表 ${u.forms.length} 张、规则 ${u.rules.length} 条、指标 ${u.indicators.length} 个、已填数据 ${u.submissions} 份），不能修改代码`,
            `${before.code} is in use (${u.forms.length} forms, ${u.rules.length} rules, ${u.indicators.length} indicators, ${u.submissions} submissions): its code cannot change`,
          );
        const taken = await trx
          .selectFrom('data_element')
          .select('id')
          .where('code', '=', input.code)
          .executeTakeFirst();
        if (taken)
          throw conflict('COLLECTION_CODE_TAKEN', { zh: `代码 ${input.code} 已被使用`, en: 'Code taken' });
      }
      if (input.type !== before.type && u.submissions)
        throw inUse(
          `已有 ${u.submissions} 份数据填写了“${before.name}”，不能修改其类型；可新建数据项`,
          `${u.submissions} submissions hold “${before.name}”: its type cannot change; create a new element`,
        );
    }
    await trx
      .updateTable('data_element')
      .set({ ...input, options: JSON.stringify(input.options) })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, origin, {
      action: 'collection.element.update',
      objectType: 'data_element',
      objectId: id,
      before: elementOut(before),
      after: input,
    });
    return elementOut(
      await trx.selectFrom('data_element').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    );
  });
}

/** DELETE /api/collection/elements/:id: only an element nothing uses (no form, rule, indicator, figures). */
export async function deleteElement(ctx: AppContext, origin: Origin, id: string) {
  mustManage(origin.actor);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('data_element').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound({ zh: '数据项', en: 'Data element' });
    const u = await usageOf(trx, before.code);
    if (u.forms.length || u.rules.length || u.indicators.length || u.submissions)
      throw inUse(
        `“${before.name}”仍在使用（报表：${u.forms.map((f) => f.name).join('、') || '无'}；规则 ${u.rules.length} 条；指标 ${u.indicators.length} 个；已填数据 ${u.submissions} 份），不能删除`,
        `“${before.name}” is in use (${u.forms.length} forms, ${u.rules.length} rules, ${u.indicators.length} indicators, ${u.submissions} submissions): it cannot be deleted`,
      );
    await trx.deleteFrom('data_element').where('id', '=', id).execute();
    await recordAudit(trx, origin, {
      action: 'collection.element.delete',
      objectType: 'data_element',
      objectId: id,
      before: elementOut(before),
    });
  });
}

/** PUT /api/collection/forms/:id/active: retire a form (kept and readable, takes no new figures) or reactivate. */
export async function setFormActive(ctx: AppContext, origin: Origin, id: string, active: boolean) {
  mustManage(origin.actor);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.formById(trx, id);
    if (!before) throw notFound({ zh: '报表', en: 'Form' });
    await trx
      .updateTable('data_form')
      .set({ active, updated_by: origin.actor.userId, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, origin, {
      action: active ? 'collection.form.activate' : 'collection.form.retire',
      objectType: 'data_form',
      objectId: id,
      before: { active: before.active },
      after: { active },
    });
    return formOut((await repo.formById(trx, id))!, (await submissionCounts(trx, id)).get(id) ?? 0);
  });
}

export async function createElement(ctx: AppContext, origin: Origin, input: Parsed<typeof ElementInput>) {
  mustManage(origin.actor);
  checkElement(input);
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('data_element')
      .select('id')
      .where('code', '=', input.code)
      .executeTakeFirst();
    if (taken)
      throw conflict('COLLECTION_CODE_TAKEN', { zh: `代码 ${input.code} 已被使用`, en: 'Code taken' });
    const id = randomUUID();
    await trx
      .insertInto('data_element')
      .values({ id, ...input, options: JSON.stringify(input.options) })
      .execute();
    await recordAudit(trx, origin, {
      action: 'collection.element.create',
      objectType: 'data_element',
      objectId: id,
      after: input,
    });
    return elementOut(
      await trx.selectFrom('data_element').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    );
  });
}

async function checkSections(db: Db, sections: { elements: string[] }[]) {
  const codes = sections.flatMap((s) => s.elements);
  const known = new Set((await repo.elementsByCodes(db, codes)).map((e) => e.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length)
    throw badRequest('COLLECTION_UNKNOWN_ELEMENT', {
      zh: `未知的数据项：${unknown.join('、')}`,
      en: `Unknown elements: ${unknown.join(', ')}`,
    });
  if (new Set(codes).size !== codes.length)
    throw badRequest('COLLECTION_DUPLICATE_ELEMENT', {
      zh: '同一数据项在表中出现了两次',
      en: 'An element appears twice',
    });
}

export async function saveForm(
  ctx: AppContext,
  origin: Origin,
  id: string | null,
  input: Parsed<typeof FormInput>,
) {
  mustManage(origin.actor);
  return ctx.db.transaction().execute(async (trx) => {
    await checkSections(trx, input.sections);
    const before = id ? await repo.formById(trx, id) : undefined;
    if (id && !before) throw notFound({ zh: '报表', en: 'Form' });
    const other = await repo.formByCode(trx, input.code);
    if (other && other.id !== id)
      throw conflict('COLLECTION_CODE_TAKEN', { zh: `代码 ${input.code} 已被使用`, en: 'Code taken' });
    if (before) {
      // A form with stored figures keeps its period type and every element that holds figures.
      const stored = await storedCodes(trx, before.id);
      const used = (await submissionCounts(trx, before.id)).get(before.id) ?? 0;
      if (used > 0 && input.periodType !== before.period_type)
        throw conflict('COLLECTION_FORM_IN_USE', {
          zh: `本表已有 ${used} 份数据，不能修改报告期类型；如需按新周期收集，请新建报表并停用本表`,
          en: `The form holds ${used} submissions: its period type cannot change; create a new form and retire this one`,
        });
      const kept = new Set(input.sections.flatMap((x) => x.elements));
      const dropped = repo.formCodes(before).filter((c) => !kept.has(c) && stored.has(c));
      if (dropped.length)
        throw conflict('COLLECTION_ELEMENT_HAS_DATA', {
          zh: `以下数据项已有填报数据，不能从表中移除：${dropped.join('、')}`,
          en: `These elements hold stored figures and cannot leave the form: ${dropped.join(', ')}`,
        });
    }
    const fields = {
      code: input.code,
      name: input.name,
      period_type: input.periodType,
      targets: JSON.stringify(input.targets),
      sections: JSON.stringify(input.sections),
      description: input.description,
      updated_by: origin.actor.userId,
      updated_at: new Date(),
    };
    const formId = id ?? randomUUID();
    if (before) await trx.updateTable('data_form').set(fields).where('id', '=', formId).execute();
    else
      await trx
        .insertInto('data_form')
        .values({ id: formId, ...fields })
        .execute();
    await recordAudit(trx, origin, {
      action: before ? 'collection.form.update' : 'collection.form.create',
      objectType: 'data_form',
      objectId: formId,
      before: before ? formOut(before) : null,
      after: input,
    });
    return formOut(
      (await repo.formById(trx, formId))!,
      (await submissionCounts(trx, formId)).get(formId) ?? 0,
    );
  });
}

/** Codes an expression of a form may name: the form's elements and the registry figures. */
function knownCodes(form: FormRow) {
  return new Set<string>([...repo.formCodes(form), ...REGISTRY_FIGURES]);
}

function checkExpr(text: string, known: Set<string>, side: string) {
  const p = parseExpression(text, known);
  if (!p.ok)
    throw badRequest(
      'COLLECTION_BAD_EXPRESSION',
      { zh: `${side}：${p.error.zh}`, en: `${side}: ${p.error.en}` },
      [{ path: side, message: p.error.zh }],
    );
}

export async function saveRule(
  ctx: AppContext,
  origin: Origin,
  id: string | null,
  input: Parsed<typeof RuleInput>,
) {
  mustManage(origin.actor);
  return ctx.db.transaction().execute(async (trx) => {
    const form = await repo.formById(trx, input.formId);
    if (!form) throw notFound({ zh: '报表', en: 'Form' });
    const known = knownCodes(form);
    checkExpr(input.left, known, '左侧表达式');
    checkExpr(input.right, known, '右侧表达式');
    const before = id ? await repo.ruleById(trx, id) : undefined;
    if (id && !before) throw notFound({ zh: '校验规则', en: 'Rule' });
    const fields = {
      form_id: input.formId,
      name: input.name,
      left_expr: input.left,
      operator: input.operator,
      right_expr: input.right,
      missing: input.missing,
      importance: input.importance,
      message: input.message,
      active: input.active,
      updated_by: origin.actor.userId,
      updated_at: new Date(),
    };
    const ruleId = id ?? randomUUID();
    if (before) await trx.updateTable('validation_rule').set(fields).where('id', '=', ruleId).execute();
    else
      await trx
        .insertInto('validation_rule')
        .values({ id: ruleId, ...fields })
        .execute();
    await recordAudit(trx, origin, {
      action: before ? 'collection.rule.update' : 'collection.rule.create',
      objectType: 'validation_rule',
      objectId: ruleId,
      before: before ? ruleOut(before) : null,
      after: input,
    });
    return ruleOut((await repo.ruleById(trx, ruleId))!);
  });
}

export async function listIndicators(ctx: AppContext, actor: Actor) {
  mustRead(actor);
  return (await repo.listIndicators(ctx.db)).map(indicatorOut);
}

export async function saveIndicator(
  ctx: AppContext,
  origin: Origin,
  id: string | null,
  input: Parsed<typeof IndicatorInput>,
) {
  mustManage(origin.actor);
  return ctx.db.transaction().execute(async (trx) => {
    const form = await repo.formById(trx, input.formId);
    if (!form) throw notFound({ zh: '报表', en: 'Form' });
    const known = knownCodes(form);
    checkExpr(input.numerator, known, '分子');
    checkExpr(input.denominator, known, '分母');
    const before = id ? await repo.indicatorById(trx, id) : undefined;
    if (id && !before) throw notFound({ zh: '指标', en: 'Indicator' });
    const other = await trx
      .selectFrom('indicator')
      .select('id')
      .where('code', '=', input.code)
      .executeTakeFirst();
    if (other && other.id !== id)
      throw conflict('COLLECTION_CODE_TAKEN', { zh: `代码 ${input.code} 已被使用`, en: 'Code taken' });
    const fields = {
      code: input.code,
      name: input.name,
      numerator: input.numerator,
      denominator: input.denominator,
      factor: input.factor,
      unit: input.unit,
      form_id: input.formId,
      description: input.description,
      updated_by: origin.actor.userId,
      updated_at: new Date(),
    };
    const indId = id ?? randomUUID();
    if (before) await trx.updateTable('indicator').set(fields).where('id', '=', indId).execute();
    else
      await trx
        .insertInto('indicator')
        .values({ id: indId, ...fields })
        .execute();
    await recordAudit(trx, origin, {
      action: before ? 'collection.indicator.update' : 'collection.indicator.create',
      objectType: 'indicator',
      objectId: indId,
      before: before ? indicatorOut(before) : null,
      after: input,
    });
    return indicatorOut((await repo.indicatorById(trx, indId))!);
  });
}
