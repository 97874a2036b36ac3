/**
 * Inspections: a campaign visit by a group, another visit by a bureau or an inspector, or a school's monthly
 * self-inspection. Saved as drafts, then submitted: each failed item becomes a finding in the ledger (with the
 * item's area, basis, the grid and its person), and the rectification notice goes out.
 */
import type { InspectOptions, SafetyInspection, SafetyInspectionDetail } from '@dudao/contracts';
import type { SafetyInspectionSave } from '@dudao/contracts';
import type { SafetyInspectionListQuery } from '@dudao/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles } from '../../platform/files/files.service.js';
import { raiseFindings, type RaiseFinding } from '../findings/findings.service.js';
import { findingCountsBySource } from '../findings/findings.stats.js';
import { toGrid } from './safety.grids.service.js';
import { safetyPolicy } from './safety.policy.js';
import * as repo from './safety.repository.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { rate, toChecklistItem, toGroup } from './safety.service.js';

const INSPECTION = { zh: '检查记录', en: 'Inspection' };
const SCHOOL = { zh: '学校', en: 'School' };
const CHECKLIST = { zh: '检查表版本', en: 'Checklist version' };

type Counts = Awaited<ReturnType<typeof findingCountsBySource>>;

function toInspection(r: repo.InspectionRow, counts: Counts): SafetyInspection {
  const n = counts.get(r.id);
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    schoolId: r.unit_id,
    schoolName: r.school_name,
    schoolCode: r.school_code,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    groupId: r.group_id,
    groupName: r.group_name,
    templateVersionId: r.template_version_id,
    templateName: r.template_name,
    templateVersion: r.template_version,
    inspectedOn: r.inspected_on,
    month: r.month,
    gridId: r.grid_id,
    gridName: r.grid_name,
    people: r.people_names,
    peopleCount: r.people_count,
    summary: r.summary,
    createdByName: r.created_by_name,
    submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
    passed: r.passed,
    failed: r.failed,
    na: r.na,
    findings:
      r.status === 'submitted'
        ? {
            found: n?.found ?? 0,
            rectified: n?.closed ?? 0,
            open: n?.open ?? 0,
            overdue: n?.overdue ?? 0,
            rate: rate(n?.closed ?? 0, n?.found ?? 0),
          }
        : null,
  };
}

export async function listInspections(
  ctx: AppContext,
  actor: Actor,
  q: z.output<typeof SafetyInspectionListQuery>,
) {
  let underPath: string | undefined;
  if (q.under) {
    const u = await repo.findUnit(ctx.db, actor, 'finding.read', q.under);
    if (!u) throw notFound({ zh: '单位', en: 'Unit' });
    underPath = u.path;
  }
  if (q.schoolId && !(await repo.findUnit(ctx.db, actor, 'finding.read', q.schoolId))) throw notFound(SCHOOL);
  if (q.campaignId && !(await repo.findCampaign(ctx.db, actor, q.campaignId)))
    throw notFound({ zh: '专项整治', en: 'Campaign' });
  const { rows, total } = await repo.listInspections(ctx.db, actor, { ...q, underPath });
  const counts = await findingCountsBySource(
    ctx.db,
    'safety_inspection',
    rows.filter((r) => r.status === 'submitted').map((r) => r.id),
  );
  return { items: rows.map((r) => toInspection(r, counts)), total, page: q.page, pageSize: q.pageSize };
}

export async function getInspection(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<SafetyInspectionDetail> {
  const r = await repo.findInspection(ctx.db, actor, id);
  if (!r) throw notFound(INSPECTION);
  const [checklist, answers, counts] = await Promise.all([
    repo.templateItems(ctx.db, r.template_version_id),
    repo.inspectionItems(ctx.db, id),
    findingCountsBySource(ctx.db, 'safety_inspection', r.status === 'submitted' ? [id] : []),
  ]);
  const byItem = new Map(answers.map((a) => [a.item_id, a]));
  const findingIds = answers.map((a) => a.finding_id).filter((f): f is string => !!f);
  const notices = findingIds.length
    ? await ctx.db
        .selectFrom('finding')
        .select('notice_id')
        .distinct()
        .where('id', 'in', findingIds)
        .where('notice_id', 'is not', null)
        .execute()
    : [];
  return {
    ...toInspection(r, counts),
    items: checklist.map((it) => {
      const a = byItem.get(it.id);
      return {
        ...toChecklistItem(it),
        result: a?.result ?? null,
        note: a?.note ?? null,
        fileIds: a?.file_ids ?? [],
        severity: (a?.severity as SafetyInspectionDetail['items'][number]['severity']) ?? null,
        deadline: a?.deadline ? String(a.deadline).slice(0, 10) : null,
        gridId: a?.grid_id ?? null,
        location: a?.location ?? null,
        rectifiedOnSite: a?.rectified_on_site ?? false,
        findingId: a?.finding_id ?? null,
      };
    }),
    noticeIds: notices.map((n) => n.notice_id!),
    canEdit: safetyPolicy.canEditDraft(actor, r),
  };
}

/** What the inspection form offers at a school: campaigns covering it, checklists, grids, the self-check. */
export async function inspectOptions(
  ctx: AppContext,
  actor: Actor,
  schoolId: string,
): Promise<InspectOptions> {
  const school = await repo.findUnit(ctx.db, actor, 'finding.read', schoolId);
  if (!school || school.kind !== 'school') throw notFound(SCHOOL);
  const canSelfCheck = safetyPolicy.canSelfCheck(actor, school.path);
  if (!safetyPolicy.canInspect(actor, school.path)) throw forbidden();
  const today = chinaToday();
  const [campaigns, templates, grids, selfCheck] = await Promise.all([
    repo.campaignsCovering(ctx.db, school.path, today),
    repo.publishedChecklistsAbove(ctx.db, school.path),
    repo.gridsOfSchool(ctx.db, school.id),
    repo.selfCheckOf(ctx.db, school.id, today.slice(0, 7)),
  ]);
  const active = campaigns.filter((c) => c.starts_on <= today);
  const groups = await repo.campaignGroups(
    ctx.db,
    active.map((c) => c.id),
  );
  const lists = new Map<string, { templateId: string; name: string; version: number; ownerName: string }>();
  for (const t of templates)
    lists.set(t.version_id, {
      templateId: t.template_id,
      name: t.name,
      version: t.version,
      ownerName: t.owner_name,
    });
  for (const c of active)
    if (!lists.has(c.template_version_id))
      lists.set(c.template_version_id, {
        templateId: c.template_id,
        name: c.template_name,
        version: c.template_version,
        ownerName: c.owner_name,
      });
  const items = await repo.itemsOfVersions(ctx.db, [...lists.keys()]);
  return {
    school: { id: school.id, name: school.name, code: school.code },
    campaigns: active.map((c) => ({
      id: c.id,
      name: c.name,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      templateVersionId: c.template_version_id,
      groups: groups.filter((g) => g.campaign_id === c.id).map(toGroup),
    })),
    checklists: [...lists.entries()].map(([versionId, l]) => ({
      versionId,
      templateId: l.templateId,
      name: l.name,
      version: l.version,
      ownerUnitName: l.ownerName,
      items: items.filter((i) => i.version_id === versionId).map(toChecklistItem),
    })),
    grids: grids.map(toGrid),
    canSelfCheck,
    selfCheck: selfCheck
      ? { month: today.slice(0, 7), inspectionId: selfCheck.id, status: selfCheck.status }
      : null,
  };
}

const TITLE_MAX = 120;

/**
 * Saves (draft) or submits an inspection under the client's id. The same id again is the same inspection: a
 * draft is updated; a submitted one is returned as it is (a retried submit creates nothing).
 */
export async function saveInspection(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof SafetyInspectionSave>,
  origin: AuditOrigin,
): Promise<{ created: boolean; inspection: SafetyInspectionDetail }> {
  const school = await repo.findUnit(ctx.db, actor, 'finding.read', input.schoolId);
  if (!school || school.kind !== 'school') throw notFound(SCHOOL);
  const existing = await repo.findInspection(ctx.db, actor, input.id);
  if (!existing && (await repo.inspectionExists(ctx.db, input.id))) throw notFound(INSPECTION);
  if (existing) {
    if (existing.status === 'submitted') {
      if (input.submit && existing.unit_id === input.schoolId)
        return { created: false, inspection: await getInspection(ctx, actor, existing.id) };
      throw conflict('SAFETY_INSPECTION_SUBMITTED', {
        zh: '该检查记录已提交，不能再修改',
        en: 'The inspection has been submitted and can no longer be changed',
      });
    }
    if (!safetyPolicy.canEditDraft(actor, existing)) throw forbidden();
    if (existing.unit_id !== input.schoolId || existing.kind !== input.kind)
      throw conflict('SAFETY_INSPECTION_MISMATCH', {
        zh: '草稿的学校或检查类型与提交的不一致',
        en: 'The draft is of another school or kind',
      });
  }

  const today = chinaToday();
  if (input.inspectedOn > today)
    throw badRequest(
      'SAFETY_DATE_FUTURE',
      { zh: '检查日期不能晚于今天', en: 'The inspection date is in the future' },
      [{ path: 'body/inspectedOn', message: 'FUTURE' }],
    );

  // What kind of inspection, under whose name, with which checklist.
  let versionId = input.templateVersionId;
  let raisedByUnitId: string;
  let month: string | null = null;
  let groupPeople: number | undefined;
  if (input.kind === 'campaign') {
    if (!input.campaignId)
      throw badRequest('SAFETY_CAMPAIGN_REQUIRED', { zh: '请选择专项整治', en: 'Choose the campaign' });
    const c = await repo.campaignById(ctx.db, input.campaignId);
    if (!c || !school.path.startsWith(c.scope_path)) throw notFound({ zh: '专项整治', en: 'Campaign' });
    if (!safetyPolicy.canInspect(actor, school.path)) throw forbidden();
    if (input.inspectedOn < c.starts_on || input.inspectedOn > c.ends_on)
      throw badRequest('SAFETY_OUTSIDE_PERIOD', {
        zh: `检查日期不在专项整治期间（${c.starts_on} 至 ${c.ends_on}）`,
        en: `The date is outside the campaign (${c.starts_on} to ${c.ends_on})`,
      });
    if (versionId && versionId !== c.template_version_id)
      throw badRequest('SAFETY_VERSION_MISMATCH', {
        zh: '专项检查须使用本次整治指定的检查表',
        en: "A campaign visit uses the campaign's checklist",
      });
    versionId = c.template_version_id;
    raisedByUnitId = c.owner_unit_id;
    if (input.groupId) {
      const g = await repo.groupById(ctx.db, input.groupId);
      if (!g || g.campaign_id !== c.id)
        throw badRequest('SAFETY_GROUP_UNKNOWN', {
          zh: '检查组不属于本次整治',
          en: 'The group is not of this campaign',
        });
      groupPeople = g.people;
    }
  } else {
    if (input.campaignId || input.groupId)
      throw badRequest('SAFETY_NOT_CAMPAIGN', {
        zh: '非专项检查不能指定专项整治或检查组',
        en: 'Only a campaign visit names a campaign or group',
      });
    if (input.kind === 'self_check') {
      if (!safetyPolicy.canSelfCheck(actor, school.path)) throw forbidden();
      month = input.month ?? input.inspectedOn.slice(0, 7);
      if (month > today.slice(0, 7))
        throw badRequest('SAFETY_MONTH_FUTURE', {
          zh: '不能提前填报以后月份的自查',
          en: 'The month is in the future',
        });
      const other = await repo.selfCheckOf(ctx.db, school.id, month);
      if (other && other.id !== input.id)
        throw conflict('SAFETY_SELF_CHECK_EXISTS', {
          zh: `${school.name} ${month} 的月度自查已${other.status === 'draft' ? '有草稿' : '提交'}`,
          en: `${school.name} already has a self-inspection for ${month}`,
        });
      raisedByUnitId = school.id;
    } else {
      if (!safetyPolicy.canInspect(actor, school.path)) throw forbidden();
      raisedByUnitId = actor.unitId ?? school.parent_id ?? school.id;
    }
    if (!versionId)
      throw badRequest('SAFETY_VERSION_REQUIRED', { zh: '请选择检查表', en: 'Choose a checklist' }, [
        { path: 'body/templateVersionId', message: 'REQUIRED' },
      ]);
  }
  if (input.kind !== 'self_check' && input.month)
    throw badRequest('SAFETY_MONTH_NOT_ALLOWED', {
      zh: '只有月度自查填写所属月份',
      en: 'Only a self-inspection has a month',
    });
  const version = await repo.versionById(ctx.db, versionId);
  if (!version || !school.path.startsWith(version.owner_path)) throw notFound(CHECKLIST);
  if (version.status !== 'published')
    throw badRequest('SAFETY_VERSION_NOT_PUBLISHED', {
      zh: '只能使用已发布的检查表版本',
      en: 'Only a published checklist version can be used',
    });
  if (existing && existing.template_version_id !== versionId)
    throw conflict('SAFETY_INSPECTION_MISMATCH', {
      zh: '草稿使用的检查表与提交的不一致',
      en: 'The draft uses another checklist version',
    });

  // Grids, items, photos: all of this school and this checklist.
  const grids = new Map((await repo.gridsOfSchool(ctx.db, school.id)).map((g) => [g.id, g]));
  const gridError = () =>
    badRequest('SAFETY_GRID_UNKNOWN', { zh: '网格不属于该学校', en: "The grid is not one of the school's" });
  if (input.gridId && !grids.has(input.gridId)) throw gridError();
  const checklist = await repo.templateItems(ctx.db, versionId);
  const itemById = new Map(checklist.map((i) => [i.id, i]));
  const seen = new Set<string>();
  for (const [n, a] of input.items.entries()) {
    if (!itemById.has(a.itemId) || seen.has(a.itemId))
      throw badRequest(
        'SAFETY_ITEM_UNKNOWN',
        { zh: '检查项不属于该检查表或重复', en: 'An item is not of the checklist or repeated' },
        [{ path: `body/items/${n}/itemId`, message: 'UNKNOWN' }],
      );
    seen.add(a.itemId);
    if (a.gridId && !grids.has(a.gridId)) throw gridError();
    if (a.deadline && a.deadline < input.inspectedOn)
      throw badRequest(
        'SAFETY_DEADLINE_INVALID',
        { zh: '整改期限不能早于检查日期', en: 'A deadline is before the inspection' },
        [{ path: `body/items/${n}/deadline`, message: 'BEFORE_INSPECTION' }],
      );
  }
  await assertFiles(
    ctx.db,
    actor,
    input.items.flatMap((a) => a.fileIds),
    school.id,
  );
  const peopleCount = input.peopleCount ?? (input.people.length || groupPeople || 1);
  if (peopleCount < input.people.length)
    throw badRequest('SAFETY_PEOPLE_COUNT', {
      zh: '检查人数不能少于列出的检查人员',
      en: 'The number of people is less than the people named',
    });
  if (input.submit && seen.size < checklist.length)
    throw badRequest('SAFETY_INSPECTION_INCOMPLETE', {
      zh: `还有 ${checklist.length - seen.size} 项未检查（不涉及的请选“不适用”）`,
      en: `${checklist.length - seen.size} items are not answered yet (mark those that do not apply N/A)`,
    });

  const id = input.id;
  const created = !existing;
  const checklistVersion: string = versionId;
  const writeInspection = async () => {
    await ctx.db.transaction().execute(async (trx) => {
      if (!created) {
        // Still a draft? A concurrent submit of the same id may have got there first.
        const locked = await trx
          .selectFrom('safety_inspection')
          .select('status')
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (locked?.status !== 'draft') throw new AlreadySubmitted();
      }
      const row = {
        kind: input.kind,
        unit_id: school.id,
        campaign_id: input.kind === 'campaign' ? input.campaignId! : null,
        group_id: input.groupId ?? null,
        template_version_id: checklistVersion,
        inspected_on: input.inspectedOn,
        month,
        grid_id: input.gridId ?? null,
        people_names: input.people,
        people_count: peopleCount,
        summary: input.summary || null,
        status: 'draft' as const,
        raised_by_unit_id: raisedByUnitId,
      };
      if (created)
        await trx
          .insertInto('safety_inspection')
          .values({ id, ...row, created_by: actor.userId, created_by_name: actor.displayName })
          .execute();
      else
        await trx
          .updateTable('safety_inspection')
          .set({ ...row, updated_at: new Date() })
          .where('id', '=', id)
          .execute();
      await trx.deleteFrom('safety_inspection_item').where('inspection_id', '=', id).execute();
      if (input.items.length)
        await trx
          .insertInto('safety_inspection_item')
          .values(
            input.items.map((a) => ({
              inspection_id: id,
              item_id: a.itemId,
              result: a.result,
              note: a.note || null,
              file_ids: a.result === 'fail' ? a.fileIds : [],
              severity: a.result === 'fail' ? (a.severity ?? null) : null,
              deadline: a.result === 'fail' ? (a.deadline ?? null) : null,
              grid_id: a.result === 'fail' ? (a.gridId ?? null) : null,
              location: a.result === 'fail' ? a.location || null : null,
              rectified_on_site: a.result === 'fail' && a.rectifiedOnSite,
            })),
          )
          .execute();
      let findingIds: string[] = [];
      let noticeIds: string[] = [];
      if (input.submit) {
        // The deadline counts from the inspection, or from today for one entered late (it is never past at once).
        const start = input.inspectedOn > today ? input.inspectedOn : today;
        const failed = input.items
          .filter((a) => a.result === 'fail')
          .map((a) => ({ a, item: itemById.get(a.itemId)! }))
          .sort((x, y) => x.item.seq - y.item.seq);
        const raise: RaiseFinding[] = failed.map(({ a, item }) => {
          const severity = a.severity ?? (item.default_severity as RaiseFinding['severity']);
          const gridId = a.gridId ?? input.gridId;
          const grid = gridId ? grids.get(gridId) : undefined;
          const location = a.location || grid?.location || grid?.name;
          return {
            unitId: school.id,
            source: input.kind === 'self_check' ? 'self_check' : 'inspection',
            sourceType: 'safety_inspection',
            sourceId: id,
            category: item.area as RaiseFinding['category'],
            severity,
            title: item.text.length > TITLE_MAX ? `${item.text.slice(0, TITLE_MAX - 1)}…` : item.text,
            ...(a.note ? { description: a.note } : {}),
            ...(location ? { location } : {}),
            ...(item.basis ? { basis: item.basis } : {}),
            deadline: a.deadline ?? addDays(start, severity === 'serious' ? 7 : 15),
            ...(gridId ? { gridId } : {}),
            ...(a.fileIds.length ? { fileIds: a.fileIds } : {}),
            ...(a.rectifiedOnSite ? { rectifiedOnSite: true } : {}),
            ...(grid?.user_id ? { notifyUserIds: [grid.user_id] } : {}),
          };
        });
        if (raise.length) {
          ({ findingIds, noticeIds } = await raiseFindings(trx, ctx, origin, raise, { raisedByUnitId }));
          for (const [n, { a }] of failed.entries())
            await trx
              .updateTable('safety_inspection_item')
              .set({ finding_id: findingIds[n]! })
              .where('inspection_id', '=', id)
              .where('item_id', '=', a.itemId)
              .execute();
        }
        await trx
          .updateTable('safety_inspection')
          .set({ status: 'submitted', submitted_at: new Date() })
          .where('id', '=', id)
          .execute();
      }
      await recordAudit(trx, origin, {
        action: input.submit ? 'safety.inspection.submit' : 'safety.inspection.save',
        objectType: 'safety_inspection',
        objectId: id,
        unitId: school.id,
        after: {
          kind: input.kind,
          campaignId: input.campaignId ?? null,
          inspectedOn: input.inspectedOn,
          month,
          templateVersionId: checklistVersion,
          peopleCount,
          answered: input.items.length,
          failed: input.items.filter((a) => a.result === 'fail').length,
          ...(input.submit ? { findingIds, noticeIds } : {}),
        },
      });
    });
  };
  try {
    await writeInspection();
  } catch (err) {
    // The same submission twice at once (a double tap, a retry racing the first try): the one that came
    // second finds the inspection the first wrote and answers with it, as a retry would.
    const raced = err instanceof AlreadySubmitted || (err as { code?: string }).code === '23505';
    if (!raced) throw err;
    const now = await repo.findInspection(ctx.db, actor, id);
    if (now?.status === 'submitted' && input.submit && now.unit_id === input.schoolId)
      return { created: false, inspection: await getInspection(ctx, actor, id) };
    if (!now && input.kind === 'self_check')
      throw conflict('SAFETY_SELF_CHECK_EXISTS', {
        zh: `${school.name} ${month} 的月度自查已有记录`,
        en: `${school.name} already has a self-inspection for ${month}`,
      });
    throw conflict('SAFETY_INSPECTION_SUBMITTED', {
      zh: '该检查记录已提交，不能再修改',
      en: 'The inspection has been submitted and can no longer be changed',
    });
  }
  return { created, inspection: await getInspection(ctx, actor, id) };
}

/** Thrown inside the write when the draft turned out to be submitted already (a concurrent submit). */
class AlreadySubmitted extends Error {}

/** Discards a draft. */
export async function deleteDraft(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<void> {
  const r = await repo.findInspection(ctx.db, actor, id);
  if (!r) throw notFound(INSPECTION);
  if (r.status !== 'draft')
    throw conflict('SAFETY_INSPECTION_SUBMITTED', {
      zh: '已提交的检查记录不能删除',
      en: 'A submitted inspection cannot be deleted',
    });
  if (!safetyPolicy.canEditDraft(actor, r)) throw forbidden();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('safety_inspection').where('id', '=', id).execute();
    await recordAudit(trx, origin, {
      action: 'safety.inspection.delete',
      objectType: 'safety_inspection',
      objectId: id,
      unitId: r.unit_id,
      before: {
        kind: r.kind,
        inspectedOn: r.inspected_on,
        month: r.month,
        answered: r.passed + r.failed + r.na,
      },
    });
  });
}
