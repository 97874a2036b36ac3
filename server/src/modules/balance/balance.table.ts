/**
 * Reads the county's school table (xlsx or CSV, one row per school) into BalanceRow[] with the platform's
 * small-table reader (content sniffing and zip-bomb limits, CSV in UTF-8 / GB18030 / UTF-16, the xlsx's
 * first visible sheet) and the import engine's header detection with synonyms. Bad cells become per-row
 * errors with the row number.
 */
import {
  BALANCE_FIGURES,
  BALANCE_SCHOOL_KINDS,
  balanceFigureLabels,
  type BalanceFigure,
  type BalanceRowError,
  type BalanceSchoolKind,
  type Lang,
} from '@dudao/contracts';
import { badRequest } from '../../platform/errors.js';
import { mapHeader, normalizeHeader, type FieldSpec } from '../../platform/imports/header.js';
import { readSmallTable } from '../../platform/imports/small-table.js';
import type { BalanceRow, BalanceTable } from './balance.engine.js';

/** A county has a few hundred schools; more rows than this is not a school table. */
export const BALANCE_MAX_ROWS = 20_000;

type Field =
  'name' | 'kind' | 'students' | 'primaryStudents' | 'juniorStudents' | 'seniorStudents' | BalanceFigure;

const figureSynonyms: Record<BalanceFigure, string[]> = {
  books: ['图书', '图书总数', '藏书册数', '图书总册数', '纸质图书册数'],
  buildingArea: ['教学及辅助用房', '教学辅助用房面积', '教学及辅助用房建筑面积', '教学及教学辅助用房面积'],
  sportsArea: ['体育运动场馆', '运动场馆面积', '体育场馆面积', '体育运动场地面积', '体育运动场(馆)面积'],
  equipmentValue: ['教学仪器设备总值', '仪器设备值', '教学仪器设备资产值', '教学仪器设备值总额'],
  computers: ['计算机数', '教学用计算机台数', '计算机', '学生用计算机台数'],
  multimediaRooms: ['多媒体教室数', '网络多媒体教室', '多媒体教室', '网络多媒体教室间数'],
  qualifiedTeachers: ['高学历教师数', '高于规定学历的教师数', '高于规定学历专任教师数'],
  backboneTeachers: ['县级及以上骨干教师数', '县级以上骨干教师', '骨干教师数'],
  artsPeTeachers: [
    '体育、艺术专任教师数',
    '体育艺术(美术、音乐)专任教师数',
    '体育、艺术(美术、音乐)专任教师数',
    '体艺专任教师数',
    '体育艺术教师数',
  ],
  seniorTitleTeachers: [
    '中级及以上专业技术职务教师数',
    '中级以上职称教师数',
    '中级及以上职称专任教师数',
    '中高级职称教师数',
  ],
  teachers: ['专任教师', '专任教师总数', '专任教师人数'],
};

/** The columns of the table, with the names evaluators use for them. */
export const BALANCE_FIELDS: FieldSpec<Field>[] = [
  {
    key: 'name',
    label: '学校名称',
    synonyms: ['校名', '学校', '单位名称', '学校(教学点)名称'],
    required: true,
  },
  {
    key: 'kind',
    label: '学段',
    synonyms: ['学校类型', '办学类型', '学校类别', '类型', '学段类型'],
    required: true,
  },
  {
    key: 'students',
    label: '在校生数',
    synonyms: ['学生数', '在校学生数', '学生人数', '在校生人数', '在校生', '在校生总数'],
    required: true,
  },
  {
    key: 'primaryStudents',
    label: '小学在校生数',
    synonyms: ['小学学生数', '小学部在校生数', '其中小学在校生数', '小学在校生'],
  },
  {
    key: 'juniorStudents',
    label: '初中在校生数',
    synonyms: ['初中学生数', '初中部在校生数', '其中初中在校生数', '初中在校生'],
  },
  {
    key: 'seniorStudents',
    label: '高中在校生数',
    synonyms: ['高中学生数', '高中部在校生数', '其中高中在校生数', '高中在校生'],
  },
  ...BALANCE_FIGURES.map((f) => ({ key: f, label: balanceFigureLabels[f].zh, synonyms: figureSynonyms[f] })),
];

const KIND_WORDS: Record<BalanceSchoolKind, string[]> = {
  primary: ['小学', '完全小学', '中心小学', '村小', '小学校'],
  junior: ['初中', '初级中学', '独立初中', '初中学校'],
  nine_year: ['九年一贯制', '九年一贯制学校', '九年制', '一贯制', '九年一贯'],
  complete_secondary: ['完全中学', '完中'],
  teaching_point: ['教学点', '小学教学点'],
  senior: ['高中', '高级中学', '普通高中'],
  special: ['特殊教育', '特殊教育学校', '特教', '特校'],
  vocational: ['中职', '中等职业学校', '职业高中', '职高', '中专', '职业中学'],
};
const kindIndex = new Map<string, BalanceSchoolKind>();
for (const k of BALANCE_SCHOOL_KINDS) {
  kindIndex.set(k, k);
  for (const w of KIND_WORDS[k]) kindIndex.set(normalizeHeader(w), k);
}

/** 学段 text → kind, or null. */
export function parseSchoolKind(text: string): BalanceSchoolKind | null {
  return kindIndex.get(normalizeHeader(text)) ?? null;
}

type NumberCell = { ok: true; value: number | null } | { ok: false; message: string };

/** A figure as typed: thousands separators, full-width digits and spaces allowed; blank, - and / are blank. */
export function parseFigure(text: string, opts: { integer?: boolean } = {}, lang: Lang = 'zh'): NumberCell {
  const no = (zh: string, en: string): NumberCell => ({ ok: false, message: lang === 'en' ? en : zh });
  const t = text.normalize('NFKC').replace(/[,\s]/g, '');
  if (t === '' || /^[-—–/]$/.test(t)) return { ok: true, value: null };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t))
    return no(`“${text}”不是数字`, `“${text}” is not a number`);
  const value = Number(t);
  if (!Number.isFinite(value)) return no(`“${text}”不是数字`, `“${text}” is not a number`);
  if (value < 0) return no(`“${text}”不能为负数`, `“${text}” may not be negative`);
  if (opts.integer && !Number.isInteger(value))
    return no(`“${text}”应为整数`, `“${text}” must be a whole number`);
  return { ok: true, value };
}

const TOTAL_ROW = /^(合计|总计|小计|全县|全区|全市|县合计|区合计|汇总)/;

/**
 * Reads the school table at `path` (named `fileName` in messages; its type decided by its bytes, never its
 * name). Title and header rows are allowed for on top of BALANCE_MAX_ROWS.
 */
export async function readBalanceTable(
  path: string,
  fileName: string,
  lang: Lang = 'zh',
): Promise<BalanceTable> {
  const rows = await readSmallTable(path, fileName, {
    maxRows: BALANCE_MAX_ROWS + 50,
    code: 'BALANCE_TOO_MANY_ROWS',
    message: {
      zh: `表格超过 ${BALANCE_MAX_ROWS} 行，不是一个县的学校表`,
      en: `The table has more than ${BALANCE_MAX_ROWS} rows; it is not a county's school table`,
    },
  });
  return parseBalanceRows(rows, fileName, lang);
}

/** Maps the header and parses each row; exported for tests. */
export function parseBalanceRows(
  rows: readonly (readonly string[])[],
  fileName: string | null,
  lang: Lang = 'zh',
): BalanceTable {
  const tr = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const mapping = mapHeader(rows, BALANCE_FIELDS, { minMatches: 3 });
  if (mapping.headerRow < 0) {
    throw badRequest('BALANCE_NO_HEADER', {
      zh: '在表格前 20 行中找不到表头：至少需要“学校名称”“学段”“在校生数”三列',
      en: 'No header in the first 20 rows: the table needs at least the columns 学校名称, 学段 and 在校生数',
    });
  }
  if (mapping.missingRequired.length > 0) {
    throw badRequest('BALANCE_MISSING_COLUMNS', {
      zh: `表格缺少必需的列：${mapping.missingRequired.join('、')}`,
      en: `The table lacks required columns: ${mapping.missingRequired.join(', ')}`,
    });
  }
  const cols = mapping.columns;
  const headerText = (col: number) =>
    rows
      .slice(mapping.headerRow, mapping.dataRow)
      .map((r) => r[col] ?? '')
      .join('');
  // A column given in 万元 / 万册 (“教学仪器设备值（万元）”) is multiplied by 10,000.
  const scale: Partial<Record<BalanceFigure, number>> = {};
  const scaled: BalanceTable['scaled'] = [];
  for (const f of BALANCE_FIGURES) {
    const col = cols[f];
    if (col === undefined) continue;
    const text = headerText(col);
    if (/万/.test(text.normalize('NFKC'))) {
      scale[f] = 10_000;
      scaled.push({ column: text.trim(), factor: 10_000 });
    }
  }
  const columnsFound = BALANCE_FIGURES.filter((f) => cols[f] !== undefined);

  const out: BalanceRow[] = [];
  const errors: BalanceRowError[] = [];
  const ignored: BalanceTable['ignored'] = [];
  for (let i = mapping.dataRow; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    const row = i + 1;
    if (cells.every((c) => (c ?? '').trim() === '')) continue;
    const cell = (col: number | undefined) => (col === undefined ? '' : (cells[col] ?? '').trim());
    const name = cell(cols.name);
    const kindText = cell(cols.kind);
    if (TOTAL_ROW.test(name) || (!name && TOTAL_ROW.test(kindText))) {
      ignored.push({ row, text: name || kindText });
      continue;
    }
    const rowErrors: BalanceRowError[] = [];
    const fail = (column: string | null, message: string) => rowErrors.push({ row, column, message });
    if (!name) fail('学校名称', tr('学校名称未填写', 'The school name is blank'));
    const kind = parseSchoolKind(kindText);
    if (!kind)
      fail(
        '学段',
        kindText
          ? tr(
              `学段“${kindText}”无法识别（可填：小学、初中、九年一贯制、完全中学、教学点、特殊教育、中职、高中）`,
              `Unknown 学段 “${kindText}” (use 小学, 初中, 九年一贯制, 完全中学, 教学点, 特殊教育, 中职 or 高中)`,
            )
          : tr('学段未填写', '学段 is blank'),
      );
    const count = (
      key: 'students' | 'primaryStudents' | 'juniorStudents' | 'seniorStudents',
      label: string,
    ) => {
      const r = parseFigure(cell(cols[key]), { integer: true }, lang);
      if (!r.ok) {
        fail(label, r.message);
        return null;
      }
      return r.value;
    };
    let students = count('students', '在校生数');
    const primaryStudents = count('primaryStudents', '小学在校生数');
    const juniorStudents = count('juniorStudents', '初中在校生数');
    const seniorStudents = count('seniorStudents', '高中在校生数');
    if (students === null && [primaryStudents, juniorStudents, seniorStudents].some((s) => s !== null))
      students = (primaryStudents ?? 0) + (juniorStudents ?? 0) + (seniorStudents ?? 0);
    const excludedKind = kind === 'special' || kind === 'vocational' || kind === 'senior';
    if (students === null && !excludedKind && cell(cols.students) === '')
      fail('在校生数', tr('在校生数未填写', '在校生数 is blank'));

    const figures: BalanceRow['figures'] = {};
    for (const f of columnsFound) {
      const label = balanceFigureLabels[f].zh;
      const r = parseFigure(cell(cols[f]), {}, lang);
      if (!r.ok) fail(label, r.message);
      else if (r.value === null) {
        // A blank figure is never read as 0; schools outside the assessment need not fill it.
        if (!excludedKind)
          fail(
            label,
            tr(`“${label}”未填写（没有请填 0）`, `“${label}” is blank (type 0 when there is none)`),
          );
      } else figures[f] = r.value * (scale[f] ?? 1);
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    out.push({ row, name, kind: kind!, students, primaryStudents, juniorStudents, seniorStudents, figures });
  }
  return {
    file: fileName,
    rows: out,
    columnsFound,
    unknownColumns: mapping.unknown,
    scaled,
    errors,
    ignored,
  };
}
