import { describe, expect, it } from 'vitest';
import { categoryOf } from './complaints.hotline.js';
import { addWorkingDays, newTrackingNo, workingDaysBetween } from './complaints.deadline.js';

describe('time limits in working days', () => {
  // 2026: 中秋 Fri 25 – Sun 27 September; 国庆 1–7 October; make-up workdays Sun 20 September and Sat 10 October.
  it('counts 15 working days across 中秋 and 国庆, including both make-up weekend days', () => {
    // Received Friday 18 September: 20 Sep (make-up Sunday) is the 1st, 21–24 the 2nd–5th, 28–30 the 6th–8th,
    // 8–9 Oct the 9th–10th, Saturday 10 Oct (make-up) the 11th, 12–15 Oct the 12th–15th.
    expect(addWorkingDays('2026-09-18', 15)).toBe('2026-10-15');
    expect(addWorkingDays('2026-09-18', 1)).toBe('2026-09-20');
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkingDays('2026-10-09', 1)).toBe('2026-10-10');
    expect(addWorkingDays('2026-10-10', 1)).toBe('2026-10-12');
  });
  it('a receipt on a holiday starts counting from the next working day', () => {
    expect(addWorkingDays('2026-10-03', 1)).toBe('2026-10-08');
    expect(addWorkingDays('2026-10-03', 3)).toBe('2026-10-10');
  });
  it('counts the working days between two dates', () => {
    expect(workingDaysBetween('2026-09-18', '2026-10-15')).toBe(15);
    expect(workingDaysBetween('2026-10-01', '2026-10-07')).toBe(0);
    expect(workingDaysBetween('2026-10-15', '2026-10-01')).toBe(0);
  });
});

describe('tracking numbers', () => {
  it('carry the date and 10 unambiguous base32 characters, and do not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const n = newTrackingNo('2026-11-27');
      expect(n).toMatch(/^TS20261127-[0-9A-HJKMNP-TV-Z]{10}$/);
      seen.add(n);
    }
    expect(seen.size).toBe(2000);
  });
});

describe('12345 categories', () => {
  it('maps the hotline’s wording to the desk’s categories', () => {
    expect(categoryOf('教育培训 某培训机构退费难')).toBe('training');
    expect(categoryOf('学校乱收费')).toBe('fees');
    expect(categoryOf('教师体罚学生')).toBe('ethics');
    expect(categoryOf('划片入学 学位不足')).toBe('enrolment');
    expect(categoryOf('咨询')).toBe('other');
  });
});
