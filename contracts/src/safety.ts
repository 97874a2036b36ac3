/**
 * School safety (平安校园): checklist templates (versioned), campaigns (专项整治) with inspection groups,
 * inspections (campaign visits, other visits, monthly self-inspections), and safety grids (网格). Failed items
 * become findings in the ledger (findings.ts); nothing here counts findings itself.
 */
import { z } from 'zod';
import { freeText, pageOf, pageQuery, phone, plainName, uuid } from './common.ts';
import { FINDING_SEVERITIES, findingCategoryLabels, type FindingCategory } from './findings.ts';

/** The checklist areas: the safety categories of the findings ledger. */
export const SAFETY_AREAS = [
  'fire',
  'food',
  'building',
  'traffic',
  'drowning',
  'chemicals',
  'bullying',
  'surroundings',
  'security',
  'other',
] as const satisfies readonly FindingCategory[];
export type SafetyArea = (typeof SAFETY_AREAS)[number];
export const safetyAreaLabels = Object.fromEntries(
  SAFETY_AREAS.map((a) => [a, findingCategoryLabels[a]]),
) as Record<SafetyArea, { zh: string; en: string }>;

export const INSPECTION_KINDS = ['campaign', 'visit', 'self_check'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];
export const inspectionKindLabels = {
  campaign: { zh: '专项检查', en: 'Campaign visit' },
  visit: { zh: '日常检查', en: 'Routine visit' },
  self_check: { zh: '月度自查', en: 'Monthly self-inspection' },
} satisfies Record<InspectionKind, { zh: string; en: string }>;

export const ITEM_RESULTS = ['pass', 'fail', 'na'] as const;
export type ItemResult = (typeof ITEM_RESULTS)[number];
export const itemResultLabels = {
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
  na: { zh: '不适用', en: 'N/A' },
} satisfies Record<ItemResult, { zh: string; en: string }>;

export const campaignStatusLabels = {
  planned: { zh: '未开始', en: 'Planned' },
  active: { zh: '进行中', en: 'Active' },
  ended: { zh: '已结束', en: 'Ended' },
} satisfies Record<'planned' | 'active' | 'ended', { zh: string; en: string }>;

const date = z.iso.date();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'MONTH' });
const text = (max: number) => freeText(max).pipe(z.string().min(1));
const severity = z.enum(FINDING_SEVERITIES);
const counts = z.object({
  found: z.number().int(),
  rectified: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  rate: z.number().nullable(),
});

// ---------- checklist templates ----------

export const ChecklistItemInput = z.strictObject({
  area: z.enum(SAFETY_AREAS),
  text: text(300),
  /** e.g. 《中小学幼儿园安全管理办法》第十四条 */
  basis: freeText(300).optional(),
  defaultSeverity: severity.default('general'),
});
export type ChecklistItemInput = z.input<typeof ChecklistItemInput>;

export const ChecklistItem = z.object({
  id: uuid,
  seq: z.number().int(),
  area: z.enum(SAFETY_AREAS),
  text: z.string(),
  basis: z.string().nullable(),
  defaultSeverity: severity,
});
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const TemplateCreate = z.strictObject({
  /** The bureau that maintains it (city or county). */
  ownerUnitId: uuid,
  name: text(80),
  description: freeText(500).optional(),
  items: z.array(ChecklistItemInput).min(1).max(300),
  /** Publish version 1 at once (otherwise it stays a draft). */
  publish: z.boolean().default(false),
});
export type TemplateCreate = z.input<typeof TemplateCreate>;

/** Editing a published template drafts the next version; a draft is edited in place. */
export const TemplateUpdate = z.strictObject({
  name: text(80).optional(),
  description: freeText(500).nullable().optional(),
  items: z.array(ChecklistItemInput).min(1).max(300).optional(),
});
export type TemplateUpdate = z.input<typeof TemplateUpdate>;

export const TemplatePublish = z.strictObject({ note: freeText(300).optional() });

export const TemplateVersionInfo = z.object({
  id: uuid,
  version: z.number().int(),
  status: z.enum(['draft', 'published']),
  note: z.string().nullable(),
  publishedAt: z.string().nullable(),
  itemCount: z.number().int(),
  /** Inspections and campaigns that use it (a used version is kept as it is). */
  inspections: z.number().int(),
  campaigns: z.number().int(),
});
export type TemplateVersionInfo = z.infer<typeof TemplateVersionInfo>;

export const Template = z.object({
  id: uuid,
  ownerUnitId: uuid,
  ownerUnitName: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  /** The latest published version (what new inspections use), if any. */
  current: TemplateVersionInfo.nullable(),
  /** A draft of the next version, if one is being edited. */
  draft: TemplateVersionInfo.nullable(),
  canEdit: z.boolean(),
});
export type Template = z.infer<typeof Template>;

export const TemplateDetail = Template.extend({
  versions: z.array(TemplateVersionInfo),
  /** The version shown (?version=N, else the draft, else the current one) and its items. */
  shown: TemplateVersionInfo,
  items: z.array(ChecklistItem),
});
export type TemplateDetail = z.infer<typeof TemplateDetail>;

export const TemplateQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

/** A published checklist as an inspection form uses it. */
export const Checklist = z.object({
  versionId: uuid,
  templateId: uuid,
  name: z.string(),
  version: z.number().int(),
  ownerUnitName: z.string(),
  items: z.array(ChecklistItem),
});
export type Checklist = z.infer<typeof Checklist>;

// ---------- campaigns and inspection groups ----------

export const GroupInput = z.strictObject({
  name: text(40),
  leader: plainName(32),
  members: z.array(plainName(32)).max(60).default([]),
  /** People in the group; at least the leader and the named members (default: exactly those). */
  people: z.number().int().min(1).max(200).optional(),
});
export type GroupInput = z.input<typeof GroupInput>;
export const GroupUpdate = GroupInput.partial();

export const CampaignGroup = z.object({
  id: uuid,
  name: z.string(),
  leader: z.string(),
  members: z.array(z.string()),
  people: z.number().int(),
  visits: z.number().int(),
});
export type CampaignGroup = z.infer<typeof CampaignGroup>;

export const CampaignCreate = z.strictObject({
  ownerUnitId: uuid,
  /** The county or city whose schools it covers (default: the owner's). */
  scopeUnitId: uuid.optional(),
  name: text(100),
  description: freeText(2000).optional(),
  startsOn: date,
  endsOn: date,
  /** A published checklist version (the campaign keeps it). */
  templateVersionId: uuid,
  groups: z.array(GroupInput).max(200).default([]),
});
export type CampaignCreate = z.input<typeof CampaignCreate>;

export const CampaignUpdate = z.strictObject({
  name: text(100).optional(),
  description: freeText(2000).nullable().optional(),
  startsOn: date.optional(),
  endsOn: date.optional(),
  /** Only while no inspection has used the campaign. */
  templateVersionId: uuid.optional(),
});
export type CampaignUpdate = z.input<typeof CampaignUpdate>;

export const Campaign = z.object({
  id: uuid,
  ownerUnitId: uuid,
  ownerUnitName: z.string(),
  scopeUnitId: uuid,
  scopeUnitName: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  startsOn: date,
  endsOn: date,
  status: z.enum(['planned', 'active', 'ended']),
  templateId: uuid,
  templateVersionId: uuid,
  templateName: z.string(),
  templateVersion: z.number().int(),
  groups: z.array(CampaignGroup),
  inspections: z.number().int(),
  canEdit: z.boolean(),
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignListQuery = z.strictObject({
  status: z.enum(['planned', 'active', 'ended']).optional(),
  q: z.string().trim().max(64).optional(),
  ...pageQuery,
});
export type CampaignListQuery = z.input<typeof CampaignListQuery>;
export const CampaignPage = pageOf(Campaign);
export type CampaignPage = z.infer<typeof CampaignPage>;

/** The campaign report (专项整治工作总结的数据): every number of findings comes from the ledger. */
export const CampaignReport = z.object({
  campaign: Campaign,
  /** True when the reader sees only part of the campaign's scope (a county of a city-wide campaign). */
  partial: z.boolean(),
  groups: z.number().int(),
  inspections: z.number().int(),
  /** 人次: the sum of the people on each visit. */
  personVisits: z.number().int(),
  schoolsCovered: z.number().int(),
  schoolsInScope: z.number().int(),
  findings: counts,
  byArea: z.array(counts.extend({ area: z.enum(SAFETY_AREAS) })),
  byGroup: z.array(
    z.object({
      groupId: uuid.nullable(),
      name: z.string(),
      visits: z.number().int(),
      personVisits: z.number().int(),
      schools: z.number().int(),
      found: z.number().int(),
    }),
  ),
  byUnit: z.array(
    z.object({
      unitId: uuid,
      name: z.string(),
      schoolsInScope: z.number().int(),
      schoolsCovered: z.number().int(),
      found: z.number().int(),
      rectified: z.number().int(),
    }),
  ),
  /** Schools in scope not yet visited. */
  notCovered: z.array(z.object({ id: uuid, name: z.string(), code: z.string() })),
  /** 出动X个检查组Y人次，对Z所学校开展安全检查，发现隐患N处，已整改M处，整改率R% */
  sentence: z.object({ zh: z.string(), en: z.string() }),
});
export type CampaignReport = z.infer<typeof CampaignReport>;

// ---------- inspections ----------

export const SafetyInspectionItemInput = z.strictObject({
  itemId: uuid,
  result: z.enum(ITEM_RESULTS),
  note: freeText(1000).optional(),
  fileIds: z.array(uuid).max(9).default([]),
  /** Failed items: the finding's severity (default: the item's) and deadline (default +15 days; 重大 +7). */
  severity: severity.optional(),
  deadline: date.optional(),
  /** Failed items: the grid it is in (default: the inspection's) and where exactly. */
  gridId: uuid.optional(),
  location: freeText(200).optional(),
  /** 立行立改: put right on the spot (the finding is recorded closed). */
  rectifiedOnSite: z.boolean().default(false),
});
export type SafetyInspectionItemInput = z.input<typeof SafetyInspectionItemInput>;

/**
 * Saves an inspection as a draft or submits it. `id` is made by the client: sending the same id again (a
 * retry after the network dropped) is the same inspection — a draft is updated, a submitted one returned as is.
 */
export const SafetyInspectionSave = z.strictObject({
  id: uuid,
  kind: z.enum(INSPECTION_KINDS),
  schoolId: uuid,
  campaignId: uuid.optional(),
  groupId: uuid.optional(),
  /** The checklist used (a campaign's is its own and may be left out). */
  templateVersionId: uuid.optional(),
  inspectedOn: date,
  /** Self-inspections: the month it covers (yyyy-mm). */
  month: month.optional(),
  gridId: uuid.optional(),
  people: z.array(plainName(32)).max(60).default([]),
  /** How many took part (default: the named people, or the group's). */
  peopleCount: z.number().int().min(1).max(500).optional(),
  summary: freeText(4000).optional(),
  items: z.array(SafetyInspectionItemInput).max(300).default([]),
  submit: z.boolean().default(false),
});
export type SafetyInspectionSave = z.input<typeof SafetyInspectionSave>;

export const SafetyInspectionItem = ChecklistItem.extend({
  result: z.enum(ITEM_RESULTS).nullable(),
  note: z.string().nullable(),
  fileIds: z.array(uuid),
  severity: severity.nullable(),
  deadline: date.nullable(),
  gridId: uuid.nullable(),
  location: z.string().nullable(),
  rectifiedOnSite: z.boolean(),
  findingId: uuid.nullable(),
});
export type SafetyInspectionItem = z.infer<typeof SafetyInspectionItem>;

export const SafetyInspection = z.object({
  id: uuid,
  kind: z.enum(INSPECTION_KINDS),
  status: z.enum(['draft', 'submitted']),
  schoolId: uuid,
  schoolName: z.string(),
  schoolCode: z.string(),
  campaignId: uuid.nullable(),
  campaignName: z.string().nullable(),
  groupId: uuid.nullable(),
  groupName: z.string().nullable(),
  templateVersionId: uuid,
  templateName: z.string(),
  templateVersion: z.number().int(),
  inspectedOn: date,
  month: z.string().nullable(),
  gridId: uuid.nullable(),
  gridName: z.string().nullable(),
  people: z.array(z.string()),
  peopleCount: z.number().int(),
  summary: z.string().nullable(),
  createdByName: z.string().nullable(),
  submittedAt: z.string().nullable(),
  passed: z.number().int(),
  failed: z.number().int(),
  na: z.number().int(),
  /** From the ledger (submitted inspections). */
  findings: counts.nullable(),
});
export type SafetyInspection = z.infer<typeof SafetyInspection>;

export const SafetyInspectionDetail = SafetyInspection.extend({
  items: z.array(SafetyInspectionItem),
  noticeIds: z.array(uuid),
  canEdit: z.boolean(),
});
export type SafetyInspectionDetail = z.infer<typeof SafetyInspectionDetail>;

export const SafetyInspectionListQuery = z.strictObject({
  /** A unit whose schools to list (default: everything in scope). */
  under: uuid.optional(),
  schoolId: uuid.optional(),
  campaignId: uuid.optional(),
  kind: z.enum(INSPECTION_KINDS).optional(),
  status: z.enum(['draft', 'submitted']).optional(),
  month: month.optional(),
  ...pageQuery,
});
export type SafetyInspectionListQuery = z.input<typeof SafetyInspectionListQuery>;
export const SafetyInspectionPage = pageOf(SafetyInspection);
export type SafetyInspectionPage = z.infer<typeof SafetyInspectionPage>;

// ---------- safety grids ----------

export const GridInput = z.strictObject({
  schoolId: uuid,
  name: text(60),
  /** The area it covers: 教学楼一层东侧、食堂后厨 … */
  location: freeText(200).optional(),
  personName: plainName(32).optional(),
  personPhone: phone.optional(),
  /** An account at the school: notified of findings in the grid. */
  userId: uuid.optional(),
  seq: z.number().int().min(0).max(10000).optional(),
});
export type GridInput = z.input<typeof GridInput>;
export const GridUpdate = z.strictObject({
  name: text(60).optional(),
  location: freeText(200).nullable().optional(),
  personName: plainName(32).nullable().optional(),
  personPhone: phone.nullable().optional(),
  userId: uuid.nullable().optional(),
  seq: z.number().int().min(0).max(10000).optional(),
});
export type GridUpdate = z.input<typeof GridUpdate>;

export const Grid = z.object({
  id: uuid,
  schoolId: uuid,
  name: z.string(),
  location: z.string().nullable(),
  personName: z.string().nullable(),
  personPhone: z.string().nullable(),
  userId: uuid.nullable(),
  userName: z.string().nullable(),
  seq: z.number().int(),
  /** Open findings in it (from the ledger). */
  openFindings: z.number().int(),
});
export type Grid = z.infer<typeof Grid>;
export const GridList = z.object({ items: z.array(Grid), canEdit: z.boolean() });
export type GridList = z.infer<typeof GridList>;

const coverageCounts = {
  schools: z.number().int(),
  schoolsWithGrids: z.number().int(),
  grids: z.number().int(),
  /** Grids with a named responsible person. */
  staffed: z.number().int(),
  /** staffed / grids, 0–1 (null without grids). */
  coverage: z.number().nullable(),
};
export const GridCoverage = z.object({
  unitId: uuid,
  unitName: z.string(),
  totals: z.object(coverageCounts),
  byUnit: z.array(z.object({ unitId: uuid, name: z.string(), ...coverageCounts })),
  schools: z.array(
    z.object({
      unitId: uuid,
      name: z.string(),
      code: z.string(),
      parentName: z.string(),
      grids: z.number().int(),
      staffed: z.number().int(),
      coverage: z.number().nullable(),
    }),
  ),
});
export type GridCoverage = z.infer<typeof GridCoverage>;
export const UnderQuery = z.strictObject({ under: uuid.optional() });

// ---------- monthly self-inspection ----------

export const SelfCheckStatusQuery = z.strictObject({ month, under: uuid.optional() });
export const SelfCheckRemind = z.strictObject({ month, under: uuid.optional() });

export const SelfCheckStatus = z.object({
  month: z.string(),
  unitId: uuid,
  unitName: z.string(),
  totals: z.object({
    schools: z.number().int(),
    submitted: z.number().int(),
    drafts: z.number().int(),
    missing: z.number().int(),
    rate: z.number().nullable(),
  }),
  byUnit: z.array(
    z.object({
      unitId: uuid,
      name: z.string(),
      schools: z.number().int(),
      submitted: z.number().int(),
      drafts: z.number().int(),
      missing: z.number().int(),
      rate: z.number().nullable(),
    }),
  ),
  schools: z.array(
    z.object({
      unitId: uuid,
      name: z.string(),
      code: z.string(),
      parentName: z.string(),
      status: z.enum(['submitted', 'draft', 'missing']),
      inspectionId: uuid.nullable(),
      inspectedOn: date.nullable(),
      failed: z.number().int(),
    }),
  ),
});
export type SelfCheckStatus = z.infer<typeof SelfCheckStatus>;

// ---------- what the inspection form needs for a school ----------

export const InspectOptionsQuery = z.strictObject({ schoolId: uuid });
export const InspectOptions = z.object({
  school: z.object({ id: uuid, name: z.string(), code: z.string() }),
  /** Campaigns whose scope covers the school and whose period has not ended. */
  campaigns: z.array(
    z.object({
      id: uuid,
      name: z.string(),
      startsOn: date,
      endsOn: date,
      templateVersionId: uuid,
      groups: z.array(CampaignGroup),
    }),
  ),
  /** The published checklists the school's bureaus maintain, and the campaigns'. */
  checklists: z.array(Checklist),
  grids: z.array(Grid),
  /** Whether the actor may record the school's monthly self-inspection. */
  canSelfCheck: z.boolean(),
  /** This month's self-inspection, if any (and its status). */
  selfCheck: z
    .object({ month: z.string(), inspectionId: uuid, status: z.enum(['draft', 'submitted']) })
    .nullable(),
});
export type InspectOptions = z.infer<typeof InspectOptions>;
