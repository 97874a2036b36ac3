/**
 * The student roster export (学生名册): every student the list shows with the same filters, in the official
 * template's columns, streamed as .xlsx or CSV through the platform's stream writers. Rows are read school
 * by school in keyset batches, mapped and handed to the writer, which waits for the destination; nothing
 * but the current batch is held in memory. ID numbers, 学籍号 that embed them and guardians' phones are
 * masked unless the caller asked to reveal them and holds person.reveal at every exported school. Every
 * export is audited (rows, filters, whether revealed), an interrupted one too.
 */
import {
  disabilityCategoryLabels,
  gradeInfo,
  guardianRelationLabels,
  label,
  sexLabels,
  studentStageLabels,
  studentStatusLabels,
  type StudentExportFormat,
  type StudentExportQuery,
  type StudentStage,
} from '@dudao/contracts';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { holdsAnywhere, type Actor } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { maskIdNumber, validateIdNumber } from '../../platform/crypto/id-number.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { writeCsvStream, writeXlsxStream } from '../../platform/exports/stream-writers.js';
import { recordExport } from '../../platform/exports/xlsx.js';
import { divisionPath } from '../../platform/regions/divisions.js';
import {
  STUDENT_TEMPLATE_COLUMNS,
  STUDENT_TEMPLATE_LABELS,
  type StudentTemplateKey,
} from './students.columns.js';
import { CLASS, SCHOOL, UNIT, maskStudentNo } from './students.mapping.js';
import { studentPolicy } from './students.policy.js';
import * as repo from './students.repository.js';
import { parseSearch } from './students.service.js';

/** Rows per database round trip. */
export const EXPORT_BATCH_SIZE = 5000;

export const EXPORT_CONTENT_TYPES: Record<StudentExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** Thrown into the export when its destination has gone (the client disconnected). */
export class ExportAbortedError extends Error {
  constructor() {
    super('the export was interrupted: its destination went away');
  }
}

/** An export whose access has been checked: nothing is read or written until `write` is called. */
export interface StudentExport {
  format: StudentExportFormat;
  /** Full ID numbers and phones (the caller asked and may see them). */
  revealed: boolean;
  /** 铁西区实验小学学生名册.xlsx */
  fileName: string;
  /** An ASCII name for clients that do not read RFC 5987 names. */
  fallbackName: string;
  contentType: string;
  /**
   * Streams the roster to `out` (ending it), then audits the export; resolves with the number of rows.
   * `aborted` is asked after every batch: when it says true the export stops (ExportAbortedError).
   */
  write(out: Writable, opts?: { aborted?: () => boolean }): Promise<{ rows: number }>;
}

/** Column widths of the workbook, in characters (CJK counts double). */
const WIDTHS: Record<StudentTemplateKey, number> = {
  name: 10,
  sex: 6,
  birthDate: 12,
  ethnicity: 8,
  idNumber: 21,
  studentNo: 22,
  schoolCode: 13,
  schoolName: 24,
  stage: 9,
  grade: 9,
  className: 8,
  enrolledOn: 12,
  status: 9,
  hukouRegion: 28,
  address: 30,
  povertyHousehold: 10,
  leftBehind: 9,
  migrant: 9,
  disabled: 6,
  disabilityCategory: 10,
  orphan: 6,
  guardian1Name: 11,
  guardian1Relation: 11,
  guardian1Phone: 14,
  guardian2Name: 11,
  guardian2Relation: 11,
  guardian2Phone: 14,
};

// ---------- values ----------

/** A phone number with all but its first 3 and last 4 digits hidden: 138****5678, 043*-***2345. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\D/g, '').length;
  let seen = 0;
  return phone.replace(/\d/g, (d) => {
    seen++;
    return seen <= 3 || seen > digits - 4 ? d : '*';
  });
}

const regionCache = new Map<string, string>();

/** “220302 吉林省四平市铁西区”: the division code and its full name (the code alone when unknown). */
function regionText(code: string | null): string | null {
  if (!code) return null;
  let text = regionCache.get(code);
  if (text === undefined) {
    const names = divisionPath(code)
      .map((d) => d.name)
      .join('');
    text = names ? `${code} ${names}` : code;
    regionCache.set(code, text);
  }
  return text;
}

const yesNo = (b: boolean) => (b ? '是' : '否');

type Cell = string | number | null;

/** One student as a row of the template, in STUDENT_TEMPLATE_COLUMNS order. */
function templateRow(
  ctx: AppContext,
  r: repo.ExportRow,
  school: { code: string; name: string },
  reveal: boolean,
): Cell[] {
  const idNumber = r.id_number_enc ? ctx.vault.decrypt(r.id_number_enc) : null;
  const [g1, g2] = r.guardians;
  const phone = (p: string | null | undefined) => (p == null ? null : reveal ? p : maskPhone(p));
  const values: Record<StudentTemplateKey, Cell> = {
    name: r.name,
    sex: label(sexLabels, r.sex, 'zh'),
    birthDate: r.birth_date,
    ethnicity: r.ethnicity,
    idNumber: idNumber === null ? null : reveal ? idNumber : maskIdNumber(idNumber),
    studentNo: reveal ? r.student_no : maskStudentNo(r.student_no),
    schoolCode: school.code,
    schoolName: school.name,
    stage: label(studentStageLabels, r.stage, 'zh'),
    grade: gradeInfo(r.stage as StudentStage, r.grade)?.zh ?? String(r.grade),
    className: r.class_name,
    enrolledOn: r.enrolled_on,
    status: label(studentStatusLabels, r.status, 'zh'),
    hukouRegion: regionText(r.hukou_region_code),
    address: r.address,
    povertyHousehold: yesNo(r.poverty_household),
    leftBehind: yesNo(r.left_behind),
    migrant: yesNo(r.migrant),
    disabled: yesNo(r.disabled),
    disabilityCategory: r.disability_category
      ? label(disabilityCategoryLabels, r.disability_category, 'zh')
      : null,
    orphan: yesNo(r.orphan),
    guardian1Name: g1?.[0] ?? null,
    guardian1Relation: g1 ? label(guardianRelationLabels, g1[1], 'zh') : null,
    guardian1Phone: phone(g1?.[2]),
    guardian2Name: g2?.[0] ?? null,
    guardian2Relation: g2 ? label(guardianRelationLabels, g2[1], 'zh') : null,
    guardian2Phone: phone(g2?.[2]),
  };
  return STUDENT_TEMPLATE_COLUMNS.map((c) => values[c.key]);
}

// ---------- the export ----------

/** What the list's `q` may mean. The same reading as listStudents (students.service.ts parseSearch). */
const REVEAL_REFUSED = {
  zh: '没有查看完整身份证号的权限：导出范围内有您无权查看完整证件号码的学校。请取消“显示完整证件号”，或只导出您有权限的学校',
  en: 'You may not see full ID numbers of every school in this export: export without revealing them, or only schools where you may',
};

/**
 * Checks the filters (a school, unit or class out of scope: 404) and the reveal (403), and returns the
 * export ready to be written. Nothing is written or audited when this throws.
 */
export async function prepareStudentExport(
  ctx: AppContext,
  actor: Actor,
  q: StudentExportQuery,
  origin: AuditOrigin,
  opts: { batchSize?: number } = {},
): Promise<StudentExport> {
  const batchSize = opts.batchSize ?? EXPORT_BATCH_SIZE;
  let scopeName = '';
  if (q.schoolId) {
    const school = await repo.findSchool(ctx.db, actor, q.schoolId, 'student.read');
    if (!school) throw notFound(SCHOOL);
    scopeName = school.name;
  }
  let underPath: string | undefined;
  if (q.under) {
    const under = await repo.findUnitInScope(ctx.db, actor, q.under, 'student.read');
    if (!under) throw notFound(UNIT);
    underPath = under.path;
  }
  if (q.classId && !(await repo.findClass(ctx.db, actor, q.classId))) throw notFound(CLASS);

  const schools = await repo.schoolsInScope(ctx.db, actor, { underPath, schoolId: q.schoolId });
  if (!scopeName && q.under) scopeName = (await repo.unitNameInScope(ctx.db, actor, q.under)) ?? '';
  if (!scopeName && schools.length === 1) scopeName = schools[0]!.name;
  const filters: repo.StudentExportFilters = {
    search: q.q ? parseSearch(ctx, q.q) : undefined,
    stage: q.stage,
    grade: q.grade,
    classId: q.classId,
    status: q.status,
    flags: q.flags?.split(','),
  };

  // Revealing needs person.reveal at every school whose students the export holds (a school where the
  // caller may not reveal but no student matches is no obstacle).
  if (q.reveal) {
    if (!holdsAnywhere(actor, 'person.reveal')) throw forbidden(REVEAL_REFUSED);
    for (const s of schools) {
      if (studentPolicy.canReveal(actor, { school_path: s.path })) continue;
      const any = await repo.exportBatch(ctx.db, actor, s.id, filters, null, 1);
      if (any.length > 0) throw forbidden(REVEAL_REFUSED);
    }
  }

  const title = `${scopeName}学生名册`;
  const format = q.format;
  // The audit keeps the request as made, but a full ID number searched for appears masked.
  const { format: _f, reveal: _r, ...filter } = q;
  if (filter.q && validateIdNumber(filter.q).ok) filter.q = maskIdNumber(filter.q);
  // The event belongs to the exported area (without a filter: the actor's own unit), so that its auditors see it.
  const auditUnitId = q.schoolId ?? q.under ?? actor.unitId ?? null;

  async function* batches(count: { rows: number }, aborted: () => boolean): AsyncGenerator<Cell[][]> {
    for (const school of schools) {
      // Checked above for the schools with students; a student added since, at a school where the caller
      // may not reveal, is still masked.
      const reveal = q.reveal && studentPolicy.canReveal(actor, { school_path: school.path });
      let after: repo.ExportCursor | null = null;
      for (;;) {
        const rows = await repo.exportBatch(ctx.db, actor, school.id, filters, after, batchSize);
        if (aborted()) throw new ExportAbortedError();
        if (rows.length === 0) break;
        count.rows += rows.length;
        yield rows.map((r) => templateRow(ctx, r, school, reveal));
        if (rows.length < batchSize) break;
        const last = rows[rows.length - 1]!;
        after = {
          grade: last.grade,
          noClass: last.class_name === null,
          classLength: last.class_length,
          className: last.class_name ?? '',
          initials: last.name_initials,
          name: last.name,
          id: last.id,
        };
      }
    }
  }

  return {
    format,
    revealed: q.reveal,
    fileName: `${title}.${format}`,
    fallbackName: `students.${format}`,
    contentType: EXPORT_CONTENT_TYPES[format],
    async write(out, writeOpts = {}) {
      const count = { rows: 0 };
      const source = batches(count, writeOpts.aborted ?? (() => false));
      const audit = (extra: Record<string, unknown>) =>
        recordExport(ctx, origin, {
          what: 'student',
          unitId: auditUnitId,
          rows: count.rows,
          filter: { ...filter, format, reveal: q.reveal, ...extra },
        });
      try {
        if (format === 'csv') await writeCsvStream(source, out, { header: STUDENT_TEMPLATE_LABELS });
        else {
          const now = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
          await writeXlsxStream(source, out, {
            header: STUDENT_TEMPLATE_LABELS,
            title,
            subtitle:
              `导出人：${actor.displayName}\u3000导出时间：${now}\u3000` +
              (q.reveal ? '含完整身份证号（已审计）' : '身份证号、监护人电话已部分隐藏'),
            sheetName: '学生名册',
            widths: STUDENT_TEMPLATE_COLUMNS.map((c) => WIDTHS[c.key]),
          });
        }
      } catch (e) {
        // Rows may have left before the failure: the interrupted export is audited too.
        await audit({ interrupted: true }).catch(() => undefined);
        throw e;
      }
      await audit({});
      return { rows: count.rows };
    },
  };
}

/**
 * The export as a readable stream for an HTTP response. It ends only once the export has been audited, so
 * a download that completes has been recorded. When the reader goes away (the client disconnected and the
 * server destroyed the stream), the export stops after the batch in hand and is audited as interrupted;
 * whatever the writer still flushes meanwhile is discarded, so it never waits on a reader that has gone.
 * A failure (`onError` is told) destroys the stream: the client sees a broken download, never a short
 * file that looks complete.
 */
export function exportStream(exp: StudentExport, onError: (e: unknown) => void): Readable {
  const sink = new PassThrough();
  const body = new PassThrough();
  let completed = false;
  let gone = false;
  // The writer's failure arrives through write()'s promise; the stream's own error event is not needed.
  sink.on('error', () => undefined);
  sink.pipe(body, { end: false });
  body.on('close', () => {
    if (completed) return;
    gone = true;
    sink.unpipe(body);
    sink.resume();
  });
  exp.write(sink, { aborted: () => gone }).then(
    () => {
      completed = true;
      if (!body.destroyed) body.end();
    },
    (e: unknown) => {
      if (!(e instanceof ExportAbortedError)) onError(e);
      body.destroy(e instanceof Error ? e : new Error(String(e)));
    },
  );
  return body;
}
