import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { encodeGb18030, tempDir } from '../../platform/imports/test-helpers.js';
import { computeBalance } from './balance.engine.js';
import { SAMPLE_HEADER, SAMPLE_ROWS, sampleCsv, sampleTable, sampleXlsx } from './balance.fixture.js';
import { parseBalanceRows, parseFigure, parseSchoolKind, readBalanceTable } from './balance.table.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('cells', () => {
  it('figures: separators, full-width digits, blanks; bad text and negatives are errors', () => {
    expect(parseFigure('1,234.5')).toEqual({ ok: true, value: 1234.5 });
    expect(parseFigure('１２０')).toEqual({ ok: true, value: 120 });
    expect(parseFigure(' ')).toEqual({ ok: true, value: null });
    expect(parseFigure('-')).toEqual({ ok: true, value: null });
    expect(parseFigure('约300')).toMatchObject({ ok: false });
    expect(parseFigure('-3')).toMatchObject({ ok: false });
    expect(parseFigure('12.5', { integer: true })).toMatchObject({ ok: false });
  });

  it('学段 in the words people use', () => {
    expect(parseSchoolKind('小学')).toBe('primary');
    expect(parseSchoolKind('初级中学')).toBe('junior');
    expect(parseSchoolKind('九年一贯制学校')).toBe('nine_year');
    expect(parseSchoolKind('完中')).toBe('complete_secondary');
    expect(parseSchoolKind('教学点')).toBe('teaching_point');
    expect(parseSchoolKind('特殊教育学校')).toBe('special');
    expect(parseSchoolKind('中等职业学校')).toBe('vocational');
    expect(parseSchoolKind('幼儿园')).toBeNull();
  });
});

describe('the table', () => {
  it('finds the header under a title, converts 万元, ignores the 合计 row', () => {
    const t = parseBalanceRows(sampleTable(), 'x.csv');
    expect(t.rows.map((r) => r.name)).toEqual(SAMPLE_ROWS.slice(0, 8).map((r) => r[0]));
    expect(t.rows[0]).toMatchObject({ row: 3, kind: 'primary', students: 1200 });
    expect(t.rows[0]!.figures.equipmentValue).toBe(3_000_000);
    expect(t.scaled).toEqual([{ column: '教学仪器设备值（万元）', factor: 10_000 }]);
    expect(t.ignored).toEqual([{ row: 11, text: '合计' }]);
    expect(t.errors).toEqual([]);
    expect(t.columnsFound).toHaveLength(11);
  });

  it('takes synonyms (校名, 学生数) and reports bad cells with the row number', () => {
    const header = ['校名', '学校类型', '学生数', '教学及辅助用房面积', '体育运动场馆面积'];
    const t = parseBalanceRows(
      [
        header,
        ['一小', '小学', '500', '2500', '4000'],
        ['二小', '小学', '五百', '2500', '4000'],
        ['三小', '幼儿园', '300', '1500', ''],
        ['四小', '小学', '400', 'abc', '3000'],
      ],
      null,
    );
    expect(t.rows.map((r) => r.name)).toEqual(['一小']);
    expect(t.errors).toEqual([
      { row: 3, column: '在校生数', message: '“五百”不是数字' },
      { row: 4, column: '学段', message: expect.stringContaining('幼儿园') as string },
      { row: 4, column: '体育运动场馆面积', message: expect.stringContaining('未填写') as string },
      { row: 5, column: '教学及辅助用房面积', message: '“abc”不是数字' },
    ]);
    const res = computeBalance(t);
    const p = res.stages[0]!;
    expect(p.quality.indicators.find((q) => q.key === 'buildingArea')!.countyValue).toBe(5);
    // Absent columns: those indicators are not computable, with the column named.
    expect(p.quality.indicators.find((q) => q.key === 'equipmentValue')!.reason).toContain('教学仪器设备值');
  });

  it('speaks English when asked', () => {
    const t = parseBalanceRows(
      [
        ['学校名称', '学段', '在校生数'],
        ['一小', '小学', 'many'],
      ],
      null,
      'en',
    );
    expect(t.errors).toEqual([{ row: 2, column: '在校生数', message: '“many” is not a number' }]);
    const res = computeBalance(parseBalanceRows(sampleTable(), null, 'en'), {}, 'en');
    expect(res.stages[0]!.quality.indicators[0]!.label).toBe(
      'Teachers above required degree per 100 students',
    );
    expect(res.excluded[0]!.reason).toMatch(/^Teaching point with fewer than 50 students/);
  });

  it('refuses a table without the required columns', () => {
    const err = (() => {
      try {
        parseBalanceRows(
          [
            ['学校名称', '在校生数', '图书册数'],
            ['一小', '500', '1000'],
          ],
          null,
        );
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BALANCE_MISSING_COLUMNS');
    expect((err as AppError).msg.zh).toContain('学段');
  });

  it('reads a GB18030 CSV and an xlsx to the same table', async () => {
    const csv = join(dir, 'county.csv');
    await writeFile(csv, encodeGb18030(sampleCsv()));
    const xlsx = join(dir, 'county.xlsx');
    await writeFile(xlsx, await sampleXlsx());
    const a = await readBalanceTable(csv, 'county.csv');
    const b = await readBalanceTable(xlsx, 'county.xlsx');
    expect(a.rows).toHaveLength(8);
    expect(b.rows).toEqual(a.rows);
    expect(b.columnsFound).toEqual(a.columnsFound);
    expect(SAMPLE_HEADER).toHaveLength(17);
  });

  it('refuses a PDF with a stable code', async () => {
    const pdf = join(dir, 'x.pdf');
    await writeFile(pdf, '%PDF-1.4\n1 0 obj\n');
    await expect(readBalanceTable(pdf, 'x.xlsx')).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE' });
  });
});

describe('the sample county', () => {
  it('splits, excludes and computes', () => {
    const res = computeBalance(parseBalanceRows(sampleTable(), 'x.csv'));
    const [primary, junior] = res.stages;
    expect(primary!.schools.map((s) => s.name)).toEqual([
      '城关第一小学',
      '城关第二小学',
      '东河乡中心小学',
      '实验学校',
    ]);
    expect(junior!.schools.map((s) => s.name)).toEqual(['城关中学', '实验学校', '县第一中学']);
    expect(res.excluded.map((e) => e.name)).toEqual(['西岭村教学点', '县特殊教育学校']);
    // 实验学校: 900 : 600 × 1.1 = 900 : 660 → primary share 900 / 1560.
    expect(primary!.schools[3]!.share).toBeCloseTo(900 / 1560, 6);
    // 县第一中学: 800 : 1200 × 1.2 → junior share 800 / 2240.
    expect(junior!.schools[2]!.share).toBeCloseTo(800 / 2240, 6);
    expect(primary!.schools[0]!.values.equipmentValue).toBe(2500);
  });
});
