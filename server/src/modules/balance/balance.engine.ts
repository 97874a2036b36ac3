/**
 * The balanced-development computation (教督〔2017〕6号 优质均衡; the 2012 基本均衡 method for history), pure:
 * schools in, coefficients, per-school standards and what holds the county back out. No database, no I/O;
 * balance.table.ts turns a file into BalanceRow[], the CLI and the API call computeBalance and whatIf.
 *
 * The difference coefficient of an indicator for a county and stage is population-weighted:
 *   X̄ = Σ resource / Σ students (× 100 for per-hundred indicators),
 *   Dᵢ = (Pᵢ / P)·(Xᵢ − X̄)², CV = √(ΣDᵢ) / X̄.
 */
import {
  BALANCE_INDICATORS,
  BalanceOptions,
  BASIC_INDICATORS,
  balanceFigureLabels,
  balanceIndicatorLabels,
  balanceIndicatorUnits,
  balanceSchoolKindLabels,
  QUALITY_INDICATORS,
  type BalanceFigure,
  type BalanceIndicator,
  type BalanceIndicatorResult,
  type BalanceOptionsInput,
  type BalanceResult,
  type BalanceRowError,
  type BalanceSchoolKind,
  type BalanceSchoolResult,
  type BalanceStage,
  type BalanceStageResult,
  type BalanceWhatIfResult,
  type Lang,
  type QualityIndicator,
} from '@dudao/contracts';

/** How each indicator is made from a raw figure, and the 2017 per-school standard (primary / junior). */
export const INDICATOR_DEFS: Record<
  BalanceIndicator,
  { figure: BalanceFigure; factor: number; standard?: Record<BalanceStage, number> }
> = {
  qualifiedTeachersPer100: {
    figure: 'qualifiedTeachers',
    factor: 100,
    standard: { primary: 4.2, junior: 5.3 },
  },
  backboneTeachersPer100: { figure: 'backboneTeachers', factor: 100, standard: { primary: 1, junior: 1 } },
  artsPeTeachersPer100: { figure: 'artsPeTeachers', factor: 100, standard: { primary: 0.9, junior: 0.9 } },
  buildingArea: { figure: 'buildingArea', factor: 1, standard: { primary: 4.5, junior: 5.8 } },
  sportsArea: { figure: 'sportsArea', factor: 1, standard: { primary: 7.5, junior: 10.2 } },
  equipmentValue: { figure: 'equipmentValue', factor: 1, standard: { primary: 2000, junior: 2500 } },
  multimediaRoomsPer100: { figure: 'multimediaRooms', factor: 100, standard: { primary: 2.3, junior: 2.4 } },
  computersPer100: { figure: 'computers', factor: 100 },
  books: { figure: 'books', factor: 1 },
  teacherRatio: { figure: 'teachers', factor: 1 },
  qualifiedTeachersPerStudent: { figure: 'qualifiedTeachers', factor: 1 },
  seniorTitleTeachersPerStudent: { figure: 'seniorTitleTeachers', factor: 1 },
};

/** The 2017 per-school standard of an indicator for a stage. */
export function standardOf(indicator: QualityIndicator, stage: BalanceStage): number {
  return INDICATOR_DEFS[indicator].standard![stage];
}

/** One row of the table, parsed: a school as the county reports it. */
export interface BalanceRow {
  /** The spreadsheet's row number (1-based). */
  row: number;
  name: string;
  kind: BalanceSchoolKind;
  /** 在校生数. */
  students: number | null;
  /** 小学 / 初中 / 高中 在校生数 (needed to split a 九年一贯制 or 完全中学). */
  primaryStudents: number | null;
  juniorStudents: number | null;
  seniorStudents: number | null;
  /** The raw figures given (columns present and filled). */
  figures: Partial<Record<BalanceFigure, number>>;
}

/** What the table reader hands over besides the rows. */
export interface BalanceTable {
  file: string | null;
  rows: BalanceRow[];
  /** Figures whose column is in the table. */
  columnsFound: BalanceFigure[];
  unknownColumns: string[];
  scaled: { column: string; factor: number }[];
  errors: BalanceRowError[];
  ignored: { row: number; text: string }[];
}

/** A school's part in one stage (a split school has one per stage). */
export interface StageSchool {
  id: string;
  row: number;
  name: string;
  kind: BalanceSchoolKind;
  share: number | null;
  students: number;
  values: Partial<Record<BalanceIndicator, number | null>>;
}

/** A message in the request's language. */
const tr = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

const round = (x: number, digits = 6) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * The population-weighted difference coefficient of values Xᵢ held by schools of Pᵢ students:
 * X̄ = Σ PᵢXᵢ / P (which is Σ resource / Σ students), CV = √(Σ (Pᵢ/P)(Xᵢ − X̄)²) / X̄.
 * `cv` is null when there are no students or X̄ is 0.
 */
export function differenceCoefficient(points: readonly { students: number; value: number }[]): {
  mean: number | null;
  cv: number | null;
  contributions: number[];
} {
  const total = points.reduce((s, p) => s + p.students, 0);
  if (points.length === 0 || total <= 0) return { mean: null, cv: null, contributions: points.map(() => 0) };
  const mean = points.reduce((s, p) => s + p.students * p.value, 0) / total;
  const contributions = points.map((p) => (p.students / total) * (p.value - mean) ** 2);
  if (mean === 0) return { mean, cv: null, contributions };
  const cv = Math.sqrt(contributions.reduce((s, d) => s + d, 0)) / mean;
  return { mean, cv, contributions };
}

// A value within a hair of the standard meets it: 21 teachers for 500 pupils is 4.2 per hundred, whatever
// floating point makes of 21 / 500 × 100.
const reaches = (value: number, target: number) => value >= target - 1e-7 * Math.max(1, Math.abs(target));

/** The 2017 standards a school meets and whether it is compliant. */
export function schoolCompliance(
  stage: BalanceStage,
  values: StageSchool['values'],
  options: Pick<BalanceOptions, 'minMet' | 'remainingMinRatio'>,
): { met: Partial<Record<QualityIndicator, boolean | null>>; metCount: number; compliant: boolean | null } {
  const met: Partial<Record<QualityIndicator, boolean | null>> = {};
  let metCount = 0;
  let unknown = false;
  let remainingOk = true;
  for (const k of QUALITY_INDICATORS) {
    const v = values[k];
    if (v === null || v === undefined) {
      met[k] = null;
      unknown = true;
      continue;
    }
    const standard = standardOf(k, stage);
    met[k] = reaches(v, standard);
    if (met[k]) metCount++;
    else if (!reaches(v, standard * options.remainingMinRatio)) remainingOk = false;
  }
  // Missing values make compliance unknown unless the known ones already decide it.
  const failed =
    !remainingOk || metCount + QUALITY_INDICATORS.filter((k) => met[k] === null).length < options.minMet;
  const compliant = failed ? false : unknown ? null : metCount >= options.minMet;
  return { met, metCount, compliant };
}

function indicatorResult(
  key: BalanceIndicator,
  stage: BalanceStage,
  schools: readonly StageSchool[],
  cvLimit: number | null,
  missing: Partial<Record<BalanceIndicator, string>>,
  lang: Lang = 'zh',
): BalanceIndicatorResult & { contributions: number[] } {
  const def = INDICATOR_DEFS[key];
  const standard = def.standard ? def.standard[stage] : null;
  const base = {
    key,
    label: balanceIndicatorLabels[key][lang],
    unit: balanceIndicatorUnits[key][lang],
    factor: def.factor,
    standard,
    cvLimit,
  };
  const none = (reason: string) => ({
    ...base,
    countyValue: null,
    cv: null,
    passed: null,
    schoolsBelow: null,
    reason,
    contributions: schools.map(() => 0),
  });
  if (missing[key]) return none(missing[key]);
  if (schools.length === 0) return none(tr(lang, '本学段没有参评学校', 'No schools in this stage'));
  const points: { students: number; value: number }[] = [];
  for (const s of schools) {
    const v = s.values[key];
    if (v === null || v === undefined)
      return none(tr(lang, `${s.name} 缺少该项数据`, `${s.name} has no value`));
    points.push({ students: s.students, value: v });
  }
  const { mean, cv, contributions } = differenceCoefficient(points);
  const schoolsBelow = standard === null ? null : points.filter((p) => !reaches(p.value, standard)).length;
  return {
    ...base,
    countyValue: mean === null ? null : round(mean),
    cv: cv === null ? null : round(cv),
    passed: cv === null || cvLimit === null ? null : cv <= cvLimit + 1e-12,
    schoolsBelow,
    reason:
      cv === null ? tr(lang, '县域值为 0，无法计算差异系数', 'The county value is 0: no coefficient') : null,
    contributions,
  };
}

/** Computes one stage from its schools' values (the what-if reuses it with one value changed). */
export function computeStage(
  stage: BalanceStage,
  schools: readonly StageSchool[],
  options: BalanceOptions,
  missing: Partial<Record<BalanceIndicator, string>> = {},
  lang: Lang = 'zh',
): BalanceStageResult {
  const quality = QUALITY_INDICATORS.map((k) =>
    indicatorResult(k, stage, schools, options.cvLimit[stage], missing, lang),
  );
  const basic = BASIC_INDICATORS.map((k) => indicatorResult(k, stage, schools, null, missing, lang));
  const schoolResults: BalanceSchoolResult[] = schools.map((s) => {
    const c = schoolCompliance(stage, s.values, options);
    const values: BalanceSchoolResult['values'] = {};
    for (const k of BALANCE_INDICATORS) {
      const v = s.values[k];
      values[k] = v === null || v === undefined ? null : round(v);
    }
    return {
      id: s.id,
      row: s.row,
      name: s.name,
      kind: s.kind,
      share: s.share === null ? null : round(s.share),
      students: s.students,
      values,
      met: c.met,
      metCount: c.metCount,
      compliant: c.compliant,
    };
  });
  const assessed = schoolResults.filter((s) => s.compliant !== null);
  const compliantSchools = assessed.filter((s) => s.compliant).length;
  const cvPassed = quality.some((q) => q.passed === false)
    ? false
    : quality.every((q) => q.passed === true)
      ? true
      : null;
  const basicCvs = basic.map((b) => b.cv);
  const composite = basicCvs.every((c) => c !== null)
    ? round(basicCvs.reduce<number>((s, c) => s + (c ?? 0), 0) / basicCvs.length)
    : null;
  const compositeLimit = options.basicCvLimit[stage];

  const holdingIndicators = quality
    .filter((q) => q.passed === false && q.cv !== null && q.countyValue !== null)
    .map((q) => {
      const total = q.contributions.reduce((a, b) => a + b, 0);
      const ranked = schools
        .map((s, i) => ({ s, d: q.contributions[i] ?? 0 }))
        .filter((x) => x.d > 0)
        .sort((a, b) => b.d - a.d)
        .slice(0, 5);
      return {
        indicator: q.key as QualityIndicator,
        cv: q.cv!,
        cvLimit: q.cvLimit!,
        schools: ranked.map(({ s, d }) => ({
          id: s.id,
          name: s.name,
          value: round(s.values[q.key] ?? 0),
          share: round(total > 0 ? d / total : 0, 4),
          direction: (s.values[q.key] ?? 0) < q.countyValue! ? ('below' as const) : ('above' as const),
        })),
      };
    });
  const holdingSchools = schoolResults
    .filter((s) => s.compliant === false)
    .map((s) => ({
      id: s.id,
      name: s.name,
      metCount: s.metCount,
      shortfalls: QUALITY_INDICATORS.filter((k) => s.met[k] === false).map((k) => {
        const value = s.values[k] ?? 0;
        const standard = standardOf(k, stage);
        return {
          indicator: k,
          value,
          standard,
          ratio: round(value / standard, 4),
          resourceNeeded: round(((standard - value) * s.students) / INDICATOR_DEFS[k].factor, 2),
        };
      }),
    }))
    .sort((a, b) => a.metCount - b.metCount);

  const strip = ({ contributions: _c, ...rest }: BalanceIndicatorResult & { contributions: number[] }) =>
    rest;
  return {
    stage,
    schools: schoolResults,
    students: schools.reduce((s, x) => s + x.students, 0),
    quality: {
      indicators: quality.map(strip),
      cvPassed,
      compliantSchools,
      assessedSchools: assessed.length,
      allCompliant:
        schools.length === 0 || schoolResults.some((s) => s.compliant === false)
          ? schools.length === 0
            ? null
            : false
          : assessed.length < schools.length
            ? null
            : true,
    },
    basic: {
      indicators: basic.map(strip),
      composite,
      compositeLimit,
      passed: composite === null ? null : composite <= compositeLimit + 1e-12,
    },
    holdingBack: { indicators: holdingIndicators, schools: holdingSchools },
  };
}

type Exclusion = BalanceResult['excluded'][number];

/** Splits and exclusions: each row becomes zero, one or two stage schools, or an exclusion or an error. */
export function stageSchoolsOf(
  rows: readonly BalanceRow[],
  options: BalanceOptions,
  lang: Lang = 'zh',
): { primary: StageSchool[]; junior: StageSchool[]; excluded: Exclusion[]; errors: BalanceRowError[] } {
  const primary: StageSchool[] = [];
  const junior: StageSchool[] = [];
  const excluded: Exclusion[] = [];
  const errors: BalanceRowError[] = [];

  const add = (r: BalanceRow, stage: BalanceStage, students: number, share: number | null) => {
    if (students <= 0) return;
    const values: StageSchool['values'] = {};
    for (const k of BALANCE_INDICATORS) {
      const def = INDICATOR_DEFS[k];
      const figure = r.figures[def.figure];
      values[k] = figure === undefined ? null : ((figure * (share ?? 1)) / students) * def.factor;
    }
    (stage === 'primary' ? primary : junior).push({
      id: `${r.row}-${stage}`,
      row: r.row,
      name: r.name,
      kind: r.kind,
      share,
      students,
      values,
    });
  };
  const exclude = (r: BalanceRow, reason: string) =>
    excluded.push({ row: r.row, name: r.name, kind: r.kind, reason });
  const needs = (r: BalanceRow, cols: readonly [string, string]) =>
    errors.push({
      row: r.row,
      column: null,
      message: tr(
        lang,
        `${r.name}（${balanceSchoolKindLabels[r.kind].zh}）须按学段拆分，请填写${cols[0]}和${cols[1]}`,
        `${r.name} (${balanceSchoolKindLabels[r.kind].en}) is split between stages: fill in ${cols[0]} and ${cols[1]}`,
      ),
    });

  // Splits a school between two stages by weighted enrolment: resources in proportion to P₁·w₁ : P₂·w₂.
  const split = (
    r: BalanceRow,
    a: { stage: BalanceStage | null; students: number | null; weight: number },
    b: { stage: BalanceStage | null; students: number | null; weight: number },
    cols: readonly [string, string],
  ) => {
    if (a.students === null || b.students === null) return needs(r, cols);
    const wa = a.students * a.weight;
    const wb = b.students * b.weight;
    if (wa + wb <= 0) return exclude(r, tr(lang, '各学段在校生数均为 0', 'No students in any stage'));
    if (a.stage) add(r, a.stage, a.students, wa / (wa + wb));
    if (b.stage) add(r, b.stage, b.students, wb / (wa + wb));
  };

  for (const r of rows) {
    const [n1, n2] = options.nineYearWeights;
    const [c1, c2] = options.completeSecondaryWeights;
    switch (r.kind) {
      case 'primary':
      case 'junior':
        if (r.students === null || r.students <= 0) exclude(r, tr(lang, '在校生数为 0', 'No students'));
        else add(r, r.kind, r.students, null);
        break;
      case 'teaching_point':
        if (r.students === null || r.students < options.teachingPointMinStudents)
          exclude(
            r,
            tr(
              lang,
              `教学点在校生不足 ${options.teachingPointMinStudents} 人，不参与计算`,
              `Teaching point with fewer than ${options.teachingPointMinStudents} students: left out`,
            ),
          );
        else add(r, 'primary', r.students, null);
        break;
      case 'nine_year':
        split(
          r,
          { stage: 'primary', students: r.primaryStudents, weight: n1 },
          { stage: 'junior', students: r.juniorStudents, weight: n2 },
          PRIMARY_JUNIOR,
        );
        break;
      case 'complete_secondary':
        split(
          r,
          { stage: 'junior', students: r.juniorStudents, weight: c1 },
          { stage: null, students: r.seniorStudents, weight: c2 },
          ['初中在校生数', '高中在校生数'],
        );
        break;
      case 'senior':
        exclude(
          r,
          tr(
            lang,
            '高中不属于义务教育，不参与计算',
            'Senior secondary is not compulsory education: left out',
          ),
        );
        break;
      case 'special':
      case 'vocational':
        if (r.kind === 'special' ? options.excludeSpecial : options.excludeVocational)
          exclude(
            r,
            r.kind === 'special'
              ? tr(lang, '特殊教育学校不参与计算', 'Special-education schools are left out')
              : tr(lang, '中等职业学校不参与计算', 'Vocational schools are left out'),
          );
        else
          split(
            r,
            { stage: 'primary', students: r.primaryStudents, weight: 1 },
            { stage: 'junior', students: r.juniorStudents, weight: 1 },
            PRIMARY_JUNIOR,
          );
        break;
    }
  }
  return { primary, junior, excluded, errors };
}

const PRIMARY_JUNIOR = ['小学在校生数', '初中在校生数'] as const;

/** Why each indicator cannot be computed because its column is absent. */
function missingColumns(
  found: readonly BalanceFigure[],
  lang: Lang,
): Partial<Record<BalanceIndicator, string>> {
  const have = new Set(found);
  const missing: Partial<Record<BalanceIndicator, string>> = {};
  for (const k of BALANCE_INDICATORS) {
    const figure = INDICATOR_DEFS[k].figure;
    if (!have.has(figure))
      missing[k] = tr(
        lang,
        `表中没有“${balanceFigureLabels[figure].zh}”列，无法计算`,
        `The table has no column “${balanceFigureLabels[figure].zh}” (${balanceFigureLabels[figure].en}): not computable`,
      );
  }
  return missing;
}

/** The whole computation from a parsed table. */
export function computeBalance(
  table: BalanceTable,
  input: BalanceOptionsInput = {},
  lang: Lang = 'zh',
): BalanceResult {
  const options = BalanceOptions.parse(input);
  const { primary, junior, excluded, errors } = stageSchoolsOf(table.rows, options, lang);
  const missing = missingColumns(table.columnsFound, lang);
  const found = new Set(table.columnsFound);
  return {
    file: table.file,
    options,
    columns: {
      found: [...table.columnsFound],
      missing: (Object.keys(balanceFigureLabels) as BalanceFigure[]).filter((f) => !found.has(f)),
      unknown: table.unknownColumns,
      scaled: table.scaled,
    },
    stages: [
      computeStage('primary', primary, options, missing, lang),
      computeStage('junior', junior, options, missing, lang),
    ],
    excluded,
    errors: [...table.errors, ...errors].sort((a, b) => a.row - b.row),
    ignored: table.ignored,
  };
}

/** What-if: school S's indicator I becomes V — the coefficient and the count of compliant schools after. */
export function whatIf(
  stage: BalanceStage,
  schools: readonly Pick<StageSchool, 'id' | 'students' | 'values'>[],
  change: { schoolId: string; indicator: BalanceIndicator; value: number },
  input: BalanceOptionsInput = {},
  lang: Lang = 'zh',
): BalanceWhatIfResult {
  const options = BalanceOptions.parse(input);
  const full = (list: typeof schools): StageSchool[] =>
    list.map((s) => ({ ...s, row: 0, name: s.id, kind: stage, share: null }));
  const isQuality = (QUALITY_INDICATORS as readonly string[]).includes(change.indicator);
  const limit = isQuality ? options.cvLimit[stage] : null;
  const side = (list: StageSchool[]) => {
    const r = indicatorResult(change.indicator, stage, list, limit, {}, lang);
    const target = list.find((s) => s.id === change.schoolId);
    const compliance = list.map((s) => schoolCompliance(stage, s.values, options));
    const index = list.findIndex((s) => s.id === change.schoolId);
    return {
      countyValue: r.countyValue,
      cv: r.cv,
      passed: r.passed,
      compliantSchools: compliance.filter((c) => c.compliant === true).length,
      schoolValue: target?.values[change.indicator] ?? null,
      schoolCompliant: compliance[index]?.compliant ?? null,
    };
  };
  const before = full(schools);
  if (!before.some((s) => s.id === change.schoolId)) throw new Error(`no school ${change.schoolId}`);
  const after = before.map((s) =>
    s.id === change.schoolId ? { ...s, values: { ...s.values, [change.indicator]: change.value } } : s,
  );
  return {
    stage,
    indicator: change.indicator,
    schoolId: change.schoolId,
    cvLimit: limit,
    before: side(before),
    after: side(after),
  };
}
