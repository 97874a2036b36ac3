// The student import: the registry's kind of the shared import engine. A row becomes a staged student;
// the check decides set-based whether it inserts, updates, changes nothing or is refused; the merge writes
// the registry in the commit's transaction. A student is never deleted or moved to another school by an
// import (a move is a transfer), and never gets a status other than 在读 from one.
//
// Matching, in this order: the 学籍号; else the ID number among the school's students in 在读/休学; else,
// for rows with neither, name + birth date + sex among the school's students that have neither.
import {
  DISABILITY_CATEGORIES,
  disabilityCategoryLabels,
  ETHNICITIES,
  GRADES,
  GUARDIAN_RELATIONS,
  guardianRelationLabels,
  gradeInfo,
  type SchoolStage,
  STUDENT_STAGES,
  studentStageLabels,
  type StudentStage,
} from '@dudao/contracts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { BulkValue } from '../../platform/db/bulk.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import type { Message } from '../../platform/errors.js';
import {
  registerImportKind,
  type ImportFieldSpec,
  type ImportJobInfo,
  type MergeCounts,
  type Rejection,
  type RowError,
} from '../../platform/imports/kinds.js';
import {
  isBlank,
  parseDate,
  parseEnum,
  parseIdNumber,
  parsePhone,
  parseSex,
  parseYesNo,
  type EnumSpec,
} from '../../platform/imports/values.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { allDivisions, divisionPath, findDivision } from '../../platform/regions/divisions.js';
import { initialsOf } from './initials.js';
import { chinaToday, currentSchoolYear } from './students.mapping.js';
import { schoolStudentStages } from './students.policy.js';
import { STUDENT_TEMPLATE_COLUMNS, type StudentTemplateKey } from './students.columns.js';

type Key = Exclude<StudentTemplateKey, 'status'>;

// The names people give each column besides the template's own.
const SYNONYMS: Partial<Record<Key, readonly string[]>> = {
  name: ['学生姓名', '姓名(学生)'],
  sex: ['学生性别'],
  birthDate: ['出生年月日', '出生年月', '生日', '出生时间'],
  ethnicity: ['民族名称'],
  idNumber: [
    '身份证件号',
    '身份证件号码',
    '公民身份号码',
    '证件号码',
    '身份证号码',
    '身份证',
    '身份证件号(必填)',
  ],
  studentNo: ['全国学籍号', '全国学籍号码', '学籍号码', '学籍编号', '学籍辅号'],
  schoolCode: ['学校代码', '学校识别码', '学校标识'],
  schoolName: ['学校', '所在学校', '就读学校'],
  stage: ['学段名称'],
  grade: ['所在年级', '年级名称', '就读年级'],
  className: ['班级名称', '所在班级', '班号', '班别'],
  enrolledOn: ['入学年月', '入学时间', '入校日期'],
  hukouRegion: ['户口所在地', '户籍地', '户籍所在地代码', '户籍地址', '户口所在地区划'],
  address: ['家庭住址', '现居住地址', '居住地址', '家庭地址', '现住址(详细)'],
  povertyHousehold: [
    '是否脱贫户',
    '脱贫户',
    '建档立卡',
    '是否建档立卡',
    '低收入家庭',
    '脱贫家庭学生',
    '是否脱贫家庭',
  ],
  leftBehind: ['是否留守儿童', '留守'],
  migrant: ['是否随迁子女', '进城务工人员随迁子女', '随迁'],
  disabled: ['是否残疾', '残疾人', '是否残疾人'],
  disabilityCategory: ['残疾类型', '残疾种类'],
  orphan: ['是否孤儿'],
  guardian1Name: ['监护人姓名', '家长姓名', '第一监护人姓名', '监护人一姓名'],
  guardian1Relation: ['监护人关系', '与学生关系', '第一监护人关系', '监护人一关系', '监护人1与学生关系'],
  guardian1Phone: [
    '监护人电话',
    '联系电话',
    '家长电话',
    '监护人手机号',
    '监护人1手机号',
    '监护人1联系电话',
    '第一监护人电话',
  ],
  guardian2Name: ['第二监护人姓名', '监护人二姓名'],
  guardian2Relation: ['第二监护人关系', '监护人二关系', '监护人2与学生关系'],
  guardian2Phone: ['第二监护人电话', '监护人二电话', '监护人2手机号', '监护人2联系电话'],
};

const HINTS: Partial<Record<Key, string>> = {
  name: '必填',
  sex: '男/女；填写身份证号时可不填',
  birthDate: '如 2015-09-01、2015/9/1、20150901；填写身份证号时可不填',
  idNumber: '18 位，列设为“文本”格式，以免 Excel 变为科学计数法',
  studentNo: 'G 或 L 开头的 19 位全国学籍号',
  schoolCode: '10 位学校标识码；导入到教育局时必填',
  grade: '必填，如 一年级、七年级、初一、高一、小班',
  className: '如 1班',
  hukouRegion: '行政区划代码或全称，如 220302 或 吉林省四平市铁西区',
  povertyHousehold: '是/否',
  disabilityCategory: '视力/听力/言语/肢体/智力/精神/多重残疾',
  guardian1Relation: '父亲/母亲/祖父母/外祖父母/兄弟姐妹/其他亲属/其他',
};

const REQUIRED_COLUMNS: readonly Key[] = ['name', 'grade'];

export const STUDENT_IMPORT_FIELDS: readonly ImportFieldSpec<Key>[] = STUDENT_TEMPLATE_COLUMNS.filter(
  (c): c is Extract<(typeof STUDENT_TEMPLATE_COLUMNS)[number], { key: Key }> => c.key !== 'status',
).map((c) => ({
  key: c.key,
  label: c.label,
  synonyms: SYNONYMS[c.key] ?? [],
  required: REQUIRED_COLUMNS.includes(c.key),
  ...(HINTS[c.key] ? { hint: HINTS[c.key] } : {}),
}));

const STAGING_COLUMNS = [
  'school_id',
  'county_code',
  'student_no',
  'id_number_enc',
  'id_number_hmac',
  'id_birth_date',
  'id_sex',
  'name',
  'name_initials',
  'sex',
  'birth_date',
  'ethnicity',
  'hukou_region_code',
  'address',
  'stage',
  'grade',
  'class_name',
  'enrolled_on',
  'poverty_household',
  'left_behind',
  'migrant',
  'disabled',
  'disability_category',
  'orphan',
  'guardians',
  'new_id',
] as const;

// ---------- cell parsers specific to students ----------

const normal = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').trim();

const STAGE_SPEC: EnumSpec<StudentStage> = {
  name: { zh: '学段', en: 'stage' },
  options: STUDENT_STAGES.map((s) => ({
    value: s,
    synonyms: [
      studentStageLabels[s].zh,
      s,
      ...({
        kindergarten: ['幼儿园', '学前教育'],
        primary: ['小学阶段'],
        junior: ['初级中学'],
        senior: ['高中'],
        vocational: ['中等职业教育'],
        special: ['特教'],
      }[s] ?? []),
    ],
  })),
};

const RELATION_SPEC: EnumSpec<string> = {
  name: { zh: '监护人关系', en: 'guardian relation' },
  options: GUARDIAN_RELATIONS.map((r) => ({
    value: r,
    synonyms: [
      guardianRelationLabels[r].zh,
      ...({
        father: ['父', '爸爸', '父子', '父女'],
        mother: ['母', '妈妈', '母子', '母女'],
        paternal_grandparent: ['祖父', '祖母', '爷爷', '奶奶'],
        maternal_grandparent: ['外祖父', '外祖母', '外公', '外婆', '姥爷', '姥姥'],
        sibling: ['哥哥', '姐姐', '兄', '姐', '兄弟', '姐妹'],
        other_relative: ['叔叔', '伯伯', '姑姑', '舅舅', '阿姨', '姨', '亲属'],
        other: ['其它'],
      }[r] ?? []),
    ],
  })),
};

const DISABILITY_SPEC: EnumSpec<string> = {
  name: { zh: '残疾类别', en: 'disability category' },
  options: DISABILITY_CATEGORIES.map((c) => ({
    value: c,
    synonyms: [disabilityCategoryLabels[c].zh, disabilityCategoryLabels[c].zh.replace('残疾', ''), c],
  })),
};

const ETHNICITY_INDEX = new Map<string, string>();
for (const e of ETHNICITIES) {
  ETHNICITY_INDEX.set(e, e);
  if (e.endsWith('族')) ETHNICITY_INDEX.set(e.slice(0, -1), e);
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** The (stage, grade) pairs a grade cell can mean, best first. */
function gradeCandidates(text: string): { stage?: StudentStage; grade: number }[] {
  const t = normal(text).replace(/^(小学|初中|高中|中职)(?=.)/, (p) => `${p}|`);
  const [prefix, rest] = t.includes('|') ? (t.split('|') as [string, string]) : ['', t];
  const out: { stage?: StudentStage; grade: number }[] = [];
  for (const g of GRADES)
    if (g.zh === rest && (!prefix || studentStageLabels[g.stage].zh.startsWith(prefix.slice(0, 2))))
      out.push(g);
  let m: RegExpExecArray | null;
  if ((m = /^初([一二三123])$/.exec(rest)))
    out.push({ stage: 'junior', grade: 6 + (CN_DIGITS[m[1]!] ?? Number(m[1])) });
  if ((m = /^高([一二三123])$/.exec(rest)))
    out.push({ stage: 'senior', grade: 9 + (CN_DIGITS[m[1]!] ?? Number(m[1])) });
  if ((m = /^([1-9]|1[0-2]|[一二三四五六七八九])(年级)?$/.exec(rest))) {
    const n = CN_DIGITS[m[1]!] ?? Number(m[1]);
    // 初中一年级 is 七年级, 高中一年级 is 高一.
    if (prefix === '初中' && n <= 3) out.push({ stage: 'junior', grade: n + 6 });
    else if (prefix === '高中' && n <= 3) out.push({ stage: 'senior', grade: n + 9 });
    else if (prefix === '中职' && n <= 3) out.push({ stage: 'vocational', grade: n + 9 });
    else out.push({ grade: n });
  }
  return out;
}

const GRADE_ERROR: Message = {
  zh: '年级无法识别，请填写如 一年级、七年级、初一、高一、小班',
  en: 'Unrecognised grade; write it like 一年级, 七年级, 初一, 高一 or 小班',
};

let divisionNames: Map<string, string> | null = null;
function divisionByName(name: string): string | undefined {
  if (!divisionNames) {
    divisionNames = new Map();
    const ambiguous = new Set<string>();
    for (const d of allDivisions()) {
      if (d.level !== 'county' && d.level !== 'town') continue;
      const path = divisionPath(d.code).map((p) => p.name);
      // 吉林省四平市铁西区, and without the province: 四平市铁西区.
      for (const key of [path.join(''), path.slice(1).join('')]) {
        if (divisionNames.has(key) && divisionNames.get(key) !== d.code) ambiguous.add(key);
        else divisionNames.set(key, d.code);
      }
    }
    for (const k of ambiguous) divisionNames.delete(k);
  }
  return divisionNames.get(name);
}

function parseRegion(text: string): { ok: true; value: string } | { ok: false; message: Message } {
  const t = normal(text);
  const code = /^(\d{9}|\d{6})(?!\d)/.exec(t)?.[1];
  if (code && findDivision(code)) return { ok: true, value: code };
  const byName = code ? undefined : divisionByName(t);
  if (byName) return { ok: true, value: byName };
  return {
    ok: false,
    message: {
      zh: `户籍所在地“${text.trim()}”不是有效的行政区划代码或全称（如 220302 或 吉林省四平市铁西区）`,
      en: `“${text.trim()}” is not a known division code or full name (e.g. 220302 or 吉林省四平市铁西区)`,
    },
  };
}

const NAME = /^[\p{L}][\p{L}\p{M} ·•]{0,31}$/u;

// ---------- the row parser ----------

interface School {
  id: string;
  code: string;
  stage: string | null;
  county_code: string;
}

async function schoolsUnder(ctx: AppContext, job: ImportJobInfo): Promise<School[]> {
  const rows = await ctx.db
    .selectFrom('unit')
    .select(['id', 'code', 'stage', 'region_code', 'path'])
    .select(
      sql<
        string | null
      >`(select c.region_code from unit c where c.kind = 'county_bureau' and unit.path like c.path || '%' limit 1)`.as(
        'county_region',
      ),
    )
    .where('kind', '=', 'school')
    .where('status', '=', 'active')
    .where('path', 'like', `${job.unit.path}%`)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    stage: r.stage,
    county_code: (r.county_region ?? r.region_code).slice(0, 6),
  }));
}

function stagesAt(stage: string | null): readonly StudentStage[] {
  return stage ? (schoolStudentStages[stage as SchoolStage] ?? []) : STUDENT_STAGES;
}

async function prepare(ctx: AppContext, job: ImportJobInfo, columns: Partial<Record<Key, number>>) {
  const schools = await schoolsUnder(ctx, job);
  const byCode = new Map(schools.map((s) => [s.code, s]));
  const only = job.unit.kind === 'school' ? schools.find((s) => s.id === job.unit.id) : undefined;
  const today = chinaToday();
  const initials = new Map<string, string>();
  const col = (k: Key) => columns[k];
  const vault = ctx.vault;
  const hasGuardians = [1, 2].some((n) => col(`guardian${n}Name` as Key) !== undefined);

  return (cells: readonly string[]): { values: BulkValue[] } | { errors: RowError[] } => {
    const errors: RowError[] = [];
    const cell = (k: Key): string => {
      const c = col(k);
      return c === undefined ? '' : (cells[c] ?? '');
    };
    const err = (column: Key, code: string, message: Message) => errors.push({ column, code, message });

    // School: the job's school, or the row's 学校标识码 among the schools under the job's bureau.
    let school: School | undefined = only;
    const codeText = normal(cell('schoolCode'));
    if (codeText) {
      const s = byCode.get(codeText);
      if (!s)
        err('schoolCode', 'IMPORT_SCHOOL_OUT_OF_SCOPE', {
          zh: `学校标识码 ${codeText} 不是本次导入范围内的在用学校`,
          en: `School code ${codeText} is not an active school within this import`,
        });
      else if (only && s.id !== only.id)
        err('schoolCode', 'IMPORT_SCHOOL_MISMATCH', {
          zh: `学校标识码 ${codeText} 不是本校`,
          en: `School code ${codeText} is not this school`,
        });
      else school = s;
    } else if (!only) {
      err('schoolCode', 'IMPORT_SCHOOL_REQUIRED', {
        zh: '导入到教育局时每行须填写学校标识码',
        en: 'A school code is required on every row when importing for a bureau',
      });
    }

    const nameText = cell('name').normalize('NFKC').replace(/\s+/g, ' ').trim();
    if (!nameText) err('name', 'REQUIRED', { zh: '姓名不能为空', en: 'The name is required' });
    else if (!NAME.test(nameText))
      err('name', 'IMPORT_NAME', {
        zh: '姓名只能包含文字（不超过 32 个字）',
        en: 'A name is letters only, up to 32',
      });

    let idValue: { normalized: string; birthDate: string; sex: 'M' | 'F' } | null = null;
    const idText = cell('idNumber');
    if (!isBlank(idText)) {
      const r = parseIdNumber(idText);
      if (r.ok) idValue = r.value;
      else err('idNumber', r.code, r.message);
    }

    let sex: 'M' | 'F' | undefined = idValue?.sex;
    const sexText = cell('sex');
    if (!isBlank(sexText)) {
      const r = parseSex(sexText);
      if (r.ok) sex = r.value;
      else err('sex', r.code, r.message);
    } else if (!idValue && !idText.trim()) {
      err('sex', 'REQUIRED', {
        zh: '没有身份证号时须填写性别',
        en: 'Without an ID number the sex is required',
      });
    }

    let birthDate: string | undefined = idValue?.birthDate;
    const birthText = cell('birthDate');
    if (!isBlank(birthText)) {
      const r = parseDate(birthText, { min: '1950-01-01', max: today });
      if (r.ok) birthDate = r.value;
      else err('birthDate', r.code, r.message);
    } else if (!idValue && !idText.trim()) {
      err('birthDate', 'REQUIRED', {
        zh: '没有身份证号时须填写出生日期',
        en: 'Without an ID number the birth date is required',
      });
    }

    let studentNo: string | null = null;
    const noText = normal(cell('studentNo')).toUpperCase();
    if (noText) {
      if (!/^[A-Z]\d{17}[\dX]$/.test(noText))
        err('studentNo', 'STUDENT_NO', {
          zh: '学籍号应为 1 个字母加 18 位数字（末位可为 X）',
          en: 'A student number is a letter and 18 digits (the last may be X)',
        });
      else if (idValue && noText.startsWith('G') && noText.slice(1) !== idValue.normalized)
        err('studentNo', 'STUDENT_NO_ID_MISMATCH', {
          zh: 'G 字头学籍号应为 G 加身份证号',
          en: 'A G student number is G followed by the ID number',
        });
      else studentNo = noText;
    }

    // Stage and grade, among the stages the school teaches.
    let stage: StudentStage | undefined;
    let grade: number | undefined;
    const stageText = cell('stage');
    let stageHint: StudentStage | undefined;
    if (!isBlank(stageText)) {
      const r = parseEnum(stageText, STAGE_SPEC);
      if (r.ok) stageHint = r.value;
      else err('stage', r.code, r.message);
    }
    const gradeText = cell('grade');
    if (isBlank(gradeText)) err('grade', 'REQUIRED', { zh: '年级不能为空', en: 'The grade is required' });
    else if (school) {
      const allowed = stagesAt(school.stage);
      const candidates = gradeCandidates(gradeText);
      for (const c of candidates) {
        const stages = c.stage ? [c.stage] : allowed;
        const fit = stages.find(
          (s) => allowed.includes(s) && (!stageHint || s === stageHint) && gradeInfo(s, c.grade),
        );
        if (fit) {
          stage = fit;
          grade = c.grade;
          break;
        }
      }
      if (stage === undefined)
        err(
          'grade',
          candidates.length === 0 ? 'IMPORT_GRADE' : 'STUDENT_STAGE_NOT_AT_SCHOOL',
          candidates.length === 0
            ? GRADE_ERROR
            : { zh: `该学校不设“${gradeText.trim()}”`, en: `The school has no “${gradeText.trim()}”` },
        );
    }

    const className = normal(cell('className')).slice(0, 32) || null;

    let ethnicity: string | null = null;
    const ethText = normal(cell('ethnicity'));
    if (ethText) {
      ethnicity = ETHNICITY_INDEX.get(ethText) ?? null;
      if (!ethnicity)
        err('ethnicity', 'ENUM_VALUE', {
          zh: `“${ethText}”不是有效的民族名称`,
          en: `“${ethText}” is not an ethnic group`,
        });
    }

    let hukou: string | null = null;
    const hukouText = cell('hukouRegion');
    if (!isBlank(hukouText)) {
      const r = parseRegion(hukouText);
      if (r.ok) hukou = r.value;
      else err('hukouRegion', 'STUDENT_REGION_UNKNOWN', r.message);
    }

    const address = cell('address').normalize('NFKC').replace(/\s+/g, ' ').trim().slice(0, 200) || null;
    // eslint-disable-next-line no-control-regex
    if (address && /[<>\u0000-\u001f]/.test(address))
      err('address', 'FREE_TEXT', {
        zh: '地址不能包含尖括号或控制字符',
        en: 'No angle brackets or control characters',
      });

    let enrolledOn: string | null = null;
    const enrolText = cell('enrolledOn');
    if (!isBlank(enrolText)) {
      const r = parseDate(enrolText, { min: birthDate ?? '1950-01-01', max: today });
      if (r.ok) enrolledOn = r.value;
      else err('enrolledOn', r.code, r.message);
    }

    const flag = (k: Key): boolean | null => {
      const t = cell(k);
      if (isBlank(t)) return null;
      const r = parseYesNo(t);
      if (r.ok) return r.value;
      err(k, r.code, r.message);
      return null;
    };
    const poverty = flag('povertyHousehold');
    const leftBehind = flag('leftBehind');
    const migrant = flag('migrant');
    let disabled = flag('disabled');
    const orphan = flag('orphan');
    let category: string | null = null;
    const catText = cell('disabilityCategory');
    if (!isBlank(catText)) {
      const r = parseEnum(catText, DISABILITY_SPEC);
      if (r.ok) category = r.value;
      else err('disabilityCategory', r.code, r.message);
      if (disabled === false)
        err('disabilityCategory', 'STUDENT_DISABILITY', {
          zh: '填写残疾类别时“残疾”应为“是”',
          en: 'A disability category needs 残疾 = 是',
        });
      disabled ??= true;
    }

    let guardians: { name: string; relation: string; phone: string | null }[] | null = null;
    if (hasGuardians) {
      guardians = [];
      for (const n of [1, 2] as const) {
        const gName = cell(`guardian${n}Name` as Key)
          .normalize('NFKC')
          .trim();
        const gRel = cell(`guardian${n}Relation` as Key);
        const gPhone = cell(`guardian${n}Phone` as Key);
        if (!gName) {
          if (!isBlank(gPhone) || !isBlank(gRel))
            err(`guardian${n}Name` as Key, 'REQUIRED', {
              zh: `填写了监护人${n}的电话或关系，但没有姓名`,
              en: `Guardian ${n} has a phone or relation but no name`,
            });
          continue;
        }
        if (!NAME.test(gName))
          err(`guardian${n}Name` as Key, 'IMPORT_NAME', {
            zh: '监护人姓名只能包含文字',
            en: 'A guardian name is letters only',
          });
        let relation = 'other';
        if (!isBlank(gRel)) {
          const r = parseEnum(gRel, RELATION_SPEC);
          if (r.ok) relation = r.value;
          else err(`guardian${n}Relation` as Key, r.code, r.message);
        }
        let phone: string | null = null;
        if (!isBlank(gPhone)) {
          const r = parsePhone(gPhone);
          if (r.ok) phone = r.value;
          else err(`guardian${n}Phone` as Key, r.code, r.message);
        }
        guardians.push({ name: gName, relation, phone });
      }
    }

    if (errors.length > 0 || !school || !sex || !birthDate || stage === undefined || grade === undefined)
      return { errors };

    let ini = initials.get(nameText);
    if (ini === undefined) {
      ini = initialsOf(nameText);
      if (initials.size < 200_000) initials.set(nameText, ini);
    }
    return {
      values: [
        school.id,
        school.county_code,
        studentNo,
        idValue ? vault.encrypt(idValue.normalized) : null,
        idValue ? vault.hmac(idValue.normalized) : null,
        idValue?.birthDate ?? null,
        idValue?.sex ?? null,
        nameText,
        ini,
        sex,
        birthDate,
        ethnicity,
        hukou,
        address,
        stage,
        grade,
        className,
        enrolledOn,
        poverty,
        leftBehind,
        migrant,
        disabled,
        category,
        orphan,
        guardians,
        timeOrderedId(),
      ],
    };
  };
}

// ---------- check and merge (set-based) ----------

type Db = Kysely<DB> | Transaction<DB>;

// Values compared to decide update vs unchanged: a blank cell (null) keeps what is there.
const COMPARED = [
  'student_no',
  'id_number_hmac',
  'name',
  'sex',
  'birth_date',
  'ethnicity',
  'hukou_region_code',
  'address',
  'stage',
  'grade',
  'enrolled_on',
  'poverty_household',
  'left_behind',
  'migrant',
  'disabled',
  'disability_category',
  'orphan',
] as const;

const differs = sql.raw(
  [
    ...COMPARED.map((c) => `(r.${c} is not null and r.${c} is distinct from s.${c})`),
    // Class: named in the file and not the student's class (same name, grade and stage this year).
    `(r.class_name is not null and (s.class_id is null or not exists (select 1 from school_class k where k.id = s.class_id and k.name = r.class_name and k.grade = r.grade and k.stage = r.stage and k.school_year = s.school_year_text)))`,
    `(r.guardians is not null and r.guardians is distinct from coalesce((select jsonb_agg(jsonb_build_object('name', g.name, 'relation', g.relation, 'phone', g.phone) order by g.ord) from student_guardian g where g.student_id = s.id), '[]'::jsonb))`,
  ].join(' or '),
);

async function check(db: Db, job: ImportJobInfo): Promise<MergeCounts> {
  const id = job.id;
  const year = String(currentSchoolYear());
  await sql`update import_student_row set student_id = null, action = null, reject_code = null, reject_message = null
    where job_id = ${id} and (student_id is not null or action is not null)`.execute(db);
  // Fresh statistics, taken after that reset: the planner must know the staged rows are many, or it joins them
  // row by row (a re-check of 1M matched rows inside a commit ran one statement for over 6 minutes).
  await sql`analyze import_student_row`.execute(db);
  // 1. The same student twice in the file: the later rows are refused.
  await sql`
    update import_student_row r set action = 'reject', reject_code = 'IMPORT_DUPLICATE_IN_FILE',
      reject_message = jsonb_build_object('zh', '与第 ' || d.first_row || ' 行是同一名学生（' || d.what_zh || '相同）',
                                          'en', 'Same student as row ' || d.first_row || ' (same ' || d.what_en || ')')
    from (
      select row_no, min(row_no) over (partition by student_no) as first_row, '学籍号' as what_zh, 'student number' as what_en
        from import_student_row where job_id = ${id} and student_no is not null
      union all
      select row_no, min(row_no) over (partition by id_number_hmac), '身份证号', 'ID number'
        from import_student_row where job_id = ${id} and id_number_hmac is not null
      union all
      select row_no, min(row_no) over (partition by school_id, name, birth_date, sex), '姓名、性别和出生日期',
          'name, sex and birth date'
        from import_student_row where job_id = ${id} and student_no is null and id_number_hmac is null
    ) d
    where r.job_id = ${id} and r.row_no = d.row_no and d.first_row < d.row_no and r.action is null`.execute(
    db,
  );
  // 2. Match by 学籍号 (anywhere: the number is national), then by ID number among students in school.
  await sql`
    update import_student_row r set student_id = s.id
    from student s where r.job_id = ${id} and r.action is null and r.student_no is not null and s.student_no = r.student_no`.execute(
    db,
  );
  await sql`
    update import_student_row r set student_id = s.id
    from student s
    where r.job_id = ${id} and r.action is null and r.student_id is null and r.id_number_hmac is not null
      and s.id_number_hmac = r.id_number_hmac and s.status in ('enrolled', 'suspended')`.execute(db);
  // Rows with neither number: name, birth date and sex among the school's students that have neither.
  await sql`
    update import_student_row r set student_id = (
      select s.id from student s
      where s.school_id = r.school_id and s.name = r.name and s.birth_date = r.birth_date and s.sex = r.sex
        and s.student_no is null and s.id_number_hmac is null
      order by s.created_at limit 1)
    where r.job_id = ${id} and r.action is null and r.student_no is null and r.id_number_hmac is null`.execute(
    db,
  );
  // 3. Conflicts with the registry.
  await sql`
    update import_student_row r set action = 'reject', reject_code = 'IMPORT_STUDENT_AT_OTHER_SCHOOL',
      reject_message = '{"zh":"该学生的学籍在另一所学校，转入请通过转学办理，不能用导入改变学校","en":"The student is registered at another school; a move is a transfer, not an import"}'::jsonb
    from student s
    where r.job_id = ${id} and r.action is null and s.id = r.student_id and s.school_id <> r.school_id`.execute(
    db,
  );
  await sql`
    update import_student_row r set action = 'reject', reject_code = 'STUDENT_ALREADY_ENROLLED',
      reject_message = '{"zh":"该身份证号已有在籍学籍（一人一籍），请先办理转学或更正","en":"A student with this ID number is already registered (one registration per person); transfer or correct first"}'::jsonb
    where r.job_id = ${id} and r.action is null and r.id_number_hmac is not null
      and exists (select 1 from student s where s.id_number_hmac = r.id_number_hmac and s.status in ('enrolled', 'suspended')
                  and s.id is distinct from r.student_id)`.execute(db);
  await sql`
    update import_student_row r set action = 'reject', reject_code = 'STUDENT_NO_ID_CONFLICT',
      reject_message = '{"zh":"学籍号对应的学生身份证号与本行不同，请核对","en":"The student with this student number has a different ID number; check the row"}'::jsonb
    from student s
    where r.job_id = ${id} and r.action is null and s.id = r.student_id and r.id_number_hmac is not null
      and s.id_number_hmac is not null and s.id_number_hmac <> r.id_number_hmac`.execute(db);
  // 4. What the merge does with the matched rows; the others (action null) insert.
  await sql`
    update import_student_row r set action = case when (${differs}) then 'update' else 'unchanged' end
    from (select s.*, ${year}::text as school_year_text from student s) s
    where r.job_id = ${id} and r.action is null and r.student_id is not null and s.id = r.student_id`.execute(
    db,
  );
  const counts = await sql<{ action: string; n: number }>`
    select action, count(*)::int as n from import_student_row where job_id = ${id} group by action`.execute(
    db,
  );
  const n = (a: string | null) => counts.rows.find((c) => c.action === a)?.n ?? 0;
  return { inserted: n(null), updated: n('update'), unchanged: n('unchanged') };
}

async function rejections(db: Kysely<DB>, jobId: string): Promise<Rejection[]> {
  const rows = await db
    .selectFrom('import_student_row')
    .select(['row_no', 'reject_code', 'reject_message'])
    .where('job_id', '=', jobId)
    .where('action', '=', 'reject')
    .orderBy('row_no')
    .execute();
  return rows.map((r) => ({
    rowNo: r.row_no,
    code: r.reject_code ?? 'IMPORT_REJECTED',
    message: r.reject_message as Message,
  }));
}

// The rows a merge writes: those to insert (no match, not refused) and those that change a student.
const WRITTEN = sql.raw(`(r.action is null or r.action = 'update')`);

async function merge(trx: Transaction<DB>, job: ImportJobInfo, actor: Actor): Promise<MergeCounts> {
  const id = job.id;
  const year = String(currentSchoolYear());
  const today = chinaToday();
  // Classes named in the file that the school does not have yet this school year.
  await sql`
    insert into school_class (id, school_id, school_year, stage, grade, name)
    select gen_random_uuid(), school_id, ${year}, stage, grade, class_name
    from (select distinct school_id, stage, grade, class_name from import_student_row r
          where job_id = ${id} and ${WRITTEN} and class_name is not null) c
    on conflict (school_id, school_year, stage, grade, name) do nothing`.execute(trx);
  // The file's class of a row, joined (not looked up row by row).
  const withClass = sql`import_student_row r left join school_class k on k.school_id = r.school_id
    and k.school_year = ${year} and k.stage = r.stage and k.grade = r.grade and k.name = r.class_name`;
  const changed = (side: 'r' | 's') =>
    sql.raw(
      COMPARED.filter((c) => c !== 'id_number_hmac')
        .map(
          (c) =>
            `'${c}', case when r.${c} is not null and r.${c} is distinct from s.${c} then to_jsonb(${side}.${c}) end`,
        )
        .join(', '),
    );
  // What updated students were, for the per-student change record (the audit entry names the job).
  await sql`
    insert into import_change (job_id, student_id, before, after)
    select ${id}, s.id, jsonb_strip_nulls(jsonb_build_object(${changed('s')})),
      jsonb_strip_nulls(jsonb_build_object(${changed('r')}))
    from import_student_row r join student s on s.id = r.student_id
    where r.job_id = ${id} and r.action = 'update'`.execute(trx);
  // A load that at least doubles the registry (the first roster of a county or city) builds the student
  // table's secondary indexes once after the rows are in, rather than maintaining them row by row; the
  // definitions are read back from the catalogue, so the migrations stay their one source. The unique
  // 学籍号 index is rebuilt too: a duplicate the check missed would fail the build and roll everything back.
  const staged = await sql<{ inserts: number; existing: number }>`
    select (select count(*)::int from import_student_row where job_id = ${id} and action is null) as inserts,
           (select count(*)::int from student) as existing`.execute(trx);
  const { inserts = 0, existing = 0 } = staged.rows[0] ?? {};
  const rebuild =
    inserts >= 50_000 && inserts >= existing
      ? (
          await sql<{ indexname: string; indexdef: string }>`
            select indexname, indexdef from pg_indexes
            where schemaname = current_schema() and tablename = 'student' and indexname <> 'student_pkey'`.execute(
            trx,
          )
        ).rows
      : [];
  if (rebuild.length > 0) {
    await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
    for (const ix of rebuild) await sql`drop index ${sql.id(ix.indexname)}`.execute(trx);
  }
  const inserted = await sql`
    insert into student (id, school_id, county_code, class_id, student_no, id_number_enc, id_number_hmac, id_birth_date,
      id_sex, name, name_initials, sex, birth_date, ethnicity, hukou_region_code, address, stage, grade, enrolled_on,
      status, poverty_household, left_behind, migrant, disabled, disability_category, orphan)
    select r.new_id, r.school_id, r.county_code, k.id, r.student_no, r.id_number_enc, r.id_number_hmac,
      r.id_birth_date, r.id_sex, r.name, r.name_initials, r.sex, r.birth_date, r.ethnicity, r.hukou_region_code,
      r.address, r.stage, r.grade, r.enrolled_on, 'enrolled',
      coalesce(r.poverty_household, false), coalesce(r.left_behind, false), coalesce(r.migrant, false),
      coalesce(r.disabled, false), r.disability_category, coalesce(r.orphan, false)
    from ${withClass} where r.job_id = ${id} and r.action is null
    order by r.new_id`.execute(trx);
  for (const ix of rebuild) await sql.raw(ix.indexdef).execute(trx);
  const updated = await sql`
    update student s set
      student_no = coalesce(r.student_no, s.student_no),
      id_number_enc = coalesce(r.id_number_enc, s.id_number_enc),
      id_number_hmac = coalesce(r.id_number_hmac, s.id_number_hmac),
      id_birth_date = coalesce(r.id_birth_date, s.id_birth_date),
      id_sex = coalesce(r.id_sex, s.id_sex),
      name = r.name,
      name_initials = r.name_initials,
      sex = r.sex,
      birth_date = r.birth_date,
      ethnicity = coalesce(r.ethnicity, s.ethnicity),
      hukou_region_code = coalesce(r.hukou_region_code, s.hukou_region_code),
      address = coalesce(r.address, s.address),
      stage = r.stage,
      grade = r.grade,
      class_id = case when r.class_name is not null then r.class_id
                      when r.stage = s.stage and r.grade = s.grade then s.class_id end,
      enrolled_on = coalesce(r.enrolled_on, s.enrolled_on),
      poverty_household = coalesce(r.poverty_household, s.poverty_household),
      left_behind = coalesce(r.left_behind, s.left_behind),
      migrant = coalesce(r.migrant, s.migrant),
      disabled = coalesce(r.disabled, s.disabled),
      disability_category = case when coalesce(r.disabled, s.disabled)
                                 then coalesce(r.disability_category, s.disability_category) end,
      orphan = coalesce(r.orphan, s.orphan),
      updated_at = now()
    from (select r.*, k.id as class_id from ${withClass} where r.job_id = ${id} and r.action = 'update') r
    where s.id = r.student_id`.execute(trx);
  // Guardians: the file's list replaces the student's when the file has guardian columns.
  await sql`
    delete from student_guardian g using import_student_row r
    where r.job_id = ${id} and r.action = 'update' and r.guardians is not null and g.student_id = r.student_id`.execute(
    trx,
  );
  await sql`
    insert into student_guardian (student_id, ord, name, relation, phone)
    select coalesce(r.student_id, r.new_id), e.ord, e.value->>'name', e.value->>'relation', e.value->>'phone'
    from import_student_row r, jsonb_array_elements(r.guardians) with ordinality as e(value, ord)
    where r.job_id = ${id} and ${WRITTEN} and r.guardians is not null
    order by r.new_id`.execute(trx);
  await sql`
    insert into student_status_event (id, student_id, kind, status_from, status_to, effective_on, reason, school_id,
      actor_user_id)
    -- The event takes the student's new id as its own (another table; time-ordered, so the index stays local).
    select r.new_id, r.new_id, 'enrol', null, 'enrolled', coalesce(r.enrolled_on, ${today}::date),
      ${'批量导入'}, r.school_id, ${actor.userId}
    from import_student_row r where r.job_id = ${id} and r.action is null
    order by r.new_id`.execute(trx);
  const unchanged = await sql<{ n: number }>`
    select count(*)::int as n from import_student_row where job_id = ${id} and action = 'unchanged'`.execute(
    trx,
  );
  return {
    inserted: Number(inserted.numAffectedRows ?? 0),
    updated: Number(updated.numAffectedRows ?? 0),
    unchanged: unchanged.rows[0]?.n ?? 0,
  };
}

registerImportKind<Key>({
  kind: 'students',
  permission: 'student.write',
  unitKinds: ['school', 'county_bureau', 'city_bureau'],
  fields: STUDENT_IMPORT_FIELDS,
  example: [
    [
      '张小明',
      '男',
      '2016-03-15',
      '汉族',
      generateIdNumber('220302', '2016-03-15', 'M', 1),
      '',
      '2203020001',
      '四平市铁西区第一小学',
      '小学',
      '四年级',
      '1班',
      '2022-09-01',
      '220302',
      '四平市铁西区英雄大街1号',
      '否',
      '否',
      '否',
      '否',
      '',
      '否',
      '张建国',
      '父亲',
      '13800000000',
      '李梅',
      '母亲',
      '',
    ],
  ],
  staging: { table: 'import_student_row', columns: STAGING_COLUMNS },
  analyze: ['student', 'student_guardian', 'student_status_event', 'school_class'],
  prepare,
  check,
  rejections,
  merge,
});
