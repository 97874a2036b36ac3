/**
 * 部署·督办·考评·通报: annual work plans → chapters → numbered tasks with milestones and measurable targets,
 * assignments to responsible units, progress reports, computed status, supervision notices (督办单), the
 * dispatch-meeting view (调度会), assessment schemes and scores (考评), and briefings (通报).
 */
import { z } from 'zod';
import { freeText, multilineText, uuid } from './common.ts';

const isoDate = z.iso.date();
type Labels = Record<string, { zh: string; en: string }>;
const required = (max: number) => multilineText(max).pipe(z.string().min(1));
const line = (max: number) => freeText(max).pipe(z.string().min(1));

export const PLAN_KINDS = ['annual', 'multi_year', 'campaign'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const planKindLabels = {
  annual: { zh: '年度工作要点', en: 'Annual work plan' },
  multi_year: { zh: '多年规划', en: 'Multi-year plan' },
  campaign: { zh: '专项行动', en: 'Special campaign' },
} satisfies Labels;

export const REPORT_CYCLES = ['monthly', 'quarterly', 'milestone'] as const;
export type ReportCycle = (typeof REPORT_CYCLES)[number];
export const reportCycleLabels = {
  monthly: { zh: '每月', en: 'Monthly' },
  quarterly: { zh: '每季度', en: 'Quarterly' },
  milestone: { zh: '按节点', en: 'Per milestone' },
} satisfies Labels;

export const TARGET_OPS = ['>=', '<=', '=', '>', '<'] as const;
export type TargetOp = (typeof TARGET_OPS)[number];
export const targetOpLabels = {
  '>=': { zh: '≥', en: '≥' },
  '<=': { zh: '≤', en: '≤' },
  '=': { zh: '=', en: '=' },
  '>': { zh: '>', en: '>' },
  '<': { zh: '<', en: '<' },
} satisfies Labels;

/** Computed, never stored: see docs/plans.md for the rule. */
export const TASK_STATUSES = ['done', 'on_track', 'at_risk', 'behind', 'overdue'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const taskStatusLabels = {
  done: { zh: '已完成', en: 'Done' },
  on_track: { zh: '正常推进', en: 'On track' },
  at_risk: { zh: '存在风险', en: 'At risk' },
  behind: { zh: '进度滞后', en: 'Behind' },
  overdue: { zh: '逾期未完成', en: 'Overdue' },
} satisfies Labels;

export const PLAN_NOTICE_STATUSES = ['open', 'answered', 'closed'] as const;
export type PlanNoticeStatus = (typeof PLAN_NOTICE_STATUSES)[number];
export const planNoticeStatusLabels = {
  open: { zh: '待回复', en: 'Awaiting answer' },
  answered: { zh: '已回复', en: 'Answered' },
  closed: { zh: '已办结', en: 'Closed' },
} satisfies Labels;

export const ASSESS_ITEM_KINDS = [
  'task_completion',
  'target_achievement',
  'report_timeliness',
  'rectification_rate',
  'bonus',
  'deduction',
  'manual',
  'veto',
] as const;
export type AssessItemKind = (typeof ASSESS_ITEM_KINDS)[number];
export const assessItemKindLabels = {
  task_completion: { zh: '任务完成率', en: 'PlanTask completion' },
  target_achievement: { zh: '目标达成率', en: 'PlanTarget achievement' },
  report_timeliness: { zh: '报送及时率', en: 'PlanReport timeliness' },
  rectification_rate: { zh: '问题整改率', en: 'Findings rectification rate' },
  bonus: { zh: '加分项', en: 'Bonus' },
  deduction: { zh: '扣分项', en: 'Deduction' },
  manual: { zh: '人工评分', en: 'Scored by hand' },
  veto: { zh: '一票否决', en: 'Veto' },
} satisfies Labels;
/** Items whose points come from platform data. */
export const COMPUTED_ITEM_KINDS: readonly AssessItemKind[] = [
  'task_completion',
  'target_achievement',
  'report_timeliness',
  'rectification_rate',
];

export const ASSESS_GRADES = ['excellent', 'good', 'pass', 'fail'] as const;
export type AssessGrade = (typeof ASSESS_GRADES)[number];
export const gradeLabels = {
  excellent: { zh: '优秀', en: 'Excellent' },
  good: { zh: '良好', en: 'Good' },
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
} satisfies Labels;
export const DEFAULT_BANDS: { grade: AssessGrade; min: number }[] = [
  { grade: 'excellent', min: 90 },
  { grade: 'good', min: 80 },
  { grade: 'pass', min: 60 },
  { grade: 'fail', min: 0 },
];

// ---------- targets ----------

export const PlanTarget = z.object({
  indicator: z.string(),
  op: z.enum(TARGET_OPS),
  value: z.number(),
  unit: z.string(),
  text: z.string(),
});
export type PlanTarget = z.infer<typeof PlanTarget>;
export const PlanTargetInput = z.strictObject({
  indicator: line(60),
  op: z.enum(TARGET_OPS),
  value: z.number().finite(),
  unit: freeText(12),
});

// ---------- plans and tasks ----------

const PlanUnitRef = z.object({ id: uuid, name: z.string(), code: z.string() });

export const Plan = z.object({
  id: uuid,
  ownerUnit: PlanUnitRef,
  title: z.string(),
  kind: z.enum(PLAN_KINDS),
  year: z.number().int(),
  startsOn: isoDate,
  endsOn: isoDate,
  tasks: z.number().int(),
  counts: z.record(z.enum(TASK_STATUSES), z.number().int()),
  canManage: z.boolean(),
});
export type Plan = z.infer<typeof Plan>;
export const PlanList = z.object({ items: z.array(Plan) });

export const PlanCreate = z.strictObject({
  ownerUnitId: uuid,
  title: line(120),
  kind: z.enum(PLAN_KINDS),
  year: z.number().int().min(2000).max(2100),
  startsOn: isoDate,
  endsOn: isoDate,
  chapters: z.array(line(80)).max(30).optional(),
});
export type PlanCreate = z.infer<typeof PlanCreate>;

export const PlanMilestone = z.object({
  id: uuid,
  seq: z.number().int(),
  title: z.string(),
  dueOn: isoDate,
});
export type PlanMilestone = z.infer<typeof PlanMilestone>;

export const PlanStatusInfo = z.object({ status: z.enum(TASK_STATUSES), reason: z.string() });
export type PlanStatusInfo = z.infer<typeof PlanStatusInfo>;

export const PlanReport = z.object({
  id: uuid,
  assignmentId: uuid,
  reportedOn: isoDate,
  text: z.string(),
  value: z.number().nullable(),
  milestoneId: uuid.nullable(),
  completed: z.boolean(),
  files: z.array(z.object({ id: uuid, name: z.string() })),
  reportedByName: z.string().nullable(),
});
export type PlanReport = z.infer<typeof PlanReport>;

export const PlanAssignment = z.object({
  id: uuid,
  planId: uuid,
  taskId: uuid,
  taskSeq: z.number().int(),
  taskTitle: z.string(),
  unit: PlanUnitRef,
  parentId: uuid.nullable(),
  person: z.object({ id: uuid, name: z.string() }).nullable(),
  dueOn: isoDate,
  target: PlanTarget.nullable(),
  latestValue: z.number().nullable(),
  latestReport: PlanReport.nullable(),
  /** PlanReport due dates passed without a report in their window. */
  missedReports: z.number().int(),
  lateReports: z.number().int(),
  nextReportDue: isoDate.nullable(),
  openNotices: z.number().int(),
  canReport: z.boolean(),
  canSplit: z.boolean(),
  ...PlanStatusInfo.shape,
});
export type PlanAssignment = z.infer<typeof PlanAssignment>;

export const PlanTask = z.object({
  id: uuid,
  planId: uuid,
  chapterId: uuid,
  chapterSeq: z.number().int(),
  chapterTitle: z.string(),
  seq: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  leadOffice: z.string(),
  coOffices: z.array(z.string()),
  startsOn: isoDate,
  dueOn: isoDate,
  reportCycle: z.enum(REPORT_CYCLES),
  target: PlanTarget.nullable(),
  milestones: z.array(PlanMilestone),
  assignments: z.array(PlanAssignment),
  ...PlanStatusInfo.shape,
});
export type PlanTask = z.infer<typeof PlanTask>;

export const PlanDetail = Plan.extend({
  chapters: z.array(z.object({ id: uuid, seq: z.number().int(), title: z.string() })),
  taskList: z.array(PlanTask),
});
export type PlanDetail = z.infer<typeof PlanDetail>;

export const PlanTaskCreate = z.strictObject({
  chapterId: uuid,
  seq: z.number().int().min(1).max(999).optional(),
  title: line(200),
  description: multilineText(2000).optional(),
  leadOffice: line(40),
  coOffices: z.array(line(40)).max(10).optional(),
  startsOn: isoDate.optional(),
  dueOn: isoDate,
  reportCycle: z.enum(REPORT_CYCLES).default('monthly'),
  target: PlanTargetInput.optional(),
  milestones: z
    .array(z.strictObject({ title: line(100), dueOn: isoDate }))
    .max(20)
    .optional(),
  unitIds: z.array(uuid).max(500).optional(),
});
export type PlanTaskCreate = z.input<typeof PlanTaskCreate>;

export const PlanImportResult = z.object({
  planId: uuid,
  chapters: z.number().int(),
  tasks: z.number().int(),
  assignments: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), reasons: z.array(z.string()) })),
});
export type PlanImportResult = z.infer<typeof PlanImportResult>;
export const PlanImportQuery = z.strictObject({
  ownerUnitId: uuid,
  title: line(120),
  year: z.coerce.number().int().min(2000).max(2100),
  kind: z.enum(PLAN_KINDS).default('annual'),
});

export const PlanAssignmentSplit = z.strictObject({ unitIds: z.array(uuid).min(1).max(500) });
export const PlanAssignmentPerson = z.strictObject({ userId: uuid.nullable() });
export const PlanAssignmentListQuery = z.strictObject({
  planId: uuid.optional(),
  status: z.enum(TASK_STATUSES).optional(),
});
export const PlanAssignmentList = z.object({ items: z.array(PlanAssignment) });
export const PlanAssignmentDetail = PlanAssignment.extend({
  planTitle: z.string(),
  milestones: z.array(PlanMilestone.extend({ reached: z.boolean() })),
  reports: z.array(PlanReport),
  children: z.array(PlanAssignment),
  notices: z.array(z.lazy(() => PlanNotice)),
  /** Users of the unit's subtree who may be named responsible. */
  people: z.array(z.object({ id: uuid, name: z.string() })),
});
export type PlanAssignmentDetail = z.infer<typeof PlanAssignmentDetail>;

export const PlanReportCreate = z.strictObject({
  text: required(2000),
  value: z.number().finite().optional(),
  milestoneId: uuid.optional(),
  completed: z.boolean().default(false),
  fileIds: z.array(uuid).max(20).optional(),
});
export type PlanReportCreate = z.input<typeof PlanReportCreate>;

// ---------- supervision notices (督办单) ----------

export const PlanNotice = z.object({
  id: uuid,
  no: z.string(),
  planId: uuid,
  taskId: uuid,
  taskSeq: z.number().int(),
  taskTitle: z.string(),
  assignmentId: uuid,
  issuerUnit: PlanUnitRef,
  unit: PlanUnitRef,
  reason: z.string(),
  requirement: z.string(),
  issuedOn: isoDate,
  deadline: isoDate,
  status: z.enum(PLAN_NOTICE_STATUSES),
  overdue: z.boolean(),
  answer: z.string().nullable(),
  answerFiles: z.array(z.object({ id: uuid, name: z.string() })),
  answeredOn: isoDate.nullable(),
  answeredByName: z.string().nullable(),
  escalated: z.boolean(),
  findingId: uuid.nullable(),
  canAnswer: z.boolean(),
  canClose: z.boolean(),
});
export type PlanNotice = z.infer<typeof PlanNotice>;
export const PlanNoticeList = z.object({ items: z.array(PlanNotice) });
export const PlanNoticeQuery = z.strictObject({
  planId: uuid.optional(),
  status: z.enum(PLAN_NOTICE_STATUSES).optional(),
});
export const PlanNoticeCreate = z.strictObject({
  assignmentId: uuid,
  requirement: required(1000),
  deadline: isoDate,
});
export const PlanNoticeAnswer = z.strictObject({
  answer: required(2000),
  fileIds: z.array(uuid).max(20).optional(),
});

// ---------- dispatch meeting (调度会) ----------

export const DispatchRow = z.object({
  taskId: uuid,
  chapterSeq: z.number().int(),
  chapterTitle: z.string(),
  seq: z.number().int(),
  title: z.string(),
  leadOffice: z.string(),
  dueOn: isoDate,
  target: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  reason: z.string(),
  latestReport: z
    .object({ unitName: z.string(), reportedOn: isoDate, text: z.string(), value: z.number().nullable() })
    .nullable(),
  openNotices: z.array(
    z.object({ no: z.string(), unitName: z.string(), deadline: isoDate, overdue: z.boolean() }),
  ),
  /** Since the last meeting: the status then (null: the task is new), and reports since. */
  previousStatus: z.enum(TASK_STATUSES).nullable(),
  changed: z.boolean(),
  reportsSince: z.number().int(),
});
export type DispatchRow = z.infer<typeof DispatchRow>;
export const PlanDispatch = z.object({
  plan: Plan,
  today: isoDate,
  lastMeeting: z.object({ id: uuid, heldOn: isoDate, title: z.string() }).nullable(),
  meetings: z.array(z.object({ id: uuid, heldOn: isoDate, title: z.string() })),
  rows: z.array(DispatchRow),
});
export type PlanDispatch = z.infer<typeof PlanDispatch>;
export const PlanMeetingCreate = z.strictObject({ heldOn: isoDate, title: line(100) });

// ---------- assessment (考评) ----------

export const AssessItem = z.object({
  id: uuid,
  seq: z.number().int(),
  kind: z.enum(ASSESS_ITEM_KINDS),
  name: z.string(),
  weight: z.number(),
  vetoMode: z.enum(['void', 'cap']).nullable(),
  vetoCap: z.number().nullable(),
});
export type AssessItem = z.infer<typeof AssessItem>;
export const AssessBand = z.object({ grade: z.enum(ASSESS_GRADES), min: z.number().min(0).max(1000) });
export const AssessScheme = z.object({
  id: uuid,
  ownerUnit: PlanUnitRef,
  year: z.number().int(),
  unitKind: z.enum(['county_bureau', 'school']),
  name: z.string(),
  bands: z.array(AssessBand),
  items: z.array(AssessItem),
  periods: z.array(
    z.object({
      id: uuid,
      label: z.string(),
      planId: uuid.nullable(),
      startsOn: isoDate,
      endsOn: isoDate,
      status: z.enum(['open', 'approved']),
      approvedAt: z.string().nullable(),
    }),
  ),
  canManage: z.boolean(),
});
export type AssessScheme = z.infer<typeof AssessScheme>;
export const AssessSchemeList = z.object({ items: z.array(AssessScheme) });
export const AssessSchemeCreate = z.strictObject({
  ownerUnitId: uuid,
  year: z.number().int().min(2000).max(2100),
  unitKind: z.enum(['county_bureau', 'school']),
  name: line(80),
  bands: z.array(AssessBand).min(2).max(4).optional(),
  items: z
    .array(
      z.strictObject({
        kind: z.enum(ASSESS_ITEM_KINDS),
        name: line(60),
        weight: z.number().min(0).max(100),
        vetoMode: z.enum(['void', 'cap']).optional(),
        vetoCap: z.number().min(0).max(100).optional(),
      }),
    )
    .min(1)
    .max(30),
});
export type AssessSchemeCreate = z.infer<typeof AssessSchemeCreate>;
export const AssessPeriodCreate = z.strictObject({
  schemeId: uuid,
  planId: uuid.optional(),
  label: line(30),
  startsOn: isoDate,
  endsOn: isoDate,
});

export const AssessItemScore = z.object({
  itemId: uuid,
  kind: z.enum(ASSESS_ITEM_KINDS),
  name: z.string(),
  weight: z.number(),
  points: z.number(),
  /** How it was reached (“12/15 项任务已完成”), or the reason typed for a hand-scored item. */
  basis: z.string(),
  /** The records behind it: assignments, reports, findings. */
  records: z.array(z.object({ type: z.string(), id: z.string(), label: z.string(), ok: z.boolean() })),
  vetoed: z.boolean().optional(),
});
export type AssessItemScore = z.infer<typeof AssessItemScore>;
export const AssessUnitResult = z.object({
  unit: z.object({ id: uuid, code: z.string(), name: z.string() }),
  score: z.number(),
  rawScore: z.number(),
  grade: z.enum(ASSESS_GRADES),
  rank: z.number().int(),
  vetoed: z.boolean(),
  items: z.array(AssessItemScore),
});
export type AssessUnitResult = z.infer<typeof AssessUnitResult>;
export const AssessResults = z.object({
  period: z.object({
    id: uuid,
    label: z.string(),
    schemeName: z.string(),
    status: z.enum(['open', 'approved']),
    approvedAt: z.string().nullable(),
    approvedByName: z.string().nullable(),
  }),
  items: z.array(AssessItem),
  results: z.array(AssessUnitResult),
  canManage: z.boolean(),
});
export type AssessResults = z.infer<typeof AssessResults>;
export const AssessEntryInput = z.strictObject({
  unitId: uuid,
  itemId: uuid,
  points: z.number().min(0).max(100),
  reason: required(500),
});
export const AssessApprove = z.strictObject({ note: freeText(200).optional() });

// ---------- briefings (通报) ----------

export const BriefingContent = z.object({
  periodLabel: z.string(),
  intro: z.string(),
  ranking: z.array(
    z.object({
      rank: z.number().int(),
      unitName: z.string(),
      score: z.number(),
      grade: z.enum(ASSESS_GRADES),
      vetoed: z.boolean(),
    }),
  ),
  achievements: z.array(z.string()),
  lagging: z.array(z.object({ unitName: z.string(), detail: z.string() })),
  overdueNotices: z.array(
    z.object({ no: z.string(), unitName: z.string(), taskTitle: z.string(), deadline: isoDate }),
  ),
});
export type BriefingContent = z.infer<typeof BriefingContent>;
export const Briefing = z.object({
  id: uuid,
  no: z.string(),
  title: z.string(),
  ownerUnit: PlanUnitRef,
  periodId: uuid.nullable(),
  status: z.enum(['draft', 'published']),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
  recipients: z.number().int(),
  read: z.number().int(),
  canManage: z.boolean(),
});
export type Briefing = z.infer<typeof Briefing>;
export const BriefingDetail = Briefing.extend({ content: BriefingContent });
export type BriefingDetail = z.infer<typeof BriefingDetail>;
export const BriefingList = z.object({ items: z.array(Briefing) });
export const BriefingCreate = z.strictObject({ periodId: uuid, title: line(120).optional() });
