/**
 * 数据填报 (data collection), shared by server and web: data elements, forms, validation rules, submissions
 * and their approval, indicators — and the ONE expression evaluator the server (on save, on submit, in the
 * nightly run) and the web form (while typing) both use. Pure: no I/O, no eval.
 *
 * Expressions: numbers, element codes (`TEACHERS`), registry counts (`reg.students`), the previous period's
 * value `prev(CODE)`, `abs(…)`, + − × ÷ (also written * /) and parentheses. docs/collection.md has the grammar.
 */
import { z } from 'zod';
import { uuid } from './common.ts';

type Labels = Record<string, { zh: string; en: string }>;

// ---------- enumerations ----------

export const ELEMENT_TYPES = ['number', 'integer', 'percentage', 'boolean', 'option', 'text'] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];
export const elementTypeLabels = {
  number: { zh: '数值', en: 'Number' },
  integer: { zh: '整数', en: 'Integer' },
  percentage: { zh: '百分比', en: 'Percentage' },
  boolean: { zh: '是/否', en: 'Yes / no' },
  option: { zh: '选项', en: 'Option' },
  text: { zh: '文本', en: 'Text' },
} satisfies Labels;

export const PERIOD_TYPES = ['year', 'term', 'quarter', 'month'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];
export const periodTypeLabels = {
  year: { zh: '年报', en: 'Yearly' },
  term: { zh: '学期报', en: 'Per term' },
  quarter: { zh: '季报', en: 'Quarterly' },
  month: { zh: '月报', en: 'Monthly' },
} satisfies Labels;

/** Who fills a form: schools of these stages, and/or the county bureaus themselves. */
export const FORM_TARGETS = [
  'kindergarten',
  'primary',
  'junior',
  'senior',
  'nine_year',
  'complete_secondary',
  'vocational',
  'special',
  'county_bureau',
] as const;
export type FormTarget = (typeof FORM_TARGETS)[number];

export const RULE_OPERATORS = ['==', '!=', '<', '<=', '>', '>='] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

/** DHIS2's missing-value strategies, per rule (both sides together). */
export const MISSING_STRATEGIES = ['skip_if_any_missing', 'skip_if_all_missing', 'treat_as_zero'] as const;
export type MissingStrategy = (typeof MISSING_STRATEGIES)[number];
export const missingStrategyLabels = {
  skip_if_any_missing: { zh: '任一值缺失则跳过', en: 'Skip if any value is missing' },
  skip_if_all_missing: { zh: '全部缺失才跳过（其余按 0）', en: 'Skip only if all are missing (others as 0)' },
  treat_as_zero: { zh: '缺失按 0 计算', en: 'Treat missing as zero' },
} satisfies Labels;

export const RULE_IMPORTANCES = ['error', 'warning'] as const;
export type RuleImportance = (typeof RULE_IMPORTANCES)[number];
export const ruleImportanceLabels = {
  error: { zh: '错误（阻止上报）', en: 'Error (blocks submission)' },
  warning: { zh: '警告（需说明）', en: 'Warning (needs an explanation)' },
} satisfies Labels;

/** draft → submitted → approved (county) → accepted (city); returned goes back to the school. */
export const SUBMISSION_STATUSES = [
  'not_started',
  'draft',
  'submitted',
  'returned',
  'approved',
  'accepted',
] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export const submissionStatusLabels = {
  not_started: { zh: '未填报', en: 'Not started' },
  draft: { zh: '填报中', en: 'Draft' },
  submitted: { zh: '已上报待审核', en: 'Submitted' },
  returned: { zh: '已退回', en: 'Returned' },
  approved: { zh: '县级已审核', en: 'Approved by county' },
  accepted: { zh: '市级已确认', en: 'Accepted by city' },
} satisfies Labels;

// ---------- periods ----------

const PERIOD_PATTERNS: Record<PeriodType, RegExp> = {
  year: /^\d{4}$/,
  term: /^\d{4}T[12]$/,
  quarter: /^\d{4}Q[1-4]$/,
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
};
/** '2026' (year; a school year for school forms), '2026T1', '2026Q3', '2026-03'. */
export function isPeriod(type: PeriodType, period: string): boolean {
  return PERIOD_PATTERNS[type].test(period);
}
/** The period before: 2025, 2025T2 for 2026T1, 2025Q4 for 2026Q1, 2025-12 for 2026-01. */
export function previousPeriod(type: PeriodType, period: string): string {
  const y = Number(period.slice(0, 4));
  if (type === 'year') return String(y - 1);
  const n = Number(period.slice(5));
  if (type === 'term') return n === 1 ? `${y - 1}T2` : `${y}T1`;
  if (type === 'quarter') return n === 1 ? `${y - 1}Q4` : `${y}Q${n - 1}`;
  return n === 1 ? `${y - 1}-12` : `${y}-${String(n - 1).padStart(2, '0')}`;
}
export function periodLabel(type: PeriodType, period: string, lang: 'zh' | 'en' = 'zh'): string {
  const y = period.slice(0, 4);
  if (type === 'year') return lang === 'en' ? `${y}` : `${y}年`;
  const n = period.slice(5);
  if (type === 'term') return lang === 'en' ? `${y} term ${n}` : `${y}学年第${n === '1' ? '一' : '二'}学期`;
  if (type === 'quarter') return lang === 'en' ? `${y} Q${n}` : `${y}年第${n}季度`;
  return lang === 'en' ? period : `${y}年${Number(n)}月`;
}

// ---------- the expression language ----------

export type Expr =
  | { t: 'num'; v: number }
  | { t: 'ref'; code: string; prev: boolean }
  | { t: 'neg'; e: Expr }
  | { t: 'abs'; e: Expr }
  | { t: 'bin'; op: '+' | '-' | '*' | '/'; l: Expr; r: Expr };

export interface ExprError {
  zh: string;
  en: string;
  /** Character offset of the problem. */
  at: number;
}
export type ParseResult = { ok: true; expr: Expr; refs: ExprRef[] } | { ok: false; error: ExprError };
export interface ExprRef {
  code: string;
  prev: boolean;
}

const MAX_EXPR = 500;

interface Token {
  k: 'num' | 'id' | 'op' | '(' | ')' | ',';
  v: string;
  at: number;
}

function tokenize(src: string): Token[] | ExprError {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      const m = /^(\d+(\.\d+)?|\.\d+)/.exec(src.slice(i));
      if (!m) return { zh: `第 ${i + 1} 个字符处的数字写法不对`, en: `Bad number at ${i + 1}`, at: i };
      out.push({ k: 'num', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?/.exec(src.slice(i))!;
      out.push({ k: 'id', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    const op = { '+': '+', '-': '-', '−': '-', '*': '*', '×': '*', '/': '/', '÷': '/' }[c];
    if (op) out.push({ k: 'op', v: op, at: i });
    else if (c === '(' || c === '（') out.push({ k: '(', v: '(', at: i });
    else if (c === ')' || c === '）') out.push({ k: ')', v: ')', at: i });
    else if (c === ',' || c === '，') out.push({ k: ',', v: ',', at: i });
    else
      return { zh: `不认识的字符“${c}”（第 ${i + 1} 个字符）`, en: `Unexpected “${c}” at ${i + 1}`, at: i };
    i++;
  }
  return out;
}

/**
 * Parses an expression. With `knownCodes` an unknown code is an error (registry counts `reg.*` must be in
 * the list too). Precedence: unary minus, then × ÷, then + −, left to right.
 */
export function parseExpression(src: string, knownCodes?: ReadonlySet<string>): ParseResult {
  if (src.length > MAX_EXPR)
    return {
      ok: false,
      error: { zh: `表达式过长（最多 ${MAX_EXPR} 字符）`, en: 'Expression too long', at: 0 },
    };
  const tokens = tokenize(src);
  if (!Array.isArray(tokens)) return { ok: false, error: tokens };
  if (tokens.length === 0) return { ok: false, error: { zh: '表达式为空', en: 'Empty expression', at: 0 } };
  let p = 0;
  const refs: ExprRef[] = [];
  const fail = (zh: string, en: string, at = tokens[p]?.at ?? src.length): never => {
    throw { zh, en, at } satisfies ExprError;
  };
  const code = (tok: Token, prev: boolean): Expr => {
    if (knownCodes && !knownCodes.has(tok.v))
      fail(`未知的数据项代码“${tok.v}”`, `Unknown code “${tok.v}”`, tok.at);
    refs.push({ code: tok.v, prev });
    return { t: 'ref', code: tok.v, prev };
  };
  const expect = (k: Token['k']) => {
    const tok = tokens[p];
    if (tok?.k !== k)
      fail(
        tok ? `此处应为“${k}”，却是“${tok.v}”` : `表达式不完整，缺少“${k}”`,
        tok ? `Expected “${k}”, found “${tok.v}”` : `Incomplete: “${k}” missing`,
      );
    p++;
  };
  let depth = 0;
  const primary = (): Expr => {
    const tok = tokens[p];
    if (!tok) return fail('表达式不完整', 'Incomplete expression');
    if (tok.k === 'num') {
      p++;
      return { t: 'num', v: Number(tok.v) };
    }
    if (tok.k === '(') {
      p++;
      if (++depth > 50) fail('括号嵌套过深', 'Too deeply nested');
      const e = sum();
      depth--;
      expect(')');
      return e;
    }
    if (tok.k === 'id') {
      p++;
      if (tokens[p]?.k !== '(') return code(tok, false);
      const fn = tok.v.toLowerCase();
      p++;
      if (fn === 'prev') {
        const arg = tokens[p];
        if (arg?.k !== 'id') fail('prev() 里应写一个数据项代码', 'prev() takes one element code');
        p++;
        expect(')');
        return code(arg!, true);
      }
      if (fn === 'abs') {
        const e = sum();
        expect(')');
        return { t: 'abs', e };
      }
      return fail(`不支持的函数“${tok.v}”`, `Unknown function “${tok.v}”`, tok.at);
    }
    return fail(`此处不应出现“${tok.v}”`, `Unexpected “${tok.v}”`);
  };
  const unary = (): Expr => {
    const tok = tokens[p];
    if (tok?.k === 'op' && (tok.v === '-' || tok.v === '+')) {
      p++;
      const e = unary();
      return tok.v === '-' ? { t: 'neg', e } : e;
    }
    return primary();
  };
  const product = (): Expr => {
    let l = unary();
    while (tokens[p]?.k === 'op' && (tokens[p]!.v === '*' || tokens[p]!.v === '/')) {
      const op = tokens[p++]!.v as '*' | '/';
      l = { t: 'bin', op, l, r: unary() };
    }
    return l;
  };
  const sum = (): Expr => {
    let l = product();
    while (tokens[p]?.k === 'op' && (tokens[p]!.v === '+' || tokens[p]!.v === '-')) {
      const op = tokens[p++]!.v as '+' | '-';
      l = { t: 'bin', op, l, r: product() };
    }
    return l;
  };
  try {
    const expr = sum();
    if (p < tokens.length) fail(`多余的“${tokens[p]!.v}”`, `Unexpected “${tokens[p]!.v}”`);
    return { ok: true, expr, refs };
  } catch (e) {
    if (e && typeof e === 'object' && 'zh' in e) return { ok: false, error: e as ExprError };
    throw e;
  }
}

/** A value lookup: the figure of a code (this period, or the previous one); null when missing. */
export type Lookup = (code: string, prev: boolean) => number | null;

export interface EvalResult {
  /** null: missing (and not replaced by 0) or not computable (division by zero). */
  value: number | null;
  divisionByZero: boolean;
}

/** Evaluates; a missing value is 0 when `missingAsZero`, else the result is null. Division by zero → null. */
export function evaluate(expr: Expr, lookup: Lookup, missingAsZero: boolean): EvalResult {
  let divisionByZero = false;
  const go = (e: Expr): number | null => {
    switch (e.t) {
      case 'num':
        return e.v;
      case 'ref': {
        const v = lookup(e.code, e.prev);
        return v === null || !Number.isFinite(v) ? (missingAsZero ? 0 : null) : v;
      }
      case 'neg': {
        const v = go(e.e);
        return v === null ? null : -v;
      }
      case 'abs': {
        const v = go(e.e);
        return v === null ? null : Math.abs(v);
      }
      case 'bin': {
        const l = go(e.l);
        const r = go(e.r);
        if (l === null || r === null) return null;
        if (e.op === '+') return l + r;
        if (e.op === '-') return l - r;
        if (e.op === '*') return l * r;
        if (r === 0) {
          divisionByZero = true;
          return null;
        }
        return l / r;
      }
    }
  };
  const value = go(expr);
  return { value: divisionByZero ? null : value, divisionByZero };
}

/** The figure an entered value stands for in expressions: numbers as they are, yes = 1 / no = 0. */
export function numericValue(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

// ---------- validation rules ----------

export const RuleBase = z.strictObject({
  name: z.string().trim().min(1).max(100),
  left: z.string().trim().min(1).max(MAX_EXPR),
  operator: z.enum(RULE_OPERATORS),
  right: z.string().trim().min(1).max(MAX_EXPR),
  missing: z.enum(MISSING_STRATEGIES),
  importance: z.enum(RULE_IMPORTANCES),
  /** Shown when the rule fails. */
  message: z.string().trim().max(200).default(''),
  active: z.boolean().default(true),
});
export const RuleInput = RuleBase.extend({ formId: uuid });
export type RuleInput = z.input<typeof RuleInput>;
export const ValidationRule = RuleBase.extend({ id: uuid, formId: uuid, updatedAt: z.string() });
export type ValidationRule = z.infer<typeof ValidationRule>;

export const RULE_OUTCOMES = ['pass', 'fail', 'skipped', 'invalid'] as const;
export type RuleOutcome = (typeof RULE_OUTCOMES)[number];
export const RuleResult = z.object({
  ruleId: uuid,
  name: z.string(),
  importance: z.enum(RULE_IMPORTANCES),
  outcome: z.enum(RULE_OUTCOMES),
  left: z.number().nullable(),
  right: z.number().nullable(),
  /** Why a rule was skipped or invalid, or the rule's message when it fails. */
  message: z.string(),
});
export type RuleResult = z.infer<typeof RuleResult>;

const compare = (l: number, op: RuleOperator, r: number) => {
  const eps = 1e-9 * Math.max(1, Math.abs(l), Math.abs(r));
  switch (op) {
    case '==':
      return Math.abs(l - r) <= eps;
    case '!=':
      return Math.abs(l - r) > eps;
    case '<':
      return l < r - eps;
    case '<=':
      return l <= r + eps;
    case '>':
      return l > r + eps;
    case '>=':
      return l >= r - eps;
  }
};

/**
 * Runs one rule over a unit's figures. Missing values (DHIS2's strategies, over both sides): skip when any
 * referenced value is missing; skip only when all are (the others count as 0); or treat missing as 0.
 * A division by zero, or a code that is not a number, makes the rule `skipped` with the reason.
 */
export function evaluateRule(
  rule: Pick<
    ValidationRule,
    'id' | 'name' | 'left' | 'operator' | 'right' | 'missing' | 'importance' | 'message'
  >,
  lookup: Lookup,
  lang: 'zh' | 'en' = 'zh',
): RuleResult {
  const base = { ruleId: rule.id, name: rule.name, importance: rule.importance, left: null, right: null };
  const tr = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const l = parseExpression(rule.left);
  const r = parseExpression(rule.right);
  if (!l.ok || !r.ok) {
    const e = (!l.ok ? l.error : !r.ok ? r.error : null)!;
    return { ...base, outcome: 'invalid', message: tr(e.zh, e.en) };
  }
  const refs = [...l.refs, ...r.refs];
  const missing = refs.filter((x) => lookup(x.code, x.prev) === null);
  if (refs.length > 0 && missing.length > 0) {
    const names = [...new Set(missing.map((m) => (m.prev ? `prev(${m.code})` : m.code)))].join('、');
    if (rule.missing === 'skip_if_any_missing')
      return {
        ...base,
        outcome: 'skipped',
        message: tr(`缺少 ${names}，未校验`, `${names} missing: skipped`),
      };
    if (rule.missing === 'skip_if_all_missing' && missing.length === refs.length)
      return {
        ...base,
        outcome: 'skipped',
        message: tr(`全部数值缺失，未校验`, `All values missing: skipped`),
      };
  }
  const lv = evaluate(l.expr, lookup, true);
  const rv = evaluate(r.expr, lookup, true);
  if (lv.value === null || rv.value === null)
    return {
      ...base,
      left: lv.value,
      right: rv.value,
      outcome: 'skipped',
      message: tr('除数为 0，无法计算', 'Division by zero: not computable'),
    };
  const ok = compare(lv.value, rule.operator, rv.value);
  return {
    ...base,
    left: lv.value,
    right: rv.value,
    outcome: ok ? 'pass' : 'fail',
    message: ok ? '' : rule.message || `${rule.left} ${rule.operator} ${rule.right}`,
  };
}

// ---------- data elements and forms ----------

export const ELEMENT_CODE = /^[A-Z][A-Z0-9_]{0,39}$/;
export const ElementInput = z.strictObject({
  code: z.string().regex(ELEMENT_CODE, '代码为大写字母开头的字母、数字、下划线'),
  name: z.string().trim().min(1).max(60),
  type: z.enum(ELEMENT_TYPES),
  unit: z.string().trim().max(20).default(''),
  options: z.array(z.string().trim().min(1).max(40)).max(50).default([]),
  description: z.string().trim().max(300).default(''),
  /** Registry figure that pre-fills it (see REGISTRY_FIGURES), or null. */
  prefill: z.string().nullable().default(null),
});
export type ElementInput = z.input<typeof ElementInput>;
export const DataElement = ElementInput.extend({ id: uuid });
export type DataElement = z.infer<typeof DataElement>;

/** What the registry knows of a school, named as expressions name it (`reg.students`). */
export const REGISTRY_FIGURES = [
  'reg.students',
  'reg.students_primary',
  'reg.students_junior',
  'reg.students_senior',
  'reg.students_g1',
  'reg.students_g2',
  'reg.students_g3',
  'reg.students_g4',
  'reg.students_g5',
  'reg.students_g6',
  'reg.students_g7',
  'reg.students_g8',
  'reg.students_g9',
  'reg.classes',
  'reg.large_classes',
  'reg.super_large_classes',
  'reg.private_students',
  'reg.migrant_students',
  'reg.migrant_public_students',
] as const;
export type RegistryFigure = (typeof REGISTRY_FIGURES)[number];

export const FormSection = z.object({
  title: z.string().trim().min(1).max(60),
  elements: z.array(z.string().regex(ELEMENT_CODE)).min(1).max(100),
});
export const FormInput = z.strictObject({
  code: z.string().regex(ELEMENT_CODE),
  name: z.string().trim().min(1).max(60),
  periodType: z.enum(PERIOD_TYPES),
  targets: z.array(z.enum(FORM_TARGETS)).min(1),
  sections: z.array(FormSection).min(1).max(30),
  description: z.string().trim().max(300).default(''),
});
export type FormInput = z.input<typeof FormInput>;
export const CollectionForm = FormInput.extend({
  id: uuid,
  updatedAt: z.string(),
  /** Retired forms (active false) stay readable but take no new figures. */
  active: z.boolean(),
  /** Stored submissions of the form (any period, any status): a form in use keeps its period type. */
  submissions: z.number().int(),
});
export type CollectionForm = z.infer<typeof CollectionForm>;
/** PUT /api/collection/forms/:id/active: activate or retire a form. */
export const FormActiveBody = z.strictObject({ active: z.boolean() });
export type FormActiveBody = z.infer<typeof FormActiveBody>;

/**
 * Where a data element is used — forms (sections), stored figures, rules and indicators naming it; the editor
 * shows it and the API refuses deleting (or re-coding) an element in use.
 */
export const ElementUsage = z.object({
  forms: z.array(z.string()),
  submissions: z.number().int(),
});
export const DataElementWithUsage = DataElement.extend({ usage: ElementUsage });
export type DataElementWithUsage = z.infer<typeof DataElementWithUsage>;

/**
 * The editor's own check of an element, with zh/en messages per field (zod's default messages are English
 * only). Returns {} when the input is fine for ElementInput.
 */
export function elementProblems(
  e: Partial<Record<keyof ElementInput, unknown>>,
): Record<string, { zh: string; en: string }> {
  const out: Record<string, { zh: string; en: string }> = {};
  if (typeof e.code !== 'string' || !ELEMENT_CODE.test(e.code))
    out.code = {
      zh: '代码须以大写字母开头，只含大写字母、数字和下划线，最多 40 个字符',
      en: 'The code starts with a capital letter: capitals, digits and _ only, at most 40',
    };
  if (typeof e.name !== 'string' || !e.name.trim() || e.name.trim().length > 60)
    out.name = { zh: '名称必填，最多 60 个字', en: 'A name is required (at most 60 characters)' };
  if (e.type === 'option' && (!Array.isArray(e.options) || e.options.length === 0))
    out.options = { zh: '选项型数据项至少需要一个选项', en: 'An option element needs at least one option' };
  if (Array.isArray(e.options) && new Set(e.options).size !== e.options.length)
    out.options = { zh: '选项不能重复', en: 'Options must differ' };
  if (typeof e.unit === 'string' && e.unit.length > 20)
    out.unit = { zh: '计量单位最多 20 个字', en: 'Unit: at most 20 characters' };
  if (
    e.prefill !== null &&
    e.prefill !== undefined &&
    !(typeof e.prefill === 'string' && (REGISTRY_FIGURES as readonly string[]).includes(e.prefill))
  )
    out.prefill = { zh: '不认识的学籍预填来源', en: 'Unknown registry figure' };
  return out;
}

/** The editor's own check of a form (zh/en per field); {} when fine for FormInput. */
export function formProblems(
  f: Partial<Record<keyof FormInput, unknown>>,
  knownElements?: ReadonlySet<string>,
): Record<string, { zh: string; en: string }> {
  const out: Record<string, { zh: string; en: string }> = {};
  if (typeof f.code !== 'string' || !ELEMENT_CODE.test(f.code))
    out.code = {
      zh: '代码须以大写字母开头，只含大写字母、数字和下划线',
      en: 'The code starts with a capital letter: capitals, digits and _ only',
    };
  if (typeof f.name !== 'string' || !f.name.trim() || f.name.trim().length > 60)
    out.name = { zh: '名称必填，最多 60 个字', en: 'A name is required (at most 60 characters)' };
  if (!Array.isArray(f.targets) || f.targets.length === 0)
    out.targets = { zh: '至少选择一类填报单位', en: 'Choose at least one kind of unit' };
  const sections = Array.isArray(f.sections) ? (f.sections as { title?: string; elements?: string[] }[]) : [];
  if (sections.length === 0) out.sections = { zh: '至少需要一个分组', en: 'At least one section' };
  const codes = sections.flatMap((s) => s.elements ?? []);
  if (sections.some((s) => !s.title?.trim()))
    out.sections = { zh: '每个分组都需要标题', en: 'Every section needs a title' };
  else if (sections.some((s) => (s.elements ?? []).length === 0))
    out.sections = { zh: '每个分组至少包含一个数据项', en: 'Every section needs at least one element' };
  else if (new Set(codes).size !== codes.length)
    out.sections = { zh: '同一数据项在表中出现了两次', en: 'An element appears twice' };
  else if (knownElements && codes.some((c) => !knownElements.has(c)))
    out.sections = {
      zh: `未知的数据项：${codes.filter((c) => !knownElements.has(c)).join('、')}`,
      en: `Unknown elements: ${codes.filter((c) => !knownElements.has(c)).join(', ')}`,
    };
  return out;
}
export const FormDetail = z.object({
  form: CollectionForm,
  elements: z.array(DataElement),
  rules: z.array(ValidationRule),
});
export type FormDetail = z.infer<typeof FormDetail>;

/** A stored value: a number, yes/no, or text / an option; null when blank. */
export const EntryValue = z.union([z.number().finite(), z.boolean(), z.string().max(500), z.null()]);
export type EntryValue = z.infer<typeof EntryValue>;

/** Checks one value against its element's type → a message, or null when fine. */
export function checkValue(
  el: Pick<DataElement, 'type' | 'options'>,
  v: EntryValue,
  lang: 'zh' | 'en' = 'zh',
) {
  const tr = (zh: string, en: string) => (lang === 'en' ? en : zh);
  if (v === null) return null;
  switch (el.type) {
    case 'number':
      return typeof v === 'number' && v >= 0 ? null : tr('应为不小于 0 的数', 'A number ≥ 0');
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0
        ? null
        : tr('应为不小于 0 的整数', 'A whole number ≥ 0');
    case 'percentage':
      return typeof v === 'number' && v >= 0 && v <= 100 ? null : tr('应为 0 到 100 之间的数', '0 to 100');
    case 'boolean':
      return typeof v === 'boolean' ? null : tr('应为“是”或“否”', 'Yes or no');
    case 'option':
      return typeof v === 'string' && el.options.includes(v)
        ? null
        : tr('不是可选的值', 'Not one of the options');
    case 'text':
      return typeof v === 'string' ? null : tr('应为文字', 'Text');
  }
}

// ---------- entry and approval ----------

export const EntryKey = z.strictObject({
  formId: uuid,
  unitId: uuid,
  period: z.string().max(10),
});
export type EntryKey = z.infer<typeof EntryKey>;

export const EntrySave = EntryKey.extend({
  values: z.record(z.string().regex(ELEMENT_CODE), EntryValue),
  /** Explanations of failing warnings, by rule id. */
  explanations: z.record(uuid, z.string().trim().max(300)).default({}),
});
export type EntrySave = z.input<typeof EntrySave>;

export const EntryView = z.object({
  id: uuid.nullable(),
  formId: uuid,
  unitId: uuid,
  unitName: z.string(),
  countyName: z.string().nullable(),
  period: z.string(),
  status: z.enum(SUBMISSION_STATUSES),
  values: z.record(z.string(), EntryValue),
  /** Values from the previous period, for prev() and for comparison. */
  previous: z.record(z.string(), EntryValue),
  /** What the registry says now, by element code (pre-fill). */
  prefill: z.record(z.string(), z.number()),
  /** The registry figures (`reg.*`) rules may name. */
  registry: z.record(z.string(), z.number()),
  /** Codes whose stored value came from the registry untouched. */
  prefilled: z.array(z.string()),
  explanations: z.record(z.string(), z.string()),
  results: z.array(RuleResult),
  locked: z.boolean(),
  returnReason: z.string().nullable(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** What the actor may do now. */
  can: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    approve: z.boolean(),
    return: z.boolean(),
    reopen: z.boolean(),
  }),
});
export type EntryView = z.infer<typeof EntryView>;

export const ReasonBody = z.strictObject({ reason: z.string().trim().min(2).max(300) });
export const AcceptBody = z.strictObject({ formId: uuid, countyId: uuid, period: z.string().max(10) });
export type AcceptBody = z.infer<typeof AcceptBody>;

export const ProgressQuery = z.strictObject({ formId: uuid, period: z.string().max(10), unitId: uuid });
export type ProgressQuery = z.infer<typeof ProgressQuery>;
export const ProgressRow = z.object({
  submissionId: uuid.nullable(),
  /** A school's figures go school → county → city; a county bureau's own figures county → city. */
  level: z.enum(['school', 'county']),
  unitId: uuid,
  unitName: z.string(),
  countyId: uuid.nullable(),
  countyName: z.string().nullable(),
  status: z.enum(SUBMISSION_STATUSES),
  errors: z.number().int(),
  warnings: z.number().int(),
  /** Who has to act next: the school, the county, the city, or nobody. */
  waitingFor: z.enum(['school', 'county', 'city', 'none']),
  updatedAt: z.string().nullable(),
});
export type ProgressRow = z.infer<typeof ProgressRow>;
export const ProgressCounty = z.object({
  countyId: uuid,
  countyName: z.string(),
  counts: z.record(z.enum(SUBMISSION_STATUSES), z.number().int()),
  total: z.number().int(),
  accepted: z.boolean(),
  acceptedAt: z.string().nullable(),
  /** Every school approved: the city may accept. */
  readyForCity: z.boolean(),
  /** Who the county's figures wait for as a whole: its schools, the county bureau, the city, or nobody. */
  waitingFor: z.enum(['school', 'county', 'city', 'none']),
  /** How many units of the county wait for each level. */
  waiting: z.record(z.enum(['school', 'county', 'city']), z.number().int()),
});
export type ProgressCounty = z.infer<typeof ProgressCounty>;
export const ProgressBoard = z.object({
  formId: uuid,
  period: z.string(),
  counts: z.record(z.enum(SUBMISSION_STATUSES), z.number().int()),
  total: z.number().int(),
  counties: z.array(ProgressCounty),
  units: z.array(ProgressRow),
  /** Over everything: units waiting for the school (to fill in / correct), the county, the city. */
  waiting: z.record(z.enum(['school', 'county', 'city']), z.number().int()),
  /** The levels this form passes: school → county → city, or county → city for a county-level form. */
  levels: z.array(z.enum(['school', 'county', 'city'])),
});
export type ProgressBoard = z.infer<typeof ProgressBoard>;

export const ViolationsQuery = ProgressQuery;
export const Violation = z.object({
  submissionId: uuid,
  unitId: uuid,
  unitName: z.string(),
  status: z.enum(SUBMISSION_STATUSES),
  result: RuleResult,
  explanation: z.string().nullable(),
  checkedAt: z.string(),
});
export type Violation = z.infer<typeof Violation>;

/**
 * POST /api/collection/import: the unit whose schools the sheet covers, the form and period; `dryRun` checks
 * every row and saves nothing; `mode` as the import engine's commit: `valid_only` saves the good rows and skips
 * the others, `all` saves nothing unless every row is good.
 */
export const ImportQuery = EntryKey.extend({
  dryRun: z.enum(['true', 'false']).default('false'),
  mode: z.enum(['valid_only', 'all']).default('valid_only'),
});
export type ImportQuery = z.input<typeof ImportQuery>;
export const ImportResult = z.object({
  /** Schools saved (with dryRun or a refused `all` import: that would be saved). */
  saved: z.number().int(),
  dryRun: z.boolean(),
  mode: z.enum(['valid_only', 'all']),
  /** True when mode `all` saved nothing because some rows were refused. */
  refused: z.boolean(),
  /** Spreadsheet row (as the sheet shows it), the school, the sheet for a multi-sheet workbook, the reason. */
  skipped: z.array(
    z.object({ row: z.number().int(), name: z.string(), message: z.string(), sheet: z.string().nullable() }),
  ),
  unknownColumns: z.array(z.string()),
  /** The sheets read (one per section in the sections layout; the first visible sheet otherwise). */
  sheets: z.array(z.string()),
});
export type ImportResult = z.infer<typeof ImportResult>;

// ---------- indicators ----------

export const IndicatorInput = z.strictObject({
  code: z.string().regex(ELEMENT_CODE),
  name: z.string().trim().min(1).max(60),
  numerator: z.string().trim().min(1).max(MAX_EXPR),
  denominator: z.string().trim().min(1).max(MAX_EXPR),
  factor: z.number().positive().default(1),
  unit: z.string().trim().max(20).default(''),
  /** Which form's figures it reads (the period type follows). */
  formId: uuid,
  description: z.string().trim().max(500).default(''),
});
export type IndicatorInput = z.input<typeof IndicatorInput>;
export const Indicator = IndicatorInput.extend({ id: uuid });
export type Indicator = z.infer<typeof Indicator>;

export const IndicatorValueQuery = z.strictObject({
  indicatorId: uuid,
  unitId: uuid,
  period: z.string().max(10),
  /** Count only approved (or accepted) figures; default: every submitted one. */
  approvedOnly: z.enum(['true', 'false']).default('false'),
});
export type IndicatorValueQuery = z.input<typeof IndicatorValueQuery>;
const IndicatorFigure = z.object({
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  value: z.number().nullable(),
});
export const IndicatorValue = IndicatorFigure.extend({
  indicator: Indicator,
  unitId: uuid,
  unitName: z.string(),
  period: z.string(),
  /** Units whose figures went in, and those left out (no figures). */
  reporting: z.number().int(),
  expected: z.number().int(),
  /** The value for each unit below (the county's schools, or the city's counties). */
  children: z.array(
    IndicatorFigure.extend({
      unitId: uuid,
      unitName: z.string(),
      kind: z.string(),
      reporting: z.number().int(),
    }),
  ),
});
export type IndicatorValue = z.infer<typeof IndicatorValue>;

/**
 * Σ numerator / Σ denominator × factor over units — never the mean of the units' ratios. Units whose
 * numerator or denominator is not computable are left out of both sums.
 */
export function aggregateRatio(
  parts: readonly { numerator: number | null; denominator: number | null }[],
  factor: number,
): { numerator: number | null; denominator: number | null; value: number | null; reporting: number } {
  let n = 0;
  let d = 0;
  let reporting = 0;
  for (const p of parts) {
    if (p.numerator === null || p.denominator === null) continue;
    n += p.numerator;
    d += p.denominator;
    reporting++;
  }
  if (reporting === 0) return { numerator: null, denominator: null, value: null, reporting };
  return { numerator: n, denominator: d, value: d === 0 ? null : (n / d) * factor, reporting };
}

// ---------- balance from stored figures ----------

/** Which element holds each raw figure the balance engine reads (the calculator's columns). */
export const BALANCE_ELEMENT_CODES = {
  students: 'STUDENTS',
  primaryStudents: 'STUDENTS_PRIMARY',
  juniorStudents: 'STUDENTS_JUNIOR',
  seniorStudents: 'STUDENTS_SENIOR',
  books: 'BOOKS',
  buildingArea: 'BUILDING_AREA',
  sportsArea: 'SPORTS_AREA',
  equipmentValue: 'EQUIPMENT_VALUE',
  computers: 'COMPUTERS',
  multimediaRooms: 'MULTIMEDIA_ROOMS',
  teachers: 'TEACHERS',
  qualifiedTeachers: 'QUALIFIED_TEACHERS',
  backboneTeachers: 'BACKBONE_TEACHERS',
  artsPeTeachers: 'ARTS_PE_TEACHERS',
  seniorTitleTeachers: 'SENIOR_TITLE_TEACHERS',
} as const;

/** The annual school form the balance page reads by default. */
export const SCHOOL_ANNUAL_FORM_CODE = 'SCHOOL_ANNUAL';

export const BalanceStoredQuery = z.strictObject({
  countyId: uuid,
  period: z.string().max(10),
  formId: uuid.optional(),
  /** Default: approved (or accepted) figures only; 'false' counts every submitted one and flags them. */
  approvedOnly: z.enum(['true', 'false']).default('true'),
});
export type BalanceStoredQuery = z.input<typeof BalanceStoredQuery>;
