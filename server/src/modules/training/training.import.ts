/**
 * 预收费订单导入: an institution's orders from an .xlsx or CSV (UTF-8/GB18030) file, read with the import
 * engine's pieces (content sniffing, zip-bomb limits, streaming readers, header synonyms, value parsers).
 * Rows with errors are reported and skipped; the valid rows are saved (by order number) and checked.
 */
import type { Readable } from 'node:stream';
import type { Lang } from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { mapHeader, type FieldSpec } from '../../platform/imports/header.js';
import { readSmallTable, withUpload } from '../../platform/imports/small-table.js';
import { isBlank, parseDate } from '../../platform/imports/values.js';
import { parseOrderRows, saveOrders } from './training.prepaid.js';
import { loadForManage } from './training.service.js';

export const ORDER_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 5000;

type Field = 'orderNo' | 'paidOn' | 'amount' | 'classHours' | 'coversMonths' | 'hoursTaught' | 'refunded';
export const ORDER_FIELDS: FieldSpec<Field>[] = [
  {
    key: 'orderNo',
    label: '订单号',
    synonyms: ['订单编号', '合同编号', '收费单号', '票据号'],
    required: true,
  },
  { key: 'paidOn', label: '缴费日期', synonyms: ['收费日期', '付款日期', '日期'], required: true },
  {
    key: 'amount',
    label: '金额（元）',
    synonyms: ['金额', '收费金额', '缴费金额', '实收金额'],
    required: true,
  },
  { key: 'classHours', label: '课时数', synonyms: ['购买课时', '课时', '总课时'], required: true },
  {
    key: 'coversMonths',
    label: '覆盖月数',
    synonyms: ['收费周期（月）', '月数', '周期月数'],
    required: true,
  },
  { key: 'hoursTaught', label: '已消课时', synonyms: ['已上课时', '消课课时', '已消课时数'] },
  { key: 'refunded', label: '是否退费', synonyms: ['退费', '已退费'] },
];

/** Maps the header and turns each row into the API's order shape (or a row error). */
export function ordersFromRows(rows: string[][], lang: Lang = 'zh') {
  const mapping = mapHeader(rows, ORDER_FIELDS, { minMatches: 3 });
  if (mapping.headerRow < 0 || mapping.missingRequired.length > 0)
    throw badRequest('TRAINING_IMPORT_HEADER', {
      zh: `找不到表头或缺少必需的列：${(mapping.missingRequired.length ? mapping.missingRequired : ORDER_FIELDS.filter((f) => f.required).map((f) => f.label)).join('、')}`,
      en: `No header, or required columns are missing: ${mapping.missingRequired.join(', ')}`,
    });
  const c = mapping.columns;
  const out: { row: number; values: Record<string, unknown> }[] = [];
  const errors: { row: number; message: string }[] = [];
  for (let i = mapping.dataRow; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (cells.every((x) => isBlank(x))) continue;
    const cell = (k: Field) => (c[k] === undefined ? '' : (cells[c[k]] ?? '').normalize('NFKC').trim());
    const num = (k: Field) => (cell(k) === '' ? undefined : Number(cell(k).replace(/[,¥元\s]/g, '')));
    const d = parseDate(cell('paidOn'));
    if (!d.ok) {
      errors.push({ row: i + 1, message: lang === 'en' ? d.message.en : d.message.zh });
      continue;
    }
    out.push({
      row: i + 1,
      values: {
        orderNo: cell('orderNo'),
        paidOn: d.value,
        amount: num('amount'),
        classHours: num('classHours'),
        coversMonths: num('coversMonths'),
        hoursTaught: num('hoursTaught') ?? 0,
        refunded: /^(是|已退|y|yes|true|1)$/i.test(cell('refunded')),
      },
    });
  }
  const parsed = parseOrderRows(out);
  return { orders: parsed.orders, errors: [...errors, ...parsed.errors].sort((a, b) => a.row - b.row) };
}

export async function importOrders(
  ctx: AppContext,
  actor: Actor,
  institutionId: string,
  body: Readable,
  fileName: string,
  lang: Lang,
  origin: AuditOrigin,
) {
  await loadForManage(ctx, actor, institutionId);
  return withUpload(body, ORDER_IMPORT_MAX_BYTES, async (path) => {
    const rows = await readSmallTable(path, fileName, {
      maxRows: MAX_ROWS + 50,
      code: 'TRAINING_IMPORT_TOO_MANY',
      message: { zh: `订单不能超过${MAX_ROWS}行`, en: `At most ${MAX_ROWS} orders` },
    });
    const { orders, errors } = ordersFromRows(rows, lang);
    const saved =
      orders.length > 0
        ? await saveOrders(ctx, actor, institutionId, orders, 'import', origin)
        : { created: 0, updated: 0, raised: 0 };
    return { ...saved, errors };
  });
}
