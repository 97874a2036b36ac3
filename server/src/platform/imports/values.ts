// Cell value parsers for imports. Each takes the text of a cell as the readers give it (what the user
// sees) and returns a value or a stable code with a Chinese and English reason that the error report
// shows beside the row. Blank cells are the caller's business (required or not): test with isBlank first.
import type { Message } from '../errors.js';
import { idNumberErrorMessages, validateIdNumber, type IdNumberError } from '../crypto/id-number.js';

/** The outcome of parsing one cell. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; code: string; message: Message };

function fail(code: string, message: Message): { ok: false; code: string; message: Message } {
  return { ok: false, code, message };
}

// Anything but visible ASCII: spaces, controls and every non-ASCII character.
const NOT_VISIBLE_ASCII = /[^\x21-\x7e]/;

/**
 * Full-width digits and letters (from Chinese IMEs) to half-width, every kind of space (U+3000, NBSP) to a
 * plain one, trimmed. Text of visible ASCII only is returned as it is (NFKC leaves it alone): most cells of a
 * roster are, and normalising them took a good part of an import's parsing time.
 */
export function cleanCell(input: string): string {
  if (!NOT_VISIBLE_ASCII.test(input)) return input;
  return input.normalize('NFKC').replace(/\s+/g, ' ').trim();
}
const clean = cleanCell;

/** True for a cell with nothing but spaces in it. */
export function isBlank(input: string | null | undefined): boolean {
  if (input === null || input === undefined || input === '') return true;
  // A cell that starts with a visible ASCII character is not blank (most are): no need to clean it.
  const c = input.charCodeAt(0);
  if (c > 0x20 && c < 0x7f) return false;
  return clean(input) === '';
}

// ---------------------------------------------------------------------------------------------------
// Dates

function isRealDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Converts an Excel (1900 system) serial day number to YYYY-MM-DD; null for serials that are no date. */
export function excelSerialToDate(serial: number): string | null {
  // Serial 60 is 1900-02-29, a day that never was (Lotus 1-2-3's leap-year bug, kept by Excel).
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466 || Math.floor(serial) === 60) return null;
  const days = Math.floor(serial);
  // From 61 on, day 0 is 1899-12-30; below 60 the phantom leap day has not happened yet.
  const t = new Date(Date.UTC(1899, 11, days < 60 ? 31 : 30) + days * 86_400_000);
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

const DATE_MESSAGES = {
  format: {
    zh: '日期格式无法识别，请填写如 2015-09-01、2015/9/1、20150901 或 2015年9月1日',
    en: 'Unrecognised date; write it like 2015-09-01, 2015/9/1, 20150901 or 2015年9月1日',
  },
  invalid: { zh: '日期不存在（请检查月份和日期）', en: 'No such date (check the month and day)' },
};

/**
 * Parses a date written as 2015-09-01, 2015/9/1, 2015.9.1, 20150901, 2015年9月1日, with a time after it
 * (2015-09-01 00:00:00, from database exports), or as an Excel serial day number (42248); gives YYYY-MM-DD.
 */
export function parseDate(input: string, opts: { min?: string; max?: string } = {}): ParseResult<string> {
  const s = clean(input);
  let y: number;
  let m: number;
  let d: number;
  let match: RegExpExecArray | null;
  if (
    (match =
      /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(s))
  ) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/.exec(s))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if (/^\d{1,6}(\.\d+)?$/.test(s)) {
    // A serial number: the cell held a date but reached us as a number (a CSV saved from a sheet whose
    // date column was formatted as a number). Up to 6 digits, so 20150901 above is never taken for one.
    const date = excelSerialToDate(Number(s));
    if (!date) return fail('DATE_INVALID', DATE_MESSAGES.invalid);
    return checkRange(date, opts);
  } else {
    return fail('DATE_FORMAT', DATE_MESSAGES.format);
  }
  if (y < 1900 || !isRealDate(y, m, d)) return fail('DATE_INVALID', DATE_MESSAGES.invalid);
  return checkRange(iso(y, m, d), opts);
}

function checkRange(date: string, opts: { min?: string; max?: string }): ParseResult<string> {
  // YYYY-MM-DD strings compare like the dates they name.
  if ((opts.min && date < opts.min) || (opts.max && date > opts.max)) {
    const range = `${opts.min ?? '…'} ~ ${opts.max ?? '…'}`;
    return fail('DATE_RANGE', {
      zh: `日期 ${date} 不在允许范围（${range}）内`,
      en: `Date ${date} is outside ${range}`,
    });
  }
  return { ok: true, value: date };
}

// ---------------------------------------------------------------------------------------------------
// Enumerations

/** An enumeration: each value with the words people write for it, and its name for messages. */
export interface EnumSpec<T> {
  name: Message;
  options: readonly { value: T; synonyms: readonly string[] }[];
}

function enumKey(s: string): string {
  return clean(s).replace(/\s+/g, '').toLowerCase();
}

const enumIndexes = new WeakMap<object, Map<string, unknown>>();
// The outcomes of the cell texts met so far, per enumeration: a column of 是/否 or 汉族 holds a handful of
// texts a million times. Bounded, so a column of free text cannot grow it without end.
const enumSeen = new WeakMap<object, Map<string, ParseResult<unknown>>>();
const ENUM_SEEN_MAX = 1000;

/** Parses an enumerated value by its synonyms (full-width, spaces and case ignored). */
export function parseEnum<T>(input: string, spec: EnumSpec<T>): ParseResult<T> {
  let seen = enumSeen.get(spec) as Map<string, ParseResult<T>> | undefined;
  if (!seen) {
    seen = new Map<string, ParseResult<T>>();
    enumSeen.set(spec, seen);
  }
  let result = seen.get(input);
  if (!result) {
    result = parseEnumText(input, spec);
    if (seen.size < ENUM_SEEN_MAX) seen.set(input, result);
  }
  return result;
}

function parseEnumText<T>(input: string, spec: EnumSpec<T>): ParseResult<T> {
  let index = enumIndexes.get(spec) as Map<string, T> | undefined;
  if (!index) {
    index = new Map();
    for (const o of spec.options) for (const syn of o.synonyms) index.set(enumKey(syn), o.value);
    enumIndexes.set(spec, index);
  }
  const key = enumKey(input);
  if (index.has(key)) return { ok: true, value: index.get(key) as T };
  const allowed = spec.options.map((o) => o.synonyms[0] ?? '').join('、');
  return fail('ENUM_VALUE', {
    zh: `“${clean(input)}”不是有效的${spec.name.zh}，应为：${allowed}`,
    en: `“${clean(input)}” is not a valid ${spec.name.en}; expected one of: ${allowed}`,
  });
}

/** 性别: 男/女 and what registrars write for them, including the GB/T 2261.1 codes 1 and 2. */
export const SEX: EnumSpec<'M' | 'F'> = {
  name: { zh: '性别', en: 'sex' },
  options: [
    { value: 'M', synonyms: ['男', '男性', '男生', 'M', 'male', '1'] },
    { value: 'F', synonyms: ['女', '女性', '女生', 'F', 'female', '2'] },
  ],
};

/** 是/否 flags (留守儿童, 随迁子女 …): 是 否 有 无 √ × Y N and kin. */
export const YES_NO: EnumSpec<boolean> = {
  name: { zh: '是/否', en: 'yes/no value' },
  options: [
    { value: true, synonyms: ['是', '有', '√', '✓', '✔', 'Y', 'yes', 'true', '1', '对'] },
    { value: false, synonyms: ['否', '无', '×', '✗', '✘', 'X', 'N', 'no', 'false', '0', '不是', '没有'] },
  ],
};

/** Parses 性别 to 'M' | 'F'. */
export const parseSex = (input: string): ParseResult<'M' | 'F'> => parseEnum(input, SEX);

/** Parses a 是/否 cell to a boolean. */
export const parseYesNo = (input: string): ParseResult<boolean> => parseEnum(input, YES_NO);

// ---------------------------------------------------------------------------------------------------
// Phone numbers

/**
 * Parses a mainland mobile (13812345678, with +86 or spaces or dashes) or landline (0411-88886666,
 * 041188886666, extension dropped) number; gives the digits, landlines as area code-number.
 */
export function parsePhone(input: string): ParseResult<string> {
  let s = clean(input)
    .replace(/^(\+|00)?86[\s-]*/, '')
    .replace(/[\s()（）]/g, '');
  // A number column saved from a float (13812345678.0).
  s = s.replace(/^(\d+)\.0+$/, '$1');
  const digits = s.replace(/-/g, '');
  if (/^1[3-9]\d{9}$/.test(digits)) return { ok: true, value: digits };
  const land = /^(0\d{2,3})-?(\d{7,8})(?:(?:-|转|ext\.?)\d{1,6})?$/i.exec(s);
  if (land?.[1] && land[2]) return { ok: true, value: `${land[1]}-${land[2]}` };
  return fail('PHONE_FORMAT', {
    zh: '电话号码格式不正确，应为 11 位手机号或带区号的固定电话（如 0411-88886666）',
    en: 'Invalid phone number: expected an 11-digit mobile number or a landline with area code (e.g. 0411-88886666)',
  });
}

// ---------------------------------------------------------------------------------------------------
// Resident ID numbers

/** A valid ID number and what it encodes. */
export interface IdNumberValue {
  normalized: string;
  birthDate: string;
  sex: 'M' | 'F';
  regionCode: string;
}

const SCIENTIFIC_MESSAGE: Message = {
  zh: "身份证号被 Excel 显示为科学计数法（如 4.40882E+17），后几位数字已丢失，无法恢复。请将该列设置为“文本”格式后重新填写完整的 18 位号码（或在号码前加英文单引号 '）再导入",
  en: "Excel turned the ID number into scientific notation (like 4.40882E+17) and its last digits are lost for good. Format the column as Text, re-enter the full 18-character numbers (or type an apostrophe ' before each) and import again",
};

// Excel keeps 15 significant digits of a number, so an 18-digit ID typed into a General cell keeps its
// first 15 digits and ends in 000. Such a number fails the check digit (only 1 in 11 would pass by chance).
function lostPrecision(s: string): boolean {
  return /^\d{15}000$/.test(s);
}

/**
 * Validates a resident ID number (GB 11643 via validateIdNumber); detects numbers Excel mangled into
 * scientific notation (4.40882E+17, 4.40882e17) or rounded to 15 digits (…000) as ID_SCIENTIFIC_NOTATION.
 */
export function parseIdNumber(input: string, opts?: { today?: Date }): ParseResult<IdNumberValue> {
  let s = clean(input);
  // Exports that force text in Excel: ="440…", a leading apostrophe or tab (the tab is gone after clean).
  s = s.replace(/^="(.*)"$/, '$1').replace(/^'/, '');
  s = s.replace(/\s+/g, '');
  if (/^\d+(\.\d+)?e\+?\d+$/i.test(s) || /^\d{16,}\.0+$/.test(s))
    return fail('ID_SCIENTIFIC_NOTATION', SCIENTIFIC_MESSAGE);
  const result = validateIdNumber(s, opts);
  if (result.ok) {
    const { normalized, birthDate, sex, regionCode } = result;
    return { ok: true, value: { normalized, birthDate, sex, regionCode } };
  }
  if (result.code === 'ID_CHECKSUM' && lostPrecision(s))
    return fail('ID_SCIENTIFIC_NOTATION', SCIENTIFIC_MESSAGE);
  const code: IdNumberError = result.code;
  return fail(code, idNumberErrorMessages[code]);
}
