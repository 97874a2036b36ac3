/**
 * The findings ledger (问题台账): one list of problems and hazards for every module, with its
 * rectification loop (整改 → 验收销号), rectification notices (整改通知书) and statistics.
 */
import { z } from 'zod';
import { freeText, multilineText, pageOf, pageQuery, uuid } from './common.ts';

/** Where a finding came from; the ledger links back to the source record (sourceType + sourceId). */
export const FINDING_SOURCES = [
  'inspection',
  'inspector_visit',
  'complaint',
  'rule',
  'task',
  'self_check',
  'manual',
] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];
export const findingSourceLabels = {
  inspection: { zh: '安全检查', en: 'Safety inspection' },
  inspector_visit: { zh: '督学督导', en: 'Inspector visit' },
  complaint: { zh: '群众投诉', en: 'Complaint' },
  rule: { zh: '自动预警', en: 'Automatic rule' },
  task: { zh: '任务督办', en: 'Task supervision' },
  self_check: { zh: '学校自查', en: 'Self-inspection' },
  manual: { zh: '手工登记', en: 'Entered by hand' },
} satisfies Record<FindingSource, { zh: string; en: string }>;

export const FINDING_SEVERITIES = ['general', 'major', 'serious'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];
export const findingSeverityLabels = {
  general: { zh: '一般', en: 'Minor' },
  major: { zh: '较大', en: 'Major' },
  serious: { zh: '重大', en: 'Serious' },
} satisfies Record<FindingSeverity, { zh: string; en: string }>;

/**
 * raised → notified (a 整改通知书 names it) → rectifying (measures taken) → submitted (report + evidence)
 * → closed (验收销号 by the raising side). A returned report goes back to rectifying. Overdue is not a
 * status: an open finding past its deadline is overdue, and is escalated to the parent unit once.
 */
export const FINDING_STATUSES = ['raised', 'notified', 'rectifying', 'submitted', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const findingStatusLabels = {
  raised: { zh: '待下发', en: 'Raised' },
  notified: { zh: '已下发', en: 'Notified' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  submitted: { zh: '待验收', en: 'Awaiting verification' },
  closed: { zh: '已销号', en: 'Closed' },
} satisfies Record<FindingStatus, { zh: string; en: string }>;

/**
 * Categories, one list for the whole platform: the safety checklist areas (消防 … 人防物防技防), the eight
 * routine items of responsibility inspectors (校务管理 … 校风教风学风) and the later modules' areas.
 */
export const findingCategoryLabels = {
  fire: { zh: '消防安全', en: 'Fire safety' },
  food: { zh: '食品安全', en: 'Food safety' },
  building: { zh: '校舍安全', en: 'Buildings' },
  traffic: { zh: '交通安全', en: 'Traffic' },
  drowning: { zh: '防溺水', en: 'Drowning prevention' },
  chemicals: { zh: '危化品管理', en: 'Hazardous chemicals' },
  bullying: { zh: '防欺凌', en: 'Bullying prevention' },
  surroundings: { zh: '周边环境', en: 'School surroundings' },
  security: { zh: '人防物防技防', en: 'Security staffing and equipment' },
  school_affairs: { zh: '校务管理', en: 'School administration' },
  enrolment_fees: { zh: '招生、收费、择校', en: 'Admissions, fees, school choice' },
  curriculum: { zh: '课程开设', en: 'Curriculum' },
  burden: { zh: '学业负担与体育锻炼', en: 'Workload and physical exercise' },
  ethics: { zh: '师德师风', en: 'Teacher ethics' },
  campus_safety: { zh: '校园及周边安全', en: 'Campus and surroundings safety' },
  canteen_dorm: { zh: '食堂、饮水、宿舍', en: 'Canteen, water, dormitories' },
  ethos: { zh: '校风教风学风', en: 'School ethos' },
  dropout: { zh: '控辍保学', en: 'Dropout control' },
  training: { zh: '校外培训', en: 'Off-campus training' },
  data_quality: { zh: '数据质量', en: 'Data quality' },
  other: { zh: '其他', en: 'Other' },
} satisfies Record<string, { zh: string; en: string }>;
export type FindingCategory = keyof typeof findingCategoryLabels;
export const FINDING_CATEGORIES = Object.keys(findingCategoryLabels) as [
  FindingCategory,
  ...FindingCategory[],
];

export const FINDING_EVENT_KINDS = [
  'raise',
  'notify',
  'start',
  'submit',
  'close',
  'return',
  'escalate',
  'extend',
  'comment',
] as const;
export type FindingEventKind = (typeof FINDING_EVENT_KINDS)[number];
export const findingEventLabels = {
  raise: { zh: '发现登记', en: 'Raised' },
  notify: { zh: '下发整改通知', en: 'Notice issued' },
  start: { zh: '落实整改措施', en: 'Rectification started' },
  submit: { zh: '提交整改报告', en: 'Report submitted' },
  close: { zh: '验收销号', en: 'Verified and closed' },
  return: { zh: '验收退回', en: 'Returned' },
  escalate: { zh: '逾期提级督办', en: 'Escalated (overdue)' },
  extend: { zh: '延期', en: 'Deadline extended' },
  comment: { zh: '备注', en: 'Comment' },
} satisfies Record<FindingEventKind, { zh: string; en: string }>;

const date = z.iso.date();
const text = (max: number) => multilineText(max).pipe(z.string().min(1));
const fileIds = z.array(uuid).max(20);

// ---------- files (platform/files: photos and evidence) ----------

export const StoredFile = z.object({
  id: uuid,
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
});
export type StoredFile = z.infer<typeof StoredFile>;

// ---------- the finding ----------

export const FindingEvent = z.object({
  id: uuid,
  kind: z.enum(FINDING_EVENT_KINDS),
  at: z.string(),
  actorName: z.string().nullable(),
  unitName: z.string().nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  files: z.array(StoredFile),
});
export type FindingEvent = z.infer<typeof FindingEvent>;

export const Finding = z.object({
  id: uuid,
  /** Ledger number, e.g. 铁西区问题〔2026〕12号 (per raising unit and year). */
  no: z.string(),
  source: z.enum(FINDING_SOURCES),
  /** The record that raised it (e.g. safety_inspection / inspector_visit / complaint) and its id. */
  sourceType: z.string().nullable(),
  sourceId: z.string().nullable(),
  category: z.enum(FINDING_CATEGORIES),
  subcategory: z.string().nullable(),
  severity: z.enum(FINDING_SEVERITIES),
  title: z.string(),
  description: z.string().nullable(),
  location: z.string().nullable(),
  basis: z.string().nullable(),
  unitId: uuid,
  unitName: z.string(),
  unitCode: z.string(),
  raisedByUnitId: uuid,
  raisedByUnitName: z.string(),
  raisedByName: z.string().nullable(),
  gridId: uuid.nullable(),
  gridName: z.string().nullable(),
  status: z.enum(FINDING_STATUSES),
  deadline: date,
  raisedOn: date,
  closedOn: date.nullable(),
  overdue: z.boolean(),
  /** Escalated to the parent unit when it went past its deadline. */
  escalatedAt: z.string().nullable(),
  escalatedToName: z.string().nullable(),
  returnCount: z.number().int(),
  noticeId: uuid.nullable(),
  noticeNo: z.string().nullable(),
  /** What the actor may do next (the server still checks each). */
  can: z.object({
    notify: z.boolean(),
    start: z.boolean(),
    submit: z.boolean(),
    verify: z.boolean(),
    extend: z.boolean(),
  }),
});
export type Finding = z.infer<typeof Finding>;

export const FindingDetail = Finding.extend({
  measures: z.string().nullable(),
  interimControls: z.string().nullable(),
  events: z.array(FindingEvent),
  files: z.array(StoredFile),
});
export type FindingDetail = z.infer<typeof FindingDetail>;

export const FindingCreate = z.strictObject({
  unitId: uuid,
  source: z.enum(['manual', 'self_check']).default('manual'),
  category: z.enum(FINDING_CATEGORIES),
  subcategory: freeText(60).optional(),
  severity: z.enum(FINDING_SEVERITIES).default('general'),
  title: text(120),
  description: multilineText(2000).optional(),
  location: freeText(200).optional(),
  basis: freeText(500).optional(),
  deadline: date,
  gridId: uuid.optional(),
  fileIds: fileIds.optional(),
  /** Issue the rectification notice at once (otherwise the finding waits as 待下发). */
  notify: z.boolean().default(true),
  /** 立行立改: put right on the spot; the finding is recorded already closed. */
  rectifiedOnSite: z.boolean().default(false),
});
export type FindingCreate = z.input<typeof FindingCreate>;

export const FindingListQuery = z.strictObject({
  /** A unit whose subtree to list (default: everything in scope). */
  under: uuid.optional(),
  status: z.enum(FINDING_STATUSES).optional(),
  /** open = not closed. */
  state: z.enum(['open', 'closed', 'overdue', 'escalated']).optional(),
  source: z.enum(FINDING_SOURCES).optional(),
  category: z.enum(FINDING_CATEGORIES).optional(),
  severity: z.enum(FINDING_SEVERITIES).optional(),
  sourceType: z.string().trim().max(40).optional(),
  sourceId: z.string().trim().max(64).optional(),
  noticeId: uuid.optional(),
  from: date.optional(),
  to: date.optional(),
  q: z.string().trim().max(64).optional(),
  ...pageQuery,
});
export type FindingListQuery = z.input<typeof FindingListQuery>;
export const FindingPage = pageOf(Finding);
export type FindingPage = z.infer<typeof FindingPage>;

export const FindingExportQuery = FindingListQuery.omit({ page: true, pageSize: true }).extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});

export const FindingStart = z.strictObject({
  measures: text(2000),
  /** 临时管控措施: required for 重大 hazards until they are put right. */
  interimControls: multilineText(1000).optional(),
});
export const FindingSubmit = z.strictObject({
  report: text(4000),
  completedOn: date,
  fileIds: fileIds.optional(),
});
export const FindingVerify = z.strictObject({ note: multilineText(1000).optional() });
export const FindingReturn = z.strictObject({ reason: text(1000) });
export const FindingExtend = z.strictObject({ deadline: date, reason: text(500) });
export const FindingComment = z.strictObject({ note: text(1000), fileIds: fileIds.optional() });

// ---------- rectification notices (整改通知书) ----------

export const NoticeCreate = z.strictObject({
  /** Findings of one responsible unit, each still 待下发. */
  findingIds: z.array(uuid).min(1).max(200),
  /** Overrides the findings' deadlines (otherwise the latest of them is printed). */
  deadline: date.optional(),
  note: multilineText(1000).optional(),
});

export const Notice = z.object({
  id: uuid,
  /** e.g. 铁西区教育局整改通知〔2026〕第3号 */
  no: z.string(),
  issuedOn: date,
  deadline: date,
  issuer: z.object({ id: uuid, name: z.string() }),
  recipient: z.object({ id: uuid, name: z.string(), code: z.string(), principal: z.string().nullable() }),
  note: z.string().nullable(),
  items: z.array(
    z.object({
      findingId: uuid,
      no: z.string(),
      category: z.enum(FINDING_CATEGORIES),
      severity: z.enum(FINDING_SEVERITIES),
      title: z.string(),
      description: z.string().nullable(),
      location: z.string().nullable(),
      basis: z.string().nullable(),
      deadline: date,
      status: z.enum(FINDING_STATUSES),
    }),
  ),
});
export type Notice = z.infer<typeof Notice>;

// ---------- statistics ----------

export const FindingStatsQuery = z.strictObject({
  under: uuid.optional(),
  from: date.optional(),
  to: date.optional(),
  source: z.enum(FINDING_SOURCES).optional(),
  category: z.enum(FINDING_CATEGORIES).optional(),
  severity: z.enum(FINDING_SEVERITIES).optional(),
});
export type FindingStatsQuery = z.input<typeof FindingStatsQuery>;

export const FindingCounts = z.object({
  found: z.number().int(),
  rectified: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  /** rectified / found, 0–1 (null when nothing was found). */
  rate: z.number().nullable(),
});
export type FindingCounts = z.infer<typeof FindingCounts>;

export const FindingStats = FindingCounts.extend({
  /** 发现隐患X处，已整改Y处，整改率Z% — made from the counts above. */
  sentence: z.object({ zh: z.string(), en: z.string() }),
  byCategory: z.array(FindingCounts.extend({ category: z.enum(FINDING_CATEGORIES) })),
  bySource: z.array(FindingCounts.extend({ source: z.enum(FINDING_SOURCES) })),
  bySeverity: z.array(FindingCounts.extend({ severity: z.enum(FINDING_SEVERITIES) })),
  /** One row per child of the scope's root unit (counties under the city, schools under a county). */
  byUnit: z.array(FindingCounts.extend({ unitId: uuid, unitName: z.string() })),
});
export type FindingStats = z.infer<typeof FindingStats>;

// ---------- notifications (platform/notifications) ----------

export const Notification = z.object({
  id: uuid,
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof Notification>;
export const NotificationList = z.object({ items: z.array(Notification), unread: z.number().int() });
export type NotificationList = z.infer<typeof NotificationList>;
