/**
 * 校外培训监管: the registry of off-campus training institutions (venues, staff, courses and fees,
 * documents), their lifecycle and black/white lists, compliance, prepaid fees (预收费) and its rules,
 * inspections, and the public portal's shapes (public fields only).
 */
import { z } from 'zod';
import { freeText, multilineText, pageOf, pageQuery, plainName, uuid } from './common.ts';

const date = z.iso.date();
const text = (max: number) => freeText(max).pipe(z.string().min(1));
const yuan = z.number().min(0).max(100_000_000).multipleOf(0.01);

export const TRAINING_CATEGORIES = ['subject', 'non_subject'] as const;
export type TrainingCategory = (typeof TRAINING_CATEGORIES)[number];
export const trainingCategoryLabels = {
  subject: { zh: '学科类', en: 'Academic subjects' },
  non_subject: { zh: '非学科类', en: 'Non-academic' },
} satisfies Record<TrainingCategory, { zh: string; en: string }>;

/** Sub-types of non-subject training (教育部 2021 分类) and of subject training. */
export const trainingSubTypeLabels = {
  sports: { zh: '体育', en: 'Sports' },
  arts: { zh: '文化艺术', en: 'Culture and arts' },
  tech: { zh: '科技', en: 'Science and technology' },
  research: { zh: '研学', en: 'Study tours' },
  other: { zh: '其他', en: 'Other' },
  k12: { zh: '义务教育阶段学科', en: 'Compulsory-education subjects' },
  senior: { zh: '普通高中学科', en: 'Senior-secondary subjects' },
} satisfies Record<string, { zh: string; en: string }>;
export type TrainingSubType = keyof typeof trainingSubTypeLabels;
export const TRAINING_SUB_TYPES = Object.keys(trainingSubTypeLabels) as [
  TrainingSubType,
  ...TrainingSubType[],
];

export const TRAINING_LEGAL_FORMS = ['non_profit', 'company', 'individual', 'other'] as const;
export type TrainingLegalForm = (typeof TRAINING_LEGAL_FORMS)[number];
export const trainingLegalFormLabels = {
  non_profit: { zh: '非营利性（民办非企业单位）', en: 'Non-profit' },
  company: { zh: '营利性（公司）', en: 'For-profit company' },
  individual: { zh: '个体工商户', en: 'Sole proprietor' },
  other: { zh: '其他', en: 'Other' },
} satisfies Record<TrainingLegalForm, { zh: string; en: string }>;

/**
 * applied → approved → operating ⇄ rectifying → suspended; closed (关停), banned (取缔) and converted (学转非)
 * end the record. The allowed moves are TRAINING_TRANSITIONS.
 */
export const TRAINING_STATUSES = [
  'applied',
  'approved',
  'operating',
  'rectifying',
  'suspended',
  'closed',
  'banned',
  'converted',
] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];
export const trainingStatusLabels = {
  applied: { zh: '申请中', en: 'Applied' },
  approved: { zh: '已审批', en: 'Approved' },
  operating: { zh: '正常运营', en: 'Operating' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  suspended: { zh: '停业整顿', en: 'Suspended' },
  closed: { zh: '关停', en: 'Closed' },
  banned: { zh: '取缔', en: 'Banned' },
  converted: { zh: '学转非', en: 'Converted to non-subject' },
} satisfies Record<TrainingStatus, { zh: string; en: string }>;
export const TRAINING_TRANSITIONS: Record<TrainingStatus, readonly TrainingStatus[]> = {
  applied: ['approved', 'closed', 'banned'],
  approved: ['operating', 'rectifying', 'suspended', 'closed', 'banned', 'converted'],
  operating: ['rectifying', 'suspended', 'closed', 'banned', 'converted'],
  rectifying: ['operating', 'suspended', 'closed', 'banned', 'converted'],
  suspended: ['operating', 'rectifying', 'closed', 'banned', 'converted'],
  closed: [],
  banned: [],
  converted: [],
};
/** Statuses under supervision: the denominator of compliance and the statuses shown to the public. */
export const TRAINING_SUPERVISED: readonly TrainingStatus[] = [
  'approved',
  'operating',
  'rectifying',
  'suspended',
];

export const TRAINING_DOC_KINDS = [
  'registration',
  'school_licence',
  'fire',
  'lease',
  'charter',
  'fee_publicity',
] as const;
export type TrainingDocKind = (typeof TRAINING_DOC_KINDS)[number];
export const trainingDocLabels = {
  registration: { zh: '营业执照/登记证书', en: 'Business registration' },
  school_licence: { zh: '办学许可证', en: 'School-running licence' },
  fire: { zh: '消防验收（备案）文件', en: 'Fire-safety acceptance' },
  lease: { zh: '场地产权或租赁证明', en: 'Premises title or lease' },
  charter: { zh: '机构章程', en: 'Charter' },
  fee_publicity: { zh: '收费项目及标准公示', en: 'Published fee schedule' },
} satisfies Record<TrainingDocKind, { zh: string; en: string }>;

export const TRAINING_STAFF_ROLES = ['teacher', 'manager', 'other'] as const;
export const trainingStaffRoleLabels = {
  teacher: { zh: '培训教师', en: 'Teacher' },
  manager: { zh: '管理人员', en: 'Manager' },
  other: { zh: '其他人员', en: 'Other staff' },
} satisfies Record<(typeof TRAINING_STAFF_ROLES)[number], { zh: string; en: string }>;

export const COMPLIANCE_ASPECTS = ['org', 'venue', 'staff', 'docs', 'funds'] as const;
export type ComplianceAspect = (typeof COMPLIANCE_ASPECTS)[number];
export const complianceAspectLabels = {
  org: { zh: '机构合规', en: 'Institution' },
  venue: { zh: '场地合规', en: 'Venues' },
  staff: { zh: '人员合规', en: 'Staff' },
  docs: { zh: '材料合规', en: 'Documents' },
  funds: { zh: '资金监管', en: 'Prepaid funds' },
} satisfies Record<ComplianceAspect, { zh: string; en: string }>;

export const PREPAID_RULES = ['period', 'amount', 'custody', 'reserve'] as const;
export type PrepaidRule = (typeof PREPAID_RULES)[number];
export const prepaidRuleLabels = {
  period: { zh: '一次性收费超过3个月或60课时', en: 'A charge covers too long a period' },
  amount: { zh: '非学科类单次收费超过5000元', en: 'A non-subject charge is too large' },
  custody: { zh: '监管账户余额低于未消课金额', en: 'Custody balance below untaught fees' },
  reserve: { zh: '风险保证金低于一个收费周期费用', en: 'Risk reserve below one billing period' },
} satisfies Record<PrepaidRule, { zh: string; en: string }>;

export const LIST_STATUSES = ['white', 'black', 'none'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export const listStatusLabels = {
  white: { zh: '白名单', en: 'White list' },
  black: { zh: '黑名单', en: 'Black list' },
  none: { zh: '未列入', en: 'Not listed' },
} satisfies Record<ListStatus, { zh: string; en: string }>;

// ---------- registry ----------

export const Compliance = z.object({
  org: z.boolean(),
  venue: z.boolean(),
  staff: z.boolean(),
  docs: z.boolean(),
  funds: z.boolean(),
  all: z.boolean(),
  /** Why an aspect fails, in Chinese/English pairs. */
  problems: z.array(z.object({ aspect: z.enum(COMPLIANCE_ASPECTS), zh: z.string(), en: z.string() })),
});
export type Compliance = z.infer<typeof Compliance>;

export const InstitutionSummary = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  name: z.string(),
  creditCode: z.string().nullable(),
  category: z.enum(TRAINING_CATEGORIES),
  subType: z.string().nullable(),
  status: z.enum(TRAINING_STATUSES),
  statusSince: z.string(),
  list: z.enum(LIST_STATUSES),
  licenceTo: z.string().nullable(),
  compliance: Compliance,
});
export type InstitutionSummary = z.infer<typeof InstitutionSummary>;
export const InstitutionPage = pageOf(InstitutionSummary);
export type InstitutionPage = z.infer<typeof InstitutionPage>;

export const LIFECYCLE_ENDS = ['closed', 'banned', 'converted'] as const;
const institutionFilters = {
  unitId: uuid.optional(),
  q: freeText(60).optional(),
  category: z.enum(TRAINING_CATEGORIES).optional(),
  status: z.enum(TRAINING_STATUSES).optional(),
  list: z.enum(LIST_STATUSES).optional(),
  /** Compliant (yes) or not (no) in `aspect`, or in all five when no aspect is given. */
  compliant: z.enum(['yes', 'no']).optional(),
  aspect: z.enum(COMPLIANCE_ASPECTS).optional(),
  /** yes: under supervision only (approved, operating, rectifying, suspended) — the compliance denominator. */
  supervised: z.enum(['yes']).optional(),
  /** yes: only what the portal publishes (under supervision, or black-listed after closure or a ban). */
  published: z.enum(['yes']).optional(),
  /** Moved to this status (关停/取缔/学转非) between `from` and `to` — the lifecycle figures' rows. */
  movedTo: z.enum(LIFECYCLE_ENDS).optional(),
  from: date.optional(),
  to: date.optional(),
};
export const InstitutionListQuery = z.strictObject({ ...institutionFilters, ...pageQuery });
export type InstitutionListQuery = z.infer<typeof InstitutionListQuery>;
/** The registry's export: the list's filters; `sheet` white/black gives the published list (公示). */
export const InstitutionExportQuery = z.strictObject({
  ...institutionFilters,
  sheet: z.enum(['registry', 'white', 'black']).default('registry'),
});
export type InstitutionExportQuery = z.infer<typeof InstitutionExportQuery>;

const creditCode = z.string().trim().max(40);
export const InstitutionInput = z.strictObject({
  unitId: uuid,
  name: plainName(80),
  creditCode: creditCode.nullable().optional(),
  category: z.enum(TRAINING_CATEGORIES),
  subType: z.enum(TRAINING_SUB_TYPES).nullable().optional(),
  legalForm: z.enum(TRAINING_LEGAL_FORMS),
  address: freeText(200).nullable().optional(),
  legalPerson: freeText(40).nullable().optional(),
  phone: freeText(30).nullable().optional(),
  licenceNo: freeText(60).nullable().optional(),
  licenceFrom: date.nullable().optional(),
  licenceTo: date.nullable().optional(),
});
export type InstitutionInput = z.infer<typeof InstitutionInput>;
export const InstitutionUpdate = InstitutionInput.omit({ unitId: true }).partial();
export type InstitutionUpdate = z.infer<typeof InstitutionUpdate>;

export const Venue = z.object({
  id: uuid,
  address: z.string(),
  areaM2: z.number(),
  fireAccepted: z.boolean(),
  fireCertNo: z.string().nullable(),
  approved: z.boolean(),
  approvedOn: z.string().nullable(),
});
export type Venue = z.infer<typeof Venue>;
export const VenueInput = z.strictObject({
  address: text(200),
  areaM2: z.number().positive().max(1_000_000),
  fireAccepted: z.boolean().default(false),
  fireCertNo: freeText(60).nullable().optional(),
  approved: z.boolean().default(false),
  approvedOn: date.nullable().optional(),
});
export type VenueInput = z.input<typeof VenueInput>;
export const VenueUpdate = VenueInput.partial();

export const Staff = z.object({
  id: uuid,
  name: z.string(),
  /** Masked (digits 7–14 hidden); the full number only through reveal (person.reveal, audited). */
  idNumberMasked: z.string().nullable(),
  role: z.enum(TRAINING_STAFF_ROLES),
  subjectTeaching: z.boolean(),
  teacherCertNo: z.string().nullable(),
  backgroundChecked: z.boolean(),
  backgroundCheckedOn: z.string().nullable(),
  active: z.boolean(),
});
export type Staff = z.infer<typeof Staff>;
export const StaffInput = z.strictObject({
  name: plainName(40),
  idNumber: z.string().trim().max(20).nullable().optional(),
  role: z.enum(TRAINING_STAFF_ROLES),
  subjectTeaching: z.boolean().default(false),
  teacherCertNo: freeText(40).nullable().optional(),
  backgroundChecked: z.boolean().default(false),
  backgroundCheckedOn: date.nullable().optional(),
  active: z.boolean().default(true),
});
export type StaffInput = z.input<typeof StaffInput>;
export const StaffUpdate = StaffInput.partial();

export const Course = z.object({
  id: uuid,
  name: z.string(),
  pricePerHour: z.number(),
  hoursPerPeriod: z.number().int(),
  periodMonths: z.number().int(),
  currentStudents: z.number().int(),
  /** One billing period's fee of one student: price × hours per period. */
  periodFee: z.number(),
  active: z.boolean(),
});
export type Course = z.infer<typeof Course>;
export const CourseInput = z.strictObject({
  name: text(80),
  pricePerHour: yuan,
  hoursPerPeriod: z.number().int().min(1).max(1000),
  periodMonths: z.number().int().min(1).max(36),
  currentStudents: z.number().int().min(0).max(100_000).default(0),
  active: z.boolean().default(true),
});
export type CourseInput = z.input<typeof CourseInput>;
export const CourseUpdate = CourseInput.partial();

export const TrainingDocument = z.object({
  kind: z.enum(TRAINING_DOC_KINDS),
  number: z.string().nullable(),
  validTo: z.string().nullable(),
  fileId: uuid.nullable(),
  /** missing | expired | expiring (within the warning days) | ok */
  state: z.enum(['missing', 'expired', 'expiring', 'ok']),
});
export type TrainingDocument = z.infer<typeof TrainingDocument>;
export const DocumentInput = z.strictObject({
  number: freeText(60).nullable().optional(),
  validTo: date.nullable().optional(),
  fileId: uuid.nullable().optional(),
});

export const TrainingEvent = z.object({
  id: uuid,
  kind: z.enum(['status', 'blacklist', 'unblacklist']),
  fromStatus: z.enum(TRAINING_STATUSES).nullable(),
  toStatus: z.enum(TRAINING_STATUSES).nullable(),
  on: z.string(),
  reason: z.string().nullable(),
  actorName: z.string().nullable(),
});
export type TrainingEvent = z.infer<typeof TrainingEvent>;

export const Funds = z.object({
  custodyBank: z.string().nullable(),
  custodyAccount: z.string().nullable(),
  custodyBalance: z.number().nullable(),
  custodyBalanceOn: z.string().nullable(),
  reserve: z.number().nullable(),
  /** Fees received for class hours not yet taught (non-refunded orders). */
  owed: z.number(),
  /** One billing period's fees of all current students (active courses). */
  requiredReserve: z.number(),
  orders: z.number().int(),
});
export type Funds = z.infer<typeof Funds>;
export const FundsInput = z.strictObject({
  custodyBank: freeText(60).nullable().optional(),
  custodyAccount: freeText(40).nullable().optional(),
  custodyBalance: yuan.nullable().optional(),
  custodyBalanceOn: date.nullable().optional(),
  reserve: yuan.nullable().optional(),
});

export const TrainingInspection = z.object({
  id: uuid,
  kind: z.enum(['open', 'unannounced', 'joint']),
  inspectedOn: z.string(),
  agencies: z.array(z.string()),
  people: z.array(z.string()),
  summary: z.string().nullable(),
  findingIds: z.array(uuid),
});
export type TrainingInspection = z.infer<typeof TrainingInspection>;
export const trainingInspectionKindLabels = {
  open: { zh: '常规检查', en: 'Announced visit' },
  unannounced: { zh: '明察暗访', en: 'Unannounced visit' },
  joint: { zh: '联合执法', en: 'Joint enforcement' },
} as const;
export const InspectionInput = z.strictObject({
  kind: z.enum(['open', 'unannounced', 'joint']),
  inspectedOn: date,
  agencies: z.array(text(30)).max(10).default([]),
  people: z.array(text(30)).max(20).default([]),
  summary: multilineText(2000).nullable().optional(),
  findings: z
    .array(
      z.strictObject({
        title: text(120),
        description: multilineText(2000).nullable().optional(),
        severity: z.enum(['general', 'major', 'serious']).default('general'),
        deadline: date,
      }),
    )
    .max(30)
    .default([]),
});
export type InspectionInput = z.input<typeof InspectionInput>;

export const InstitutionDetail = InstitutionSummary.extend({
  legalForm: z.enum(TRAINING_LEGAL_FORMS),
  address: z.string().nullable(),
  legalPerson: z.string().nullable(),
  phone: z.string().nullable(),
  licenceNo: z.string().nullable(),
  licenceFrom: z.string().nullable(),
  blacklistReason: z.string().nullable(),
  blacklistedOn: z.string().nullable(),
  allowedTransitions: z.array(z.enum(TRAINING_STATUSES)),
  canManage: z.boolean(),
  venues: z.array(Venue),
  staff: z.array(Staff),
  courses: z.array(Course),
  documents: z.array(TrainingDocument),
  events: z.array(TrainingEvent),
  funds: Funds,
  inspections: z.array(TrainingInspection),
  /** Open findings in the ledger linked to the institution. */
  openFindings: z.number().int(),
});
export type InstitutionDetail = z.infer<typeof InstitutionDetail>;

export const StatusChange = z.strictObject({
  to: z.enum(TRAINING_STATUSES),
  on: date,
  reason: text(500),
});
export const BlacklistInput = z.strictObject({ on: date, reason: text(500) });
export const UnblacklistInput = z.strictObject({ reason: text(500) });

// ---------- prepaid fees ----------

export const Order = z.object({
  id: uuid,
  orderNo: z.string(),
  courseId: uuid.nullable(),
  paidOn: z.string(),
  amount: z.number(),
  classHours: z.number().int(),
  coversMonths: z.number().int(),
  hoursTaught: z.number().int(),
  refunded: z.boolean(),
  source: z.enum(['bureau', 'import', 'api']),
});
export type Order = z.infer<typeof Order>;
export const OrderInput = z.strictObject({
  orderNo: text(40),
  courseId: uuid.nullable().optional(),
  paidOn: date,
  amount: yuan.refine((v) => v > 0),
  classHours: z.number().int().min(1).max(10_000),
  coversMonths: z.number().int().min(1).max(120),
  hoursTaught: z.number().int().min(0).max(10_000).default(0),
  refunded: z.boolean().default(false),
});
export type OrderInput = z.input<typeof OrderInput>;
export const OrderBatch = z.strictObject({ orders: z.array(OrderInput).min(1).max(5000) });

export const PrepaidRules = z.object({
  unitId: uuid,
  /** The unit whose rules apply (this one, a parent's, or null for the national defaults). */
  fromUnitId: uuid.nullable(),
  maxMonths: z.number().int(),
  maxHours: z.number().int(),
  maxNonSubject: z.number(),
  warnDays: z.number().int(),
});
export type PrepaidRules = z.infer<typeof PrepaidRules>;
export const PrepaidRulesInput = z.strictObject({
  unitId: uuid,
  maxMonths: z.number().int().min(1).max(24),
  maxHours: z.number().int().min(1).max(1000),
  maxNonSubject: yuan.refine((v) => v > 0),
  warnDays: z.number().int().min(1).max(365),
});

export const PrepaidViolation = z.object({
  institutionId: uuid,
  institutionName: z.string(),
  unitName: z.string(),
  rule: z.enum(PREPAID_RULES),
  /** The order number, or '' for an institution-wide rule. */
  subject: z.string(),
  detail: z.object({ zh: z.string(), en: z.string() }),
  findingId: uuid.nullable(),
  findingNo: z.string().nullable(),
});
export type PrepaidViolation = z.infer<typeof PrepaidViolation>;
export const PrepaidCheckResult = z.object({
  violations: z.array(PrepaidViolation),
  raised: z.number().int(),
});
export type PrepaidCheckResult = z.infer<typeof PrepaidCheckResult>;
export const UnitQuery = z.strictObject({ unitId: uuid.optional() });
export const OrderImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
  raised: z.number().int(),
});

// ---------- compliance, lists, statistics ----------

export const ComplianceRow = z.object({
  unitId: uuid.nullable(),
  unitName: z.string(),
  /** Institutions under supervision (approved, operating, rectifying, suspended). */
  total: z.number().int(),
  org: z.number().int(),
  venue: z.number().int(),
  staff: z.number().int(),
  docs: z.number().int(),
  funds: z.number().int(),
  all: z.number().int(),
});
export type ComplianceRow = z.infer<typeof ComplianceRow>;
export const Expiring = z.object({
  institutionId: uuid,
  institutionName: z.string(),
  unitName: z.string(),
  what: z.string(),
  validTo: z.string(),
  expired: z.boolean(),
});
export type Expiring = z.infer<typeof Expiring>;
export const ComplianceReport = z.object({
  rows: z.array(ComplianceRow),
  total: ComplianceRow,
  warnDays: z.number().int(),
  expiring: z.array(Expiring),
});
export type ComplianceReport = z.infer<typeof ComplianceReport>;
export const ComplianceQuery = z.strictObject({
  unitId: uuid.optional(),
  days: z.coerce.number().int().min(1).max(365).optional(),
});

export const LifecycleRow = z.object({
  unitId: uuid.nullable(),
  unitName: z.string(),
  closed: z.number().int(),
  banned: z.number().int(),
  converted: z.number().int(),
});
export type LifecycleRow = z.infer<typeof LifecycleRow>;
export const LifecycleStats = z.object({
  from: z.string(),
  to: z.string(),
  counts: z.record(z.string(), z.number().int()),
  /** "关停X所，取缔Y所，学转非Z所" */
  sentence: z.string(),
  /** Per county bureau (those with a move in the period). */
  byUnit: z.array(LifecycleRow),
});
export type LifecycleStats = z.infer<typeof LifecycleStats>;
export const LifecycleQuery = z.strictObject({ unitId: uuid.optional(), from: date, to: date });

// ---------- public portal (no login; public fields only) ----------

export const PublicInstitution = z.object({
  id: uuid,
  name: z.string(),
  creditCode: z.string().nullable(),
  category: z.enum(TRAINING_CATEGORIES),
  subType: z.string().nullable(),
  county: z.string(),
  list: z.enum(LIST_STATUSES),
  /** Shown on the black list only. */
  blacklistReason: z.string().nullable(),
  blacklistedOn: z.string().nullable(),
  status: z.enum(TRAINING_STATUSES),
  licenceNo: z.string().nullable(),
  licenceFrom: z.string().nullable(),
  licenceTo: z.string().nullable(),
  licenceValid: z.boolean(),
  venues: z.array(z.object({ address: z.string() })),
  prepaidSupervised: z.boolean(),
  complaintChannel: z.object({ bureau: z.string(), url: z.string() }),
});
export type PublicInstitution = z.infer<typeof PublicInstitution>;
export const PublicInstitutionPage = pageOf(PublicInstitution);
export type PublicInstitutionPage = z.infer<typeof PublicInstitutionPage>;
export const PublicInstitutionQuery = z.strictObject({
  q: freeText(60).optional(),
  county: uuid.optional(),
  category: z.enum(TRAINING_CATEGORIES).optional(),
  list: z.enum(['white', 'black']).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});
export const PublicCounty = z.object({
  id: uuid,
  name: z.string(),
  white: z.number().int(),
  black: z.number().int(),
});
export type PublicCounty = z.infer<typeof PublicCounty>;
