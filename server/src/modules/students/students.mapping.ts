/** Constants, dates and row → API mapping of the student registry, shared by its services. */
import {
  type SchoolClass,
  type StatusEventKind,
  type StudentDetail,
  type StudentStage,
  type StudentSummary,
  type Transfer,
} from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { maskIdNumber, validateIdNumber } from '../../platform/crypto/id-number.js';
import type { Vault } from '../../platform/crypto/vault.js';
import type { StudentTable } from '../../platform/db/schema.js';
import { findDivision } from '../../platform/regions/divisions.js';
import { studentPolicy } from './students.policy.js';
import * as repo from './students.repository.js';
import type { ClassRow, StudentRowFull, TransferRow } from './students.repository.js';

export const STUDENT = { zh: '学生', en: 'Student' };
export const CLASS = { zh: '班级', en: 'Class' };
export const TRANSFER = { zh: '转学申请', en: 'Transfer' };
export const SCHOOL = { zh: '学校', en: 'School' };
export const UNIT = { zh: '机构', en: 'Unit' };

export { CHINA_UTC_OFFSET_MS, chinaToday } from '../../platform/dates.js';
import { chinaToday } from '../../platform/dates.js';

/** The school year under way: '2025' from 1 September 2025 to 31 August 2026. */
export function currentSchoolYear(now = new Date()): number {
  const [y, m] = chinaToday(now).split('-').map(Number) as [number, number];
  return m >= 9 ? y : y - 1;
}

/**
 * The columns that hold a validated ID number: ciphertext, HMAC, and the birth date and sex it encodes (for
 * the consistency checks). Everything that writes students (forms, imports, the demo) fills them this way.
 */
export function identityColumns(
  vault: Vault,
  normalized: string,
): Pick<StudentTable, 'id_number_enc' | 'id_number_hmac' | 'id_birth_date' | 'id_sex'> {
  const v = validateIdNumber(normalized);
  if (!v.ok) throw new RangeError(`not a valid ID number: ${v.code}`);
  return {
    id_number_enc: vault.encrypt(v.normalized),
    id_number_hmac: vault.hmac(v.normalized),
    id_birth_date: v.birthDate,
    id_sex: v.sex,
  };
}

/** A 学籍号 of the G + ID number kind carries the ID number: its birth-date digits are masked the same way. */
export function maskStudentNo(no: string | null): string | null {
  if (no === null) return null;
  return /^[A-Z]\d{17}[\dX]$/.test(no) ? `${no.slice(0, 7)}********${no.slice(15)}` : no;
}

// ---------- mapping rows to API shapes ----------

export function maskedId(ctx: AppContext, enc: string | null): string | null {
  return enc ? maskIdNumber(ctx.vault.decrypt(enc)) : null;
}

export function toSummary(ctx: AppContext, r: StudentRowFull): StudentSummary {
  return {
    id: r.id,
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
    idNumberMasked: maskedId(ctx, r.id_number_enc),
    studentNo: maskStudentNo(r.student_no),
    school: { id: r.school_id, name: r.school_name, code: r.school_code },
    classId: r.class_id,
    className: r.class_name,
    stage: r.stage as StudentStage,
    grade: r.grade,
    status: r.status,
    flags: {
      povertyHousehold: r.poverty_household,
      leftBehind: r.left_behind,
      migrant: r.migrant,
      disabled: r.disabled,
      orphan: r.orphan,
    },
    disabilityCategory: r.disability_category as StudentSummary['disabilityCategory'],
  };
}

export function toTransfer(ctx: AppContext, actor: Actor, t: TransferRow): Transfer {
  return {
    id: t.id,
    status: t.status,
    reason: t.reason,
    student: {
      id: t.student_id,
      name: t.student_name,
      sex: t.student_sex,
      birthDate: t.student_birth_date,
      idNumberMasked: maskedId(ctx, t.student_id_number_enc),
      studentNo: maskStudentNo(t.student_no),
      stage: t.student_stage as StudentStage,
      grade: t.student_grade,
    },
    fromSchool: { id: t.from_school_id, name: t.from_name, code: t.from_code },
    toSchool: { id: t.to_school_id, name: t.to_name, code: t.to_code },
    requestedBy: t.requested_by_name,
    requestedAt: new Date(t.requested_at).toISOString(),
    decidedBy: t.decided_by_name,
    decidedAt: t.decided_at ? new Date(t.decided_at).toISOString() : null,
    decisionReason: t.decision_reason,
    actions: {
      confirm: studentPolicy.canDecideTransfer(actor, t),
      reject: studentPolicy.canDecideTransfer(actor, t),
      cancel: studentPolicy.canCancelTransfer(actor, t),
    },
  };
}

export async function toDetail(ctx: AppContext, actor: Actor, r: StudentRowFull): Promise<StudentDetail> {
  const [guardians, history, transfers] = await Promise.all([
    repo.guardiansOf(ctx.db, r.id),
    repo.historyOf(ctx.db, r.id),
    repo.transfersOfStudent(ctx.db, r.id),
  ]);
  return {
    ...toSummary(ctx, r),
    ethnicity: r.ethnicity,
    hukouRegionCode: r.hukou_region_code,
    hukouRegionName: r.hukou_region_code ? (findDivision(r.hukou_region_code)?.name ?? null) : null,
    address: r.address,
    enrolledOn: r.enrolled_on,
    guardians: guardians.map((g) => ({
      name: g.name,
      relation: g.relation as StudentDetail['guardians'][number]['relation'],
      phone: g.phone,
    })),
    history: history.map((e) => ({
      id: e.id,
      kind: e.kind as StatusEventKind,
      statusFrom: e.status_from,
      statusTo: e.status_to,
      effectiveOn: e.effective_on,
      reason: e.reason,
      school: { id: e.school_id, name: e.school_name, code: e.school_code },
      transferId: e.transfer_id,
      actorName: e.actor_name,
      createdAt: new Date(e.created_at).toISOString(),
    })),
    transfers: transfers.map((t) => toTransfer(ctx, actor, t)),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export function toClass(c: ClassRow): SchoolClass {
  return {
    id: c.id,
    school: { id: c.school_id, name: c.school_name, code: c.school_code },
    schoolYear: c.school_year,
    stage: c.stage as StudentStage,
    grade: c.grade,
    name: c.name,
    headTeacher:
      c.head_teacher_user_id && c.head_teacher_name
        ? { id: c.head_teacher_user_id, name: c.head_teacher_name }
        : null,
    studentCount: c.student_count,
  };
}

/** What of a student the audit trail keeps: the ID number masked, never in full. */
export function auditView(s: StudentSummary & Partial<StudentDetail>): Record<string, unknown> {
  return {
    schoolId: s.school.id,
    name: s.name,
    sex: s.sex,
    birthDate: s.birthDate,
    idNumberMasked: s.idNumberMasked,
    studentNo: s.studentNo,
    ethnicity: s.ethnicity ?? null,
    hukouRegionCode: s.hukouRegionCode ?? null,
    address: s.address ?? null,
    stage: s.stage,
    grade: s.grade,
    classId: s.classId,
    enrolledOn: s.enrolledOn ?? null,
    status: s.status,
    flags: s.flags,
    disabilityCategory: s.disabilityCategory,
    guardians: s.guardians ?? [],
  };
}

/** The keys whose values differ; `force` keys are kept even when their shown values look the same. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>, force: string[] = []) {
  const keys = Object.keys(after).filter(
    (k) => force.includes(k) || JSON.stringify(after[k]) !== JSON.stringify(before[k]),
  );
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  };
}
