import { describe, expect, it } from 'vitest';
import { BalanceOptions, type BalanceFigure } from '@dudao/contracts';
import {
  computeBalance,
  differenceCoefficient,
  schoolCompliance,
  stageSchoolsOf,
  whatIf,
  type BalanceRow,
  type BalanceTable,
} from './balance.engine.js';

const ALL_FIGURES: BalanceFigure[] = [
  'books',
  'buildingArea',
  'sportsArea',
  'equipmentValue',
  'computers',
  'multimediaRooms',
  'qualifiedTeachers',
  'backboneTeachers',
  'artsPeTeachers',
  'seniorTitleTeachers',
  'teachers',
];

/** A primary school of 100 pupils meeting every 2017 standard, with some figures overridden. */
function school(
  row: number,
  name: string,
  over: Partial<BalanceRow> & { f?: Partial<BalanceRow['figures']> } = {},
) {
  const { f, ...rest } = over;
  return {
    row,
    name,
    kind: 'primary',
    students: 100,
    primaryStudents: null,
    juniorStudents: null,
    seniorStudents: null,
    ...rest,
    figures: {
      qualifiedTeachers: 5,
      backboneTeachers: 2,
      artsPeTeachers: 1,
      buildingArea: 500,
      sportsArea: 800,
      equipmentValue: 250_000,
      multimediaRooms: 3,
      computers: 10,
      books: 3000,
      teachers: 8,
      seniorTitleTeachers: 4,
      ...f,
    },
  } satisfies BalanceRow;
}

const table = (rows: BalanceRow[], columnsFound: BalanceFigure[] = ALL_FIGURES): BalanceTable => ({
  file: 't.csv',
  rows,
  columnsFound,
  unknownColumns: [],
  scaled: [],
  errors: [],
  ignored: [],
});

// The hand-computed case. 生均教学及辅助用房面积 of three primary schools:
//   A: 100 pupils, 600 m² → 6;  B: 300 pupils, 900 m² → 3;  C: 100 pupils, 1000 m² → 10.
//   X̄ = 2500 / 500 = 5
//   D_A = 100/500·(6−5)² = 0.2;  D_B = 300/500·(3−5)² = 2.4;  D_C = 100/500·(10−5)² = 5;  ΣD = 7.6
//   CV = √7.6 / 5 = 0.551362…  (> 0.50: the primary limit fails)
const HAND = [
  school(2, 'A', { students: 100, f: { buildingArea: 600 } }),
  school(3, 'B', { students: 300, f: { buildingArea: 900 } }),
  school(4, 'C', { students: 100, f: { buildingArea: 1000 } }),
];
const HAND_CV = Math.sqrt(7.6) / 5;

describe('difference coefficient', () => {
  it('is population-weighted: X̄ = Σ resource / Σ students, Dᵢ = (Pᵢ/P)(Xᵢ − X̄)², CV = √ΣDᵢ / X̄', () => {
    const r = differenceCoefficient([
      { students: 100, value: 6 },
      { students: 300, value: 3 },
      { students: 100, value: 10 },
    ]);
    expect(r.mean).toBe(5);
    expect(r.contributions.map((d) => Number(d.toFixed(10)))).toEqual([0.2, 2.4, 5]);
    expect(r.cv).toBeCloseTo(0.551362, 6);
  });

  it('the county table gives the same, and the limit 0.50 fails', () => {
    const res = computeBalance(table(HAND));
    const primary = res.stages.find((s) => s.stage === 'primary')!;
    const area = primary.quality.indicators.find((q) => q.key === 'buildingArea')!;
    expect(area.countyValue).toBe(5);
    expect(area.cv).toBeCloseTo(HAND_CV, 6);
    expect(area.cvLimit).toBe(0.5);
    expect(area.passed).toBe(false);
    // B contributes most (2.4 of 7.6 would be second; C's 5 of 7.6 is first) and lies above / below X̄.
    const held = primary.holdingBack.indicators.find((h) => h.indicator === 'buildingArea')!;
    expect(held.schools.map((s) => [s.name, s.direction, s.share])).toEqual([
      ['C', 'above', Number((5 / 7.6).toFixed(4))],
      ['B', 'below', Number((2.4 / 7.6).toFixed(4))],
      ['A', 'above', Number((0.2 / 7.6).toFixed(4))],
    ]);
  });

  it('an unweighted or sample-SD formula gives other numbers (and the unweighted one would pass)', () => {
    const xs = [6, 3, 10];
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
    const unweighted = Math.sqrt(ss / xs.length) / mean; // 0.4528
    const sample = Math.sqrt(ss / (xs.length - 1)) / mean; // 0.5545
    // Weighted mean with an unweighted sample SD around it: another tempting mistake.
    const mixed = Math.sqrt(xs.reduce((a, x) => a + (x - 5) ** 2, 0) / (xs.length - 1)) / 5;
    const res = computeBalance(table(HAND));
    const cv = res.stages[0]!.quality.indicators.find((q) => q.key === 'buildingArea')!.cv!;
    for (const wrong of [unweighted, sample, mixed]) expect(Math.abs(cv - wrong)).toBeGreaterThan(0.002);
    expect(unweighted).toBeLessThan(0.5);
    expect(cv).toBeGreaterThan(0.5);
  });

  it('per-hundred indicators multiply by 100; the CV does not depend on the factor', () => {
    const res = computeBalance(
      table([
        school(2, 'A', { students: 200, f: { multimediaRooms: 4 } }),
        school(3, 'B', { students: 100, f: { multimediaRooms: 5 } }),
      ]),
    );
    const mm = res.stages[0]!.quality.indicators.find((q) => q.key === 'multimediaRoomsPer100')!;
    // X̄ = 9 / 300 × 100 = 3; X_A = 2, X_B = 5; ΣD = 2/3·1 + 1/3·4 = 2; CV = √2 / 3
    expect(mm.countyValue).toBe(3);
    expect(mm.cv).toBeCloseTo(Math.sqrt(2) / 3, 6);
    expect(mm.factor).toBe(100);
    expect(res.stages[0]!.schools.map((s) => s.values.multimediaRoomsPer100)).toEqual([2, 5]);
  });

  it('one school: CV 0; a county value of 0: not computable, never 0', () => {
    const one = computeBalance(table([school(2, 'A')]));
    expect(one.stages[0]!.quality.indicators.every((q) => q.cv === 0)).toBe(true);
    const zero = computeBalance(
      table([school(2, 'A', { f: { backboneTeachers: 0 } }), school(3, 'B', { f: { backboneTeachers: 0 } })]),
    );
    const bb = zero.stages[0]!.quality.indicators.find((q) => q.key === 'backboneTeachersPer100')!;
    expect(bb.cv).toBeNull();
    expect(bb.reason).toMatch(/无法计算/);
  });
});

describe('school standards (6 of 7, the rest ≥ 85%)', () => {
  const opts = BalanceOptions.parse({});
  const values = (over: Record<string, number> = {}) => ({
    qualifiedTeachersPer100: 5,
    backboneTeachersPer100: 2,
    artsPeTeachersPer100: 1,
    buildingArea: 5,
    sportsArea: 8,
    equipmentValue: 2500,
    multimediaRoomsPer100: 3,
    ...over,
  });

  it('exactly the standard is met (21 teachers for 500 pupils = 4.2 per hundred)', () => {
    const res = computeBalance(table([school(2, 'A', { students: 500, f: { qualifiedTeachers: 21 } })]));
    const s = res.stages[0]!.schools[0]!;
    expect(s.values.qualifiedTeachersPer100).toBe(4.2);
    expect(s.met.qualifiedTeachersPer100).toBe(true);
    const below = computeBalance(table([school(2, 'A', { students: 1000, f: { qualifiedTeachers: 41 } })]));
    expect(below.stages[0]!.schools[0]!.met.qualifiedTeachersPer100).toBe(false);
  });

  it('6 of 7 with the 7th at 86% of its standard is compliant; at 84% it is not', () => {
    // 生均教学及辅助用房面积 standard 4.5 (primary): 86% = 3.87, 84% = 3.78.
    const at86 = schoolCompliance('primary', values({ buildingArea: 3.87 }), opts);
    expect(at86).toMatchObject({ metCount: 6, compliant: true });
    const at84 = schoolCompliance('primary', values({ buildingArea: 3.78 }), opts);
    expect(at84).toMatchObject({ metCount: 6, compliant: false });
    // exactly 85% passes
    expect(schoolCompliance('primary', values({ buildingArea: 4.5 * 0.85 }), opts).compliant).toBe(true);
    // 5 of 7, both near: not compliant
    expect(schoolCompliance('primary', values({ buildingArea: 4.4, sportsArea: 7.4 }), opts)).toMatchObject({
      metCount: 5,
      compliant: false,
    });
    // junior standards differ: 5.0 m² meets the primary 4.5 but not the junior 5.8
    expect(
      schoolCompliance('junior', values({ buildingArea: 5, sportsArea: 11, equipmentValue: 2600 }), opts).met
        .buildingArea,
    ).toBe(false);
  });

  it('the rule is configurable (all 7 required; 90% for the rest)', () => {
    expect(
      schoolCompliance('primary', values({ buildingArea: 3.87 }), { minMet: 7, remainingMinRatio: 0.85 })
        .compliant,
    ).toBe(false);
    expect(
      schoolCompliance('primary', values({ buildingArea: 3.87 }), { minMet: 6, remainingMinRatio: 0.9 })
        .compliant,
    ).toBe(false);
    expect(
      schoolCompliance('primary', values({ buildingArea: 4.06 }), { minMet: 6, remainingMinRatio: 0.9 })
        .compliant,
    ).toBe(true);
  });

  it('non-compliant schools are listed with their shortfalls in raw figures', () => {
    const res = computeBalance(
      table([school(2, 'A'), school(3, '薄弱校', { f: { buildingArea: 350, sportsArea: 700 } })]),
    );
    const p = res.stages[0]!;
    expect(p.quality.compliantSchools).toBe(1);
    expect(p.quality.allCompliant).toBe(false);
    const weak = p.holdingBack.schools[0]!;
    expect(weak.name).toBe('薄弱校');
    expect(weak.metCount).toBe(5);
    // 3.5 m² of 4.5 for 100 pupils: 100 m² missing; 7 of 7.5: 50 m² missing.
    expect(weak.shortfalls).toEqual([
      { indicator: 'buildingArea', value: 3.5, standard: 4.5, ratio: 0.7778, resourceNeeded: 100 },
      { indicator: 'sportsArea', value: 7, standard: 7.5, ratio: 0.9333, resourceNeeded: 50 },
    ]);
  });
});

describe('splits and exclusions', () => {
  const opts = BalanceOptions.parse({});

  it('a 九年一贯制 school is split 1 : 1.1 by weighted enrolment; students by their own stage', () => {
    // 600 primary, 400 junior: weights 600 : 440, so primary gets 600/1040 of 10,400 m² = 6,000 m² → 10 m²
    // per pupil; junior 4,400 m² for 400 pupils → 11.
    const row = school(2, '一贯制学校', {
      kind: 'nine_year',
      students: 1000,
      primaryStudents: 600,
      juniorStudents: 400,
      f: { buildingArea: 10_400 },
    });
    const { primary, junior } = stageSchoolsOf([row], opts);
    expect(primary[0]).toMatchObject({ id: '2-primary', students: 600 });
    expect(primary[0]!.share).toBeCloseTo(600 / 1040, 10);
    expect(primary[0]!.values.buildingArea).toBeCloseTo(10, 10);
    expect(junior[0]).toMatchObject({ id: '2-junior', students: 400 });
    expect(junior[0]!.values.buildingArea).toBeCloseTo(11, 10);
    // The weights are configurable: 1 : 1 splits by enrolment alone (10.4 per pupil both).
    const even = stageSchoolsOf([row], BalanceOptions.parse({ nineYearWeights: [1, 1] }));
    expect(even.junior[0]!.values.buildingArea).toBeCloseTo(10.4, 10);
  });

  it('a 完全中学 counts its junior part only, split 1 : 1.2 with the senior part', () => {
    // 500 junior, 500 senior: 500 : 600, junior gets 5/11 of 11,000 m² = 5,000 m² → 10 per pupil.
    const row = school(3, '完全中学', {
      kind: 'complete_secondary',
      students: 1000,
      juniorStudents: 500,
      seniorStudents: 500,
      f: { buildingArea: 11_000 },
    });
    const { primary, junior } = stageSchoolsOf([row], opts);
    expect(primary).toEqual([]);
    expect(junior).toHaveLength(1);
    expect(junior[0]!.students).toBe(500);
    expect(junior[0]!.values.buildingArea).toBeCloseTo(10, 10);
  });

  it('a split school without its stage enrolment is an error with the reason', () => {
    const res = computeBalance(table([school(5, '缺列学校', { kind: 'nine_year', students: 900 })]));
    expect(res.errors).toEqual([
      { row: 5, column: null, message: expect.stringContaining('小学在校生数和初中在校生数') as string },
    ]);
    expect(res.stages.every((s) => s.schools.length === 0)).toBe(true);
  });

  it('special-education, vocational and senior schools and teaching points under 50 are excluded with a reason', () => {
    const res = computeBalance(
      table([
        school(2, '特校', { kind: 'special', students: 80 }),
        school(3, '职校', { kind: 'vocational', students: 900 }),
        school(4, '高中', { kind: 'senior', students: 900 }),
        school(5, '小教学点', { kind: 'teaching_point', students: 49 }),
        school(6, '大教学点', { kind: 'teaching_point', students: 50 }),
      ]),
    );
    expect(res.excluded.map((e) => [e.row, e.kind])).toEqual([
      [2, 'special'],
      [3, 'vocational'],
      [4, 'senior'],
      [5, 'teaching_point'],
    ]);
    expect(res.excluded[3]!.reason).toMatch(/不足 50 人/);
    expect(res.stages[0]!.schools.map((s) => s.name)).toEqual(['大教学点']);
    // Configurable: a lower teaching-point limit keeps the small one.
    const kept = computeBalance(table([school(5, '小教学点', { kind: 'teaching_point', students: 49 })]), {
      teachingPointMinStudents: 30,
    });
    expect(kept.stages[0]!.schools).toHaveLength(1);
  });
});

describe('the 2012 basic-balance method', () => {
  it('eight single coefficients and the composite as their mean, limit 0.65 primary', () => {
    const res = computeBalance(table(HAND));
    const b = res.stages[0]!.basic;
    expect(b.indicators.map((i) => i.key)).toEqual([
      'buildingArea',
      'sportsArea',
      'equipmentValue',
      'computersPer100',
      'books',
      'teacherRatio',
      'qualifiedTeachersPerStudent',
      'seniorTitleTeachersPerStudent',
    ]);
    // B has 300 pupils and the figures of a 100-pupil school (校舍 aside): its per-pupil values are a third.
    const cvs = b.indicators.map((i) => i.cv!);
    expect(b.composite).toBeCloseTo(cvs.reduce((a, c) => a + c, 0) / 8, 6);
    expect(b.compositeLimit).toBe(0.65);
    expect(b.passed).toBe(b.composite! <= 0.65);
  });

  it('an indicator whose column is absent is not computable (never 0), and so is the composite', () => {
    const cols = ALL_FIGURES.filter((f) => f !== 'books' && f !== 'artsPeTeachers');
    const rows = HAND.map((r) => {
      const { books: _b, artsPeTeachers: _a, ...figures } = r.figures;
      return { ...r, figures };
    });
    const res = computeBalance(table(rows, cols));
    const p = res.stages[0]!;
    const books = p.basic.indicators.find((i) => i.key === 'books')!;
    expect(books).toMatchObject({ countyValue: null, cv: null, passed: null });
    expect(books.reason).toContain('图书册数');
    expect(p.basic.composite).toBeNull();
    const arts = p.quality.indicators.find((i) => i.key === 'artsPeTeachersPer100')!;
    expect(arts.cv).toBeNull();
    expect(p.quality.cvPassed).toBe(false); // 校舍 fails anyway
    expect(p.schools[0]!.met.artsPeTeachersPer100).toBeNull();
    expect(res.columns.missing).toEqual(['books', 'artsPeTeachers']);
  });
});

describe('what-if', () => {
  it('raising B’s 校舍 from 3 to 5 m² per pupil: the new CV and compliant count', () => {
    const res = computeBalance(table(HAND));
    const p = res.stages[0]!;
    // B has 300 pupils with figures for 100: it meets nothing; A and C meet everything.
    expect(p.quality.compliantSchools).toBe(2);
    const schools = p.schools.map((s) => ({ id: s.id, students: s.students, values: s.values }));
    const r = whatIf('primary', schools, { schoolId: '3-primary', indicator: 'buildingArea', value: 5 });
    // After: A 6 (100), B 5 (300), C 10 (100): X̄ = 3100/500 = 6.2; ΣD = 0.2·0.04 + 0.6·1.44 + 0.2·14.44 = 3.76
    expect(r.before.cv).toBeCloseTo(HAND_CV, 6);
    expect(r.after.countyValue).toBeCloseTo(6.2, 6);
    expect(r.after.cv).toBeCloseTo(Math.sqrt(3.76) / 6.2, 6);
    expect(r.after.passed).toBe(true);
    expect(r.before.schoolValue).toBe(3);
    expect(r.after.schoolValue).toBe(5);
    expect(r.after.compliantSchools).toBe(2);
  });

  it('a change that makes a school compliant raises the count', () => {
    const res = computeBalance(table([school(2, 'A'), school(3, 'B', { f: { buildingArea: 380 } })]));
    const p = res.stages[0]!;
    expect(p.quality.compliantSchools).toBe(1); // B: 3.8 of 4.5 = 84.4%
    const schools = p.schools.map((s) => ({ id: s.id, students: s.students, values: s.values }));
    const r = whatIf('primary', schools, { schoolId: '3-primary', indicator: 'buildingArea', value: 3.9 });
    expect(r.before.schoolCompliant).toBe(false);
    expect(r.after.schoolCompliant).toBe(true);
    expect(r.after.compliantSchools).toBe(2);
  });
});
