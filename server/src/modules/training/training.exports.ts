/**
 * The training module's tables as bureaus file them, streamed as .xlsx through the platform's export writer
 * (formula-like text neutralised, A4 set up, audited once the file is written): the registry (培训机构名册)
 * and the published white/black lists (白名单/黑名单公示) with the list's filters, the compliance table per
 * county (合规情况统计表) and the closures/bans/conversions per county (关停、取缔、学转非情况统计表). Every
 * read goes through the scope filter: a county exports its own institutions; another county's unitId → 404.
 * No personal data is exported (no staff, legal representatives' or institutions' phones, money figures).
 */
import {
  complianceAspectLabels,
  label,
  listStatusLabels,
  trainingCategoryLabels,
  trainingStatusLabels,
  trainingSubTypeLabels,
  type ComplianceRow,
  type InstitutionExportQuery,
  type LifecycleQuery,
} from '@dudao/contracts';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { badRequest } from '../../platform/errors.js';
import { xlsxBody } from '../../platform/exports/stream-writers.js';
import { recordExport } from '../../platform/exports/xlsx.js';
import { complianceReport, lifecycleStats } from './training.reports.js';
import type { FactRow } from './training.repository.js';
import { bureauInScope, filterInstitutions } from './training.service.js';

/** A registry is a working list: beyond this, narrow the filter. */
export const TRAINING_EXPORT_LIMIT = 20_000;

export interface TrainingExport {
  body: Readable;
  /** 铁西区校外培训机构白名单（2026年11月）.xlsx */
  fileName: string;
  fallbackName: string;
}

interface Column<R> {
  header: string;
  width: number;
  value: (r: R, i: number) => string | number | null;
}

const ASPECTS = ['org', 'venue', 'staff', 'docs', 'funds', 'all'] as const;
const aspectName = (a: (typeof ASPECTS)[number]) =>
  a === 'all' ? '全部合规' : label(complianceAspectLabels, a, 'zh');

/** 2026-11-28 → 2026年11月28日; the month alone → 2026年11月. */
export function zhDate(date: string, monthOnly = false): string {
  const [y, m, d] = date.split('-').map(Number);
  return monthOnly ? `${y}年${m}月` : `${y}年${m}月${d}日`;
}

/** Where the table is from: the chosen bureau, else the actor's own unit when it is a bureau in scope. */
async function scopeOf(ctx: AppContext, actor: Actor, unitId: string | undefined) {
  const unit =
    (await bureauInScope(ctx, actor, unitId)) ??
    (actor.unitId ? await bureauInScope(ctx, actor, actor.unitId).catch(() => undefined) : undefined);
  const issuer = unit?.name ?? '';
  // 铁西区教育局 → 铁西区 (the area, as the title names it)
  return { unitId: unit?.id ?? null, issuer, area: issuer.replace(/教育局$/, '') };
}

function nowText(): string {
  return new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

function table<R>(
  ctx: AppContext,
  actor: Actor,
  origin: AuditOrigin,
  spec: {
    what: string;
    unitId: string | null;
    filter: Record<string, unknown>;
    title: string;
    subtitle: string;
    sheetName: string;
    columns: Column<R>[];
    rows: R[];
    fallbackName: string;
  },
): TrainingExport {
  const cells = spec.rows.map((r, i) => spec.columns.map((c) => c.value(r, i)));
  const body = xlsxBody(
    [cells],
    {
      header: spec.columns.map((c) => c.header),
      widths: spec.columns.map((c) => c.width),
      title: spec.title,
      subtitle: `${spec.subtitle}\u3000导出人：${actor.displayName}\u3000导出时间：${nowText()}`,
      sheetName: spec.sheetName,
      print: 'landscape',
    },
    (n) => recordExport(ctx, origin, { what: spec.what, unitId: spec.unitId, rows: n, filter: spec.filter }),
  );
  return { body, fileName: `${spec.title}.xlsx`, fallbackName: spec.fallbackName };
}

type Item = {
  row: FactRow;
  summary: Awaited<ReturnType<typeof filterInstitutions>>['items'][number]['summary'];
};

const yesNo = (b: boolean) => (b ? '合规' : '不合规');
const sub = (r: FactRow) => (r.sub_type ? label(trainingSubTypeLabels, r.sub_type, 'zh') : null);

const REGISTRY: Column<Item>[] = [
  { header: '序号', width: 6, value: (_r, i) => i + 1 },
  { header: '监管部门', width: 16, value: (r) => r.row.unit_name },
  { header: '机构名称', width: 30, value: (r) => r.row.name },
  { header: '统一社会信用代码', width: 21, value: (r) => r.row.credit_code },
  { header: '类别', width: 9, value: (r) => label(trainingCategoryLabels, r.row.category, 'zh') },
  { header: '类型', width: 9, value: (r) => sub(r.row) },
  { header: '办学地址', width: 30, value: (r) => r.row.address },
  { header: '办学许可证号', width: 18, value: (r) => r.row.licence_no },
  { header: '许可证有效期至', width: 12, value: (r) => r.row.licence_to },
  { header: '状态', width: 9, value: (r) => label(trainingStatusLabels, r.summary.status, 'zh') },
  { header: '状态日期', width: 11, value: (r) => r.summary.statusSince },
  { header: '黑白名单', width: 9, value: (r) => label(listStatusLabels, r.summary.list, 'zh') },
  ...(['org', 'venue', 'staff', 'docs', 'funds'] as const).map((a): Column<Item> => ({
    header: aspectName(a),
    width: 9,
    value: (r) => yesNo(r.summary.compliance[a]),
  })),
  {
    header: '存在问题',
    width: 40,
    value: (r) => r.summary.compliance.problems.map((p) => p.zh).join('；') || null,
  },
];

const WHITE: Column<Item>[] = [
  { header: '序号', width: 6, value: (_r, i) => i + 1 },
  { header: '机构名称', width: 32, value: (r) => r.row.name },
  { header: '统一社会信用代码', width: 21, value: (r) => r.row.credit_code },
  { header: '类别', width: 9, value: (r) => label(trainingCategoryLabels, r.row.category, 'zh') },
  { header: '类型', width: 9, value: (r) => sub(r.row) },
  { header: '办学地址', width: 34, value: (r) => r.row.address },
  { header: '办学许可证号', width: 18, value: (r) => r.row.licence_no },
  { header: '许可证有效期至', width: 12, value: (r) => r.row.licence_to },
  { header: '监管部门', width: 16, value: (r) => r.row.unit_name },
];

const BLACK: Column<Item>[] = [
  { header: '序号', width: 6, value: (_r, i) => i + 1 },
  { header: '机构名称', width: 32, value: (r) => r.row.name },
  { header: '统一社会信用代码', width: 21, value: (r) => r.row.credit_code },
  { header: '类别', width: 9, value: (r) => label(trainingCategoryLabels, r.row.category, 'zh') },
  { header: '办学地址', width: 30, value: (r) => r.row.address },
  { header: '列入原因', width: 36, value: (r) => r.row.blacklist_reason },
  { header: '列入日期', width: 11, value: (r) => r.row.blacklisted_on },
  { header: '当前状态', width: 9, value: (r) => label(trainingStatusLabels, r.summary.status, 'zh') },
  { header: '监管部门', width: 16, value: (r) => r.row.unit_name },
];

const SHEETS = {
  registry: { columns: REGISTRY, name: '培训机构名册', file: 'institutions' },
  white: { columns: WHITE, name: '白名单', file: 'white-list' },
  black: { columns: BLACK, name: '黑名单', file: 'black-list' },
} as const;

/**
 * The registry with the list's filters, or (sheet white/black) the published list: the portal's set
 * (under supervision, or black-listed after closure or a ban) on that list.
 */
export async function exportInstitutions(
  ctx: AppContext,
  actor: Actor,
  q: InstitutionExportQuery,
  origin: AuditOrigin,
): Promise<TrainingExport> {
  const { sheet, ...filter } = q;
  const scope = await scopeOf(ctx, actor, filter.unitId);
  const published = sheet === 'registry' ? filter : { ...filter, list: sheet, published: 'yes' as const };
  const { items } = await filterInstitutions(ctx, actor, published);
  if (items.length > TRAINING_EXPORT_LIMIT)
    throw badRequest('EXPORT_TOO_LARGE', {
      zh: `超过 ${TRAINING_EXPORT_LIMIT} 条，请缩小筛选范围后导出`,
      en: `More than ${TRAINING_EXPORT_LIMIT} rows: narrow the filter`,
    });
  const today = chinaToday();
  const s = SHEETS[sheet];
  const title =
    sheet === 'registry'
      ? `${scope.area}校外培训机构名册（${zhDate(today)}）`
      : `${scope.area}校外培训机构${s.name}（${zhDate(today, true)}）`;
  return table(ctx, actor, origin, {
    what: 'training_institution',
    unitId: scope.unitId,
    filter: q,
    title,
    subtitle:
      sheet === 'registry'
        ? `共 ${items.length} 所`
        : `公示单位：${scope.issuer}\u3000公示日期：${zhDate(today)}\u3000共 ${items.length} 所`,
    sheetName: s.name,
    columns: s.columns,
    rows: items,
    fallbackName: `${s.file}.xlsx`,
  });
}

/** The compliance table per county (Σ compliant / Σ under supervision) with the area's total. */
export async function exportCompliance(
  ctx: AppContext,
  actor: Actor,
  q: { unitId?: string },
  origin: AuditOrigin,
): Promise<TrainingExport> {
  const scope = await scopeOf(ctx, actor, q.unitId);
  const report = await complianceReport(ctx, actor, { unitId: q.unitId });
  const rate = (n: number, d: number) => (d === 0 ? '—' : `${((n / d) * 100).toFixed(1)}%`);
  const columns: Column<ComplianceRow>[] = [
    { header: '区县', width: 18, value: (r) => r.unitName },
    { header: '在管机构数', width: 10, value: (r) => r.total },
    ...ASPECTS.flatMap((a): Column<ComplianceRow>[] => [
      { header: `${aspectName(a)}数`, width: 10, value: (r) => r[a] },
      { header: `${aspectName(a)}率`, width: 10, value: (r) => rate(r[a], r.total) },
    ]),
  ];
  const today = chinaToday();
  return table(ctx, actor, origin, {
    what: 'training_compliance',
    unitId: scope.unitId,
    filter: q,
    title: `${scope.area}校外培训机构合规情况统计表（截至${zhDate(today)}）`,
    subtitle: `合规率 = 合规机构数 ÷ 在管机构数（已审批、正常运营、整改中、停业整顿）\u3000统计单位：${scope.issuer}`,
    sheetName: '合规情况',
    columns,
    rows: [...report.rows, report.total],
    fallbackName: 'compliance.xlsx',
  });
}

/** Closures, bans and conversions per county in a period, with the sentence and the total. */
export async function exportLifecycle(
  ctx: AppContext,
  actor: Actor,
  q: z.infer<typeof LifecycleQuery>,
  origin: AuditOrigin,
): Promise<TrainingExport> {
  const scope = await scopeOf(ctx, actor, q.unitId);
  const stats = await lifecycleStats(ctx, actor, q);
  const n = (s: string) => stats.counts[s] ?? 0;
  const total = {
    unitId: null,
    unitName: '合计',
    closed: n('closed'),
    banned: n('banned'),
    converted: n('converted'),
  };
  type Row = typeof total | (typeof stats.byUnit)[number];
  const columns: Column<Row>[] = [
    { header: '区县', width: 20, value: (r) => r.unitName },
    { header: '关停（所）', width: 12, value: (r) => r.closed },
    { header: '取缔（所）', width: 12, value: (r) => r.banned },
    { header: '学转非（所）', width: 12, value: (r) => r.converted },
    { header: '合计（所）', width: 12, value: (r) => r.closed + r.banned + r.converted },
  ];
  return table(ctx, actor, origin, {
    what: 'training_lifecycle',
    unitId: scope.unitId,
    filter: q,
    title: `${scope.area}校外培训机构关停、取缔、学转非情况统计表（${zhDate(q.from)}至${zhDate(q.to)}）`,
    subtitle: `${stats.sentence}\u3000统计单位：${scope.issuer}`,
    sheetName: '关停取缔学转非',
    columns,
    rows: [...stats.byUnit, total],
    fallbackName: 'lifecycle.xlsx',
  });
}
