/**
 * Figures of the supervision: compliance per county and for the area (Σ compliant / Σ under supervision),
 * licences and documents expiring within the warning days, closures/bans/conversions per period, and
 * inspections (明察暗访, joint enforcement) whose findings go to the ledger.
 */
import {
  LIFECYCLE_ENDS,
  TRAINING_DOC_KINDS,
  trainingDocLabels,
  type LifecycleRow,
  type ComplianceReport,
  type Expiring,
  type InspectionInput,
  type LifecycleStats,
} from '@dudao/contracts';
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { raiseFindings } from '../findings/findings.service.js';
import { aggregate, toSummary } from './training.compliance.js';
import { effectiveRules } from './training.prepaid.js';
import * as repo from './training.repository.js';
import { getInstitution, loadForManage } from './training.service.js';

const BUREAU = { zh: '教育局', en: 'Bureau' };

async function area(ctx: AppContext, actor: Actor, unitId?: string) {
  if (!unitId) return undefined;
  const unit = await repo.findBureau(ctx.db, actor, 'training.read', unitId);
  if (!unit) throw notFound(BUREAU);
  return unit;
}

export async function complianceReport(
  ctx: AppContext,
  actor: Actor,
  q: { unitId?: string; days?: number },
): Promise<ComplianceReport> {
  const today = chinaToday();
  const unit = await area(ctx, actor, q.unitId);
  const rows = await repo.listInstitutions(ctx.db, actor, { unitPath: unit?.path }, today);
  const summaries = rows.map((r) => ({ row: r, s: toSummary(r, today) }));
  const { rows: byCounty, total } = aggregate(
    summaries.map(({ s }) => ({
      unitId: s.unitId,
      unitName: s.unitName,
      status: s.status,
      compliance: s.compliance,
    })),
  );
  const warnDays = q.days ?? (unit ? (await effectiveRules(ctx.db, unit.path)).warnDays : 30);
  const horizon = addDays(today, warnDays);
  const expiring: Expiring[] = [];
  const live = summaries.filter(({ s }) => !['closed', 'banned', 'converted'].includes(s.status));
  for (const { row } of live)
    if (row.licence_to && row.licence_to <= horizon)
      expiring.push({
        institutionId: row.id,
        institutionName: row.name,
        unitName: row.unit_name,
        what: '办学许可证',
        validTo: row.licence_to,
        expired: row.licence_to < today,
      });
  const ids = live.map(({ row }) => row.id);
  if (ids.length > 0) {
    const docs = await ctx.db
      .selectFrom('training_document as d')
      .innerJoin('training_institution as i', 'i.id', 'd.institution_id')
      .innerJoin('unit as u', 'u.id', 'i.unit_id')
      .select(['i.id', 'i.name', 'u.name as unit_name', 'd.kind', 'd.valid_to'])
      .where('d.institution_id', 'in', ids)
      .where('d.valid_to', '<=', horizon)
      .where('d.kind', 'in', [...TRAINING_DOC_KINDS])
      .execute();
    for (const d of docs)
      expiring.push({
        institutionId: d.id,
        institutionName: d.name,
        unitName: d.unit_name,
        what: trainingDocLabels[d.kind as (typeof TRAINING_DOC_KINDS)[number]].zh,
        validTo: d.valid_to!,
        expired: d.valid_to! < today,
      });
  }
  expiring.sort(
    (a, b) => a.validTo.localeCompare(b.validTo) || a.institutionName.localeCompare(b.institutionName),
  );
  return {
    rows: byCounty.sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh')),
    total,
    warnDays,
    expiring,
  };
}

export async function lifecycleStats(
  ctx: AppContext,
  actor: Actor,
  q: { unitId?: string; from: string; to: string },
): Promise<LifecycleStats> {
  if (q.to < q.from)
    throw badRequest('TRAINING_PERIOD', {
      zh: '结束日期早于开始日期',
      en: 'The period ends before it starts',
    });
  const unit = await area(ctx, actor, q.unitId);
  let query = ctx.db
    .selectFrom('training_event as e')
    .innerJoin('training_institution as i', 'i.id', 'e.institution_id')
    .innerJoin('unit as u', 'u.id', 'i.unit_id')
    .select([
      'e.to_status',
      'u.id as unit_id',
      'u.name as unit_name',
      'u.code as unit_code',
      sql<number>`count(distinct e.institution_id)::int`.as('n'),
    ])
    .where('e.kind', '=', 'status')
    .where('e.on_date', '>=', q.from)
    .where('e.on_date', '<=', q.to)
    .where(repo.visible(actor))
    .groupBy(['e.to_status', 'u.id', 'u.name', 'u.code']);
  if (unit) query = query.where('u.path', 'like', unit.path + '%');
  const rows = await query.execute();
  // An institution belongs to one bureau: the per-bureau counts add up to the distinct total.
  const counts: Record<string, number> = {};
  const units = new Map<string, LifecycleRow & { code: string }>();
  for (const r of rows) {
    if (!r.to_status) continue;
    counts[r.to_status] = (counts[r.to_status] ?? 0) + r.n;
    if (!(LIFECYCLE_ENDS as readonly string[]).includes(r.to_status)) continue;
    const u = units.get(r.unit_id) ?? {
      unitId: r.unit_id,
      unitName: r.unit_name,
      code: r.unit_code,
      closed: 0,
      banned: 0,
      converted: 0,
    };
    u[r.to_status as (typeof LIFECYCLE_ENDS)[number]] += r.n;
    units.set(r.unit_id, u);
  }
  const n = (s: string) => counts[s] ?? 0;
  return {
    from: q.from,
    to: q.to,
    counts,
    sentence: `关停${n('closed')}所，取缔${n('banned')}所，学转非${n('converted')}所`,
    byUnit: [...units.values()].sort((a, b) => a.code.localeCompare(b.code)).map(({ code: _c, ...u }) => u),
  };
}

// ---------- inspections ----------

/**
 * Records an inspection of an institution. Each problem becomes a finding in the ledger (source
 * 'inspection', source_type 'training_institution', source_id the institution), responsible unit the
 * supervising county bureau; the inspection keeps the finding ids.
 */
export async function recordInspection(
  ctx: AppContext,
  actor: Actor,
  institutionId: string,
  b: InspectionInput,
  origin: AuditOrigin,
) {
  const inst = await loadForManage(ctx, actor, institutionId);
  const today = chinaToday();
  if (b.inspectedOn > today)
    throw badRequest('TRAINING_INSPECTION_DATE', {
      zh: '检查日期不能晚于今天',
      en: 'The date cannot be in the future',
    });
  const kindZh = { open: '常规检查', unannounced: '明察暗访', joint: '联合执法' }[b.kind];
  await ctx.db.transaction().execute(async (trx) => {
    const { findingIds } = await raiseFindings(
      trx,
      ctx,
      origin,
      (b.findings ?? []).map((f) => ({
        unitId: inst.unit_id,
        source: 'inspection' as const,
        sourceType: 'training_institution',
        sourceId: institutionId,
        category: 'training' as const,
        subcategory: `inspection.${b.kind}`,
        severity: f.severity ?? 'general',
        title: `${inst.name}：${f.title}`,
        description: f.description ?? undefined,
        location: inst.address ?? undefined,
        deadline: f.deadline,
      })),
      { notify: false, raisedByUnitId: actor.unitId ?? inst.unit_id, noticeNote: kindZh },
    );
    const id = timeOrderedId();
    const row = {
      id,
      institution_id: institutionId,
      kind: b.kind,
      inspected_on: b.inspectedOn,
      agencies: b.agencies ?? [],
      people: b.people ?? [],
      summary: b.summary ?? null,
      finding_ids: findingIds,
      created_by: actor.userId,
    };
    await trx.insertInto('training_inspection').values(row).execute();
    await recordAudit(trx, origin, {
      action: 'training.inspection.create',
      objectType: 'training_inspection',
      objectId: id,
      unitId: inst.unit_id,
      after: row,
    });
  });
  return getInstitution(ctx, actor, institutionId);
}
