/**
 * 群众诉求: the complaints desk shared by all of the bureau's complaints (the public form, hotline entries,
 * 12345 transfers, letters and visits, 舆情), their routing, replies, the complainant's satisfaction, and
 * statistics; plus the public portal's complaint form and tracking page.
 */
import { z } from 'zod';
import { FINDING_CATEGORIES, FINDING_SEVERITIES } from './findings.ts';
import { freeText, multilineText, pageOf, pageQuery, phone, plainName, uuid } from './common.ts';

export const COMPLAINT_CHANNELS = ['web', 'phone', 'hotline12345', 'petition', 'opinion'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const complaintChannelLabels = {
  web: { zh: '网上投诉', en: 'Online form' },
  phone: { zh: '电话', en: 'Telephone' },
  hotline12345: { zh: '12345转办', en: '12345 hotline' },
  petition: { zh: '信访', en: 'Letters and visits' },
  opinion: { zh: '舆情', en: 'Public opinion' },
} satisfies Record<ComplaintChannel, { zh: string; en: string }>;

export const COMPLAINT_CATEGORIES = [
  'training',
  'fees',
  'ethics',
  'safety',
  'enrolment',
  'aid',
  'burden',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const complaintCategoryLabels = {
  training: { zh: '校外培训', en: 'Off-campus training' },
  fees: { zh: '教育收费', en: 'Fees' },
  ethics: { zh: '师德师风', en: 'Teacher ethics' },
  safety: { zh: '校园安全', en: 'Campus safety' },
  enrolment: { zh: '招生入学', en: 'Admissions' },
  aid: { zh: '学生资助', en: 'Student aid' },
  burden: { zh: '作业与课后服务', en: 'Homework and after-school care' },
  other: { zh: '其他', en: 'Other' },
} satisfies Record<ComplaintCategory, { zh: string; en: string }>;

/**
 * received (待分派, at the desk) → routed (已转办, the responsible unit has it) → accepted (办理中) →
 * replied (已答复, awaiting the complainant's opinion) → closed (已办结). Dissatisfaction reopens a replied
 * or closed complaint (back to 办理中 with a new time limit); a duplicate is merged into another.
 */
export const COMPLAINT_STATUSES = ['received', 'routed', 'accepted', 'replied', 'closed', 'merged'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const complaintStatusLabels = {
  received: { zh: '待分派', en: 'Received' },
  routed: { zh: '已转办', en: 'Routed' },
  accepted: { zh: '办理中', en: 'In progress' },
  replied: { zh: '已答复', en: 'Replied' },
  closed: { zh: '已办结', en: 'Closed' },
  merged: { zh: '已合并', en: 'Merged' },
} satisfies Record<ComplaintStatus, { zh: string; en: string }>;

export const SATISFACTIONS = ['satisfied', 'basic', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];
export const satisfactionLabels = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basic: { zh: '基本满意', en: 'Fairly satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
} satisfies Record<Satisfaction, { zh: string; en: string }>;

export const COMPLAINT_EVENT_KINDS = [
  'receive',
  'route',
  'accept',
  'return',
  'reply',
  'rate',
  'reopen',
  'close',
  'merge',
  'escalate',
  'finding',
  'note',
  'reveal',
] as const;
export type ComplaintEventKind = (typeof COMPLAINT_EVENT_KINDS)[number];
export const complaintEventLabels = {
  receive: { zh: '受理登记', en: 'Received' },
  route: { zh: '转办责任单位', en: 'Routed' },
  accept: { zh: '签收办理', en: 'Accepted' },
  return: { zh: '退回分派', en: 'Returned to the desk' },
  reply: { zh: '答复', en: 'Replied' },
  rate: { zh: '满意度评价', en: 'Rated' },
  reopen: { zh: '不满意重办', en: 'Reopened' },
  close: { zh: '办结', en: 'Closed' },
  merge: { zh: '重复件合并', en: 'Merged' },
  escalate: { zh: '逾期提级督办', en: 'Escalated' },
  finding: { zh: '转问题台账', en: 'Finding raised' },
  note: { zh: '内部备注', en: 'Internal note' },
  reveal: { zh: '查看联系电话', en: 'Phone revealed' },
} satisfies Record<ComplaintEventKind, { zh: string; en: string }>;

/** A 12345 work-order number as the hotline prints it. */
export const hotlineNo = z
  .string()
  .trim()
  .min(4)
  .max(40)
  .regex(/^[0-9A-Za-z-]+$/, { message: 'HOTLINE_NO' });

export const ComplaintEvent = z.object({
  id: uuid,
  kind: z.enum(COMPLAINT_EVENT_KINDS),
  at: z.string(),
  actorName: z.string().nullable(),
  unitName: z.string().nullable(),
  note: z.string().nullable(),
  public: z.boolean(),
});
export type ComplaintEvent = z.infer<typeof ComplaintEvent>;

export const ComplaintSummary = z.object({
  id: uuid,
  trackingNo: z.string(),
  hotlineNo: z.string().nullable(),
  channel: z.enum(COMPLAINT_CHANNELS),
  category: z.enum(COMPLAINT_CATEGORIES),
  status: z.enum(COMPLAINT_STATUSES),
  title: z.string(),
  subjectName: z.string().nullable(),
  unitId: uuid,
  unitName: z.string(),
  receivedOn: z.string(),
  deadline: z.string(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  repliedOn: z.string().nullable(),
  satisfaction: z.enum(SATISFACTIONS).nullable(),
  reopenCount: z.number().int(),
  phoneMasked: z.string().nullable(),
});
export type ComplaintSummary = z.infer<typeof ComplaintSummary>;

export const ComplaintDetail = ComplaintSummary.extend({
  content: z.string(),
  deskUnitId: uuid,
  deskUnitName: z.string(),
  schoolId: uuid.nullable(),
  institutionId: uuid.nullable(),
  complainantMasked: z.string().nullable(),
  reply: z.string().nullable(),
  satisfactionNote: z.string().nullable(),
  mergedIntoId: uuid.nullable(),
  duplicates: z.array(z.object({ id: uuid, trackingNo: z.string(), receivedOn: z.string() })),
  findingIds: z.array(uuid),
  files: z.array(z.object({ id: uuid, name: z.string(), contentType: z.string(), size: z.number() })),
  timeline: z.array(ComplaintEvent),
  /** What the actor may do now (the server still checks each). */
  can: z.object({
    route: z.boolean(),
    accept: z.boolean(),
    reply: z.boolean(),
    returnToDesk: z.boolean(),
    close: z.boolean(),
    merge: z.boolean(),
    raiseFinding: z.boolean(),
    revealPhone: z.boolean(),
  }),
});
export type ComplaintDetail = z.infer<typeof ComplaintDetail>;

/** Staff entry: a hotline call typed in, a letter or visit, an opinion item. */
export const ComplaintCreate = z.strictObject({
  /** The desk (a bureau) that registers it. */
  unitId: uuid,
  channel: z.enum(COMPLAINT_CHANNELS),
  category: z.enum(COMPLAINT_CATEGORIES),
  title: freeText(100).pipe(z.string().min(2)),
  content: multilineText(4000).pipe(z.string().min(5)),
  schoolId: uuid.optional(),
  institutionId: uuid.optional(),
  subjectName: freeText(100).optional(),
  complainantName: plainName(32).optional(),
  phone: phone.optional(),
  hotlineNo: hotlineNo.optional(),
  receivedOn: z.iso.date().optional(),
  /** Route at once to this unit. */
  routeTo: uuid.optional(),
  fileIds: z.array(uuid).max(6).optional(),
});
export type ComplaintCreate = z.infer<typeof ComplaintCreate>;

/** A 12345 work order sent by the hotline's system (API token) — the same fields as an import row. */
export const HotlineTransfer = z.strictObject({
  unitId: uuid,
  workOrderNo: hotlineNo,
  receivedOn: z.iso.date(),
  category: z.enum(COMPLAINT_CATEGORIES).optional(),
  categoryText: freeText(40).optional(),
  title: freeText(100).optional(),
  content: multilineText(4000).pipe(z.string().min(2)),
  subjectName: freeText(100).optional(),
  complainantName: plainName(32).optional(),
  phone: phone.optional(),
});
export type HotlineTransfer = z.infer<typeof HotlineTransfer>;
export const HotlineTransferResult = z.object({
  id: uuid,
  trackingNo: z.string(),
  duplicate: z.boolean(),
});

export const HotlineImportResult = z.object({
  rows: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.array(z.object({ row: z.number().int(), workOrderNo: z.string() })),
  errors: z.array(z.object({ row: z.number().int(), column: z.string().nullable(), message: z.string() })),
});
export type HotlineImportResult = z.infer<typeof HotlineImportResult>;

export const ComplaintListQuery = z.strictObject({
  under: uuid.optional(),
  status: z.enum(COMPLAINT_STATUSES).optional(),
  /**
   * received: every complaint the statistics count (merged duplicates left out); open: not replied yet;
   * overdue; inTime / late: replied on or before / after the deadline; rated, satisfied.
   */
  state: z
    .enum(['received', 'open', 'overdue', 'escalated', 'inTime', 'late', 'closed', 'rated', 'satisfied'])
    .optional(),
  channel: z.enum(COMPLAINT_CHANNELS).optional(),
  category: z.enum(COMPLAINT_CATEGORIES).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  q: z.string().trim().max(64).optional(),
  ...pageQuery,
});
export type ComplaintListQuery = z.infer<typeof ComplaintListQuery>;
export const ComplaintPage = pageOf(ComplaintSummary);
export type ComplaintPage = z.infer<typeof ComplaintPage>;

/** The list's filters; `reveal=true` shows names and phones in full where the caller may see them (audited). */
export const ComplaintExportQuery = ComplaintListQuery.omit({ page: true, pageSize: true }).extend({
  reveal: z.stringbool().optional(),
});
export type ComplaintExportQuery = z.infer<typeof ComplaintExportQuery>;

export const ComplaintRoute = z.strictObject({ unitId: uuid, note: freeText(300).optional() });
export const ComplaintReply = z.strictObject({ reply: multilineText(4000).pipe(z.string().min(5)) });
export const ComplaintNote = z.strictObject({ note: freeText(500).pipe(z.string().min(1)) });
export const ComplaintOptionalNote = z.strictObject({ note: freeText(500).optional() });
export const ComplaintMerge = z.strictObject({ intoId: uuid, note: freeText(300).optional() });
export const ComplaintFinding = z.strictObject({
  category: z.enum(FINDING_CATEGORIES).optional(),
  severity: z.enum(FINDING_SEVERITIES),
  title: freeText(100).pipe(z.string().min(2)),
  deadline: z.iso.date().optional(),
});
export const ComplaintReveal = z.object({
  phone: z.string().nullable(),
  complainantName: z.string().nullable(),
});

export const ComplaintSettings = z.object({
  unitId: uuid,
  replyDays: z.number().int().min(1).max(60),
  /** Whether the value is this unit's own (false: inherited or the default). */
  own: z.boolean(),
});
export const ComplaintSettingsUpdate = z.strictObject({
  unitId: uuid,
  replyDays: z.number().int().min(1).max(60),
});

// ---------- statistics ----------

export const ComplaintCounts = z.object({
  received: z.number().int(),
  replied: z.number().int(),
  inTime: z.number().int(),
  closed: z.number().int(),
  overdue: z.number().int(),
  rated: z.number().int(),
  satisfied: z.number().int(),
  /** closed / received, in % (one decimal); null when nothing was received. */
  closeRate: z.number().nullable(),
  /** inTime / replied, in %. */
  inTimeRate: z.number().nullable(),
  /** (满意 + 基本满意) / rated, in %. */
  satisfactionRate: z.number().nullable(),
});
export type ComplaintCounts = z.infer<typeof ComplaintCounts>;

export const ComplaintStatsQuery = z.strictObject({
  under: uuid.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type ComplaintStatsQuery = z.infer<typeof ComplaintStatsQuery>;
export const ComplaintStats = z.object({
  total: ComplaintCounts,
  sentence: z.string(),
  byCategory: z.array(ComplaintCounts.extend({ category: z.enum(COMPLAINT_CATEGORIES) })),
  byChannel: z.array(ComplaintCounts.extend({ channel: z.enum(COMPLAINT_CHANNELS) })),
  byUnit: z.array(ComplaintCounts.extend({ unitId: uuid, name: z.string() })),
  byMonth: z.array(ComplaintCounts.extend({ month: z.string() })),
});
export type ComplaintStats = z.infer<typeof ComplaintStats>;

// ---------- public portal ----------

export const Captcha = z.object({ token: z.string(), svg: z.string(), expiresInSeconds: z.number().int() });
export type Captcha = z.infer<typeof Captcha>;

export const PublicComplaintTarget = z.object({
  id: uuid,
  name: z.string(),
  kind: z.enum(['county_bureau', 'school']),
  countyName: z.string().nullable(),
});
export type PublicComplaintTarget = z.infer<typeof PublicComplaintTarget>;
export const PublicTargetQuery = z.strictObject({ q: z.string().trim().min(1).max(40) });

export const PublicComplaintSubmit = z.strictObject({
  category: z.enum(COMPLAINT_CATEGORIES),
  /** A school or county bureau from the public list. */
  unitId: uuid.optional(),
  /** A training institution from the public institution search. */
  institutionId: uuid.optional(),
  /** The institution or school as the complainant writes it (when not picked from a list). */
  subjectName: freeText(100).optional(),
  title: freeText(100).pipe(z.string().min(2)),
  content: multilineText(2000).pipe(z.string().min(10)),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, { message: 'PHONE' }),
  name: plainName(32).optional(),
  photoId: uuid.optional(),
  captchaToken: z.string().max(400),
  captchaAnswer: z.string().trim().max(8),
  /** Honeypot: a field people never see; a bot fills it. */
  website: z.string().max(200).optional(),
});
export type PublicComplaintSubmit = z.infer<typeof PublicComplaintSubmit>;
export const PublicComplaintReceipt = z.object({ trackingNo: z.string(), deadline: z.string() });
export type PublicComplaintReceipt = z.infer<typeof PublicComplaintReceipt>;

export const PublicTrackRequest = z.strictObject({
  trackingNo: z.string().trim().toUpperCase().max(32),
  phoneLast4: z
    .string()
    .trim()
    .regex(/^\d{4}$/),
});
export type PublicTrackRequest = z.infer<typeof PublicTrackRequest>;

/** What a complainant sees: no personal data, no internal notes, no staff names. */
export const PublicComplaintView = z.object({
  trackingNo: z.string(),
  category: z.enum(COMPLAINT_CATEGORIES),
  title: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  receivedOn: z.string(),
  deadline: z.string(),
  unitName: z.string().nullable(),
  reply: z.string().nullable(),
  repliedOn: z.string().nullable(),
  satisfaction: z.enum(SATISFACTIONS).nullable(),
  canRate: z.boolean(),
  merged: z.boolean(),
  timeline: z.array(z.object({ kind: z.enum(COMPLAINT_EVENT_KINDS), at: z.string(), text: z.string() })),
});
export type PublicComplaintView = z.infer<typeof PublicComplaintView>;

export const PublicRateRequest = PublicTrackRequest.extend({
  satisfaction: z.enum(SATISFACTIONS),
  note: freeText(300).optional(),
});
export type PublicRateRequest = z.infer<typeof PublicRateRequest>;
