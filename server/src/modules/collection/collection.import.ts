/**
 * Import of the bureau's usual layout: ONE ROW PER SCHOOL (the county's summary sheet), columns 学校标识码
 * (学校代码) and/or 学校名称, and one column per data element, named as the form names it (e.g.
 * 教学及辅助用房面积, notes in parentheses ignored) or by its code. A form with several sections may come as a
 * workbook with ONE SHEET PER SECTION (each sheet the same school rows, that section's columns): every visible
 * sheet whose header is found is read and a school's cells are merged across sheets.
 *
 * Read with the platform's small-table reader (the upload spooled with its size limit, content sniffing, zip
 * limits, CSV encodings, every visible sheet) and the import engine's header mapping with synonyms; each
 * school's row is saved as that school's draft through the same saveEntry as the web form (same checks, same
 * audit). `dryRun` checks every row and saves nothing; `mode` follows the engine's commit modes (`valid_only`
 * saves the good rows, `all` nothing unless every row is good).
 * The template (`importTemplate`) is generated from the form definition with the platform's templates.
 */
import type { EntryValue, ImportResult, Lang } from '@dudao/contracts';
import type { Readable } from 'node:stream';
import type { Actor } from '../../platform/access/actor.js';
import { holdsAnywhere } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { mapHeader, type FieldSpec } from '../../platform/imports/header.js';
import type { ImportFieldSpec } from '../../platform/imports/kinds.js';
import { readSmallSheets, withUpload } from '../../platform/imports/small-table.js';
import { templateCsv, templateXlsx } from '../../platform/imports/templates.js';
import { parseFigure } from '../balance/balance.table.js';
import * as repo from './collection.repository.js';
import type { ElementRow, FormRow } from './collection.repository.js';
import { saveEntry } from './collection.service.js';

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
/** A county has a few hundred schools: more rows than this in one sheet is not a summary sheet. */
const MAX_ROWS = 20_000;

const YES = /^(是|有|y|yes|true|1|√|✓)$/i;
const NO = /^(否|无|n|no|false|0|×|✗)$/i;
const TOTAL_ROW = /^(合计|总计|小计|全县|全区|全市)/;

/** The header fields of a form: the school's code and name, then one per element. */
function fieldsOf(elements: ElementRow[]): FieldSpec[] {
  return [
    { key: '__name', label: '学校名称', synonyms: ['校名', '学校', '单位名称'] },
    { key: '__code', label: '学校标识码', synonyms: ['学校代码', '单位代码', '标识码', '学校识别码'] },
    ...elements.map((e) => ({ key: e.code, label: e.name, synonyms: [e.code] })),
  ];
}

/** One cell of an element → its value, or a problem. */
function cellValue(
  e: ElementRow,
  text: string,
  header: string,
  lang: Lang,
): { value: EntryValue } | { problem: string } | null {
  if (text === '') return null;
  if (e.type === 'boolean') {
    if (YES.test(text)) return { value: true };
    if (NO.test(text)) return { value: false };
    return { problem: `${e.name}：${lang === 'en' ? `“${text}” should be 是 or 否` : `“${text}”应为是/否`}` };
  }
  if (e.type === 'text') return { value: text };
  if (e.type === 'option')
    return e.options.includes(text)
      ? { value: text }
      : {
          problem: `${e.name}：${lang === 'en' ? `“${text}” is not one of ${e.options.join(', ')}` : `“${text}”不是可选值（${e.options.join('、')}）`}`,
        };
  // 万 in the header (万元, 万册) scales the column; a whole count is checked after scaling (1.5 万册 = 15000)
  const scale = /万/.test(header) ? 10_000 : 1;
  const r = parseFigure(text, { integer: e.type === 'integer' && scale === 1 }, lang);
  if (!r.ok) return { problem: `${e.name}：${r.message}` };
  if (r.value === null) return null;
  const value = Math.round(r.value * scale * 1e6) / 1e6;
  if (e.type === 'integer' && !Number.isInteger(value))
    return {
      problem: `${e.name}：${lang === 'en' ? `“${text}” is not a whole number` : `“${text}”应为整数`}`,
    };
  return { value };
}

interface SchoolRow {
  unitId: string;
  name: string;
  values: Record<string, EntryValue>;
  /** Where the school's rows are, for messages. */
  row: number;
  sheet: string | null;
}

export async function importForm(
  ctx: AppContext,
  origin: AuditOrigin & { actor: Actor },
  q: {
    formId: string;
    unitId: string;
    period: string;
    dryRun?: 'true' | 'false';
    mode?: 'valid_only' | 'all';
  },
  body: Readable,
  fileName: string,
  lang: Lang,
  declaredLength?: number,
): Promise<ImportResult> {
  const unit = await repo.findUnit(ctx.db, origin.actor, 'collection.read', q.unitId);
  if (!unit) throw notFound({ zh: '单位', en: 'Unit' });
  const form = await repo.formById(ctx.db, q.formId);
  if (!form) throw notFound({ zh: '报表', en: 'Form' });
  const dryRun = q.dryRun === 'true';
  const mode = q.mode ?? 'valid_only';
  // every visible sheet but the template's 填写说明, or the CSV as one unnamed sheet
  const sheets = await withUpload(
    body,
    IMPORT_MAX_BYTES,
    (path) =>
      readSmallSheets(
        path,
        fileName,
        {
          maxRows: MAX_ROWS,
          code: 'COLLECTION_TOO_MANY_ROWS',
          message: {
            zh: `表格超过 ${MAX_ROWS} 行，不是每校一行的汇总表`,
            en: `More than ${MAX_ROWS} rows: not a summary sheet with one row per school`,
          },
        },
        { skipSheets: ['填写说明'] },
      ),
    declaredLength,
  );
  const elements = await repo.elementsByCodes(ctx.db, repo.formCodes(form));
  const fields = fieldsOf(elements);
  const units = await repo.expectedUnits(ctx.db, form.targets, unit.path);
  const byName = new Map(units.map((u) => [u.name, u]));
  const byId = new Map(units.map((u) => [u.id, u]));
  const codes = new Map(
    (
      await ctx.db
        .selectFrom('unit')
        .select(['id', 'code'])
        .where('path', 'like', unit.path + '%')
        .execute()
    ).map((u) => [u.code, u.id]),
  );
  const result: ImportResult = {
    saved: 0,
    dryRun,
    mode,
    refused: false,
    skipped: [],
    unknownColumns: [],
    sheets: [],
  };
  const schools = new Map<string, SchoolRow>();
  const bad = new Set<string>();
  for (const sheet of sheets) {
    const mapping = mapHeader(sheet.rows, fields, { minMatches: 2 });
    const hasKey = mapping.columns.__name !== undefined || mapping.columns.__code !== undefined;
    // a sheet without the school column and at least one element (填写说明, a chart) is not data
    if (mapping.headerRow < 0 || !hasKey) continue;
    result.sheets.push(sheet.name ?? fileName);
    result.unknownColumns.push(...mapping.unknown.filter((c) => !result.unknownColumns.includes(c)));
    const header = sheet.rows[mapping.headerRow] ?? [];
    for (let i = mapping.dataRow; i < sheet.rows.length; i++) {
      const cells = sheet.rows[i] ?? [];
      if (cells.every((c) => (c ?? '').trim() === '')) continue;
      const cell = (col: number | undefined) => (col === undefined ? '' : (cells[col] ?? '').trim());
      const name = cell(mapping.columns.__name);
      const code = cell(mapping.columns.__code);
      const skip = (message: string) =>
        result.skipped.push({ row: i + 1, name: name || code, message, sheet: sheet.name });
      if (TOTAL_ROW.test(name)) continue;
      const target = (code && byId.get(codes.get(code) ?? '')) || byName.get(name);
      if (!target) {
        skip(
          lang === 'en' ? 'No such school in your area for this form' : '本辖区内没有这所应填报本表的学校',
        );
        continue;
      }
      const s = schools.get(target.id) ?? {
        unitId: target.id,
        name: target.name,
        values: {},
        row: i + 1,
        sheet: sheet.name,
      };
      schools.set(target.id, s);
      const problems: string[] = [];
      for (const e of elements) {
        const col = mapping.columns[e.code];
        if (col === undefined) continue;
        const v = cellValue(e, cell(col), header[col] ?? '', lang);
        if (v && 'problem' in v) problems.push(v.problem);
        else if (v) s.values[e.code] = v.value;
      }
      if (problems.length) {
        skip(problems.join('；'));
        bad.add(target.id);
      }
    }
  }
  if (result.sheets.length === 0)
    throw badRequest('COLLECTION_NO_HEADER', {
      zh: '找不到表头：需要“学校名称”或“学校标识码”列，以及各数据项列（列名为数据项名称或代码）',
      en: 'No header: the sheet needs 学校名称 or 学校标识码 and one column per data element',
    });

  // Check every school as the web form would (the same saveEntry, writing nothing), then save if allowed.
  const entryOf = async (s: SchoolRow) => {
    const current = await repo.submissionOf(ctx.db, form.id, s.unitId, q.period);
    return {
      formId: form.id,
      unitId: s.unitId,
      period: q.period,
      values: { ...(current?.vals ?? {}), ...s.values },
      explanations: current?.explanations ?? {},
    };
  };
  const good: SchoolRow[] = [];
  for (const s of schools.values()) {
    if (bad.has(s.unitId)) continue;
    try {
      await saveEntry(ctx, origin, await entryOf(s), { submit: false, lang, dryRun: true });
      good.push(s);
    } catch (err) {
      if (!(err instanceof AppError && err.status < 500)) throw err;
      const detail = err.details?.map((d) => d.message).join('；');
      result.skipped.push({
        row: s.row,
        name: s.name,
        message: (lang === 'en' ? err.msg.en : err.msg.zh) + (detail ? `：${detail}` : ''),
        sheet: s.sheet,
      });
    }
  }
  result.skipped.sort((a, b) => (a.sheet ?? '').localeCompare(b.sheet ?? '') || a.row - b.row);
  result.saved = good.length;
  if (mode === 'all' && result.skipped.length > 0) {
    result.refused = true;
    return result;
  }
  if (dryRun) return result;
  for (const s of good) await saveEntry(ctx, origin, await entryOf(s), { submit: false, lang });
  return result;
}

/** Header text of an element in the template: its name, with the unit as a note the reader ignores. */
const columnOf = (e: ElementRow): ImportFieldSpec => ({
  key: e.code,
  label: e.unit ? `${e.name}（${e.unit}）` : e.name,
  hint: [
    e.description,
    e.type === 'boolean' ? '填“是”或“否”' : e.type === 'option' ? `可选：${e.options.join('、')}` : '',
    e.type === 'integer' ? '整数' : e.type === 'percentage' ? '0–100' : '',
    e.prefill ? '学籍系统已有此数，可不填（导入后仍可在表单中采用学籍数）' : '',
    `代码 ${e.code}`,
  ]
    .filter(Boolean)
    .join('；'),
});
const keyColumns: ImportFieldSpec[] = [
  {
    key: '__code',
    label: '学校标识码',
    hint: '10 位学校标识码；与学校名称二选一，都填时以标识码为准',
    width: 16,
  },
  { key: '__name', label: '学校名称', required: true, hint: '与系统中的学校名称一致', width: 24 },
];

/**
 * GET /api/collection/import-template?formId&layout=single|sections&format=xlsx|csv: the import template of a
 * form, from its definition — one sheet with one row per school and a column per element, or (xlsx) one sheet
 * per section — with the platform's template writer (text-formatted cells, a 填写说明 sheet).
 */
export async function importTemplate(
  ctx: AppContext,
  actor: Actor,
  q: { formId: string; layout: 'single' | 'sections'; format: 'xlsx' | 'csv' },
): Promise<{ body: Buffer; fileName: string; form: FormRow }> {
  if (!holdsAnywhere(actor, 'collection.read'))
    throw forbidden({ zh: '没有查看数据填报的权限', en: 'You may not read collection data' });
  const form = await repo.formById(ctx.db, q.formId);
  if (!form) throw notFound({ zh: '报表', en: 'Form' });
  const byCode = new Map((await repo.elementsByCodes(ctx.db, repo.formCodes(form))).map((e) => [e.code, e]));
  const cols = (codes: string[]) =>
    codes
      .map((c) => byCode.get(c))
      .filter((e): e is ElementRow => !!e)
      .map(columnOf);
  const all = { fields: [...keyColumns, ...cols(repo.formCodes(form))], example: [] };
  if (q.format === 'csv') return { body: templateCsv(all), fileName: `${form.name}导入模板.csv`, form };
  const sheets =
    q.layout === 'sections' && form.sections.length > 1
      ? form.sections.map((s, i) => ({
          title: `${i + 1}.${s.title}`.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31),
          fields: [...keyColumns, ...cols(s.elements)],
        }))
      : undefined;
  return {
    body: await templateXlsx(all, form.name, sheets),
    fileName: `${form.name}导入模板${sheets ? '（分表）' : ''}.xlsx`,
    form,
  };
}
