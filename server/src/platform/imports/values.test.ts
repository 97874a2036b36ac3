import { describe, expect, it } from 'vitest';
import { generateIdNumber } from '../crypto/id-number.js';
import {
  excelSerialToDate,
  isBlank,
  parseDate,
  parseEnum,
  parseIdNumber,
  parsePhone,
  parseSex,
  parseYesNo,
  type EnumSpec,
  type ParseResult,
} from './values.js';

const value = <T>(r: ParseResult<T>) => (r.ok ? r.value : r.code);

describe('parseDate', () => {
  it('reads the ways registrars write a date', () => {
    for (const s of [
      '2015/9/1',
      '2015-09-01',
      '2015-9-1',
      '20150901',
      '2015年9月1日',
      '2015年09月01号',
      '2015.9.1',
      '２０１５／９／１',
      ' 2015-09-01 00:00:00 ',
      '2015/9/1 8:30',
      '42248',
      '42248.5',
    ]) {
      expect(value(parseDate(s)), s).toBe('2015-09-01');
    }
  });

  it('refuses impossible dates and unknown formats with reasons', () => {
    expect(value(parseDate('2015-02-29'))).toBe('DATE_INVALID');
    expect(value(parseDate('20151301'))).toBe('DATE_INVALID');
    expect(value(parseDate('1850-01-01'))).toBe('DATE_INVALID');
    expect(value(parseDate('15/9/1'))).toBe('DATE_FORMAT');
    expect(value(parseDate('2015年9月'))).toBe('DATE_FORMAT');
    expect(value(parseDate('明天'))).toBe('DATE_FORMAT');
    const r = parseDate('9/1/2015');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.zh).toContain('2015年9月1日');
  });

  it('checks an allowed range', () => {
    expect(value(parseDate('2030-01-01', { max: '2025-12-31' }))).toBe('DATE_RANGE');
    expect(value(parseDate('2020-01-01', { min: '2000-01-01', max: '2025-12-31' }))).toBe('2020-01-01');
  });

  it('converts Excel serial numbers, including around the phantom 1900-02-29', () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(60)).toBeNull();
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(45292)).toBe('2024-01-01');
    expect(excelSerialToDate(0)).toBeNull();
  });
});

describe('enumerations', () => {
  it('reads 性别 in its common spellings', () => {
    for (const s of ['男', '男性', 'M', 'm', ' 男 ', '1', 'Ｍ']) expect(value(parseSex(s)), s).toBe('M');
    for (const s of ['女', '女性', 'F', 'female', '2']) expect(value(parseSex(s)), s).toBe('F');
    const r = parseSex('未知');
    expect(r).toMatchObject({ ok: false, code: 'ENUM_VALUE' });
    if (!r.ok) expect(r.message.zh).toBe('“未知”不是有效的性别，应为：男、女');
  });

  it('reads 是/否 flags', () => {
    for (const s of ['是', '有', '√', 'Y', 'yes', '1']) expect(value(parseYesNo(s)), s).toBe(true);
    for (const s of ['否', '无', '×', 'N', 'no', '0']) expect(value(parseYesNo(s)), s).toBe(false);
    expect(value(parseYesNo('也许'))).toBe('ENUM_VALUE');
  });

  it('takes any enumeration with synonyms', () => {
    const stage: EnumSpec<'primary' | 'junior'> = {
      name: { zh: '学段', en: 'stage' },
      options: [
        { value: 'primary', synonyms: ['小学'] },
        { value: 'junior', synonyms: ['初中', '初级中学'] },
      ],
    };
    expect(value(parseEnum('初级中学', stage))).toBe('junior');
    expect(value(parseEnum('高中', stage))).toBe('ENUM_VALUE');
  });

  it('tells blank cells', () => {
    expect(isBlank('  　')).toBe(true);
    expect(isBlank(undefined)).toBe(true);
    expect(isBlank('0')).toBe(false);
  });
});

describe('parsePhone', () => {
  it('reads mobile and landline numbers in the usual spellings', () => {
    expect(value(parsePhone('138 1234 5678'))).toBe('13812345678');
    expect(value(parsePhone('+86 138-1234-5678'))).toBe('13812345678');
    expect(value(parsePhone('１３８１２３４５６７８'))).toBe('13812345678');
    expect(value(parsePhone('13812345678.0'))).toBe('13812345678');
    expect(value(parsePhone('0411-88886666'))).toBe('0411-88886666');
    expect(value(parsePhone('041188886666'))).toBe('0411-88886666');
    expect(value(parsePhone('(0759)2345678转801'))).toBe('0759-2345678');
  });

  it('refuses what is not a phone number', () => {
    expect(value(parsePhone('1381234567'))).toBe('PHONE_FORMAT');
    expect(value(parsePhone('12812345678'))).toBe('PHONE_FORMAT');
    expect(value(parsePhone('无'))).toBe('PHONE_FORMAT');
  });
});

describe('parseIdNumber', () => {
  const today = new Date('2024-09-01T00:00:00Z');
  const valid = generateIdNumber('440882', '2015-09-01', 'M', 17);

  it('accepts valid numbers as people write them and returns what they encode', () => {
    for (const s of [
      valid,
      ` ${valid.slice(0, 6)} ${valid.slice(6, 14)} ${valid.slice(14)} `,
      `'${valid}`,
      `="${valid}"`,
    ]) {
      expect(parseIdNumber(s, { today })).toEqual({
        ok: true,
        value: { normalized: valid, birthDate: '2015-09-01', sex: 'M', regionCode: '440882' },
      });
    }
    const withX = ['11010519491231002X', '11010519491231002x'];
    for (const s of withX)
      expect(value(parseIdNumber(s, { today }))).toMatchObject({ normalized: '11010519491231002X' });
  });

  it('detects numbers Excel turned into scientific notation', () => {
    for (const s of [
      '4.40882E+17',
      '4.40882e17',
      '4.40882201509011E+17',
      '4.4088220150901E+17',
      '440882201509011000.0',
    ]) {
      const r = parseIdNumber(s, { today });
      expect(r, s).toMatchObject({ ok: false, code: 'ID_SCIENTIFIC_NOTATION' });
      if (!r.ok) {
        expect(r.message.zh).toContain('文本');
        expect(r.message.en).toContain('Text');
      }
    }
  });

  it('detects 18-digit numbers rounded to 15 significant digits (ending in 000, check digit wrong)', () => {
    const rounded = `${valid.slice(0, 15)}000`;
    const r = parseIdNumber(rounded, { today });
    if (idCheckHolds(rounded)) expect(r.ok).toBe(true);
    else expect(r).toMatchObject({ ok: false, code: 'ID_SCIENTIFIC_NOTATION' });
    expect(parseIdNumber('440882201509011000', { today })).toMatchObject({ code: 'ID_SCIENTIFIC_NOTATION' });
  });

  it('passes on the validator’s own reasons', () => {
    expect(value(parseIdNumber(`${valid.slice(0, 17)}${valid[17] === '1' ? '2' : '1'}`, { today }))).toBe(
      'ID_CHECKSUM',
    );
    expect(value(parseIdNumber('440882150901123', { today }))).toBe('ID_FIFTEEN_DIGIT');
    expect(value(parseIdNumber('4408822015', { today }))).toBe('ID_FORMAT');
    expect(value(parseIdNumber(generateIdNumber('440882', '2025-01-01', 'F', 3), { today }))).toBe(
      'ID_BIRTH_DATE',
    );
  });
});

function idCheckHolds(id: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}
