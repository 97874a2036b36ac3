/** Visit coverage per term: how many visits each assigned school had against what the settings require. */
import { type Coverage, type CoverageQuery, type CoverageState } from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { notFound } from '../../platform/errors.js';
import * as repo from './inspectors.repository.js';
import { resolveTerm, settingsForPaths } from './inspectors.service.js';

const UNIT = { zh: '单位', en: 'Unit' };

// ---------- coverage ----------

/** What the share of the term gone by `asOf` asks for (all of it once the term ended). */
export function expectedBy(required: number, term: { start: string; end: string }, asOf: string): number {
  if (asOf >= term.end) return required;
  if (asOf < term.start) return 0;
  const total = (Date.parse(term.end) - Date.parse(term.start)) / 86_400_000 + 1;
  const gone = (Date.parse(asOf) - Date.parse(term.start)) / 86_400_000 + 1;
  return Math.floor((required * gone) / total);
}

function coverageState(done: number, required: number, expected: number): CoverageState {
  if (done >= required) return 'complete';
  return done < expected ? 'behind' : 'on_track';
}

interface Tally {
  schools: number;
  required: number;
  done: number;
  visits: number;
  complete: number;
  behind: number;
}
const emptyTally = (): Tally => ({ schools: 0, required: 0, done: 0, visits: 0, complete: 0, behind: 0 });

/**
 * For a term (default: the current one), every active school in scope: visits required (the bureau's
 * setting), done, and whether it is behind; with the sums per inspector and per county.
 */
export async function coverage(ctx: AppContext, actor: Actor, q: CoverageQuery): Promise<Coverage> {
  const today = chinaToday();
  const term = resolveTerm(q.termId, today);
  let underPath: string | undefined;
  if (q.under) {
    const under = await repo.findUnit(ctx.db, actor, q.under, 'finding.read');
    if (!under) throw notFound(UNIT);
    underPath = under.path;
  }
  const asOf = today < term.start ? term.start : today > term.end ? term.end : today;
  const schools = await repo.coverageSchools(ctx.db, actor, underPath);
  const ids = schools.map((s) => s.id);
  const [counts, assignments, settings] = await Promise.all([
    repo.visitCounts(ctx.db, ids, term.start, term.end),
    repo.assignmentsOf(ctx.db, ids),
    settingsForPaths(
      ctx,
      schools.map((s) => s.path),
    ),
  ]);
  const bySchool = new Map<string, { n: number; last: string | null }>();
  const byPair = new Map<string, number>();
  for (const c of counts) {
    const s = bySchool.get(c.school_id) ?? { n: 0, last: null };
    s.n += c.n;
    if (!s.last || c.last > s.last) s.last = c.last;
    bySchool.set(c.school_id, s);
    byPair.set(`${c.school_id}|${c.inspector_id}`, c.n);
  }
  const inspectorsBySchool = new Map<string, { id: string; name: string }[]>();
  for (const a of assignments)
    inspectorsBySchool.set(a.school_id, [
      ...(inspectorsBySchool.get(a.school_id) ?? []),
      { id: a.user_id, name: a.display_name },
    ]);

  const totals = emptyTally();
  const counties = new Map<string, { unitId: string; name: string } & Tally>();
  const rows = schools.map((s) => {
    const required = settings(s.path).visitsPerTerm;
    const done = bySchool.get(s.id)?.n ?? 0;
    const expected = expectedBy(required, term, asOf);
    const state = coverageState(done, required, expected);
    const county =
      s.parent_kind === 'county_bureau' && s.parent_id ? { id: s.parent_id, name: s.parent_name! } : null;
    const tallies = [totals];
    if (county) {
      let c = counties.get(county.id);
      if (!c) counties.set(county.id, (c = { unitId: county.id, name: county.name, ...emptyTally() }));
      tallies.push(c);
    }
    for (const t of tallies) {
      t.schools++;
      t.required += required;
      t.done += Math.min(done, required);
      t.visits += done;
      if (state === 'complete') t.complete++;
      if (state === 'behind') t.behind++;
    }
    return {
      schoolId: s.id,
      name: s.name,
      code: s.code,
      countyId: county?.id ?? null,
      countyName: county?.name ?? null,
      inspectors: inspectorsBySchool.get(s.id) ?? [],
      required,
      expected,
      done,
      lastVisit: bySchool.get(s.id)?.last ?? null,
      state,
    };
  });

  // Per inspector: their assigned schools in view, and their own visits to them.
  const inspectors = new Map<string, { userId: string; name: string; unitName: string } & Tally>();
  const rowById = new Map(rows.map((r) => [r.schoolId, r]));
  for (const a of assignments) {
    const school = rowById.get(a.school_id)!;
    const t = inspectors.get(a.user_id) ?? {
      userId: a.user_id,
      name: a.display_name,
      unitName: a.unit_name,
      ...emptyTally(),
    };
    const own = byPair.get(`${a.school_id}|${a.user_id}`) ?? 0;
    t.schools++;
    t.required += school.required;
    t.done += Math.min(own, school.required);
    t.visits += own;
    if (school.state === 'complete') t.complete++;
    if (school.state === 'behind') t.behind++;
    inspectors.set(a.user_id, t);
  }
  return {
    term,
    asOf,
    totals,
    schools: rows,
    byInspector: [...inspectors.values()].sort(
      (a, b) => b.behind - a.behind || a.name.localeCompare(b.name, 'zh'),
    ),
    byCounty: [...counties.values()],
  };
}
