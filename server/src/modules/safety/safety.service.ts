/**
 * School safety: checklist templates (versioned), campaigns (专项整治) and their groups, the campaign report.
 * Inspections are in safety.inspections.service.ts, grids and the self-inspection status in
 * safety.grids.service.ts.
 */
import type { CampaignCreate, CampaignListQuery, GroupInput, TemplateCreate } from '@dudao/contracts';
import {
  SAFETY_AREAS,
  type Campaign,
  type CampaignGroup,
  type CampaignPage,
  type CampaignReport,
  type CampaignUpdate,
  type ChecklistItem,
  type SafetyArea,
  type Template,
  type TemplateDetail,
  type TemplateVersionInfo,
} from '@dudao/contracts';
import type { Transaction } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { findingCountsBySource } from '../findings/findings.stats.js';
import { safetyPolicy } from './safety.policy.js';
import * as repo from './safety.repository.js';

const TEMPLATE = { zh: '检查表', en: 'Checklist template' };
const CAMPAIGN = { zh: '专项整治', en: 'Campaign' };
const GROUP = { zh: '检查组', en: 'Inspection group' };
const UNIT = { zh: '单位', en: 'Unit' };

// Local dates (inspections, deadlines, campaign periods) come from the platform's one date helper.
import { chinaToday } from '../../platform/dates.js';

export const rate = (rectified: number, found: number) =>
  found === 0 ? null : Math.round((rectified / found) * 1000) / 1000;
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1).replace(/\.0$/, '')}%`);
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

// ---------- templates ----------

function toVersionInfo(v: repo.VersionRow): TemplateVersionInfo {
  return {
    id: v.id,
    version: v.version,
    status: v.status,
    note: v.note,
    publishedAt: iso(v.published_at),
    itemCount: v.item_count,
    inspections: v.inspections,
    campaigns: v.campaigns,
  };
}

export function toChecklistItem(r: {
  id: string;
  seq: number;
  area: string;
  text: string;
  basis: string | null;
  default_severity: string;
}): ChecklistItem {
  return {
    id: r.id,
    seq: r.seq,
    area: r.area as SafetyArea,
    text: r.text,
    basis: r.basis,
    defaultSeverity: r.default_severity as ChecklistItem['defaultSeverity'],
  };
}

function toTemplate(actor: Actor, t: repo.TemplateRow, versions: repo.VersionRow[]): Template {
  const current = versions.find((v) => v.status === 'published');
  const draft = versions.find((v) => v.status === 'draft');
  return {
    id: t.id,
    ownerUnitId: t.owner_unit_id,
    ownerUnitName: t.owner_name,
    name: t.name,
    description: t.description,
    current: current ? toVersionInfo(current) : null,
    draft: draft ? toVersionInfo(draft) : null,
    canEdit: safetyPolicy.canEditTemplate(actor, t),
  };
}

/** The templates the actor's bureaus maintain or inherit (a county: the city's and its own). */
export async function listTemplates(ctx: AppContext, actor: Actor): Promise<Template[]> {
  const rows = await repo.listTemplates(ctx.db, actor);
  const versions = await repo.templateVersions(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    toTemplate(
      actor,
      r,
      versions.filter((v) => v.template_id === r.id),
    ),
  );
}

export async function getTemplate(
  ctx: AppContext,
  actor: Actor,
  id: string,
  version?: number,
): Promise<TemplateDetail> {
  const t = await repo.findTemplate(ctx.db, actor, id);
  if (!t) throw notFound(TEMPLATE);
  const versions = await repo.templateVersions(ctx.db, [id]);
  const shown =
    version !== undefined
      ? versions.find((v) => v.version === version)
      : (versions.find((v) => v.status === 'draft') ?? versions[0]);
  if (!shown) throw notFound({ zh: '检查表版本', en: 'Checklist version' });
  const items = await repo.templateItems(ctx.db, shown.id);
  return {
    ...toTemplate(actor, t, versions),
    versions: versions.map(toVersionInfo),
    shown: toVersionInfo(shown),
    items: items.map(toChecklistItem),
  };
}

async function insertItems(
  trx: Transaction<DB>,
  versionId: string,
  items: z.output<typeof TemplateCreate>['items'],
) {
  await trx
    .insertInto('safety_template_item')
    .values(
      items.map((it, i) => ({
        id: randomUUID(),
        version_id: versionId,
        seq: i + 1,
        area: it.area,
        text: it.text,
        basis: it.basis || null,
        default_severity: it.defaultSeverity,
      })),
    )
    .execute();
}

/** Creates a template at a bureau (version 1, a draft unless `publish`). */
export async function createTemplate(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof TemplateCreate>,
  origin: AuditOrigin,
): Promise<TemplateDetail> {
  const owner = await repo.findUnit(ctx.db, actor, 'safety.manage', input.ownerUnitId);
  if (!owner) throw notFound(UNIT);
  if (owner.kind === 'school')
    throw badRequest('SAFETY_OWNER_NOT_BUREAU', {
      zh: '检查表由市、县区教育局维护',
      en: 'Checklist templates are kept by city or county bureaus',
    });
  const id = randomUUID();
  const versionId = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('safety_template')
      .values({
        id,
        owner_unit_id: owner.id,
        name: input.name,
        description: input.description || null,
        created_by: actor.userId,
      })
      .execute();
    await trx
      .insertInto('safety_template_version')
      .values({
        id: versionId,
        template_id: id,
        version: 1,
        status: input.publish ? 'published' : 'draft',
        note: null,
        published_at: input.publish ? new Date() : null,
        published_by: input.publish ? actor.userId : null,
      })
      .execute();
    await insertItems(trx, versionId, input.items);
    await recordAudit(trx, origin, {
      action: 'safety.template.create',
      objectType: 'safety_template',
      objectId: id,
      unitId: owner.id,
      after: { name: input.name, version: 1, published: input.publish, items: input.items.length },
    });
  });
  return getTemplate(ctx, actor, id);
}

/**
 * Edits a template. A draft version is changed in place; when the latest version is published (and so may be
 * in use), the items go into a new draft version and the published one stays as it was.
 */
export async function updateTemplate(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { name?: string; description?: string | null; items?: z.output<typeof TemplateCreate>['items'] },
  origin: AuditOrigin,
): Promise<TemplateDetail> {
  const t = await repo.findTemplate(ctx.db, actor, id);
  if (!t) throw notFound(TEMPLATE);
  if (!safetyPolicy.canEditTemplate(actor, t)) throw forbidden();
  const versions = await repo.templateVersions(ctx.db, [id]);
  const latest = versions[0]!;
  await ctx.db.transaction().execute(async (trx) => {
    const patch: { name?: string; description?: string | null } = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description || null;
    if (Object.keys(patch).length)
      await trx
        .updateTable('safety_template')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    let version = latest.version;
    if (input.items) {
      if (latest.status === 'draft') {
        await trx.deleteFrom('safety_template_item').where('version_id', '=', latest.id).execute();
        await insertItems(trx, latest.id, input.items);
      } else {
        const vid = randomUUID();
        version = latest.version + 1;
        await trx
          .insertInto('safety_template_version')
          .values({
            id: vid,
            template_id: id,
            version,
            status: 'draft',
            note: null,
            published_at: null,
            published_by: null,
          })
          .execute();
        await insertItems(trx, vid, input.items);
      }
    }
    await recordAudit(trx, origin, {
      action: 'safety.template.update',
      objectType: 'safety_template',
      objectId: id,
      unitId: t.owner_unit_id,
      before: { name: t.name, version: latest.version, status: latest.status },
      after: { ...patch, ...(input.items ? { draftVersion: version, items: input.items.length } : {}) },
    });
  });
  return getTemplate(ctx, actor, id);
}

/** Publishes the draft version: new inspections and campaigns use it; those that used the old one keep it. */
export async function publishTemplate(
  ctx: AppContext,
  actor: Actor,
  id: string,
  note: string | undefined,
  origin: AuditOrigin,
): Promise<TemplateDetail> {
  const t = await repo.findTemplate(ctx.db, actor, id);
  if (!t) throw notFound(TEMPLATE);
  if (!safetyPolicy.canEditTemplate(actor, t)) throw forbidden();
  const draft = (await repo.templateVersions(ctx.db, [id])).find((v) => v.status === 'draft');
  if (!draft)
    throw conflict('SAFETY_NO_DRAFT', {
      zh: '没有待发布的新版本：请先修改检查项',
      en: 'There is no draft version to publish; edit the items first',
    });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('safety_template_version')
      .set({ status: 'published', published_at: new Date(), published_by: actor.userId, note: note || null })
      .where('id', '=', draft.id)
      .where('status', '=', 'draft')
      .execute();
    await recordAudit(trx, origin, {
      action: 'safety.template.publish',
      objectType: 'safety_template',
      objectId: id,
      unitId: t.owner_unit_id,
      after: { version: draft.version, items: draft.item_count, note: note ?? null },
    });
  });
  return getTemplate(ctx, actor, id);
}

// ---------- campaigns ----------

export function campaignStatus(c: { starts_on: string; ends_on: string }, today: string) {
  return c.starts_on > today ? 'planned' : c.ends_on < today ? 'ended' : 'active';
}

export function toGroup(g: {
  id: string;
  name: string;
  leader: string;
  members: string[];
  people: number;
  visits: number;
}): CampaignGroup {
  return { id: g.id, name: g.name, leader: g.leader, members: g.members, people: g.people, visits: g.visits };
}

async function toCampaigns(ctx: AppContext, actor: Actor, rows: repo.CampaignRow[]): Promise<Campaign[]> {
  const groups = await repo.campaignGroups(
    ctx.db,
    rows.map((r) => r.id),
  );
  const today = chinaToday();
  return rows.map((c) => ({
    id: c.id,
    ownerUnitId: c.owner_unit_id,
    ownerUnitName: c.owner_name,
    scopeUnitId: c.scope_unit_id,
    scopeUnitName: c.scope_name,
    name: c.name,
    description: c.description,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    status: campaignStatus(c, today),
    templateId: c.template_id,
    templateVersionId: c.template_version_id,
    templateName: c.template_name,
    templateVersion: c.template_version,
    groups: groups.filter((g) => g.campaign_id === c.id).map(toGroup),
    inspections: c.inspections,
    canEdit: safetyPolicy.canEditCampaign(actor, c),
  }));
}

export async function listCampaigns(
  ctx: AppContext,
  actor: Actor,
  q: z.output<typeof CampaignListQuery>,
): Promise<CampaignPage> {
  const { rows, total } = await repo.listCampaigns(ctx.db, actor, q, chinaToday());
  return { items: await toCampaigns(ctx, actor, rows), total, page: q.page, pageSize: q.pageSize };
}

export async function getCampaign(ctx: AppContext, actor: Actor, id: string): Promise<Campaign> {
  const c = await repo.findCampaign(ctx.db, actor, id);
  if (!c) throw notFound(CAMPAIGN);
  return (await toCampaigns(ctx, actor, [c]))[0]!;
}

/** A published version of a template the owner bureau may use (its own, or one of a bureau above it). */
async function usableVersion(ctx: AppContext, versionId: string, ownerPath: string) {
  const v = await repo.versionById(ctx.db, versionId);
  if (!v || !ownerPath.startsWith(v.owner_path))
    throw notFound({ zh: '检查表版本', en: 'Checklist version' });
  if (v.status !== 'published')
    throw badRequest('SAFETY_VERSION_NOT_PUBLISHED', {
      zh: '只能选用已发布的检查表版本',
      en: 'Only a published checklist version can be used',
    });
  return v;
}

const groupPeople = (g: { leader: string; members: string[]; people?: number | undefined }) => {
  const named = 1 + g.members.length;
  if (g.people !== undefined && g.people < named)
    throw badRequest('SAFETY_GROUP_PEOPLE', {
      zh: '检查组人数不能少于组长和列出的组员人数',
      en: 'A group has at least its leader and the members named',
    });
  return g.people ?? named;
};

export async function createCampaign(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof CampaignCreate>,
  origin: AuditOrigin,
): Promise<Campaign> {
  const owner = await repo.findUnit(ctx.db, actor, 'safety.manage', input.ownerUnitId);
  if (!owner) throw notFound(UNIT);
  if (owner.kind === 'school')
    throw badRequest('SAFETY_OWNER_NOT_BUREAU', {
      zh: '专项整治由市、县区教育局组织',
      en: 'Campaigns are run by city or county bureaus',
    });
  let scope = owner;
  if (input.scopeUnitId && input.scopeUnitId !== owner.id) {
    const s = await repo.findUnit(ctx.db, actor, 'safety.manage', input.scopeUnitId);
    if (!s) throw notFound(UNIT);
    if (s.kind === 'school' || !s.path.startsWith(owner.path))
      throw badRequest('SAFETY_SCOPE_INVALID', {
        zh: '检查范围应为本局或所辖县区',
        en: 'The scope is the owner bureau or a county under it',
      });
    scope = s;
  }
  if (input.endsOn < input.startsOn) throw periodError();
  await usableVersion(ctx, input.templateVersionId, owner.path);
  const names = new Set(input.groups.map((g) => g.name));
  if (names.size !== input.groups.length) throw duplicateGroup();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('safety_campaign')
      .values({
        id,
        owner_unit_id: owner.id,
        scope_unit_id: scope.id,
        name: input.name,
        description: input.description || null,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        template_version_id: input.templateVersionId,
        created_by: actor.userId,
      })
      .execute();
    if (input.groups.length)
      await trx
        .insertInto('safety_campaign_group')
        .values(
          input.groups.map((g) => ({
            id: randomUUID(),
            campaign_id: id,
            name: g.name,
            leader: g.leader,
            members: g.members,
            people: groupPeople(g),
          })),
        )
        .execute();
    await recordAudit(trx, origin, {
      action: 'safety.campaign.create',
      objectType: 'safety_campaign',
      objectId: id,
      unitId: owner.id,
      after: {
        name: input.name,
        scope: scope.name,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        templateVersionId: input.templateVersionId,
        groups: input.groups.length,
      },
    });
  });
  return getCampaign(ctx, actor, id);
}

const periodError = () =>
  badRequest('SAFETY_PERIOD_INVALID', {
    zh: '结束日期不能早于开始日期',
    en: 'The period ends before it starts',
  });
const duplicateGroup = () =>
  conflict('SAFETY_GROUP_NAME_TAKEN', {
    zh: '本次整治已有同名检查组',
    en: 'The campaign already has a group of that name',
  });

async function editableCampaign(ctx: AppContext, actor: Actor, id: string) {
  const c = await repo.findCampaign(ctx.db, actor, id);
  if (!c) throw notFound(CAMPAIGN);
  if (!safetyPolicy.canEditCampaign(actor, c)) throw forbidden();
  return c;
}

export async function updateCampaign(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CampaignUpdate,
  origin: AuditOrigin,
): Promise<Campaign> {
  const c = await editableCampaign(ctx, actor, id);
  const startsOn = input.startsOn ?? c.starts_on;
  const endsOn = input.endsOn ?? c.ends_on;
  if (endsOn < startsOn) throw periodError();
  if (input.templateVersionId && input.templateVersionId !== c.template_version_id) {
    const used = await ctx.db
      .selectFrom('safety_inspection')
      .select('id')
      .where('campaign_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    if (used)
      throw conflict('SAFETY_CAMPAIGN_IN_USE', {
        zh: '已有检查记录使用本次整治的检查表，不能更换',
        en: "Inspections already use this campaign's checklist; it cannot be changed",
      });
    await usableVersion(ctx, input.templateVersionId, c.owner_path);
  }
  const patch = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description || null } : {}),
    ...(input.startsOn !== undefined ? { starts_on: input.startsOn } : {}),
    ...(input.endsOn !== undefined ? { ends_on: input.endsOn } : {}),
    ...(input.templateVersionId !== undefined ? { template_version_id: input.templateVersionId } : {}),
  };
  await ctx.db.transaction().execute(async (trx) => {
    if (Object.keys(patch).length)
      await trx
        .updateTable('safety_campaign')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    await recordAudit(trx, origin, {
      action: 'safety.campaign.update',
      objectType: 'safety_campaign',
      objectId: id,
      unitId: c.owner_unit_id,
      before: Object.fromEntries(Object.keys(patch).map((k) => [k, c[k as keyof typeof c]])),
      after: patch,
    });
  });
  return getCampaign(ctx, actor, id);
}

export async function addGroup(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  input: z.output<typeof GroupInput>,
  origin: AuditOrigin,
): Promise<CampaignGroup> {
  const c = await editableCampaign(ctx, actor, campaignId);
  const taken = await ctx.db
    .selectFrom('safety_campaign_group')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('name', '=', input.name)
    .executeTakeFirst();
  if (taken) throw duplicateGroup();
  const id = randomUUID();
  const people = groupPeople(input);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('safety_campaign_group')
      .values({
        id,
        campaign_id: campaignId,
        name: input.name,
        leader: input.leader,
        members: input.members,
        people,
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'safety.group.create',
      objectType: 'safety_campaign_group',
      objectId: id,
      unitId: c.owner_unit_id,
      after: { campaignId, name: input.name, leader: input.leader, members: input.members, people },
    });
  });
  return toGroup({ id, name: input.name, leader: input.leader, members: input.members, people, visits: 0 });
}

async function editableGroup(ctx: AppContext, actor: Actor, id: string) {
  const g = await repo.groupById(ctx.db, id);
  // The group is reached through its campaign: out of the campaign's sight is out of the group's.
  const c = g && (await repo.findCampaign(ctx.db, actor, g.campaign_id));
  if (!g || !c) throw notFound(GROUP);
  if (!safetyPolicy.canEditCampaign(actor, c)) throw forbidden();
  return { g, c };
}

export async function updateGroup(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: Partial<GroupInput>,
  origin: AuditOrigin,
): Promise<CampaignGroup> {
  const { g, c } = await editableGroup(ctx, actor, id);
  const next = {
    name: input.name ?? g.name,
    leader: input.leader ?? g.leader,
    members: input.members ?? g.members,
    people: input.people ?? (input.members ? undefined : g.people),
  };
  const people = groupPeople(next);
  if (next.name !== g.name) {
    const taken = await ctx.db
      .selectFrom('safety_campaign_group')
      .select('id')
      .where('campaign_id', '=', g.campaign_id)
      .where('name', '=', next.name)
      .executeTakeFirst();
    if (taken) throw duplicateGroup();
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('safety_campaign_group')
      .set({ name: next.name, leader: next.leader, members: next.members, people })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, origin, {
      action: 'safety.group.update',
      objectType: 'safety_campaign_group',
      objectId: id,
      unitId: c.owner_unit_id,
      before: { name: g.name, leader: g.leader, members: g.members, people: g.people },
      after: { ...next, people },
    });
  });
  const visits = (await repo.campaignGroups(ctx.db, [g.campaign_id])).find((x) => x.id === id)?.visits ?? 0;
  return toGroup({ id, ...next, people, visits });
}

export async function deleteGroup(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<void> {
  const { g, c } = await editableGroup(ctx, actor, id);
  if (g.uses > 0)
    throw conflict('SAFETY_GROUP_IN_USE', {
      zh: '该检查组已有检查记录，不能删除',
      en: 'The group has recorded inspections and cannot be deleted',
    });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('safety_campaign_group').where('id', '=', id).execute();
    await recordAudit(trx, origin, {
      action: 'safety.group.delete',
      objectType: 'safety_campaign_group',
      objectId: id,
      unitId: c.owner_unit_id,
      before: { campaignId: g.campaign_id, name: g.name, leader: g.leader, people: g.people },
    });
  });
}

// ---------- the campaign report ----------

/**
 * The report of a campaign over the part of its scope the reader sees: groups, visits, person-visits (人次),
 * schools covered of the schools in scope, and the findings as the ledger counts them.
 */
export async function campaignReport(ctx: AppContext, actor: Actor, id: string): Promise<CampaignReport> {
  const campaign = await getCampaign(ctx, actor, id);
  const c = (await repo.findCampaign(ctx.db, actor, id))!;
  const today = chinaToday();
  const [inspections, schools] = await Promise.all([
    repo.campaignInspections(ctx.db, actor, id),
    repo.schoolsUnder(ctx.db, actor, c.scope_path),
  ]);
  const ids = inspections.map((i) => i.id);
  const bySource = await findingCountsBySource(ctx.db, 'safety_inspection', ids);
  const found = (iid: string) => bySource.get(iid)?.found ?? 0;
  const closed = (iid: string) => bySource.get(iid)?.closed ?? 0;
  const totals = { found: 0, rectified: 0, open: 0, overdue: 0 };
  for (const n of bySource.values()) {
    totals.found += n.found;
    totals.rectified += n.closed;
    totals.open += n.open;
    totals.overdue += n.overdue;
  }
  const byCat = new Map((await repo.findingsByCategory(ctx.db, ids, today)).map((r) => [r.category, r]));
  const byArea = SAFETY_AREAS.map((area) => {
    const r = byCat.get(area) ?? { found: 0, rectified: 0, open: 0, overdue: 0 };
    return {
      area,
      found: r.found,
      rectified: r.rectified,
      open: r.open,
      overdue: r.overdue,
      rate: rate(r.rectified, r.found),
    };
  });
  const schoolIds = new Set(schools.map((s) => s.id));
  const covered = new Set(inspections.map((i) => i.unit_id).filter((u) => schoolIds.has(u)));
  const personVisits = inspections.reduce((n, i) => n + i.people_count, 0);
  const groups = campaign.groups;
  const byGroup = [
    ...groups.map((g) => ({ groupId: g.id, name: g.name })),
    { groupId: null, name: '其他（未编组）' },
  ]
    .map((g) => {
      const mine = inspections.filter((i) => i.group_id === g.groupId);
      return {
        groupId: g.groupId,
        name: g.name,
        visits: mine.length,
        personVisits: mine.reduce((n, i) => n + i.people_count, 0),
        schools: new Set(mine.map((i) => i.unit_id)).size,
        found: mine.reduce((n, i) => n + found(i.id), 0),
      };
    })
    .filter((g) => g.groupId !== null || g.visits > 0);
  const parents = new Map<string, { unitId: string; name: string; schools: typeof schools }>();
  for (const s of schools) {
    const p = parents.get(s.parent_id!) ?? { unitId: s.parent_id!, name: s.parent_name, schools: [] };
    p.schools.push(s);
    parents.set(s.parent_id!, p);
  }
  const byUnit = [...parents.values()].map((p) => {
    const ids = new Set(p.schools.map((s) => s.id));
    const mine = inspections.filter((i) => ids.has(i.unit_id));
    return {
      unitId: p.unitId,
      name: p.name,
      schoolsInScope: p.schools.length,
      schoolsCovered: new Set(mine.map((i) => i.unit_id)).size,
      found: mine.reduce((n, i) => n + found(i.id), 0),
      rectified: mine.reduce((n, i) => n + closed(i.id), 0),
    };
  });
  // The reader sees part of the scope when some school under it lies outside their sight.
  const allSchools = await ctx.db
    .selectFrom('unit')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'school')
    .where('status', '=', 'active')
    .where('path', 'like', `${c.scope_path}%`)
    .executeTakeFirstOrThrow();
  const partial = Number(allSchools.n) !== schools.length;
  const r = rate(totals.rectified, totals.found);
  // A reader who sees part of the scope counts the groups that came to the schools in their sight.
  const groupCount = partial
    ? new Set(inspections.map((i) => i.group_id).filter((g) => g !== null)).size
    : groups.length;

  return {
    campaign,
    partial,
    groups: groupCount,
    inspections: inspections.length,
    personVisits,
    schoolsCovered: covered.size,
    schoolsInScope: schools.length,
    findings: { ...totals, rate: r },
    byArea,
    byGroup,
    byUnit,
    notCovered: schools
      .filter((s) => !covered.has(s.id))
      .map((s) => ({ id: s.id, name: s.name, code: s.code })),
    sentence: {
      zh: `出动${groupCount}个检查组${personVisits}人次，对${covered.size}所学校开展安全检查，发现隐患${totals.found}处，已整改${totals.rectified}处，整改率${pct(r)}`,
      en: `${groupCount} inspection groups made ${personVisits} person-visits to ${covered.size} schools and found ${totals.found} hazards; ${totals.rectified} rectified (${pct(r)})`,
    },
  };
}
