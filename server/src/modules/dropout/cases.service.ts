/**
 * The dropout case workflow (双线四级, 四步法, 动态销号).
 *
 *   suspected ──confirm──► dropout (step 1 教育劝返 → 2 责令限期复学 → 3 行政处罚 → 4 司法诉讼)
 *      │                       │ outcome (returned / exempt / movedAway / vocationalTraining)
 *      └─dismiss─► closed      ▼
 *                          verifying ──verify (county)──► closed
 *                              └──────reject──────► dropout
 *
 * Each step has a time limit in calendar days (settings persuadeDays … lawsuitDays); a step past its due
 * date escalates one level up (school → county bureau → city bureau) at start-up and every 5 minutes, with a
 * timeline entry, an audit event and notifications. The student's 辍学 / 在读 status changes through the
 * registry (recordDropoutStatus), in the same transaction.
 */
import {
  caseOutcomeLabels,
  caseStepLabels,
  type CaseConfirm,
  type CaseDetail,
  type CaseLines,
  type CaseOutcomeInput,
  type CaseVerify,
  type StepRecord,
} from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { can } from '../../platform/access/actor.js';
import { canCityWide } from '../../platform/access/scope.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles, fileInfos } from '../../platform/files/files.service.js';
import { notifyUnit } from '../../platform/notifications/notifications.service.js';
import { findDivision } from '../../platform/regions/divisions.js';
import { maskPhone } from '../students/students.export.service.js';
import { recordDropoutStatus } from '../students/students.service.js';
import { dropoutPolicy } from './dropout.policy.js';
import { scan } from './dropout.service.js';
import { effectiveSettings, stepDays } from './dropout.settings.js';

const CASE = { zh: '辍学个案', en: 'Case' };
const ESCALATE_LOCK = 7_210_429;

type LinePersonRow = { level: string; name: string; role?: string | null; phone?: string | null };

/** One case inside the actor's scope (a teacher: only the classes they head). */
async function loadCase(db: AppContext['db'], actor: Actor, id: string) {
  const row = await db
    .selectFrom('dropout_case as dc')
    .innerJoin('student as s', 's.id', 'dc.student_id')
    .innerJoin('unit as sch', 'sch.id', 'dc.school_id')
    .leftJoin('unit as cty', 'cty.id', 'sch.parent_id')
    .leftJoin('school_class as c', 'c.id', 'dc.class_id')
    .leftJoin('unit as esc', 'esc.id', 'dc.escalated_unit_id')
    .selectAll('dc')
    .select([
      's.name as student_name',
      's.sex',
      's.birth_date',
      's.grade',
      's.stage',
      's.status as student_status',
      's.poverty_household',
      'sch.name as school_name',
      'sch.path as school_path',
      'sch.parent_id as county_id',
      'cty.name as county_name',
      'c.name as class_name',
      'c.head_teacher_user_id',
      'esc.name as escalated_name',
    ])
    .where('dc.id', '=', id)
    .where(pathInScope(actor, 'dropout.read', sql.ref('sch.path')))
    .executeTakeFirst();
  if (!row) throw notFound(CASE);
  if (!dropoutPolicy.seesWholeSchool(actor, row.school_path) && row.head_teacher_user_id !== actor.userId)
    throw notFound(CASE);
  return row;
}
type CaseRow = Awaited<ReturnType<typeof loadCase>>;

async function event(
  trx: Transaction<DB>,
  caseId: string,
  kind: string,
  data: Record<string, unknown>,
  actorUserId: string | null,
) {
  await trx
    .insertInto('dropout_case_event')
    .values({
      id: randomUUID(),
      case_id: caseId,
      kind,
      data: JSON.stringify(data),
      actor_user_id: actorUserId,
    })
    .execute();
}

async function settingsFor(ctx: AppContext, schoolPath: string) {
  const { byPath } = await effectiveSettings(ctx.db, [schoolPath]);
  return byPath.get(schoolPath)!;
}

function lockCase(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('dropout_case')
    .select(['status', 'step', 'outcome', 'updated_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

function requireStatus(actual: string, ...wanted: string[]) {
  if (!wanted.includes(actual))
    throw conflict('CASE_STATE', {
      zh: '个案当前状态不允许此操作，请刷新后重试',
      en: 'The case is not in a state that allows this; reload and try again',
    });
}

/** The education line a confirmed case starts with: the county bureau, the school head, the class teacher. */
async function defaultLines(ctx: AppContext, c: CaseRow): Promise<CaseLines> {
  const school = await ctx.db
    .selectFrom('unit')
    .select(['principal', 'phone'])
    .where('id', '=', c.school_id)
    .executeTakeFirst();
  const teacher = c.head_teacher_user_id
    ? await ctx.db
        .selectFrom('app_user')
        .select(['display_name', 'phone'])
        .where('id', '=', c.head_teacher_user_id)
        .executeTakeFirst()
    : undefined;
  const edu: CaseLines['edu'] = [];
  if (c.county_name) edu.push({ level: 'county', name: c.county_name, role: '控辍保学专干' });
  edu.push({
    level: 'school',
    name: school?.principal ?? c.school_name,
    role: '校长',
    ...(school?.phone ? { phone: school.phone } : {}),
  });
  if (teacher)
    edu.push({
      level: 'class',
      name: teacher.display_name,
      role: '班主任',
      ...(teacher.phone ? { phone: teacher.phone } : {}),
    });
  return { edu, gov: [] };
}

export async function getCase(ctx: AppContext, actor: Actor, id: string): Promise<CaseDetail> {
  const c = await loadCase(ctx.db, actor, id);
  return toDetail(ctx, actor, c);
}

async function toDetail(ctx: AppContext, actor: Actor, c: CaseRow): Promise<CaseDetail> {
  const [steps, events] = await Promise.all([
    ctx.db
      .selectFrom('dropout_case_step as st')
      .leftJoin('app_user as u', 'u.id', 'st.actor_user_id')
      .selectAll('st')
      .select('u.display_name')
      .where('st.case_id', '=', c.id)
      .orderBy('st.created_at')
      .orderBy('st.id')
      .execute(),
    ctx.db
      .selectFrom('dropout_case_event as e')
      .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
      .selectAll('e')
      .select('u.display_name')
      .where('e.case_id', '=', c.id)
      .orderBy('e.created_at')
      .orderBy('e.id')
      .execute(),
  ]);
  const files = await fileInfos(ctx.db, [...steps.flatMap((s) => s.file_ids), ...c.outcome_files]);
  const fileName = new Map(files.map((f) => [f.id, f.name]));
  const named = (ids: string[]) => ids.map((fid) => ({ id: fid, name: fileName.get(fid) ?? fid }));
  const reveal = can(actor, 'person.reveal', c.school_path);
  const line = (xs: unknown) =>
    ((xs ?? []) as LinePersonRow[]).map((p) => ({
      level: p.level,
      name: p.name,
      role: p.role ?? null,
      phone: p.phone ? (reveal ? p.phone : maskPhone(p.phone)) : null,
    }));
  const today = chinaToday();
  const handle = dropoutPolicy.canHandleCase(actor, c.school_path);
  return {
    id: c.id,
    studentId: c.student_id,
    studentName: c.student_name,
    sex: c.sex,
    birthDate: c.birth_date,
    grade: c.grade,
    stage: c.stage,
    studentStatus: c.student_status,
    povertyHousehold: c.poverty_household,
    className: c.class_name,
    schoolId: c.school_id,
    schoolName: c.school_name,
    countyName: c.county_name,
    status: c.status as CaseDetail['status'],
    reason: c.reason as CaseDetail['reason'],
    evidence: (c.evidence ?? {}) as Record<string, unknown>,
    detectedOn: c.detected_on,
    confirmedOn: c.confirmed_on,
    step: c.step,
    stepStartedOn: c.step_started_on,
    stepDueOn: c.step_due_on,
    overdue: c.status === 'dropout' && c.step_due_on !== null && c.step_due_on < today,
    escalationLevel: c.escalation_level,
    escalatedTo: c.escalated_name,
    lines: { edu: line(c.edu_line), gov: line(c.gov_line) },
    outcome: c.outcome as CaseDetail['outcome'],
    placement: c.placement as CaseDetail['placement'],
    outcomeOn: c.outcome_on,
    outcomeNote: c.outcome_note,
    outcomeFiles: named(c.outcome_files),
    destinationCode: c.destination_code,
    closedOn: c.closed_on,
    closeReason: c.close_reason,
    steps: steps.map((s) => ({
      id: s.id,
      stepNo: s.step_no,
      actedOn: s.acted_on,
      people: s.people,
      action: s.action,
      result: s.result,
      files: named(s.file_ids),
      actorName: s.display_name,
    })),
    timeline: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      data: (e.data ?? {}) as Record<string, unknown>,
      actorName: e.display_name,
      at: e.created_at.toISOString(),
    })),
    can: {
      confirm: handle && c.status === 'suspected',
      record: handle && c.status === 'dropout',
      outcome: handle && c.status === 'dropout',
      verify: dropoutPolicy.canVerifyCase(actor, c.school_path) && c.status === 'verifying',
      lines: handle && c.status !== 'closed',
    },
  };
}

async function loadForHandling(ctx: AppContext, actor: Actor, id: string) {
  const c = await loadCase(ctx.db, actor, id);
  if (!dropoutPolicy.canHandleCase(actor, c.school_path)) throw forbidden();
  return c;
}

const notToday = (on: string) => {
  if (on > chinaToday())
    throw badRequest('DATE_IN_FUTURE', { zh: '日期不能晚于今天', en: 'The date may not be in the future' });
};

/** The school confirms the student has dropped out (辍学): the registry records it, step 1 starts. */
export async function confirmCase(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CaseConfirm,
  origin: AuditOrigin,
): Promise<CaseDetail> {
  const c = await loadForHandling(ctx, actor, id);
  notToday(input.on);
  if (input.on < c.detected_on)
    throw badRequest('DATE_BEFORE_DETECTION', {
      zh: '确认日期不能早于发现日期',
      en: 'The confirmation date may not precede the detection',
    });
  const st = await settingsFor(ctx, c.school_path);
  const lines = input.lines ?? (await defaultLines(ctx, c));
  const due = addDays(input.on, stepDays(st, 1));
  await ctx.db.transaction().execute(async (trx) => {
    requireStatus((await lockCase(trx, id)).status, 'suspected');
    await recordDropoutStatus(trx, origin, {
      studentId: c.student_id,
      to: 'dropped_out',
      effectiveOn: input.on,
      reason: input.note ?? '控辍保学：确认辍学',
    });
    await trx
      .updateTable('dropout_case')
      .set({
        status: 'dropout',
        confirmed_on: input.on,
        step: 1,
        step_started_on: input.on,
        step_due_on: due,
        escalation_level: 0,
        escalated_unit_id: null,
        escalated_at: null,
        edu_line: JSON.stringify(lines.edu),
        gov_line: JSON.stringify(lines.gov),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await event(trx, id, 'confirmed', { on: input.on, note: input.note ?? null, dueOn: due }, actor.userId);
    await recordAudit(trx, origin, {
      action: 'dropout.case.confirm',
      objectType: 'dropout_case',
      objectId: id,
      unitId: c.school_id,
      before: { status: 'suspected' },
      after: { status: 'dropout', step: 1, stepDueOn: due, on: input.on },
    });
    if (c.county_id)
      await notifyUnit(trx, c.county_id, ['county_admin'], {
        kind: 'dropout.confirmed',
        title: `${c.school_name}确认辍学：${c.student_name}`,
        body: `教育劝返期限 ${due}`,
        link: `/dropout/cases/${id}`,
        objectType: 'dropout_case',
        objectId: id,
      });
  });
  return getCase(ctx, actor, id);
}

/** Not a dropout after all (ill at home, a sheet error …): the suspected case is closed with the reason. */
export async function dismissCase(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
  origin: AuditOrigin,
): Promise<CaseDetail> {
  const c = await loadForHandling(ctx, actor, id);
  const today = chinaToday();
  await ctx.db.transaction().execute(async (trx) => {
    requireStatus((await lockCase(trx, id)).status, 'suspected');
    await trx
      .updateTable('dropout_case')
      .set({ status: 'closed', closed_on: today, close_reason: 'dismissed', updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await event(trx, id, 'dismissed', { reason }, actor.userId);
    await recordAudit(trx, origin, {
      action: 'dropout.case.dismiss',
      objectType: 'dropout_case',
      objectId: id,
      unitId: c.school_id,
      before: { status: 'suspected' },
      after: { status: 'closed', reason },
    });
  });
  return getCase(ctx, actor, id);
}

/** Names the people of both lines (双线四级). */
export async function setLines(
  ctx: AppContext,
  actor: Actor,
  id: string,
  lines: CaseLines,
  origin: AuditOrigin,
): Promise<CaseDetail> {
  const c = await loadForHandling(ctx, actor, id);
  // The page shows phones masked: a person sent back without a phone keeps the one on record.
  const keep = (old: unknown, xs: LinePersonRow[]) =>
    xs.map((p) => {
      if (p.phone) return p;
      const was = ((old ?? []) as LinePersonRow[]).find((o) => o.level === p.level && o.name === p.name);
      return was?.phone ? { ...p, phone: was.phone } : p;
    });
  lines = {
    edu: keep(c.edu_line, lines.edu) as CaseLines['edu'],
    gov: keep(c.gov_line, lines.gov) as CaseLines['gov'],
  };
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, id);
    if (locked.status === 'closed') requireStatus(locked.status, 'suspected', 'dropout', 'verifying');
    await trx
      .updateTable('dropout_case')
      .set({
        edu_line: JSON.stringify(lines.edu),
        gov_line: JSON.stringify(lines.gov),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    const masked = (xs: LinePersonRow[]) => xs.map((p) => ({ ...p, phone: maskPhone(p.phone ?? null) }));
    await event(trx, id, 'lines', { edu: masked(lines.edu), gov: masked(lines.gov) }, actor.userId);
    await recordAudit(trx, origin, {
      action: 'dropout.case.lines',
      objectType: 'dropout_case',
      objectId: id,
      unitId: c.school_id,
      before: { edu: masked(c.edu_line as LinePersonRow[]), gov: masked(c.gov_line as LinePersonRow[]) },
      after: { edu: masked(lines.edu), gov: masked(lines.gov) },
    });
  });
  return getCase(ctx, actor, id);
}

/** Records what was done at the current step; `advance` moves on to the next step with its own deadline. */
export async function recordStep(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: StepRecord,
  origin: AuditOrigin,
): Promise<CaseDetail> {
  const c = await loadForHandling(ctx, actor, id);
  notToday(input.actedOn);
  if (c.confirmed_on && input.actedOn < c.confirmed_on)
    throw badRequest('DATE_BEFORE_CONFIRMATION', {
      zh: '工作日期不能早于确认辍学日期',
      en: 'The date may not precede the confirmation',
    });
  const files = await assertFiles(ctx.db, actor, input.fileIds, [
    c.school_id,
    ...(c.county_id ? [c.county_id] : []),
  ]);
  const st = await settingsFor(ctx, c.school_path);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, id);
    requireStatus(locked.status, 'dropout');
    if (input.advance && locked.step >= 4)
      throw conflict('CASE_LAST_STEP', {
        zh: '已是第四步（司法诉讼），请登记结果',
        en: 'This is the last step (legal action); record the outcome',
      });
    const stepId = randomUUID();
    await trx
      .insertInto('dropout_case_step')
      .values({
        id: stepId,
        case_id: id,
        step_no: locked.step,
        acted_on: input.actedOn,
        people: input.people,
        action: input.action,
        result: input.result ?? null,
        file_ids: files,
        actor_user_id: actor.userId,
      })
      .execute();
    let after: Record<string, unknown> = { step: locked.step };
    if (input.advance) {
      const next = locked.step + 1;
      const due = addDays(input.actedOn, stepDays(st, next));
      await trx
        .updateTable('dropout_case')
        .set({
          step: next,
          step_started_on: input.actedOn,
          step_due_on: due,
          escalation_level: 0,
          escalated_unit_id: null,
          escalated_at: null,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
      after = { step: next, stepDueOn: due };
    } else {
      await trx.updateTable('dropout_case').set({ updated_at: new Date() }).where('id', '=', id).execute();
    }
    await event(
      trx,
      id,
      'step',
      {
        stepId,
        stepNo: locked.step,
        stepName: caseStepLabels[locked.step]?.zh,
        actedOn: input.actedOn,
        advance: input.advance,
        ...after,
      },
      actor.userId,
    );
    await recordAudit(trx, origin, {
      action: 'dropout.case.step',
      objectType: 'dropout_case',
      objectId: id,
      unitId: c.school_id,
      before: { step: locked.step, stepDueOn: c.step_due_on },
      after: { ...after, actedOn: input.actedOn, people: input.people, action: input.action, files },
    });
  });
  return getCase(ctx, actor, id);
}

function ageOn(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The school records how the case ended; it waits for the level above to verify (动态销号). */
export async function proposeOutcome(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CaseOutcomeInput,
  origin: AuditOrigin,
): Promise<CaseDetail> {
  const c = await loadForHandling(ctx, actor, id);
  notToday(input.on);
  const bad = (code: string, zh: string, en: string) => badRequest(code, { zh, en });
  if (input.outcome === 'returned' && !input.placement)
    throw bad('PLACEMENT_REQUIRED', '复学须注明安置方式', 'A return needs its placement');
  if (input.outcome !== 'returned' && input.placement)
    throw bad('PLACEMENT_ONLY_FOR_RETURN', '只有复学才有安置方式', 'Only a return has a placement');
  if (input.outcome === 'exempt' && input.fileIds.length === 0)
    throw bad('PROOF_REQUIRED', '免缓学须上传证明材料', 'An exemption needs its proof attached');
  if (input.outcome === 'vocationalTraining' && ageOn(c.birth_date, input.on) < 16)
    throw bad(
      'UNDER_16',
      '未满16周岁不能以职业培训销号',
      'Vocational training closes a case only from age 16',
    );
  if (input.outcome === 'movedAway') {
    const d = input.destinationCode ? findDivision(input.destinationCode) : undefined;
    if (!d || d.level !== 'county')
      throw bad(
        'DESTINATION_REQUIRED',
        '迁出须填写迁入地县级行政区划代码',
        'Moving away needs the destination county code',
      );
    if (input.destinationCode === c.county_code)
      throw bad('DESTINATION_SAME', '迁入地不能是本县区', 'The destination may not be this county');
  } else if (input.destinationCode)
    throw bad('DESTINATION_ONLY_FOR_MOVE', '只有迁出才填写迁入地', 'Only a move has a destination');
  const files = await assertFiles(ctx.db, actor, input.fileIds, [
    c.school_id,
    ...(c.county_id ? [c.county_id] : []),
  ]);
  await ctx.db.transaction().execute(async (trx) => {
    requireStatus((await lockCase(trx, id)).status, 'dropout');
    if (input.outcome === 'returned')
      await recordDropoutStatus(trx, origin, {
        studentId: c.student_id,
        to: 'enrolled',
        effectiveOn: input.on,
        reason: `控辍保学：劝返复学（${input.placement}）`,
      });
    await trx
      .updateTable('dropout_case')
      .set({
        status: 'verifying',
        outcome: input.outcome,
        placement: input.placement ?? null,
        outcome_on: input.on,
        outcome_note: input.note,
        outcome_files: files,
        destination_code: input.destinationCode ?? null,
        proposed_by: actor.userId,
        proposed_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    const after = {
      status: 'verifying',
      outcome: input.outcome,
      placement: input.placement ?? null,
      on: input.on,
      destinationCode: input.destinationCode ?? null,
      files,
    };
    await event(trx, id, 'outcome', { ...after, note: input.note }, actor.userId);
    await recordAudit(trx, origin, {
      action: 'dropout.case.outcome',
      objectType: 'dropout_case',
      objectId: id,
      unitId: c.school_id,
      before: { status: 'dropout', step: c.step },
      after,
    });
    if (c.county_id)
      await notifyUnit(trx, c.county_id, ['county_admin'], {
        kind: 'dropout.verify',
        title: `待核销：${c.school_name} ${c.student_name}（${caseOutcomeLabels[input.outcome].zh}）`,
        link: `/dropout/cases/${id}`,
        objectType: 'dropout_case',
        objectId: id,
      });
  });
  return getCase(ctx, actor, id);
}

/** The level above verifies (closes, 动态销号) or sends the case back. */
export async function verifyCase(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CaseVerify,
  origin: AuditOrigin,
): Promise<CaseDetail> {
  const c = await loadCase(ctx.db, actor, id);
  if (!dropoutPolicy.canVerifyCase(actor, c.school_path)) throw forbidden();
  if (!input.approve && !input.note)
    throw badRequest('NOTE_REQUIRED', { zh: '退回须说明理由', en: 'Say why the case goes back' });
  const today = chinaToday();
  await ctx.db.transaction().execute(async (trx) => {
    requireStatus((await lockCase(trx, id)).status, 'verifying');
    if (input.approve) {
      await trx
        .updateTable('dropout_case')
        .set({
          status: 'closed',
          closed_on: today,
          close_reason: c.outcome,
          verified_by: actor.userId,
          verified_at: new Date(),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
      if (c.outcome === 'movedAway' && c.destination_code) {
        const dest = await trx
          .selectFrom('unit')
          .select('id')
          .where('kind', '=', 'county_bureau')
          .where('region_code', '=', c.destination_code)
          .executeTakeFirst();
        if (dest)
          await notifyUnit(trx, dest.id, ['county_admin'], {
            kind: 'dropout.handover',
            title: `辍学学生迁入移交：${c.student_name}（原${c.school_name}）`,
            body: c.outcome_note,
            objectType: 'dropout_case',
            objectId: id,
          });
      }
    } else {
      if (c.outcome === 'returned')
        await recordDropoutStatus(trx, origin, {
          studentId: c.student_id,
          to: 'dropped_out',
          effectiveOn: today,
          reason: `控辍保学：复学核销未通过（${input.note ?? ''}）`,
        });
      await trx
        .updateTable('dropout_case')
        .set({
          status: 'dropout',
          outcome: null,
          placement: null,
          outcome_on: null,
          outcome_note: null,
          outcome_files: [],
          destination_code: null,
          proposed_by: null,
          proposed_at: null,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
      await notifyUnit(trx, c.school_id, ['school_admin'], {
        kind: 'dropout.returned',
        title: `核销退回：${c.student_name}`,
        body: input.note ?? null,
        link: `/dropout/cases/${id}`,
        objectType: 'dropout_case',
        objectId: id,
      });
    }
    await event(trx, id, input.approve ? 'verified' : 'rejected', { note: input.note ?? null }, actor.userId);
    await recordAudit(trx, origin, {
      action: input.approve ? 'dropout.case.verify' : 'dropout.case.reject',
      objectType: 'dropout_case',
      objectId: id,
      unitId: c.school_id,
      before: { status: 'verifying', outcome: c.outcome },
      after: { status: input.approve ? 'closed' : 'dropout', note: input.note ?? null },
    });
  });
  return getCase(ctx, actor, id);
}

/**
 * Escalates every step past its due date one level up (school → county → city), gives it a new due date
 * (the step's limit again), writes the timeline and the audit trail, and notifies the level it reached and
 * the school. Rows are claimed FOR UPDATE SKIP LOCKED, so two servers never escalate the same case twice.
 */
export async function escalateOverdue(
  ctx: AppContext,
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<{ escalated: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${ESCALATE_LOCK})`.execute(trx);
    const rows = await trx
      .selectFrom('dropout_case as dc')
      .innerJoin('unit as sch', 'sch.id', 'dc.school_id')
      .innerJoin('student as s', 's.id', 'dc.student_id')
      .select([
        'dc.id',
        'dc.step',
        'dc.step_due_on',
        'dc.escalation_level',
        'dc.escalated_unit_id',
        'dc.school_id',
        'sch.parent_id',
        'sch.path',
        'sch.name as school_name',
        's.name as student_name',
      ])
      .where('dc.status', '=', 'dropout')
      .where('dc.step_due_on', '<', today)
      .forUpdate('dc')
      .skipLocked()
      .execute();
    if (rows.length === 0) return { escalated: 0 };
    const { byPath } = await effectiveSettings(trx, [...new Set(rows.map((r) => r.path))]);
    let n = 0;
    for (const r of rows) {
      const from = r.escalated_unit_id ?? r.school_id;
      const parent = await trx
        .selectFrom('unit')
        .select(['id', 'parent_id', 'kind', 'name'])
        .where('id', '=', from)
        .executeTakeFirstOrThrow();
      const target = parent.parent_id
        ? await trx
            .selectFrom('unit')
            .select(['id', 'name', 'kind'])
            .where('id', '=', parent.parent_id)
            .executeTakeFirst()
        : undefined;
      const dueOn = addDays(today, stepDays(byPath.get(r.path)!, r.step));
      await trx
        .updateTable('dropout_case')
        .set({
          step_due_on: dueOn,
          ...(target
            ? {
                escalation_level: r.escalation_level + 1,
                escalated_unit_id: target.id,
                escalated_at: new Date(),
              }
            : {}),
          updated_at: new Date(),
        })
        .where('id', '=', r.id)
        .execute();
      const data = {
        step: r.step,
        stepName: caseStepLabels[r.step]?.zh,
        wasDueOn: r.step_due_on,
        dueOn,
        to: target?.name ?? null,
        level: target ? r.escalation_level + 1 : r.escalation_level,
      };
      await event(trx, r.id, 'escalated', data, null);
      await recordAudit(trx, origin, {
        action: 'dropout.case.escalate',
        objectType: 'dropout_case',
        objectId: r.id,
        unitId: r.school_id,
        before: { stepDueOn: r.step_due_on, escalationLevel: r.escalation_level },
        after: data,
      });
      const note = {
        kind: 'dropout.overdue',
        title: `劝返超期升级：${r.school_name} ${r.student_name}（${caseStepLabels[r.step]?.zh ?? ''}）`,
        body: `原期限 ${r.step_due_on}，新期限 ${dueOn}`,
        link: `/dropout/cases/${r.id}`,
        objectType: 'dropout_case',
        objectId: r.id,
      };
      if (target)
        await notifyUnit(
          trx,
          target.id,
          target.kind === 'city_bureau' ? ['city_admin'] : ['county_admin'],
          note,
        );
      await notifyUnit(trx, r.school_id, ['school_admin'], note);
      n++;
    }
    return { escalated: n };
  });
}

/**
 * Runs the detection now for the whole city; only for those who manage 控辍保学 at the root (the scan spans
 * every school). Days ahead of today are refused.
 */
export async function scanNow(ctx: AppContext, actor: Actor, date: string | undefined, origin: AuditOrigin) {
  if (!(await canCityWide(ctx.db, actor, 'dropout.manage'))) throw forbidden();
  const day = date ?? chinaToday();
  notToday(day);
  return scan(ctx, origin, day);
}
