import { chinaToday } from '../dates.js';
// 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit order code
// (odd = male, even = female) and an ISO 7064 MOD 11-2 check character.

/** Why an identity number was rejected; stable codes for API errors and i18n. */
export type IdNumberError = 'ID_FORMAT' | 'ID_CHECKSUM' | 'ID_BIRTH_DATE' | 'ID_REGION' | 'ID_FIFTEEN_DIGIT';

/** Result of validateIdNumber; birthDate is YYYY-MM-DD. */
export type IdNumberResult =
  | { ok: true; normalized: string; birthDate: string; sex: 'M' | 'F'; regionCode: string }
  | { ok: false; code: IdNumberError };

/** User-facing messages for each IdNumberError. */
export const idNumberErrorMessages: Record<IdNumberError, { zh: string; en: string }> = {
  ID_FORMAT: {
    zh: '身份证号码格式不正确，应为 18 位，前 17 位为数字，最后一位为数字或 X',
    en: 'Invalid ID number format: it must be 18 characters, 17 digits followed by a digit or X',
  },
  ID_CHECKSUM: {
    zh: '身份证号码校验位不正确，请核对是否有输错的数字',
    en: 'The ID number check character does not match; please check for mistyped digits',
  },
  ID_BIRTH_DATE: {
    zh: '身份证号码中的出生日期无效（不存在、早于 1900 年或晚于今天）',
    en: 'The birth date in the ID number is invalid (not a real date, before 1900, or in the future)',
  },
  ID_REGION: {
    zh: '身份证号码的地址码无效，前两位不是有效的省级行政区划代码',
    en: 'The ID number region code is invalid: the first two digits are not a province-level code',
  },
  ID_FIFTEEN_DIGIT: {
    zh: '15 位第一代身份证已于 2013 年停止使用，请填写 18 位第二代身份证号码',
    en: 'First-generation 15-digit ID numbers expired in 2013; please enter the 18-digit number',
  },
};

// GB/T 2260 province-level prefixes (71 台湾, 81 香港, 82 澳门), plus 83: the number printed on a
// 台湾居民居住证. 81/82 also head 港澳居民居住证 numbers (810000/820000); all use the same check rule.
// prettier-ignore
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** Computes the ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

// Input comes from forms and spreadsheets: Chinese IMEs produce full-width digits (２２０…),
// ideographic spaces and grouping spaces (“220302 19900101 123X”), and people type a lowercase x.
function normalizeInput(input: string): string {
  // Digits and an upper-case X only (the usual cell): nothing to normalise.
  if (/^\d{17}[\dX]$/.test(input)) return input;
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Arithmetic, not a Date: an import checks a million of them.
function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!);
}

// Birth dates are civil dates in China, so “today” is taken in UTC+8 whatever the server's zone.

/** Validates and normalizes an 18-digit resident identity number (GB 11643-1999). */
export function validateIdNumber(input: string, opts?: { today?: Date }): IdNumberResult {
  const normalized = normalizeInput(input);
  // First-generation cards stopped being valid on 2013-01-01; their numbers also lack a check
  // character, so a typo could not be caught. Ask for the 18-digit number instead.
  if (/^\d{15}$/.test(normalized)) return { ok: false, code: 'ID_FIFTEEN_DIGIT' };
  if (!/^\d{17}[\dX]$/.test(normalized)) return { ok: false, code: 'ID_FORMAT' };

  // Only the province prefix is enforced. A 6-digit code missing from the current division list
  // is still accepted: numbers are issued for life, so cards keep the codes of counties that were
  // since merged, renamed or abolished (e.g. 220381 公主岭市 became 220184 in 2020).
  const regionCode = normalized.slice(0, 6);
  if (!PROVINCE_PREFIXES.has(regionCode.slice(0, 2))) return { ok: false, code: 'ID_REGION' };

  const year = Number(normalized.slice(6, 10));
  const month = Number(normalized.slice(10, 12));
  const day = Number(normalized.slice(12, 14));
  const birthDate = `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
  // String comparison is safe: both sides are zero-padded YYYY-MM-DD.
  if (year < 1900 || !isRealDate(year, month, day) || birthDate > chinaToday(opts?.today)) {
    return { ok: false, code: 'ID_BIRTH_DATE' };
  }

  // Checked last so a number with a bad date reports the date, which is the more useful message.
  if (idNumberCheckChar(normalized) !== normalized[17]) return { ok: false, code: 'ID_CHECKSUM' };

  const sex = Number(normalized[16]) % 2 === 1 ? 'M' : 'F';
  return { ok: true, normalized, birthDate, sex, regionCode };
}

/** Masks the birth date (characters 7–14) of an ID number for display, e.g. 220302********123X. */
export function maskIdNumber(n: string): string {
  const s = normalizeInput(n);
  if (s.length === 18) return `${s.slice(0, 6)}********${s.slice(14)}`;
  // 15-digit numbers carry a 6-digit YYMMDD birth date at the same offset.
  if (s.length === 15) return `${s.slice(0, 6)}******${s.slice(12)}`;
  // Anything else is not a number we understand; never risk echoing it back.
  return '*'.repeat(s.length);
}

/** Builds a valid ID number; sequence 0–499 (male) or 0–498 (female) picks the order code. */
export function generateIdNumber(
  regionCode: string,
  birthDate: string,
  sex: 'M' | 'F',
  sequence: number,
): string {
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`regionCode must be 6 digits: ${regionCode}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new RangeError(`birthDate must be a real YYYY-MM-DD date: ${birthDate}`);
  }
  // Order codes run 001–999; odd for men (001, 003 … 999), even for women (002 … 998), so 000 is never issued.
  const order = sex === 'M' ? 2 * sequence + 1 : 2 * sequence + 2;
  if (!Number.isInteger(sequence) || sequence < 0 || order > 999) {
    throw new RangeError(`sequence out of range for sex ${sex}: ${sequence}`);
  }
  const first17 = `${regionCode}${m[1]}${m[2]}${m[3]}${String(order).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}
