/**
 * Indicators: numerator / denominator × factor over data elements and registry counts, computed per unit
 * from the stored figures and aggregated for a region as Σ numerator / Σ denominator (aggregateRatio in
 * contracts) — never the mean of the units' ratios. Every value drills down to the units below it.
 */
import {
  aggregateRatio,
  evaluate,
  numericValue,
  parseExpression,
  type Expr,
  type Indicator,
  type IndicatorValue,
  type IndicatorValueQuery,
} from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import * as repo from './collection.repository.js';
import type { Db, ExpectedUnit, IndicatorRow } from './collection.repository.js';

export const indicatorOut = (i: IndicatorRow): Indicator => ({
  id: i.id,
  code: i.code,
  name: i.name,
  numerator: i.numerator,
  denominator: i.denominator,
  factor: i.factor,
  unit: i.unit,
  formId: i.form_id,
  description: i.description,
});

interface UnitFigures {
  unit: ExpectedUnit;
  /** By indicator id. */
  parts: Map<string, { numerator: number | null; denominator: number | null }>;
}

/**
 * Each unit's numerator and denominator of each indicator (all of one form) for a period, from the stored
 * figures (approved or accepted only, or every submitted one) and the registry. A unit without figures has
 * nulls (left out of the sums); a missing figure makes that unit's part null.
 */
export async function unitFigures(
  db: Db,
  indicators: IndicatorRow[],
  form: repo.FormRow,
  underPath: string,
  period: string,
  approvedOnly: boolean,
): Promise<UnitFigures[]> {
  const units = await repo.expectedUnits(db, form.targets, underPath);
  const statuses = approvedOnly ? ['approved', 'accepted'] : ['submitted', 'approved', 'accepted'];
  const subs = (await repo.submissionsUnder(db, form.id, period, underPath)).filter((s) =>
    statuses.includes(s.status),
  );
  const vals = new Map(subs.map((s) => [s.unit_id, s.vals]));
  const parsed = indicators.map((i) => {
    const n = parseExpression(i.numerator);
    const d = parseExpression(i.denominator);
    return {
      i,
      n: n.ok ? n.expr : null,
      d: d.ok ? d.expr : null,
      refs: [...(n.ok ? n.refs : []), ...(d.ok ? d.refs : [])],
    };
  });
  const needsRegistry = parsed.some((p) => p.refs.some((r) => r.code.startsWith('reg.')));
  const registry = needsRegistry
    ? await repo.registryFigures(
        db,
        units.filter((u) => u.kind === 'school').map((u) => u.id),
        period.slice(0, 4),
      )
    : new Map();
  return units.map((unit) => {
    const v = vals.get(unit.id);
    const reg = registry.get(unit.id) as Record<string, number> | undefined;
    const lookup = (code: string) =>
      code.startsWith('reg.') ? (reg?.[code] ?? null) : v ? numericValue(v[code]) : null;
    const parts = new Map<string, { numerator: number | null; denominator: number | null }>();
    for (const p of parsed) {
      const usesForm = p.refs.some((r) => !r.code.startsWith('reg.'));
      const run = (e: Expr | null) => (e && (v || !usesForm) ? evaluate(e, lookup, false).value : null);
      parts.set(p.i.id, { numerator: run(p.n), denominator: run(p.d) });
    }
    return { unit, parts };
  });
}

/** The child of `parent` (one level down the path) a unit lies under, or the unit itself. */
const childOf = (parentPath: string, unitPath: string) => {
  const rest = unitPath.slice(parentPath.length).split('/').filter(Boolean);
  return rest[0] ?? null;
};

/** GET /api/collection/indicator-values: one indicator for a unit and period, with its children. */
export async function indicatorValue(
  ctx: AppContext,
  actor: Actor,
  q: IndicatorValueQuery & { approvedOnly: 'true' | 'false' },
): Promise<IndicatorValue> {
  const unit = await repo.findUnit(ctx.db, actor, 'collection.read', q.unitId);
  if (!unit) throw notFound({ zh: '单位', en: 'Unit' });
  const ind = await repo.indicatorById(ctx.db, q.indicatorId);
  if (!ind) throw notFound({ zh: '指标', en: 'Indicator' });
  const form = (await repo.formById(ctx.db, ind.form_id))!;
  const figures = await unitFigures(ctx.db, [ind], form, unit.path, q.period, q.approvedOnly === 'true');
  const partsOf = (list: UnitFigures[]) => list.map((f) => f.parts.get(ind.id)!);
  const total = aggregateRatio(partsOf(figures), ind.factor);
  // group under the unit's children (the city's counties, a county's schools and itself)
  const groups = new Map<string, UnitFigures[]>();
  for (const f of figures) {
    const child = childOf(unit.path, f.unit.path) ?? unit.id;
    groups.set(child, [...(groups.get(child) ?? []), f]);
  }
  const names = new Map(
    (
      await ctx.db
        .selectFrom('unit')
        .select(['id', 'name', 'kind'])
        .where('id', 'in', [...groups.keys(), unit.id])
        .execute()
    ).map((u) => [u.id, u]),
  );
  const children = [...groups.entries()]
    .map(([id, list]) => {
      const a = aggregateRatio(partsOf(list), ind.factor);
      return {
        unitId: id,
        unitName: names.get(id)?.name ?? '',
        kind: names.get(id)?.kind ?? 'school',
        numerator: a.numerator,
        denominator: a.denominator,
        value: a.value,
        reporting: a.reporting,
      };
    })
    .sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh'));
  return {
    indicator: indicatorOut(ind),
    unitId: unit.id,
    unitName: unit.name,
    period: q.period,
    numerator: total.numerator,
    denominator: total.denominator,
    value: total.value,
    reporting: total.reporting,
    expected: figures.length,
    children,
  };
}

/**
 * Every indicator of every form for every county under a unit (the bench's and the report's bulk path):
 * county → indicator code → value.
 */
export async function allIndicatorsByCounty(
  db: Db,
  rootPath: string,
  period: string,
  approvedOnly: boolean,
): Promise<Map<string, Map<string, number | null>>> {
  const indicators = await repo.listIndicators(db);
  const out = new Map<string, Map<string, number | null>>();
  for (const form of await repo.listForms(db)) {
    const mine = indicators.filter((i) => i.form_id === form.id);
    if (mine.length === 0) continue;
    const figures = await unitFigures(db, mine, form, rootPath, period, approvedOnly);
    const byCounty = new Map<string, UnitFigures[]>();
    for (const f of figures) {
      const c = f.unit.county_id ?? 'none';
      byCounty.set(c, [...(byCounty.get(c) ?? []), f]);
    }
    for (const [county, list] of byCounty) {
      const m = out.get(county) ?? new Map<string, number | null>();
      for (const i of mine)
        m.set(
          i.code,
          aggregateRatio(
            list.map((f) => f.parts.get(i.id)!),
            i.factor,
          ).value,
        );
      out.set(county, m);
    }
  }
  return out;
}
