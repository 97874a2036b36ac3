/**
 * A small county's school table as evaluators lay it out (title row, units in the headers, a 合计 row),
 * for the tests of the reader, the CLI and the API, and for trying the calculator by hand.
 */
import ExcelJS from 'exceljs';

export const SAMPLE_TITLE = '某某县义务教育学校办学条件统计表（2026年）';

export const SAMPLE_HEADER = [
  '学校名称',
  '学段',
  '在校生数',
  '小学在校生数',
  '初中在校生数',
  '高中在校生数',
  '高于规定学历教师数',
  '县级以上骨干教师数',
  '体育艺术专任教师数',
  '教学及辅助用房面积（平方米）',
  '体育运动场馆面积（平方米）',
  '教学仪器设备值（万元）',
  '网络多媒体教室数',
  '计算机台数',
  '图书册数',
  '专任教师数',
  '中级及以上职称教师数',
];

// prettier-ignore
export const SAMPLE_ROWS: string[][] = [
  ['城关第一小学', '小学', '1200', '', '', '', '60', '15', '14', '6000', '10000', '300', '30', '150', '36000', '70', '40'],
  ['城关第二小学', '小学', '800', '', '', '', '30', '8', '8', '3400', '5600', '160', '18', '80', '20000', '45', '25'],
  ['东河乡中心小学', '小学', '300', '', '', '', '12', '3', '3', '1500', '2600', '63', '7', '30', '7500', '20', '10'],
  ['西岭村教学点', '教学点', '28', '', '', '', '1', '0', '0', '150', '200', '3', '1', '5', '600', '3', '1'],
  ['城关中学', '初中', '1000', '', '', '', '60', '12', '10', '6500', '11000', '270', '26', '120', '35000', '80', '50'],
  ['实验学校', '九年一贯制', '1500', '900', '600', '', '90', '20', '16', '10000', '17000', '420', '40', '200', '50000', '110', '70'],
  ['县第一中学', '完全中学', '2000', '', '800', '1200', '130', '30', '20', '14000', '22000', '600', '50', '300', '80000', '160', '110'],
  ['县特殊教育学校', '特殊教育', '90', '', '', '', '10', '2', '3', '1800', '1500', '80', '6', '30', '4000', '25', '12'],
  ['合计', '', '6918', '', '', '', '393', '90', '74', '43350', '69900', '1896', '178', '915', '233100', '513', '318'],
];

/** The sample as rows: the title, the header, the schools, the 合计 row. */
export function sampleTable(rows: string[][] = SAMPLE_ROWS): string[][] {
  return [[SAMPLE_TITLE], SAMPLE_HEADER, ...rows];
}

/** The sample as CSV text. */
export function sampleCsv(rows: string[][] = SAMPLE_ROWS): string {
  return (
    sampleTable(rows)
      .map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
      .join('\r\n') + '\r\n'
  );
}

/** The sample as an .xlsx (numbers as numbers, the title merged over the header's width). */
export async function sampleXlsx(rows: string[][] = SAMPLE_ROWS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学校');
  ws.addRow([SAMPLE_TITLE]);
  ws.mergeCells(1, 1, 1, SAMPLE_HEADER.length);
  ws.addRow(SAMPLE_HEADER);
  for (const r of rows)
    ws.addRow(r.map((c, i) => (i >= 2 && c !== '' && Number.isFinite(Number(c)) ? Number(c) : c)));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
