/**
 * Texts of the balanced-development calculator: [中文, English]. Indicator names, stages and school kinds
 * come from @dudao/contracts (balance.ts).
 */
import { moduleMessages } from '../../app/i18n.tsx';

export const balanceMessages = {
  'bal.title': ['均衡发展测算', 'Balanced-development calculator'],
  'bal.menu': ['均衡发展', 'Balanced development'],
  'bal.intro': [
    '上传县域学校办学条件表（.xlsx 或 CSV，每校一行），按教督〔2017〕6号测算小学、初中各项指标的校际差异系数和学校达标情况；文件只用于本次测算，不保存。',
    'Upload the county’s school table (.xlsx or CSV, one row per school) to compute the inter-school difference coefficients and school standards of 教督〔2017〕6号 for primary and junior schools; the file is used for this computation only and not stored.',
  ],
  'bal.drop': ['点击或拖拽学校数据表到此处', 'Click or drag the school table here'],
  'bal.dropHint': [
    '必需列：学校名称、学段、在校生数；各项原始数据列按评估表的列名（如 教学及辅助用房面积、教学仪器设备值（万元））；九年一贯制学校另填小学/初中在校生数，完全中学另填初中/高中在校生数。',
    'Required columns: 学校名称, 学段, 在校生数; one column per raw figure named as on the evaluation forms (e.g. 教学及辅助用房面积, 教学仪器设备值（万元）); nine-year schools also need 小学/初中在校生数, complete secondary schools 初中/高中在校生数.',
  ],
  'bal.computing': ['正在测算…', 'Computing…'],
  'bal.template': ['下载表格模板（CSV）', 'Download the table template (CSV)'],
  'bal.again': ['重新上传', 'Upload another'],
  'bal.print': ['打印', 'Print'],
  'bal.whatIf': ['假设测算', 'What-if'],
  'bal.file': ['文件：{name}', 'File: {name}'],
  'bal.stageSummary': ['参评学校 {n} 所，在校生 {p} 人', '{n} schools, {p} students'],
  'bal.quality': ['优质均衡（教督〔2017〕6号）', 'Quality balance (教督〔2017〕6号)'],
  'bal.basic': ['基本均衡（2012）', 'Basic balance (2012)'],
  'bal.tableTitle': [
    '{stage}学校资源配置达标情况及差异系数',
    '{stage}: school resource standards and difference coefficients',
  ],
  'bal.school': ['学校', 'School'],
  'bal.students': ['在校生数', 'Students'],
  'bal.compliant': ['是否达标', 'Compliant'],
  'bal.yes': ['是', 'Yes'],
  'bal.no': ['否', 'No'],
  'bal.unknown': ['无法判定', 'Undetermined'],
  'bal.standard': ['标准', 'Standard'],
  'bal.countyValue': ['县域值', 'County value'],
  'bal.cv': ['差异系数', 'Coefficient'],
  'bal.cvLimit': ['限值', 'Limit'],
  'bal.pass': ['达标', 'Pass'],
  'bal.fail': ['未达标', 'Fail'],
  'bal.split': ['拆分 {p}%', 'split {p}%'],
  'bal.schoolsCompliant': [
    '学校达标 {n}/{m} 所（每校至少 {min} 项达标，其余不低于标准的 {ratio}%）',
    '{n} of {m} schools compliant (at least {min} standards met, the rest ≥ {ratio}% of theirs)',
  ],
  'bal.cvVerdict': ['差异系数：{v}', 'Coefficients: {v}'],
  'bal.composite': [
    '综合差异系数 {v}（限值 {limit}）：{verdict}',
    'Composite coefficient {v} (limit {limit}): {verdict}',
  ],
  'bal.indicator': ['指标', 'Indicator'],
  'bal.chart': ['各项指标差异系数与限值', 'Coefficients against the limit'],
  'bal.limitLine': ['限值', 'Limit'],
  'bal.holdingBack': ['影响达标的主要因素', 'What holds the county back'],
  'bal.nothingHolding': [
    '各项差异系数均在限值内，所有学校均达标。',
    'Every coefficient is within its limit and every school is compliant.',
  ],
  'bal.heldIndicator': [
    '{label}：差异系数 {cv} 超过限值 {limit}，主要来自',
    '{label}: coefficient {cv} over the limit {limit}, mostly from',
  ],
  'bal.below': ['偏低', 'low'],
  'bal.above': ['偏高', 'high'],
  'bal.shareOf': ['占 {p}%', '{p}% of it'],
  'bal.heldSchool': ['{name}：{n} 项达标', '{name}: {n} standards met'],
  'bal.shortfall': [
    '{label} {value}（标准 {standard}，为 {ratio}%，尚缺 {need} {unit}）',
    '{label} {value} (standard {standard}, {ratio}%; {need} {unit} short)',
  ],
  'bal.excluded': ['未参与计算的学校', 'Schools left out'],
  'bal.errors': ['有错误的行（未参与计算）', 'Rows with errors (left out)'],
  'bal.row': ['第 {n} 行', 'Row {n}'],
  'bal.ignored': ['已忽略的合计行：{rows}', 'Total rows ignored: {rows}'],
  'bal.missingColumns': [
    '表中没有的列（相关指标无法计算）：{cols}',
    'Columns absent (those indicators cannot be computed): {cols}',
  ],
  'bal.scaled': ['已按万换算：{cols}', 'Converted from 万 (×10,000): {cols}'],
  'bal.noSchools': ['本学段没有参评学校', 'No schools in this stage'],
  'bal.wi.school': ['学校', 'School'],
  'bal.wi.indicator': ['指标', 'Indicator'],
  'bal.wi.value': ['新值', 'New value'],
  'bal.wi.current': ['当前值 {v}', 'Now {v}'],
  'bal.wi.run': ['测算', 'Compute'],
  'bal.wi.before': ['调整前', 'Before'],
  'bal.wi.after': ['调整后', 'After'],
  'bal.wi.countyValue': ['县域值', 'County value'],
  'bal.wi.cv': ['差异系数', 'Coefficient'],
  'bal.wi.compliantSchools': ['达标学校数', 'Compliant schools'],
  'bal.wi.schoolCompliant': ['该校是否达标', 'This school compliant'],
  'bal.wi.hint': [
    '选择学校和指标，输入调整后的指标值（如生均面积、每百名学生数），查看差异系数和达标学校数的变化。',
    'Choose a school and an indicator and enter the new value (per student or per hundred students) to see the coefficient and the count of compliant schools change.',
  ],
  'bal.wi.required': ['请选择学校、指标并输入新值', 'Choose a school and an indicator and enter a value'],
  // from collected figures
  'cty.title': ['县域均衡差异系数（填报数据）', 'County coefficients from collected figures'],
  'cty.county': ['县级教育局', 'County bureau'],
  'cty.approvedOnly': ['只计县级已审核数据', 'Approved figures only'],
  'cty.counted': ['应报学校 {m} 所，计入 {n} 所', '{n} of {m} schools counted'],
  'cty.notCounted': ['未计入：{list}', 'Not counted: {list}'],
  'cty.unapproved': ['含未审核数据：{list}', 'Includes figures not yet approved: {list}'],
  'cty.pick': ['请选择县级教育局', 'Choose a county bureau'],
  'cty.intro': [
    '由“学校基本情况年报”的已审核数据计算，与“均衡发展测算”使用同一计算方法；县级审核后即时更新。',
    'Computed from the approved figures of the annual school form with the calculator’s own method; updated as the county approves.',
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type BalanceMessageKey = keyof typeof balanceMessages;
export type BTFunction = (key: BalanceMessageKey, vars?: Record<string, string | number>) => string;

/** The shared `t`, the module's `b`, and the language. */
const useMessages = moduleMessages(balanceMessages);

export function useBalanceI18n() {
  const { t, m, lang } = useMessages();
  return { t, b: m, lang };
}
