import { describe, expect, it } from 'vitest';
import {
  defaultTerms,
  explainDay,
  isSchoolDay,
  lastSchoolDays,
  schoolDaysBetween,
  schoolYearOf,
  type SchoolCalendar,
} from './school-days.js';

const plain: SchoolCalendar = { terms: new Map(), closures: [] };

describe('school days', () => {
  it('counts a make-up Saturday (调休) in term as a school day and a holiday as none', () => {
    // 2026-10-10 is a Saturday worked for the National Day holiday; 2026-10-01 … 10-07 are holidays.
    expect(explainDay(plain, '2026-10-10')).toMatchObject({ schoolDay: true, why: 'makeupWorkday' });
    expect(explainDay(plain, '2026-09-20')).toMatchObject({ schoolDay: true, why: 'makeupWorkday' });
    expect(explainDay(plain, '2026-10-01')).toMatchObject({
      schoolDay: false,
      why: 'holiday',
      note: '国庆节',
    });
    expect(explainDay(plain, '2026-10-05')).toMatchObject({ schoolDay: false, why: 'holiday' });
    expect(explainDay(plain, '2026-10-17')).toMatchObject({ schoolDay: false, why: 'weekend' });
    expect(isSchoolDay(plain, '2026-10-09')).toBe(true);
  });

  it('leaves out a make-up Saturday outside the term (2026-02-14, winter vacation)', () => {
    expect(explainDay(plain, '2026-02-14')).toMatchObject({ schoolDay: false, why: 'outOfTerm' });
  });

  it('uses the default terms at their boundaries, and configured terms instead', () => {
    expect(defaultTerms('2026')).toEqual([
      { no: 1, start: '2026-09-01', end: '2027-01-15' },
      { no: 2, start: '2027-03-01', end: '2027-07-10' },
    ]);
    expect(isSchoolDay(plain, '2026-08-31')).toBe(false);
    expect(isSchoolDay(plain, '2026-09-01')).toBe(true);
    expect(isSchoolDay(plain, '2027-01-15')).toBe(true);
    expect(isSchoolDay(plain, '2027-01-18')).toBe(false);
    const cal: SchoolCalendar = {
      terms: new Map([['2026', [{ no: 1, start: '2026-08-31', end: '2027-01-08' }]]]),
      closures: [],
    };
    expect(isSchoolDay(cal, '2026-08-31')).toBe(true);
    expect(isSchoolDay(cal, '2027-01-11')).toBe(false);
    expect(schoolYearOf('2026-08-31')).toBe('2025');
    expect(schoolYearOf('2026-09-01')).toBe('2026');
  });

  it('skips closures, and counts and lists school days', () => {
    const cal: SchoolCalendar = {
      terms: new Map(),
      closures: [{ start: '2026-11-03', end: '2026-11-04', reason: '暴雪停课' }],
    };
    expect(explainDay(cal, '2026-11-03')).toMatchObject({
      schoolDay: false,
      why: 'closure',
      note: '暴雪停课',
    });
    // Mon 2 Nov … Sun 8 Nov: 2, 5, 6 (3 and 4 closed).
    expect(schoolDaysBetween(cal, '2026-11-02', '2026-11-08')).toEqual([
      '2026-11-02',
      '2026-11-05',
      '2026-11-06',
    ]);
    // Before Monday 12 Oct: Sat 10 Oct (make-up), Fri 9, Thu 8; then the holiday back to 30 Sep.
    expect(lastSchoolDays(plain, '2026-10-12', 4, false)).toEqual([
      '2026-10-10',
      '2026-10-09',
      '2026-10-08',
      '2026-09-30',
    ]);
    expect(lastSchoolDays(plain, '2026-10-12', 1)).toEqual(['2026-10-12']);
  });
});
