import {
  label,
  localityLabels,
  ownershipLabels,
  stageLabels,
  statusLabels,
  unitKindLabels,
  type SchoolStage,
  type Unit,
  type UnitCreate,
  type UnitKind,
  type UnitListQuery,
  type UnitStats,
  type UnitTreeNode,
  type UnitUpdate,
} from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { UnitPatch } from '../../platform/db/schema.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { recordExport, writeXlsx } from '../../platform/exports/xlsx.js';
import { findDivision } from '../../platform/regions/divisions.js';
import { allowedChildKinds, unitPolicy } from './units.policy.js';
import * as repo from './units.repository.js';
import type { UnitWithCount } from './units.repository.js';
import { rootUnit } from '../../platform/access/scope.js';

const UNIT = { zh: '机构', en: 'Unit' };

/** Maps a row to the API shape; rows never leave the module as they are. */
export function toUnit(r: UnitWithCount): Unit {
  return {
    id: r.id,
    kind: r.kind,
    code: r.code,
    name: r.name,
    parentId: r.parent_id,
    regionCode: r.region_code,
    regionName: findDivision(r.region_code)?.name ?? null,
    stage: (r.stage as SchoolStage | null) ?? null,
    ownership: (r.ownership as Unit['ownership']) ?? null,
    locality: (r.locality as Unit['locality']) ?? null,
    address: r.address,
    principal: r.principal,
    phone: r.phone,
    status: r.status,
    disabledReason: r.disabled_reason,
    childCount: r.child_count,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** The fields of a unit worth keeping in the audit trail. */
function auditView(u: Unit): Record<string, unknown> {
  const { childCount: _c, createdAt: _a, updatedAt: _b, regionName: _r, ...rest } = u;
  return rest;
}

/** Reads one unit in scope (404 otherwise). */
export async function getUnit(ctx: AppContext, actor: Actor, id: string): Promise<Unit> {
  const row = await repo.findUnit(ctx.db, actor, id);
  if (!row) throw notFound(UNIT);
  return toUnit(row);
}

/** Lists units in scope; `under` must itself be in scope. */
export async function listUnits(ctx: AppContext, actor: Actor, q: UnitListQuery) {
  let underPath: string | undefined;
  if (q.under) {
    const under = await repo.findUnit(ctx.db, actor, q.under);
    if (!under) throw notFound(UNIT);
    underPath = under.path;
  }
  if (q.parentId && !(await repo.findUnit(ctx.db, actor, q.parentId))) throw notFound(UNIT);
  const { rows, total } = await repo.listUnits(ctx.db, actor, { ...q, underPath });
  return { items: rows.map(toUnit), total, page: q.page, pageSize: q.pageSize };
}

/** One level of the org tree. */
export async function unitTree(
  ctx: AppContext,
  actor: Actor,
  parentId: string | null,
): Promise<UnitTreeNode[]> {
  if (parentId && !(await repo.findUnit(ctx.db, actor, parentId))) throw notFound(UNIT);
  const rows = await repo.treeNodes(ctx.db, actor, parentId);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    parentId: r.parent_id,
    status: r.status,
    childCount: r.child_count,
  }));
}

/**
 * Creates the root of a deployment: the bureau of the city (or prefecture) with this division code.
 * Done once, by the CLI, before anything else exists.
 */
export async function createRootUnit(ctx: AppContext, cityCode: string, origin: AuditOrigin): Promise<Unit> {
  const d = findDivision(cityCode);
  if (!d || d.level !== 'city')
    throw badRequest('UNIT_REGION_UNKNOWN', {
      zh: `${cityCode} 不是地级行政区划代码`,
      en: `${cityCode} is not a prefecture-level division code`,
    });
  const existing = await rootUnit(ctx.db);
  if (existing)
    throw conflict('ROOT_EXISTS', {
      zh: '本系统已有市级教育局',
      en: 'This deployment already has its city bureau',
    });
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertUnit(trx, {
      id,
      kind: 'city_bureau',
      code: cityCode,
      name: `${d.name}教育局`,
      parent_id: null,
      path: `/${id}/`,
      depth: 1,
      region_code: cityCode,
      county_code: null,
      stage: null,
      ownership: null,
      locality: null,
      address: null,
      principal: null,
      phone: null,
      disabled_reason: null,
      disabled_at: null,
    });
    const created = await repo.findUnitAfterWrite(trx, id);
    await recordAudit(trx, origin, {
      action: 'unit.create',
      objectType: 'unit',
      objectId: id,
      unitId: id,
      after: auditView(toUnit(created)),
    });
  });
  return toUnit(await repo.findUnitAfterWrite(ctx.db, id));
}

/** Creates a county bureau or a school under a unit the actor may write to. */
export async function createUnit(
  ctx: AppContext,
  actor: Actor,
  input: UnitCreate,
  origin: AuditOrigin,
): Promise<Unit> {
  const parent = await repo.findUnit(ctx.db, actor, input.parentId);
  if (!parent) throw notFound({ zh: '上级机构', en: 'Parent unit' });
  if (!allowedChildKinds[parent.kind].includes(input.kind)) {
    throw badRequest('UNIT_KIND_NOT_ALLOWED', {
      zh: '该上级机构下不能建立此类机构',
      en: 'This kind of unit cannot be created under that parent',
    });
  }
  if (!unitPolicy.canCreateUnder(actor, parent, input.kind)) throw forbidden();
  const regionCode = resolveRegion(input.kind, input.code, input.regionCode, parent);
  if (await repo.unitCodeTaken(ctx.db, input.kind, input.code)) {
    throw conflict('UNIT_CODE_TAKEN', {
      zh: input.kind === 'school' ? `学校标识码 ${input.code} 已被使用` : `区划代码 ${input.code} 已有教育局`,
      en: `Code ${input.code} is already used`,
    });
  }
  const id = randomUUID();
  const isSchool = input.kind === 'school';
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertUnit(trx, {
      id,
      kind: input.kind,
      code: input.code,
      name: input.name,
      parent_id: parent.id,
      path: `${parent.path}${id}/`,
      depth: parent.depth + 1,
      region_code: regionCode,
      county_code: input.kind === 'county_bureau' ? input.code : parent.county_code,
      stage: isSchool ? (input.stage ?? null) : null,
      ownership: isSchool ? (input.ownership ?? 'public') : null,
      locality: isSchool ? (input.locality ?? null) : null,
      address: input.address ?? null,
      principal: input.principal ?? null,
      phone: input.phone ?? null,
      disabled_reason: null,
      disabled_at: null,
    });
    const created = await repo.findUnitAfterWrite(trx, id);
    await recordAudit(trx, origin, {
      action: 'unit.create',
      objectType: 'unit',
      objectId: id,
      unitId: id,
      after: auditView(toUnit(created)),
    });
  });
  return toUnit(await repo.findUnitAfterWrite(ctx.db, id));
}

function resolveRegion(
  kind: UnitKind,
  code: string,
  regionCode: string | undefined,
  parent: UnitWithCount,
): string {
  if (kind === 'county_bureau') {
    const d = findDivision(code);
    if (!d || d.level !== 'county' || d.parentCode !== parent.region_code) {
      throw badRequest('UNIT_REGION_UNKNOWN', {
        zh: `${code} 不是本市的县级行政区划代码`,
        en: `${code} is not a county-level division code of this city`,
      });
    }
    return code;
  }
  if (!/^\d{10}$/.test(code)) {
    throw badRequest('VALIDATION', { zh: '学校标识码应为10位数字', en: 'A school code has 10 digits' }, [
      { path: 'body/code', message: 'SCHOOL_CODE' },
    ]);
  }
  if (!regionCode) return parent.region_code;
  const d = findDivision(regionCode);
  const inside =
    d &&
    (d.code === parent.region_code ||
      d.parentCode === parent.region_code ||
      d.code.startsWith(parent.region_code.replace(/0+$/, '')));
  if (!inside) {
    throw badRequest('UNIT_REGION_UNKNOWN', {
      zh: `行政区划 ${regionCode} 不在上级机构的辖区内`,
      en: `Division ${regionCode} is not inside the parent's area`,
    });
  }
  return regionCode;
}

/** Edits a unit's details. */
export async function updateUnit(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UnitUpdate,
  origin: AuditOrigin,
): Promise<Unit> {
  const row = await repo.findUnit(ctx.db, actor, id);
  if (!row) throw notFound(UNIT);
  if (!unitPolicy.canUpdate(actor, row)) throw forbidden();
  if (row.kind !== 'school' && (input.stage || input.ownership || input.locality)) {
    throw badRequest('UNIT_FIELD_NOT_ALLOWED', {
      zh: '只有学校有学段、办学性质和城乡属性',
      en: 'Only schools have a stage, ownership and locality',
    });
  }
  const patch: UnitPatch = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.stage !== undefined) patch.stage = input.stage;
  if (input.ownership !== undefined) patch.ownership = input.ownership;
  if (input.locality !== undefined) patch.locality = input.locality;
  if (input.address !== undefined) patch.address = input.address;
  if (input.principal !== undefined) patch.principal = input.principal;
  if (input.phone !== undefined) patch.phone = input.phone;
  return applyChange(ctx, actor, row, patch, 'unit.update', origin);
}

/** Disables (停用) or re-enables a unit, with a reason; a unit with active children stays on. */
export async function setUnitStatus(
  ctx: AppContext,
  actor: Actor,
  id: string,
  status: 'active' | 'disabled',
  reason: string,
  origin: AuditOrigin,
): Promise<Unit> {
  const row = await repo.findUnit(ctx.db, actor, id);
  if (!row) throw notFound(UNIT);
  if (!unitPolicy.canChangeStatus(actor, row)) throw forbidden();
  if (row.status === status) {
    throw conflict('UNIT_STATUS_UNCHANGED', {
      zh: status === 'active' ? '机构已是正常状态' : '机构已停用',
      en: `The unit is already ${status}`,
    });
  }
  if (status === 'disabled' && (await repo.hasActiveChildren(ctx.db, id))) {
    throw new AppError(409, 'UNIT_HAS_ACTIVE_CHILDREN', {
      zh: '请先停用其下属机构',
      en: 'Disable its child units first',
    });
  }
  const patch: UnitPatch =
    status === 'disabled'
      ? { status, disabled_reason: reason, disabled_at: new Date() }
      : { status, disabled_reason: null, disabled_at: null };
  return applyChange(
    ctx,
    actor,
    row,
    patch,
    status === 'disabled' ? 'unit.disable' : 'unit.enable',
    origin,
    reason,
  );
}

async function applyChange(
  ctx: AppContext,
  actor: Actor,
  row: UnitWithCount,
  patch: UnitPatch,
  action: string,
  origin: AuditOrigin,
  reason?: string,
): Promise<Unit> {
  const before = toUnit(row);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateUnitRow(trx, row.id, patch);
    const after = toUnit(await repo.findUnitAfterWrite(trx, row.id));
    const b = auditView(before);
    const a = auditView(after);
    const changed = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    await recordAudit(trx, origin, {
      action,
      objectType: 'unit',
      objectId: row.id,
      unitId: row.id,
      before: Object.fromEntries(changed.map((k) => [k, b[k]])),
      after: { ...Object.fromEntries(changed.map((k) => [k, a[k]])), ...(reason ? { reason } : {}) },
    });
  });
  return toUnit(await repo.findUnitAfterWrite(ctx.db, row.id));
}

/** Counts for the dashboard, within scope. */
export async function unitStats(
  ctx: AppContext,
  actor: Actor,
  under: string | undefined,
): Promise<UnitStats> {
  let underPath: string | null = null;
  if (under) {
    const u = await repo.findUnit(ctx.db, actor, under);
    if (!u) throw notFound(UNIT);
    underPath = u.path;
  }
  const { byStage, byCounty } = await repo.unitStats(ctx.db, actor, underPath);
  return {
    schools: byStage.reduce((n, s) => n + s.count, 0),
    byStage: byStage
      .filter((s) => s.stage !== null)
      .map((s) => ({ stage: s.stage as SchoolStage, count: s.count })),
    byCounty: byCounty.map((c) => ({ unitId: c.unit_id, name: c.name, schools: c.schools, users: c.users })),
  };
}

const EXPORT_LIMIT = 20_000;

/** The unit list as a bureau's 学校名录 workbook, for the same filters as the list; audited as an export. */
export async function exportUnits(
  ctx: AppContext,
  actor: Actor,
  q: Omit<UnitListQuery, 'page' | 'pageSize'>,
  origin: AuditOrigin,
): Promise<{ file: Buffer; fileName: string }> {
  const page = await listUnits(ctx, actor, { ...q, page: 1, pageSize: EXPORT_LIMIT });
  const scopeUnit = q.under ?? q.parentId ?? null;
  const scopeName = scopeUnit ? (await getUnit(ctx, actor, scopeUnit)).name : '';
  const title = `${scopeName}${q.kind === 'school' ? '学校名录' : '机构名录'}`;
  const now = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const file = await writeXlsx<Unit>({
    title,
    subtitle: `导出人：${actor.displayName}\u3000导出时间：${now}\u3000共 ${page.total} 条`,
    sheetName: '名录',
    rows: page.items,
    columns: [
      { header: '序号', width: 6, value: (_u, i) => i + 1 },
      { header: '名称', width: 30, value: (u) => u.name },
      { header: '代码', width: 13, value: (u) => u.code },
      { header: '类型', width: 12, value: (u) => label(unitKindLabels, u.kind, 'zh') },
      { header: '学段', width: 11, value: (u) => label(stageLabels, u.stage, 'zh') },
      { header: '办学性质', width: 9, value: (u) => label(ownershipLabels, u.ownership, 'zh') },
      { header: '城乡', width: 7, value: (u) => label(localityLabels, u.locality, 'zh') },
      { header: '所在地区', width: 14, value: (u) => u.regionName },
      { header: '地址', width: 34, value: (u) => u.address },
      { header: '负责人', width: 9, value: (u) => u.principal },
      { header: '联系电话', width: 14, value: (u) => u.phone },
      { header: '状态', width: 7, value: (u) => label(statusLabels, u.status, 'zh') },
    ],
  });
  await recordExport(ctx, origin, { what: 'unit', unitId: scopeUnit, rows: page.items.length, filter: q });
  return { file, fileName: `${title}.xlsx` };
}
