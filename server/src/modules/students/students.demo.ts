/**
 * Demo students: realistic rosters for every active school of the demo city, deterministic from a seed.
 * Names come from the demo name generator, ID numbers agree with birth date, sex and household region, classes
 * are opened per grade, and a few records carry the defects the consistency report is there to find (a birth
 * date or sex that disagrees with the ID number, a child enrolled twice, over-age children). Rows go in with
 * multi-row INSERTs of 1,000, all in one transaction with one audit event.
 */
import { GRADES, type SchoolStage, type StudentStage } from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import type { NewStudent } from '../../platform/db/schema.js';
import { allDivisions, divisionPath } from '../../platform/regions/divisions.js';
import { seededRng } from '../../demo/rng.js';
import { personName, type Rng } from '../../demo/names.js';
import { initialsOf } from './initials.js';
import { schoolStudentStages } from './students.policy.js';
import type { NewStatusEvent } from './students.repository.js';
import { currentSchoolYear, identityColumns } from './students.service.js';
import { rootUnit } from '../../platform/access/scope.js';

export interface GeneratedStudents {
  /** False when the registry already held students: nothing was added. */
  created: boolean;
  schools: number;
  classes: number;
  students: number;
  guardians: number;
}

const BATCH = 1000;
const CLASS_SIZE = 40;

// Shares for 四平 (Jilin): mostly 汉族, with the north-east's 满族, 朝鲜族, 蒙古族 and 回族.
const ETHNIC_MIX: [string, number][] = [
  ['满族', 0.04],
  ['朝鲜族', 0.02],
  ['蒙古族', 0.012],
  ['回族', 0.01],
];
const DISABILITIES = ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'];
const ROADS = ['建设', '人民', '解放', '新华', '中央', '育才', '文化', '北环', '英雄', '紫气'];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A birth date for a child of `age` on 31 August of `year`: between 1 September and 31 August. */
function birthDateFor(rng: Rng, year: number, age: number): string {
  return addDays(`${year - age - 1}-09-01`, Math.floor(rng() * 365));
}

interface School {
  id: string;
  code: string;
  stage: string | null;
  county_code: string | null;
  region_code: string;
  locality: string | null;
}

/** The grades a school of this stage teaches (a primary school's attached kindergarten is left out). */
function gradesOf(stage: string | null) {
  const stages: readonly StudentStage[] = stage
    ? (schoolStudentStages[stage as SchoolStage] ?? ['primary'])
    : ['primary'];
  const taught = stages.filter((s) => s !== 'kindergarten' || stage === 'kindergarten');
  return GRADES.filter((g) => taught.includes(g.stage));
}

/**
 * Fills the registry of every active school with about `perSchool` students (once: a registry that already
 * holds students is left alone). The lead's demo calls this after building the city.
 */
export async function generateStudents(
  ctx: AppContext,
  opts: { perSchool: number; seed: number },
): Promise<GeneratedStudents> {
  const none = { created: false, schools: 0, classes: 0, students: 0, guardians: 0 };
  if (await ctx.db.selectFrom('student').select('id').limit(1).executeTakeFirst()) return none;
  const schools: School[] = await ctx.db
    .selectFrom('unit')
    .select(['id', 'code', 'stage', 'county_code', 'region_code', 'locality'])
    .where('kind', '=', 'school')
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
  const root = await rootUnit(ctx.db);
  if (schools.length === 0 || opts.perSchool < 1) return none;

  const rng = seededRng(opts.seed);
  const year = currentSchoolYear();
  // Household regions of migrant children: counties of other provinces.
  const farCounties = allDivisions().filter((d) => d.level === 'county' && !d.code.startsWith('22'));
  const placeName = new Map<string, string>();
  const place = (code: string) => {
    let name = placeName.get(code);
    if (name === undefined) {
      name = divisionPath(code)
        .map((d) => d.name)
        .join('');
      placeName.set(code, name);
    }
    return name;
  };
  const sequences = new Map<string, number>();
  let phoneSeq = Math.floor(rng() * 1_000_000);

  type ClassRow = {
    id: string;
    school_id: string;
    school_year: string;
    stage: string;
    grade: number;
    name: string;
    head_teacher_user_id: null;
  };
  type GuardianRow = { student_id: string; ord: number; name: string; relation: string; phone: string };
  const counts = { classes: 0, students: 0, guardians: 0 };
  // Rows wait here until a batch is full; classes go first so the students' foreign keys hold.
  let classes: ClassRow[] = [];
  const students: NewStudent[] = [];
  let guardians: GuardianRow[] = [];
  let events: NewStatusEvent[] = [];
  // Children who will also appear on another school's roll (重复学籍), about one in two thousand.
  const twins: { student: NewStudent; idNumber: string; event: NewStatusEvent }[] = [];

  await ctx.db.transaction().execute(async (trx) => {
    const flush = async (all: boolean) => {
      if (classes.length && (all || students.length >= BATCH)) {
        for (let i = 0; i < classes.length; i += BATCH)
          await trx
            .insertInto('school_class')
            .values(classes.slice(i, i + BATCH))
            .execute();
        counts.classes += classes.length;
        classes = [];
      }
      while (students.length >= BATCH || (all && students.length > 0)) {
        const batch = students.splice(0, BATCH);
        const ids = new Set(batch.map((r) => r.id));
        await trx.insertInto('student').values(batch).execute();
        const g = guardians.filter((r) => ids.has(r.student_id));
        guardians = guardians.filter((r) => !ids.has(r.student_id));
        if (g.length) await trx.insertInto('student_guardian').values(g).execute();
        const e = events.filter((r) => ids.has(r.student_id));
        events = events.filter((r) => !ids.has(r.student_id));
        if (e.length) await trx.insertInto('student_status_event').values(e).execute();
        counts.students += batch.length;
        counts.guardians += g.length;
      }
    };

    for (const school of schools) {
      const grades = gradesOf(school.stage);
      if (grades.length === 0) continue;
      const county = school.county_code ?? school.region_code.slice(0, 6);
      const rural = school.locality === 'rural' || school.locality === 'town';
      const perGrade = Math.max(1, Math.round(opts.perSchool / grades.length));
      for (const g of grades) {
        const classCount = Math.max(1, Math.round(perGrade / CLASS_SIZE));
        const classIds = Array.from({ length: classCount }, (_, i) => {
          const id = randomUUID();
          classes.push({
            id,
            school_id: school.id,
            school_year: String(year),
            stage: g.stage,
            grade: g.grade,
            name: `${i + 1}班`,
            head_teacher_user_id: null,
          });
          return id;
        });
        const firstGrade = GRADES.find((x) => x.stage === g.stage)!.grade;
        // ±10 % around the mean, so grades differ a little.
        const count = Math.max(1, Math.round(perGrade * (0.9 + rng() * 0.2)));
        for (let i = 0; i < count; i++) {
          const sex = rng() < 0.515 ? 'M' : 'F';
          const name = personName(rng, sex);
          // About 1.5 % started late or repeated years; a third of those are more than two years behind.
          const late = rng() < 0.015 ? 1 + Math.floor(rng() * 4) : 0;
          const birth = birthDateFor(rng, year, g.normalAge + late);
          const migrant = !rural && rng() < 0.08;
          const hukou = migrant ? pick(rng, farCounties).code : county;
          const key = `${hukou}|${birth}|${sex}`;
          const seq = sequences.get(key) ?? 0;
          sequences.set(key, seq + 1);
          if (seq > 498) continue;
          const idNumber = generateIdNumber(hukou, birth, sex, seq);
          // Rare recording errors the consistency report should surface.
          const defect = rng();
          const recordedBirth = defect < 0.002 ? addDays(birth, 1 + Math.floor(rng() * 40)) : birth;
          const recordedSex = defect > 0.999 ? (sex === 'M' ? 'F' : 'M') : sex;
          const leftBehind = !migrant && rng() < (rural ? 0.15 : 0.03);
          const disabled = rng() < 0.008;
          const id = randomUUID();
          const enrolledYear = year - (g.grade - firstGrade);
          let ethnicity = '汉族';
          let x = rng();
          for (const [e, w] of ETHNIC_MIX)
            if ((x -= w) < 0) {
              ethnicity = e;
              break;
            }
          const student: NewStudent = {
            id,
            school_id: school.id,
            county_code: county,
            class_id: classIds[i % classIds.length]!,
            student_no: `G${idNumber}`,
            ...identityColumns(ctx.vault, idNumber),
            name,
            name_initials: initialsOf(name),
            sex: recordedSex,
            birth_date: recordedBirth,
            ethnicity,
            hukou_region_code: hukou,
            address: `${place(county)}${pick(rng, ROADS)}路${1 + Math.floor(rng() * 300)}号`,
            stage: g.stage,
            grade: g.grade,
            enrolled_on: `${enrolledYear}-09-01`,
            poverty_household: rng() < (rural ? 0.08 : 0.03),
            left_behind: leftBehind,
            migrant,
            disabled,
            disability_category: disabled ? pick(rng, DISABILITIES) : null,
            orphan: rng() < 0.003,
          };
          students.push(student);
          const phone = () => `13${String(900_000_000 + (phoneSeq++ % 99_999_999)).slice(0, 9)}`;
          const surname = name.slice(0, 1);
          guardians.push(
            leftBehind
              ? {
                  student_id: id,
                  ord: 1,
                  name: surname + personName(rng, 'F').slice(1),
                  relation: 'paternal_grandparent',
                  phone: phone(),
                }
              : { student_id: id, ord: 1, name: personName(rng, 'F'), relation: 'mother', phone: phone() },
            {
              student_id: id,
              ord: 2,
              name: surname + personName(rng, 'M').slice(1),
              relation: 'father',
              phone: phone(),
            },
          );
          const event: NewStatusEvent = {
            id: randomUUID(),
            student_id: id,
            kind: 'enrol',
            status_from: null,
            status_to: 'enrolled',
            effective_on: `${enrolledYear}-09-01`,
            reason: null,
            school_id: school.id,
            transfer_id: null,
            actor_user_id: null,
          };
          events.push(event);
          if (rng() < 0.0005) twins.push({ student, idNumber, event });
        }
      }
      await flush(false);
    }

    // The second roll of each twin: another school, same child, no 学籍号 of its own there.
    for (const twin of twins) {
      const others = schools.filter((s) => s.id !== twin.student.school_id && gradesOf(s.stage).length > 0);
      if (others.length === 0) break;
      const other = pick(rng, others);
      const grades = gradesOf(other.stage);
      const g = grades.find((x) => x.grade === twin.student.grade) ?? grades[0]!;
      const id = randomUUID();
      students.push({
        ...twin.student,
        id,
        school_id: other.id,
        county_code: other.county_code ?? other.region_code.slice(0, 6),
        class_id: null,
        student_no: null,
        ...identityColumns(ctx.vault, twin.idNumber),
        stage: g.stage,
        grade: g.grade,
      });
      events.push({ ...twin.event, id: randomUUID(), student_id: id, school_id: other.id });
    }
    await flush(true);

    await recordAudit(
      trx,
      { actor: null, actorName: 'dudao demo' },
      {
        action: 'student.generate',
        objectType: 'student',
        unitId: root?.id ?? null,
        after: { seed: opts.seed, perSchool: opts.perSchool, schools: schools.length, ...counts },
      },
    );
  });
  return { created: true, schools: schools.length, ...counts };
}
