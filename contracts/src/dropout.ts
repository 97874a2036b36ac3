/**
 * Request and response shapes of the dropout-control module (控辍保学): the school calendar, daily
 * attendance, gate events, classes that have not submitted, detection settings, suspected cases and the
 * risk list.
 */
import { z } from 'zod';
import { freeText, pageOf, pageQuery, uuid } from './common.ts';

const isoDate = z.iso.date();
type Labels = Record<string, { zh: string; en: string }>;

// ---------- enumerations ----------

/** The exceptions of a sheet; everyone else is present (出勤). */
export const ATTENDANCE_KINDS = ['late', 'sick', 'personal', 'unexcused'] as const;
export type AttendanceKind = (typeof ATTENDANCE_KINDS)[number];
export const attendanceKindLabels = {
  late: { zh: '迟到', en: 'Late' },
  sick: { zh: '病假', en: 'Sick leave' },
  personal: { zh: '事假', en: 'Personal leave' },
  unexcused: { zh: '旷课', en: 'Unexcused' },
} satisfies Labels;

/** Why a case was raised. */
export const DROPOUT_REASONS = [
  'consecutiveAbsence',
  'absenceTotal',
  'transferLimbo',
  'noAttendance',
] as const;
export type DropoutReason = (typeof DROPOUT_REASONS)[number];
export const dropoutReasonLabels = {
  consecutiveAbsence: { zh: '连续旷课', en: 'Consecutive unexcused absence' },
  absenceTotal: { zh: '累计旷课', en: 'Unexcused days in the window' },
  transferLimbo: { zh: '转出未转入', en: 'Transferred out, not received' },
  noAttendance: { zh: '班级长期未报考勤', en: 'No attendance taken for the class' },
} satisfies Labels;

/**
 * Case states: the scan raises 'suspected'; the school confirms (辍学, 劝返 under way: 'dropout') or dismisses
 * it; an outcome makes it 'verifying' until the county verifies (动态销号) and it is 'closed'.
 */
export const DROPOUT_CASE_STATUSES = ['suspected', 'dropout', 'verifying', 'closed'] as const;
export type DropoutCaseStatus = (typeof DROPOUT_CASE_STATUSES)[number];
export const dropoutCaseStatusLabels = {
  suspected: { zh: '疑似辍学', en: 'Suspected' },
  dropout: { zh: '辍学劝返中', en: 'Dropped out, being persuaded back' },
  verifying: { zh: '待核销', en: 'Awaiting verification' },
  closed: { zh: '已销号', en: 'Closed' },
} satisfies Labels;

/** 四步法: the four steps of bringing a dropout back. */
export const CASE_STEPS = [1, 2, 3, 4] as const;
export const caseStepLabels: Record<number, { zh: string; en: string }> = {
  1: { zh: '教育劝返', en: 'Persuasion' },
  2: { zh: '责令限期复学', en: 'Written order to return' },
  3: { zh: '行政处罚', en: 'Administrative measures' },
  4: { zh: '司法诉讼', en: 'Legal action' },
};

export const CASE_OUTCOMES = ['returned', 'exempt', 'movedAway', 'vocationalTraining'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
export const caseOutcomeLabels = {
  returned: { zh: '劝返复学', en: 'Returned to school' },
  exempt: { zh: '免缓学（有证明）', en: 'Exempt (with proof)' },
  movedAway: { zh: '迁出（移交迁入地）', en: 'Moved away (handed over)' },
  vocationalTraining: { zh: '16周岁以上接受职业培训', en: '16+ in vocational training' },
} satisfies Labels;

export const PLACEMENTS = ['regularClass', 'inclusive', 'homeTeaching', 'vocationalSchool'] as const;
export type Placement = (typeof PLACEMENTS)[number];
export const placementLabels = {
  regularClass: { zh: '普通班就读', en: 'Regular class' },
  inclusive: { zh: '随班就读', en: 'Inclusive class (随班就读)' },
  homeTeaching: { zh: '送教上门', en: 'Home teaching (送教上门)' },
  vocationalSchool: { zh: '中职学校就读', en: 'Vocational school' },
} satisfies Labels;

/** 双线四级: the education line and the government line of a case. */
export const EDU_LEVELS = ['county', 'school', 'class'] as const;
export const GOV_LEVELS = ['county', 'town', 'village'] as const;
export const lineLevelLabels = {
  edu: {
    county: { zh: '县教育局', en: 'County bureau' },
    school: { zh: '校长', en: 'School head' },
    class: { zh: '班主任', en: 'Class teacher' },
  },
  gov: {
    county: { zh: '县（区）政府', en: 'County government' },
    town: { zh: '乡镇（街道）', en: 'Town' },
    village: { zh: '村（社区）干部', en: 'Village cadre' },
  },
} as const;

/** 四查三比对 categories: every listed person ends in exactly one. */
export const CROSSCHECK_CATEGORIES = [
  'enrolledHere',
  'enrolledElsewhere',
  'exempt',
  'outOfSchool',
  'dropout',
  'povertyDropout',
  'unmatched',
] as const;
export type CrosscheckCategory = (typeof CROSSCHECK_CATEGORIES)[number];
export const crosscheckCategoryLabels = {
  enrolledHere: { zh: '本地在籍在校', en: 'Enrolled here' },
  enrolledElsewhere: { zh: '外县区在籍', en: 'Enrolled elsewhere' },
  exempt: { zh: '免缓学/特殊情况（有证明）', en: 'Exempt (with proof)' },
  outOfSchool: { zh: '适龄失学（无学籍）', en: 'Out of school (no enrolment)' },
  dropout: { zh: '辍学（有学籍不在校）', en: 'Dropped out' },
  povertyDropout: { zh: '脱贫户辍学', en: 'Poverty-household dropout' },
  unmatched: { zh: '无法比对（身份证号无效/不在适龄段）', en: 'Not comparable' },
} satisfies Labels;

export const RISK_FACTORS = [
  'unexcused',
  'excused',
  'late',
  'overAge',
  'poverty',
  'leftBehind',
  'disabled',
  'migrant',
] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];
export const riskFactorLabels = {
  unexcused: { zh: '旷课（每天）', en: 'Unexcused (per day)' },
  excused: { zh: '病事假（每天）', en: 'Sick / personal leave (per day)' },
  late: { zh: '迟到（每次）', en: 'Late (each time)' },
  overAge: { zh: '超龄', en: 'Over-age for grade' },
  poverty: { zh: '脱贫户/低收入家庭', en: 'Poverty household' },
  leftBehind: { zh: '留守儿童', en: 'Left-behind child' },
  disabled: { zh: '残疾', en: 'Disability' },
  migrant: { zh: '随迁子女', en: 'Migrant child' },
} satisfies Labels;

// ---------- calendar ----------

export const TermRange = z.object({
  no: z.union([z.literal(1), z.literal(2)]),
  start: isoDate,
  end: isoDate,
});
export type TermRange = z.infer<typeof TermRange>;

export const TermQuery = z.strictObject({
  unitId: uuid,
  schoolYear: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
});
export const RegionTerms = z.object({
  unitId: uuid,
  schoolYear: z.string(),
  /** The terms that apply: this unit's own, else inherited from the bureau above, else the default. */
  terms: z.array(TermRange),
  source: z.enum(['own', 'inherited', 'default']),
});
export type RegionTerms = z.infer<typeof RegionTerms>;
export const TermsUpdate = z.strictObject({
  unitId: uuid,
  schoolYear: z.string().regex(/^\d{4}$/),
  /** Both terms, or [] to go back to what applies above (the default when nothing is configured). */
  terms: z
    .array(z.strictObject({ no: z.union([z.literal(1), z.literal(2)]), start: isoDate, end: isoDate }))
    .max(2),
});
export type TermsUpdate = z.infer<typeof TermsUpdate>;

export const Closure = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  start: isoDate,
  end: isoDate,
  reason: z.string(),
  createdAt: z.string(),
});
export type Closure = z.infer<typeof Closure>;
export const ClosureQuery = z.strictObject({
  unitId: uuid,
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export const ClosureCreate = z.strictObject({
  unitId: uuid,
  start: isoDate,
  end: isoDate,
  reason: freeText(200).pipe(z.string().min(1)),
});
export type ClosureCreate = z.infer<typeof ClosureCreate>;

export const CalendarDaysQuery = z.strictObject({ schoolId: uuid, from: isoDate, to: isoDate });
export const CalendarDay = z.object({
  date: isoDate,
  schoolDay: z.boolean(),
  /** Why it is or is not a school day. */
  why: z.enum(['workday', 'makeupWorkday', 'weekend', 'holiday', 'outOfTerm', 'closure']),
  note: z.string().nullable(),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

// ---------- head teachers ----------

export const HeadTeacherSet = z.strictObject({ userId: uuid.nullable() });
export const HeadTeacher = z.object({
  classId: uuid,
  headTeacher: z.object({ id: uuid, name: z.string() }).nullable(),
});

// ---------- attendance ----------

export const AttendanceClassQuery = z.strictObject({ schoolId: uuid.optional(), date: isoDate.optional() });
export const AttendanceClass = z.object({
  id: uuid,
  name: z.string(),
  grade: z.number().int(),
  stage: z.string(),
  schoolId: uuid,
  schoolName: z.string(),
  own: z.boolean(),
  students: z.number().int(),
  submitted: z.boolean(),
});
export type AttendanceClass = z.infer<typeof AttendanceClass>;

export const SheetQuery = z.strictObject({ classId: uuid, date: isoDate });
export const AttendanceCounts = z.object({
  enrolled: z.number().int(),
  present: z.number().int(),
  late: z.number().int(),
  sick: z.number().int(),
  personal: z.number().int(),
  unexcused: z.number().int(),
});
export type AttendanceCounts = z.infer<typeof AttendanceCounts>;
export const AttendanceSheet = z.object({
  classId: uuid,
  className: z.string(),
  schoolName: z.string(),
  date: isoDate,
  schoolDay: z.boolean(),
  canSubmit: z.boolean(),
  submitted: z.object({ by: z.string().nullable(), at: z.string(), counts: AttendanceCounts }).nullable(),
  students: z.array(
    z.object({
      id: uuid,
      name: z.string(),
      studentNo: z.string().nullable(),
      kind: z.enum(ATTENDANCE_KINDS).nullable(),
      reason: z.string().nullable(),
      /** First arrival recorded by the gate that day (HH:MM, China time). */
      arrivedAt: z.string().nullable(),
    }),
  ),
});
export type AttendanceSheet = z.infer<typeof AttendanceSheet>;
export const SheetSubmit = z.strictObject({
  classId: uuid,
  date: isoDate,
  /** The exceptions only; every other student of the class is present. */
  marks: z
    .array(
      z.strictObject({
        studentId: uuid,
        kind: z.enum(ATTENDANCE_KINDS),
        reason: freeText(200).optional(),
      }),
    )
    .max(200),
});
export type SheetSubmit = z.infer<typeof SheetSubmit>;
export const SheetResult = z.object({
  classId: uuid,
  date: isoDate,
  replaced: z.boolean(),
  counts: AttendanceCounts,
});
export type SheetResult = z.infer<typeof SheetResult>;

export const MissingQuery = z.strictObject({ date: isoDate.optional(), under: uuid.optional() });
const MissingCounts = {
  schools: z.number().int(),
  schoolsMissing: z.number().int(),
  classes: z.number().int(),
  submitted: z.number().int(),
  missing: z.number().int(),
};
export const MissingReport = z.object({
  date: isoDate,
  total: z.object(MissingCounts),
  counties: z.array(z.object({ id: uuid, name: z.string(), code: z.string(), ...MissingCounts })),
  schools: z.array(
    z.object({
      id: uuid,
      name: z.string(),
      code: z.string(),
      countyId: uuid.nullable(),
      schoolDay: z.boolean(),
      classes: z.number().int(),
      submitted: z.number().int(),
      missing: z.number().int(),
      missingClasses: z.array(z.object({ id: uuid, name: z.string(), grade: z.number().int() })),
    }),
  ),
});
export type MissingReport = z.infer<typeof MissingReport>;

export const GateEventsPost = z.strictObject({
  events: z
    .array(
      z
        .strictObject({
          studentId: uuid.optional(),
          /** 全国学籍号 (G + ID number, or L…). */
          studentNo: z.string().trim().max(32).optional(),
          at: z.iso.datetime({ offset: true }),
          direction: z.enum(['in', 'out']),
          device: freeText(64).optional(),
        })
        .refine((e) => Boolean(e.studentId) !== Boolean(e.studentNo), { message: 'ONE_OF_STUDENT_ID_OR_NO' }),
    )
    .min(1)
    .max(5000),
});
export type GateEventsPost = z.infer<typeof GateEventsPost>;
export const GateEventsResult = z.object({
  stored: z.number().int(),
  /** 旷课 marks turned into 迟到 because the gate saw the student arrive that day. */
  corrected: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), code: z.string() })),
});
export const GateEventQuery = z.strictObject({ schoolId: uuid, date: isoDate.optional() });
export const GateEvent = z.object({
  id: uuid,
  studentId: uuid,
  studentName: z.string(),
  at: z.string(),
  direction: z.enum(['in', 'out']),
  device: z.string().nullable(),
});

// ---------- detection settings ----------

export const RiskWeights = z.strictObject({
  unexcused: z.number().min(0).max(100),
  excused: z.number().min(0).max(100),
  late: z.number().min(0).max(100),
  overAge: z.number().min(0).max(100),
  poverty: z.number().min(0).max(100),
  leftBehind: z.number().min(0).max(100),
  disabled: z.number().min(0).max(100),
  migrant: z.number().min(0).max(100),
});
export type RiskWeights = z.infer<typeof RiskWeights>;
export const DropoutSettings = z.strictObject({
  /** N: unexcused absence on this many consecutive recorded school days. */
  consecutiveDays: z.number().int().min(1).max(60),
  /** M: unexcused days within the last `windowDays` school days. */
  totalDays: z.number().int().min(1).max(120),
  windowDays: z.number().int().min(5).max(120),
  /** K: a transfer still pending (or out with no receiving school) this many school days after it began. */
  transferDays: z.number().int().min(1).max(120),
  /** The class has submitted no sheet on any of the last this many school days (0 = rule off). */
  noSheetDays: z.number().int().min(0).max(60),
  /** A suspected case closes after the student was present on this many recorded school days. */
  returnDays: z.number().int().min(1).max(30),
  riskWeights: RiskWeights,
  /** Risk score from which a student is listed as high risk. */
  riskHigh: z.number().min(1).max(1000),
  /** Time limits of the 四步法 steps, in calendar days (as written orders state them). */
  persuadeDays: z.number().int().min(1).max(365),
  orderDays: z.number().int().min(1).max(365),
  penaltyDays: z.number().int().min(1).max(365),
  lawsuitDays: z.number().int().min(1).max(730),
  /** Compulsory-education ages, as of 31 August of the school year (四查三比对). */
  ageMin: z.number().int().min(3).max(10),
  ageMax: z.number().int().min(12).max(18),
});
export type DropoutSettings = z.infer<typeof DropoutSettings>;
export const SettingsQuery = z.strictObject({ unitId: uuid });
export const SettingsView = z.object({
  unitId: uuid,
  effective: DropoutSettings,
  /** What this unit sets itself (the rest comes from above or the defaults). */
  own: DropoutSettings.partial().nullable(),
  canEdit: z.boolean(),
});
export type SettingsView = z.infer<typeof SettingsView>;
export const SettingsUpdate = z.strictObject({
  unitId: uuid,
  /** The unit's own values; null clears them (back to the bureau above or the defaults). */
  settings: DropoutSettings.partial().nullable(),
});
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;

// ---------- cases and risk ----------

export const CaseListQuery = z.strictObject({
  under: uuid.optional(),
  classId: uuid.optional(),
  status: z.enum(DROPOUT_CASE_STATUSES).optional(),
  reason: z.enum(DROPOUT_REASONS).optional(),
  ...pageQuery,
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;
export const DropoutCase = z.object({
  id: uuid,
  studentId: uuid,
  studentName: z.string(),
  sex: z.enum(['M', 'F']),
  grade: z.number().int(),
  stage: z.string(),
  className: z.string().nullable(),
  schoolId: uuid,
  schoolName: z.string(),
  status: z.enum(DROPOUT_CASE_STATUSES),
  reason: z.enum(DROPOUT_REASONS),
  evidence: z.record(z.string(), z.unknown()),
  detectedOn: isoDate,
  closedOn: isoDate.nullable(),
  closeReason: z.string().nullable(),
  povertyHousehold: z.boolean(),
});
export type DropoutCase = z.infer<typeof DropoutCase>;
export const DropoutCasePage = pageOf(DropoutCase);
export type DropoutCasePage = z.infer<typeof DropoutCasePage>;

export const RiskQuery = z.strictObject({
  under: uuid.optional(),
  classId: uuid.optional(),
  date: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type RiskQuery = z.infer<typeof RiskQuery>;
export const RiskItem = z.object({
  studentId: uuid,
  name: z.string(),
  schoolName: z.string(),
  className: z.string().nullable(),
  grade: z.number().int(),
  stage: z.string(),
  score: z.number(),
  level: z.enum(['high', 'medium', 'low']),
  factors: z.record(z.string(), z.number()),
  openCase: z.boolean(),
});
export type RiskItem = z.infer<typeof RiskItem>;
export const RiskList = z.object({ date: isoDate, windowDays: z.number().int(), items: z.array(RiskItem) });
export type RiskList = z.infer<typeof RiskList>;

export const ScanResult = z.object({
  date: isoDate,
  suspected: z.number().int(),
  newCases: z.number().int(),
  closedByReturn: z.number().int(),
});
export type ScanResult = z.infer<typeof ScanResult>;

// ---------- case workflow (双线四级, 四步法, 动态销号) ----------

const personText = (max: number) => freeText(max);
/** One person of a responsibility line: name, role, phone (shown masked). */
export const LinePerson = z.strictObject({
  level: z.string().max(16),
  name: personText(40).pipe(z.string().min(1)),
  role: personText(40).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-\s]{0,20}$/)
    .optional(),
});
export type LinePerson = z.infer<typeof LinePerson>;
export const CaseLines = z.strictObject({
  edu: z.array(LinePerson.extend({ level: z.enum(EDU_LEVELS) })).max(6),
  gov: z.array(LinePerson.extend({ level: z.enum(GOV_LEVELS) })).max(6),
});
export type CaseLines = z.infer<typeof CaseLines>;

export const CaseConfirm = z.strictObject({
  /** The day the school confirms the student has dropped out (辍学); step 1 starts that day. */
  on: isoDate,
  note: freeText(500).optional(),
  lines: CaseLines.optional(),
});
export type CaseConfirm = z.infer<typeof CaseConfirm>;
export const CaseDismiss = z.strictObject({ reason: freeText(500).pipe(z.string().min(2)) });
export const StepRecord = z.strictObject({
  actedOn: isoDate,
  /** Who did it: names and roles as written (e.g. 王校长、李村支书). */
  people: freeText(200).pipe(z.string().min(1)),
  action: freeText(2000).pipe(z.string().min(2)),
  result: freeText(500).optional(),
  fileIds: z.array(uuid).max(20).default([]),
  /** Move the case on to the next step (the current one did not bring the student back). */
  advance: z.boolean().default(false),
});
export type StepRecord = z.infer<typeof StepRecord>;
export const CaseOutcomeInput = z.strictObject({
  outcome: z.enum(CASE_OUTCOMES),
  placement: z.enum(PLACEMENTS).optional(),
  on: isoDate,
  note: freeText(1000).pipe(z.string().min(2)),
  fileIds: z.array(uuid).max(20).default([]),
  /** movedAway: the destination's division code (county, 6 digits). */
  destinationCode: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});
export type CaseOutcomeInput = z.infer<typeof CaseOutcomeInput>;
export const CaseVerify = z.strictObject({
  approve: z.boolean(),
  note: freeText(500).optional(),
});
export type CaseVerify = z.infer<typeof CaseVerify>;

export const CaseStepView = z.object({
  id: uuid,
  stepNo: z.number().int(),
  actedOn: isoDate,
  people: z.string(),
  action: z.string(),
  result: z.string().nullable(),
  files: z.array(z.object({ id: uuid, name: z.string() })),
  actorName: z.string().nullable(),
});
export const CaseEventView = z.object({
  id: uuid,
  kind: z.string(),
  data: z.record(z.string(), z.unknown()),
  actorName: z.string().nullable(),
  at: z.string(),
});
export const CaseDetail = z.object({
  id: uuid,
  studentId: uuid,
  studentName: z.string(),
  sex: z.enum(['M', 'F']),
  birthDate: isoDate,
  grade: z.number().int(),
  stage: z.string(),
  studentStatus: z.string(),
  povertyHousehold: z.boolean(),
  className: z.string().nullable(),
  schoolId: uuid,
  schoolName: z.string(),
  countyName: z.string().nullable(),
  status: z.enum(DROPOUT_CASE_STATUSES),
  reason: z.enum(DROPOUT_REASONS),
  evidence: z.record(z.string(), z.unknown()),
  detectedOn: isoDate,
  confirmedOn: isoDate.nullable(),
  step: z.number().int(),
  stepStartedOn: isoDate.nullable(),
  stepDueOn: isoDate.nullable(),
  overdue: z.boolean(),
  escalationLevel: z.number().int(),
  escalatedTo: z.string().nullable(),
  lines: z.object({
    edu: z.array(
      z.object({
        level: z.string(),
        name: z.string(),
        role: z.string().nullable(),
        phone: z.string().nullable(),
      }),
    ),
    gov: z.array(
      z.object({
        level: z.string(),
        name: z.string(),
        role: z.string().nullable(),
        phone: z.string().nullable(),
      }),
    ),
  }),
  outcome: z.enum(CASE_OUTCOMES).nullable(),
  placement: z.enum(PLACEMENTS).nullable(),
  outcomeOn: isoDate.nullable(),
  outcomeNote: z.string().nullable(),
  outcomeFiles: z.array(z.object({ id: uuid, name: z.string() })),
  destinationCode: z.string().nullable(),
  closedOn: isoDate.nullable(),
  closeReason: z.string().nullable(),
  steps: z.array(CaseStepView),
  timeline: z.array(CaseEventView),
  /** What the actor may do now. */
  can: z.object({
    confirm: z.boolean(),
    record: z.boolean(),
    outcome: z.boolean(),
    verify: z.boolean(),
    lines: z.boolean(),
  }),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseBoardQuery = z.strictObject({
  under: uuid.optional(),
  status: z.enum(DROPOUT_CASE_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  poverty: z.enum(['true', 'false']).optional(),
  /** Drill-down from the dashboard: which number. */
  metric: z
    .enum(['open', 'newThisWeek', 'returnedThisTerm', 'openOver30', 'overdueSteps', 'povertyDropouts'])
    .optional(),
  date: isoDate.optional(),
  ...pageQuery,
});
export type CaseBoardQuery = z.infer<typeof CaseBoardQuery>;
export const CaseBoardItem = z.object({
  id: uuid,
  studentId: uuid,
  studentName: z.string(),
  schoolName: z.string(),
  className: z.string().nullable(),
  status: z.enum(DROPOUT_CASE_STATUSES),
  reason: z.enum(DROPOUT_REASONS),
  step: z.number().int(),
  stepDueOn: isoDate.nullable(),
  overdue: z.boolean(),
  escalationLevel: z.number().int(),
  povertyHousehold: z.boolean(),
  detectedOn: isoDate,
  outcome: z.enum(CASE_OUTCOMES).nullable(),
  closedOn: isoDate.nullable(),
});
export const CaseBoardPage = pageOf(CaseBoardItem);
export type CaseBoardPage = z.infer<typeof CaseBoardPage>;

export const EscalateResult = z.object({ escalated: z.number().int() });

// ---------- 四查三比对 ----------

export const CrosscheckCounts = z.object({
  listed: z.number().int(),
  enrolledHere: z.number().int(),
  enrolledElsewhere: z.number().int(),
  exempt: z.number().int(),
  outOfSchool: z.number().int(),
  dropout: z.number().int(),
  povertyDropout: z.number().int(),
  unmatched: z.number().int(),
});
export type CrosscheckCounts = z.infer<typeof CrosscheckCounts>;
export const CrosscheckQuery = z.strictObject({
  unitId: uuid,
  dryRun: z.enum(['true', 'false']).optional(),
  asOf: isoDate.optional(),
});
export const CrosscheckArea = CrosscheckCounts.extend({ code: z.string(), name: z.string() });
export const CrosscheckResult = z.object({
  listId: uuid.nullable(),
  unitId: uuid,
  kind: z.enum(['hukou', 'poverty']),
  fileName: z.string(),
  asOf: isoDate,
  ageMin: z.number().int(),
  ageMax: z.number().int(),
  dryRun: z.boolean(),
  counts: CrosscheckCounts,
  counties: z.array(CrosscheckArea.extend({ towns: z.array(CrosscheckArea) })),
  rowErrors: z.array(z.object({ row: z.number().int(), message: z.string() })),
});
export type CrosscheckResult = z.infer<typeof CrosscheckResult>;
export const PopulationListSummary = z.object({
  id: uuid,
  unitName: z.string(),
  kind: z.enum(['hukou', 'poverty']),
  fileName: z.string(),
  asOf: isoDate,
  counts: CrosscheckCounts,
  createdAt: z.string(),
});
export const PopulationListQuery = z.strictObject({ under: uuid.optional() });
export const PersonQuery = z.strictObject({
  category: z.enum(CROSSCHECK_CATEGORIES).optional(),
  county: z.string().max(12).optional(),
  town: z.string().max(12).optional(),
  ...pageQuery,
});
export type PersonQuery = z.infer<typeof PersonQuery>;
export const PopulationPerson = z.object({
  rowNo: z.number().int(),
  name: z.string(),
  idNumber: z.string().nullable(),
  birthDate: isoDate.nullable(),
  townName: z.string().nullable(),
  poverty: z.boolean(),
  category: z.enum(CROSSCHECK_CATEGORIES),
  note: z.string().nullable(),
  studentId: uuid.nullable(),
  schoolName: z.string().nullable(),
});
export const PopulationPersonPage = pageOf(PopulationPerson);
export type PopulationPersonPage = z.infer<typeof PopulationPersonPage>;

// ---------- 动态清零 dashboard ----------

export const DashboardQuery = z.strictObject({ under: uuid.optional(), date: isoDate.optional() });
export const DashboardFigures = z.object({
  openCases: z.number().int(),
  newThisWeek: z.number().int(),
  returnedThisTerm: z.number().int(),
  medianDaysToReturn: z.number().nullable(),
  openOver30: z.number().int(),
  overdueSteps: z.number().int(),
  povertyDropouts: z.number().int(),
  classesMissing: z.number().int(),
});
export type DashboardFigures = z.infer<typeof DashboardFigures>;
export const DashboardRow = DashboardFigures.extend({
  id: z.string(),
  name: z.string(),
  level: z.enum(['county', 'town', 'school']),
  /** The unit to drill into (a county or a school); towns drill by code. */
  unitId: uuid.nullable(),
});
export const Dashboard = z.object({
  date: isoDate,
  unit: z.object({ id: uuid, name: z.string(), kind: z.string() }),
  total: DashboardFigures,
  rows: z.array(DashboardRow),
  trend: z.array(
    z.object({ week: isoDate, open: z.number().int(), raised: z.number().int(), returned: z.number().int() }),
  ),
  /** 数据真实 signs for the county to look at. */
  signs: z.array(
    z.object({
      kind: z.enum(['perfectClass', 'identicalSheets', 'rosterConflict', 'reportMismatch']),
      schoolId: uuid,
      schoolName: z.string(),
      className: z.string().nullable(),
      detail: z.string(),
    }),
  ),
});
export type Dashboard = z.infer<typeof Dashboard>;

// ---------- ledgers and scheduled reports ----------

/** The three ledgers the Ministry names: 适龄儿童台账, 疑似辍学学生台账, 辍学学生台账. */
export const LEDGER_KINDS = ['schoolAge', 'suspected', 'dropout'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export const ledgerKindLabels = {
  schoolAge: { zh: '适龄儿童台账', en: 'School-age children ledger' },
  suspected: { zh: '疑似辍学学生台账', en: 'Suspected dropouts ledger' },
  dropout: { zh: '辍学学生台账', en: 'Dropouts ledger' },
} satisfies Labels;
export const LedgerQuery = z.strictObject({
  under: uuid.optional(),
  /** schoolAge: the population list (else the latest one in the area). */
  listId: uuid.optional(),
});
export const LedgerParams = z.strictObject({ kind: z.enum(LEDGER_KINDS) });

/** 学校一月一报告 (period YYYY-MM, due the 5th of the next month), 县区一季度一复核 (YYYY-Qn, due the 10th). */
export const ReportQuery = z.strictObject({
  under: uuid.optional(),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/),
});
export const ReportFigures = z.strictObject({
  /** As the unit reports them (checked against its own rows: see the data signs). */
  sheets: z.number().int().min(0).max(10_000_000),
  unexcused: z.number().int().min(0).max(10_000_000),
  dropouts: z.number().int().min(0).max(1_000_000),
  note: freeText(1000).optional(),
});
export const ReportSubmit = z.strictObject({
  unitId: uuid,
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/),
  figures: ReportFigures,
});
export type ReportSubmit = z.infer<typeof ReportSubmit>;
export const ReportStatus = z.object({
  period: z.string(),
  dueOn: isoDate,
  units: z.array(
    z.object({
      unitId: uuid,
      name: z.string(),
      reported: z.boolean(),
      overdue: z.boolean(),
      submittedAt: z.string().nullable(),
      figures: z.record(z.string(), z.unknown()).nullable(),
      /** What the unit's own rows add up to for the period. */
      computed: z.object({
        sheets: z.number().int(),
        unexcused: z.number().int(),
        dropouts: z.number().int(),
      }),
    }),
  ),
});
export type ReportStatus = z.infer<typeof ReportStatus>;

/** Run the detection now (city 控辍保学 staff; the server also runs it at start-up and daily). */
export const ScanRequest = z.strictObject({ date: isoDate.optional() });
