import { describe, expect, it } from 'vitest';
import { makeTerm, nextTerm, previousTerm, recentTerms, termById, termOf } from './terms.js';

describe('termOf', () => {
  it('puts September to January in the first term and February to August in the second', () => {
    expect(termOf('2026-09-01')).toEqual({
      id: '2026-2027-1',
      label: { zh: '2026—2027学年第一学期', en: '2026–2027 school year, first term' },
      start: '2026-09-01',
      end: '2027-01-31',
      schoolYear: '2026-2027',
      no: 1,
    });
    expect(termOf('2026-12-31').id).toBe('2026-2027-1');
    expect(termOf('2027-01-31').id).toBe('2026-2027-1');
    expect(termOf('2027-02-01').id).toBe('2026-2027-2');
    expect(termOf('2027-08-31').id).toBe('2026-2027-2');
    expect(termOf('2027-09-01').id).toBe('2027-2028-1');
    expect(termOf('2026-08-31')).toMatchObject({
      id: '2025-2026-2',
      label: { zh: '2025—2026学年第二学期' },
      start: '2026-02-01',
      end: '2026-08-31',
    });
  });

  it('ends the first term the day before the second begins, in leap years too', () => {
    const b = { firstStart: { month: 9, day: 1 }, secondStart: { month: 3, day: 1 } };
    expect(makeTerm(2027, 1, b).end).toBe('2028-02-29');
    expect(makeTerm(2026, 1, b).end).toBe('2027-02-28');
    expect(termOf('2028-02-29', b).id).toBe('2027-2028-1');
    expect(termOf('2028-03-01', b).id).toBe('2027-2028-2');
  });

  it('covers every day of a year exactly once', () => {
    const seen = new Map<string, number>();
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      const term = termOf(day);
      expect(day >= term.start && day <= term.end).toBe(true);
      seen.set(term.id, (seen.get(term.id) ?? 0) + 1);
    }
    expect([...seen.keys()]).toEqual(['2025-2026-1', '2025-2026-2', '2026-2027-1']);
  });

  it('refuses what is not a date', () => {
    expect(() => termOf('2026-02-30')).toThrow(RangeError);
    expect(() => termOf('20260901')).toThrow(RangeError);
  });
});

describe('term ids and neighbours', () => {
  it('reads a term id back', () => {
    expect(termById('2026-2027-2')).toEqual(termOf('2027-03-15'));
    expect(termById('2026-2028-1')).toBeNull();
    expect(termById('2026-2027-3')).toBeNull();
    expect(termById('x')).toBeNull();
  });
  it('steps back and forth', () => {
    const t = termOf('2026-10-01');
    expect(previousTerm(t).id).toBe('2025-2026-2');
    expect(nextTerm(t).id).toBe('2026-2027-2');
    expect(nextTerm(nextTerm(t)).id).toBe('2027-2028-1');
    expect(recentTerms('2026-10-01', 3).map((x) => x.id)).toEqual([
      '2026-2027-1',
      '2025-2026-2',
      '2025-2026-1',
    ]);
  });
});
