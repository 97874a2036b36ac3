/**
 * Signs of made-up attendance data (数据真实), flagged for the county bureau over the last 28 days to D:
 *  - perfectClass: a class with sheets on at least 10 days, every one of them with nobody absent, late or on
 *    leave, at a school where the other classes had exceptions on at least a fifth of their sheets;
 *  - identicalSheets: a class whose exceptions (student and kind, at least two) are exactly the same on
 *    different days;
 *  - rosterConflict (人籍分离): a mark for a student whose ID number belongs to a student enrolled at another
 *    school that day;
 *  - reportMismatch: a school's monthly report (dropout_report) whose figures differ from what its own rows
 *    add up to for that month (sheets submitted, days of 旷课).
 * The first three scan weeks of attendance: the daily job (`refreshSigns`, after the scan) computes them for
 * the whole city and stores them (dropout_sign, one run per day); the dashboard reads the latest run on or
 * before its day, filtered by area and scope. Report mismatches are few rows and change when a report is
 * filed: they are computed on each call.
 */
import type { Dashboard } from '@dudao/contracts';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import type { AppContext } from '../../platform/context.js';
import { addDays } from '../../platform/dates.js';
import { bulkSettings } from '../../platform/db/bulk.js';
import type { DB } from '../../platform/db/schema.js';

const LIMIT = 50;
/** Runs kept: the dashboard of an earlier day reads the run of that day. */
const KEEP_DAYS = 120;

type SignKind = 'perfectClass' | 'identicalSheets' | 'rosterConflict';
const KINDS: SignKind[] = ['perfectClass', 'identicalSheets', 'rosterConflict'];

/**
 * Computes the attendance signs over the 28 days to `date` for the whole city and stores them as the run of
 * that day (a re-run replaces it). Returns the count per kind.
 */
export async function refreshSigns(db: Kysely<DB>, date: string): Promise<Record<SignKind, number>> {
  const from = addDays(date, -28);
  return db.transaction().execute(async (trx) => {
    await bulkSettings(trx);
    await sql`delete from dropout_sign_run where computed_on = ${date} or computed_on < ${addDays(date, -KEEP_DAYS)}`.execute(
      trx,
    );
    await sql`insert into dropout_sign_run (computed_on) values (${date})`.execute(trx);
    const perfect = await sql`
      with cls as (
        select sh.class_id, sh.school_id, count(*)::int as days,
          count(*) filter (where sh.present = sh.enrolled and sh.late = 0)::int as perfect_days
        from attendance_sheet sh
        where sh.day between ${from} and ${date}
        group by sh.class_id, sh.school_id
      ),
      peers as (
        select school_id, sum(days - perfect_days)::float / nullif(sum(days), 0) as varied from cls
        where perfect_days < days group by school_id
      )
      insert into dropout_sign (computed_on, seq, kind, school_id, class_id, detail)
      select ${date}::date, row_number() over (order by sch.code, c.grade, c.name, c.id), 'perfectClass',
        cls.school_id, cls.class_id, format('近4周 %s 天考勤全部满勤，同校其他班级有缺勤', cls.days)
      from cls join peers p on p.school_id = cls.school_id
      join unit sch on sch.id = cls.school_id join school_class c on c.id = cls.class_id
      where cls.days >= 10 and cls.perfect_days = cls.days and p.varied >= 0.2`.execute(trx);
    // Each class-day's exceptions get a fingerprint (their count and the XOR of a 64-bit hash of each student
    // and kind: the set, whatever the order) in one pass over the marks; only class-days whose fingerprint
    // repeats are compared exactly, by their sorted lists, so a hash collision never raises a sign.
    const identical = await sql`
      with fp as (
        select m.class_id, m.day, count(*) as n, bit_xor(uuid_hash_extended(m.student_id, hashtext(m.kind))) as x
        from attendance_mark m
        where m.day between ${from} and ${date}
        group by m.class_id, m.day
        having count(*) >= 2
      ),
      cand as (
        select fp.class_id, fp.day from fp
        join (select class_id, n, x from fp group by class_id, n, x having count(*) > 1) rep
          on rep.class_id = fp.class_id and rep.n = fp.n and rep.x = fp.x
      ),
      sig as (
        select m.class_id, m.day, string_agg(m.student_id::text || ':' || m.kind, ',' order by m.student_id) as s
        from cand join attendance_mark m on m.class_id = cand.class_id and m.day = cand.day
        group by m.class_id, m.day
      ),
      same as (
        select sig.class_id, array_agg(to_char(sig.day, 'YYYY-MM-DD') order by sig.day) as days
        from sig group by sig.class_id, sig.s having count(*) > 1
      )
      insert into dropout_sign (computed_on, seq, kind, school_id, class_id, detail)
      select ${date}::date, 1000000 + row_number() over (order by sch.code, c.grade, c.name, c.id, same.days),
        'identicalSheets', c.school_id, c.id, array_to_string(same.days, '、') || ' 的考勤异常名单完全相同'
      from same join school_class c on c.id = same.class_id join unit sch on sch.id = c.school_id`.execute(
      trx,
    );
    // Students whose ID number is also enrolled at another school (few), then their marks of the 28 days.
    const conflicts = await sql`
      with twin as materialized (
        select s.id, s.name, o.school_id as other_id,
          coalesce(o.enrolled_on, (o.created_at at time zone 'Asia/Shanghai')::date) as other_since
        from student s
        join student o on o.id_number_hmac = s.id_number_hmac and o.id <> s.id and o.status = 'enrolled'
          and o.school_id <> s.school_id
        where s.id_number_hmac is not null
      ),
      hit as (
        select distinct on (m.student_id) m.student_id, m.school_id, m.class_id, m.day, t.name, t.other_id
        from twin t
        join attendance_mark m on m.student_id = t.id and m.day >= t.other_since
        where m.day between ${from} and ${date}
        order by m.student_id, m.day desc
      )
      insert into dropout_sign (computed_on, seq, kind, school_id, class_id, detail)
      select ${date}::date, 2000000 + row_number() over (order by sch.code, hit.student_id), 'rosterConflict',
        hit.school_id, hit.class_id,
        format('%s 为 %s 登记了考勤，但其身份证号在 %s 在读（人籍分离）', to_char(hit.day, 'YYYY-MM-DD'), hit.name, osch.name)
      from hit join unit sch on sch.id = hit.school_id join unit osch on osch.id = hit.other_id`.execute(trx);
    const n = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0);
    return { perfectClass: n(perfect), identicalSheets: n(identical), rosterConflict: n(conflicts) };
  });
}

/** The signs for an area on a day: the stored run of that day (or the latest before it) and live report mismatches. */
export async function dataSigns(
  ctx: AppContext,
  actor: Actor,
  areaPath: string,
  date: string,
): Promise<Dashboard['signs']> {
  const like = `${areaPath}%`;
  const scope = pathInScope(actor, 'dropout.read', sql.ref('sch.path'));
  const stored = await sql<{
    kind: SignKind;
    school_id: string;
    school_name: string;
    class_name: string | null;
    detail: string;
  }>`
    with run as (select max(computed_on) as d from dropout_sign_run where computed_on <= ${date}),
    ranked as (
      select g.kind, g.school_id, sch.name as school_name, c.name as class_name, g.detail, g.seq,
        row_number() over (partition by g.kind order by g.seq) as k
      from run join dropout_sign g on g.computed_on = run.d
      join unit sch on sch.id = g.school_id
      left join school_class c on c.id = g.class_id
      where sch.path like ${like} and ${scope}
    )
    select kind, school_id, school_name, class_name, detail from ranked where k <= ${LIMIT} order by seq`.execute(
    ctx.db,
  );
  const mismatch = await sql<{ school_id: string; school_name: string; period: string; detail: string }>`
    select r.unit_id as school_id, sch.name as school_name, r.period,
      format('上报考勤表 %s 张、旷课 %s 人次；系统记录 %s 张、%s 人次',
        r.figures->>'sheets', r.figures->>'unexcused', coalesce(a.sheets, 0), coalesce(a.unexcused, 0)) as detail
    from dropout_report r
    join unit sch on sch.id = r.unit_id and sch.kind = 'school'
    left join lateral (
      select count(*)::int as sheets, coalesce(sum(sh.unexcused), 0)::int as unexcused
      from attendance_sheet sh
      where sh.school_id = r.unit_id and sh.day >= to_date(r.period || '-01', 'YYYY-MM-DD')
        and sh.day < to_date(r.period || '-01', 'YYYY-MM-DD') + interval '1 month'
    ) a on true
    where sch.path like ${like} and ${scope} and r.period ~ '^[0-9]{4}-[0-9]{2}$'
      and ((r.figures->>'sheets')::int is distinct from coalesce(a.sheets, 0)
        or (r.figures->>'unexcused')::int is distinct from coalesce(a.unexcused, 0))
    order by r.period desc, sch.code limit ${LIMIT}`.execute(ctx.db);
  return [
    ...KINDS.flatMap((kind) =>
      stored.rows
        .filter((r) => r.kind === kind)
        .map((r) => ({
          kind,
          schoolId: r.school_id,
          schoolName: r.school_name,
          className: r.class_name,
          detail: r.detail,
        })),
    ),
    ...mismatch.rows.map((r) => ({
      kind: 'reportMismatch' as const,
      schoolId: r.school_id,
      schoolName: r.school_name,
      className: null,
      detail: `${r.period} 月报与系统记录不符：${r.detail}`,
    })),
  ];
}
