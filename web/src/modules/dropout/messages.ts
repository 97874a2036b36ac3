/**
 * Texts of the 控辍保学 pages: [中文, English], like app/messages.ts, kept beside the pages. Enumeration labels
 * (attendance kinds, reasons, risk factors) come from @dudao/contracts.
 */
import { moduleMessages } from '../../app/i18n.tsx';

export const dropoutMessages = {
  'do.module': ['控辍保学', 'Dropout control'],
  // attendance
  'att.title': ['每日考勤', 'Daily attendance'],
  'att.class': ['班级', 'Class'],
  'att.date': ['日期', 'Date'],
  'att.own': ['我的班级', 'My class'],
  'att.noClasses': [
    '没有可考勤的班级（请学校管理员设置班主任）',
    'No class to take attendance for (ask the school admin to set the head teacher)',
  ],
  'att.present': ['出勤', 'Present'],
  'att.enrolled': ['应到', 'Enrolled'],
  'att.tapHint': [
    '默认全部出勤；点学生切换 迟到 → 病假 → 事假 → 旷课 → 出勤',
    'Everyone is present by default; tap a student to cycle late → sick → personal → unexcused → present',
  ],
  'att.reason': ['原因（可选）', 'Reason (optional)'],
  'att.submit': ['提交考勤', 'Submit'],
  'att.resubmit': ['重新提交（替换当天记录）', 'Submit again (replaces the day)'],
  'att.submitted': ['已提交：{by} {at}', 'Submitted by {by} at {at}'],
  'att.notSubmitted': ['今日尚未提交', 'Not submitted yet'],
  'att.notSchoolDay': [
    '该日不是上课日（周末、节假日、假期或停课）',
    'Not a school day (weekend, holiday, vacation or closure)',
  ],
  'att.readOnly': [
    '只读：只有班主任和学校管理员可以提交',
    'Read only: the head teacher or the school admin submits',
  ],
  'att.saved': ['考勤已提交：出勤 {present}/{enrolled}', 'Submitted: {present}/{enrolled} present'],
  'att.arrived': ['门禁 {t} 到校', 'Gate {t}'],
  'att.empty': ['本班暂无在读学生', 'No enrolled students in this class'],
  // missing
  'mis.title': ['考勤未报送', 'Attendance not submitted'],
  'mis.area': ['区域或学校', 'Area or school'],
  'mis.county': ['区县', 'County'],
  'mis.school': ['学校', 'School'],
  'mis.classes': ['应报班级', 'Classes'],
  'mis.submitted': ['已报', 'Submitted'],
  'mis.missing': ['未报', 'Missing'],
  'mis.schoolsMissing': ['有未报班级的学校', 'Schools with missing classes'],
  'mis.missingClasses': ['未报班级', 'Missing classes'],
  'mis.noSchoolDay': ['非上课日', 'No school'],
  'mis.summary': [
    '{date}：应报 {classes} 个班，已报 {submitted}，未报 {missing}（{schools} 所学校）',
    '{date}: {classes} classes expected, {submitted} submitted, {missing} missing ({schools} schools)',
  ],
  'mis.note': [
    '未报送不等于全勤：没有考勤表的班级不计入出勤。',
    'Missing is not "present": classes without a sheet are not counted as present.',
  ],
  'mis.onlyMissing': ['只看未报', 'Missing only'],
  // cases
  'case.title': ['疑似辍学名单', 'Suspected dropouts'],
  'case.student': ['学生', 'Student'],
  'case.school': ['学校', 'School'],
  'case.class': ['班级', 'Class'],
  'case.reason': ['原因', 'Reason'],
  'case.evidence': ['依据', 'Evidence'],
  'case.detectedOn': ['发现日期', 'Detected'],
  'case.status': ['状态', 'Status'],
  'case.poverty': ['脱贫户', 'Poverty household'],
  'case.allReasons': ['全部原因', 'All reasons'],
  'case.open': ['未销号', 'Open'],
  'case.closedByReturn': ['已复课销号', 'Closed: back at school'],
  'ev.consecutive': ['连续旷课 {n} 天', '{n} consecutive days'],
  'ev.total': ['近 {w} 个上课日旷课 {n} 天', '{n} days in the last {w} school days'],
  'ev.transfer': ['自 {since} 起转出未接收', 'Out since {since}, not received'],
  'ev.noSheet': ['班级 {n} 个上课日未报考勤', 'No sheet for {n} school days'],
  // risk
  'risk.title': ['辍学风险预警', 'Dropout risk'],
  'risk.score': ['风险分', 'Score'],
  'risk.level': ['等级', 'Level'],
  'risk.high': ['高', 'High'],
  'risk.medium': ['中', 'Medium'],
  'risk.low': ['低', 'Low'],
  'risk.factors': ['因素', 'Factors'],
  'risk.openCase': ['已列入疑似', 'Case open'],
  'risk.hint': [
    '按近 {w} 个上课日的缺勤与家庭情况加权计算，达到阈值前提前关注。',
    'Weighted from the last {w} school days’ absences and circumstances, to act before the threshold.',
  ],
  'risk.allClasses': ['全部班级', 'All classes'],
  // calendar and settings
  'cal.title': ['校历与预警参数', 'Calendar and settings'],
  'cal.unit': ['教育局或学校', 'Bureau or school'],
  'cal.schoolYear': ['学年', 'School year'],
  'cal.terms': ['学期日期', 'Terms'],
  'cal.term1': ['第一学期', 'First term'],
  'cal.term2': ['第二学期', 'Second term'],
  'cal.source.own': ['本单位设置', 'Set here'],
  'cal.source.inherited': ['沿用上级设置', 'Inherited from above'],
  'cal.source.default': [
    '默认（9月1日—1月15日，3月1日—7月10日）',
    'Default (1 Sep – 15 Jan, 1 Mar – 10 Jul)',
  ],
  'cal.saveTerms': ['保存学期', 'Save terms'],
  'cal.resetTerms': ['恢复默认/上级', 'Reset'],
  'cal.closures': ['停课安排', 'Closures'],
  'cal.addClosure': ['登记停课', 'Add closure'],
  'cal.from': ['开始', 'From'],
  'cal.to': ['结束', 'To'],
  'cal.reason': ['原因', 'Reason'],
  'cal.delete': ['撤销', 'Remove'],
  'cal.days': ['本月校历', 'This month'],
  'cal.holidayNote': [
    '法定节假日和调休上班日来自国务院办公厅公布的安排（chinese-days 数据集）',
    'Public holidays and make-up workdays from the State Council’s schedule (chinese-days dataset)',
  ],
  'set.title': ['辍学预警参数', 'Detection settings'],
  'set.consecutiveDays': ['连续旷课天数 N', 'Consecutive unexcused days N'],
  'set.totalDays': ['累计旷课天数 M', 'Unexcused days M'],
  'set.windowDays': ['统计窗口（上课日）', 'Window (school days)'],
  'set.transferDays': ['转出未转入（上课日）K', 'Transfer not received after K school days'],
  'set.noSheetDays': ['班级未报考勤（上课日，0 关闭）', 'Class without sheets (school days, 0 = off)'],
  'set.returnDays': ['复课销号（连续出勤上课日）', 'Close on return (school days present)'],
  'set.riskHigh': ['高风险分数线', 'High-risk score'],
  'set.weights': ['风险权重', 'Risk weights'],
  'set.save': ['保存参数', 'Save settings'],
  'set.reset': ['恢复默认/上级', 'Reset'],
  'set.readOnly': ['参数由教育局设置', 'Set by the bureau'],
  'common.saved': ['已保存', 'Saved'],
  'common.refresh': ['刷新', 'Refresh'],
} as const satisfies Record<string, readonly [string, string]>;

export type DropoutMessageKey = keyof typeof dropoutMessages;
export type DTFunction = (key: DropoutMessageKey, vars?: Record<string, string | number>) => string;

/** The shared `t`, the module's `d`, and the language. */
const useMessages = moduleMessages(dropoutMessages);

export function useDropoutI18n() {
  const { t, m, lang } = useMessages();
  return { t, d: m, lang };
}

export { chinaToday } from '../../app/dates.ts';
