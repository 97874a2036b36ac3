import { describe, it, expect } from 'vitest';
import {
  generateIdNumber,
  idNumberCheckChar,
  idNumberErrorMessages,
  maskIdNumber,
  validateIdNumber,
  type IdNumberError,
} from './id-number.js';

const today = new Date('2025-06-15T12:00:00Z');

// Replace the check character with a different, still well-formed one.
function withWrongCheck(n: string): string {
  const right = n[17];
  const wrong = right === '0' ? '1' : '0';
  return n.slice(0, 17) + wrong;
}

describe('validateIdNumber', () => {
  it('accepts the worked example from GB 11643-1999', () => {
    expect(validateIdNumber('11010519491231002X', { today })).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'F',
      regionCode: '110105',
    });
  });

  it('accepts numbers built for 四平市 counties and reads sex from the order code', () => {
    const male = generateIdNumber('220302', '2012-09-01', 'M', 6);
    expect(male.slice(0, 17)).toBe('22030220120901013');
    expect(validateIdNumber(male, { today })).toMatchObject({
      ok: true,
      birthDate: '2012-09-01',
      sex: 'M',
      regionCode: '220302',
    });
    const female = generateIdNumber('220323', '1988-02-29', 'F', 0);
    expect(validateIdNumber(female, { today })).toMatchObject({
      ok: true,
      sex: 'F',
      birthDate: '1988-02-29',
    });
  });

  it('rejects a wrong check character', () => {
    expect(validateIdNumber(withWrongCheck('11010519491231002X'), { today })).toEqual({
      ok: false,
      code: 'ID_CHECKSUM',
    });
    const n = generateIdNumber('220322', '2010-03-04', 'F', 17);
    expect(validateIdNumber(withWrongCheck(n), { today })).toEqual({ ok: false, code: 'ID_CHECKSUM' });
    // A transposition of two digits is caught too.
    const swapped = n.slice(0, 14) + n[15] + n[14] + n.slice(16);
    expect(swapped).not.toBe(n);
    expect(validateIdNumber(swapped, { today })).toEqual({ ok: false, code: 'ID_CHECKSUM' });
  });

  it('rejects impossible, future and pre-1900 birth dates even with a correct check character', () => {
    const withDate = (date: string) => {
      const first17 = `220302${date}001`;
      return first17 + idNumberCheckChar(first17);
    };
    const bad = { ok: false, code: 'ID_BIRTH_DATE' };
    expect(validateIdNumber(withDate('20100230'), { today })).toEqual(bad);
    expect(validateIdNumber(withDate('20230229'), { today })).toEqual(bad);
    expect(validateIdNumber(withDate('20101301'), { today })).toEqual(bad);
    expect(validateIdNumber(withDate('20100001'), { today })).toEqual(bad);
    expect(validateIdNumber(withDate('20250616'), { today })).toEqual(bad);
    expect(validateIdNumber(withDate('20250615'), { today }).ok).toBe(true);
    // The other GB 11643 example (born 1880) is well formed but outside the accepted range.
    expect(validateIdNumber('440524188001010014', { today })).toEqual(bad);
    expect(validateIdNumber(withDate('19000101'), { today }).ok).toBe(true);
    // The calendar's edges: leap years by the century rules, day 0, the 31st of a 30-day month.
    expect(validateIdNumber(withDate('20000229'), { today }).ok).toBe(true);
    expect(validateIdNumber(withDate('20240229'), { today }).ok).toBe(true);
    expect(validateIdNumber(withDate('19000229'), { today })).toEqual(bad);
    expect(validateIdNumber(withDate('20100100'), { today })).toEqual(bad);
    expect(validateIdNumber(withDate('20100431'), { today })).toEqual(bad);
    expect(validateIdNumber(withDate('20101231'), { today }).ok).toBe(true);
  });

  it('judges “today” in China time, not the server zone', () => {
    const n = generateIdNumber('220302', '2025-06-16', 'M', 0);
    // 2025-06-15T17:00Z is already 06-16 01:00 in 四平.
    expect(validateIdNumber(n, { today: new Date('2025-06-15T17:00:00Z') }).ok).toBe(true);
    expect(validateIdNumber(n, { today: new Date('2025-06-15T15:00:00Z') })).toEqual({
      ok: false,
      code: 'ID_BIRTH_DATE',
    });
  });

  it('normalizes lowercase x, spaces and full-width characters', () => {
    const expected = { ok: true, normalized: '11010519491231002X' };
    expect(validateIdNumber('11010519491231002x', { today })).toMatchObject(expected);
    expect(validateIdNumber('  110105 19491231 002x\t', { today })).toMatchObject(expected);
    expect(validateIdNumber('１１０１０５１９４９１２３１００２ｘ', { today })).toMatchObject(expected);
  });

  it('rejects malformed input', () => {
    for (const s of [
      '',
      '   ',
      '1101051949123100',
      '11010519491231002XX',
      '1101051949123100X2',
      '11010519491231002Y',
    ]) {
      expect(validateIdNumber(s, { today })).toEqual({ ok: false, code: 'ID_FORMAT' });
    }
  });

  it('rejects 15-digit first-generation numbers with their own code', () => {
    expect(validateIdNumber('220302880101123', { today })).toEqual({ ok: false, code: 'ID_FIFTEEN_DIGIT' });
  });

  it('rejects an address code under no province', () => {
    for (const region of ['000000', '100000', '240000', '900000', '840000']) {
      const n = generateIdNumber(region, '1990-01-01', 'M', 1);
      expect(validateIdNumber(n, { today })).toEqual({ ok: false, code: 'ID_REGION' });
    }
  });

  it('accepts codes of abolished counties under a real province', () => {
    // 公主岭市 was 220381 (under 四平市) until it moved to 长春市 as 220184 in 2020.
    const n = generateIdNumber('220381', '1975-05-20', 'F', 3);
    expect(validateIdNumber(n, { today })).toMatchObject({ ok: true, regionCode: '220381' });
  });

  it('accepts 港澳 (81/82) and 台湾 (83) residence permit numbers', () => {
    for (const region of ['810000', '820000', '830000']) {
      const n = generateIdNumber(region, '1992-11-03', 'M', 40);
      expect(validateIdNumber(n, { today })).toMatchObject({ ok: true, regionCode: region, sex: 'M' });
      expect(validateIdNumber(withWrongCheck(n), { today })).toEqual({ ok: false, code: 'ID_CHECKSUM' });
    }
  });
});

describe('maskIdNumber', () => {
  it('hides the birth date', () => {
    expect(maskIdNumber('22030219900101123X')).toBe('220302********123X');
    expect(maskIdNumber('22030219900101123x')).toBe('220302********123X');
  });

  it('never echoes input it does not understand', () => {
    expect(maskIdNumber('220302880101123')).toBe('220302******123');
    expect(maskIdNumber('12345')).toBe('*****');
  });
});

describe('generateIdNumber', () => {
  it('round-trips 1000 generated numbers through the validator', () => {
    const regions = ['220302', '220303', '220322', '220323', '220382', '110105', '650102', '810000'];
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const region = regions[i % regions.length] ?? '220302';
      const start = Date.UTC(1930, 0, 1);
      const date = new Date(start + ((i * 7919) % 34000) * 86_400_000).toISOString().slice(0, 10);
      const sex = i % 3 === 0 ? 'F' : 'M';
      const sequence = (i * 37) % 499;
      const n = generateIdNumber(region, date, sex, sequence);
      expect(n).toMatch(/^\d{17}[\dX]$/);
      expect(validateIdNumber(n, { today })).toEqual({
        ok: true,
        normalized: n,
        birthDate: date,
        sex,
        regionCode: region,
      });
      seen.add(n);
    }
    expect(seen.size).toBe(1000);
  });

  it('uses odd order codes for men and even for women across the whole range', () => {
    expect(generateIdNumber('220302', '2000-01-01', 'M', 0).slice(14, 17)).toBe('001');
    expect(generateIdNumber('220302', '2000-01-01', 'M', 499).slice(14, 17)).toBe('999');
    expect(generateIdNumber('220302', '2000-01-01', 'F', 0).slice(14, 17)).toBe('002');
    expect(generateIdNumber('220302', '2000-01-01', 'F', 498).slice(14, 17)).toBe('998');
  });

  it('refuses arguments that cannot make a valid number', () => {
    expect(() => generateIdNumber('2203', '2000-01-01', 'M', 0)).toThrow(RangeError);
    expect(() => generateIdNumber('220302', '2000-02-30', 'M', 0)).toThrow(RangeError);
    expect(() => generateIdNumber('220302', '2000-01-01', 'F', 499)).toThrow(RangeError);
    expect(() => generateIdNumber('220302', '2000-01-01', 'M', -1)).toThrow(RangeError);
    expect(() => generateIdNumber('220302', '2000-01-01', 'M', 1.5)).toThrow(RangeError);
  });
});

describe('idNumberErrorMessages', () => {
  it('has a Chinese and an English message for every code', () => {
    const codes: IdNumberError[] = [
      'ID_FORMAT',
      'ID_CHECKSUM',
      'ID_BIRTH_DATE',
      'ID_REGION',
      'ID_FIFTEEN_DIGIT',
    ];
    expect(Object.keys(idNumberErrorMessages).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      expect(idNumberErrorMessages[code].zh).toMatch(/\p{Script=Han}/u);
      expect(idNumberErrorMessages[code].en).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});

// Vectors from another validator's test suite (python-stdnum, tests/test_cn_ric.doctest), so our reading of
// GB 11643 is checked against someone else's, not only against our own generator.
describe('external test vectors (python-stdnum cn.ric)', () => {
  it.each([
    ['360426199101010071', '360426199101010071', '1991-01-01'],
    ['44011320141005001x', '44011320141005001X', '2014-10-05'],
    ['412723199010050012', '412723199010050012', '1990-10-05'],
    ['110102199101010078', '110102199101010078', '1991-01-01'],
    ['120110198012010073', '120110198012010073', '1980-12-01'],
  ])('accepts %s', (input, normalized, birthDate) => {
    const r = validateIdNumber(input);
    expect(r).toMatchObject({ ok: true, normalized, birthDate });
  });
  it.each([
    ['T60426199101010078', 'ID_FORMAT'],
    ['360426199113010079', 'ID_BIRTH_DATE'],
    ['36042619910102009X', 'ID_CHECKSUM'],
    ['990426199112010074', 'ID_REGION'],
  ])('rejects %s with %s', (input, code) => {
    expect(validateIdNumber(input)).toEqual({ ok: false, code });
  });
});
