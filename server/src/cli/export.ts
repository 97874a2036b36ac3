/**
 * `dudao export students --out FILE [--format xlsx|csv] [--reveal] [--school CODE | --county CODE]`: writes
 * the student roster (the official template's columns) as the platform itself (the system actor: every
 * school), streamed to the file. ID numbers and phones are masked unless --reveal. The export is audited
 * like one made in the browser, with the CLI as its actor.
 */
import { STUDENT_EXPORT_FORMATS, StudentExportQuery, type StudentExportFormat } from '@dudao/contracts';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { prepareStudentExport } from '../modules/students/students.export.service.js';
import type { AuditOrigin } from '../platform/audit/audit.js';
import type { AppContext } from '../platform/context.js';

export const exportUsage =
  'usage: dudao export students --out FILE [--format xlsx|csv] [--reveal] [--school CODE | --county CODE]';

/** What `dudao export students --json` prints. */
export interface ExportResult {
  file: string;
  rows: number;
  format: StudentExportFormat;
  revealed: boolean;
}

type Values = Record<string, string | boolean | undefined>;

function formatOf(file: string, given: string | boolean | undefined): StudentExportFormat {
  const f = given === undefined ? extname(file).slice(1).toLowerCase() : given;
  if (typeof f === 'string' && (STUDENT_EXPORT_FORMATS as readonly string[]).includes(f))
    return f as StudentExportFormat;
  throw new Error(
    given === undefined
      ? `cannot tell the format from "${file}": name it .xlsx or .csv, or give --format xlsx|csv`
      : '--format must be xlsx or csv',
  );
}

async function unitIdByCode(
  ctx: AppContext,
  kind: 'school' | 'county_bureau',
  code: string,
): Promise<string> {
  const unit = await ctx.db
    .selectFrom('unit')
    .select('id')
    .where('kind', '=', kind)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!unit) throw new Error(`no ${kind === 'school' ? 'school' : 'county bureau'} with code ${code}`);
  return unit.id;
}

/**
 * Runs `dudao export WHAT …` as origin's actor, in a context that `open` provides once the arguments have
 * been checked; the file appears only once it is complete.
 */
export async function exportCommand(
  what: string | undefined,
  v: Values,
  origin: AuditOrigin,
  open: <T>(fn: (ctx: AppContext) => Promise<T>) => Promise<T>,
): Promise<ExportResult> {
  if (what !== 'students') throw new Error(exportUsage);
  if (typeof v.out !== 'string' || v.out === '') throw new Error(`--out is required\n${exportUsage}`);
  if (v.school !== undefined && v.county !== undefined)
    throw new Error('give --school or --county, not both');
  const actor = origin.actor;
  if (!actor) throw new Error('an export needs an actor');
  const file = resolve(v.out);
  const format = formatOf(file, v.format);
  return open(async (ctx) => {
    const query = StudentExportQuery.parse({
      format,
      reveal: v.reveal === true ? 'true' : 'false',
      ...(typeof v.school === 'string' ? { schoolId: await unitIdByCode(ctx, 'school', v.school) } : {}),
      ...(typeof v.county === 'string' ? { under: await unitIdByCode(ctx, 'county_bureau', v.county) } : {}),
    });
    const exp = await prepareStudentExport(ctx, actor, query, origin);
    // Written beside the target and renamed at the end: a failed export leaves no half file behind (nor
    // destroys an earlier one of the same name).
    const part = `${file}.part`;
    try {
      const { rows } = await exp.write(createWriteStream(part));
      await rename(part, file);
      return { file, rows, format, revealed: exp.revealed };
    } catch (e) {
      await rm(part, { force: true });
      throw e;
    }
  });
}
