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
 */
import type { Dashboard } from '@dudao/contracts';
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import type { AppContext } from '../../platform/context.js';
import { addDays } from '../../platform/dates.js';

const LIMIT = 50;

export async function dataSigns(
  ctx: AppContext,
  actor: Actor,
  areaPath: string,
  date: string,
): Promise<Dashboard['signs']> {
  const from = addDays(date, -28);
  const like = `${areaPath}%`;
  const scope = pathInScope(actor, 'dropout.read', sql.ref('sch.path'));
  const perfect = await sql<{ school_id: string; school_name: string; class_name: string; days: number }>`
    with cls as (
      select sh.class_id, sh.school_id, count(*)::int as days,
        count(*) filter (where sh.present = sh.enrolled and sh.late = 0)::int as perfect_days
      from attendance_sheet sh join unit sch on sch.id = sh.school_id
      where sh.day between ${from} and ${date} and sch.path like ${like} and ${scope}
      group by sh.class_id, sh.school_id
    ),
    peers as (
      select school_id, sum(days - perfect_days)::float / nullif(sum(days), 0) as varied from cls
      where perfect_days < days group by school_id
    )
    select cls.school_id, sch.name as school_name, c.name as class_name, cls.days
    from cls join peers p on p.school_id = cls.school_id
    join unit sch on sch.id = cls.school_id join school_class c on c.id = cls.class_id
    where cls.days >= 10 and cls.perfect_days = cls.days and p.varied >= 0.2
    order by sch.code, c.grade, c.name limit ${LIMIT}`.execute(ctx.db);
  const identical = await sql<{ school_id: string; school_name: string; class_name: string; days: string[] }>`
    with area as (
      select sch.id from unit sch where sch.kind = 'school' and sch.path like ${like} and ${scope}
    ),
    sig as (
      select m.class_id, m.day, string_agg(m.student_id::text || ':' || m.kind, ',' order by m.student_id) as s,
        count(*) as n
      from attendance_mark m
      where m.day between ${from} and ${date} and m.school_id in (select id from area)
      group by m.class_id, m.day
      having count(*) >= 2
    )
    select c.school_id, sch.name as school_name, c.name as class_name,
      array_agg(to_char(sig.day, 'YYYY-MM-DD') order by sig.day) as days
    from sig join school_class c on c.id = sig.class_id join unit sch on sch.id = c.school_id
    where sig.n >= 2 and sch.path like ${like} and ${scope}
    group by c.school_id, sch.name, sch.code, c.name, c.grade, sig.s having count(*) > 1
    order by sch.code, c.grade, c.name limit ${LIMIT}`.execute(ctx.db);
  const conflicts = await sql<{
    school_id: string;
    school_name: string;
    class_name: string | null;
    student_name: string;
    other_school: string;
    day: string;
  }>`
    -- Students of the area whose ID number is also enrolled at another school (few), then their marks.
    with twin as materialized (
      select s.id, s.name, o.school_id as other_id,
        coalesce(o.enrolled_on, (o.created_at at time zone 'Asia/Shanghai')::date) as other_since
      from student s
      join unit ss on ss.id = s.school_id
      join student o on o.id_number_hmac = s.id_number_hmac and o.id <> s.id and o.status = 'enrolled'
        and o.school_id <> s.school_id
      where s.id_number_hmac is not null and ss.path like ${like}
    )
    select distinct on (m.student_id) m.school_id, sch.name as school_name, c.name as class_name,
      t.name as student_name, osch.name as other_school, to_char(m.day, 'YYYY-MM-DD') as day
    from twin t
    join attendance_mark m on m.student_id = t.id and m.day >= t.other_since
    join unit sch on sch.id = m.school_id
    join unit osch on osch.id = t.other_id
    left join school_class c on c.id = m.class_id
    where m.day between ${from} and ${date} and sch.path like ${like} and ${scope}
    order by m.student_id, m.day desc limit ${LIMIT}`.execute(ctx.db);
  const mismatch = await sql<{ school_id: string; school_name: string; period: string; detail: string }>`
    select r.unit_id as school_id, sch.name as school_name, r.period,
      format('上报考勤表 %s 张、旷课 %s 人次；系统记录 %s 张、%s 人次',
        r.figures->>'sheets', r.figures->>'unexcused', coalesce(a.sheets, 0), coalesce(a.unexcused, 0)) as detail
    from dropout_report r
    join unit sch on sch.id = r.unit_id and sch.kind = 'school'
    left join lateral (
      select count(*)::int as sheets, coalesce(sum(sh.unexcused), 0)::int as unexcused
      from attendance_sheet sh
      where sh.school_id = r.unit_id and to_char(sh.day, 'YYYY-MM') = r.period
    ) a on true
    where sch.path like ${like} and ${scope} and r.period ~ '^[0-9]{4}-[0-9]{2}$'
      and ((r.figures->>'sheets')::int is distinct from coalesce(a.sheets, 0)
        or (r.figures->>'unexcused')::int is distinct from coalesce(a.unexcused, 0))
    order by r.period desc, sch.code limit ${LIMIT}`.execute(ctx.db);
  return [
    ...perfect.rows.map((r) => ({
      kind: 'perfectClass' as const,
      schoolId: r.school_id,
      schoolName: r.school_name,
      className: r.class_name,
      detail: `近4周 ${r.days} 天考勤全部满勤，同校其他班级有缺勤`,
    })),
    ...identical.rows.map((r) => ({
      kind: 'identicalSheets' as const,
      schoolId: r.school_id,
      schoolName: r.school_name,
      className: r.class_name,
      detail: `${r.days.join('、')} 的考勤异常名单完全相同`,
    })),
    ...conflicts.rows.map((r) => ({
      kind: 'rosterConflict' as const,
      schoolId: r.school_id,
      schoolName: r.school_name,
      className: r.class_name,
      detail: `${r.day} 为 ${r.student_name} 登记了考勤，但其身份证号在 ${r.other_school} 在读（人籍分离）`,
    })),
    ...mismatch.rows.map((r) => ({
      kind: 'reportMismatch' as const,
      schoolId: r.school_id,
      schoolName: r.school_name,
      className: null,
      detail: `${r.period} 月报与系统记录不符：${r.detail}`,
    })),
  ];
}
