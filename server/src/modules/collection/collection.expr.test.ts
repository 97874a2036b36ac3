/**
 * The shared expression parser and rule evaluator (contracts/src/collection.ts — the web form runs the same
 * code while typing): precedence, unary minus, division by zero, unknown codes, prev(), and each missing-value
 * strategy.
 */
import {
  elementProblems,
  evaluate,
  evaluateRule,
  formProblems,
  parseExpression,
  previousPeriod,
  type Lookup,
  type ValidationRule,
} from '@dudao/contracts';
import { describe, expect, it } from 'vitest';

const values =
  (v: Record<string, number | null>, prev: Record<string, number | null> = {}): Lookup =>
  (code, p) =>
    (p ? prev[code] : v[code]) ?? null;
const calc = (src: string, v: Record<string, number | null> = {}, zero = false) => {
  const p = parseExpression(src);
  if (!p.ok) throw new Error(p.error.en);
  return evaluate(p.expr, values(v), zero).value;
};

describe('parseExpression / evaluate', () => {
  it('follows precedence and associativity', () => {
    expect(calc('1 + 2 * 3')).toBe(7);
    expect(calc('(1 + 2) * 3')).toBe(9);
    expect(calc('10 - 4 - 3')).toBe(3);
    expect(calc('100 / 10 / 5')).toBe(2);
    expect(calc('2 × 3 ÷ 4')).toBe(1.5);
    expect(calc('-2 * -3')).toBe(6);
    expect(calc('-(1 + 2) * 2')).toBe(-6);
    expect(calc('8 − 3')).toBe(5);
    expect(calc('（1 + 1）× 2')).toBe(4);
    expect(calc('.5 + 1.25')).toBe(1.75);
  });

  it('reads codes, prev() and abs()', () => {
    const p = parseExpression('abs(EQUIPMENT_VALUE - prev(EQUIPMENT_VALUE)) / prev(EQUIPMENT_VALUE)');
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.refs).toEqual([
      { code: 'EQUIPMENT_VALUE', prev: false },
      { code: 'EQUIPMENT_VALUE', prev: true },
      { code: 'EQUIPMENT_VALUE', prev: true },
    ]);
    expect(
      evaluate(p.expr, values({ EQUIPMENT_VALUE: 70 }, { EQUIPMENT_VALUE: 100 }), false).value,
    ).toBeCloseTo(0.3);
    expect(calc('reg.students * 2', { 'reg.students': 21 })).toBe(42);
  });

  it('makes division by zero not computable, never Infinity or 0', () => {
    const p = parseExpression('A / (B - B)');
    if (!p.ok) throw new Error();
    expect(evaluate(p.expr, values({ A: 1, B: 2 }), false)).toEqual({ value: null, divisionByZero: true });
    expect(calc('0 / 0')).toBeNull();
  });

  it('treats a missing value as null, or 0 when asked', () => {
    expect(calc('A + B', { A: 1 })).toBeNull();
    expect(calc('A + B', { A: 1 }, true)).toBe(1);
  });

  it('refuses what is not an expression, and unknown codes when the codes are known', () => {
    const bad = (src: string, known?: Set<string>) => {
      const p = parseExpression(src, known);
      expect(p.ok, src).toBe(false);
      return p.ok ? null : p.error;
    };
    bad('');
    bad('1 +');
    bad('(1 + 2');
    bad('1 + 2)');
    bad('1 2');
    bad('A ** 2');
    bad('A; drop table unit');
    bad('alert(1)');
    bad('prev(1)');
    bad('1..2');
    bad('x'.repeat(501));
    bad('('.repeat(60) + '1' + ')'.repeat(60));
    expect(bad('TEACHERS + TEACHRES', new Set(['TEACHERS']))!.zh).toContain('TEACHRES');
    expect(bad('TEACHERS + TEACHRES', new Set(['TEACHERS']))!.at).toBe(11);
    expect(parseExpression('TEACHERS', new Set(['TEACHERS'])).ok).toBe(true);
  });
});

describe('evaluateRule and the missing-value strategies', () => {
  const rule = (over: Partial<ValidationRule>) =>
    ({
      id: '00000000-0000-4000-8000-000000000001',
      name: '体艺教师不超过专任教师',
      left: 'ARTS + OTHER',
      operator: '<=',
      right: 'TEACHERS',
      missing: 'skip_if_any_missing',
      importance: 'error',
      message: '体艺教师多于专任教师',
      ...over,
    }) as ValidationRule;

  it('passes and fails on complete figures, the standard included', () => {
    expect(evaluateRule(rule({}), values({ ARTS: 3, OTHER: 2, TEACHERS: 5 })).outcome).toBe('pass');
    const f = evaluateRule(rule({}), values({ ARTS: 3, OTHER: 3, TEACHERS: 5 }));
    expect(f).toMatchObject({ outcome: 'fail', left: 6, right: 5, message: '体艺教师多于专任教师' });
    expect(
      evaluateRule(rule({ operator: '==' }), values({ ARTS: 0.1, OTHER: 0.2, TEACHERS: 0.3 })).outcome,
    ).toBe('pass');
  });

  it('skip_if_any_missing: one value missing skips', () => {
    const r = evaluateRule(rule({}), values({ ARTS: 30, TEACHERS: 5 }));
    expect(r.outcome).toBe('skipped');
    expect(r.message).toContain('OTHER');
  });

  it('skip_if_all_missing: skips only when all are missing; otherwise missing counts as 0', () => {
    const s = rule({ missing: 'skip_if_all_missing' });
    expect(evaluateRule(s, values({})).outcome).toBe('skipped');
    expect(evaluateRule(s, values({ ARTS: 30, TEACHERS: 5 }))).toMatchObject({
      outcome: 'fail',
      left: 30,
      right: 5,
    });
    expect(evaluateRule(s, values({ ARTS: 3, TEACHERS: 5 })).outcome).toBe('pass');
  });

  it('treat_as_zero: never skips; all missing compares 0 with 0', () => {
    const z = rule({ missing: 'treat_as_zero' });
    expect(evaluateRule(z, values({}))).toMatchObject({ outcome: 'pass', left: 0, right: 0 });
    expect(evaluateRule(z, values({ ARTS: 1 }))).toMatchObject({ outcome: 'fail', left: 1, right: 0 });
  });

  it('prev(): the year-on-year change rule, and a first year without last year skips', () => {
    const change = rule({
      left: 'abs(EQ - prev(EQ))',
      operator: '<=',
      right: 'prev(EQ) × 0.3',
      importance: 'warning',
    });
    expect(evaluateRule(change, values({ EQ: 120 }, { EQ: 100 })).outcome).toBe('pass');
    expect(evaluateRule(change, values({ EQ: 140 }, { EQ: 100 })).outcome).toBe('fail');
    expect(evaluateRule(change, values({ EQ: 140 }, {})).outcome).toBe('skipped');
  });

  it('division by zero skips with the reason; an invalid expression is reported, not thrown', () => {
    const r = evaluateRule(
      rule({ left: 'AREA / STUDENTS', right: '2', operator: '>=', missing: 'treat_as_zero' }),
      values({ AREA: 10 }),
    );
    expect(r.outcome).toBe('skipped');
    expect(r.message).toContain('除数为 0');
    expect(evaluateRule(rule({ left: '1 +' }), values({})).outcome).toBe('invalid');
  });
});

describe('periods', () => {
  it('finds the previous period of each type', () => {
    expect(previousPeriod('year', '2026')).toBe('2025');
    expect(previousPeriod('term', '2026T1')).toBe('2025T2');
    expect(previousPeriod('term', '2026T2')).toBe('2026T1');
    expect(previousPeriod('quarter', '2026Q1')).toBe('2025Q4');
    expect(previousPeriod('month', '2026-01')).toBe('2025-12');
    expect(previousPeriod('month', '2026-10')).toBe('2026-09');
  });
});

describe('the editor’s checks (zh/en per field)', () => {
  it('accepts a good element and names each bad field', () => {
    expect(elementProblems({ code: 'LAB_ROOMS', name: '实验室', type: 'integer', options: [] })).toEqual({});
    const bad = elementProblems({ code: 'lab', name: ' ', type: 'option', options: [], prefill: 'reg.nope' });
    expect(Object.keys(bad).sort()).toEqual(['code', 'name', 'options', 'prefill']);
    expect(bad.code!.zh).toContain('大写字母');
    expect(bad.options!.en).toContain('option');
    expect(elementProblems({ code: 'X', name: 'x', type: 'option', options: ['是', '是'] }).options!.zh).toBe(
      '选项不能重复',
    );
  });
  it('checks a form’s sections: titles, elements, duplicates, unknown codes', () => {
    const ok = { code: 'F', name: '表', targets: ['primary'], sections: [{ title: 'A', elements: ['X'] }] };
    expect(formProblems(ok, new Set(['X']))).toEqual({});
    expect(formProblems({ ...ok, targets: [] }).targets!.zh).toContain('填报单位');
    expect(formProblems({ ...ok, sections: [{ title: '', elements: ['X'] }] }).sections!.zh).toContain(
      '标题',
    );
    expect(
      formProblems({
        ...ok,
        sections: [
          { title: 'A', elements: ['X'] },
          { title: 'B', elements: ['X'] },
        ],
      }).sections!.en,
    ).toBe('An element appears twice');
    expect(formProblems(ok, new Set(['Y'])).sections!.zh).toBe('未知的数据项：X');
  });
});
