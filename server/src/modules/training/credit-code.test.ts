import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_CHARS,
  creditCodeCheckChar,
  makeCreditCode,
  orgCodeCheckChar,
  validateCreditCode,
} from './credit-code.js';

const err = (code: string) => {
  const r = validateCreditCode(code);
  return r.valid ? 'VALID' : r.error;
};

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts published real-format codes', () => {
    // Widely published examples (an enterprise in 福州, one in 北京).
    expect(err('91350100M000100Y43')).toBe('VALID');
    expect(err('91110000600037341L')).toBe('VALID');
  });
  it('computes the check character with weights 3^i mod 31', () => {
    // Σ value·weight for 91350100M000100Y4 worked by hand: weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28.
    const first17 = '91350100M000100Y4';
    let sum = 0;
    let w = 1;
    for (const c of first17) {
      sum += CREDIT_CODE_CHARS.indexOf(c) * w;
      w = (w * 3) % 31;
    }
    expect(CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31]).toBe('3');
    expect(creditCodeCheckChar(first17)).toBe('3');
  });
  it('computes the GB 11714 organisation-code check (X for 10, 0 for 11)', () => {
    expect(orgCodeCheckChar('60003734')).toBe('1');
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
    // Find bodies whose check is X and 0 and confirm a made code with them validates.
    const bodies = Array.from({ length: 400 }, (_, i) => String(10000000 + i * 7919));
    const x = bodies.find((b) => orgCodeCheckChar(b) === 'X')!;
    const zero = bodies.find((b) => orgCodeCheckChar(b) === '0')!;
    expect(err(makeCreditCode('52', '220302', x))).toBe('VALID');
    expect(err(makeCreditCode('91', '220302', zero))).toBe('VALID');
    expect(makeCreditCode('52', '220302', x)[16]).toBe('X');
  });
  it('accepts codes made for every authority/type pair and division', () => {
    for (const at of ['11', '12', '13', '19', '51', '52', '53', '91', '92', '93', 'Y1', 'N2', 'A1', '31'])
      expect(err(makeCreditCode(at, '220303', 'MA0K3R7T')), at).toBe('VALID');
  });
  it('refuses a wrong check character, naming the right one', () => {
    const r = validateCreditCode('91350100M000100Y44');
    expect(r.valid).toBe(false);
    if (!r.valid) {
      expect(r.error).toBe('CHECK_CHAR');
      expect(r.reason.zh).toContain('应为3');
      expect(r.reason.en).toContain('should be 3');
    }
  });
  it('refuses a bad organisation-code check even when the final check matches', () => {
    // Change the org check digit and recompute the final check: only the GB 11714 check catches it.
    const first17 = '91350100M000100Y5';
    const code = first17 + creditCodeCheckChar(first17);
    expect(err(code)).toBe('ORG_CODE_CHECK');
  });
  it('refuses the forbidden letters I, O, S, V, Z', () => {
    for (const c of ['I', 'O', 'S', 'V', 'Z']) {
      const code = '91350100M000100' + c + '43';
      const r = validateCreditCode(code);
      expect(r.valid).toBe(false);
      if (!r.valid) {
        expect(r.error).toBe('CHARSET');
        expect(r.reason.zh).toContain(c);
      }
    }
  });
  it('refuses lower case, punctuation, full-width characters', () => {
    expect(err('91350100m000100y43')).toBe('LOWERCASE');
    expect(err('91350100M000100-43')).toBe('CHARSET');
    expect(err('９1350100M000100Y43')).toBe('CHARSET');
  });
  it('refuses wrong lengths and an empty value; trims surrounding spaces', () => {
    expect(err('')).toBe('EMPTY');
    expect(err('   ')).toBe('EMPTY');
    expect(err('91350100M000100Y4')).toBe('LENGTH');
    expect(err('91350100M000100Y433')).toBe('LENGTH');
    expect(err('6000373-41')).toBe('LENGTH');
    expect(err(' 91350100M000100Y43 ')).toBe('VALID');
    const r = validateCreditCode('123');
    expect(!r.valid && r.reason.zh).toBe('应为18位，实际3位');
  });
  it('refuses unknown authority and type codes and impossible divisions', () => {
    expect(err(makeCreditCode('B1', '220302', 'MA0K3R7T'))).toBe('AUTHORITY');
    expect(err(makeCreditCode('0A', '220302', 'MA0K3R7T'))).toBe('AUTHORITY');
    expect(err(makeCreditCode('94', '220302', 'MA0K3R7T'))).toBe('TYPE');
    expect(err(makeCreditCode('Y2', '220302', 'MA0K3R7T'))).toBe('TYPE');
    expect(err(makeCreditCode('91', '000000', 'MA0K3R7T'))).toBe('DIVISION');
    expect(err(makeCreditCode('91', '99A100', 'MA0K3R7T'))).toBe('DIVISION');
  });
  it('every single-character change of a valid code is caught', () => {
    const good = '91110000600037341L';
    let caught = 0;
    let total = 0;
    for (let i = 0; i < 18; i++)
      for (const c of CREDIT_CODE_CHARS) {
        if (c === good[i]) continue;
        total++;
        if (!validateCreditCode(good.slice(0, i) + c + good.slice(i + 1)).valid) caught++;
      }
    expect(caught).toBe(total);
  });
});
