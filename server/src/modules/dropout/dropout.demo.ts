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
import { confirmCase, proposeOutcome, recordStep, verifyCase } from './cases.service.js';
import { runCrosscheck } from './crosscheck.service.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { childDivisions } from '../../platform/regions/divisions.js';

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
  await seedCaseDemo(ctx, today);
  await seedCrosscheckDemo(ctx, rng, today);
  return { sheets: sheets.length, marks: marks.length, newCases: r.newCases };
}

const demoOrigin = { actor: systemActor('demo'), ip: null, requestId: null };

/**
 * Works the first suspected cases through the workflow so every state shows: one stays suspected, one is
 * being persuaded (step 1 recorded), one has moved on to the written order, one is back in school awaiting
 * the county's verification, one is verified and closed. A no-op once any case has been confirmed.
 */
async function seedCaseDemo(ctx: AppContext, today: string): Promise<void> {
  const done = await ctx.db
    .selectFrom('dropout_case')
    .select('id')
    .where('confirmed_on', 'is not', null)
    .executeTakeFirst();
  if (done) return;
  const open = await ctx.db
    .selectFrom('dropout_case')
    .select(['id', 'detected_on'])
    .where('status', '=', 'suspected')
    .orderBy('school_id')
    .orderBy('id')
    .limit(5)
    .execute();
  const sys = demoOrigin.actor;
  for (const [i, c] of open.entries()) {
    if (i === 0) continue;
    const on = c.detected_on < today ? c.detected_on : today;
    await confirmCase(ctx, sys, c.id, { on }, demoOrigin);
    await recordStep(
      ctx,
      sys,
      c.id,
      {
        actedOn: on,
        people: '校长、班主任、村（社区）干部',
        action: '入户家访，向家长宣讲《义务教育法》，了解辍学原因（厌学）',
        result: i === 1 ? '家长表示配合，约定三日内返校' : '家长未同意返校',
        fileIds: [],
        advance: i === 2,
      },
      demoOrigin,
    );
    if (i >= 3)
      await proposeOutcome(
        ctx,
        sys,
        c.id,
        {
          outcome: 'returned',
          placement: i === 3 ? 'regularClass' : 'inclusive',
          on,
          note: '学生已返校复学，班主任跟踪关爱',
          fileIds: [],
        },
        demoOrigin,
      );
    if (i === 4) await verifyCase(ctx, sys, c.id, { approve: true, note: '县教育局核实复学' }, demoOrigin);
  }
}

/**
 * A 户籍 school-age list for the first county: most of its enrolled students, a few children with no
 * enrolment, a few with declared exemptions and one born too late — cross-checked like an import.
 */
async function seedCrosscheckDemo(ctx: AppContext, rng: () => number, today: string): Promise<void> {
  const county = await ctx.db
    .selectFrom('unit')
    .select(['id', 'kind', 'name', 'path', 'region_code', 'county_code'])
    .where('kind', '=', 'county_bureau')
    .orderBy('code')
    .executeTakeFirst();
  if (!county) return;
  const had = await ctx.db
    .selectFrom('population_list')
    .select('id')
    .where('unit_id', '=', county.id)
    .executeTakeFirst();
  if (had) return;
  const students = await ctx.db
    .selectFrom('student as s')
    .innerJoin('unit as sch', 'sch.id', 's.school_id')
    .select(['s.name', 's.id_number_enc', 's.birth_date'])
    .where('sch.path', 'like', `${county.path}%`)
    .where('s.id_number_enc', 'is not', null)
    .where('s.stage', 'in', ['primary', 'junior'])
    .orderBy('s.id')
    .limit(300)
    .execute();
  const towns = childDivisions(county.region_code).map((t) => t.name);
  const town = () => towns[Math.floor(rng() * towns.length)] ?? '';
  const lines = ['四平市户籍适龄儿童少年名单（公安提供）', '姓名,公民身份号码,乡镇（街道）,免缓学情况'];
  for (const s of students)
    if (rng() < 0.9) lines.push(`${s.name},${ctx.vault.decrypt(s.id_number_enc!)},${town()},`);
  const year = Number(today.slice(0, 4));
  for (let i = 0; i < 6; i++) {
    const birth = `${year - 8 - i}-0${1 + (i % 8)}-1${i}`;
    lines.push(
      `未入学${i + 1},${generateIdNumber(county.region_code, birth, i % 2 ? 'M' : 'F', 400 + i)},${town()},${i < 2 ? '送教上门' : ''}`,
    );
  }
  lines.push(`学龄前,${generateIdNumber(county.region_code, `${year - 3}-03-03`, 'F', 450)},${town()},`);
  const dir = await mkdtemp(join(tmpdir(), 'dudao-demo-list-'));
  try {
    const path = join(dir, 'list.csv');
    await writeFile(path, lines.join('\n'));
    await runCrosscheck(ctx, demoOrigin, {
      unit: county,
      path,
      fileName: '户籍适龄人口名单.csv',
      dryRun: false,
      asOf: today,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
