/**
 * School terms (学期): a school year runs from September to August in two terms. By default the first term
 * (第一学期) is 1 September – 31 January and the second (第二学期) 1 February – 31 August, so every day belongs
 * to exactly one term. Dates are calendar dates ('yyyy-mm-dd', China time) — no time zones inside.
 *
 * A small pure module: the dropout module will add school days (校历) to this folder later.
 */

export interface Term {
  /** '2026-2027-1': the school year's first calendar year, its second, and the term number. */
  id: string;
  label: { zh: string; en: string };
  /** First and last day, inclusive. */
  start: string;
  end: string;
  schoolYear: string;
  no: 1 | 2;
}

/** Month and day where the terms begin; the second term ends the day before the next first term. */
export interface TermBoundaries {
  firstStart: { month: number; day: number };
  secondStart: { month: number; day: number };
}

export const DEFAULT_TERM_BOUNDARIES: TermBoundaries = {
  firstStart: { month: 9, day: 1 },
  secondStart: { month: 2, day: 1 },
};

const TERM_ID = /^(\d{4})-(\d{4})-([12])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** The day before a date (UTC arithmetic on a calendar date: no time zone can shift it). */
function dayBefore(y: number, m: number, d: number): string {
  const t = new Date(Date.UTC(y, m - 1, d) - 86_400_000);
  return ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function parseDate(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) throw new RangeError(`not a date: ${date}`);
  return [y, mo, d];
}

/** The term of a school year (its first calendar year) and number. */
export function makeTerm(startYear: number, no: 1 | 2, b: TermBoundaries = DEFAULT_TERM_BOUNDARIES): Term {
  const { firstStart: f, secondStart: s } = b;
  const start = no === 1 ? ymd(startYear, f.month, f.day) : ymd(startYear + 1, s.month, s.day);
  const end = no === 1 ? dayBefore(startYear + 1, s.month, s.day) : dayBefore(startYear + 1, f.month, f.day);
  const schoolYear = `${startYear}-${startYear + 1}`;
  return {
    id: `${schoolYear}-${no}`,
    label: {
      zh: `${startYear}—${startYear + 1}学年第${no === 1 ? '一' : '二'}学期`,
      en: `${startYear}–${startYear + 1} school year, ${no === 1 ? 'first' : 'second'} term`,
    },
    start,
    end,
    schoolYear,
    no,
  };
}

/** The term a date ('yyyy-mm-dd') falls in. */
export function termOf(date: string, b: TermBoundaries = DEFAULT_TERM_BOUNDARIES): Term {
  const [y, m, d] = parseDate(date);
  const md = m * 100 + d;
  const first = b.firstStart.month * 100 + b.firstStart.day;
  const second = b.secondStart.month * 100 + b.secondStart.day;
  if (md >= first) return makeTerm(y, 1, b);
  if (md >= second) return makeTerm(y - 1, 2, b);
  return makeTerm(y - 1, 1, b);
}

/** A term by its id ('2026-2027-1'); null when the id is malformed. */
export function termById(id: string, b: TermBoundaries = DEFAULT_TERM_BOUNDARIES): Term | null {
  const m = TERM_ID.exec(id);
  if (!m) return null;
  const start = Number(m[1]);
  if (Number(m[2]) !== start + 1) return null;
  return makeTerm(start, Number(m[3]) as 1 | 2, b);
}

/** The term before this one. */
export function previousTerm(term: Term, b: TermBoundaries = DEFAULT_TERM_BOUNDARIES): Term {
  const startYear = Number(term.schoolYear.slice(0, 4));
  return term.no === 2 ? makeTerm(startYear, 1, b) : makeTerm(startYear - 1, 2, b);
}

/** The term after this one. */
export function nextTerm(term: Term, b: TermBoundaries = DEFAULT_TERM_BOUNDARIES): Term {
  const startYear = Number(term.schoolYear.slice(0, 4));
  return term.no === 1 ? makeTerm(startYear, 2, b) : makeTerm(startYear + 1, 1, b);
}

/** The term of `date` and the `count - 1` terms before it, newest first. */
export function recentTerms(
  date: string,
  count: number,
  b: TermBoundaries = DEFAULT_TERM_BOUNDARIES,
): Term[] {
  const out: Term[] = [termOf(date, b)];
  while (out.length < count) out.push(previousTerm(out[out.length - 1]!, b));
  return out;
}
