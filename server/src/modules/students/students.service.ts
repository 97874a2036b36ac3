import {
  gradeInfo,
  studentStatusLabels,
  type ClassCreate,
  type ClassRoster,
  type SchoolClass,
  type SchoolStage,
  type StudentCreate,
  type StudentDetail,
  type StudentListQuery,
  type StudentPage,
  type StudentReveal,
  type StudentStage,
  type StudentStatusChange,
  type StudentUpdate,
} from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { idNumberErrorMessages, maskIdNumber, validateIdNumber } from '../../platform/crypto/id-number.js';
import type { StudentTable } from '../../platform/db/schema.js';
import type { AppError } from '../../platform/errors.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { findDivision } from '../../platform/regions/divisions.js';
import { initialsOf } from './initials.js';
import { eventKind, schoolStudentStages, statusTransitions, studentPolicy } from './students.policy.js';
import * as repo from './students.repository.js';
import type { ClassRow, SchoolRow, StudentRowFull } from './students.repository.js';
import type { Transaction, Updateable } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

import {
  STUDENT,
  CLASS,
  SCHOOL,
  UNIT,
  chinaToday,
  identityColumns,
  maskStudentNo,
  toSummary,
  toDetail,
  toClass,
  auditView,
  diff,
} from './students.mapping.js';

export { chinaToday, currentSchoolYear, identityColumns, maskStudentNo } from './students.mapping.js';
export { decideTransfer, listTransfers, requestTransfer } from './students.transfers.service.js';
export { studentChecks } from './students.checks.service.js';

// ---------- validation shared by create and update ----------

interface ParsedId {
  normalized: string;
  birthDate: string;
  sex: 'M' | 'F';
  columns: Pick<StudentTable, 'id_number_enc' | 'id_number_hmac' | 'id_birth_date' | 'id_sex'>;
}

function parseIdNumber(ctx: AppContext, raw: string): ParsedId {
  const v = validateIdNumber(raw);
  if (!v.ok)
    throw badRequest(v.code, idNumberErrorMessages[v.code], [{ path: 'body/idNumber', message: v.code }]);
  return {
    normalized: v.normalized,
    birthDate: v.birthDate,
    sex: v.sex,
    columns: identityColumns(ctx.vault, v.normalized),
  };
}

function checkBirthDate(birthDate: string): void {
  if (birthDate < '1950-01-01' || birthDate > chinaToday())
    throw badRequest(
      'STUDENT_BIRTH_DATE',
      {
        zh: '出生日期不合理（早于 1950 年或晚于今天）',
        en: 'The birth date is before 1950 or in the future',
      },
      [{ path: 'body/birthDate', message: 'STUDENT_BIRTH_DATE' }],
    );
}

function checkDateAfterBirth(date: string, birthDate: string, path: string): void {
  if (date < birthDate || date > chinaToday())
    throw badRequest(
      'STUDENT_DATE_OUT_OF_RANGE',
      {
        zh: '日期不能早于出生日期，也不能晚于今天',
        en: 'The date must lie between the birth date and today',
      },
      [{ path, message: 'STUDENT_DATE_OUT_OF_RANGE' }],
    );
}

function checkRegion(code: string | null | undefined): void {
  if (code && !findDivision(code))
    throw badRequest(
      'STUDENT_REGION_UNKNOWN',
      { zh: `户籍所在地代码 ${code} 不是有效的行政区划代码`, en: `${code} is not a known division code` },
      [{ path: 'body/hukouRegionCode', message: 'STUDENT_REGION_UNKNOWN' }],
    );
}

/** The stages a school teaches; every stage when the school's own stage is not recorded. */
function stagesAt(school: { stage: string | null }): readonly StudentStage[] {
  return school.stage
    ? (schoolStudentStages[school.stage as SchoolStage] ?? [])
    : ['primary', 'junior', 'senior', 'kindergarten', 'vocational', 'special'];
}

/** Settles stage and grade: given, else from the class, else the first stage of the school with that grade. */
function resolveGrade(
  school: SchoolRow,
  stage: StudentStage | undefined,
  grade: number | undefined,
): { stage: StudentStage; grade: number } {
  if (grade === undefined)
    throw badRequest('STUDENT_GRADE_REQUIRED', { zh: '请填写年级或班级', en: 'Give a grade or a class' }, [
      { path: 'body/grade', message: 'STUDENT_GRADE_REQUIRED' },
    ]);
  const allowed = stagesAt(school);
  const resolved = stage ?? allowed.find((s) => gradeInfo(s, grade)) ?? allowed[0];
  if (!resolved || !gradeInfo(resolved, grade))
    throw badRequest(
      'STUDENT_GRADE_INVALID',
      { zh: '该学段没有这个年级', en: 'That grade does not exist in that stage' },
      [{ path: 'body/grade', message: 'STUDENT_GRADE_INVALID' }],
    );
  if (!allowed.includes(resolved))
    throw badRequest(
      'STUDENT_STAGE_NOT_AT_SCHOOL',
      { zh: '该学校不设这个学段', en: 'The school does not teach that stage' },
      [{ path: 'body/stage', message: 'STUDENT_STAGE_NOT_AT_SCHOOL' }],
    );
  return { stage: resolved, grade };
}

function classMismatch(): AppError {
  return badRequest(
    'STUDENT_CLASS_MISMATCH',
    {
      zh: '班级与学生的学校、学段或年级不符（改年级时请同时指定新班级或清除班级）',
      en: "The class does not match the student's school, stage or grade (when changing the grade, give the new class or clear it)",
    },
    [{ path: 'body/classId', message: 'STUDENT_CLASS_MISMATCH' }],
  );
}

async function loadClassFor(
  ctx: AppContext,
  actor: Actor,
  classId: string,
  schoolId: string,
): Promise<ClassRow> {
  const cls = await repo.findClass(ctx.db, actor, classId);
  if (!cls) throw notFound(CLASS);
  if (cls.school_id !== schoolId) throw classMismatch();
  return cls;
}

async function checkStudentNo(
  ctx: AppContext,
  no: string,
  id: ParsedId | null,
  exceptStudentId: string | null,
): Promise<void> {
  if (id && no.startsWith('G') && no.slice(1) !== id.normalized)
    throw badRequest(
      'STUDENT_NO_ID_MISMATCH',
      { zh: 'G 字头学籍号应为 G 加身份证号', en: 'A G student number is G followed by the ID number' },
      [{ path: 'body/studentNo', message: 'STUDENT_NO_ID_MISMATCH' }],
    );
  if (await repo.studentNoTaken(ctx.db, no, exceptStudentId))
    throw conflict('STUDENT_NO_TAKEN', {
      zh: `学籍号 ${maskStudentNo(no)} 已被使用`,
      en: `Student number ${maskStudentNo(no)} is taken`,
    });
}

/** 一人一籍: an ID number held by a student in school elsewhere is refused; the transfer goes through that school. */
async function checkNotEnrolledElsewhere(
  ctx: AppContext,
  hmac: string,
  exceptStudentId: string | null,
): Promise<void> {
  const holders = await repo.activeHoldersOf(ctx.db, hmac, exceptStudentId);
  if (holders.length === 0) return;
  const where = holders.map((h) => `${h.name}（${h.code}）`).join('、');
  throw conflict('STUDENT_ALREADY_ENROLLED', {
    zh: `该身份证号的学生已在 ${where} 有在籍学籍，请由该校发起转学`,
    en: `A student with this ID number is already registered at ${where}; that school must request the transfer`,
  });
}

function flagsOf(
  input: StudentCreate['flags'],
  category: string | null | undefined,
  current?: StudentRowFull,
) {
  const disabled = input?.disabled ?? (category ? true : (current?.disabled ?? false));
  if (category && !disabled)
    throw badRequest(
      'STUDENT_DISABILITY',
      { zh: '填写残疾类别时须标记为残疾', en: 'A disability category needs the disability flag' },
      [{ path: 'body/disabilityCategory', message: 'STUDENT_DISABILITY' }],
    );
  return {
    poverty_household: input?.povertyHousehold ?? current?.poverty_household ?? false,
    left_behind: input?.leftBehind ?? current?.left_behind ?? false,
    migrant: input?.migrant ?? current?.migrant ?? false,
    disabled,
    orphan: input?.orphan ?? current?.orphan ?? false,
  };
}

// ---------- students ----------

/** Works out what the list's `q` may mean; each reading that fits becomes one alternative. */
export function parseSearch(ctx: AppContext, q: string): repo.StudentSearch {
  const s: repo.StudentSearch = {};
  const id = validateIdNumber(q);
  if (id.ok) s.idHmac = ctx.vault.hmac(id.normalized);
  const upper = q.toUpperCase();
  if (/^[A-Z]\d{3,}[\dX]*$/.test(upper)) s.studentNoPrefix = upper;
  if (/^[a-z]+$/i.test(q)) s.initialsPrefix = q.toLowerCase();
  if (!id.ok && !/^\d+[xX]?$/.test(q)) s.namePrefix = q.toLowerCase();
  // Names are written in Han characters: only such a query can be a part of one.
  if (/^\p{Script=Han}+$/u.test(q)) s.namePart = q;
  return s;
}

/** Lists students in scope; `schoolId` and `under` must themselves be in scope. */
export async function listStudents(ctx: AppContext, actor: Actor, q: StudentListQuery): Promise<StudentPage> {
  if (q.schoolId && !(await repo.findSchool(ctx.db, actor, q.schoolId, 'student.read')))
    throw notFound(SCHOOL);
  let underPath: string | undefined;
  if (q.under) {
    const under = await repo.findUnitInScope(ctx.db, actor, q.under, 'student.read');
    if (!under) throw notFound(UNIT);
    underPath = under.path;
  }
  if (q.classId && !(await repo.findClass(ctx.db, actor, q.classId))) throw notFound(CLASS);
  const { rows, total, capped } = await repo.listStudents(ctx.db, actor, {
    search: q.q ? parseSearch(ctx, q.q) : undefined,
    schoolId: q.schoolId,
    underPath,
    stage: q.stage,
    grade: q.grade,
    classId: q.classId,
    status: q.status,
    flags: q.flags?.split(','),
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: rows.map((r) => toSummary(ctx, r)), total, page: q.page, pageSize: q.pageSize, capped };
}

/** One student in scope, with guardians, history and transfers. */
export async function getStudent(ctx: AppContext, actor: Actor, id: string): Promise<StudentDetail> {
  const row = await repo.findStudent(ctx.db, actor, id);
  if (!row) throw notFound(STUDENT);
  return toDetail(ctx, actor, row);
}

/** Loads a student for a change: 404 outside the read scope, 403 without write access at their school. */
async function loadForWrite(ctx: AppContext, actor: Actor, id: string): Promise<StudentRowFull> {
  const row = await repo.findStudent(ctx.db, actor, id);
  if (!row) throw notFound(STUDENT);
  if (!studentPolicy.canWrite(actor, row)) throw forbidden();
  return row;
}

/** Enrols a student at a school (建立学籍), with the first history event and an audit event. */
export async function createStudent(
  ctx: AppContext,
  actor: Actor,
  input: StudentCreate,
  origin: AuditOrigin,
): Promise<StudentDetail> {
  const school = await repo.findSchool(ctx.db, actor, input.schoolId, 'student.read');
  if (!school) throw notFound(SCHOOL);
  if (!studentPolicy.canWrite(actor, { school_path: school.path })) throw forbidden();
  if (school.status !== 'active')
    throw conflict('SCHOOL_DISABLED', { zh: '该学校已停用', en: 'The school is disabled' });

  const parsedId = input.idNumber ? parseIdNumber(ctx, input.idNumber) : null;
  const sex = input.sex ?? parsedId?.sex;
  const birthDate = input.birthDate ?? parsedId?.birthDate;
  if (!sex || !birthDate)
    throw badRequest(
      'STUDENT_IDENTITY_REQUIRED',
      {
        zh: '没有身份证号时须填写性别和出生日期',
        en: 'Without an ID number, give the sex and the birth date',
      },
      [{ path: 'body/birthDate', message: 'STUDENT_IDENTITY_REQUIRED' }],
    );
  checkBirthDate(birthDate);
  if (input.enrolledOn) checkDateAfterBirth(input.enrolledOn, birthDate, 'body/enrolledOn');
  checkRegion(input.hukouRegionCode);
  const cls = input.classId ? await loadClassFor(ctx, actor, input.classId, school.id) : null;
  const { stage, grade } = resolveGrade(
    school,
    input.stage ?? (cls?.stage as StudentStage),
    input.grade ?? cls?.grade,
  );
  if (cls && (cls.stage !== stage || cls.grade !== grade)) throw classMismatch();
  const flags = flagsOf(input.flags, input.disabilityCategory);
  if (input.studentNo) await checkStudentNo(ctx, input.studentNo, parsedId, null);
  if (parsedId) await checkNotEnrolledElsewhere(ctx, parsedId.columns.id_number_hmac!, null);

  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertStudents(trx, [
      {
        id,
        school_id: school.id,
        county_code: school.county_code ?? school.region_code.slice(0, 6),
        class_id: cls?.id ?? null,
        student_no: input.studentNo ?? null,
        id_number_enc: parsedId?.columns.id_number_enc ?? null,
        id_number_hmac: parsedId?.columns.id_number_hmac ?? null,
        id_birth_date: parsedId?.columns.id_birth_date ?? null,
        id_sex: parsedId?.columns.id_sex ?? null,
        name: input.name,
        name_initials: initialsOf(input.name),
        sex,
        birth_date: birthDate,
        ethnicity: input.ethnicity ?? null,
        hukou_region_code: input.hukouRegionCode ?? null,
        address: input.address ?? null,
        stage,
        grade,
        enrolled_on: input.enrolledOn ?? null,
        ...flags,
        disability_category: input.disabilityCategory ?? null,
      },
    ]);
    await repo.replaceGuardians(
      trx,
      id,
      (input.guardians ?? []).map((g) => ({ name: g.name, relation: g.relation, phone: g.phone ?? null })),
    );
    await repo.insertEvents(trx, [
      {
        id: randomUUID(),
        student_id: id,
        kind: 'enrol',
        status_from: null,
        status_to: 'enrolled',
        effective_on: input.enrolledOn ?? chinaToday(),
        reason: null,
        school_id: school.id,
        transfer_id: null,
        actor_user_id: actor.userId,
      },
    ]);
    const created = await toDetail({ ...ctx, db: trx }, actor, await repo.findStudentAfterWrite(trx, id));
    await recordAudit(trx, origin, {
      action: 'student.create',
      objectType: 'student',
      objectId: id,
      unitId: school.id,
      after: auditView(created),
    });
  });
  return toDetail(ctx, actor, await repo.findStudentAfterWrite(ctx.db, id));
}

/** Corrects a student's record; the audit event holds the changed fields before and after. */
export async function updateStudent(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: StudentUpdate,
  origin: AuditOrigin,
): Promise<StudentDetail> {
  const row = await loadForWrite(ctx, actor, id);
  const school = (await repo.findSchool(ctx.db, actor, row.school_id, 'student.read'))!;

  const parsedId =
    input.idNumber === undefined || input.idNumber === null || input.idNumber === ''
      ? null
      : parseIdNumber(ctx, input.idNumber);
  const clearId = input.idNumber === null || input.idNumber === '';
  const birthDate = input.birthDate ?? row.birth_date;
  if (input.birthDate) checkBirthDate(input.birthDate);
  const enrolledOn = input.enrolledOn === undefined ? row.enrolled_on : input.enrolledOn;
  if (enrolledOn && (input.enrolledOn || input.birthDate))
    checkDateAfterBirth(enrolledOn, birthDate, 'body/enrolledOn');
  checkRegion(input.hukouRegionCode);

  // Stage, grade and class settle together: a new class brings its grade; a new grade needs a matching class.
  const classId = input.classId === undefined ? row.class_id : input.classId;
  const cls = classId ? await loadClassFor(ctx, actor, classId, row.school_id) : null;
  const fromClass = input.classId ? cls : null;
  const { stage, grade } =
    input.stage !== undefined || input.grade !== undefined || fromClass
      ? resolveGrade(
          school,
          input.stage ?? (fromClass?.stage as StudentStage | undefined) ?? (row.stage as StudentStage),
          input.grade ?? fromClass?.grade ?? row.grade,
        )
      : { stage: row.stage as StudentStage, grade: row.grade };
  if (cls && (cls.stage !== stage || cls.grade !== grade)) throw classMismatch();

  const category =
    input.disabilityCategory === undefined ? row.disability_category : input.disabilityCategory;
  const flags = flagsOf(input.flags, category, row);
  if (input.studentNo) {
    const effectiveId =
      parsedId ??
      (clearId || !row.id_number_enc ? null : parseIdNumber(ctx, ctx.vault.decrypt(row.id_number_enc)));
    await checkStudentNo(ctx, input.studentNo, effectiveId, id);
  }
  const active = row.status === 'enrolled' || row.status === 'suspended';
  if (parsedId && active) await checkNotEnrolledElsewhere(ctx, parsedId.columns.id_number_hmac!, id);

  const patch: Updateable<StudentTable> = {
    ...(input.name !== undefined ? { name: input.name, name_initials: initialsOf(input.name) } : {}),
    ...(input.sex !== undefined ? { sex: input.sex } : {}),
    ...(input.birthDate !== undefined ? { birth_date: input.birthDate } : {}),
    ...(parsedId ? parsedId.columns : {}),
    ...(clearId ? { id_number_enc: null, id_number_hmac: null, id_birth_date: null, id_sex: null } : {}),
    ...(input.studentNo !== undefined ? { student_no: input.studentNo } : {}),
    ...(input.ethnicity !== undefined ? { ethnicity: input.ethnicity } : {}),
    ...(input.hukouRegionCode !== undefined ? { hukou_region_code: input.hukouRegionCode } : {}),
    ...(input.address !== undefined ? { address: input.address } : {}),
    ...(input.enrolledOn !== undefined ? { enrolled_on: input.enrolledOn } : {}),
    ...(input.disabilityCategory !== undefined ? { disability_category: input.disabilityCategory } : {}),
    stage,
    grade,
    class_id: classId,
    ...flags,
  };

  const before = await toDetail(ctx, actor, row);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.lockStudent(trx, id);
    await repo.updateStudentRow(trx, id, patch);
    if (input.guardians)
      await repo.replaceGuardians(
        trx,
        id,
        input.guardians.map((g) => ({ name: g.name, relation: g.relation, phone: g.phone ?? null })),
      );
    const afterRow = await repo.findStudentAfterWrite(trx, id);
    const after = await toDetail({ ...ctx, db: trx }, actor, afterRow);
    // Two numbers that differ only in the masked digits look the same masked: say that it changed.
    const idChanged =
      (parsedId && parsedId.columns.id_number_hmac !== row.id_number_hmac) ||
      (clearId && !!row.id_number_hmac);
    const d = diff(auditView(before), auditView(after), idChanged ? ['idNumberMasked'] : []);
    if (Object.keys(d.after).length === 0) return;
    await recordAudit(trx, origin, {
      action: 'student.update',
      objectType: 'student',
      objectId: id,
      unitId: row.school_id,
      ...d,
    });
  });
  return toDetail(ctx, actor, await repo.findStudentAfterWrite(ctx.db, id));
}

/** 休学 / 复学 / 毕业 / 死亡 / 转出（系统外）: a change of status with its date and reason, kept as history. */
export async function changeStatus(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: StudentStatusChange,
  origin: AuditOrigin,
): Promise<StudentDetail> {
  const row = await loadForWrite(ctx, actor, id);
  if (input.status === 'dropped_out')
    throw badRequest('STATUS_RESERVED_FOR_DROPOUT', {
      zh: '辍学状态由控辍保学模块登记，不能在学籍中直接设置',
      en: 'Dropping out is recorded by the dropout module, not set here',
    });
  checkDateAfterBirth(input.effectiveOn, row.birth_date, 'body/effectiveOn');
  if (input.status === 'enrolled' && row.status === 'transferred_out' && row.id_number_hmac)
    await checkNotEnrolledElsewhere(ctx, row.id_number_hmac, id);

  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockStudent(trx, id);
    const from = locked.status;
    if (from === input.status)
      throw conflict('STUDENT_STATUS_UNCHANGED', {
        zh: `学生已是“${studentStatusLabels[from].zh}”状态`,
        en: `The student is already ${studentStatusLabels[from].en.toLowerCase()}`,
      });
    if (!statusTransitions[from].includes(input.status))
      throw conflict('STUDENT_STATUS_TRANSITION', {
        zh: `不能从“${studentStatusLabels[from].zh}”改为“${studentStatusLabels[input.status].zh}”`,
        en: `A student cannot go from ${studentStatusLabels[from].en.toLowerCase()} to ${studentStatusLabels[input.status].en.toLowerCase()}`,
      });
    if (await repo.hasPendingTransfer(trx, id))
      throw conflict('STUDENT_TRANSFER_PENDING', {
        zh: '该学生有未办结的转学申请，请先撤销或办结',
        en: 'The student has an open transfer; cancel or settle it first',
      });
    await repo.updateStudentRow(trx, id, { status: input.status });
    const kind = eventKind(from, input.status);
    await repo.insertEvents(trx, [
      {
        id: randomUUID(),
        student_id: id,
        kind,
        status_from: from,
        status_to: input.status,
        effective_on: input.effectiveOn,
        reason: input.reason,
        school_id: row.school_id,
        transfer_id: null,
        actor_user_id: actor.userId,
      },
    ]);
    await recordAudit(trx, origin, {
      action: 'student.status',
      objectType: 'student',
      objectId: id,
      unitId: row.school_id,
      before: { status: from },
      after: { status: input.status, kind, effectiveOn: input.effectiveOn, reason: input.reason },
    });
  });
  return toDetail(ctx, actor, await repo.findStudentAfterWrite(ctx.db, id));
}

/** Shows a student's full ID number (and 学籍号) to an actor allowed to see it; every reveal is audited. */
/**
 * 辍学 / 复学 decided by the dropout module's case file (控辍保学), inside the caller's transaction: the one
 * place outside POST /students/:id/status where a student's status changes. enrolled|suspended →
 * dropped_out ('dropout' event), dropped_out → enrolled ('resume' event); audited as student.status.
 */
export async function recordDropoutStatus(
  trx: Transaction<DB>,
  origin: AuditOrigin,
  input: { studentId: string; to: 'dropped_out' | 'enrolled'; effectiveOn: string; reason: string },
): Promise<void> {
  const locked = await repo.lockStudent(trx, input.studentId);
  const from = locked.status;
  const allowed = input.to === 'dropped_out' ? ['enrolled', 'suspended'] : ['dropped_out'];
  if (!allowed.includes(from))
    throw conflict('STUDENT_STATUS_TRANSITION', {
      zh: `不能从“${studentStatusLabels[from].zh}”改为“${studentStatusLabels[input.to].zh}”`,
      en: `A student cannot go from ${studentStatusLabels[from].en.toLowerCase()} to ${studentStatusLabels[input.to].en.toLowerCase()}`,
    });
  await repo.updateStudentRow(trx, input.studentId, { status: input.to });
  const kind = input.to === 'dropped_out' ? 'dropout' : 'resume';
  await repo.insertEvents(trx, [
    {
      id: randomUUID(),
      student_id: input.studentId,
      kind,
      status_from: from,
      status_to: input.to,
      effective_on: input.effectiveOn,
      reason: input.reason,
      school_id: locked.school_id,
      transfer_id: null,
      actor_user_id: origin.actor?.userId ?? null,
    },
  ]);
  await recordAudit(trx, origin, {
    action: 'student.status',
    objectType: 'student',
    objectId: input.studentId,
    unitId: locked.school_id,
    before: { status: from },
    after: { status: input.to, kind, effectiveOn: input.effectiveOn, reason: input.reason },
  });
}

export async function revealIdNumber(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<StudentReveal> {
  const row = await repo.findStudent(ctx.db, actor, id);
  if (!row) throw notFound(STUDENT);
  if (!studentPolicy.canReveal(actor, row))
    throw forbidden({ zh: '没有查看完整身份证号的权限', en: 'You may not see full ID numbers' });
  const idNumber = row.id_number_enc ? ctx.vault.decrypt(row.id_number_enc) : null;
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, origin, {
      action: 'person.reveal',
      objectType: 'student',
      objectId: id,
      unitId: row.school_id,
      after: { field: 'id_number', masked: idNumber ? maskIdNumber(idNumber) : null },
    }),
  );
  return { idNumber, studentNo: row.student_no };
}

// ---------- classes ----------

/** Classes of a school in scope. */
export async function listClasses(
  ctx: AppContext,
  actor: Actor,
  schoolId: string,
  schoolYear: string | undefined,
): Promise<SchoolClass[]> {
  if (!(await repo.findSchool(ctx.db, actor, schoolId, 'student.read'))) throw notFound(SCHOOL);
  return (await repo.listClasses(ctx.db, actor, schoolId, schoolYear)).map(toClass);
}

/** Opens a class at a school for a school year. */
export async function createClass(
  ctx: AppContext,
  actor: Actor,
  input: ClassCreate,
  origin: AuditOrigin,
): Promise<SchoolClass> {
  const school = await repo.findSchool(ctx.db, actor, input.schoolId, 'student.read');
  if (!school) throw notFound(SCHOOL);
  if (!studentPolicy.canWrite(actor, { school_path: school.path })) throw forbidden();
  const { stage, grade } = resolveGrade(school, input.stage, input.grade);
  if (input.headTeacherUserId && !(await repo.worksAt(ctx.db, input.headTeacherUserId, school.id)))
    throw badRequest(
      'HEAD_TEACHER_NOT_AT_SCHOOL',
      { zh: '班主任须为本校的在职用户', en: 'The head teacher must be an active user of the school' },
      [{ path: 'body/headTeacherUserId', message: 'HEAD_TEACHER_NOT_AT_SCHOOL' }],
    );
  const key = { schoolId: school.id, schoolYear: input.schoolYear, stage, grade, name: input.name };
  if (await repo.classTaken(ctx.db, key))
    throw conflict('CLASS_EXISTS', {
      zh: `${input.schoolYear} 学年该年级已有 ${input.name}`,
      en: `Class ${input.name} of that grade already exists in ${input.schoolYear}`,
    });
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('school_class')
      .values({
        id,
        school_id: school.id,
        school_year: input.schoolYear,
        stage,
        grade,
        name: input.name,
        head_teacher_user_id: input.headTeacherUserId ?? null,
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'class.create',
      objectType: 'school_class',
      objectId: id,
      unitId: school.id,
      after: { ...key, headTeacherUserId: input.headTeacherUserId ?? null },
    });
  });
  return toClass(await repo.findClassAfterWrite(ctx.db, id));
}

/** A class in scope with its students (those in school first). */
export async function classRoster(ctx: AppContext, actor: Actor, id: string): Promise<ClassRoster> {
  const cls = await repo.findClass(ctx.db, actor, id);
  if (!cls) throw notFound(CLASS);
  const rows = await repo.rosterOf(ctx.db, id);
  return { class: toClass(cls), students: rows.map((r) => toSummary(ctx, r)) };
}
