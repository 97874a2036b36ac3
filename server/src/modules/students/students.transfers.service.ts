/** Transfers between schools (转学): the leaving school requests, the receiving school decides. */
import {
  studentStatusLabels,
  type StudentStatus,
  type Transfer,
  type TransferCreate,
  type TransferListQuery,
  type TransferPage,
} from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import { can, type Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { studentPolicy } from './students.policy.js';
import * as repo from './students.repository.js';

import { STUDENT, TRANSFER, SCHOOL, chinaToday, toTransfer } from './students.mapping.js';
// ---------- transfers ----------

/**
 * The leaving school asks to transfer a student. The receiving school is named by id (then it must lie in the
 * actor's own area) or by its public 学校标识码 (then it may lie anywhere; only its id, name and code are used).
 */
export async function requestTransfer(
  ctx: AppContext,
  actor: Actor,
  input: TransferCreate,
  origin: AuditOrigin,
): Promise<Transfer> {
  const student = await repo.findStudent(ctx.db, actor, input.studentId);
  if (!student) throw notFound(STUDENT);
  if (!studentPolicy.canRequestTransfer(actor, student)) throw forbidden();
  const target = input.toSchoolId
    ? await repo.findSchool(ctx.db, actor, input.toSchoolId, 'unit.read')
    : await repo.findSchoolByCode(ctx.db, input.toSchoolCode!);
  if (!target) throw notFound({ zh: '接收学校', en: 'Receiving school' });
  if (target.id === student.school_id)
    throw badRequest('TRANSFER_SAME_SCHOOL', {
      zh: '接收学校不能是学生现在的学校',
      en: "The receiving school cannot be the student's own school",
    });
  if (target.status !== 'active')
    throw conflict('SCHOOL_DISABLED', { zh: '接收学校已停用', en: 'The receiving school is disabled' });

  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockStudent(trx, student.id);
    if (locked.status !== 'enrolled')
      throw conflict('STUDENT_NOT_ENROLLED', {
        zh: `只有在读学生可以转学（该学生为“${studentStatusLabels[locked.status].zh}”）`,
        en: `Only enrolled students can transfer (this one is ${studentStatusLabels[locked.status].en.toLowerCase()})`,
      });
    if (await repo.hasPendingTransfer(trx, student.id))
      throw conflict('STUDENT_TRANSFER_PENDING', {
        zh: '该学生已有未办结的转学申请',
        en: 'The student already has an open transfer',
      });
    await trx
      .insertInto('student_transfer')
      .values({
        id,
        student_id: student.id,
        from_school_id: student.school_id,
        to_school_id: target.id,
        reason: input.reason,
        requested_by: actor.userId,
        decided_by: null,
        decided_at: null,
        decision_reason: null,
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'student.transfer.request',
      objectType: 'student_transfer',
      objectId: id,
      unitId: student.school_id,
      after: {
        studentId: student.id,
        fromSchool: { id: student.school_id, code: student.school_code },
        toSchool: { id: target.id, code: target.code, name: target.name },
        reason: input.reason,
      },
    });
  });
  return toTransfer(ctx, actor, await repo.findTransferAfterWrite(ctx.db, id));
}

/** Transfers either side of which lies in scope. */
export async function listTransfers(
  ctx: AppContext,
  actor: Actor,
  q: TransferListQuery,
): Promise<TransferPage> {
  if (q.schoolId && !(await repo.findSchool(ctx.db, actor, q.schoolId, 'student.read')))
    throw notFound(SCHOOL);
  const { rows, total } = await repo.listTransfers(ctx.db, actor, q);
  return { items: rows.map((t) => toTransfer(ctx, actor, t)), total, page: q.page, pageSize: q.pageSize };
}

type Decision = 'confirm' | 'reject' | 'cancel';

const closedTransfer = () =>
  conflict('TRANSFER_CLOSED', { zh: '该转学申请已办结', en: 'The transfer is no longer open' });

/**
 * Settles a transfer. The receiving side confirms (the student moves: school, county, class cleared, a history
 * event on each side) or rejects; the requesting side cancels.
 */
export async function decideTransfer(
  ctx: AppContext,
  actor: Actor,
  id: string,
  decision: Decision,
  reason: string | undefined,
  origin: AuditOrigin,
): Promise<Transfer> {
  const t = await repo.findTransfer(ctx.db, actor, id);
  if (!t) throw notFound(TRANSFER);
  const sidePath = decision === 'cancel' ? t.from_path : t.to_path;
  if (!can(actor, 'student.transfer', sidePath))
    throw forbidden(
      decision === 'cancel'
        ? { zh: '只有转出学校可以撤销转学申请', en: 'Only the leaving school can cancel the request' }
        : { zh: '只有接收学校可以办理接收或退回', en: 'Only the receiving school can confirm or reject' },
    );
  if (t.status !== 'pending') throw closedTransfer();
  const today = chinaToday();

  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockTransfer(trx, id);
    if (locked.status !== 'pending') throw closedTransfer();
    const status = decision === 'confirm' ? 'confirmed' : decision === 'reject' ? 'rejected' : 'cancelled';
    await trx
      .updateTable('student_transfer')
      .set({ status, decided_by: actor.userId, decided_at: new Date(), decision_reason: reason ?? null })
      .where('id', '=', id)
      .execute();
    const summary = {
      studentId: t.student_id,
      fromSchool: { id: t.from_school_id, code: t.from_code, name: t.from_name },
      toSchool: { id: t.to_school_id, code: t.to_code, name: t.to_name },
    };
    if (decision !== 'confirm') {
      await recordAudit(trx, origin, {
        action: `student.transfer.${decision}`,
        objectType: 'student_transfer',
        objectId: id,
        unitId: decision === 'cancel' ? t.from_school_id : t.to_school_id,
        before: { status: 'pending' },
        after: { status, reason: reason ?? null, ...summary },
      });
      return;
    }
    const student = await repo.lockStudent(trx, t.student_id);
    const to = await trx
      .selectFrom('unit')
      .select(['county_code', 'region_code', 'status'])
      .where('id', '=', t.to_school_id)
      .executeTakeFirstOrThrow();
    if (student.school_id !== t.from_school_id || student.status !== 'enrolled')
      throw conflict('TRANSFER_STALE', {
        zh: '学生的学校或状态已变化，请撤销后重新申请',
        en: "The student's school or status changed since the request; cancel it and ask again",
      });
    if (to.status !== 'active')
      throw conflict('SCHOOL_DISABLED', { zh: '接收学校已停用', en: 'The receiving school is disabled' });
    await repo.updateStudentRow(trx, t.student_id, {
      school_id: t.to_school_id,
      county_code: to.county_code ?? to.region_code.slice(0, 6),
      class_id: null,
      status: 'enrolled',
    });
    const event = (kind: 'transfer_out' | 'transfer_in', schoolId: string) => ({
      id: randomUUID(),
      student_id: t.student_id,
      kind,
      status_from: (kind === 'transfer_out' ? 'enrolled' : 'transferred_out') as StudentStatus,
      status_to: (kind === 'transfer_out' ? 'transferred_out' : 'enrolled') as StudentStatus,
      effective_on: today,
      reason: t.reason,
      school_id: schoolId,
      transfer_id: id,
      actor_user_id: actor.userId,
    });
    await repo.insertEvents(trx, [
      event('transfer_out', t.from_school_id),
      event('transfer_in', t.to_school_id),
    ]);
    // The student leaves one area and enters another: each side's audit trail records its half.
    const moved = {
      before: { status: 'pending', schoolId: t.from_school_id, classId: student.class_id },
      after: { status, reason: reason ?? null, ...summary, schoolId: t.to_school_id, classId: null },
    };
    await recordAudit(trx, origin, {
      action: 'student.transfer.confirm',
      objectType: 'student_transfer',
      objectId: id,
      unitId: t.to_school_id,
      ...moved,
    });
    await recordAudit(trx, origin, {
      action: 'student.transfer.out',
      objectType: 'student_transfer',
      objectId: id,
      unitId: t.from_school_id,
      ...moved,
    });
  });
  return toTransfer(ctx, actor, await repo.findTransferAfterWrite(ctx.db, id));
}
