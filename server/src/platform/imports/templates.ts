// The official template of an import kind: the columns users know, in order, required ones marked with *
// (the header mapping ignores the mark), every column formatted as text so Excel keeps ID numbers and
// leading zeros, and a second sheet with what to write in each column and an example row. The example is
// kept off the data sheet so a template sent back unchanged imports nothing.
import ExcelJS from 'exceljs';
import { neutralizeFormula } from '../exports/stream-writers.js';
import type { ImportKindDef } from './kinds.js';

const THIN = { style: 'thin' as const, color: { argb: 'FF999999' } };

function headerLabel(f: ImportKindDef['fields'][number]): string {
  return f.required ? `*${f.label}` : f.label;
}

type TemplateDef = Pick<ImportKindDef, 'fields' | 'example'>;

/**
 * The template as an .xlsx workbook. With `sheets`, one data sheet per entry (a form's sections) instead of
 * one sheet of all the fields; the 填写说明 sheet still lists every field.
 */
export async function templateXlsx(
  def: TemplateDef,
  title: string,
  sheets?: { title: string; fields: ImportKindDef['fields'] }[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '督导 Dudao';
  for (const s of sheets ?? [{ title, fields: def.fields }]) addDataSheet(wb, s.fields, s.title, title);
  addHelpSheet(wb, def);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function addDataSheet(wb: ExcelJS.Workbook, fields: ImportKindDef['fields'], name: string, title: string) {
  const ws = wb.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
  const n = fields.length;
  ws.columns = fields.map((f) => ({
    width: f.width ?? Math.max(12, f.label.length * 2 + 4),
    style: { numFmt: '@' },
  }));
  ws.mergeCells(1, 1, 1, n);
  const t = ws.getCell(1, 1);
  t.value = `${title}（带 * 的列必填；请勿修改列名，可删除不用的列）`;
  t.font = { name: '宋体', size: 14, bold: true };
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 26;
  const header = ws.getRow(2);
  fields.forEach((f, i) => {
    const cell = header.getCell(i + 1);
    cell.value = headerLabel(f);
    cell.font = { name: '宋体', size: 11, bold: true, color: f.required ? { argb: 'FFC00000' } : undefined };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
    cell.border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
    if (f.hint) cell.note = f.hint;
  });
  header.height = 22;
}

function addHelpSheet(wb: ExcelJS.Workbook, def: TemplateDef) {
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ width: 22 }, { width: 10 }, { width: 60 }, { width: 40 }, { width: 30 }];
  help.addRow(['列名', '是否必填', '填写说明', '也可使用的列名', '示例']).font = { bold: true };
  def.fields.forEach((f, i) => {
    help.addRow([
      f.label,
      f.required ? '必填' : '',
      f.hint ?? '',
      (f.synonyms ?? []).join('、'),
      neutralizeFormula(def.example[0]?.[i] ?? ''),
    ]);
  });
}

/** The template as a CSV file (UTF-8 with BOM, so Excel and WPS open it as UTF-8): the header line. */
export function templateCsv(def: Pick<ImportKindDef, 'fields'>): Buffer {
  return Buffer.from('\uFEFF' + def.fields.map(headerLabel).join(',') + '\r\n', 'utf8');
}
