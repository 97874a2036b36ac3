/**
 * The demo's attendance (控辍保学): each school's teachers head its first classes, the last 15 school days
 * have sheets for every class (today: about four classes in five, so 未报送 has something to show), with
 * a few sick, personal, late and unexcused marks, and two students per school who stopped coming four
 * school days ago — the scan at the end raises them as suspected dropouts. Written set-based, like an import.
 */
import { sql } from 'kysely';
import { systemActor } from '../../platform/access/actor.js';
import { lastSchoolDays, loadCalendars, schoolYearOf } from '../../platform/calendar/school-days.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { seededRng } from '../../demo/rng.js';
import { ensureMarkPartition } from './dropout.repository.js';
import { scan } from './dropout.service.js';

type Kind = 'late' | 'sick' | 'personal' | 'unexcused';
const DAYS = 15;

export async function seedDropoutDemo(
  ctx: AppContext,
  opts: { seed?: number; today?: string; maxSchools?: number } = {},
): Promise<{ sheets: number; marks: number; newCases: number }> {
  const rng = seededRng((opts.seed ?? 1) + 4004);
  const today = opts.today ?? chinaToday();
  const schools = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path', 'code'])
    .where('kind', '=', 'school')
    .where('status', '=', 'active')
    .orderBy('code')
    .limit(opts.maxSchools ?? 60)
    .execute();
  if (schools.length === 0) return { sheets: 0, marks: 0, newCases: 0 };
  const cals = await loadCalendars(ctx.db, schools, { start: addDays(today, -120), end: today });
  const schoolYear = schoolYearOf(today);
  const ids = schools.map((s) => s.id);
  const classes = await ctx.db
    .selectFrom('school_class')
    .select(['id', 'school_id'])
    .where('school_id', 'in', ids)
    .where('school_year', '=', schoolYear)
    .orderBy('school_id')
    .orderBy('grade')
    .orderBy('name')
    .execute();
  const students = await ctx.db
    .selectFrom('student')
    .select(['id', 'class_id', 'county_code'])
    .where('school_id', 'in', ids)
    .where('status', '=', 'enrolled')
    .where('class_id', 'is not', null)
    .orderBy('id')
    .execute();
  const teachers = await ctx.db
    .selectFrom('app_user as u')
    .innerJoin('user_role as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.unit_id'])
    .where('r.role', '=', 'teacher')
    .where('u.unit_id', 'in', ids)
    .orderBy('u.username')
    .execute();

  const byClass = new Map<string, typeof students>();
  for (const s of students) byClass.set(s.class_id!, [...(byClass.get(s.class_id!) ?? []), s]);
  const sheets: {
    class_id: string;
    day: string;
    school_id: string;
    enrolled: number;
    present: number;
    late: number;
    sick: number;
    personal: number;
    unexcused: number;
  }[] = [];
  const marks: {
    day: string;
    student_id: string;
    class_id: string;
    school_id: string;
    county_code: string;
    kind: Kind;
    reason: string | null;
  }[] = [];
  const heads: { classId: string; userId: string }[] = [];
  for (const school of schools) {
    const days = lastSchoolDays(cals.get(school.id)!, today, DAYS);
    const own = classes.filter((c) => c.school_id === school.id);
    teachers
      .filter((t) => t.unit_id === school.id)
      .forEach((t, i) => {
        if (own[i]) heads.push({ classId: own[i].id, userId: t.id });
      });
    // Two students of the school who stopped coming on the last four school days.
    const roster = own.flatMap((c) => byClass.get(c.id) ?? []);
    const gone = new Set([roster[3]?.id, roster[Math.floor(roster.length / 2)]?.id].filter(Boolean));
    for (const cls of own) {
      const kids = byClass.get(cls.id) ?? [];
      if (kids.length === 0) continue;
      days.forEach((day, age) => {
        if (age === 0 && rng() < 0.2) return; // the latest day: not all in yet
        const counts = { late: 0, sick: 0, personal: 0, unexcused: 0 };
        for (const k of kids) {
          let kind: Kind | null = null;
          let reason: string | null = null;
          if (gone.has(k.id) && age < 4) [kind, reason] = ['unexcused', '联系不上家长'];
          else {
            const r = rng();
            if (r < 0.01) kind = 'unexcused';
            else if (r < 0.03) [kind, reason] = ['sick', '感冒发烧'];
            else if (r < 0.04) [kind, reason] = ['personal', '家中有事'];
            else if (r < 0.06) kind = 'late';
          }
          if (!kind) continue;
          counts[kind]++;
          marks.push({
            day,
            student_id: k.id,
            class_id: cls.id,
            school_id: school.id,
            county_code: k.county_code,
            kind,
            reason,
          });
        }
        sheets.push({
          class_id: cls.id,
          day,
          school_id: school.id,
          enrolled: kids.length,
          present: kids.length - counts.sick - counts.personal - counts.unexcused,
          ...counts,
        });
      });
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    for (const h of heads)
      await trx
        .updateTable('school_class')
        .set({ head_teacher_user_id: h.userId })
        .where('id', '=', h.classId)
        .where('head_teacher_user_id', 'is', null)
        .execute();
    for (const month of new Set(sheets.map((s) => s.day.slice(0, 7))))
      await ensureMarkPartition(trx, `${month}-01`);
    for (let i = 0; i < sheets.length; i += 2000)
      await trx
        .insertInto('attendance_sheet')
        .values(sheets.slice(i, i + 2000))
        .onConflict((oc) => oc.columns(['class_id', 'day']).doNothing())
        .execute();
    for (let i = 0; i < marks.length; i += 2000)
      await trx
        .insertInto('attendance_mark')
        .values(marks.slice(i, i + 2000))
        .onConflict((oc) => oc.columns(['student_id', 'day']).doNothing())
        .execute();
    await sql`analyze attendance_sheet`.execute(trx);
  });
  const r = await scan(ctx, { actor: systemActor('demo'), ip: null, requestId: null }, today);
  return { sheets: sheets.length, marks: marks.length, newCases: r.newCases };
}
