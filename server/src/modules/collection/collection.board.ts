/**
 * The progress board (who has not submitted, who waits for whom), the stored rule results, and the
 * validation run over everything (nightly, or on demand by a bureau).
 */
import {
  SUBMISSION_STATUSES,
  type Lang,
  type ProgressBoard,
  type ProgressQuery,
  type ProgressRow,
  type RuleResult,
  type SubmissionStatus,
  type Violation,
  previousPeriod,
} from '@dudao/contracts';
import { can, type Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { collectionPolicy as policy } from './collection.policy.js';
import * as repo from './collection.repository.js';
import { checkRules } from './collection.service.js';

const zeroCounts = () =>
  Object.fromEntries(SUBMISSION_STATUSES.map((s) => [s, 0])) as Record<SubmissionStatus, number>;

async function scoped(ctx: AppContext, actor: Actor, q: ProgressQuery) {
  const unit = await repo.findUnit(ctx.db, actor, 'collection.read', q.unitId);
  if (!unit) throw notFound({ zh: '单位', en: 'Unit' });
  const form = await repo.formById(ctx.db, q.formId);
  if (!form) throw notFound({ zh: '报表', en: 'Form' });
  return { unit, form };
}

/** GET /api/collection/progress: every unit the form is for under a unit, its status and who must act. */
export async function progress(ctx: AppContext, actor: Actor, q: ProgressQuery): Promise<ProgressBoard> {
  const { unit, form } = await scoped(ctx, actor, q);
  const [units, subs, acceptances] = await Promise.all([
    repo.expectedUnits(ctx.db, form.targets, unit.path),
    repo.submissionsUnder(ctx.db, form.id, q.period, unit.path),
    ctx.db
      .selectFrom('collection_acceptance')
      .selectAll()
      .where('form_id', '=', form.id)
      .where('period', '=', q.period)
      .execute(),
  ]);
  const byUnit = new Map(subs.map((s) => [s.unit_id, s]));
  const accepted = new Map(acceptances.map((a) => [a.county_id, a]));
  const rows: ProgressRow[] = units.map((u) => {
    const s = byUnit.get(u.id);
    const status: SubmissionStatus = s?.status ?? 'not_started';
    const own = u.kind === 'county_bureau';
    // a school: school → county → city; a county bureau's own figures: county → city (the city's approval is
    // final). Who fills in (not started, draft, returned) is the unit itself: 'school' for a school, 'county'
    // for a county bureau.
    const waitingFor: ProgressRow['waitingFor'] =
      status === 'submitted'
        ? own
          ? 'city'
          : 'county'
        : status === 'approved'
          ? 'city'
          : status === 'accepted'
            ? 'none'
            : own
              ? 'county'
              : 'school';
    return {
      submissionId: s?.id ?? null,
      level: own ? ('county' as const) : ('school' as const),
      unitId: u.id,
      unitName: u.name,
      countyId: u.county_id,
      countyName: u.county_name,
      status,
      errors: s?.errors ?? 0,
      warnings: s?.warnings ?? 0,
      waitingFor,
      updatedAt: s ? new Date(s.updated_at).toISOString() : null,
    };
  });
  const counts = zeroCounts();
  const counties = new Map<string, ProgressBoard['counties'][number]>();
  for (const r of rows) {
    counts[r.status]++;
    if (!r.countyId) continue;
    let c = counties.get(r.countyId);
    if (!c) {
      const a = accepted.get(r.countyId);
      c = {
        countyId: r.countyId,
        countyName: r.countyName ?? '',
        counts: zeroCounts(),
        total: 0,
        accepted: !!a,
        acceptedAt: a ? new Date(a.accepted_at).toISOString() : null,
        readyForCity: false,
        waitingFor: 'none',
        waiting: { school: 0, county: 0, city: 0 },
      };
      counties.set(r.countyId, c);
    }
    c.counts[r.status]++;
    c.total++;
    if (r.waitingFor !== 'none') c.waiting[r.waitingFor]++;
  }
  for (const c of counties.values()) {
    c.readyForCity = !c.accepted && c.total > 0 && c.counts.approved === c.total;
    // the county as a whole waits for the lowest level that still has to act
    c.waitingFor =
      c.waiting.school > 0
        ? 'school'
        : c.waiting.county > 0
          ? 'county'
          : c.waiting.city > 0
            ? 'city'
            : 'none';
  }
  const waiting = { school: 0, county: 0, city: 0 };
  for (const r of rows) if (r.waitingFor !== 'none') waiting[r.waitingFor]++;
  const stages = form.targets.filter((t) => t !== 'county_bureau');
  return {
    formId: form.id,
    period: q.period,
    counts,
    total: rows.length,
    counties: [...counties.values()],
    units: rows,
    waiting,
    levels: stages.length > 0 ? ['school', 'county', 'city'] : ['county', 'city'],
  };
}

/** GET /api/collection/violations: failing rules as last checked (on save, on submit or by the run). */
export async function violations(ctx: AppContext, actor: Actor, q: ProgressQuery): Promise<Violation[]> {
  const { unit, form } = await scoped(ctx, actor, q);
  const rows = await ctx.db
    .selectFrom('data_submission as s')
    .innerJoin('unit as u', 'u.id', 's.unit_id')
    .select(['s.id', 's.unit_id', 'u.name', 's.status', 's.results', 's.explanations', 's.checked_at'])
    .where('s.form_id', '=', form.id)
    .where('s.period', '=', q.period)
    .where('u.path', 'like', unit.path + '%')
    .where((eb) => eb.or([eb('s.errors', '>', 0), eb('s.warnings', '>', 0)]))
    .orderBy('u.name')
    .execute();
  return rows.flatMap((r) =>
    (r.results as RuleResult[])
      .filter((x) => x.outcome === 'fail')
      .map((result) => ({
        submissionId: r.id,
        unitId: r.unit_id,
        unitName: r.name,
        status: r.status,
        result,
        explanation: r.explanations[result.ruleId] ?? null,
        checkedAt: new Date(r.checked_at ?? 0).toISOString(),
      })),
  );
}

/**
 * Re-checks every stored submission (of a form and period, under a unit; or all of them) against the
 * current rules and stores the results. Runs nightly as the system; a bureau may run it for its area.
 */
export async function runValidation(
  ctx: AppContext,
  scope: { formId?: string; period?: string; underPath?: string },
  lang: Lang = 'zh',
): Promise<{ checked: number; errors: number; warnings: number }> {
  let q = ctx.db
    .selectFrom('data_submission as s')
    .innerJoin('unit as u', 'u.id', 's.unit_id')
    .select(['s.id', 's.form_id', 's.unit_id', 's.period', 's.vals'])
    .orderBy('s.id');
  if (scope.formId) q = q.where('s.form_id', '=', scope.formId);
  if (scope.period) q = q.where('s.period', '=', scope.period);
  if (scope.underPath) q = q.where('u.path', 'like', scope.underPath + '%');
  const subs = await q.execute();
  const forms = new Map((await repo.listForms(ctx.db)).map((f) => [f.id, f]));
  const rules = new Map<string, repo.RuleRow[]>();
  let errors = 0;
  let warnings = 0;
  // group by form and period so previous values and registry figures are read in bulk
  const groups = new Map<string, typeof subs>();
  for (const s of subs) {
    const k = `${s.form_id}|${s.period}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [k, list] of groups) {
    const [formId, period] = k.split('|') as [string, string];
    const form = forms.get(formId)!;
    if (!rules.has(formId)) rules.set(formId, await repo.rulesOf(ctx.db, formId, true));
    const prevRows = await ctx.db
      .selectFrom('data_submission')
      .select(['unit_id', 'vals'])
      .where('form_id', '=', formId)
      .where('period', '=', previousPeriod(form.period_type, period))
      .where(
        'unit_id',
        'in',
        list.map((s) => s.unit_id),
      )
      .execute();
    const prev = new Map(prevRows.map((r) => [r.unit_id, r.vals]));
    const registry = await repo.registryFigures(
      ctx.db,
      list.map((s) => s.unit_id),
      period.slice(0, 4),
    );
    const now = new Date();
    for (const s of list) {
      const r = checkRules(
        rules.get(formId)!,
        s.vals,
        prev.get(s.unit_id) ?? {},
        registry.get(s.unit_id) ?? {},
        lang,
      );
      errors += r.errors;
      warnings += r.warnings;
      await ctx.db
        .updateTable('data_submission')
        .set({ results: JSON.stringify(r.results), errors: r.errors, warnings: r.warnings, checked_at: now })
        .where('id', '=', s.id)
        .execute();
    }
  }
  return { checked: subs.length, errors, warnings };
}

/** POST /api/collection/validation-runs: a bureau re-checks its area's figures now (audited). */
export async function runValidationFor(
  ctx: AppContext,
  origin: AuditOrigin & { actor: Actor },
  q: ProgressQuery,
  lang: Lang,
) {
  const { unit, form } = await scoped(ctx, origin.actor, q);
  if (!can(origin.actor, 'collection.approve', unit.path) && !policy.canManage(origin.actor))
    throw forbidden({ zh: '只有教育局可以运行全面校验', en: 'Only a bureau runs the validation' });
  const result = await runValidation(ctx, { formId: form.id, period: q.period, underPath: unit.path }, lang);
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, origin, {
      action: 'collection.validate',
      objectType: 'data_form',
      objectId: form.id,
      unitId: unit.id,
      after: { period: q.period, ...result },
    }),
  );
  return result;
}
