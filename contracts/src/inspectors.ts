/**
 * Responsibility inspectors (责任督学挂牌督导): the roster (督学人才库) with profiles and assigned schools, the
 * public plaque of a school (挂牌公示牌), visits against the eight routine items (经常性督导), supervision
 * opinions (督导意见书) with 限期整改 and the school's rectification report, and the visit coverage per term.
 */
import { z } from 'zod';
import { freeText, multilineText, pageOf, pageQuery, phone, uuid } from './common.ts';
import { FINDING_CATEGORIES, FINDING_SEVERITIES, FINDING_STATUSES } from './findings.ts';

const date = z.iso.date();

const required = (max: number) => multilineText(max).pipe(z.string().min(1));

/** 经常性督导的八项内容 — the eight routine items; each is also a findings-ledger category. */
export const ROUTINE_ITEMS = [
  'school_affairs',
  'enrolment_fees',
  'curriculum',
  'burden',
  'ethics',
  'campus_safety',
  'canteen_dorm',
  'ethos',
] as const satisfies readonly (typeof FINDING_CATEGORIES)[number][];
export type RoutineItem = (typeof ROUTINE_ITEMS)[number];
export const routineItemLabels = {
  school_affairs: { zh: '校务管理', en: 'School administration' },
  enrolment_fees: { zh: '招生、收费、择校', en: 'Admissions, fees and school choice' },
  curriculum: { zh: '课程开设', en: 'Curriculum' },
  burden: { zh: '学生学业负担与体育锻炼', en: 'Study workload and physical exercise' },
  ethics: { zh: '师德师风', en: 'Teacher ethics' },
  campus_safety: { zh: '校园及周边安全', en: 'Safety on and around campus' },
  canteen_dorm: { zh: '食堂、饮水、宿舍', en: 'Canteen, drinking water, dormitories' },
  ethos: { zh: '校风教风学风', en: 'School ethos' },
} satisfies Record<RoutineItem, { zh: string; en: string }>;

/** 督导方式. */
export const VISIT_METHODS = [
  'lesson_observation',
  'document_review',
  'interviews',
  'site_inspection',
  'questionnaire',
  'other',
] as const;
export type VisitMethod = (typeof VISIT_METHODS)[number];
export const visitMethodLabels = {
  lesson_observation: { zh: '随机听课', en: 'Lesson observation' },
  document_review: { zh: '查阅资料', en: 'Document review' },
  interviews: { zh: '座谈走访', en: 'Interviews and talks' },
  site_inspection: { zh: '实地查看', en: 'On-site inspection' },
  questionnaire: { zh: '问卷调查', en: 'Questionnaire' },
  other: { zh: '其他', en: 'Other' },
} satisfies Record<VisitMethod, { zh: string; en: string }>;

export const INSPECTOR_EMPLOYMENTS = ['full_time', 'part_time'] as const;
export type InspectorEmployment = (typeof INSPECTOR_EMPLOYMENTS)[number];
export const inspectorEmploymentLabels = {
  full_time: { zh: '专职', en: 'Full-time' },
  part_time: { zh: '兼职', en: 'Part-time' },
} satisfies Record<InspectorEmployment, { zh: string; en: string }>;

export const INSPECTOR_STATUSES = ['active', 'suspended', 'retired'] as const;
export type InspectorStatus = (typeof INSPECTOR_STATUSES)[number];
export const inspectorStatusLabels = {
  active: { zh: '在岗', en: 'Active' },
  suspended: { zh: '暂停履职', en: 'Suspended' },
  retired: { zh: '已离任', en: 'Left' },
} satisfies Record<InspectorStatus, { zh: string; en: string }>;

// ---------- terms ----------

export const Term = z.object({
  id: z.string(),
  label: z.object({ zh: z.string(), en: z.string() }),
  start: date,
  end: date,
  schoolYear: z.string(),
  no: z.union([z.literal(1), z.literal(2)]),
});
export type Term = z.infer<typeof Term>;
export const TermList = z.object({ current: Term, terms: z.array(Term) });
export type TermList = z.infer<typeof TermList>;
/** '2026-2027-1' */
export const termId = z.string().regex(/^\d{4}-\d{4}-[12]$/, { message: 'TERM_ID' });

// ---------- settings (per bureau; a county without its own inherits the city's, then the defaults) ----------

export const INSPECTOR_DEFAULTS = { visitsPerTerm: 2, maxSchools: 5 } as const;

export const InspectorSettings = z.object({
  unitId: uuid,
  unitName: z.string(),
  /** 每校每学期经常性督导次数 (教育督导条例 §14: at least 2). */
  visitsPerTerm: z.number().int(),
  /** Above this many assigned schools the roster warns. */
  maxSchools: z.number().int(),
  /** 督导举报/监督电话 on the plaques. */
  hotline: z.string().nullable(),
  /** Where the values come from: this unit, a bureau above it, or the platform defaults. */
  source: z.enum(['own', 'inherited', 'default']),
  canManage: z.boolean(),
});
export type InspectorSettings = z.infer<typeof InspectorSettings>;
export const InspectorSettingsQuery = z.strictObject({ unitId: uuid });
export const hotline = z
  .string()
  .trim()
  .regex(/^[0-9][0-9\-—() （）、,，/]{2,39}$/, { message: 'HOTLINE' });
export const InspectorSettingsUpdate = z.strictObject({
  unitId: uuid,
  visitsPerTerm: z.number().int().min(1).max(20),
  maxSchools: z.number().int().min(1).max(50),
  hotline: hotline.nullable(),
});
export type InspectorSettingsUpdate = z.infer<typeof InspectorSettingsUpdate>;

// ---------- the roster ----------

export const InspectorSchool = z.object({
  id: uuid,
  name: z.string(),
  code: z.string(),
  /** Visits this term / required per term. */
  visitsThisTerm: z.number().int(),
  required: z.number().int(),
});
export type InspectorSchool = z.infer<typeof InspectorSchool>;

export const Inspector = z.object({
  userId: uuid,
  username: z.string(),
  name: z.string(),
  unitId: uuid,
  unitName: z.string(),
  accountDisabled: z.boolean(),
  /** Whether the bureau has filled in the profile. */
  hasProfile: z.boolean(),
  employment: z.enum(INSPECTOR_EMPLOYMENTS).nullable(),
  title: z.string().nullable(),
  employer: z.string().nullable(),
  phone: z.string().nullable(),
  photoFileId: uuid.nullable(),
  specialty: z.string().nullable(),
  certificateNo: z.string().nullable(),
  appointedOn: date.nullable(),
  status: z.enum(INSPECTOR_STATUSES),
  note: z.string().nullable(),
  schoolCount: z.number().int(),
  maxSchools: z.number().int(),
  /** More schools than the bureau's maximum. */
  overloaded: z.boolean(),
  canManage: z.boolean(),
});
export type Inspector = z.infer<typeof Inspector>;

export const InspectorDetail = Inspector.extend({
  /** Assigned schools the reader may see. */
  schools: z.array(InspectorSchool),
  term: Term,
});
export type InspectorDetail = z.infer<typeof InspectorDetail>;

export const InspectorListQuery = z.strictObject({
  under: uuid.optional(),
  q: z.string().trim().max(64).optional(),
  status: z.enum(INSPECTOR_STATUSES).optional(),
  employment: z.enum(INSPECTOR_EMPLOYMENTS).optional(),
  ...pageQuery,
});
export type InspectorListQuery = z.infer<typeof InspectorListQuery>;
export const InspectorPage = pageOf(Inspector);
export type InspectorPage = z.infer<typeof InspectorPage>;

export const InspectorProfileUpdate = z.strictObject({
  employment: z.enum(INSPECTOR_EMPLOYMENTS),
  title: freeText(60).nullable().optional(),
  employer: freeText(100).nullable().optional(),
  phone: phone.nullable().optional(),
  photoFileId: uuid.nullable().optional(),
  specialty: freeText(200).nullable().optional(),
  certificateNo: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}\-（）()〔〕[\] ]{0,39}$/u, { message: 'CERTIFICATE_NO' })
    .nullable()
    .optional(),
  appointedOn: date.nullable().optional(),
  status: z.enum(INSPECTOR_STATUSES).default('active'),
  note: freeText(500).nullable().optional(),
});
export type InspectorProfileUpdate = z.input<typeof InspectorProfileUpdate>;

export const InspectorSchoolsUpdate = z.strictObject({ schoolIds: z.array(uuid).max(50) });
export type InspectorSchoolsUpdate = z.infer<typeof InspectorSchoolsUpdate>;

// ---------- the plaque (挂牌公示牌) ----------

export const Plaque = z.object({
  school: z.object({ id: uuid, name: z.string(), code: z.string(), address: z.string().nullable() }),
  /** The bureau whose 督导室 runs the plaque (the school's county). */
  bureau: z.object({ id: uuid, name: z.string() }),
  inspectors: z.array(
    z.object({
      userId: uuid,
      name: z.string(),
      phone: z.string().nullable(),
      title: z.string().nullable(),
      employer: z.string().nullable(),
      employment: z.enum(INSPECTOR_EMPLOYMENTS).nullable(),
      certificateNo: z.string().nullable(),
      /** GET /api/inspectors/plaque/:schoolId/photo/:userId serves it. */
      hasPhoto: z.boolean(),
    }),
  ),
  items: z.array(z.object({ item: z.enum(ROUTINE_ITEMS), label: z.string() })),
  hotline: z.string().nullable(),
  visitsPerTerm: z.number().int(),
});
export type Plaque = z.infer<typeof Plaque>;
export const PlaqueParams = z.strictObject({ schoolId: uuid });
export const PlaquePhotoParams = z.strictObject({ schoolId: uuid, userId: uuid });

// ---------- visits ----------

export const VISIT_RESULTS = ['ok', 'problem'] as const;
export type VisitResult = (typeof VISIT_RESULTS)[number];

export const VisitItemInput = z.strictObject({
  item: z.enum(ROUTINE_ITEMS),
  result: z.enum(VISIT_RESULTS),
  notes: multilineText(1000).optional(),
  /** Photos already uploaded (POST /api/files?unitId=<school>). */
  fileIds: z.array(uuid).max(9).optional(),
  /** For a problem: the finding's title (default: the item and the first words of the notes). */
  title: freeText(120).optional(),
  severity: z.enum(FINDING_SEVERITIES).default('general'),
  /** For a problem: 整改期限 (default: the visit's deadline). */
  deadline: date.optional(),
  /** 立行立改: put right during the visit; recorded closed. */
  rectifiedOnSite: z.boolean().default(false),
});
export type VisitItemInput = z.input<typeof VisitItemInput>;

export const VisitCreate = z.strictObject({
  /** Made by the client: a retried submission returns the visit already recorded instead of a second one. */
  id: uuid,
  schoolId: uuid,
  visitDate: date,
  /** Recording for another inspector assigned to the school (the bureau, from a paper record). */
  inspectorId: uuid.optional(),
  /** The items looked at; the others were not part of this visit. */
  items: z.array(VisitItemInput).min(1).max(8),
  methods: z.array(z.enum(VISIT_METHODS)).min(1).max(6),
  otherMethod: freeText(60).optional(),
  summary: required(4000),
  /** 整改期限 for the problems found (default: 30 days after the visit). */
  deadline: date.optional(),
});
export type VisitCreate = z.input<typeof VisitCreate>;

export const FindingCountsBrief = z.object({
  found: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  closed: z.number().int(),
});

export const Visit = z.object({
  id: uuid,
  schoolId: uuid,
  schoolName: z.string(),
  schoolCode: z.string(),
  inspectorId: uuid,
  inspectorName: z.string(),
  bureauId: uuid,
  bureauName: z.string(),
  visitDate: date,
  termId: z.string(),
  methods: z.array(z.enum(VISIT_METHODS)),
  itemCount: z.number().int(),
  problemCount: z.number().int(),
  findings: FindingCountsBrief,
  opinionId: uuid.nullable(),
  opinionNo: z.string().nullable(),
  createdAt: z.string(),
});
export type Visit = z.infer<typeof Visit>;

export const VisitItem = z.object({
  item: z.enum(ROUTINE_ITEMS),
  result: z.enum(VISIT_RESULTS),
  notes: z.string().nullable(),
  fileIds: z.array(uuid),
  finding: z
    .object({
      id: uuid,
      no: z.string(),
      title: z.string(),
      severity: z.enum(FINDING_SEVERITIES),
      status: z.enum(FINDING_STATUSES),
      deadline: date,
    })
    .nullable(),
});
export type VisitItem = z.infer<typeof VisitItem>;

export const VisitDetail = Visit.extend({
  summary: z.string(),
  otherMethod: z.string().nullable(),
  deadline: date.nullable(),
  items: z.array(VisitItem),
  recordedByName: z.string().nullable(),
  can: z.object({ issueOpinion: z.boolean() }),
});
export type VisitDetail = z.infer<typeof VisitDetail>;

export const VisitListQuery = z.strictObject({
  under: uuid.optional(),
  schoolId: uuid.optional(),
  inspectorId: uuid.optional(),
  termId: termId.optional(),
  from: date.optional(),
  to: date.optional(),
  withProblems: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});
export type VisitListQuery = z.infer<typeof VisitListQuery>;
export const VisitPage = pageOf(Visit);
export type VisitPage = z.infer<typeof VisitPage>;

// ---------- 督导意见书 ----------

/**
 * Stored: issued → submitted (the school's 整改报告) → accepted by the inspector, or returned → submitted …
 * Shown (`state`): 待整改 / 已退回 / 待验收 / 待销号 (report accepted, findings still open in the ledger) / 已办结.
 */
export const OPINION_STATUSES = ['issued', 'submitted', 'returned', 'accepted'] as const;
export type OpinionStatus = (typeof OPINION_STATUSES)[number];
export const OPINION_STATES = ['rectifying', 'returned', 'submitted', 'closing', 'done'] as const;
export type OpinionState = (typeof OPINION_STATES)[number];
export const opinionStateLabels = {
  rectifying: { zh: '待整改', en: 'To rectify' },
  returned: { zh: '已退回', en: 'Returned' },
  submitted: { zh: '待验收', en: 'Awaiting verification' },
  closing: { zh: '待销号', en: 'Findings still open' },
  done: { zh: '已办结', en: 'Done' },
} satisfies Record<OpinionState, { zh: string; en: string }>;

export const OPINION_EVENT_KINDS = ['issue', 'report', 'accept', 'return'] as const;
export const opinionEventLabels = {
  issue: { zh: '下达督导意见书', en: 'Opinion issued' },
  report: { zh: '提交整改报告', en: 'Report submitted' },
  accept: { zh: '验收通过', en: 'Accepted' },
  return: { zh: '退回重新整改', en: 'Returned' },
} satisfies Record<(typeof OPINION_EVENT_KINDS)[number], { zh: string; en: string }>;

export const OpinionCreate = z.strictObject({
  /** 督导意见: what was found and what the inspector thinks. */
  content: required(4000),
  /** 整改要求. */
  requirements: multilineText(2000).optional(),
  /** 限期: the report is due by then. */
  deadline: date,
  /** The visit's findings to list (default: all of them). */
  findingIds: z.array(uuid).max(50).optional(),
});
export type OpinionCreate = z.input<typeof OpinionCreate>;

export const OpinionReport = z.strictObject({
  text: required(4000),
  fileIds: z.array(uuid).max(20).optional(),
});
export const OpinionAccept = z.strictObject({ note: multilineText(1000).optional() });
export const OpinionReturn = z.strictObject({ reason: required(1000) });

export const Opinion = z.object({
  id: uuid,
  /** e.g. 铁西区督意〔2026〕5号 */
  no: z.string(),
  visitId: uuid,
  visitDate: date,
  schoolId: uuid,
  schoolName: z.string(),
  inspectorId: uuid,
  inspectorName: z.string(),
  bureauId: uuid,
  bureauName: z.string(),
  issuedOn: date,
  deadline: date,
  status: z.enum(OPINION_STATUSES),
  state: z.enum(OPINION_STATES),
  /** Past the deadline without an accepted report. */
  overdue: z.boolean(),
  findingCount: z.number().int(),
  openFindings: z.number().int(),
  returnCount: z.number().int(),
});
export type Opinion = z.infer<typeof Opinion>;

export const OpinionDetail = Opinion.extend({
  content: z.string(),
  requirements: z.string().nullable(),
  school: z.object({
    id: uuid,
    name: z.string(),
    code: z.string(),
    principal: z.string().nullable(),
    address: z.string().nullable(),
  }),
  findings: z.array(
    z.object({
      id: uuid,
      no: z.string(),
      category: z.enum(FINDING_CATEGORIES),
      severity: z.enum(FINDING_SEVERITIES),
      title: z.string(),
      description: z.string().nullable(),
      status: z.enum(FINDING_STATUSES),
      deadline: date,
    }),
  ),
  report: z
    .object({
      text: z.string(),
      fileIds: z.array(uuid),
      submittedAt: z.string(),
      submittedBy: z.string().nullable(),
    })
    .nullable(),
  verifyNote: z.string().nullable(),
  events: z.array(
    z.object({
      kind: z.enum(OPINION_EVENT_KINDS),
      at: z.string(),
      actorName: z.string().nullable(),
      note: z.string().nullable(),
      fileIds: z.array(uuid),
    }),
  ),
  can: z.object({ report: z.boolean(), verify: z.boolean() }),
});
export type OpinionDetail = z.infer<typeof OpinionDetail>;

export const OpinionListQuery = z.strictObject({
  under: uuid.optional(),
  schoolId: uuid.optional(),
  visitId: uuid.optional(),
  state: z.enum(OPINION_STATES).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  ...pageQuery,
});
export type OpinionListQuery = z.infer<typeof OpinionListQuery>;
export const OpinionPage = pageOf(Opinion);
export type OpinionPage = z.infer<typeof OpinionPage>;

// ---------- coverage ----------

export const CoverageQuery = z.strictObject({
  termId: termId.optional(),
  under: uuid.optional(),
});
export type CoverageQuery = z.infer<typeof CoverageQuery>;

/** done ≥ required: complete; behind: fewer than the share of the term already gone asks for (all, once it ended). */
export const COVERAGE_STATES = ['complete', 'on_track', 'behind'] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];
export const coverageStateLabels = {
  complete: { zh: '已完成', en: 'Complete' },
  on_track: { zh: '进行中', en: 'On track' },
  behind: { zh: '滞后', en: 'Behind' },
} satisfies Record<CoverageState, { zh: string; en: string }>;

const coverageCounts = {
  schools: z.number().int(),
  required: z.number().int(),
  /** Visits counted towards the requirement (at most `required` per school). */
  done: z.number().int(),
  visits: z.number().int(),
  complete: z.number().int(),
  behind: z.number().int(),
};

export const Coverage = z.object({
  term: Term,
  /** The day "behind" is measured at: today within the term, its last day once it ended. */
  asOf: date,
  totals: z.object(coverageCounts),
  schools: z.array(
    z.object({
      schoolId: uuid,
      name: z.string(),
      code: z.string(),
      countyId: uuid.nullable(),
      countyName: z.string().nullable(),
      inspectors: z.array(z.object({ id: uuid, name: z.string() })),
      required: z.number().int(),
      /** What the share of the term gone asks for by `asOf`. */
      expected: z.number().int(),
      done: z.number().int(),
      lastVisit: date.nullable(),
      state: z.enum(COVERAGE_STATES),
    }),
  ),
  byInspector: z.array(z.object({ userId: uuid, name: z.string(), unitName: z.string(), ...coverageCounts })),
  byCounty: z.array(z.object({ unitId: uuid, name: z.string(), ...coverageCounts })),
});
export type Coverage = z.infer<typeof Coverage>;
