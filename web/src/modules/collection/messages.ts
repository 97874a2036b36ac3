/**
 * Texts of the 数据填报 pages: [中文, English]. Enumeration labels (element types, statuses, strategies)
 * come from @dudao/contracts (collection.ts).
 */
import { moduleMessages } from '../../app/i18n.tsx';

export const collectionMessages = {
  'col.module': ['数据填报', 'Data collection'],
  'col.tasks': ['填报与审核', 'Entry and approval'],
  'col.form': ['报表', 'Form'],
  'col.period': ['报告期', 'Period'],
  'col.area': ['区域', 'Area'],
  'col.mine': ['本单位填报', 'Our figures'],
  'col.open': ['填写', 'Fill in'],
  'col.view': ['查看', 'View'],
  'col.status': ['状态', 'Status'],
  'col.unit': ['单位', 'Unit'],
  'col.county': ['区县', 'County'],
  'col.errors': ['错误', 'Errors'],
  'col.warnings': ['警告', 'Warnings'],
  'col.waiting': ['等待', 'Waiting for'],
  'col.wait.school': ['学校填报', 'the school'],
  'col.wait.county': ['县级审核', 'the county'],
  'col.wait.city': ['市级确认', 'the city'],
  'col.wait.none': ['已完成', 'done'],
  'col.total': ['应报 {n} 个单位', '{n} units expected'],
  'col.accept': ['确认该县数据', 'Accept the county'],
  'col.accepted': ['市级已确认', 'Accepted'],
  'col.acceptDone': ['已确认 {n} 个单位的数据', 'Accepted {n} units'],
  'col.notReady': ['尚有学校未审核', 'Schools not approved yet'],
  'col.board': ['填报进度', 'Progress'],
  'col.violations': ['校验结果', 'Rule results'],
  'col.runValidation': ['运行全面校验', 'Run the validation'],
  'col.validated': ['已校验 {n} 份，错误 {e} 条，警告 {w} 条', 'Checked {n}: {e} errors, {w} warnings'],
  'col.rule': ['规则', 'Rule'],
  'col.explanation': ['说明', 'Explanation'],
  'col.import': ['导入汇总表', 'Import a sheet'],
  'col.importHint': [
    '每校一行：“学校名称”或“学校代码”列，各数据项一列（列名为数据项名称，如“教学及辅助用房面积”）。导入后为各校草稿，由学校核对上报。',
    'One row per school: 学校名称 or 学校代码, one column per data element (named as the element). Imported figures become each school’s draft.',
  ],
  'col.imported': ['导入 {n} 所学校，跳过 {s} 行', 'Imported {n} schools, skipped {s} rows'],
  'col.balance': ['县域均衡差异系数', 'County coefficients'],
  'col.onlyPending': ['只看未完成', 'Unfinished only'],
  // entry
  'ent.title': ['填报：{form}', 'Entry: {form}'],
  'ent.prefilled': ['学籍预填', 'From the registry'],
  'ent.registry': ['学籍：{v}', 'Registry: {v}'],
  'ent.usePrefill': ['采用学籍数', 'Use'],
  'ent.previous': ['上期：{v}', 'Last: {v}'],
  'ent.save': ['保存', 'Save'],
  'ent.submit': ['上报', 'Submit'],
  'ent.saved': ['已保存', 'Saved'],
  'ent.submitted': ['已上报，等待县级审核', 'Submitted; waiting for the county'],
  'ent.approve': ['审核通过', 'Approve'],
  'ent.return': ['退回修改', 'Return'],
  'ent.reopen': ['重新打开', 'Reopen'],
  'ent.reason': ['理由（必填）', 'Reason (required)'],
  'ent.approved': ['已审核通过', 'Approved'],
  'ent.returned': ['已退回', 'Returned'],
  'ent.reopened': ['已重新打开', 'Reopened'],
  'ent.locked': ['数据已审核锁定，不能修改。', 'The figures are approved and locked.'],
  'ent.returnReason': ['退回理由：{r}', 'Returned: {r}'],
  'ent.checks': ['校验', 'Checks'],
  'ent.checksOk': ['全部校验通过', 'All checks pass'],
  'ent.explain': ['请说明原因', 'Explain why'],
  'ent.blocked': ['有校验错误，修正后才能上报', 'Fix the errors before submitting'],
  'ent.needExplain': ['警告需填写说明后才能上报', 'Explain the warnings before submitting'],
  'ent.skipped': ['未校验', 'Not checked'],
  'ent.yes': ['是', 'Yes'],
  'ent.no': ['否', 'No'],
  'ent.back': ['返回', 'Back'],
  'ent.serverSaved': ['已保存到服务器 {t}', 'Saved on the server {t}'],
  // forms
  'frm.title': ['报表设计', 'Forms'],
  'frm.elements': ['数据项', 'Data elements'],
  'frm.code': ['代码', 'Code'],
  'frm.name': ['名称', 'Name'],
  'frm.type': ['类型', 'Type'],
  'frm.unit': ['单位', 'Unit'],
  'frm.prefill': ['预填来源', 'Pre-filled from'],
  'frm.targets': ['填报对象', 'Filled in by'],
  'frm.periodType': ['报告期类型', 'Period type'],
  'frm.rules': ['校验规则', 'Validation rules'],
  'frm.addRule': ['新增规则', 'Add a rule'],
  'frm.edit': ['编辑', 'Edit'],
  'frm.left': ['左侧表达式', 'Left side'],
  'frm.operator': ['比较', 'Operator'],
  'frm.right': ['右侧表达式', 'Right side'],
  'frm.missing': ['缺失值处理', 'Missing values'],
  'frm.importance': ['重要性', 'Importance'],
  'frm.message': ['提示信息', 'Message'],
  'frm.active': ['启用', 'Active'],
  'frm.exprHint': [
    '可用：数据项代码、数字、+ − × ÷、括号、prev(代码)（上期值）、abs(…)、reg.students 等学籍数',
    'Use element codes, numbers, + − × ÷, parentheses, prev(CODE) (last period), abs(…), registry figures such as reg.students',
  ],
  'frm.readOnly': [
    '报表由市级教育局维护；此处只读。',
    'The city bureau maintains the forms; read only here.',
  ],
  'frm.saved': ['规则已保存', 'Rule saved'],
  'frm.exprOk': ['表达式正确', 'Valid'],
  // indicators
  'ind.title': ['指标', 'Indicators'],
  'ind.indicator': ['指标', 'Indicator'],
  'ind.value': ['指标值', 'Value'],
  'ind.numerator': ['分子', 'Numerator'],
  'ind.denominator': ['分母', 'Denominator'],
  'ind.reporting': ['已计入 {n} / 应报 {m} 个单位', '{n} of {m} units counted'],
  'ind.approvedOnly': ['只计已审核数据', 'Approved figures only'],
  'ind.definition': ['定义', 'Definition'],
  'ind.drill': ['下钻', 'Drill down'],
  'ind.up': ['返回上级', 'Up'],
  'ind.formula': ['Σ分子 ÷ Σ分母 × {f}', 'Σ numerator ÷ Σ denominator × {f}'],
} as const satisfies Record<string, readonly [string, string]>;

export type CollectionMessageKey = keyof typeof collectionMessages;
export type CTFunction = (key: CollectionMessageKey, vars?: Record<string, string | number>) => string;

const useMessages = moduleMessages(collectionMessages);

export function useCollectionI18n() {
  const { t, m, lang } = useMessages();
  return { t, c: m, lang };
}

/** The current year as the default annual period (a school year for school forms). */
export function defaultPeriod(): string {
  const d = new Date();
  return String(d.getMonth() >= 8 ? d.getFullYear() : d.getFullYear() - 1);
}
