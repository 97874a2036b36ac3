/**
 * The demo's 数据填报: the annual school form (学校基本情况年报) for last year (accepted everywhere) and this
 * year for the compulsory-education schools — figures for most schools (the first school of each county has
 * not started, so a school can be shown entering; the rest a mix of draft, returned, submitted and approved),
 * a few rule warnings (在校生数 differing from the registry, 教学仪器设备值 jumping more than 30%), and one
 * county (the last by code) approved throughout and accepted by the city, so the progress board and the county
 * coefficients show something. Figures are generated around the 2017 standards from the registry's
 * enrolment; rules are checked with the module's own checkRules. Written set-based like an import (one
 * audit event), deterministic, and a no-op once done.
 */
import { randomUUID } from 'node:crypto';
import { SCHOOL_ANNUAL_FORM_CODE, type EntryValue, type SubmissionStatus } from '@dudao/contracts';
import { systemActor } from '../../platform/access/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { seededRng } from '../../demo/rng.js';
import { currentSchoolYear } from '../students/students.service.js';
import * as repo from './collection.repository.js';
import { ensureDefinitions } from './collection.seed.js';
import { checkRules, prefillOf } from './collection.service.js';
import { rootUnit } from '../../platform/access/scope.js';

export async function seedCollectionDemo(
  ctx: AppContext,
  opts: { seed: number; scale: 'small' | 'city' | 'province' },
): Promise<{ submissions: number }> {
  await ensureDefinitions(ctx.db);
  const form = (await repo.formByCode(ctx.db, SCHOOL_ANNUAL_FORM_CODE))!;
  const done = await ctx.db
    .selectFrom('data_submission')
    .select('id')
    .where('form_id', '=', form.id)
    .limit(1)
    .executeTakeFirst();
  if (done) return { submissions: 0 };
  const rng = seededRng(opts.seed + 8008);
  const between = (a: number, b: number) => a + rng() * (b - a);
  const year = String(currentSchoolYear());
  const last = String(Number(year) - 1);
  const city = await rootUnit(ctx.db);
  if (!city) return { submissions: 0 };
  const schools = (await repo.expectedUnits(ctx.db, form.targets, city.path)).sort(
    (a, b) => (a.county_name ?? '').localeCompare(b.county_name ?? '') || a.id.localeCompare(b.id),
  );
  if (schools.length === 0) return { submissions: 0 };
  const codes = new Map(
    (await ctx.db.selectFrom('unit').select(['id', 'code']).execute()).map((u) => [u.id, u.code]),
  );
  const counties = [...new Set(schools.map((s) => s.county_id))].sort((a, b) =>
    (codes.get(a ?? '') ?? '').localeCompare(codes.get(b ?? '') ?? ''),
  );
  // the first school of each county (lowest code): not started
  const firstOf = new Map<string | null, string>();
  for (const s of [...schools].sort((a, b) => (codes.get(a.id) ?? '').localeCompare(codes.get(b.id) ?? '')))
    if (!firstOf.has(s.county_id)) firstOf.set(s.county_id, s.id);
  // the county with the highest code: approved throughout and accepted by the city
  const acceptedCounty = counties.length > 1 ? counties[counties.length - 1]! : null;

  const [elements, rules, registry] = await Promise.all([
    repo.elementsByCodes(ctx.db, repo.formCodes(form)),
    repo.rulesOf(ctx.db, form.id, true),
    repo.registryFigures(
      ctx.db,
      schools.map((s) => s.id),
      year,
    ),
  ]);
  const now = new Date();
  const rows: Parameters<typeof insert>[1] = [];
  const audit: { unitId: string; status: string }[] = [];

  let index = 0;
  for (const s of schools) {
    index++;
    const reg = registry.get(s.id)!;
    const prefill = prefillOf(elements, reg);
    const junior = s.stage === 'junior' || s.stage === 'complete_secondary';
    // the registry's enrolment, a few schools reporting a little more (the rule asks them why)
    const known = reg['reg.students'];
    const students =
      known > 0 ? known + (index % 5 === 3 ? 3 + Math.floor(rng() * 12) : 0) : 40 + Math.floor(rng() * 400);
    const fromRegistry = known > 0 && students === known;
    const split =
      fromRegistry && s.stage !== 'complete_secondary'
        ? { p: reg['reg.students_primary'], j: reg['reg.students_junior'], s: reg['reg.students_senior'] }
        : s.stage === 'nine_year'
          ? { p: Math.round(students * 0.62), j: students - Math.round(students * 0.62), s: 0 }
          : s.stage === 'complete_secondary'
            ? { p: 0, j: Math.round(students * 0.55), s: students - Math.round(students * 0.55) }
            : junior
              ? { p: 0, j: students, s: 0 }
              : { p: students, j: 0, s: 0 };
    // per-student levels around the standards: most schools above, a few below
    const weak = rng() < 0.25;
    const f = (std: number) => std * (weak ? between(0.7, 1.05) : between(0.95, 1.6));
    const teachers = Math.max(3, Math.round(students / between(13, 18)));
    const per100 = (std: number) => Math.max(0, Math.round((f(std) * students) / 100));
    const values: Record<string, EntryValue> = {
      ...prefill,
      STUDENTS: students,
      STUDENTS_PRIMARY: split.p,
      STUDENTS_JUNIOR: split.j,
      STUDENTS_SENIOR: split.s,
      TEACHERS: teachers,
      QUALIFIED_TEACHERS: Math.min(teachers, per100(junior ? 5.3 : 4.2)),
      BACKBONE_TEACHERS: Math.min(teachers, per100(1)),
      ARTS_PE_TEACHERS: Math.min(teachers, per100(0.9)),
      SENIOR_TITLE_TEACHERS: Math.round(teachers * between(0.3, 0.6)),
      BUILDING_AREA: Math.round(f(junior ? 5.8 : 4.5) * students),
      SPORTS_AREA: Math.round(f(junior ? 10.2 : 7.5) * students),
      EQUIPMENT_VALUE: Math.round((f(junior ? 2500 : 2000) * students) / 100) * 100,
      BOOKS: Math.round(between(25, 45) * students),
      COMPUTERS: Math.round(students / between(6, 12)),
      MULTIMEDIA_ROOMS: per100(junior ? 2.4 : 2.3),
      HAS_LIBRARY: rng() < 0.9,
    };
    const previous: Record<string, EntryValue> = {
      ...values,
      // a few schools bought (or wrote off) a lot of equipment: the 30% rule warns
      EQUIPMENT_VALUE: Math.round(
        (values.EQUIPMENT_VALUE as number) / (index % 4 === 2 ? between(1.5, 2) : between(0.95, 1.1)),
      ),
    };
    rows.push({ s, period: last, status: 'accepted', values: previous, previous: {}, reg });
    if (firstOf.get(s.county_id) === s.id && s.county_id !== acceptedCounty) continue;
    const x = rng();
    const status: SubmissionStatus =
      s.county_id === acceptedCounty
        ? 'accepted'
        : x < 0.1
          ? 'draft'
          : x < 0.18
            ? 'returned'
            : x < 0.45
              ? 'submitted'
              : 'approved';
    rows.push({ s, period: year, status, values, previous, reg });
    audit.push({ unitId: s.id, status });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await insert(trx, rows);
    const accepted = [last, ...(acceptedCounty ? [year] : [])];
    for (const period of accepted)
      for (const county of period === last ? counties : [acceptedCounty])
        if (county)
          await trx
            .insertInto('collection_acceptance')
            .values({ form_id: form.id, county_id: county, period, accepted_at: now })
            .execute();
    await recordAudit(
      trx,
      { actor: systemActor('demo'), ip: null, requestId: null },
      {
        action: 'collection.demo',
        objectType: 'data_form',
        objectId: form.id,
        after: { periods: [last, year], submissions: rows.length },
      },
    );
  });
  return { submissions: rows.length };

  async function insert(
    db: repo.Db,
    list: {
      s: repo.ExpectedUnit;
      period: string;
      status: SubmissionStatus;
      values: Record<string, EntryValue>;
      previous: Record<string, EntryValue>;
      reg: Record<string, number>;
    }[],
  ) {
    const explain = '学籍系统在校生数据尚在核对，以学校统计为准';
    const out = list.map((r) => {
      if (r.status === 'not_started') throw new Error('not_started is not stored');
      const checked = checkRules(rules, r.values, r.previous, r.reg, 'zh');
      const explanations: Record<string, string> = {};
      for (const res of checked.results)
        if (res.outcome === 'fail' && res.importance === 'warning' && r.status !== 'draft')
          explanations[res.ruleId] = res.name.includes('仪器')
            ? '本年度新建实验室，采购教学仪器设备'
            : explain;
      const submitted = r.status !== 'draft';
      return {
        id: randomUUID(),
        form_id: form.id,
        unit_id: r.s.id,
        period: r.period,
        status: r.status,
        vals: JSON.stringify(r.values),
        prefilled: JSON.stringify(
          Object.keys(prefillOf(elements, r.reg as never)).filter(
            (k) => r.values[k] === r.reg[elements.find((e) => e.code === k)!.prefill!],
          ),
        ),
        explanations: JSON.stringify(explanations),
        results: JSON.stringify(checked.results),
        errors: checked.errors,
        warnings: checked.warnings,
        checked_at: now,
        return_reason: r.status === 'returned' ? '体育运动场馆面积与上年差异较大，请核实后重新上报' : null,
        submitted_at: submitted ? now : null,
        approved_at: r.status === 'approved' || r.status === 'accepted' ? now : null,
        accepted_at: r.status === 'accepted' ? now : null,
        updated_at: now,
      };
    });
    for (let i = 0; i < out.length; i += 500)
      await db
        .insertInto('data_submission')
        .values(out.slice(i, i + 500))
        .execute();
  }
}
