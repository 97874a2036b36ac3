/**
 * `dudao crosscheck FILE [--county CODE] [--dry-run]`: imports a population list (户籍 school-age list, or a
 * 脱贫户 children list when its title says so) for a county (or, without --county, the whole city), matches
 * it against the registry by the ID-number HMAC and prints the 四查三比对 category counts
 * {"listed","enrolledHere","enrolledElsewhere","exempt","outOfSchool","dropout","povertyDropout","unmatched"},
 * whose categories add up to `listed`. --dry-run stores nothing.
 */
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { runCrosscheck } from '../modules/dropout/crosscheck.service.js';
import type { AuditOrigin } from '../platform/audit/audit.js';
import type { AppContext } from '../platform/context.js';

type Values = Record<string, string | boolean | undefined>;
const usage = 'usage: dudao crosscheck FILE [--county CODE] [--dry-run] [--json]';

export async function crosscheckCommand(
  ctx: AppContext,
  file: string | undefined,
  v: Values,
  origin: AuditOrigin,
): Promise<{ json: unknown; text: string; exitCode?: number }> {
  if (!file) throw new Error(usage);
  await access(file).catch(() => {
    throw new Error(`cannot read ${file}\n${usage}`);
  });
  const county = typeof v.county === 'string' ? v.county : null;
  const unit = await ctx.db
    .selectFrom('unit')
    .select(['id', 'kind', 'name', 'path', 'region_code', 'county_code'])
    .$call((q) =>
      county
        ? q
            .where('kind', '=', 'county_bureau')
            .where((eb) => eb.or([eb('code', '=', county), eb('region_code', '=', county)]))
        : q.where('parent_id', 'is', null),
    )
    .executeTakeFirst();
  if (!unit)
    throw new Error(county ? `no county bureau with code ${county}` : 'no city: run dudao init first');
  const r = await runCrosscheck(ctx, origin, {
    unit,
    path: file,
    fileName: basename(file),
    dryRun: v['dry-run'] === true,
  });
  const c = r.counts;
  const json = {
    listed: c.listed,
    enrolledHere: c.enrolledHere,
    enrolledElsewhere: c.enrolledElsewhere,
    exempt: c.exempt,
    outOfSchool: c.outOfSchool,
    dropout: c.dropout,
    povertyDropout: c.povertyDropout,
    unmatched: c.unmatched,
  };
  const text = [
    `${unit.name} ${r.kind === 'poverty' ? '脱贫户子女名单' : '户籍适龄人口名单'} ${r.fileName}${r.dryRun ? '（试运行，未保存）' : ''}`,
    `名单 ${c.listed} 人：本地在籍 ${c.enrolledHere}，外县区在籍 ${c.enrolledElsewhere}，免缓学 ${c.exempt}，适龄失学 ${c.outOfSchool}，辍学 ${c.dropout}，脱贫户辍学 ${c.povertyDropout}，无法比对 ${c.unmatched}`,
  ].join('\n');
  return { json, text };
}
