import { describe, expect, it } from 'vitest';
import { mapHeader, normalizeHeader, type FieldSpec } from './header.js';

type Key = 'name' | 'sex' | 'idNumber' | 'birthDate' | 'phone' | 'g1Name' | 'g1Phone' | 'g2Name' | 'g2Phone';

const FIELDS: FieldSpec<Key>[] = [
  { key: 'name', label: '姓名', synonyms: ['学生姓名'], required: true },
  { key: 'sex', label: '性别', required: true },
  {
    key: 'idNumber',
    label: '身份证号',
    synonyms: ['身份证件号', '身份证号码', '公民身份号码', '证件号码', '身份证'],
    required: true,
  },
  { key: 'birthDate', label: '出生日期', synonyms: ['出生年月日', '生日'] },
  { key: 'phone', label: '联系电话', synonyms: ['电话', '手机号'] },
  { key: 'g1Name', label: '监护人1姓名' },
  { key: 'g1Phone', label: '监护人1电话', synonyms: ['监护人1联系电话'] },
  { key: 'g2Name', label: '监护人2姓名' },
  { key: 'g2Phone', label: '监护人2电话' },
];

describe('normalizeHeader', () => {
  it('folds full-width characters, spaces, asterisks, required marks and case', () => {
    expect(normalizeHeader(' ＊身份证号（必填）')).toBe('身份证号');
    expect(normalizeHeader('*姓　名')).toBe('姓名');
    expect(normalizeHeader('身份证\n号码')).toBe('身份证号码');
    expect(normalizeHeader('ＩＤ Number')).toBe('idnumber');
    expect(normalizeHeader('性别[选填]')).toBe('性别');
  });
});

describe('mapHeader', () => {
  it('finds the header below title rows and maps synonyms', () => {
    const rows = [
      ['某某区实验小学2024学年学生花名册'],
      ['填报单位：实验小学', '', '', '填报日期：2024-09-01'],
      [],
      ['序号', '学生姓名', '性 别', '公民身份号码（必填）', '出生日期（格式：2015-09-01）', '备注'],
      ['1', '张三', '男', '440882201509011234', '2015-09-01', ''],
    ];
    const m = mapHeader(rows, FIELDS);
    expect(m).toEqual({
      headerRow: 3,
      headerRows: 1,
      dataRow: 4,
      columns: { name: 1, sex: 2, idNumber: 3, birthDate: 4 },
      unknown: ['序号', '备注'],
      duplicates: [],
      missingRequired: [],
    });
  });

  it('accepts every synonym of the ID number', () => {
    for (const h of [
      '身份证号',
      '身份证件号',
      '身份证号码',
      '公民身份号码',
      '证件号码',
      '身份证',
      '＊身份证号码(必填)',
    ]) {
      expect(mapHeader([['姓名', '性别', h]], FIELDS).columns.idNumber).toBe(2);
    }
  });

  it('joins a two-level merged header: 监护人1 over 姓名 | 电话', () => {
    // As the readers deliver it: merged cells repeat their value over the range.
    const rows = [
      [
        '学生信息登记表',
        '学生信息登记表',
        '学生信息登记表',
        '学生信息登记表',
        '学生信息登记表',
        '学生信息登记表',
        '学生信息登记表',
      ],
      ['姓名', '性别', '身份证号', '监护人1', '监护人1', '监护人2', '监护人2'],
      ['姓名', '性别', '身份证号', '姓名', '电话', '姓名', '联系电话'],
      ['张三', '男', '440882201509011234', '张父', '13812345678', '李母', '13912345678'],
    ];
    const m = mapHeader(rows, FIELDS);
    expect(m.headerRow).toBe(1);
    expect(m.headerRows).toBe(2);
    expect(m.dataRow).toBe(3);
    expect(m.columns).toEqual({ name: 0, sex: 1, idNumber: 2, g1Name: 3, g1Phone: 4, g2Name: 5, g2Phone: 6 });
    expect(m.unknown).toEqual([]);
  });

  it('never lets a qualified sub-column (监护人2 / 电话) fall back to a plain field', () => {
    const fields = FIELDS.filter((f) => f.key !== 'g2Name' && f.key !== 'g2Phone');
    const rows = [
      ['姓名', '性别', '身份证号', '监护人1', '监护人1', '监护人2', '监护人2'],
      ['姓名', '性别', '身份证号', '姓名', '电话', '姓名', '电话'],
    ];
    const m = mapHeader(rows, fields);
    expect(m.columns).toEqual({ name: 0, sex: 1, idNumber: 2, g1Name: 3, g1Phone: 4 });
    expect(m.unknown).toEqual(['监护人2姓名', '监护人2电话']);
  });

  it('reads a group over plain fields (基本信息 over 姓名 | 性别) as the plain fields', () => {
    const rows = [
      ['基本信息', '基本信息', '基本信息', '联系方式'],
      ['姓名', '性别', '身份证号', '手机号'],
      ['张三', '男', '440882201509011234', '13812345678'],
    ];
    const m = mapHeader(rows, FIELDS);
    expect(m.columns).toEqual({ name: 0, sex: 1, idNumber: 2, phone: 3 });
    expect(m.dataRow).toBe(2);
  });

  it('reports missing required fields, unknown columns and duplicates', () => {
    const m = mapHeader([['姓名', '出生日期', '生日', '电话', '班主任']], FIELDS);
    expect(m.headerRow).toBe(0);
    expect(m.columns).toEqual({ name: 0, birthDate: 1, phone: 3 });
    expect(m.duplicates).toEqual(['生日']);
    expect(m.unknown).toEqual(['班主任']);
    expect(m.missingRequired).toEqual(['性别', '身份证号']);
  });

  it('finds nothing when no row within the scan matches enough fields', () => {
    const rows = [...Array.from({ length: 20 }, () => ['说明']), ['姓名', '性别', '身份证号']];
    const m = mapHeader(rows, FIELDS);
    expect(m.headerRow).toBe(-1);
    expect(m.missingRequired).toEqual(['姓名', '性别', '身份证号']);
    expect(mapHeader(rows, FIELDS, { maxScan: 25 }).headerRow).toBe(20);
    expect(mapHeader([['姓名', '备注']], FIELDS, { minMatches: 1 }).columns).toEqual({ name: 0 });
  });
});
