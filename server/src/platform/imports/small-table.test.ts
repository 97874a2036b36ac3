import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSmallSheets, readSmallTable, type RowLimit } from './small-table.js';
import { encodeGb18030, minimalXlsx, tempDir } from './test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

const limit = (maxRows: number): RowLimit => ({
  maxRows,
  code: 'TEST_TOO_MANY_ROWS',
  message: { zh: '行太多', en: 'Too many rows' },
});
const rowsXml = (...values: string[]) =>
  values
    .map((v, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>${v}</t></is></c></row>`)
    .join('');

async function workbook(name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(
    path,
    minimalXlsx({
      sheets: [
        { name: '教师', sheetData: rowsXml('学校名称', '一小') },
        { name: '隐藏', sheetData: rowsXml('a', 'b', 'c', 'd'), hidden: true },
        { name: '填写说明', sheetData: rowsXml('说明', '1', '2', '3') },
        { name: '办学条件', sheetData: rowsXml('学校名称', '一小', '二小') },
      ],
    }),
  );
  return path;
}

describe('readSmallSheets', () => {
  it('reads every visible sheet in tab order but the skipped ones, limiting each sheet', async () => {
    const path = await workbook('sections.xlsx');
    expect(await readSmallSheets(path, 'sections.xlsx', limit(3), { skipSheets: ['填写说明'] })).toEqual([
      { name: '教师', rows: [['学校名称'], ['一小']] },
      { name: '办学条件', rows: [['学校名称'], ['一小'], ['二小']] },
    ]);
    // unskipped, 填写说明 is read, and its 4 rows are over the limit
    await expect(readSmallSheets(path, 'sections.xlsx', limit(3))).rejects.toMatchObject({
      status: 400,
      code: 'TEST_TOO_MANY_ROWS',
    });
  });

  it('reads a CSV in GB18030 as one unnamed sheet and refuses what is not a table', async () => {
    const csv = join(dir, 'a.csv');
    await writeFile(csv, encodeGb18030('学校名称,专任教师数\r\n一小,20\r\n'));
    expect(await readSmallSheets(csv, 'a.csv', limit(2))).toEqual([
      {
        name: null,
        rows: [
          ['学校名称', '专任教师数'],
          ['一小', '20'],
        ],
      },
    ]);
    await expect(readSmallSheets(csv, 'a.csv', limit(1))).rejects.toMatchObject({
      code: 'TEST_TOO_MANY_ROWS',
    });
    const pdf = join(dir, 'x.xlsx');
    await writeFile(pdf, '%PDF-1.4\n1 0 obj\n');
    await expect(readSmallSheets(pdf, 'x.xlsx', limit(10))).rejects.toMatchObject({
      status: 400,
      code: 'UNSUPPORTED_TYPE',
    });
  });
});

describe('readSmallTable', () => {
  it('reads the first visible sheet only', async () => {
    const path = await workbook('first.xlsx');
    expect(await readSmallTable(path, 'first.xlsx', limit(2))).toEqual([['学校名称'], ['一小']]);
  });
});
