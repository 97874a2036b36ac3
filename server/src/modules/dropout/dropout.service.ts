/**
 * Suspected-dropout detection (疑似辍学), the case list and the risk list.
 *
 * The scan for a date D works on each school's last W school days up to D (its calendar) and on recorded
 * days only: a day counts for a class when its sheet was submitted. A missing sheet is never read as
 * "present" (nor as "absent"); it is reported on the not-submitted list and, when it lasts, raises the
 * noAttendance rule. Rules (per region, see dropout.settings.ts):
 *  - consecutiveAbsence: 旷课 on the class's last N recorded school days;
 *  - absenceTotal: ≥ M days of 旷课 within the last `windowDays` school days (only days after the student's
 *    last closed case count, so a student who came back is not raised again for the same days);
 *  - transferLimbo (转出未转入): a transfer still pending K school days after it was requested, or the
 *    student left for a school outside the platform K school days ago and no school has enrolled them since
 *    (no other student row with the same ID number in school);
 *  - noAttendance: the school takes attendance (some sheet within the window) but the student's class has
 *    submitted none on its last `noSheetDays` school days — or the student has no class at all. With marks
 *    stored for exceptions only, "no marks" cannot mean absent; a class without sheets is what is unknown.
 * One open case per student (a unique index); a suspected case closes ('closedByReturn') when the student
 * was present (no 病假/事假/旷课; 迟到 is present) on their class's last `returnDays` recorded days after the
 * case was raised.
 */
import {
  GRADES,
  type CaseListQuery,
  type DropoutCasePage,
  type RiskList,
  type RiskQuery,
  type ScanResult,
} from '@dudao/contracts';
import { sql, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import {
  calendarKey,
  lastSchoolDays,
  loadCalendars,
  schoolYearOf,
} from '../../platform/calendar/school-days.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { bulkSettings } from '../../platform/db/bulk.js';
import type { DB } from '../../platform/db/schema.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { dropoutPolicy } from './dropout.policy.js';
import * as repo from './dropout.repository.js';
import { effectiveSettings } from './dropout.settings.js';
import { refreshSigns } from './signs.service.js';
import type { DropoutSettings } from '@dudao/contracts';

const SCAN_LOCK = 7_210_428;

interface SchoolWindow {
  schools: { id: string; path: string }[];
  settings: Map<string, DropoutSettings>;
  /** Parallel arrays for unnest(): each school's last school days, seq 1 = newest. */
  sd: { school: string[]; day: string[]; seq: number[] };
  rule: {
    school: string[];
    n: number[];
    m: number[];
    win: number[];
    kt: number[];
    kn: number[];
    ret: number[];
    w: number[][];
    high: number[];
  };
  minDay: string;
  /** The fewest 旷课 days any school's rules raise a case for: least(N, M) over the schools. */
  fewest: number;
}

/** Each school's last school days up to `date` and its settings, ready for the set-based queries. */
async function schoolWindows(
  ctx: AppContext,
  schools: { id: string; path: string }[],
  date: string,
): Promise<SchoolWindow> {
  const cals = await loadCalendars(ctx.db, schools, { start: addDays(date, -400), end: date });
  const { byPath } = await effectiveSettings(
    ctx.db,
    schools.map((s) => s.path),
  );
  const out: SchoolWindow = {
    schools,
    settings: new Map(),
    sd: { school: [], day: [], seq: [] },
    rule: { school: [], n: [], m: [], win: [], kt: [], kn: [], ret: [], w: [], high: [] },
    minDay: date,
    fewest: 1_000_000,
  };
  const cache = new Map<string, string[]>();
  for (const s of schools) {
    const st = byPath.get(s.path)!;
    out.settings.set(s.id, st);
    const w = Math.max(st.windowDays, st.consecutiveDays, st.transferDays, st.noSheetDays, st.returnDays);
    const cal = cals.get(s.id)!;
    const key = `${w}|${calendarKey(cal)}`;
    let days = cache.get(key);
    if (!days) cache.set(key, (days = lastSchoolDays(cal, date, w)));
    days.forEach((d, i) => {
      out.sd.school.push(s.id);
      out.sd.day.push(d);
      out.sd.seq.push(i + 1);
      if (d < out.minDay) out.minDay = d;
    });
    out.fewest = Math.max(1, Math.min(out.fewest, st.consecutiveDays, st.totalDays));
    const r = out.rule;
    r.school.push(s.id);
    r.n.push(st.consecutiveDays);
    r.m.push(st.totalDays);
    r.win.push(st.windowDays);
    r.kt.push(st.transferDays);
    r.kn.push(st.noSheetDays);
    r.ret.push(st.returnDays);
    const rw = st.riskWeights;
    r.w.push([
      rw.unexcused,
      rw.excused,
      rw.late,
      rw.overAge,
      rw.poverty,
      rw.leftBehind,
      rw.disabled,
      rw.migrant,
    ]);
    r.high.push(st.riskHigh);
  }
  return out;
}

/** The CTEs every detection query starts from: school days and rules (each class's recorded days: crec). */
function baseCtes(w: SchoolWindow) {
  return sql`
    sd as (
      select * from unnest(${w.sd.school}::uuid[], ${w.sd.day}::date[], ${w.sd.seq}::int[]) as t(school_id, day, seq)
    ),
    rule as (
      select * from unnest(${w.rule.school}::uuid[], ${w.rule.n}::int[], ${w.rule.m}::int[], ${w.rule.win}::int[],
        ${w.rule.kt}::int[], ${w.rule.kn}::int[], ${w.rule.ret}::int[])
        as r(school_id, n, m, win, kt, kn, ret)
    )`;
}

/**
 * Each class's recorded days within its school's window (seq: the school day, 1 = newest; rn: the class's
 * recorded days, 1 = newest), made once per scan in a temporary table both statements read.
 */
async function classDays(trx: Transaction<DB>, w: SchoolWindow): Promise<void> {
  await sql`
    create temporary table scan_crec on commit drop as
    with sd as (
      select * from unnest(${w.sd.school}::uuid[], ${w.sd.day}::date[], ${w.sd.seq}::int[]) as t(school_id, day, seq)
    )
    select sh.class_id, sh.school_id, sh.day, sd.seq,
      row_number() over (partition by sh.class_id order by sh.day desc)::int as rn
    from attendance_sheet sh join sd on sd.school_id = sh.school_id and sd.day = sh.day
    where sh.day >= ${w.minDay}`.execute(trx);
  await sql`create index on scan_crec (class_id, day)`.execute(trx);
  await sql`analyze scan_crec`.execute(trx);
}

/**
 * The daily job for a date: the detection over every school (one transaction, audited per school that
 * changed), then the signs of made-up data are computed and stored for the dashboard (`signs: false` skips
 * them, for the benchmark that times the two apart).
 */
export async function scan(
  ctx: AppContext,
  origin: AuditOrigin,
  date = chinaToday(),
  opts: { signs?: boolean } = {},
): Promise<ScanResult> {
  const result = await detect(ctx, origin, date);
  if (opts.signs !== false) await refreshSigns(ctx.db, date);
  return result;
}

async function detect(ctx: AppContext, origin: AuditOrigin, date: string): Promise<ScanResult> {
  const schools = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path'])
    .where('kind', '=', 'school')
    .where('status', '=', 'active')
    .execute();
  const w = await schoolWindows(ctx, schools, date);
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SCAN_LOCK})`.execute(trx);
    await bulkSettings(trx);
    await classDays(trx, w);
    const closed = await closeReturned(trx, w, date);
    const raised = await raiseCases(trx, w, date);
    const bySchool = new Map<string, { raised: unknown[]; closed: unknown[] }>();
    const at = (id: string) => bySchool.get(id) ?? bySchool.set(id, { raised: [], closed: [] }).get(id)!;
    for (const c of raised)
      at(c.school_id).raised.push({ caseId: c.id, studentId: c.student_id, reason: c.reason });
    for (const c of closed) at(c.school_id).closed.push({ caseId: c.id, studentId: c.student_id });
    for (const [schoolId, change] of bySchool)
      await recordAudit(trx, origin, {
        action: 'dropout.scan',
        objectType: 'dropout_case',
        unitId: schoolId,
        after: { date, ...change },
      });
    const open = await trx
      .selectFrom('dropout_case')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('closed_on', 'is', null)
      .where('status', '=', 'suspected')
      .executeTakeFirstOrThrow();
    return { date, suspected: Number(open.n), newCases: raised.length, closedByReturn: closed.length };
  });
}

async function closeReturned(trx: Transaction<DB>, w: SchoolWindow, date: string) {
  const { rows } = await sql<{ id: string; school_id: string; student_id: string }>`
    with ${baseCtes(w)},
    -- Each class's ret-th newest recorded day: the student was there on every recorded day since.
    kth as (
      select c.class_id, c.day as since
      from scan_crec c join rule r on r.school_id = c.school_id
      where c.rn = r.ret
    )
    update dropout_case dc
    set status = 'closed', closed_on = ${date}, close_reason = 'closedByReturn', updated_at = now()
    from student s, kth
    where dc.closed_on is null and dc.status = 'suspected'
      and s.id = dc.student_id and s.status = 'enrolled' and kth.class_id = s.class_id
      and kth.since > dc.detected_on
      and not exists (
        select 1 from attendance_mark m
        where m.student_id = s.id and m.day >= kth.since and m.day <= ${date}
          and m.kind in ('sick', 'personal', 'unexcused'))
    returning dc.id, dc.school_id, dc.student_id`.execute(trx);
  return rows;
}

async function raiseCases(trx: Transaction<DB>, w: SchoolWindow, date: string) {
  const { rows } = await sql<{ id: string; school_id: string; student_id: string; reason: string }>`
    with ${baseCtes(w)},
    -- Schools that take attendance: some sheet within their window.
    taking as (
      select distinct c.school_id from scan_crec c join rule r on r.school_id = c.school_id and c.seq <= r.win
    ),
    -- Classes with a sheet on their school's last noSheetDays school days.
    recent as (
      select distinct cr.class_id from scan_crec cr join rule rr on rr.school_id = cr.school_id where cr.seq <= rr.kn
    ),
    lastclosed as (
      select student_id, max(closed_on) as closed_on from dropout_case where closed_on is not null group by student_id
    ),
    -- Students with enough 旷课 marks in the window to meet either rule (few), before ranking their marks.
    several as (
      select m.student_id from attendance_mark m
      where m.kind = 'unexcused' and m.day >= ${w.minDay} and m.day <= ${date}
      group by m.student_id having count(*) >= ${w.fewest}
    ),
    um as (
      select m.student_id, c.rn, c.seq, row_number() over (partition by m.student_id order by c.rn) as k
      from attendance_mark m
      join several on several.student_id = m.student_id
      join scan_crec c on c.class_id = m.class_id and c.day = m.day
      left join lastclosed lc on lc.student_id = m.student_id
      where m.kind = 'unexcused' and m.day >= ${w.minDay} and m.day <= ${date}
        and (lc.closed_on is null or m.day > lc.closed_on)
    ),
    ev as (
      select s.id as student_id, count(*) filter (where um.rn = um.k) as streak,
        count(*) filter (where um.seq <= r.win) as total, r.n, r.m, r.win
      from um join student s on s.id = um.student_id and s.status = 'enrolled'
      join rule r on r.school_id = s.school_id
      group by s.id, r.n, r.m, r.win
    ),
    cand as (
      select ev.student_id, 'consecutiveAbsence' as reason, 1 as prio,
        jsonb_build_object('consecutiveDays', ev.streak, 'unexcusedInWindow', ev.total, 'windowDays', ev.win) as evidence
      from ev where ev.streak >= ev.n
      union all
      select ev.student_id, 'absenceTotal', 2,
        jsonb_build_object('consecutiveDays', ev.streak, 'unexcusedInWindow', ev.total, 'windowDays', ev.win)
      from ev where ev.total >= ev.m
      union all
      select s.id, 'transferLimbo', 3,
        jsonb_build_object('transferId', t.id, 'since', (t.requested_at at time zone 'Asia/Shanghai')::date, 'toSchoolId', t.to_school_id, 'schoolDays', r.kt)
      from student_transfer t
      join student s on s.id = t.student_id
      join rule r on r.school_id = s.school_id
      join sd kth on kth.school_id = s.school_id and kth.seq = r.kt
      where t.status = 'pending' and (t.requested_at at time zone 'Asia/Shanghai')::date <= kth.day
        and not exists (select 1 from dropout_case dc where dc.student_id = s.id and dc.reason = 'transferLimbo'
          and dc.detected_on >= (t.requested_at at time zone 'Asia/Shanghai')::date)
      union all
      select s.id, 'transferLimbo', 3, jsonb_build_object('since', e.effective_on, 'schoolDays', r.kt)
      from student s
      join lateral (
        select effective_on from student_status_event e
        where e.student_id = s.id and e.status_to = 'transferred_out' order by effective_on desc limit 1
      ) e on true
      join rule r on r.school_id = s.school_id
      join sd kth on kth.school_id = s.school_id and kth.seq = r.kt
      where s.status = 'transferred_out' and e.effective_on <= kth.day
        and not exists (select 1 from student o where s.id_number_hmac is not null and o.id_number_hmac = s.id_number_hmac
          and o.id <> s.id and o.status in ('enrolled', 'suspended'))
        and not exists (select 1 from dropout_case dc where dc.student_id = s.id and dc.reason = 'transferLimbo'
          and dc.detected_on >= e.effective_on)
      union all
      select s.id, 'noAttendance', 4, jsonb_build_object('schoolDays', r.kn, 'classId', s.class_id)
      from (
        -- The students of classes without a recent sheet (few classes), and the students with no class;
        -- never a pass over every student of the city.
        select s.id, s.school_id, s.class_id, s.enrolled_on, s.created_at
        from school_class c join student s on s.class_id = c.id and s.status = 'enrolled'
        where not exists (select 1 from recent where recent.class_id = c.id)
        union all
        select s.id, s.school_id, s.class_id, s.enrolled_on, s.created_at
        from student s where s.class_id is null and s.status = 'enrolled'
      ) s
      join rule r on r.school_id = s.school_id and r.kn > 0
      join sd kth on kth.school_id = s.school_id and kth.seq = r.kn
      where coalesce(s.enrolled_on, (s.created_at at time zone 'Asia/Shanghai')::date) <= kth.day
        and s.school_id in (select school_id from taking)
    ),
    pick as (
      select distinct on (cand.student_id) cand.student_id, cand.reason, cand.evidence
      from cand order by cand.student_id, cand.prio
    )
    insert into dropout_case (id, student_id, school_id, county_code, class_id, reason, evidence, detected_on)
    select gen_random_uuid(), s.id, s.school_id, s.county_code, s.class_id, pick.reason, pick.evidence, ${date}
    from pick join student s on s.id = pick.student_id
    on conflict (student_id) where closed_on is null do nothing
    returning id, school_id, student_id, reason`.execute(trx);
  return rows;
}

// ---------- lists ----------

/** Whether the actor reads dropout data as a class teacher only (their own classes). */
function classTeacherOnly(actor: Actor): boolean {
  return actor.via !== 'system' && actor.grants.every((g) => g.role === 'teacher');
}

export async function listCases(ctx: AppContext, actor: Actor, q: CaseListQuery): Promise<DropoutCasePage> {
  let underPath: string | null = null;
  if (q.under) {
    const u = await repo.findUnit(ctx.db, actor, q.under, 'dropout.read');
    if (!u) throw notFound({ zh: '单位', en: 'Unit' });
    underPath = u.path;
  }
  if (q.classId) {
    const c = await repo.findClass(ctx.db, actor, q.classId, 'dropout.read');
    if (!c) throw notFound({ zh: '班级', en: 'Class' });
    if (!dropoutPolicy.seesWholeSchool(actor, c.school_path) && c.head_teacher_user_id !== actor.userId)
      throw forbidden();
  }
  let qb = ctx.db
    .selectFrom('dropout_case as dc')
    .innerJoin('student as s', 's.id', 'dc.student_id')
    .innerJoin('unit as sch', 'sch.id', 'dc.school_id')
    .leftJoin('school_class as c', 'c.id', 's.class_id')
    .where(pathInScope(actor, 'dropout.read', sql.ref('sch.path')));
  if (underPath) qb = qb.where('sch.path', 'like', `${underPath}%`);
  if (q.classId) qb = qb.where('s.class_id', '=', q.classId);
  if (classTeacherOnly(actor)) qb = qb.where('c.head_teacher_user_id', '=', actor.userId);
  if (q.status) qb = qb.where('dc.status', '=', q.status);
  else qb = qb.where('dc.closed_on', 'is', null);
  if (q.reason) qb = qb.where('dc.reason', '=', q.reason);
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb
    .select([
      'dc.id',
      'dc.student_id',
      's.name',
      's.sex',
      's.grade',
      's.stage',
      's.poverty_household',
      'c.name as class_name',
      'dc.school_id',
      'sch.name as school_name',
      'dc.status',
      'dc.reason',
      'dc.evidence',
      'dc.detected_on',
      'dc.closed_on',
      'dc.close_reason',
    ])
    .orderBy('dc.detected_on', 'desc')
    .orderBy('sch.code')
    .orderBy('s.name')
    .orderBy('dc.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      studentId: r.student_id,
      studentName: r.name,
      sex: r.sex,
      grade: r.grade,
      stage: r.stage,
      className: r.class_name,
      schoolId: r.school_id,
      schoolName: r.school_name,
      status: r.status as 'suspected' | 'closed',
      reason: r.reason as DropoutCasePage['items'][number]['reason'],
      evidence: (r.evidence ?? {}) as Record<string, unknown>,
      detectedOn: r.detected_on,
      closedOn: r.closed_on,
      closeReason: r.close_reason,
      povertyHousehold: r.poverty_household,
    })),
    total: Number(total.n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * The early-warning list: a weighted score per enrolled student from the last `windowDays` school days
 * (days of 旷课, of 病假/事假, times late) and circumstances (over-age for the grade by two years or more on
 * 31 August, poverty household, left-behind, disability, migrant), weights per region. Highest first.
 */
export async function riskList(ctx: AppContext, actor: Actor, q: RiskQuery): Promise<RiskList> {
  const date = q.date ?? chinaToday();
  let underPath: string | null = null;
  if (q.under) {
    const u = await repo.findUnit(ctx.db, actor, q.under, 'dropout.read');
    if (!u) throw notFound({ zh: '单位', en: 'Unit' });
    underPath = u.path;
  }
  if (q.classId) {
    const c = await repo.findClass(ctx.db, actor, q.classId, 'dropout.read');
    if (!c) throw notFound({ zh: '班级', en: 'Class' });
    if (!dropoutPolicy.seesWholeSchool(actor, c.school_path) && c.head_teacher_user_id !== actor.userId)
      throw forbidden();
    underPath = c.school_path;
  }
  const schools = await repo.schoolsUnder(ctx.db, actor, 'dropout.read', underPath);
  if (schools.length === 0) return { date, windowDays: 30, items: [] };
  const w = await schoolWindows(ctx, schools, date);
  const schoolYear = Number(schoolYearOf(date));
  const teacherOnly = classTeacherOnly(actor);
  const { rows } = await sql<{
    id: string;
    name: string;
    school_name: string;
    class_name: string | null;
    grade: number;
    stage: string;
    unexcused: number;
    excused: number;
    late: number;
    over_age: boolean;
    poverty: boolean;
    left_behind: boolean;
    disabled: boolean;
    migrant: boolean;
    score: number;
    high: number;
    open_case: boolean;
  }>`
    with sd as (
      select * from unnest(${w.sd.school}::uuid[], ${w.sd.day}::date[], ${w.sd.seq}::int[]) as t(school_id, day, seq)
    ),
    rule as (
      select school_id, win, high, w[1] as wu, w[2] as we, w[3] as wl, w[4] as wo, w[5] as wp, w[6] as wb, w[7] as wd, w[8] as wm
      from (select unnest(${w.rule.school}::uuid[]) as school_id, unnest(${w.rule.win}::int[]) as win,
        unnest(${w.rule.high}::float8[]) as high, unnest(${w.rule.w.map((x) => `{${x.join(',')}}`)}::text[])::float8[] as w) x
    ),
    ages as (
      select * from unnest(${GRADES.map((g) => g.stage)}::text[], ${GRADES.map((g) => g.grade)}::int[],
        ${GRADES.map((g) => g.normalAge)}::int[]) as a(stage, grade, normal_age)
    ),
    marks as (
      select m.student_id,
        count(*) filter (where m.kind = 'unexcused')::int as unexcused,
        count(*) filter (where m.kind in ('sick', 'personal'))::int as excused,
        count(*) filter (where m.kind = 'late')::int as late
      from attendance_mark m
      join sd on sd.school_id = m.school_id and sd.day = m.day
      join rule r on r.school_id = m.school_id and sd.seq <= r.win
      where m.day >= ${w.minDay} and m.day <= ${date}
      group by m.student_id
    ),
    scored as (
      select s.id, s.name, sch.name as school_name, c.name as class_name, s.grade, s.stage,
        coalesce(mk.unexcused, 0) as unexcused, coalesce(mk.excused, 0) as excused, coalesce(mk.late, 0) as late,
        coalesce(s.birth_date <= make_date(${schoolYear} - a.normal_age - 2, 8, 31), false) as over_age,
        s.poverty_household as poverty, s.left_behind, s.disabled, s.migrant, r.high,
        exists (select 1 from dropout_case dc where dc.student_id = s.id and dc.closed_on is null) as open_case,
        r.wu * coalesce(mk.unexcused, 0) + r.we * coalesce(mk.excused, 0) + r.wl * coalesce(mk.late, 0)
          + case when s.birth_date <= make_date(${schoolYear} - a.normal_age - 2, 8, 31) then r.wo else 0 end
          + case when s.poverty_household then r.wp else 0 end + case when s.left_behind then r.wb else 0 end
          + case when s.disabled then r.wd else 0 end + case when s.migrant then r.wm else 0 end as score
      from student s
      join unit sch on sch.id = s.school_id
      join rule r on r.school_id = s.school_id
      left join school_class c on c.id = s.class_id
      left join ages a on a.stage = s.stage and a.grade = s.grade
      left join marks mk on mk.student_id = s.id
      where s.status = 'enrolled'
        and ${q.classId ? sql`s.class_id = ${q.classId}` : sql`true`}
        and ${teacherOnly ? sql`c.head_teacher_user_id = ${actor.userId}` : sql`true`}
    )
    select * from scored where score > 0 order by score desc, name, id limit ${q.limit}`.execute(ctx.db);
  return {
    date,
    windowDays: w.rule.win[0] ?? 30,
    items: rows.map((r) => {
      const score = Number(r.score);
      const high = Number(r.high);
      return {
        studentId: r.id,
        name: r.name,
        schoolName: r.school_name,
        className: r.class_name,
        grade: r.grade,
        stage: r.stage,
        score,
        level: score >= high ? 'high' : score >= high / 2 ? 'medium' : 'low',
        factors: {
          unexcused: r.unexcused,
          excused: r.excused,
          late: r.late,
          overAge: r.over_age ? 1 : 0,
          poverty: r.poverty ? 1 : 0,
          leftBehind: r.left_behind ? 1 : 0,
          disabled: r.disabled ? 1 : 0,
          migrant: r.migrant ? 1 : 0,
        },
        openCase: r.open_case,
      };
    }),
  };
}
