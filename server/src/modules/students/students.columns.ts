/**
 * The official student roster template (学生名册): its columns, in order, under the Chinese names users
 * know. The export writes exactly these columns; the import template and its header mapping read the same
 * list (a `FieldSpec` of platform/imports/header.ts is this shape plus synonyms). Plain data: importing this
 * file has no side effects.
 */

/** One column of the template. */
export interface StudentTemplateColumn {
  /** Stable name of the field (the API's field name where there is one). */
  readonly key: string;
  /** The column header, as written in the template. */
  readonly label: string;
  /**
   * A row needs a value here to make a student (性别 and 出生日期 can also be taken from the 身份证号; 学校标识码
   * is needed when a file covers more than one school).
   */
  readonly required: boolean;
}

export const STUDENT_TEMPLATE_COLUMNS = [
  { key: 'name', label: '姓名', required: true },
  { key: 'sex', label: '性别', required: true },
  { key: 'birthDate', label: '出生日期', required: true },
  { key: 'ethnicity', label: '民族', required: false },
  { key: 'idNumber', label: '身份证号', required: false },
  { key: 'studentNo', label: '学籍号', required: false },
  { key: 'schoolCode', label: '学校标识码', required: false },
  { key: 'schoolName', label: '学校名称', required: false },
  { key: 'stage', label: '学段', required: false },
  { key: 'grade', label: '年级', required: true },
  { key: 'className', label: '班级', required: false },
  { key: 'enrolledOn', label: '入学日期', required: false },
  { key: 'status', label: '学籍状态', required: false },
  /** The division code and its name, e.g. “220302 吉林省四平市铁西区”. */
  { key: 'hukouRegion', label: '户籍所在地', required: false },
  { key: 'address', label: '现住址', required: false },
  { key: 'povertyHousehold', label: '脱贫户/低收入家庭', required: false },
  { key: 'leftBehind', label: '留守儿童', required: false },
  { key: 'migrant', label: '随迁子女', required: false },
  { key: 'disabled', label: '残疾', required: false },
  { key: 'disabilityCategory', label: '残疾类别', required: false },
  { key: 'orphan', label: '孤儿', required: false },
  { key: 'guardian1Name', label: '监护人1姓名', required: false },
  { key: 'guardian1Relation', label: '监护人1关系', required: false },
  { key: 'guardian1Phone', label: '监护人1电话', required: false },
  { key: 'guardian2Name', label: '监护人2姓名', required: false },
  { key: 'guardian2Relation', label: '监护人2关系', required: false },
  { key: 'guardian2Phone', label: '监护人2电话', required: false },
] as const satisfies readonly StudentTemplateColumn[];

/** The key of a template column. */
export type StudentTemplateKey = (typeof STUDENT_TEMPLATE_COLUMNS)[number]['key'];

/** The template's headers, in order. */
export const STUDENT_TEMPLATE_LABELS: readonly string[] = STUDENT_TEMPLATE_COLUMNS.map((c) => c.label);
