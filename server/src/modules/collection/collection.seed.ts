/**
 * The built-in definitions: the data elements of the balanced-development figures (the calculator's
 * columns), 学校基本情况年报 for compulsory-education schools, 县域教育统计年报 for county bureaus,
 * 幼儿园基本情况年报, the default validation rules and the built-in indicators. Inserted once (by code);
 * the bureau edits them afterwards. `ensureDefinitions` is idempotent.
 */
import { randomUUID } from 'node:crypto';
import {
  BALANCE_ELEMENT_CODES as B,
  SCHOOL_ANNUAL_FORM_CODE,
  type ElementType,
  type FormTarget,
} from '@dudao/contracts';
import type { Db } from './collection.repository.js';

type El = [
  code: string,
  name: string,
  type: ElementType,
  unit: string,
  prefill: string | null,
  description?: string,
];

export const BUILTIN_ELEMENTS: El[] = [
  [B.students, '在校生数', 'integer', '人', 'reg.students', '学籍系统在籍学生（不含幼儿园）'],
  [B.primaryStudents, '小学在校生数', 'integer', '人', 'reg.students_primary'],
  [B.juniorStudents, '初中在校生数', 'integer', '人', 'reg.students_junior'],
  [B.seniorStudents, '高中在校生数', 'integer', '人', 'reg.students_senior'],
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((g): El => [
    `STUDENTS_G${g}`,
    `${'一二三四五六七八九'[g - 1]}年级在校生数`,
    'integer',
    '人',
    `reg.students_g${g}`,
  ]),
  ['CLASSES', '教学班数', 'integer', '个', 'reg.classes'],
  ['LARGE_CLASSES', '大班额班数（56–65人）', 'integer', '个', 'reg.large_classes'],
  ['SUPER_LARGE_CLASSES', '超大班额班数（66人及以上）', 'integer', '个', 'reg.super_large_classes'],
  ['MIGRANT_STUDENTS', '随迁子女在校生数', 'integer', '人', 'reg.migrant_students'],
  [B.teachers, '专任教师数', 'integer', '人', null],
  [B.qualifiedTeachers, '高于规定学历教师数', 'integer', '人', null, '小学专科及以上、初中本科及以上'],
  [B.backboneTeachers, '县级以上骨干教师数', 'integer', '人', null],
  [B.artsPeTeachers, '体育艺术专任教师数', 'integer', '人', null, '体育、音乐、美术专任教师'],
  [B.seniorTitleTeachers, '中级及以上职称教师数', 'integer', '人', null],
  [B.buildingArea, '教学及辅助用房面积', 'number', '平方米', null],
  [B.sportsArea, '体育运动场馆面积', 'number', '平方米', null],
  [B.equipmentValue, '教学仪器设备值', 'number', '元', null],
  [B.books, '图书册数', 'integer', '册', null],
  [B.computers, '计算机台数', 'integer', '台', null],
  [B.multimediaRooms, '网络多媒体教室数', 'integer', '间', null],
  ['HAS_LIBRARY', '是否有独立图书室', 'boolean', '', null],
  ['NOTES', '填报说明', 'text', '', null],
  // 幼儿园
  ['KG_CHILDREN', '在园幼儿数', 'integer', '人', null],
  ['KG_INCLUSIVE_CHILDREN', '公办及普惠性民办园在园幼儿数', 'integer', '人', null],
  // 县级
  ['POP_3_5', '3–5 岁常住人口数', 'integer', '人', null, '统计部门数据'],
  ['COHORT_ENTRY', '本届初三学生入小学一年级时人数', 'integer', '人', null, '九年前小学一年级招生数'],
  ['GRADUATING_JUNIOR', '初三在校生数（全县）', 'integer', '人', null],
  ['KG_CHILDREN_ALL', '全县在园幼儿数（各类幼儿园）', 'integer', '人', null],
];

type FormDef = {
  code: string;
  name: string;
  targets: FormTarget[];
  sections: { title: string; elements: string[] }[];
  description: string;
};

export const BUILTIN_FORMS: FormDef[] = [
  {
    code: SCHOOL_ANNUAL_FORM_CODE,
    name: '学校基本情况年报',
    targets: ['primary', 'junior', 'nine_year', 'complete_secondary'],
    description: '义务教育学校每年填报；优质均衡差异系数、办学标准与各项指标由此计算。学籍数据预填。',
    sections: [
      {
        title: '学生与班级（学籍预填）',
        elements: [
          B.students,
          B.primaryStudents,
          B.juniorStudents,
          B.seniorStudents,
          ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((g) => `STUDENTS_G${g}`),
          'CLASSES',
          'LARGE_CLASSES',
          'SUPER_LARGE_CLASSES',
          'MIGRANT_STUDENTS',
        ],
      },
      {
        title: '教师',
        elements: [
          B.teachers,
          B.qualifiedTeachers,
          B.backboneTeachers,
          B.artsPeTeachers,
          B.seniorTitleTeachers,
        ],
      },
      {
        title: '办学条件',
        elements: [
          B.buildingArea,
          B.sportsArea,
          B.equipmentValue,
          B.books,
          B.computers,
          B.multimediaRooms,
          'HAS_LIBRARY',
        ],
      },
      { title: '说明', elements: ['NOTES'] },
    ],
  },
  {
    code: 'KG_ANNUAL',
    name: '幼儿园基本情况年报',
    targets: ['kindergarten'],
    description: '幼儿园每年填报在园幼儿数。',
    sections: [{ title: '在园幼儿', elements: ['KG_CHILDREN', 'KG_INCLUSIVE_CHILDREN'] }],
  },
  {
    code: 'COUNTY_ANNUAL',
    name: '县域教育统计年报',
    targets: ['county_bureau'],
    description: '县级教育局每年填报人口与入学队列数据。',
    sections: [
      { title: '人口与队列', elements: ['POP_3_5', 'KG_CHILDREN_ALL', 'COHORT_ENTRY', 'GRADUATING_JUNIOR'] },
    ],
  },
];

type RuleDef = {
  form: string;
  name: string;
  left: string;
  operator: '==' | '!=' | '<' | '<=' | '>' | '>=';
  right: string;
  missing: 'skip_if_any_missing' | 'skip_if_all_missing' | 'treat_as_zero';
  importance: 'error' | 'warning';
  message: string;
};

export const BUILTIN_RULES: RuleDef[] = [
  {
    form: SCHOOL_ANNUAL_FORM_CODE,
    name: '体育艺术专任教师不超过专任教师',
    left: B.artsPeTeachers,
    operator: '<=',
    right: B.teachers,
    missing: 'skip_if_any_missing',
    importance: 'error',
    message: '体育艺术专任教师数不能大于专任教师数',
  },
  {
    form: SCHOOL_ANNUAL_FORM_CODE,
    name: '高学历教师不超过专任教师',
    left: B.qualifiedTeachers,
    operator: '<=',
    right: B.teachers,
    missing: 'skip_if_any_missing',
    importance: 'error',
    message: '高于规定学历教师数不能大于专任教师数',
  },
  {
    form: SCHOOL_ANNUAL_FORM_CODE,
    name: '分学段在校生之和等于在校生数',
    left: `${B.primaryStudents} + ${B.juniorStudents} + ${B.seniorStudents}`,
    operator: '==',
    right: B.students,
    missing: 'skip_if_all_missing',
    importance: 'error',
    message: '小学、初中、高中在校生数之和应等于在校生数',
  },
  {
    form: SCHOOL_ANNUAL_FORM_CODE,
    name: '教学仪器设备值较上年变化不超过30%',
    left: `abs(${B.equipmentValue} - prev(${B.equipmentValue}))`,
    operator: '<=',
    right: `prev(${B.equipmentValue}) × 0.3`,
    missing: 'skip_if_any_missing',
    importance: 'warning',
    message: '教学仪器设备值与上年相比变化超过 30%，请说明原因',
  },
  {
    form: SCHOOL_ANNUAL_FORM_CODE,
    name: '在校生数与学籍一致',
    left: B.students,
    operator: '==',
    right: 'reg.students',
    missing: 'skip_if_any_missing',
    importance: 'warning',
    message: '在校生数与学籍系统不一致，请说明原因',
  },
  {
    form: SCHOOL_ANNUAL_FORM_CODE,
    name: '生均教学及辅助用房面积不低于2平方米',
    left: `${B.buildingArea} ÷ ${B.students}`,
    operator: '>=',
    right: '2',
    missing: 'skip_if_any_missing',
    importance: 'warning',
    message: '生均教学及辅助用房面积不足 2 平方米，请核实面积单位（平方米）',
  },
  {
    form: 'KG_ANNUAL',
    name: '普惠性在园幼儿不超过在园幼儿',
    left: 'KG_INCLUSIVE_CHILDREN',
    operator: '<=',
    right: 'KG_CHILDREN',
    missing: 'skip_if_any_missing',
    importance: 'error',
    message: '公办及普惠性民办园在园幼儿数不能大于在园幼儿数',
  },
];

type IndicatorDef = {
  code: string;
  name: string;
  numerator: string;
  denominator: string;
  factor: number;
  unit: string;
  form: string;
  description: string;
};

const per100 = (code: string, name: string, figure: string): IndicatorDef => ({
  code,
  name,
  numerator: figure,
  denominator: B.students,
  factor: 100,
  unit: '',
  form: SCHOOL_ANNUAL_FORM_CODE,
  description: `${name} = 区域内各校${name.replace(/^每百名学生(拥有)?/, '')}之和 ÷ 在校生数之和 × 100（优质均衡资源配置指标）`,
});
const perStudent = (code: string, name: string, figure: string, unit: string): IndicatorDef => ({
  code,
  name,
  numerator: figure,
  denominator: B.students,
  factor: 1,
  unit,
  form: SCHOOL_ANNUAL_FORM_CODE,
  description: `${name} = 区域内各校${name.replace(/^生均/, '')}之和 ÷ 在校生数之和`,
});

export const BUILTIN_INDICATORS: IndicatorDef[] = [
  per100('QUALIFIED_PER100', '每百名学生高于规定学历教师数', B.qualifiedTeachers),
  per100('BACKBONE_PER100', '每百名学生县级以上骨干教师数', B.backboneTeachers),
  per100('ARTS_PE_PER100', '每百名学生体育艺术专任教师数', B.artsPeTeachers),
  perStudent('BUILDING_AREA_PS', '生均教学及辅助用房面积', B.buildingArea, '平方米'),
  perStudent('SPORTS_AREA_PS', '生均体育运动场馆面积', B.sportsArea, '平方米'),
  perStudent('EQUIPMENT_PS', '生均教学仪器设备值', B.equipmentValue, '元'),
  per100('MULTIMEDIA_PER100', '每百名学生拥有网络多媒体教室数', B.multimediaRooms),
  {
    code: 'STUDENT_TEACHER_RATIO',
    name: '生师比',
    numerator: B.students,
    denominator: B.teachers,
    factor: 1,
    unit: ': 1',
    form: SCHOOL_ANNUAL_FORM_CODE,
    description: '在校生数之和 ÷ 专任教师数之和（师生比 1 : x 中的 x）',
  },
  {
    code: 'LARGE_CLASS_SHARE',
    name: '大班额比例',
    numerator: 'LARGE_CLASSES',
    denominator: 'CLASSES',
    factor: 100,
    unit: '%',
    form: SCHOOL_ANNUAL_FORM_CODE,
    description: '56–65 人的班数之和 ÷ 教学班数之和 × 100（标准班额小学 45、初中 50）',
  },
  {
    code: 'SUPER_LARGE_CLASS_SHARE',
    name: '超大班额比例',
    numerator: 'SUPER_LARGE_CLASSES',
    denominator: 'CLASSES',
    factor: 100,
    unit: '%',
    form: SCHOOL_ANNUAL_FORM_CODE,
    description: '66 人及以上的班数之和 ÷ 教学班数之和 × 100',
  },
  {
    code: 'PRIVATE_SHARE',
    name: '民办义务教育在校生占比',
    numerator: 'reg.private_students',
    denominator: 'reg.students',
    factor: 100,
    unit: '%',
    form: SCHOOL_ANNUAL_FORM_CODE,
    description: '学籍中民办学校在校生之和 ÷ 在校生之和 × 100',
  },
  {
    code: 'MIGRANT_PUBLIC_SHARE',
    name: '随迁子女公办学校就读比例',
    numerator: 'reg.migrant_public_students',
    denominator: 'reg.migrant_students',
    factor: 100,
    unit: '%',
    form: SCHOOL_ANNUAL_FORM_CODE,
    description: '学籍中在公办学校就读的随迁子女之和 ÷ 随迁子女之和 × 100',
  },
  {
    code: 'KG_INCLUSIVE_RATE',
    name: '普惠性幼儿园覆盖率（普惠率）',
    numerator: 'KG_INCLUSIVE_CHILDREN',
    denominator: 'KG_CHILDREN',
    factor: 100,
    unit: '%',
    form: 'KG_ANNUAL',
    description: '(公办 + 普惠性民办) 在园幼儿之和 ÷ 在园幼儿之和 × 100',
  },
  {
    code: 'KG_GROSS_RATE',
    name: '学前三年毛入园率',
    numerator: 'KG_CHILDREN_ALL',
    denominator: 'POP_3_5',
    factor: 100,
    unit: '%',
    form: 'COUNTY_ANNUAL',
    description: '在园幼儿数之和 ÷ 3–5 岁人口之和 × 100（县级填报）',
  },
  {
    code: 'CONSOLIDATION_RATE',
    name: '九年义务教育巩固率',
    numerator: 'GRADUATING_JUNIOR',
    denominator: 'COHORT_ENTRY',
    factor: 100,
    unit: '%',
    form: 'COUNTY_ANNUAL',
    description: '初三在校生数 ÷ 该届学生入小学一年级时人数 × 100（县级填报）',
  },
];

/** Inserts whatever built-in definition is missing (by code); never overwrites the bureau's edits. */
export async function ensureDefinitions(db: Db): Promise<void> {
  const have = await db.selectFrom('data_form').select('code').execute();
  if (have.length >= BUILTIN_FORMS.length) return;
  await db
    .insertInto('data_element')
    .values(
      BUILTIN_ELEMENTS.map(([code, name, type, unit, prefill, description]) => ({
        id: randomUUID(),
        code,
        name,
        type,
        unit,
        prefill,
        description: description ?? '',
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  for (const f of BUILTIN_FORMS) {
    const inserted = await db
      .insertInto('data_form')
      .values({
        id: randomUUID(),
        code: f.code,
        name: f.name,
        period_type: 'year',
        targets: JSON.stringify(f.targets),
        sections: JSON.stringify(f.sections),
        description: f.description,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) continue;
    const rules = BUILTIN_RULES.filter((r) => r.form === f.code);
    if (rules.length)
      await db
        .insertInto('validation_rule')
        .values(
          rules.map((r) => ({
            id: randomUUID(),
            form_id: inserted.id,
            name: r.name,
            left_expr: r.left,
            operator: r.operator,
            right_expr: r.right,
            missing: r.missing,
            importance: r.importance,
            message: r.message,
          })),
        )
        .execute();
  }
  const forms = new Map(
    (await db.selectFrom('data_form').select(['id', 'code']).execute()).map((f) => [f.code, f.id]),
  );
  await db
    .insertInto('indicator')
    .values(
      BUILTIN_INDICATORS.map((i) => ({
        id: randomUUID(),
        code: i.code,
        name: i.name,
        numerator: i.numerator,
        denominator: i.denominator,
        factor: i.factor,
        unit: i.unit,
        form_id: forms.get(i.form)!,
        description: i.description,
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}
