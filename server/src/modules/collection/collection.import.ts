/**
 * Import of the bureau's usual layout: ONE ROW PER SCHOOL (the county's summary sheet), columns 学校名称 or
 * 学校代码 (学校标识码) and one column per data element, named as the element (e.g. 教学及辅助用房面积) or by its
 * code. Read with the shared import engine (sniffing, zip limits, CSV encodings, xlsx, header mapping);
 * each school's row is saved as that school's draft through the same saveEntry as the web form (same checks,
 * same audit). Rows of schools outside the importer's area, unknown schools, bad cells and locked or
 * submitted figures are skipped with the reason.
 */
import type { EntryValue, ImportResult, Lang } from '@dudao/contracts';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { mapHeader, type FieldSpec } from '../../platform/imports/header.js';
import { parseFigure, readAllRows } from '../balance/balance.table.js';
import * as repo from './collection.repository.js';
import { saveEntry } from './collection.service.js';

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

async function saveUpload(source: Readable, path: string): Promise<void> {
  let size = 0;
  await pipeline(
    source,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > IMPORT_MAX_BYTES)
          throw new AppError(413, 'FILE_TOO_LARGE', {
            zh: '文件不能超过 10 MB',
            en: 'Files may not exceed 10 MB',
          });
        yield chunk;
      }
    },
    createWriteStream(path),
  );
}

const YES = /^(是|有|y|yes|true|1|√|✓)$/i;
const NO = /^(否|无|n|no|false|0|×|✗)$/i;

export async function importForm(
  ctx: AppContext,
  origin: AuditOrigin & { actor: Actor },
  q: { formId: string; unitId: string; period: string },
  body: Readable,
  fileName: string,
  lang: Lang,
): Promise<ImportResult> {
  const unit = await repo.findUnit(ctx.db, origin.actor, 'collection.read', q.unitId);
  if (!unit) throw notFound({ zh: '单位', en: 'Unit' });
  const form = await repo.formById(ctx.db, q.formId);
  if (!form) throw notFound({ zh: '报表', en: 'Form' });
  const dir = await mkdtemp(join(tmpdir(), 'dudao-collection-'));
  let rows: string[][];
  try {
    const path = join(dir, 'upload');
    await saveUpload(body, path);
    rows = await readAllRows(path, fileName);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const elements = await repo.elementsByCodes(ctx.db, repo.formCodes(form));
  const fields: FieldSpec[] = [
    { key: '__name', label: '学校名称', synonyms: ['校名', '学校', '单位名称'] },
    { key: '__code', label: '学校代码', synonyms: ['学校标识码', '单位代码', '标识码'] },
    ...elements.map((e) => ({ key: e.code, label: e.name, synonyms: [e.code] })),
  ];
  const mapping = mapHeader(rows, fields, { minMatches: 2 });
  if (mapping.headerRow < 0 || (mapping.columns.__name === undefined && mapping.columns.__code === undefined))
    throw badRequest('COLLECTION_NO_HEADER', {
      zh: '找不到表头：需要“学校名称”或“学校代码”列，以及各数据项列（列名为数据项名称或代码）',
      en: 'No header: the sheet needs 学校名称 or 学校代码 and one column per data element',
    });
  const units = await repo.expectedUnits(ctx.db, form.targets, unit.path);
  const byName = new Map(units.map((u) => [u.name, u]));
  const codes = new Map(
    (
      await ctx.db
        .selectFrom('unit')
        .select(['id', 'code'])
        .where('path', 'like', unit.path + '%')
        .execute()
    ).map((u) => [u.code, u.id]),
  );
  const byId = new Map(units.map((u) => [u.id, u]));
  const result: ImportResult = { saved: 0, skipped: [], unknownColumns: mapping.unknown };
  for (let i = mapping.dataRow; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (cells.every((c) => (c ?? '').trim() === '')) continue;
    const cell = (col: number | undefined) => (col === undefined ? '' : (cells[col] ?? '').trim());
    const name = cell(mapping.columns.__name);
    const code = cell(mapping.columns.__code);
    const skip = (message: string) => result.skipped.push({ row: i + 1, name: name || code, message });
    if (/^(合计|总计|小计|全县|全区|全市)/.test(name)) continue;
    const target = (code && byId.get(codes.get(code) ?? '')) || byName.get(name);
    if (!target) {
      skip(lang === 'en' ? 'No such school in your area for this form' : '本辖区内没有这所应填报本表的学校');
      continue;
    }
    const values: Record<string, EntryValue> = {};
    const problems: string[] = [];
    for (const e of elements) {
      const col = mapping.columns[e.code];
      if (col === undefined) continue;
      const text = cell(col);
      if (text === '') continue;
      if (e.type === 'boolean') {
        if (YES.test(text)) values[e.code] = true;
        else if (NO.test(text)) values[e.code] = false;
        else problems.push(`${e.name}：“${text}”应为是/否`);
      } else if (e.type === 'text' || e.type === 'option') values[e.code] = text;
      else {
        const r = parseFigure(text, { integer: e.type === 'integer' }, lang);
        if (!r.ok) problems.push(`${e.name}：${r.message}`);
        else if (r.value !== null)
          values[e.code] = /万/.test(rows[mapping.headerRow]?.[col] ?? '') ? r.value * 10_000 : r.value;
      }
    }
    if (problems.length) {
      skip(problems.join('；'));
      continue;
    }
    try {
      const current = await repo.submissionOf(ctx.db, form.id, target.id, q.period);
      await saveEntry(
        ctx,
        origin,
        {
          formId: form.id,
          unitId: target.id,
          period: q.period,
          values: { ...(current?.vals ?? {}), ...values },
          explanations: current?.explanations ?? {},
        },
        { submit: false, lang },
      );
      result.saved++;
    } catch (err) {
      if (err instanceof AppError && err.status < 500) skip(lang === 'en' ? err.msg.en : err.msg.zh);
      else throw err;
    }
  }
  return result;
}
