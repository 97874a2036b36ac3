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

/** Case states; this slice raises 'suspected' and closes on return. Later slices add the 四步法 states. */
export const DROPOUT_CASE_STATUSES = ['suspected', 'closed'] as const;
export type DropoutCaseStatus = (typeof DROPOUT_CASE_STATUSES)[number];
export const dropoutCaseStatusLabels = {
  suspected: { zh: '疑似辍学', en: 'Suspected' },
  closed: { zh: '已销号', en: 'Closed' },
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
