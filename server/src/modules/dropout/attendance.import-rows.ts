// The row parser of the attendance import: one spreadsheet row (a student's day) to a staged row — the day, the
// student's 学籍号 and/or ID number (HMAC'd, as the registry holds it), the name to check, the mark — or the
// reasons it is refused. Kept apart from the kind's SQL so the import's worker thread loads only what parsing
// needs. Which student, class and school the row means, and whether the day is a school day there, the check
// decides set-based (attendance.import.ts).
import type { Vault } from '../../platform/crypto/vault.js';
import type { Message } from '../../platform/errors.js';
import type { RowError, RowParser } from '../../platform/imports/kinds.js';
import {
  cleanCell,
  isBlank,
  parseDate,
  parseEnum,
  parseIdNumber,
  type EnumSpec,
} from '../../platform/imports/values.js';

/** The columns of the attendance template, in order. */
export const ATTENDANCE_IMPORT_KEYS = ['date', 'studentNo', 'idNumber', 'name', 'kind', 'reason'] as const;
export type AttendanceImportKey = (typeof ATTENDANCE_IMPORT_KEYS)[number];

/** What a row says of the student's day: present (no mark is stored) or one of the marks' kinds. */
export type AttendanceImportKind = 'present' | 'late' | 'sick' | 'personal' | 'unexcused';

/** 考勤: the words class teachers and gate exports write (the first of each is the one messages suggest). */
export const ATTENDANCE_KIND_SPEC: EnumSpec<AttendanceImportKind> = {
  name: { zh: '考勤', en: 'attendance value' },
  options: [
    { value: 'present', synonyms: ['出勤', '到校', '正常', '已到', '到', '√', 'present'] },
    { value: 'late', synonyms: ['迟到', 'late'] },
    { value: 'sick', synonyms: ['病假', 'sick'] },
    { value: 'personal', synonyms: ['事假', 'personal'] },
    { value: 'unexcused', synonyms: ['旷课', '无故缺勤', '旷课（无故缺勤）', '旷课(无故缺勤)', 'unexcused'] },
  ],
};

/** Attendance is recorded from this day on (older days are a typing error). */
const EARLIEST = '2000-01-01';

/** What the row parser needs from the database: plain data, so a worker thread can build the parser too. */
export interface AttendanceParserData {
  /** Today in China (YYYY-MM-DD): later days are refused. */
  today: string;
}

/** The attendance row parser (also built in the import's worker thread: see ImportKindDef.worker). */
export function makeRowParser(
  data: unknown,
  columns: Partial<Record<string, number>>,
  vault: Vault,
): RowParser {
  const { today } = data as AttendanceParserData;
  const col = (k: AttendanceImportKey) => columns[k];
  let cells: readonly string[] = [];
  let errors: RowError[] = [];
  const cell = (k: AttendanceImportKey): string => {
    const c = col(k);
    return c === undefined ? '' : (cells[c] ?? '');
  };
  const err = (column: AttendanceImportKey, code: string, message: Message) =>
    errors.push({ column, code, message });

  return (row: readonly string[]) => {
    cells = row;
    errors = [];

    let day: string | null = null;
    const dateText = cell('date');
    if (isBlank(dateText)) err('date', 'REQUIRED', { zh: '日期不能为空', en: 'The date is required' });
    else {
      const r = parseDate(dateText, { min: EARLIEST });
      if (!r.ok) err('date', r.code, r.message);
      else if (r.value > today)
        err('date', 'ATTENDANCE_FUTURE', {
          zh: '不能导入未来日期的考勤',
          en: 'Attendance cannot be taken for a future day',
        });
      else day = r.value;
    }

    let studentNo: string | null = null;
    const noText = cleanCell(cell('studentNo')).replace(/ /g, '').toUpperCase();
    if (noText) {
      if (!/^[A-Z]\d{17}[\dX]$/.test(noText))
        err('studentNo', 'STUDENT_NO', {
          zh: '学籍号应为 1 个字母加 18 位数字（末位可为 X）',
          en: 'A student number is a letter and 18 digits (the last may be X)',
        });
      else studentNo = noText;
    }

    let hmac: string | null = null;
    const idText = cell('idNumber');
    if (!isBlank(idText)) {
      const r = parseIdNumber(idText);
      if (r.ok) hmac = vault.hmac(r.value.normalized);
      else err('idNumber', r.code, r.message);
    }
    if (!noText && isBlank(idText))
      err(col('studentNo') !== undefined ? 'studentNo' : 'idNumber', 'ATTENDANCE_STUDENT_REQUIRED', {
        zh: '须填写学籍号或身份证号',
        en: 'The student number or the ID number is required',
      });

    const name = cleanCell(cell('name')).slice(0, 64) || null;

    let kind: AttendanceImportKind | null = null;
    const kindText = cell('kind');
    if (isBlank(kindText))
      err('kind', 'REQUIRED', { zh: '考勤不能为空', en: 'The attendance value is required' });
    else {
      const r = parseEnum(kindText, ATTENDANCE_KIND_SPEC);
      if (r.ok) kind = r.value;
      else err('kind', r.code, r.message);
    }

    // A present row stores no mark, so its reason is not kept.
    let reason = cleanCell(cell('reason')).slice(0, 200) || null;
    // eslint-disable-next-line no-control-regex
    if (reason && /[<>\u0000-\u001f]/.test(reason))
      err('reason', 'FREE_TEXT', {
        zh: '原因不能包含尖括号或控制字符',
        en: 'No angle brackets or control characters',
      });
    if (kind === 'present') reason = null;

    if (errors.length > 0 || !day || !kind || (!studentNo && !hmac)) return { errors };
    return { values: [day, studentNo, hmac, name, kind, reason] };
  };
}
