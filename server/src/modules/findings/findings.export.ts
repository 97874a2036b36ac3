/** The ledger as bureaus file it (问题整改台账): xlsx with title and framed table, or CSV; audited. */
import {
  findingCategoryLabels,
  findingSeverityLabels,
  findingSourceLabels,
  findingStatusLabels,
  label,
  type FindingListQuery,
} from '@dudao/contracts';
import { PassThrough } from 'node:stream';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { writeCsvStream } from '../../platform/exports/stream-writers.js';
import { recordExport, writeXlsx, type ExportColumn } from '../../platform/exports/xlsx.js';
import { badRequest } from '../../platform/errors.js';
import * as repo from './findings.repository.js';

/** A ledger is a working list, not a data dump: beyond this, narrow the filter. */
export const FINDINGS_EXPORT_LIMIT = 50_000;

type Row = Awaited<ReturnType<ReturnType<typeof repo.exportQuery>['execute']>>[number];

const columns = (today: string): ExportColumn<Row>[] => [
  { header: '序号', width: 6, value: (_r, i) => i + 1 },
  { header: '台账编号', width: 17, value: (r) => r.no },
  { header: '责任单位', width: 26, value: (r) => r.unit_name },
  { header: '问题来源', width: 10, value: (r) => label(findingSourceLabels, r.source, 'zh') },
  { header: '类别', width: 12, value: (r) => label(findingCategoryLabels, r.category, 'zh') },
  { header: '等级', width: 6, value: (r) => label(findingSeverityLabels, r.severity, 'zh') },
  { header: '问题', width: 34, value: (r) => r.title },
  { header: '具体情况', width: 34, value: (r) => r.description },
  { header: '位置', width: 16, value: (r) => r.location },
  { header: '依据', width: 24, value: (r) => r.basis },
  { header: '发现日期', width: 11, value: (r) => r.raised_on },
  { header: '整改期限', width: 11, value: (r) => r.deadline },
  { header: '整改措施', width: 30, value: (r) => r.measures },
  { header: '状态', width: 8, value: (r) => label(findingStatusLabels, r.status, 'zh') },
  { header: '销号日期', width: 11, value: (r) => r.closed_on },
  {
    header: '是否逾期',
    width: 8,
    value: (r) =>
      ['raised', 'notified', 'rectifying'].includes(r.status) && r.deadline < today ? '逾期' : '',
  },
  { header: '提出单位', width: 20, value: (r) => r.raiser_name },
  { header: '整改通知书', width: 22, value: (r) => r.notice_no },
];

export async function exportFindings(
  ctx: AppContext,
  actor: Actor,
  q: Omit<FindingListQuery, 'page' | 'pageSize'> & { format: 'xlsx' | 'csv' },
  underPath: string | null,
  scopeName: string,
  origin: AuditOrigin,
): Promise<{ file: Buffer; fileName: string; contentType: string }> {
  const today = chinaToday();
  const rows = await repo
    .exportQuery(ctx.db, actor, q, underPath, today)
    .limit(FINDINGS_EXPORT_LIMIT + 1)
    .execute();
  if (rows.length > FINDINGS_EXPORT_LIMIT)
    throw badRequest('EXPORT_TOO_LARGE', {
      zh: `超过 ${FINDINGS_EXPORT_LIMIT} 条，请缩小筛选范围后导出`,
      en: `More than ${FINDINGS_EXPORT_LIMIT} rows: narrow the filter`,
    });
  const title = `${scopeName}问题整改台账`;
  const cols = columns(today);
  let file: Buffer;
  if (q.format === 'csv') {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeCsvStream([rows.map((r, i) => cols.map((c) => c.value(r, i)))], out, {
      header: cols.map((c) => c.header),
    });
    file = Buffer.concat(chunks);
  } else {
    const now = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    file = await writeXlsx<Row>({
      title,
      subtitle: `导出人：${actor.displayName}\u3000导出时间：${now}\u3000共 ${rows.length} 条`,
      sheetName: '问题台账',
      rows,
      columns: cols,
    });
  }
  await recordExport(ctx, origin, { what: 'finding', unitId: q.under ?? null, rows: rows.length, filter: q });
  return {
    file,
    fileName: `${title}.${q.format}`,
    contentType:
      q.format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  };
}
