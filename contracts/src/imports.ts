/**
 * The shared import engine: an upload becomes an import job, which is validated and staged (a dry run:
 * counts and the first errors), then committed all-or-nothing or valid-rows-only. Progress is a snapshot
 * of the job; the browser follows it over server-sent events (GET /api/imports/:id/events).
 */
import { z } from 'zod';

import { pageOf, pageQuery, uuid as id } from './common.ts';

type Labels = Record<string, { zh: string; en: string }>;

/** What an import loads. Every module that imports registers its kind with the engine. */
export const IMPORT_KINDS = ['students', 'attendance'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const importKindLabels = {
  students: { zh: '学生学籍', en: 'Students' },
  attendance: { zh: '考勤', en: 'Attendance' },
} satisfies Labels;

/** all: nothing is written unless every row is valid; valid-only: rejected rows are left out. */
export const IMPORT_MODES = ['all', 'valid-only'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const importModeLabels = {
  all: { zh: '全部导入（有错误则不导入）', en: 'All or nothing' },
  'valid-only': { zh: '仅导入正确的行', en: 'Valid rows only' },
} satisfies Labels;

/**
 * validating → validated (the dry run's result, waiting for a decision) → committing → committed;
 * failed (unreadable file, interrupted by a restart, or refused at commit), cancelled.
 */
export const IMPORT_STATUSES = [
  'validating',
  'validated',
  'committing',
  'committed',
  'failed',
  'cancelled',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const importStatusLabels = {
  validating: { zh: '校验中', en: 'Validating' },
  validated: { zh: '待确认', en: 'Validated' },
  committing: { zh: '导入中', en: 'Importing' },
  committed: { zh: '已导入', en: 'Imported' },
  failed: { zh: '失败', en: 'Failed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
} satisfies Labels;

export const IMPORT_PHASES = ['reading', 'checking', 'report', 'merging', 'done'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];
export const importPhaseLabels = {
  reading: { zh: '读取并校验行', en: 'Reading and validating rows' },
  checking: { zh: '比对重复与已有数据', en: 'Checking duplicates and existing data' },
  report: { zh: '生成错误报告', en: 'Writing the error report' },
  merging: { zh: '写入数据库', en: 'Writing to the database' },
  done: { zh: '完成', en: 'Done' },
} satisfies Labels;

export const ImportProgress = z.object({
  phase: z.enum(IMPORT_PHASES),
  /** Bytes of the file read so far (of fileSize), for the bar while reading. */
  bytesRead: z.number().int(),
  rowsRead: z.number().int(),
  rowsPerSecond: z.number().int(),
  /** Seconds left in the current phase, when it can be estimated. */
  etaSeconds: z.number().int().nullable(),
  /** 0–100 over the whole job. */
  percent: z.number().int(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

export const ImportCounts = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  rejected: z.number().int(),
  /** At validation: what a commit would do; after commit: what it did. */
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

export const ImportRowError = z.object({
  /** The row number a spreadsheet program shows (1-based, title and header rows counted). */
  row: z.number().int(),
  /** The column's header text, when the error belongs to one cell. */
  column: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportHeader = z.object({
  /** 1-based row of the header (of its first line when two-level). */
  row: z.number().int(),
  sheet: z.string().nullable(),
  mapped: z.array(z.object({ field: z.string(), label: z.string(), column: z.string() })),
  unknown: z.array(z.string()),
  missingRequired: z.array(z.string()),
});
export type ImportHeader = z.infer<typeof ImportHeader>;

export const ImportJob = z.object({
  id,
  kind: z.enum(IMPORT_KINDS),
  status: z.enum(IMPORT_STATUSES),
  fileName: z.string(),
  fileSize: z.number().int(),
  fileSha256: z.string(),
  format: z.enum(['xlsx', 'csv']),
  /** The CSV's detected encoding (utf-8, gb18030 …); null for xlsx. */
  encoding: z.string().nullable(),
  /** The unit the rows must belong to (a school, or a county bureau for all its schools). */
  unit: z.object({ id, name: z.string(), code: z.string() }),
  mode: z.enum(IMPORT_MODES).nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: ImportProgress,
  counts: ImportCounts,
  header: ImportHeader.nullable(),
  /** The first errors (at most 100); the error report has them all. */
  errors: z.array(ImportRowError),
  /** GET /api/imports/:id/error-report serves the rejected rows with a reason column, in the input's format. */
  errorReport: z.boolean(),
  /** An earlier committed import of the same file (same SHA-256) by this unit, if any. */
  sameFileAs: z.object({ id, finishedAt: z.string().nullable() }).nullable(),
  /** Why the job failed (status failed). */
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

/**
 * POST /api/imports?kind=students[&unitId=…][&sheet=…] with the file as the raw body
 * (Content-Type: application/octet-stream) and its name in the X-File-Name header (URI-encoded).
 * Answers 202 with the job in status validating.
 */
export const ImportCreateQuery = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  unitId: id.optional(),
  sheet: z.string().trim().max(64).optional(),
});
export type ImportCreateQuery = z.infer<typeof ImportCreateQuery>;

/**
 * POST /api/imports/:id/cancel: gives up a job validating (it stops at its next batch), validated or failed.
 * POST /api/imports/:id/retry: validates a failed job again from its stored file (202, status validating).
 */

/** POST /api/imports/:id/commit. */
export const ImportCommit = z.strictObject({ mode: z.enum(IMPORT_MODES) });
export type ImportCommit = z.infer<typeof ImportCommit>;

export const ImportListQuery = z.strictObject({
  kind: z.enum(IMPORT_KINDS).optional(),
  status: z.enum(IMPORT_STATUSES).optional(),
  ...pageQuery,
});
export type ImportListQuery = z.infer<typeof ImportListQuery>;
export const ImportPage = pageOf(ImportJob);
export type ImportPage = z.infer<typeof ImportPage>;

/** GET /api/imports/templates/:kind?format=xlsx|csv: the official template with its columns. */
export const ImportTemplateQuery = z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

/** GET /api/imports/fields/:kind: the template's columns, for the wizard's help. */
export const ImportField = z.object({
  key: z.string(),
  label: z.string(),
  required: z.boolean(),
  synonyms: z.array(z.string()),
  hint: z.string().nullable(),
});
export type ImportField = z.infer<typeof ImportField>;
export const ImportFields = z.object({ kind: z.enum(IMPORT_KINDS), fields: z.array(ImportField) });
export type ImportFields = z.infer<typeof ImportFields>;

/**
 * POST /api/imports/:id/mapping: says which field an unrecognised column holds (a failed job missing required
 * columns, or a validated one). The names are remembered for the unit's later uploads (and those of the units
 * under it), and the file is validated again.
 */
export const ImportMapping = z.strictObject({
  columns: z
    .array(
      z.strictObject({ header: z.string().trim().min(1).max(100), field: z.string().trim().min(1).max(64) }),
    )
    .min(1)
    .max(50),
});
export type ImportMapping = z.infer<typeof ImportMapping>;
