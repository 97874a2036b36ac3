/** The school calendar's configuration (terms per region, closures), class head teachers and the settings. */
import type {
  CalendarDay,
  Closure,
  ClosureCreate,
  RegionTerms,
  SettingsUpdate,
  SettingsView,
  TermsUpdate,
} from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import {
  defaultTerms,
  explainDay,
  loadCalendar,
  ownTerms,
  schoolYearOf,
} from '../../platform/calendar/school-days.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { dropoutPolicy } from './dropout.policy.js';
import * as repo from './dropout.repository.js';
import { effectiveSettings } from './dropout.settings.js';

const UNIT = { zh: '单位', en: 'Unit' };
const CLASS = { zh: '班级', en: 'Class' };
const CLOSURE = { zh: '停课安排', en: 'Closure' };

function regionOnly(kind: string, path: string): void {
  if (kind === 'school')
    throw badRequest(
      'CALENDAR_REGION_ONLY',
      {
        zh: '学期日期和预警参数由教育局按区域设置',
        en: 'Terms and settings are set by a bureau for its region',
      },
      [{ path, message: 'CALENDAR_REGION_ONLY' }],
    );
}

// ---------- terms ----------

/** The terms that apply to a unit for a school year, and where they come from. */
export async function getTerms(
  ctx: AppContext,
  actor: Actor,
  unitId: string,
  schoolYear = schoolYearOf(chinaToday()),
): Promise<RegionTerms> {
  const unit = await repo.findUnit(ctx.db, actor, unitId, 'attendance.read');
  if (!unit) throw notFound(UNIT);
  const own = await ownTerms(ctx.db, unit.id, schoolYear);
  if (own.length) return { unitId, schoolYear, terms: own, source: 'own' };
  const cal = await loadCalendar(ctx.db, unit, { start: '1900-01-01', end: '1900-01-01' });
  const inherited = cal.terms.get(schoolYear);
  return inherited
    ? { unitId, schoolYear, terms: inherited, source: 'inherited' }
    : { unitId, schoolYear, terms: defaultTerms(schoolYear), source: 'default' };
}

function checkTerms(input: TermsUpdate): void {
  const y = Number(input.schoolYear);
  const bad = (message: { zh: string; en: string }) =>
    badRequest('TERMS_INVALID', message, [{ path: 'body/terms', message: 'TERMS_INVALID' }]);
  if (input.terms.length === 1) throw bad({ zh: '请同时填写两个学期', en: 'Give both terms' });
  const [a, b] = [...input.terms].sort((x, z) => x.no - z.no);
  if (!a || !b) return;
  if (a.no !== 1 || b.no !== 2) throw bad({ zh: '学期编号应为 1 和 2', en: 'Terms are numbered 1 and 2' });
  for (const t of [a, b])
    if (t.end < t.start) throw bad({ zh: '学期结束日期早于开始日期', en: 'A term ends before it starts' });
  if (a.end >= b.start)
    throw bad({
      zh: '第二学期须在第一学期结束后开始',
      en: 'The second term must start after the first ends',
    });
  if (a.start < `${y}-08-01` || b.end > `${y + 1}-08-31`)
    throw bad({
      zh: `学期须在 ${y} 年 8 月至 ${y + 1} 年 8 月之间`,
      en: `Terms must lie between August ${y} and August ${y + 1}`,
    });
}

/** Sets (or with [] clears) a bureau's term dates for a school year; audited with before and after. */
export async function setTerms(
  ctx: AppContext,
  actor: Actor,
  input: TermsUpdate,
  origin: AuditOrigin,
): Promise<RegionTerms> {
  const unit = await repo.findUnit(ctx.db, actor, input.unitId, 'attendance.read');
  if (!unit) throw notFound(UNIT);
  if (!dropoutPolicy.canManageCalendar(actor, unit.path)) throw forbidden();
  regionOnly(unit.kind, 'body/unitId');
  checkTerms(input);
  const before = await ownTerms(ctx.db, unit.id, input.schoolYear);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('school_term')
      .where('unit_id', '=', unit.id)
      .where('school_year', '=', input.schoolYear)
      .execute();
    if (input.terms.length)
      await trx
        .insertInto('school_term')
        .values(
          input.terms.map((t) => ({
            unit_id: unit.id,
            school_year: input.schoolYear,
            term_no: t.no,
            start_on: t.start,
            end_on: t.end,
            updated_by: actor.userId,
          })),
        )
        .execute();
    await recordAudit(trx, origin, {
      action: 'calendar.terms',
      objectType: 'school_term',
      objectId: `${unit.id}/${input.schoolYear}`,
      unitId: unit.id,
      before: { schoolYear: input.schoolYear, terms: before },
      after: { schoolYear: input.schoolYear, terms: input.terms },
    });
  });
  return getTerms(ctx, actor, unit.id, input.schoolYear);
}

// ---------- closures ----------

export async function listClosures(
  ctx: AppContext,
  actor: Actor,
  q: { unitId: string; from?: string; to?: string },
): Promise<Closure[]> {
  const unit = await repo.findUnit(ctx.db, actor, q.unitId, 'attendance.read');
  if (!unit) throw notFound(UNIT);
  // The unit's own closures and those of the bureaus above it (they close it too).
  const chain = unit.path.split('/').filter(Boolean);
  let qb = ctx.db
    .selectFrom('school_closure as c')
    .innerJoin('unit as u', 'u.id', 'c.unit_id')
    .select(['c.id', 'c.unit_id', 'u.name', 'c.start_on', 'c.end_on', 'c.reason', 'c.created_at'])
    .where('c.unit_id', 'in', chain);
  if (q.from) qb = qb.where('c.end_on', '>=', q.from);
  if (q.to) qb = qb.where('c.start_on', '<=', q.to);
  const rows = await qb.orderBy('c.start_on', 'desc').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unit_id,
    unitName: r.name,
    start: r.start_on,
    end: r.end_on,
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function createClosure(
  ctx: AppContext,
  actor: Actor,
  input: ClosureCreate,
  origin: AuditOrigin,
): Promise<Closure> {
  const unit = await repo.findUnit(ctx.db, actor, input.unitId, 'attendance.read');
  if (!unit) throw notFound(UNIT);
  if (!dropoutPolicy.canManageCalendar(actor, unit.path)) throw forbidden();
  if (input.end < input.start || input.end > addDays(input.start, 92))
    throw badRequest(
      'CLOSURE_RANGE',
      {
        zh: '停课结束日期须不早于开始日期，且不超过 92 天',
        en: 'A closure ends on or after its start, within 92 days',
      },
      [{ path: 'body/end', message: 'CLOSURE_RANGE' }],
    );
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('school_closure')
      .values({
        id,
        unit_id: unit.id,
        start_on: input.start,
        end_on: input.end,
        reason: input.reason,
        created_by: actor.userId,
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'calendar.closure.create',
      objectType: 'school_closure',
      objectId: id,
      unitId: unit.id,
      after: { start: input.start, end: input.end, reason: input.reason },
    });
  });
  return (await listClosures(ctx, actor, { unitId: unit.id })).find((c) => c.id === id)!;
}

export async function deleteClosure(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<void> {
  const row = await ctx.db
    .selectFrom('school_closure as c')
    .innerJoin('unit as u', 'u.id', 'c.unit_id')
    .select(['c.id', 'c.unit_id', 'u.path', 'c.start_on', 'c.end_on', 'c.reason'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!row || !(await repo.findUnit(ctx.db, actor, row.unit_id, 'attendance.read'))) throw notFound(CLOSURE);
  if (!dropoutPolicy.canManageCalendar(actor, row.path)) throw forbidden();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('school_closure').where('id', '=', id).execute();
    await recordAudit(trx, origin, {
      action: 'calendar.closure.delete',
      objectType: 'school_closure',
      objectId: id,
      unitId: row.unit_id,
      before: { start: row.start_on, end: row.end_on, reason: row.reason },
    });
  });
}

/** Each day of a range at a school: a school day or not, and why. */
export async function calendarDays(
  ctx: AppContext,
  actor: Actor,
  q: { schoolId: string; from: string; to: string },
): Promise<CalendarDay[]> {
  const school = await repo.findUnit(ctx.db, actor, q.schoolId, 'attendance.read');
  if (!school || school.kind !== 'school') throw notFound({ zh: '学校', en: 'School' });
  if (q.to < q.from || q.to > addDays(q.from, 370))
    throw badRequest(
      'CALENDAR_RANGE',
      { zh: '日期范围须在一年以内', en: 'The range must be within a year' },
      [{ path: 'querystring/to', message: 'CALENDAR_RANGE' }],
    );
  const cal = await loadCalendar(ctx.db, school, { start: q.from, end: q.to });
  const out: CalendarDay[] = [];
  for (let d = q.from; d <= q.to; d = addDays(d, 1)) {
    const e = explainDay(cal, d);
    out.push({ date: d, schoolDay: e.schoolDay, why: e.why, note: e.note });
  }
  return out;
}

// ---------- head teachers ----------

export async function setHeadTeacher(
  ctx: AppContext,
  actor: Actor,
  classId: string,
  userId: string | null,
  origin: AuditOrigin,
): Promise<{ classId: string; headTeacher: { id: string; name: string } | null }> {
  const cls = await repo.findClass(ctx.db, actor, classId, 'student.read');
  if (!cls) throw notFound(CLASS);
  if (!dropoutPolicy.canSetHeadTeacher(actor, cls)) throw forbidden();
  if (userId && !(await repo.worksAt(ctx.db, userId, cls.school_id)))
    throw badRequest(
      'HEAD_TEACHER_NOT_AT_SCHOOL',
      { zh: '班主任须为本校的在职用户', en: 'The head teacher must be an active user of the school' },
      [{ path: 'body/userId', message: 'HEAD_TEACHER_NOT_AT_SCHOOL' }],
    );
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('school_class')
      .set({ head_teacher_user_id: userId, updated_at: new Date() })
      .where('id', '=', cls.id)
      .execute();
    await recordAudit(trx, origin, {
      action: 'class.headTeacher',
      objectType: 'school_class',
      objectId: cls.id,
      unitId: cls.school_id,
      before: { headTeacherUserId: cls.head_teacher_user_id },
      after: { headTeacherUserId: userId },
    });
  });
  const u = userId ? await repo.userName(ctx.db, userId) : undefined;
  return { classId: cls.id, headTeacher: u ? { id: u.id, name: u.display_name } : null };
}

// ---------- settings ----------

export async function getSettings(ctx: AppContext, actor: Actor, unitId: string): Promise<SettingsView> {
  const unit = await repo.findUnit(ctx.db, actor, unitId, 'dropout.read');
  if (!unit) throw notFound(UNIT);
  const { byPath, own } = await effectiveSettings(ctx.db, [unit.path]);
  return {
    unitId: unit.id,
    effective: byPath.get(unit.path)!,
    own: (own.get(unit.id) as SettingsView['own']) ?? null,
    canEdit: unit.kind !== 'school' && dropoutPolicy.canManageSettings(actor, unit.path),
  };
}

/** Replaces a bureau's own settings (null clears them); audited with before and after. */
export async function setSettings(
  ctx: AppContext,
  actor: Actor,
  input: SettingsUpdate,
  origin: AuditOrigin,
): Promise<SettingsView> {
  const unit = await repo.findUnit(ctx.db, actor, input.unitId, 'dropout.read');
  if (!unit) throw notFound(UNIT);
  if (!dropoutPolicy.canManageSettings(actor, unit.path)) throw forbidden();
  regionOnly(unit.kind, 'body/unitId');
  const before = (await getSettings(ctx, actor, unit.id)).own;
  const settings = input.settings && Object.keys(input.settings).length ? input.settings : null;
  await ctx.db.transaction().execute(async (trx) => {
    if (settings)
      await trx
        .insertInto('dropout_setting')
        .values({ unit_id: unit.id, settings: JSON.stringify(settings), updated_by: actor.userId })
        .onConflict((oc) =>
          oc.column('unit_id').doUpdateSet({
            settings: JSON.stringify(settings),
            updated_by: actor.userId,
            updated_at: new Date(),
          }),
        )
        .execute();
    else await trx.deleteFrom('dropout_setting').where('unit_id', '=', unit.id).execute();
    await recordAudit(trx, origin, {
      action: 'dropout.settings',
      objectType: 'dropout_setting',
      objectId: unit.id,
      unitId: unit.id,
      before,
      after: settings,
    });
  });
  return getSettings(ctx, actor, unit.id);
}
