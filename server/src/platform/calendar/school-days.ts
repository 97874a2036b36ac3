/**
 * School days (校历). A day is a school day at a school when
 *   1. it lies inside a term of the school's region — the term dates its county bureau configures, else
 *      its city bureau's, else the default (first term 1 September – 15 January, second term 1 March –
 *      10 July);
 *   2. it is a working day by the national calendar: Monday–Friday that are not public holidays, plus the
 *      weekend make-up workdays (调休上班), from the `chinese-days` dataset. Its getWorkdaysInRange(a, b,
 *      false) leaves the make-up weekend days out, so this module asks isWorkday() day by day instead;
 *   3. no closure (停课) covers it, declared for the school itself or for a bureau above it.
 * Years the dataset does not know yet fall back to Monday–Friday.
 *
 * Dates are 'yyyy-mm-dd' strings in China time; no time zone is involved.
 */
import chineseDays from 'chinese-days';
import type { Kysely } from 'kysely';
import { addDays } from '../dates.js';
import type { DB } from '../db/schema.js';

export interface DateRange {
  start: string;
  end: string;
}

export interface TermDates extends DateRange {
  no: 1 | 2;
}

/** Everything needed to decide a school's days. */
export interface SchoolCalendar {
  /** The terms of a school year (its first calendar year, '2026' = 2026–2027); missing years use the default. */
  terms: Map<string, TermDates[]>;
  closures: (DateRange & { reason: string })[];
}

/** The default terms of a school year when no bureau has configured them. */
export function defaultTerms(schoolYear: string): TermDates[] {
  const y = Number(schoolYear);
  return [
    { no: 1, start: `${y}-09-01`, end: `${y + 1}-01-15` },
    { no: 2, start: `${y + 1}-03-01`, end: `${y + 1}-07-10` },
  ];
}

/** The school year a date belongs to (a school year runs September to August). */
export function schoolYearOf(date: string): string {
  const y = Number(date.slice(0, 4));
  return String(date.slice(5) >= '09-01' ? y : y - 1);
}

export type DayKind = 'workday' | 'makeupWorkday' | 'weekend' | 'holiday' | 'outOfTerm' | 'closure';

/** Whether the national calendar works that day, and why. */
export function nationalDay(date: string): { work: boolean; kind: DayKind; name: string | null } {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const work = chineseDays.isWorkday(date);
  const holiday = chineseDays.isHoliday(date);
  const detail = chineseDays.getDayDetail(date);
  // The detail's name is 'English,中文,n' for a holiday or a make-up day, the weekday's name otherwise.
  const parts = detail.name.split(',');
  const name = parts.length >= 2 ? (parts[1] ?? null) : null;
  if (work) return { work: true, kind: weekend ? 'makeupWorkday' : 'workday', name };
  if (holiday && !weekend) return { work: false, kind: 'holiday', name };
  return { work: false, kind: name ? 'holiday' : 'weekend', name };
}

/** Why a date is or is not a school day at a school with this calendar. */
export function explainDay(
  cal: SchoolCalendar,
  date: string,
): { schoolDay: boolean; why: DayKind; note: string | null } {
  // A configured first term may begin in late August: look at the next school year's terms too.
  const year = schoolYearOf(date);
  const next = String(Number(year) + 1);
  const terms = [
    ...(cal.terms.get(year) ?? defaultTerms(year)),
    ...(cal.terms.get(next) ?? defaultTerms(next)),
  ];
  if (!terms.some((t) => date >= t.start && date <= t.end))
    return { schoolDay: false, why: 'outOfTerm', note: null };
  const closure = cal.closures.find((c) => date >= c.start && date <= c.end);
  const nat = nationalDay(date);
  if (!nat.work) return { schoolDay: false, why: nat.kind, note: nat.name };
  if (closure) return { schoolDay: false, why: 'closure', note: closure.reason };
  return { schoolDay: true, why: nat.kind, note: nat.name };
}

/** Whether a date is a school day at a school with this calendar. */
export function isSchoolDay(cal: SchoolCalendar, date: string): boolean {
  return explainDay(cal, date).schoolDay;
}

/**
 * The schools (of a loadCalendars result) that hold school on `date`. Schools sharing a calendar — most of a
 * city keeps its bureau's terms — are decided once.
 */
export function schoolsOpenOn(cals: ReadonlyMap<string, SchoolCalendar>, date: string): Set<string> {
  const open = new Set<string>();
  const byKey = new Map<string, boolean>();
  for (const [id, cal] of cals) {
    const key = calendarKey(cal);
    let yes = byKey.get(key);
    if (yes === undefined) byKey.set(key, (yes = isSchoolDay(cal, date)));
    if (yes) open.add(id);
  }
  return open;
}

/** The school days from `from` to `to`, both inclusive, in order. */
export function schoolDaysBetween(cal: SchoolCalendar, from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isSchoolDay(cal, d)) out.push(d);
  return out;
}

/** How far back the last school days are looked for: more than a summer and a winter vacation. */
const LOOKBACK_DAYS = 400;

/**
 * The last `n` school days up to `date` — including `date` itself when `inclusive` and it is one — newest
 * first. Fewer when the calendar has fewer within 400 days.
 */
export function lastSchoolDays(cal: SchoolCalendar, date: string, n: number, inclusive = true): string[] {
  const out: string[] = [];
  let d = inclusive ? date : addDays(date, -1);
  for (let i = 0; i < LOOKBACK_DAYS && out.length < n; i++, d = addDays(d, -1))
    if (isSchoolDay(cal, d)) out.push(d);
  return out;
}

// ---------- loading calendars from the database ----------

interface SchoolRef {
  id: string;
  path: string;
}

/**
 * The calendars of some schools: the configured terms of the nearest bureau above each (or the school's
 * own unit), and the closures of the school and of every bureau above it overlapping [from, to].
 */
export async function loadCalendars(
  db: Kysely<DB>,
  schools: SchoolRef[],
  range: DateRange,
): Promise<Map<string, SchoolCalendar>> {
  const out = new Map<string, SchoolCalendar>();
  if (schools.length === 0) return out;
  const ancestors = new Set<string>();
  for (const s of schools) for (const id of s.path.split('/').filter(Boolean)) ancestors.add(id);
  const ids = [...ancestors];
  const [terms, closures] = await Promise.all([
    db
      .selectFrom('school_term')
      .select(['unit_id', 'school_year', 'term_no', 'start_on', 'end_on'])
      .where('unit_id', 'in', ids)
      .execute(),
    db
      .selectFrom('school_closure')
      .select(['unit_id', 'start_on', 'end_on', 'reason'])
      .where('unit_id', 'in', ids)
      .where('end_on', '>=', range.start)
      .where('start_on', '<=', range.end)
      .execute(),
  ]);
  const termsByUnit = new Map<string, Map<string, TermDates[]>>();
  for (const t of terms) {
    const byYear = termsByUnit.get(t.unit_id) ?? new Map<string, TermDates[]>();
    const list = byYear.get(t.school_year) ?? [];
    list.push({ no: t.term_no as 1 | 2, start: t.start_on, end: t.end_on });
    byYear.set(t.school_year, list);
    termsByUnit.set(t.unit_id, byYear);
  }
  for (const s of schools) {
    const chain = s.path.split('/').filter(Boolean); // root first, the school last
    const merged = new Map<string, TermDates[]>();
    // The nearest unit wins: walk from the root down, later (deeper) units overwrite a year's terms.
    for (const id of chain) for (const [year, list] of termsByUnit.get(id) ?? []) merged.set(year, list);
    out.set(s.id, {
      terms: merged,
      closures: closures
        .filter((c) => chain.includes(c.unit_id))
        .map((c) => ({ start: c.start_on, end: c.end_on, reason: c.reason })),
    });
  }
  return out;
}

/** One school's calendar. */
export async function loadCalendar(
  db: Kysely<DB>,
  school: SchoolRef,
  range: DateRange,
): Promise<SchoolCalendar> {
  return (await loadCalendars(db, [school], range)).get(school.id)!;
}

/** The configured terms of a unit itself for a school year (none: inherited or default). */
export async function ownTerms(db: Kysely<DB>, unitId: string, schoolYear: string): Promise<TermDates[]> {
  const rows = await db
    .selectFrom('school_term')
    .select(['term_no', 'start_on', 'end_on'])
    .where('unit_id', '=', unitId)
    .where('school_year', '=', schoolYear)
    .orderBy('term_no')
    .execute();
  return rows.map((r) => ({ no: r.term_no as 1 | 2, start: r.start_on, end: r.end_on }));
}

/** A cache key: schools whose calendars are equal share their day lists. */
export function calendarKey(cal: SchoolCalendar): string {
  return JSON.stringify([[...cal.terms.entries()].sort(), cal.closures]);
}
