/**
 * County balanced development of compulsory education (县域义务教育均衡发展): the difference coefficients
 * (差异系数) and per-school resource standards of 教督〔2017〕6号 (优质均衡) and the 2012 basic-balance method
 * (基本均衡), computed from a table with one row per school. Nothing here is stored: the API and the CLI
 * compute from an uploaded file. docs/balance.md explains every field.
 */
import { z } from 'zod';

/** The two compulsory stages a county is assessed for. */
export const BALANCE_STAGES = ['primary', 'junior'] as const;
export type BalanceStage = (typeof BALANCE_STAGES)[number];
export const balanceStageLabels = {
  primary: { zh: '小学', en: 'Primary' },
  junior: { zh: '初中', en: 'Junior secondary' },
} satisfies Record<BalanceStage, { zh: string; en: string }>;

/** What a row's 学段 says the school is. */
export const BALANCE_SCHOOL_KINDS = [
  'primary',
  'junior',
  'nine_year',
  'complete_secondary',
  'teaching_point',
  'senior',
  'special',
  'vocational',
] as const;
export type BalanceSchoolKind = (typeof BALANCE_SCHOOL_KINDS)[number];
export const balanceSchoolKindLabels = {
  primary: { zh: '小学', en: 'Primary school' },
  junior: { zh: '初中', en: 'Junior secondary school' },
  nine_year: { zh: '九年一贯制', en: 'Nine-year school' },
  complete_secondary: { zh: '完全中学', en: 'Complete secondary school' },
  teaching_point: { zh: '教学点', en: 'Teaching point' },
  senior: { zh: '高中', en: 'Senior secondary school' },
  special: { zh: '特殊教育', en: 'Special-education school' },
  vocational: { zh: '中职', en: 'Vocational school' },
} satisfies Record<BalanceSchoolKind, { zh: string; en: string }>;

/**
 * Every indicator of either method. The 2017 method uses the first seven (QUALITY_INDICATORS), the 2012
 * method eight (BASIC_INDICATORS); 生均教学及辅助用房面积, 生均体育运动场馆面积 and 生均教学仪器设备值 are in both.
 */
export const BALANCE_INDICATORS = [
  'qualifiedTeachersPer100',
  'backboneTeachersPer100',
  'artsPeTeachersPer100',
  'buildingArea',
  'sportsArea',
  'equipmentValue',
  'multimediaRoomsPer100',
  'computersPer100',
  'books',
  'teacherRatio',
  'qualifiedTeachersPerStudent',
  'seniorTitleTeachersPerStudent',
] as const;
export type BalanceIndicator = (typeof BALANCE_INDICATORS)[number];

export const QUALITY_INDICATORS = [
  'qualifiedTeachersPer100',
  'backboneTeachersPer100',
  'artsPeTeachersPer100',
  'buildingArea',
  'sportsArea',
  'equipmentValue',
  'multimediaRoomsPer100',
] as const satisfies readonly BalanceIndicator[];
export type QualityIndicator = (typeof QUALITY_INDICATORS)[number];

export const BASIC_INDICATORS = [
  'buildingArea',
  'sportsArea',
  'equipmentValue',
  'computersPer100',
  'books',
  'teacherRatio',
  'qualifiedTeachersPerStudent',
  'seniorTitleTeachersPerStudent',
] as const satisfies readonly BalanceIndicator[];

/** Indicator names as evaluators write them, and their units. */
export const balanceIndicatorLabels = {
  qualifiedTeachersPer100: {
    zh: '每百名学生高于规定学历教师数',
    en: 'Teachers above required degree per 100 students',
  },
  backboneTeachersPer100: {
    zh: '每百名学生县级以上骨干教师数',
    en: 'County-level or higher key teachers per 100 students',
  },
  artsPeTeachersPer100: {
    zh: '每百名学生体育、艺术（美术、音乐）专任教师数',
    en: 'PE and arts (art, music) teachers per 100 students',
  },
  buildingArea: { zh: '生均教学及辅助用房面积', en: 'Teaching and auxiliary floor area per student' },
  sportsArea: { zh: '生均体育运动场馆面积', en: 'Sports ground and hall area per student' },
  equipmentValue: { zh: '生均教学仪器设备值', en: 'Teaching equipment value per student' },
  multimediaRoomsPer100: {
    zh: '每百名学生拥有网络多媒体教室数',
    en: 'Networked multimedia classrooms per 100 students',
  },
  computersPer100: { zh: '每百名学生拥有计算机台数', en: 'Computers per 100 students' },
  books: { zh: '生均图书册数', en: 'Library books per student' },
  teacherRatio: { zh: '师生比', en: 'Teacher–student ratio' },
  qualifiedTeachersPerStudent: {
    zh: '生均高于规定学历教师数',
    en: 'Teachers above required degree per student',
  },
  seniorTitleTeachersPerStudent: {
    zh: '生均中级及以上专业技术职务教师数',
    en: 'Teachers with intermediate or higher titles per student',
  },
} satisfies Record<BalanceIndicator, { zh: string; en: string }>;

export const balanceIndicatorUnits = {
  qualifiedTeachersPer100: { zh: '人', en: 'persons' },
  backboneTeachersPer100: { zh: '人', en: 'persons' },
  artsPeTeachersPer100: { zh: '人', en: 'persons' },
  buildingArea: { zh: '平方米', en: 'm²' },
  sportsArea: { zh: '平方米', en: 'm²' },
  equipmentValue: { zh: '元', en: 'yuan' },
  multimediaRoomsPer100: { zh: '间', en: 'rooms' },
  computersPer100: { zh: '台', en: 'computers' },
  books: { zh: '册', en: 'volumes' },
  teacherRatio: { zh: '', en: '' },
  qualifiedTeachersPerStudent: { zh: '人', en: 'persons' },
  seniorTitleTeachersPerStudent: { zh: '人', en: 'persons' },
} satisfies Record<BalanceIndicator, { zh: string; en: string }>;

/** The raw figures of a row (the table's columns besides name, 学段 and enrolment). */
export const BALANCE_FIGURES = [
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
] as const;
export type BalanceFigure = (typeof BALANCE_FIGURES)[number];
export const balanceFigureLabels = {
  books: { zh: '图书册数', en: 'Library books' },
  buildingArea: { zh: '教学及辅助用房面积', en: 'Teaching and auxiliary floor area' },
  sportsArea: { zh: '体育运动场馆面积', en: 'Sports ground and hall area' },
  equipmentValue: { zh: '教学仪器设备值', en: 'Teaching equipment value' },
  computers: { zh: '计算机台数', en: 'Computers' },
  multimediaRooms: { zh: '网络多媒体教室数', en: 'Networked multimedia classrooms' },
  qualifiedTeachers: { zh: '高于规定学历教师数', en: 'Teachers above the required degree' },
  backboneTeachers: { zh: '县级以上骨干教师数', en: 'County-level or higher key teachers' },
  artsPeTeachers: { zh: '体育艺术专任教师数', en: 'PE and arts teachers' },
  seniorTitleTeachers: { zh: '中级及以上职称教师数', en: 'Teachers with intermediate or higher titles' },
  teachers: { zh: '专任教师数', en: 'Full-time teachers' },
} satisfies Record<BalanceFigure, { zh: string; en: string }>;

/** Settings of the computation; every field has the default of the national methods. */
export const BalanceOptions = z.strictObject({
  /** Resource standards a school must meet (of 7); the rest must reach remainingMinRatio of theirs. */
  minMet: z.number().int().min(0).max(7).default(6),
  remainingMinRatio: z.number().min(0).max(1).default(0.85),
  /** 2017 difference-coefficient limits. */
  cvLimit: z.strictObject({ primary: z.number().positive(), junior: z.number().positive() }).default({
    primary: 0.5,
    junior: 0.45,
  }),
  /** 2012 limits of the composite coefficient. */
  basicCvLimit: z.strictObject({ primary: z.number().positive(), junior: z.number().positive() }).default({
    primary: 0.65,
    junior: 0.55,
  }),
  /** Enrolment weights that split a 九年一贯制 (primary : junior) and a 完全中学 (junior : senior). */
  nineYearWeights: z.tuple([z.number().positive(), z.number().positive()]).default([1, 1.1]),
  completeSecondaryWeights: z.tuple([z.number().positive(), z.number().positive()]).default([1, 1.2]),
  /** Teaching points with fewer students are left out. */
  teachingPointMinStudents: z.number().int().min(0).default(50),
  excludeSpecial: z.boolean().default(true),
  excludeVocational: z.boolean().default(true),
});
export type BalanceOptions = z.infer<typeof BalanceOptions>;
export type BalanceOptionsInput = z.input<typeof BalanceOptions>;

/** Options of POST /api/balance/compute, as query parameters (the body is the file). */
export const BalanceComputeQuery = z.strictObject({
  minMet: z.coerce.number().int().min(0).max(7).optional(),
  remainingMinRatio: z.coerce.number().min(0).max(1).optional(),
  primaryCvLimit: z.coerce.number().positive().max(5).optional(),
  juniorCvLimit: z.coerce.number().positive().max(5).optional(),
});
export type BalanceComputeQuery = z.infer<typeof BalanceComputeQuery>;

const num = z.number();
const indicatorValues = z.partialRecord(z.enum(BALANCE_INDICATORS), num.nullable());

export const BalanceIndicatorResult = z.object({
  key: z.enum(BALANCE_INDICATORS),
  label: z.string(),
  unit: z.string(),
  /** 100 for per-hundred-students indicators, else 1. */
  factor: num,
  /** The per-school standard (2017 indicators); null for the 2012 ones. */
  standard: num.nullable(),
  /** Σ resource / Σ students (× factor). */
  countyValue: num.nullable(),
  cv: num.nullable(),
  /** The coefficient limit (2017) — null for the single 2012 coefficients, judged only as a composite. */
  cvLimit: num.nullable(),
  passed: z.boolean().nullable(),
  /** Schools below the standard (2017 indicators). */
  schoolsBelow: z.number().int().nullable(),
  /** Why the coefficient cannot be computed (a missing column, no students, a county value of 0). */
  reason: z.string().nullable(),
});
export type BalanceIndicatorResult = z.infer<typeof BalanceIndicatorResult>;

export const BalanceSchoolResult = z.object({
  /** Stable within one result: `${row}-${stage}`. */
  id: z.string(),
  row: z.number().int(),
  name: z.string(),
  kind: z.enum(BALANCE_SCHOOL_KINDS),
  /** For a split school: the share of its resources counted in this stage. */
  share: num.nullable(),
  students: num,
  values: indicatorValues,
  /** 2017 standards met: true / false, null when the value cannot be computed. */
  met: z.partialRecord(z.enum(QUALITY_INDICATORS), z.boolean().nullable()),
  metCount: z.number().int(),
  /** ≥ minMet met and the rest ≥ remainingMinRatio of their standard; null when a value is missing. */
  compliant: z.boolean().nullable(),
});
export type BalanceSchoolResult = z.infer<typeof BalanceSchoolResult>;

export const BalanceShortfall = z.object({
  indicator: z.enum(QUALITY_INDICATORS),
  value: num,
  standard: num,
  /** value / standard. */
  ratio: num,
  /** How much of the raw figure is missing to meet the standard (m², 元, teachers, rooms). */
  resourceNeeded: num,
});

export const BalanceStageResult = z.object({
  stage: z.enum(BALANCE_STAGES),
  schools: z.array(BalanceSchoolResult),
  students: num,
  quality: z.object({
    indicators: z.array(BalanceIndicatorResult),
    /** Every coefficient within its limit; null when one cannot be computed. */
    cvPassed: z.boolean().nullable(),
    compliantSchools: z.number().int(),
    assessedSchools: z.number().int(),
    allCompliant: z.boolean().nullable(),
  }),
  basic: z.object({
    indicators: z.array(BalanceIndicatorResult),
    /** 综合差异系数: the mean of the eight; null unless all eight are computable. */
    composite: num.nullable(),
    compositeLimit: num,
    passed: z.boolean().nullable(),
  }),
  holdingBack: z.object({
    /** Failing 2017 coefficients and the schools contributing most to them (share of ΣDᵢ). */
    indicators: z.array(
      z.object({
        indicator: z.enum(QUALITY_INDICATORS),
        cv: num,
        cvLimit: num,
        schools: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            value: num,
            share: num,
            direction: z.enum(['below', 'above']),
          }),
        ),
      }),
    ),
    /** Non-compliant schools and what they lack. */
    schools: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        metCount: z.number().int(),
        shortfalls: z.array(BalanceShortfall),
      }),
    ),
  }),
});
export type BalanceStageResult = z.infer<typeof BalanceStageResult>;

export const BalanceRowError = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export type BalanceRowError = z.infer<typeof BalanceRowError>;

export const BalanceResult = z.object({
  file: z.string().nullable(),
  options: BalanceOptions,
  columns: z.object({
    found: z.array(z.enum(BALANCE_FIGURES)),
    missing: z.array(z.enum(BALANCE_FIGURES)),
    unknown: z.array(z.string()),
    /** Columns given in 万元 / 万册 and multiplied by 10,000. */
    scaled: z.array(z.object({ column: z.string(), factor: num })),
  }),
  stages: z.array(BalanceStageResult),
  excluded: z.array(
    z.object({
      row: z.number().int(),
      name: z.string(),
      kind: z.enum(BALANCE_SCHOOL_KINDS),
      reason: z.string(),
    }),
  ),
  errors: z.array(BalanceRowError),
  /** Rows ignored on purpose (合计 rows). */
  ignored: z.array(z.object({ row: z.number().int(), text: z.string() })),
});
export type BalanceResult = z.infer<typeof BalanceResult>;

/** POST /api/balance/what-if: a stage's schools as the result gave them, and one change. */
export const BalanceWhatIfRequest = z.strictObject({
  stage: z.enum(BALANCE_STAGES),
  schools: z
    .array(
      z.strictObject({
        id: z.string().max(40),
        name: z.string().max(200).optional(),
        students: z.number().positive(),
        values: indicatorValues,
      }),
    )
    .min(1)
    .max(5000),
  schoolId: z.string().max(40),
  indicator: z.enum(BALANCE_INDICATORS),
  value: z.number().min(0).max(1e9),
  options: BalanceOptions.partial().optional(),
});
export type BalanceWhatIfRequest = z.infer<typeof BalanceWhatIfRequest>;

const whatIfSide = z.object({
  countyValue: num.nullable(),
  cv: num.nullable(),
  passed: z.boolean().nullable(),
  compliantSchools: z.number().int(),
  schoolValue: num.nullable(),
  schoolCompliant: z.boolean().nullable(),
});
export const BalanceWhatIfResult = z.object({
  stage: z.enum(BALANCE_STAGES),
  indicator: z.enum(BALANCE_INDICATORS),
  schoolId: z.string(),
  cvLimit: num.nullable(),
  before: whatIfSide,
  after: whatIfSide,
});
export type BalanceWhatIfResult = z.infer<typeof BalanceWhatIfResult>;

/**
 * GET /api/balance/stored: the same computation fed from the figures collected through 数据填报 (the annual
 * school form) for one county and period. `row` in schools and errors is the school's place in the list.
 */
export const BalanceStoredResult = BalanceResult.extend({
  countyId: z.uuid(),
  countyName: z.string(),
  period: z.string(),
  formId: z.uuid(),
  /** true: only approved (or accepted) figures counted; false: every submitted one, flagged below. */
  approvedOnly: z.boolean(),
  schoolsExpected: z.number().int(),
  schoolsCounted: z.number().int(),
  /** Schools of the county whose figures were not counted, with their status. */
  notCounted: z.array(z.object({ unitId: z.uuid(), name: z.string(), status: z.string() })),
  /** Schools counted although not yet approved (approvedOnly false). */
  unapproved: z.array(z.object({ unitId: z.uuid(), name: z.string(), status: z.string() })),
});
export type BalanceStoredResult = z.infer<typeof BalanceStoredResult>;
