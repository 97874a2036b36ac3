/**
 * The student registry (学籍): students, classes, status history, transfers between schools and the
 * consistency report. Enumerations are stored as English codes; their Chinese labels live here.
 */
import { z } from 'zod';

import {
  freeText,
  pageOf as pageOfItems,
  pageQuery as paging,
  phone as phoneNumber,
  plainName,
  uuid as id,
} from './common.ts';

const requiredText = (max: number) => freeText(max).pipe(z.string().min(1));
const isoDate = z.iso.date();
type Labels = Record<string, { zh: string; en: string }>;

// ---------- enumerations ----------

/** 学籍状态. 'dropped_out' (辍学) is set only by the dropout module. */
export const STUDENT_STATUSES = [
  'enrolled',
  'transferred_out',
  'suspended',
  'graduated',
  'deceased',
  'dropped_out',
] as const;
export type StudentStatus = (typeof STUDENT_STATUSES)[number];
export const studentStatusLabels = {
  enrolled: { zh: '在读', en: 'Enrolled' },
  transferred_out: { zh: '转出', en: 'Transferred out' },
  suspended: { zh: '休学', en: 'Suspended' },
  graduated: { zh: '毕业', en: 'Graduated' },
  deceased: { zh: '死亡', en: 'Deceased' },
  dropped_out: { zh: '辍学', en: 'Dropped out' },
} satisfies Labels;

/** What happened, for the history timeline (复学 and 转入 both lead back to 在读). */
export const STATUS_EVENT_KINDS = [
  'enrol',
  'suspend',
  'resume',
  'graduate',
  'decease',
  'transfer_out',
  'transfer_in',
  'dropout',
] as const;
export type StatusEventKind = (typeof STATUS_EVENT_KINDS)[number];
export const statusEventKindLabels = {
  enrol: { zh: '建立学籍', en: 'Enrolled' },
  suspend: { zh: '休学', en: 'Suspended' },
  resume: { zh: '复学', en: 'Resumed' },
  graduate: { zh: '毕业', en: 'Graduated' },
  decease: { zh: '死亡', en: 'Deceased' },
  transfer_out: { zh: '转出', en: 'Transferred out' },
  transfer_in: { zh: '转入', en: 'Transferred in' },
  dropout: { zh: '辍学', en: 'Dropped out' },
} satisfies Labels;

/** 学段 of a student (a school's stage may span several: 九年一贯制 = primary + junior). */
export const STUDENT_STAGES = [
  'kindergarten',
  'primary',
  'junior',
  'senior',
  'vocational',
  'special',
] as const;
export type StudentStage = (typeof STUDENT_STAGES)[number];
export const studentStageLabels = {
  kindergarten: { zh: '学前', en: 'Pre-school' },
  primary: { zh: '小学', en: 'Primary' },
  junior: { zh: '初中', en: 'Junior secondary' },
  senior: { zh: '普通高中', en: 'Senior secondary' },
  vocational: { zh: '中职', en: 'Vocational' },
  special: { zh: '特殊教育', en: 'Special education' },
} satisfies Labels;

export const SEXES = ['M', 'F'] as const;
export type Sex = (typeof SEXES)[number];
export const sexLabels = { M: { zh: '男', en: 'Male' }, F: { zh: '女', en: 'Female' } } satisfies Labels;

/**
 * Grades, numbered on one scale from 一年级 (1) to 高三 (12), so 七年级 (初一) is 7; pre-school classes are
 * 1–3 (小班, 中班, 大班) within their own stage. `normalAge` is the age on 31 August of the school year in
 * which a child who started school on time is in that grade (一年级: 6). The over-age check reports students
 * more than two years above it.
 */
export const GRADES: readonly {
  stage: StudentStage;
  grade: number;
  zh: string;
  en: string;
  normalAge: number;
}[] = [
  { stage: 'kindergarten', grade: 1, zh: '小班', en: 'Nursery 1', normalAge: 3 },
  { stage: 'kindergarten', grade: 2, zh: '中班', en: 'Nursery 2', normalAge: 4 },
  { stage: 'kindergarten', grade: 3, zh: '大班', en: 'Nursery 3', normalAge: 5 },
  ...['一', '二', '三', '四', '五', '六'].map((n, i) => ({
    stage: 'primary' as const,
    grade: i + 1,
    zh: `${n}年级`,
    en: `Grade ${i + 1}`,
    normalAge: 6 + i,
  })),
  ...['七', '八', '九'].map((n, i) => ({
    stage: 'junior' as const,
    grade: i + 7,
    zh: `${n}年级`,
    en: `Grade ${i + 7}`,
    normalAge: 12 + i,
  })),
  ...['一', '二', '三'].map((n, i) => ({
    stage: 'senior' as const,
    grade: i + 10,
    zh: `高${n}`,
    en: `Senior ${i + 1}`,
    normalAge: 15 + i,
  })),
  ...['一', '二', '三'].map((n, i) => ({
    stage: 'vocational' as const,
    grade: i + 10,
    zh: `中职${n}年级`,
    en: `Vocational ${i + 1}`,
    normalAge: 15 + i,
  })),
  // Special education follows the compulsory grades; children often start late, so no over-age check.
  ...['一', '二', '三', '四', '五', '六', '七', '八', '九'].map((n, i) => ({
    stage: 'special' as const,
    grade: i + 1,
    zh: `${n}年级`,
    en: `Grade ${i + 1}`,
    normalAge: 6 + i,
  })),
];

/** The row of GRADES for a stage and grade, if that grade exists in that stage. */
export function gradeInfo(stage: StudentStage, grade: number) {
  return GRADES.find((g) => g.stage === stage && g.grade === grade);
}

/** Flags of a student's circumstances, used by the dropout and aid work. */
export const STUDENT_FLAGS = ['poverty_household', 'left_behind', 'migrant', 'disabled', 'orphan'] as const;
export type StudentFlag = (typeof STUDENT_FLAGS)[number];
export const studentFlagLabels = {
  poverty_household: { zh: '脱贫户/低收入家庭', en: 'Poverty-alleviation / low-income household' },
  left_behind: { zh: '留守儿童', en: 'Left-behind child' },
  migrant: { zh: '随迁子女', en: 'Migrant child' },
  disabled: { zh: '残疾', en: 'Disability' },
  orphan: { zh: '孤儿', en: 'Orphan' },
} satisfies Labels;

export const DISABILITY_CATEGORIES = [
  'visual',
  'hearing',
  'speech',
  'physical',
  'intellectual',
  'mental',
  'multiple',
] as const;
export const disabilityCategoryLabels = {
  visual: { zh: '视力残疾', en: 'Visual' },
  hearing: { zh: '听力残疾', en: 'Hearing' },
  speech: { zh: '言语残疾', en: 'Speech' },
  physical: { zh: '肢体残疾', en: 'Physical' },
  intellectual: { zh: '智力残疾', en: 'Intellectual' },
  mental: { zh: '精神残疾', en: 'Mental' },
  multiple: { zh: '多重残疾', en: 'Multiple' },
} satisfies Labels;

export const GUARDIAN_RELATIONS = [
  'father',
  'mother',
  'paternal_grandparent',
  'maternal_grandparent',
  'sibling',
  'other_relative',
  'other',
] as const;
export const guardianRelationLabels = {
  father: { zh: '父亲', en: 'Father' },
  mother: { zh: '母亲', en: 'Mother' },
  paternal_grandparent: { zh: '祖父母', en: 'Paternal grandparent' },
  maternal_grandparent: { zh: '外祖父母', en: 'Maternal grandparent' },
  sibling: { zh: '兄弟姐妹', en: 'Sibling' },
  other_relative: { zh: '其他亲属', en: 'Other relative' },
  other: { zh: '其他', en: 'Other' },
} satisfies Labels;

/** 民族 (GB/T 3304), stored as the name registrars write. */
// prettier-ignore
export const ETHNICITIES = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族',
  '满族', '侗族', '瑶族', '白族', '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族',
  '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族', '景颇族', '柯尔克孜族', '土族',
  '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族',
  '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族', '其他', '外国血统中国籍人士',
] as const;

export const TRANSFER_STATUSES = ['pending', 'confirmed', 'rejected', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
export const transferStatusLabels = {
  pending: { zh: '待接收', en: 'Pending' },
  confirmed: { zh: '已转入', en: 'Confirmed' },
  rejected: { zh: '已退回', en: 'Rejected' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
} satisfies Labels;

export const STUDENT_CHECK_TYPES = [
  'id_birth_mismatch',
  'id_sex_mismatch',
  'duplicate_enrolment',
  'over_age',
] as const;
export type StudentCheckType = (typeof STUDENT_CHECK_TYPES)[number];
export const studentCheckLabels = {
  id_birth_mismatch: {
    zh: '身份证号出生日期与登记不一致',
    en: 'ID number birth date differs from the record',
  },
  id_sex_mismatch: { zh: '身份证号性别与登记不一致', en: 'ID number sex differs from the record' },
  duplicate_enrolment: { zh: '重复学籍（同一身份证号在多校在读）', en: 'Enrolled in more than one school' },
  over_age: { zh: '超龄（高于年级正常年龄2岁以上）', en: 'Over-age for the grade (by more than 2 years)' },
} satisfies Labels;

// ---------- pieces ----------

/** 全国学籍号: a letter and 18 characters (G + the ID number for students who have one). */
export const studentNo = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]\d{17}[\dX]$/, { message: 'STUDENT_NO' });
const schoolYear = z.string().regex(/^(19|20)\d{2}$/, { message: 'SCHOOL_YEAR' });
const grade = z.coerce.number().int().min(1).max(12);

export const SchoolRef = z.object({ id, name: z.string(), code: z.string() });
export type SchoolRef = z.infer<typeof SchoolRef>;

export const StudentFlags = z.object({
  povertyHousehold: z.boolean(),
  leftBehind: z.boolean(),
  migrant: z.boolean(),
  disabled: z.boolean(),
  orphan: z.boolean(),
});
export type StudentFlags = z.infer<typeof StudentFlags>;
const StudentFlagsInput = z.strictObject({
  povertyHousehold: z.boolean().optional(),
  leftBehind: z.boolean().optional(),
  migrant: z.boolean().optional(),
  disabled: z.boolean().optional(),
  orphan: z.boolean().optional(),
});

export const Guardian = z.object({
  name: z.string(),
  relation: z.enum(GUARDIAN_RELATIONS),
  phone: z.string().nullable(),
});
export type Guardian = z.infer<typeof Guardian>;
export const GuardianInput = z.strictObject({
  name: plainName(32),
  relation: z.enum(GUARDIAN_RELATIONS),
  phone: phoneNumber.nullable().optional(),
});

// ---------- students ----------

/** A student in lists and rosters. The ID number is masked; so is a 学籍号 that embeds it. */
export const StudentSummary = z.object({
  id,
  name: z.string(),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  idNumberMasked: z.string().nullable(),
  studentNo: z.string().nullable(),
  school: SchoolRef,
  classId: id.nullable(),
  className: z.string().nullable(),
  stage: z.enum(STUDENT_STAGES),
  grade: z.number().int(),
  status: z.enum(STUDENT_STATUSES),
  flags: StudentFlags,
  disabilityCategory: z.enum(DISABILITY_CATEGORIES).nullable(),
});
export type StudentSummary = z.infer<typeof StudentSummary>;

export const StudentStatusEvent = z.object({
  id,
  kind: z.enum(STATUS_EVENT_KINDS),
  statusFrom: z.enum(STUDENT_STATUSES).nullable(),
  statusTo: z.enum(STUDENT_STATUSES),
  effectiveOn: z.string(),
  reason: z.string().nullable(),
  /** Where it happened: for a transfer, each side has its own event. */
  school: SchoolRef,
  transferId: id.nullable(),
  actorName: z.string().nullable(),
  createdAt: z.string(),
});
export type StudentStatusEvent = z.infer<typeof StudentStatusEvent>;

export const Transfer = z.object({
  id,
  status: z.enum(TRANSFER_STATUSES),
  reason: z.string(),
  student: z.object({
    id,
    name: z.string(),
    sex: z.enum(SEXES),
    birthDate: z.string(),
    idNumberMasked: z.string().nullable(),
    studentNo: z.string().nullable(),
    stage: z.enum(STUDENT_STAGES),
    grade: z.number().int(),
  }),
  /** The other side may be in another county: only its id, name and code are shown. */
  fromSchool: SchoolRef,
  toSchool: SchoolRef,
  requestedBy: z.string().nullable(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  /** What the caller may do with it now. */
  actions: z.object({ confirm: z.boolean(), reject: z.boolean(), cancel: z.boolean() }),
});
export type Transfer = z.infer<typeof Transfer>;

export const StudentDetail = StudentSummary.extend({
  ethnicity: z.string().nullable(),
  hukouRegionCode: z.string().nullable(),
  hukouRegionName: z.string().nullable(),
  address: z.string().nullable(),
  enrolledOn: z.string().nullable(),
  guardians: z.array(Guardian),
  /** Oldest first. */
  history: z.array(StudentStatusEvent),
  /** Newest first. */
  transfers: z.array(Transfer),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StudentDetail = z.infer<typeof StudentDetail>;

export const StudentCreate = z.strictObject({
  schoolId: id,
  name: plainName(32),
  /** Taken from the ID number when omitted. */
  sex: z.enum(SEXES).optional(),
  /** Taken from the ID number when omitted. */
  birthDate: isoDate.optional(),
  idNumber: z.string().trim().max(32).optional(),
  studentNo: studentNo.optional(),
  ethnicity: z.enum(ETHNICITIES).optional(),
  /** 户籍所在地: a division code (6 digits). */
  hukouRegionCode: z
    .string()
    .regex(/^\d{6}$/, { message: 'REGION_CODE' })
    .optional(),
  address: freeText(200).optional(),
  /** Taken from the class, or from the grade and the school's stage, when omitted. */
  stage: z.enum(STUDENT_STAGES).optional(),
  /** Taken from the class when omitted. */
  grade: z.number().int().min(1).max(12).optional(),
  classId: id.optional(),
  enrolledOn: isoDate.optional(),
  flags: StudentFlagsInput.optional(),
  disabilityCategory: z.enum(DISABILITY_CATEGORIES).optional(),
  guardians: z.array(GuardianInput).max(4).optional(),
});
export type StudentCreate = z.infer<typeof StudentCreate>;

/** A correction: only the fields given change; `null` clears an optional field; guardians are replaced. */
export const StudentUpdate = z
  .strictObject({
    name: plainName(32).optional(),
    sex: z.enum(SEXES).optional(),
    birthDate: isoDate.optional(),
    idNumber: z.string().trim().max(32).nullable().optional(),
    studentNo: studentNo.nullable().optional(),
    ethnicity: z.enum(ETHNICITIES).nullable().optional(),
    hukouRegionCode: z
      .string()
      .regex(/^\d{6}$/, { message: 'REGION_CODE' })
      .nullable()
      .optional(),
    address: freeText(200).nullable().optional(),
    stage: z.enum(STUDENT_STAGES).optional(),
    grade: z.number().int().min(1).max(12).optional(),
    classId: id.nullable().optional(),
    enrolledOn: isoDate.nullable().optional(),
    flags: StudentFlagsInput.optional(),
    disabilityCategory: z.enum(DISABILITY_CATEGORIES).nullable().optional(),
    guardians: z.array(GuardianInput).max(4).optional(),
  })
  .refine((o) => Object.keys(o).length > 0, { message: 'EMPTY_UPDATE' });
export type StudentUpdate = z.infer<typeof StudentUpdate>;

export const StudentListQuery = z.strictObject({
  /**
   * The beginning of a name or a part of it (from its second or third character: 小明 finds 张小明), the
   * beginning of its pinyin initials, a 学籍号 (or its beginning) or a full ID number.
   */
  q: z.string().trim().max(64).optional(),
  schoolId: id.optional(),
  /** Students of the schools in this unit's subtree (a school: that school). */
  under: id.optional(),
  stage: z.enum(STUDENT_STAGES).optional(),
  grade: grade.optional(),
  classId: id.optional(),
  status: z.enum(STUDENT_STATUSES).optional(),
  /** Comma-separated flags that must all hold, e.g. `left_behind,poverty_household`. */
  flags: z
    .string()
    .regex(new RegExp(`^(${STUDENT_FLAGS.join('|')})(,(${STUDENT_FLAGS.join('|')}))*$`), {
      message: 'STUDENT_FLAGS',
    })
    .optional(),
  ...paging,
});
export type StudentListQuery = z.infer<typeof StudentListQuery>;
/**
 * A search (`q`) looks at its first SEARCH_MATCH_CAP matches only: a broad one (two letters of initials, the
 * first digits of a 学籍号) county- or city-wide would otherwise count and sort a hundred thousand rows for
 * one page. `capped` says there were more; the user narrows the search.
 */
export const SEARCH_MATCH_CAP = 1000;
export const StudentPage = pageOfItems(StudentSummary).extend({ capped: z.boolean().optional() });
export type StudentPage = z.infer<typeof StudentPage>;

export const STUDENT_EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type StudentExportFormat = (typeof STUDENT_EXPORT_FORMATS)[number];

/**
 * GET /api/students/export: every student the list would show with the same filters (all pages), as the
 * official roster template. ID numbers, 学籍号 that embed them and guardians' phones are masked unless
 * `reveal=true` and the caller holds the reveal permission over every exported school (403 otherwise).
 */
export const StudentExportQuery = StudentListQuery.omit({ page: true, pageSize: true }).extend({
  format: z.enum(STUDENT_EXPORT_FORMATS).default('xlsx'),
  /** `true` / `false` (also 1/0, yes/no). */
  reveal: z.stringbool().default(false),
});
export type StudentExportQuery = z.infer<typeof StudentExportQuery>;

/** 休学 / 复学 / 毕业 / 死亡 / 转出（系统外）. 辍学 belongs to the dropout module and is refused here. */
export const StudentStatusChange = z.strictObject({
  status: z.enum(STUDENT_STATUSES),
  effectiveOn: isoDate,
  reason: requiredText(200),
});
export type StudentStatusChange = z.infer<typeof StudentStatusChange>;

export const StudentReveal = z.object({ idNumber: z.string().nullable(), studentNo: z.string().nullable() });
export type StudentReveal = z.infer<typeof StudentReveal>;

// ---------- classes ----------

export const SchoolClass = z.object({
  id,
  school: SchoolRef,
  schoolYear: z.string(),
  stage: z.enum(STUDENT_STAGES),
  grade: z.number().int(),
  name: z.string(),
  headTeacher: z.object({ id, name: z.string() }).nullable(),
  /** Students of the class now in school (在读). */
  studentCount: z.number().int(),
});
export type SchoolClass = z.infer<typeof SchoolClass>;

export const ClassCreate = z.strictObject({
  schoolId: id,
  schoolYear,
  /** Taken from the grade and the school's stage when omitted. */
  stage: z.enum(STUDENT_STAGES).optional(),
  grade: z.number().int().min(1).max(12),
  name: plainName(16),
  headTeacherUserId: id.optional(),
});
export type ClassCreate = z.infer<typeof ClassCreate>;

export const ClassListQuery = z.strictObject({ schoolId: id, schoolYear: schoolYear.optional() });
export type ClassListQuery = z.infer<typeof ClassListQuery>;

export const ClassRoster = z.object({ class: SchoolClass, students: z.array(StudentSummary) });
export type ClassRoster = z.infer<typeof ClassRoster>;

// ---------- transfers ----------

/** The leaving school asks; the receiving school is named by id (in one's own area) or by 学校标识码. */
export const TransferCreate = z
  .strictObject({
    studentId: id,
    toSchoolId: id.optional(),
    toSchoolCode: z
      .string()
      .trim()
      .regex(/^\d{10}$/, { message: 'SCHOOL_CODE' })
      .optional(),
    reason: requiredText(200),
  })
  .refine((o) => (o.toSchoolId === undefined) !== (o.toSchoolCode === undefined), {
    message: 'ONE_SCHOOL',
    path: ['toSchoolId'],
  });
export type TransferCreate = z.infer<typeof TransferCreate>;

/** The body may be left out. */
export const TransferConfirm = z.strictObject({ reason: freeText(200).optional() }).nullish();
export const TransferReject = z.strictObject({ reason: requiredText(200) });
/** The body may be left out. */
export const TransferCancel = z.strictObject({ reason: freeText(200).optional() }).nullish();

export const TransferListQuery = z.strictObject({
  /** out: leaving one of my schools; in: coming to one of them. Both when omitted. */
  direction: z.enum(['in', 'out']).optional(),
  status: z.enum(TRANSFER_STATUSES).optional(),
  /** Transfers from or to this school. */
  schoolId: id.optional(),
  ...paging,
});
export type TransferListQuery = z.infer<typeof TransferListQuery>;
export const TransferPage = pageOfItems(Transfer);
export type TransferPage = z.infer<typeof TransferPage>;

// ---------- consistency report ----------

export const StudentCheckQuery = z.strictObject({
  under: id.optional(),
  type: z.enum(STUDENT_CHECK_TYPES).optional(),
  /** The school year the over-age check measures against (ages on 31 August); the current one by default. */
  schoolYear: schoolYear.optional(),
  ...paging,
});
export type StudentCheckQuery = z.infer<typeof StudentCheckQuery>;

export const StudentCheckRow = z.object({
  type: z.enum(STUDENT_CHECK_TYPES),
  student: z.object({
    id,
    name: z.string(),
    sex: z.enum(SEXES),
    birthDate: z.string(),
    idNumberMasked: z.string().nullable(),
    stage: z.enum(STUDENT_STAGES),
    grade: z.number().int(),
    status: z.enum(STUDENT_STATUSES),
  }),
  school: SchoolRef,
  /**
   * id_birth_mismatch: the birth date in the ID number (shown only to holders of the reveal permission: it is
   * the masked part); id_sex_mismatch: the sex in the ID number.
   */
  expected: z.string().nullable(),
  /** duplicate_enrolment: the other schools where the same ID number is enrolled (name and code only). */
  otherSchools: z.array(z.object({ name: z.string(), code: z.string() })),
  /** over_age: the age on 31 August of the school year, and the grade's normal age. */
  age: z.number().int().nullable(),
  normalAge: z.number().int().nullable(),
});
export type StudentCheckRow = z.infer<typeof StudentCheckRow>;

export const StudentCheckPage = pageOfItems(StudentCheckRow).extend({
  /** Rows of each type within the area (whatever `type` filters). */
  counts: z.object({
    id_birth_mismatch: z.number().int(),
    id_sex_mismatch: z.number().int(),
    duplicate_enrolment: z.number().int(),
    over_age: z.number().int(),
  }),
  schoolYear: z.string(),
});
export type StudentCheckPage = z.infer<typeof StudentCheckPage>;
