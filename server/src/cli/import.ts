/**
 * `dudao import students|attendance FILE [--dry-run] [--mode all|valid-only] [--school CODE | --county CODE]`:
 * runs the file through the same import job as the browser's wizard, as the platform itself (the system actor),
 * into one school, one county's schools, or (neither given) the whole city. Progress goes to stderr.
 */
import {
  IMPORT_KINDS,
  IMPORT_MODES,
  type ImportJob,
  type ImportKind,
  type ImportMode,
} from '@dudao/contracts';
import { createReadStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { systemActor } from '../platform/access/actor.js';
import type { AuditOrigin } from '../platform/audit/audit.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { importEvents } from '../platform/imports/job-progress.js';
import { reportPath } from '../platform/imports/job-record.js';
import { cancelImportJob, commitImportJob, createImportJob } from '../platform/imports/jobs.js';
import '../modules/students/students.import.js';
import '../modules/dropout/attendance.import.js';

export const importUsage =
  'usage: dudao import students|attendance FILE [--dry-run] [--mode all|valid-only] [--school CODE | --county CODE] [--json]';

/** What `dudao import <kind> --json` prints. */
export interface ImportResult {
  importId: string;
  status: ImportJob['status'];
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Path of the error report (the rejected rows with a reason column), or null. */
  errorReport: string | null;
  failure?: { code: string; message: string } | null;
}

type Values = Record<string, string | boolean | undefined>;

async function targetUnit(ctx: AppContext, v: Values): Promise<string> {
  const school = typeof v.school === 'string' ? v.school : undefined;
  const county = typeof v.county === 'string' ? v.county : undefined;
  if (school && county) throw new Error('give --school or --county, not both');
  let q = ctx.db.selectFrom('unit').select('id');
  if (school) q = q.where('kind', '=', 'school').where('code', '=', school);
  else if (county) q = q.where('kind', '=', 'county_bureau').where('code', '=', county);
  else q = q.where('parent_id', 'is', null);
  const rows = await q.execute();
  if (rows.length !== 1)
    throw new Error(
      school
        ? `no school with code ${school}`
        : county
          ? `no county bureau with code ${county}`
          : 'no city bureau: run dudao init first',
    );
  return rows[0]!.id;
}

function progressLine(job: Pick<ImportJob, 'progress'>): string {
  const p = job.progress;
  const eta = p.etaSeconds === null ? '' : `, ~${p.etaSeconds}s left`;
  return `  ${p.phase.padEnd(8)} ${String(p.percent).padStart(3)}%  ${p.rowsRead} rows  ${p.rowsPerSecond} rows/s${eta}`;
}

/** Runs the import command; returns the result and whether it succeeded. */
export async function importCommand(
  ctx: AppContext,
  kind: string | undefined,
  file: string | undefined,
  v: Values,
  origin: AuditOrigin,
): Promise<{ result: ImportResult; ok: boolean }> {
  if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind) || !file) throw new Error(importUsage);
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`no such file: ${path}`);
  const mode = (typeof v.mode === 'string' ? v.mode : 'all') as ImportMode;
  if (!IMPORT_MODES.includes(mode)) throw new Error('--mode must be all or valid-only');
  const actor = origin.actor ?? systemActor('cli');
  const unitId = await targetUnit(ctx, v);

  let lastLine = 0;
  const onProgress = (e: { progress?: ImportJob['progress'] }) => {
    if (!e.progress || Date.now() - lastLine < 1000) return;
    lastLine = Date.now();
    process.stderr.write(progressLine({ progress: e.progress }) + '\n');
  };
  let job: ImportJob | undefined;
  const listen = (id: string) => importEvents.on(id, onProgress);
  try {
    process.stderr.write(`validating ${basename(path)} …\n`);
    job = await createImportJob(
      ctx,
      actor,
      { kind: kind as ImportKind, unitId, fileName: basename(path), source: createReadStream(path) },
      origin,
      { wait: true, onCreated: listen },
    );
    if (job.status === 'validated' && !v['dry-run'] && !(mode === 'all' && job.counts.rejected > 0)) {
      process.stderr.write(`committing (${mode}) …\n`);
      job = await commitImportJob(ctx, actor, job.id, mode, origin, { wait: true });
    } else if (job.status === 'validated') {
      // A dry run (or an all-or-nothing import with errors) writes nothing: drop the staged rows.
      job = await cancelImportJob(ctx, actor, job.id, origin, 'zh');
    }
  } catch (e) {
    if (e instanceof AppError) throw new Error(`${e.code}: ${e.msg.zh} / ${e.msg.en}`);
    throw e;
  } finally {
    if (job) importEvents.removeAllListeners(job.id);
  }
  const report = job.errorReport ? reportPath(ctx, job.id, job.format) : null;
  const committed = job.status === 'committed';
  const result: ImportResult = {
    importId: job.id,
    status: job.status,
    rows: job.counts.rows,
    inserted: committed ? job.counts.inserted : 0,
    updated: committed ? job.counts.updated : 0,
    unchanged: committed ? job.counts.unchanged : job.counts.unchanged,
    rejected: job.counts.rejected,
    errorReport: report,
    failure: job.failure,
  };
  if (v['dry-run'] && job.status === 'cancelled') {
    // The dry run's counts are what a commit would do.
    result.inserted = job.counts.inserted;
    result.updated = job.counts.updated;
  }
  const ok = committed || (v['dry-run'] === true && job.status === 'cancelled');
  return { result, ok };
}
