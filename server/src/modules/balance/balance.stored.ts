/**
 * The balanced-development coefficients of a county fed from stored figures (数据填报's annual school form)
 * instead of an uploaded table: the submissions become BalanceRow[] and go through the same engine
 * (computeBalance) the calculator uses — one implementation.
 */
import {
  BALANCE_ELEMENT_CODES,
  BALANCE_FIGURES,
  SCHOOL_ANNUAL_FORM_CODE,
  numericValue,
  type BalanceFigure,
  type BalanceOptionsInput,
  type BalanceSchoolKind,
  type BalanceStoredQuery,
  type BalanceStoredResult,
  type Lang,
} from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import * as repo from '../collection/collection.repository.js';
import { computeBalance, type BalanceRow, type BalanceTable } from './balance.engine.js';

const KIND_OF_STAGE: Record<string, BalanceSchoolKind> = {
  primary: 'primary',
  junior: 'junior',
  nine_year: 'nine_year',
  complete_secondary: 'complete_secondary',
  senior: 'senior',
  special: 'special',
  vocational: 'vocational',
};

/** A school's stored figures as the calculator's table row. */
export function rowOf(
  row: number,
  name: string,
  kind: BalanceSchoolKind,
  vals: Record<string, unknown>,
): BalanceRow {
  const num = (code: string) => numericValue(vals[code]);
  const figures: Partial<Record<BalanceFigure, number>> = {};
  for (const f of BALANCE_FIGURES) {
    const v = num(BALANCE_ELEMENT_CODES[f]);
    if (v !== null) figures[f] = v;
  }
  return {
    row,
    name,
    kind,
    students: num(BALANCE_ELEMENT_CODES.students),
    primaryStudents: num(BALANCE_ELEMENT_CODES.primaryStudents),
    juniorStudents: num(BALANCE_ELEMENT_CODES.juniorStudents),
    seniorStudents: num(BALANCE_ELEMENT_CODES.seniorStudents),
    figures,
  };
}

/** GET /api/balance/stored: a county's coefficient table from the approved (or all submitted) figures. */
export async function balanceFromStored(
  ctx: AppContext,
  actor: Actor,
  q: BalanceStoredQuery & { approvedOnly: 'true' | 'false' },
  lang: Lang,
  options: BalanceOptionsInput = {},
): Promise<BalanceStoredResult> {
  const county = await repo.findUnit(ctx.db, actor, 'collection.read', q.countyId);
  if (!county || county.kind !== 'county_bureau') throw notFound({ zh: '县级教育局', en: 'County bureau' });
  const form = q.formId
    ? await repo.formById(ctx.db, q.formId)
    : await repo.formByCode(ctx.db, SCHOOL_ANNUAL_FORM_CODE);
  if (!form) throw notFound({ zh: '报表', en: 'Form' });
  return computeStored(ctx, county, form, q.period, q.approvedOnly === 'true', lang, options);
}

export async function computeStored(
  ctx: AppContext,
  county: repo.UnitRow,
  form: repo.FormRow,
  period: string,
  approvedOnly: boolean,
  lang: Lang,
  options: BalanceOptionsInput = {},
): Promise<BalanceStoredResult> {
  const schools = (await repo.expectedUnits(ctx.db, form.targets, county.path)).filter(
    (u) => u.kind === 'school',
  );
  const subs = new Map(
    (await repo.submissionsUnder(ctx.db, form.id, period, county.path)).map((s) => [s.unit_id, s]),
  );
  return storedResult(county, form, period, approvedOnly, schools, subs, lang, options);
}

/** Every county under a unit (the city) at once: two queries, then the engine per county. */
export async function computeStoredAll(
  ctx: AppContext,
  rootPath: string,
  form: repo.FormRow,
  period: string,
  approvedOnly: boolean,
  lang: Lang,
  options: BalanceOptionsInput = {},
): Promise<BalanceStoredResult[]> {
  const [units, subs, counties] = await Promise.all([
    repo.expectedUnits(ctx.db, form.targets, rootPath),
    repo.submissionsUnder(ctx.db, form.id, period, rootPath),
    ctx.db
      .selectFrom('unit')
      .select(['id', 'kind', 'name', 'path', 'parent_id', 'stage', 'ownership', 'status'])
      .where('kind', '=', 'county_bureau')
      .where('path', 'like', rootPath + '%')
      .orderBy('code')
      .execute() as Promise<repo.UnitRow[]>,
  ]);
  const byUnit = new Map(subs.map((s) => [s.unit_id, s]));
  return counties.map((c) =>
    storedResult(
      c,
      form,
      period,
      approvedOnly,
      units.filter((u) => u.kind === 'school' && u.county_id === c.id),
      byUnit,
      lang,
      options,
    ),
  );
}

function storedResult(
  county: repo.UnitRow,
  form: repo.FormRow,
  period: string,
  approvedOnly: boolean,
  schools: repo.ExpectedUnit[],
  subs: Map<string, repo.SubmissionRow>,
  lang: Lang,
  options: BalanceOptionsInput,
): BalanceStoredResult {
  const allowed = approvedOnly ? ['approved', 'accepted'] : ['submitted', 'approved', 'accepted'];
  const rows: BalanceRow[] = [];
  const notCounted: BalanceStoredResult['notCounted'] = [];
  const unapproved: BalanceStoredResult['unapproved'] = [];
  for (const s of schools) {
    const sub = subs.get(s.id);
    const status = sub?.status ?? 'not_started';
    const kind = KIND_OF_STAGE[s.stage ?? ''];
    if (!sub || !allowed.includes(status) || !kind) {
      notCounted.push({ unitId: s.id, name: s.name, status });
      continue;
    }
    if (status === 'submitted') unapproved.push({ unitId: s.id, name: s.name, status });
    rows.push(rowOf(rows.length + 1, s.name, kind, sub.vals));
  }
  const table: BalanceTable = {
    file: null,
    rows,
    columnsFound: [...BALANCE_FIGURES],
    unknownColumns: [],
    scaled: [],
    errors: [],
    ignored: [],
  };
  const result = computeBalance(table, options, lang);
  return {
    ...result,
    countyId: county.id,
    countyName: county.name,
    period,
    formId: form.id,
    approvedOnly,
    schoolsExpected: schools.length,
    schoolsCounted: rows.length,
    notCounted,
    unapproved,
  };
}
