/**
 * 动态清零 dashboard and its drill-down (the case ledger, filtered by the number clicked).
 *
 * Definitions for a date D (today by default), over the cases of the schools in the area:
 *  - open: not closed (suspected, 辍学 being persuaded back, awaiting verification);
 *  - newThisWeek: raised (detected) from Monday of D's week to D;
 *  - returnedThisTerm: outcome 复学 recorded since the term began (1 March or 1 September), and the median of
 *    their days from detection to return;
 *  - openOver30: open and detected more than 30 days before D;
 *  - overdueSteps: 辍学 cases whose current step is past its due date;
 *  - povertyDropouts: open cases of poverty-household students who are 辍学 in the registry (red when > 0);
 *  - classesMissing: classes without an attendance sheet on D (from the not-submitted report).
 * Rows: a city shows its counties; a county its towns (the school's 乡镇 division; 城区 for schools coded at
 * county level) and, under each, its schools; a school itself.
 */
import type { CaseBoardPage, CaseBoardQuery, Dashboard, DashboardFigures } from '@dudao/contracts';
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope, rootUnit } from '../../platform/access/scope.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import type { DB } from '../../platform/db/schema.js';
import { notFound } from '../../platform/errors.js';
import { findDivision } from '../../platform/regions/divisions.js';
import { sheetsDue } from './attendance.service.js';
import { dataSigns } from './signs.service.js';

const UNIT = { zh: '单位', en: 'Unit' };

function weekStart(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}
function termStart(date: string): string {
  const y = Number(date.slice(0, 4));
  const md = date.slice(5);
  if (md >= '09-01') return `${y}-09-01`;
  if (md >= '03-01') return `${y}-03-01`;
  return `${y - 1}-09-01`;
}

async function areaOf(ctx: AppContext, actor: Actor, under?: string) {
  const q = ctx.db
    .selectFrom('unit')
    .select(['id', 'name', 'kind', 'path', 'region_code'])
    .where(pathInScope(actor, 'dropout.read', sql.ref('unit.path')));
  // Without `under`: the actor's own unit (an inspector's county is not in their scope, but every figure
  // below is filtered by the scope anyway), or the root for the system.
  const own = ctx.db.selectFrom('unit').select(['id', 'name', 'kind', 'path', 'region_code']);
  const u = under
    ? await q.where('id', '=', under).executeTakeFirst()
    : actor.unitId
      ? await own.where('id', '=', actor.unitId).executeTakeFirst()
      : await rootUnit(ctx.db);
  if (!u) throw notFound(UNIT);
  return u;
}

/** Teachers read the cases of the classes they head only. */
const teacherOnly = (actor: Actor) =>
  actor.via !== 'system' && actor.grants.every((g) => g.role === 'teacher');

type CaseQuery = SelectQueryBuilder<
  DB & { dc: DB['dropout_case']; s: DB['student']; sch: DB['unit']; c: DB['school_class'] },
  'dc' | 's' | 'sch' | 'c',
  object
>;

function metricFilter(qb: CaseQuery, metric: CaseBoardQuery['metric'], date: string): CaseQuery {
  switch (metric) {
    case 'open':
      return qb.where('dc.closed_on', 'is', null);
    case 'newThisWeek':
      return qb.where('dc.detected_on', '>=', weekStart(date)).where('dc.detected_on', '<=', date);
    case 'returnedThisTerm':
      return qb
        .where('dc.outcome', '=', 'returned')
        .where('dc.outcome_on', '>=', termStart(date))
        .where('dc.outcome_on', '<=', date);
    case 'openOver30':
      return qb.where('dc.closed_on', 'is', null).where('dc.detected_on', '<', addDays(date, -30));
    case 'overdueSteps':
      return qb.where('dc.status', '=', 'dropout').where('dc.step_due_on', '<', date);
    case 'povertyDropouts':
      return qb
        .where('dc.closed_on', 'is', null)
        .where('s.poverty_household', '=', true)
        .where('s.status', '=', 'dropped_out');
    default:
      return qb;
  }
}

export async function caseBoard(ctx: AppContext, actor: Actor, q: CaseBoardQuery): Promise<CaseBoardPage> {
  const date = q.date ?? chinaToday();
  const area = q.under ? await areaOf(ctx, actor, q.under) : null;
  let qb = ctx.db
    .selectFrom('dropout_case as dc')
    .innerJoin('student as s', 's.id', 'dc.student_id')
    .innerJoin('unit as sch', 'sch.id', 'dc.school_id')
    .leftJoin('school_class as c', 'c.id', 'dc.class_id')
    .where(pathInScope(actor, 'dropout.read', sql.ref('sch.path'))) as unknown as CaseQuery;
  if (area) qb = qb.where('sch.path', 'like', `${area.path}%`);
  if (teacherOnly(actor)) qb = qb.where('c.head_teacher_user_id', '=', actor.userId);
  if (q.status) qb = qb.where('dc.status', '=', q.status);
  if (q.overdue === 'true') qb = qb.where('dc.status', '=', 'dropout').where('dc.step_due_on', '<', date);
  if (q.poverty === 'true') qb = qb.where('s.poverty_household', '=', true);
  qb = metricFilter(qb, q.metric, date);
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb
    .select([
      'dc.id',
      'dc.student_id',
      's.name',
      'sch.name as school_name',
      'c.name as class_name',
      'dc.status',
      'dc.reason',
      'dc.step',
      'dc.step_due_on',
      'dc.escalation_level',
      's.poverty_household',
      'dc.detected_on',
      'dc.outcome',
      'dc.closed_on',
    ])
    .orderBy(sql`dc.closed_on is null`, 'desc')
    .orderBy('dc.detected_on', 'desc')
    .orderBy('dc.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      studentId: r.student_id,
      studentName: r.name,
      schoolName: r.school_name,
      className: r.class_name,
      status: r.status as CaseBoardPage['items'][number]['status'],
      reason: r.reason as CaseBoardPage['items'][number]['reason'],
      step: r.step,
      stepDueOn: r.step_due_on,
      overdue: r.status === 'dropout' && r.step_due_on !== null && r.step_due_on < date,
      escalationLevel: r.escalation_level,
      povertyHousehold: r.poverty_household,
      detectedOn: r.detected_on,
      outcome: r.outcome as CaseBoardPage['items'][number]['outcome'],
      closedOn: r.closed_on,
    })),
    total: Number(total.n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

const zero = (): DashboardFigures => ({
  openCases: 0,
  newThisWeek: 0,
  returnedThisTerm: 0,
  medianDaysToReturn: null,
  openOver30: 0,
  overdueSteps: 0,
  povertyDropouts: 0,
  classesMissing: 0,
});

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function dashboard(
  ctx: AppContext,
  actor: Actor,
  q: { under?: string | undefined; date?: string | undefined },
): Promise<Dashboard> {
  const date = q.date ?? chinaToday();
  const area = await areaOf(ctx, actor, q.under);
  const like = `${area.path}%`;
  const teacher = teacherOnly(actor) ? actor.userId : null;
  const ws = weekStart(date);
  const ts = termStart(date);
  const d30 = addDays(date, -30);
  const scope = pathInScope(actor, 'dropout.read', sql.ref('sch.path'));
  // The figures, the schools with their sheets due, the trend and the signs are independent: on PostgreSQL
  // they run at once on separate connections.
  const perSchoolQ = sql<{
    school_id: string;
    open: number;
    new_week: number;
    over30: number;
    overdue: number;
    poverty: number;
    returned_days: number[] | null;
  }>`
    select dc.school_id,
      count(*) filter (where dc.closed_on is null)::int as open,
      count(*) filter (where dc.detected_on >= ${ws} and dc.detected_on <= ${date})::int as new_week,
      count(*) filter (where dc.closed_on is null and dc.detected_on < ${d30})::int as over30,
      count(*) filter (where dc.status = 'dropout' and dc.step_due_on < ${date})::int as overdue,
      count(*) filter (where dc.closed_on is null and s.poverty_household and s.status = 'dropped_out')::int as poverty,
      array_agg(dc.outcome_on - dc.detected_on) filter (where dc.outcome = 'returned'
        and dc.outcome_on >= ${ts} and dc.outcome_on <= ${date}) as returned_days
    from dropout_case dc
    join student s on s.id = dc.student_id
    join unit sch on sch.id = dc.school_id
    left join school_class c on c.id = dc.class_id
    where sch.path like ${like} and ${scope}
      and (dc.closed_on is null or dc.closed_on >= ${ts} or dc.detected_on >= ${ws})
      and ${teacher ? sql`c.head_teacher_user_id = ${teacher}` : sql`true`}
    group by dc.school_id`.execute(ctx.db);
  const schoolsQ = ctx.db
    .selectFrom('unit as sch')
    .leftJoin('unit as cty', 'cty.id', 'sch.parent_id')
    .select([
      'sch.id',
      'sch.name',
      'sch.code',
      'sch.path',
      'sch.status',
      'sch.region_code',
      'sch.parent_id',
      'cty.name as county_name',
    ])
    .where('sch.kind', '=', 'school')
    .where('sch.path', 'like', like)
    .where(scope)
    .orderBy('sch.code')
    .execute();
  const trendQ = sql<{ week: string; open: number; raised: number; returned: number }>`
    with w as (
      select (${weekStart(date)}::date - (k * 7)) as ws from generate_series(0, 11) k
    )
    select to_char(w.ws, 'YYYY-MM-DD') as week,
      count(dc.id) filter (where dc.detected_on <= w.ws + 6 and (dc.closed_on is null or dc.closed_on > w.ws + 6))::int as open,
      count(dc.id) filter (where dc.detected_on between w.ws and w.ws + 6)::int as raised,
      count(dc.id) filter (where dc.outcome = 'returned' and dc.outcome_on between w.ws and w.ws + 6)::int as returned
    from w left join (
      select dc.* from dropout_case dc join unit sch on sch.id = dc.school_id
      left join school_class c on c.id = dc.class_id
      where sch.path like ${like} and ${scope} and dc.detected_on >= ${addDays(date, -400)}
        and ${teacher ? sql`c.head_teacher_user_id = ${teacher}` : sql`true`}
    ) dc on dc.detected_on <= w.ws + 6
    group by w.ws order by w.ws`.execute(ctx.db);
  // Classes without today's sheet, at the active schools (as the not-submitted report counts them).
  const dueQ = schoolsQ.then((list) =>
    sheetsDue(
      ctx.db,
      list.filter((s) => s.status === 'active'),
      date,
    ),
  );
  const [{ rows: perSchool }, schools, due, { rows: trend }, signs] = await Promise.all([
    perSchoolQ,
    schoolsQ,
    dueQ,
    trendQ,
    teacher ? Promise.resolve([]) : dataSigns(ctx, actor, area.path, date),
  ]);
  const bySchool = new Map(perSchool.map((r) => [r.school_id, r]));
  const missBySchool = new Map([...due.bySchool].map(([id, d]) => [id, d.missing.length]));
  const total = zero();
  const returnedAll: number[] = [];
  const groups = new Map<string, { row: Dashboard['rows'][number]; days: number[] }>();
  const rows: Dashboard['rows'] = [];
  const addTo = (f: DashboardFigures, r: (typeof perSchool)[number] | undefined, miss: number) => {
    f.openCases += r?.open ?? 0;
    f.newThisWeek += r?.new_week ?? 0;
    f.returnedThisTerm += r?.returned_days?.length ?? 0;
    f.openOver30 += r?.over30 ?? 0;
    f.overdueSteps += r?.overdue ?? 0;
    f.povertyDropouts += r?.poverty ?? 0;
    f.classesMissing += miss;
  };
  const group = (id: string, name: string, level: 'county' | 'town', unitId: string | null) => {
    let g = groups.get(id);
    if (!g) {
      g = { row: { id, name, level, unitId, ...zero() }, days: [] };
      groups.set(id, g);
      rows.push(g.row);
    }
    return g;
  };
  for (const s of schools) {
    const r = bySchool.get(s.id);
    const miss = missBySchool.get(s.id) ?? 0;
    const days = (r?.returned_days ?? []).map(Number);
    addTo(total, r, miss);
    returnedAll.push(...days);
    if (area.kind === 'city_bureau') {
      const g = group(s.parent_id!, s.county_name ?? '', 'county', s.parent_id);
      addTo(g.row, r, miss);
      g.days.push(...days);
    } else {
      const town = s.region_code.length >= 9 ? s.region_code.slice(0, 9) : '';
      const g = group(`town:${town}`, (town && findDivision(town)?.name) || '城区', 'town', null);
      addTo(g.row, r, miss);
      g.days.push(...days);
      rows.push({
        id: s.id,
        name: s.name,
        level: 'school',
        unitId: s.id,
        ...zero(),
        ...(() => {
          const f = zero();
          addTo(f, r, miss);
          f.medianDaysToReturn = median(days);
          return f;
        })(),
      });
    }
  }
  for (const g of groups.values()) g.row.medianDaysToReturn = median(g.days);
  total.medianDaysToReturn = median(returnedAll);
  // A county's rows: each town followed by its schools.
  if (area.kind !== 'city_bureau') {
    const ordered: Dashboard['rows'] = [];
    for (const g of [...groups.values()].sort((a, b) => a.row.id.localeCompare(b.row.id))) {
      ordered.push(g.row);
      for (const s of schools) {
        const town = s.region_code.length >= 9 ? s.region_code.slice(0, 9) : '';
        if (`town:${town}` === g.row.id) ordered.push(rows.find((x) => x.id === s.id)!);
      }
    }
    rows.splice(0, rows.length, ...ordered);
  }
  return {
    date,
    unit: { id: area.id, name: area.name, kind: area.kind },
    total,
    rows,
    trend,
    signs,
  };
}
