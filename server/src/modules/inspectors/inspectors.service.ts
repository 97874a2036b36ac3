/**
 * Responsibility inspectors (责任督学挂牌督导): the roster and assignments, per-bureau settings, the school
 * plaque, visits against the eight routine items (problems become findings in the ledger), 督导意见书 with the
 * school's 整改报告 and its verification, and the visit coverage per term.
 */
import {
  INSPECTOR_DEFAULTS,
  ROUTINE_ITEMS,
  routineItemLabels,
  type FindingSeverity,
  type FindingStatus,
  type RoutineItem,
  type Inspector,
  type InspectorDetail,
  type InspectorListQuery,
  type InspectorPage,
  type InspectorProfileUpdate,
  type InspectorSchoolsUpdate,
  type InspectorSettings,
  type InspectorSettingsUpdate,
  type Plaque,
  type TermList,
  type Visit,
  type VisitCreate,
  type VisitDetail,
  type VisitListQuery,
  type VisitMethod,
  type VisitPage,
} from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import { assignedScopeRoles, rolePermissions } from '../../platform/access/permissions.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import { recentTerms, termById, termOf, type Term } from '../../platform/calendar/terms.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles } from '../../platform/files/files.service.js';
import { defaultDeadline, raiseFindings } from '../findings/findings.service.js';
import { findingCountsBySource } from '../findings/findings.stats.js';
import { updateUser } from '../users/users.service.js';
import { inspectorPolicy } from './inspectors.policy.js';
import * as repo from './inspectors.repository.js';

const INSPECTOR = { zh: '督学', en: 'Inspector' };
const SCHOOL = { zh: '学校', en: 'School' };
const UNIT = { zh: '单位', en: 'Unit' };
const VISIT = { zh: '督导记录', en: 'Visit' };
const PHOTO = { zh: '照片', en: 'Photo' };

/** The findings ledger's link back to a visit. */
export const VISIT_SOURCE_TYPE = 'inspector_visit';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

// ---------- terms ----------

export function listTerms(today = chinaToday()): TermList {
  return { current: termOf(today), terms: recentTerms(today, 6) };
}

export function resolveTerm(termId: string | undefined, today: string): Term {
  if (!termId) return termOf(today);
  const term = termById(termId);
  if (!term)
    throw badRequest('TERM_UNKNOWN', { zh: '学期编号无效', en: 'Unknown term' }, [
      { path: 'querystring/termId', message: 'TERM_UNKNOWN' },
    ]);
  return term;
}

// ---------- settings ----------

interface Effective {
  visitsPerTerm: number;
  maxSchools: number;
  hotline: string | null;
  /** The unit whose row gave the frequency and maximum, or null for the defaults. */
  from: string | null;
}

type SettingRow = Awaited<ReturnType<typeof repo.settingsOf>>[number];

/** The nearest bureau's settings along a path (deepest first); the hotline from the nearest that has one. */
function resolveSettings(rows: readonly SettingRow[], path: string): Effective {
  const byUnit = new Map(rows.map((r) => [r.unit_id, r]));
  const ids = path.split('/').filter(Boolean).reverse();
  const nearest = ids.map((id) => byUnit.get(id)).find((r) => r !== undefined);
  const hotline = ids.map((id) => byUnit.get(id)?.hotline).find((h) => h) ?? null;
  return {
    visitsPerTerm: nearest?.visits_per_term ?? INSPECTOR_DEFAULTS.visitsPerTerm,
    maxSchools: nearest?.max_schools ?? INSPECTOR_DEFAULTS.maxSchools,
    hotline,
    from: nearest?.unit_id ?? null,
  };
}

/** Settings for many paths with one query. */
export async function settingsForPaths(ctx: AppContext, paths: readonly string[]) {
  const ids = new Set(paths.flatMap((p) => p.split('/').filter(Boolean)));
  const rows = await repo.settingsOf(ctx.db, [...ids]);
  return (path: string) => resolveSettings(rows, path);
}

export async function getSettings(ctx: AppContext, actor: Actor, unitId: string): Promise<InspectorSettings> {
  const unit = await repo.findUnit(ctx.db, actor, unitId, 'finding.read');
  if (!unit) throw notFound(UNIT);
  const eff = resolveSettings(await repo.settingsOnPath(ctx.db, unit.path), unit.path);
  return {
    unitId: unit.id,
    unitName: unit.name,
    visitsPerTerm: eff.visitsPerTerm,
    maxSchools: eff.maxSchools,
    hotline: eff.hotline,
    source: eff.from === unit.id ? 'own' : eff.from ? 'inherited' : 'default',
    canManage: unit.kind !== 'school' && inspectorPolicy.canManageSettings(actor, unit),
  };
}

export async function updateSettings(
  ctx: AppContext,
  actor: Actor,
  input: InspectorSettingsUpdate,
  origin: AuditOrigin,
): Promise<InspectorSettings> {
  const unit = await repo.findUnit(ctx.db, actor, input.unitId, 'finding.read');
  if (!unit) throw notFound(UNIT);
  if (!inspectorPolicy.canManageSettings(actor, unit)) throw forbidden();
  if (unit.kind === 'school')
    throw badRequest(
      'SETTINGS_BUREAU_ONLY',
      { zh: '督导设置由教育局设定，学校不能单独设置', en: 'Only a bureau keeps inspector settings' },
      [{ path: 'body/unitId', message: 'SETTINGS_BUREAU_ONLY' }],
    );
  const before = (await repo.findSetting(ctx.db, unit.id)) ?? null;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.upsertSetting(trx, {
      unit_id: unit.id,
      visits_per_term: input.visitsPerTerm,
      max_schools: input.maxSchools,
      hotline: input.hotline,
      updated_by: actor.userId,
    });
    await recordAudit(trx, origin, {
      action: 'inspector.settings',
      objectType: 'unit',
      objectId: unit.id,
      unitId: unit.id,
      before: before
        ? { visitsPerTerm: before.visits_per_term, maxSchools: before.max_schools, hotline: before.hotline }
        : null,
      after: { visitsPerTerm: input.visitsPerTerm, maxSchools: input.maxSchools, hotline: input.hotline },
    });
  });
  return getSettings(ctx, actor, unit.id);
}

// ---------- the roster ----------

function toInspector(actor: Actor, r: repo.InspectorRow, eff: Effective): Inspector {
  return {
    userId: r.user_id,
    username: r.username,
    name: r.display_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    accountDisabled: r.disabled_at !== null,
    hasProfile: r.profile_user_id !== null,
    employment: r.employment,
    title: r.title,
    employer: r.employer,
    phone: r.phone ?? r.account_phone,
    photoFileId: r.photo_file_id,
    specialty: r.specialty,
    certificateNo: r.certificate_no,
    appointedOn: r.appointed_on,
    status: r.status ?? 'active',
    note: r.note,
    schoolCount: r.school_count,
    maxSchools: eff.maxSchools,
    overloaded: r.school_count > eff.maxSchools,
    canManage: inspectorPolicy.canManage(actor, r),
  };
}

export async function listInspectors(
  ctx: AppContext,
  actor: Actor,
  q: InspectorListQuery,
): Promise<InspectorPage> {
  let underPath: string | undefined;
  if (q.under) {
    const under = await repo.findUnit(ctx.db, actor, q.under, 'finding.read');
    if (!under) throw notFound(UNIT);
    underPath = under.path;
  }
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listInspectors(ctx.db, actor, {
    underPath,
    q: q.q,
    status: q.status,
    employment: q.employment,
    page,
    pageSize,
  });
  const settings = await settingsForPaths(
    ctx,
    rows.map((r) => r.unit_path),
  );
  return {
    items: rows.map((r) => toInspector(actor, r as repo.InspectorRow, settings(r.unit_path))),
    total,
    page,
    pageSize,
  };
}

async function loadInspector(ctx: AppContext, actor: Actor, userId: string): Promise<repo.InspectorRow> {
  const row = await repo.findInspector(ctx.db, actor, userId);
  if (!row) throw notFound(INSPECTOR);
  return row;
}

export async function getInspector(ctx: AppContext, actor: Actor, userId: string): Promise<InspectorDetail> {
  const row = await loadInspector(ctx, actor, userId);
  const today = chinaToday();
  const term = termOf(today);
  const schools = await repo.assignedSchools(ctx.db, actor, userId);
  const settings = await settingsForPaths(ctx, [row.unit_path, ...schools.map((s) => s.path)]);
  const counts = await repo.visitCounts(
    ctx.db,
    schools.map((s) => s.id),
    term.start,
    term.end,
  );
  const done = new Map<string, number>();
  for (const c of counts) done.set(c.school_id, (done.get(c.school_id) ?? 0) + c.n);
  return {
    ...toInspector(actor, row, settings(row.unit_path)),
    schools: schools.map((s) => ({
      id: s.id,
      name: s.name,
      code: s.code,
      visitsThisTerm: done.get(s.id) ?? 0,
      required: settings(s.path).visitsPerTerm,
    })),
    term,
  };
}

async function loadForManage(ctx: AppContext, actor: Actor, userId: string): Promise<repo.InspectorRow> {
  const row = await loadInspector(ctx, actor, userId);
  if (!inspectorPolicy.canManage(actor, row)) throw forbidden();
  return row;
}

function profileView(r: {
  employment: string | null;
  title: string | null;
  employer: string | null;
  phone: string | null;
  photo_file_id: string | null;
  specialty: string | null;
  certificate_no: string | null;
  appointed_on: string | null;
  status: string | null;
  note: string | null;
}) {
  return {
    employment: r.employment,
    title: r.title,
    employer: r.employer,
    phone: r.phone,
    photoFileId: r.photo_file_id,
    specialty: r.specialty,
    certificateNo: r.certificate_no,
    appointedOn: r.appointed_on,
    status: r.status,
    note: r.note,
  };
}

/** Fills in or corrects an inspector's profile (督学人才库); the bureau keeps it, audited. */
export async function updateProfile(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  input: InspectorProfileUpdate,
  origin: AuditOrigin,
): Promise<InspectorDetail> {
  const row = await loadForManage(ctx, actor, userId);
  if (input.appointedOn && input.appointedOn > chinaToday())
    throw badRequest(
      'INSPECTOR_APPOINTED_FUTURE',
      { zh: '聘任日期不能晚于今天', en: 'The appointment date cannot be in the future' },
      [{ path: 'body/appointedOn', message: 'INSPECTOR_APPOINTED_FUTURE' }],
    );
  // The photo is uploaded to the inspector's bureau (POST /api/files?unitId=<bureau>).
  if (input.photoFileId) await assertFiles(ctx.db, actor, [input.photoFileId], row.unit_id);
  const next = {
    employment: input.employment,
    title: input.title ?? null,
    employer: input.employer ?? null,
    phone: input.phone ?? null,
    photo_file_id: input.photoFileId ?? null,
    specialty: input.specialty ?? null,
    certificate_no: input.certificateNo ?? null,
    appointed_on: input.appointedOn ?? null,
    status: input.status ?? 'active',
    note: input.note ?? null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await repo.upsertProfile(trx, { user_id: userId, ...next });
    await recordAudit(trx, origin, {
      action: 'inspector.profile',
      objectType: 'user',
      objectId: userId,
      unitId: row.unit_id,
      before: row.profile_user_id ? profileView(row) : null,
      after: profileView(next),
    });
  });
  return getInspector(ctx, actor, userId);
}

/**
 * Sets the schools an inspector is responsible for. Every school must be one the actor manages inspectors
 * at; the change itself goes through the user service (which checks the schools lie in the inspector's
 * area and audits it as user.update with the assignments before and after).
 */
export async function updateAssignments(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  input: InspectorSchoolsUpdate,
  origin: AuditOrigin,
): Promise<InspectorDetail> {
  await loadForManage(ctx, actor, userId);
  const ids = [...new Set(input.schoolIds)];
  const found = await repo.schoolsInScope(ctx.db, actor, ids, 'inspector.manage');
  if (found.length !== ids.length) throw notFound(SCHOOL);
  await updateUser(ctx, actor, userId, { inspectorSchoolIds: ids }, origin);
  return getInspector(ctx, actor, userId);
}

// ---------- the plaque ----------

export async function getPlaque(ctx: AppContext, actor: Actor, schoolId: string): Promise<Plaque> {
  const school = await repo.findSchool(ctx.db, actor, schoolId, 'finding.read');
  if (!school) throw notFound(SCHOOL);
  const eff = resolveSettings(await repo.settingsOnPath(ctx.db, school.path), school.path);
  const inspectors = (await repo.inspectorsOfSchool(ctx.db, school.id)).filter(
    (i) => i.disabled_at === null && (i.status ?? 'active') === 'active',
  );
  return {
    school: { id: school.id, name: school.name, code: school.code, address: school.address },
    bureau: { id: school.parent_id ?? school.id, name: school.parent_name ?? school.name },
    inspectors: inspectors.map((i) => ({
      userId: i.id,
      name: i.display_name,
      phone: i.phone ?? i.account_phone,
      title: i.title,
      employer: i.employer,
      employment: i.employment,
      certificateNo: i.certificate_no,
      hasPhoto: i.photo_file_id !== null,
    })),
    items: ROUTINE_ITEMS.map((item) => ({ item, label: routineItemLabels[item].zh })),
    hotline: eff.hotline,
    visitsPerTerm: eff.visitsPerTerm,
  };
}

/** An assigned inspector's photo, for the plaque of a school the actor may read. */
export async function plaquePhoto(ctx: AppContext, actor: Actor, schoolId: string, userId: string) {
  const school = await repo.findSchool(ctx.db, actor, schoolId, 'finding.read');
  if (!school) throw notFound(SCHOOL);
  const inspector = (await repo.inspectorsOfSchool(ctx.db, school.id)).find((i) => i.id === userId);
  if (!inspector?.photo_file_id) throw notFound(PHOTO);
  const file = await repo.fileBytes(ctx.db, inspector.photo_file_id);
  if (!file) throw notFound(PHOTO);
  return file;
}

// ---------- visits ----------

type VisitCounts = { found: number; open: number; overdue: number; closed: number };
const noCounts: VisitCounts = { found: 0, open: 0, overdue: 0, closed: 0 };

function toVisit(r: Omit<repo.VisitRow, never>, counts: VisitCounts | undefined): Visit {
  return {
    id: r.id,
    schoolId: r.school_id,
    schoolName: r.school_name,
    schoolCode: r.school_code,
    inspectorId: r.inspector_id,
    inspectorName: r.inspector_name,
    bureauId: r.bureau_id,
    bureauName: r.bureau_name,
    visitDate: r.visit_date,
    termId: r.term_id,
    methods: r.methods as VisitMethod[],
    itemCount: r.item_count,
    problemCount: r.problem_count,
    findings: counts ?? noCounts,
    opinionId: r.opinion_id,
    opinionNo: r.opinion_no,
    createdAt: iso(r.created_at)!,
  };
}

export async function listVisits(ctx: AppContext, actor: Actor, q: VisitListQuery): Promise<VisitPage> {
  let underPath: string | undefined;
  if (q.under) {
    const under = await repo.findUnit(ctx.db, actor, q.under, 'finding.read');
    if (!under) throw notFound(UNIT);
    underPath = under.path;
  }
  if (q.schoolId && !(await repo.findSchool(ctx.db, actor, q.schoolId, 'finding.read')))
    throw notFound(SCHOOL);
  let from = q.from;
  let to = q.to;
  if (q.termId) {
    const term = resolveTerm(q.termId, chinaToday());
    from = from && from > term.start ? from : term.start;
    to = to && to < term.end ? to : term.end;
  }
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listVisits(ctx.db, actor, {
    underPath,
    schoolId: q.schoolId,
    inspectorId: q.inspectorId,
    from,
    to,
    withProblems: q.withProblems === undefined ? undefined : q.withProblems === 'true',
    page,
    pageSize,
  });
  const counts = await findingCountsBySource(
    ctx.db,
    VISIT_SOURCE_TYPE,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toVisit(r, counts.get(r.id))), total, page, pageSize };
}

async function visitDetail(ctx: AppContext, actor: Actor, row: repo.VisitRow): Promise<VisitDetail> {
  const counts = await findingCountsBySource(ctx.db, VISIT_SOURCE_TYPE, [row.id]);
  const items = await repo.visitItems(ctx.db, row.id);
  const order = new Map(ROUTINE_ITEMS.map((item, i) => [item, i]));
  items.sort((a, b) => (order.get(a.item as RoutineItem) ?? 99) - (order.get(b.item as RoutineItem) ?? 99));
  return {
    ...toVisit(row, counts.get(row.id)),
    summary: row.summary,
    otherMethod: row.other_method,
    deadline: row.deadline,
    recordedByName: row.recorded_by_name,
    items: items.map((i) => ({
      item: i.item as RoutineItem,
      result: i.result,
      notes: i.notes,
      fileIds: i.file_ids,
      finding: i.finding_id
        ? {
            id: i.finding_id,
            no: i.finding_no!,
            title: i.finding_title!,
            severity: i.finding_severity as FindingSeverity,
            status: i.finding_status as FindingStatus,
            deadline: i.finding_deadline!,
          }
        : null,
    })),
    can: { issueOpinion: row.opinion_id === null && inspectorPolicy.canIssueOpinion(actor, row) },
  };
}

export async function getVisit(ctx: AppContext, actor: Actor, id: string): Promise<VisitDetail> {
  const row = await repo.findVisit(ctx.db, actor, id);
  if (!row) throw notFound(VISIT);
  return visitDetail(ctx, actor, row);
}

/** The bureau a visit is recorded under: the deepest unit through which the inspector covers the school. */
function bureauOfActor(actor: Actor, school: repo.SchoolRow): string {
  let best: { unitId: string; depth: number } | null = null;
  for (const g of actor.grants) {
    if (!rolePermissions[g.role].includes('inspector.visit')) continue;
    const covers = assignedScopeRoles.includes(g.role)
      ? actor.assignedPaths.some((p) => school.path.startsWith(p))
      : school.path.startsWith(g.path);
    if (!covers) continue;
    const depth = g.path.length;
    if (!best || depth > best.depth) best = { unitId: g.unitId, depth };
  }
  return best?.unitId ?? school.parent_id ?? school.id;
}

const visitBad = (code: string, zh: string, en: string, path: string) =>
  badRequest(code, { zh, en }, [{ path, message: code }]);

function firstWords(text: string | undefined, max = 40): string {
  const line = (text ?? '').split(/\r?\n/)[0]!.trim();
  return line.length > max ? line.slice(0, max) + '…' : line;
}

/**
 * Records a visit to a school the actor may visit (an inspector: one assigned to them). Problems become
 * findings in the ledger, linked back to the visit and raised by the inspector's bureau. The id comes from
 * the client: a retried submission returns the visit already recorded (`created: false`).
 */
export async function createVisit(
  ctx: AppContext,
  actor: Actor,
  input: VisitCreate,
  origin: AuditOrigin,
): Promise<{ visit: VisitDetail; created: boolean }> {
  const school = await repo.findSchool(ctx.db, actor, input.schoolId, 'finding.read');
  if (!school) throw notFound(SCHOOL);
  if (!inspectorPolicy.canVisit(actor, school)) throw forbidden();

  const existing = await repo.findVisit(ctx.db, actor, input.id);
  if (existing) {
    if (existing.school_id !== school.id) throw visitIdTaken();
    return { visit: await visitDetail(ctx, actor, existing), created: false };
  }
  if (await repo.visitExists(ctx.db, input.id)) throw visitIdTaken();

  // Who visited, and under which bureau.
  let inspectorId: string;
  let bureauId: string;
  if (input.inspectorId && input.inspectorId !== actor.userId) {
    if (!inspectorPolicy.canRecordFor(actor, school)) throw forbidden();
    const grants = await repo.inspectorGrants(ctx.db, input.inspectorId);
    if (grants.length === 0 || grants[0]!.disabled_at !== null)
      throw visitBad(
        'NOT_AN_INSPECTOR',
        '所选人员不是督学',
        'That person is not an inspector',
        'body/inspectorId',
      );
    if (!(await repo.isAssigned(ctx.db, input.inspectorId, school.id)))
      throw visitBad(
        'VISIT_INSPECTOR_NOT_ASSIGNED',
        '该督学不是这所学校的责任督学',
        'That inspector is not assigned to this school',
        'body/inspectorId',
      );
    inspectorId = input.inspectorId;
    const covering = grants
      .filter((g) => school.path.startsWith(g.path))
      .sort((a, b) => b.path.length - a.path.length);
    bureauId = covering[0]?.unit_id ?? grants[0]!.unit_id;
  } else {
    if (!actor.userId)
      throw visitBad('VISIT_INSPECTOR_REQUIRED', '请指明督学', 'Name the inspector', 'body/inspectorId');
    inspectorId = actor.userId;
    bureauId = bureauOfActor(actor, school);
  }

  const today = chinaToday();
  if (input.visitDate > today)
    throw visitBad(
      'VISIT_DATE_FUTURE',
      '督导日期不能晚于今天',
      'The visit date cannot be in the future',
      'body/visitDate',
    );
  if (input.visitDate < addDays(today, -366))
    throw visitBad(
      'VISIT_DATE_TOO_OLD',
      '只能补录一年以内的督导记录',
      'Visits can be recorded up to a year afterwards',
      'body/visitDate',
    );
  const seen = new Set<string>();
  input.items.forEach((item, i) => {
    if (seen.has(item.item))
      throw visitBad('VISIT_ITEM_REPEATED', '督导事项重复', 'An item appears twice', `body/items/${i}/item`);
    seen.add(item.item);
    if (item.result === 'problem' && !item.title && !item.notes)
      throw visitBad(
        'VISIT_PROBLEM_DESCRIPTION',
        '发现问题的事项请写明问题',
        'Describe the problem found',
        `body/items/${i}/notes`,
      );
    const deadline = item.deadline ?? input.deadline;
    if (item.result === 'problem' && !item.rectifiedOnSite && deadline && deadline < today)
      throw visitBad(
        'VISIT_DEADLINE_PAST',
        '整改期限不能早于今天',
        'The deadline cannot be in the past',
        item.deadline ? `body/items/${i}/deadline` : 'body/deadline',
      );
  });
  const fileIds = input.items.flatMap((i) => i.fileIds ?? []);
  await assertFiles(ctx.db, actor, fileIds, school.id);

  const term = termOf(input.visitDate);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.insertVisit(
        trx,
        {
          id: input.id,
          school_id: school.id,
          inspector_id: inspectorId,
          bureau_id: bureauId,
          visit_date: input.visitDate,
          term_id: term.id,
          methods: [...new Set(input.methods)],
          other_method: input.otherMethod || null,
          summary: input.summary,
          deadline: input.deadline ?? null,
          recorded_by: actor.userId,
          recorded_by_name: actor.displayName,
        },
        input.items.map((i) => ({
          visit_id: input.id,
          item: i.item,
          result: i.result,
          notes: i.notes || null,
          file_ids: [...new Set(i.fileIds ?? [])],
          finding_id: null,
        })),
      );
      const problems = input.items.filter((i) => i.result === 'problem');
      if (problems.length > 0) {
        await raiseFindings(
          trx,
          ctx,
          origin,
          problems.map((i) => {
            const severity = i.severity ?? 'general';
            const label = routineItemLabels[i.item].zh;
            return {
              unitId: school.id,
              source: 'inspector_visit' as const,
              sourceType: VISIT_SOURCE_TYPE,
              sourceId: input.id,
              category: i.item,
              severity,
              title: i.title || `${label}：${firstWords(i.notes) || '存在问题'}`,
              description: i.notes || undefined,
              deadline: i.deadline ?? input.deadline ?? defaultDeadline(severity, today),
              fileIds: i.fileIds,
              rectifiedOnSite: i.rectifiedOnSite ?? false,
            };
          }),
          { raisedByUnitId: bureauId },
        );
        // One finding per problem item: link each item to its finding.
        for (const f of await repo.findingsOfSource(trx, VISIT_SOURCE_TYPE, input.id))
          await repo.linkItemFinding(trx, input.id, f.category, f.id);
      }
      await recordAudit(trx, origin, {
        action: 'inspector.visit.create',
        objectType: 'inspector_visit',
        objectId: input.id,
        unitId: school.id,
        after: {
          schoolId: school.id,
          inspectorId,
          bureauId,
          visitDate: input.visitDate,
          term: term.id,
          methods: input.methods,
          items: input.items.map((i) => ({ item: i.item, result: i.result })),
        },
      });
    });
  } catch (err) {
    // The same id submitted twice at once: the second insert loses; answer with the first.
    if ((err as { code?: string }).code === '23505') {
      const again = await repo.findVisit(ctx.db, actor, input.id);
      if (again && again.school_id === school.id)
        return { visit: await visitDetail(ctx, actor, again), created: false };
      throw visitIdTaken();
    }
    throw err;
  }
  return { visit: await getVisit(ctx, actor, input.id), created: true };
}

function visitIdTaken() {
  return conflict('VISIT_ID_TAKEN', {
    zh: '该督导记录编号已被使用，请重新填写',
    en: 'That visit id is taken; start a new form',
  });
}
