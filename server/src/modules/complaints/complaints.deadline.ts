/**
 * Time limits of complaints in working days (工作日) by the national calendar: Monday–Friday that are not
 * public holidays, plus the weekend make-up workdays (调休上班) — the platform's calendar
 * (platform/calendar/school-days.ts `nationalDay`, from chinese-days). A limit of n working days ends on the
 * n-th working day after the day of receipt (the day of receipt itself is not counted).
 */
import { randomBytes } from 'node:crypto';
import { nationalDay } from '../../platform/calendar/school-days.js';
import { addDays } from '../../platform/dates.js';

/** Default reply limit: 15 working days. */
export const DEFAULT_REPLY_DAYS = 15;

/** The n-th working day after `from` (YYYY-MM-DD). */
export function addWorkingDays(from: string, n: number): string {
  let d = from;
  let left = n;
  // A year's holidays never hold more than ~20 days in a row: the guard only stops a broken dataset.
  for (let guard = 0; left > 0 && guard < 10 * n + 60; guard++) {
    d = addDays(d, 1);
    if (nationalDay(d).work) left--;
  }
  return d;
}

/** Working days from `from` (exclusive) to `to` (inclusive); 0 when `to` is not after `from`. */
export function workingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (nationalDay(d).work) n++;
  return n;
}

// Crockford's base32 without I, L, O, U: nothing a citizen can misread on a phone screen.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A tracking number: 'TS' + the date of receipt + 10 random base32 characters (50 bits), e.g.
 * TS20261127-7KQ2M9XD4H. It is the only key a citizen holds; the tracking page also asks for the last four
 * digits of the phone and is rate limited, so guessing one is out of reach.
 */
export function newTrackingNo(receivedOn: string): string {
  const bytes = randomBytes(10);
  let s = '';
  for (const b of bytes) s += ALPHABET[b & 31];
  return `TS${receivedOn.replaceAll('-', '')}-${s}`;
}
