// The row parser of the student import: one spreadsheet row to a staged student (validated, ID number
// encrypted and HMAC'd), or the reasons it is refused. Kept apart from the kind's SQL so the import's worker
// thread loads only what parsing needs.
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
import type { Vault } from '../../platform/crypto/vault.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { Message } from '../../platform/errors.js';
import type { RowError, RowParser } from '../../platform/imports/kinds.js';
import {
  cleanCell,
  isBlank,
  parseDate,
  parseEnum,
  parseIdNumber,
  parsePhone,
  parseSex,
  parseYesNo,
  type EnumSpec,
} from '../../platform/imports/values.js';
import { allDivisions, divisionPath, findDivision } from '../../platform/regions/divisions.js';
import { initialsOf } from './initials.js';
import { schoolStudentStages } from './students.policy.js';
import type { StudentTemplateKey } from './students.columns.js';

type Key = Exclude<StudentTemplateKey, 'status'>;

// ---------- cell parsers specific to students ----------

// Without any space (cleanCell has made every space a plain one).
const normal = (s: string) => cleanCell(s).replace(/ /g, '');

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

export interface School {
  id: string;
  code: string;
  stage: string | null;
  county_code: string;
}

function stagesAt(stage: string | null): readonly StudentStage[] {
  return stage ? (schoolStudentStages[stage as SchoolStage] ?? []) : STUDENT_STAGES;
}

/** What the row parser needs from the database: plain data, so a worker thread can build the parser too. */
export interface StudentParserData {
  /** The active schools under the job's unit. */
  schools: School[];
  /** The job's school, when the job is a school's. */
  onlyId: string | null;
  today: string;
}

/** The student row parser (also built in the import's worker thread: see ImportKindDef.worker). */
export function makeRowParser(
  data: unknown,
  columns: Partial<Record<string, number>>,
  vault: Vault,
): RowParser {
  const { schools, onlyId, today } = data as StudentParserData;
  const byCode = new Map(schools.map((s) => [s.code, s]));
  const only = onlyId ? schools.find((s) => s.id === onlyId) : undefined;
  const initials = new Map<string, string>();
  const col = (k: Key) => columns[k];
  const hasGuardians = [1, 2].some((n) => col(`guardian${n}Name` as Key) !== undefined);

  // The row being parsed and its errors: the helpers below are made once, not once per row (a million
  // closures are a measurable part of an import's parsing time).
  let cells: readonly string[] = [];
  let errors: RowError[] = [];
  const cell = (k: Key): string => {
    const c = col(k);
    return c === undefined ? '' : (cells[c] ?? '');
  };
  const err = (column: Key, code: string, message: Message) => errors.push({ column, code, message });
  const flag = (k: Key): boolean | null => {
    const t = cell(k);
    if (isBlank(t)) return null;
    const r = parseYesNo(t);
    if (r.ok) return r.value;
    err(k, r.code, r.message);
    return null;
  };

  return (row: readonly string[]) => {
    cells = row;
    errors = [];

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

    const nameText = cleanCell(cell('name'));
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

    const address = cleanCell(cell('address')).slice(0, 200) || null;
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
        const gName = cleanCell(cell(`guardian${n}Name` as Key));
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
