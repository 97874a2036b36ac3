import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { recordAudit, type AuditOrigin } from '../audit/audit.js';
import type { AppContext } from '../context.js';

/** One column of an exported table. */
export interface ExportColumn<R> {
  header: string;
  /** Width in characters (CJK characters count double). */
  width: number;
  value: (row: R, index: number) => string | number | null;
}

export interface ExportSpec<R> {
  /** Title row above the table, e.g. 铁西区学校名录. */
  title: string;
  /** Second line: who exported what and when. */
  subtitle: string;
  sheetName: string;
  columns: ExportColumn<R>[];
  rows: R[];
}

const THIN = { style: 'thin' as const, color: { argb: 'FF999999' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * Writes a table the way bureaus file it: a merged title row, a subtitle with the unit and time, a bold
 * framed header that stays in view, framed rows, page set up for A4 landscape printing with the header
 * repeated on every page.
 */
export async function writeXlsx<R>(spec: ExportSpec<R>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '督导 Dudao';
  wb.created = new Date();
  const ws = wb.addWorksheet(spec.sheetName, {
    views: [{ state: 'frozen', ySplit: 3 }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '3:3',
    },
  });
  const n = spec.columns.length;
  ws.columns = spec.columns.map((c) => ({ width: c.width }));
  ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.value = spec.title;
  title.font = { name: '宋体', size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 28;
  ws.mergeCells(2, 1, 2, n);
  const sub = ws.getCell(2, 1);
  sub.value = spec.subtitle;
  sub.font = { name: '宋体', size: 10, color: { argb: 'FF666666' } };
  sub.alignment = { horizontal: 'right' };
  const header = ws.getRow(3);
  spec.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: '宋体', size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
    cell.border = BORDER;
  });
  header.height = 22;
  for (const [i, r] of spec.rows.entries()) {
    const row = ws.addRow(spec.columns.map((c) => c.value(r, i)));
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = BORDER;
      cell.font = { name: '宋体', size: 10.5 };
      cell.alignment = { vertical: 'middle', wrapText: true };
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every export is audited: what was exported, by whom, for which unit, how many rows, with which filter. */
export async function recordExport(
  ctx: AppContext,
  origin: AuditOrigin,
  entry: { what: string; unitId: string | null; rows: number; filter: Record<string, unknown> },
): Promise<void> {
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, origin, {
      action: 'export',
      objectType: entry.what,
      unitId: entry.unitId,
      after: { rows: entry.rows, filter: entry.filter },
    }),
  );
}

/** `Content-Disposition` for a Chinese file name (RFC 6266 / 5987), with an ASCII fallback. */
export function attachment(fileName: string, fallback: string): string {
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Answers with a workbook (a buffer or a stream) as a download named `fileName` (ASCII `fallback`). */
export function sendXlsx(
  reply: FastifyReply,
  body: Buffer | Readable,
  fileName: string,
  fallback: string,
): FastifyReply {
  return reply
    .header('content-type', XLSX_CONTENT_TYPE)
    .header('content-disposition', attachment(fileName, fallback))
    .send(body);
}
