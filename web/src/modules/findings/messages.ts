/**
 * Texts of the findings-ledger pages: [中文, English], like app/messages.ts. Enumeration labels (status,
 * severity, source, category, event kinds) come from @dudao/contracts.
 */
import { useCallback } from 'react';
import { useI18n } from '../../app/i18n.tsx';

export const findingMessages = {
  // ledger
  'fd.title': ['问题台账', 'Findings ledger'],
  'fd.searchPlaceholder': ['编号、问题、地点', 'Number, problem, location'],
  'fd.unitFilter': ['责任单位（含下级）', 'Responsible unit (and below)'],
  'fd.status': ['状态', 'Status'],
  'fd.state': ['办理情况', 'State'],
  'fd.state.open': ['未销号', 'Open'],
  'fd.state.closed': ['已销号', 'Closed'],
  'fd.state.overdue': ['已逾期', 'Overdue'],
  'fd.state.escalated': ['已提级督办', 'Escalated'],
  'fd.source': ['来源', 'Source'],
  'fd.category': ['类别', 'Category'],
  'fd.severity': ['等级', 'Severity'],
  'fd.from': ['发现日期从', 'Raised from'],
  'fd.to': ['至', 'to'],
  'fd.dateRange': ['发现日期', 'Raised on'],
  'fd.filters': ['筛选', 'Filters'],
  'fd.fromSource': ['来源记录的问题', 'Findings of one source record'],
  'fd.fromSourceHint': ['仅显示来自该{kind}的问题。', 'Only the findings raised by this {kind} are shown.'],
  'fd.openSource': ['查看来源记录', 'Open the source record'],
  'fd.showAll': ['显示全部', 'Show all'],
  'fd.fromNotice': ['整改通知书 {no} 的问题', 'Findings of notice {no}'],
  'fd.export': ['导出', 'Export'],
  'fd.exportXlsx': ['导出 Excel（.xlsx）', 'Export Excel (.xlsx)'],
  'fd.exportCsv': ['导出 CSV（.csv）', 'Export CSV (.csv)'],
  'fd.exportHint': ['按当前筛选条件导出全部问题。', 'Exports every finding the filters select.'],
  'fd.raise': ['登记问题', 'Raise a finding'],
  'fd.issueNotice': ['下发整改通知', 'Issue a notice'],
  'fd.issueNoticeHint': [
    '勾选同一责任单位“待下发”的问题，生成一份整改通知书。',
    'Tick findings of one unit that are waiting to be notified to issue one rectification notice.',
  ],
  'fd.selectOneUnit': [
    '所选问题须属于同一责任单位',
    'The selected findings must belong to one responsible unit',
  ],
  'fd.selectedN': ['已选 {n} 项', '{n} selected'],
  'fd.noticeDeadline': ['统一整改时限', 'Common deadline'],
  'fd.noticeDeadlineHint': [
    '不填则取各问题整改时限中最晚的一天。',
    'Leave empty to print the latest of the findings’ deadlines.',
  ],
  'fd.noticeNote': ['通知附言', 'Note on the notice'],
  'fd.noticeIssued': ['整改通知书 {no} 已下发', 'Notice {no} issued'],
  'fd.recipient': ['责任单位', 'Responsible unit'],
  'fd.no': ['编号', 'Number'],
  'fd.problem': ['问题', 'Problem'],
  'fd.unit': ['责任单位', 'Responsible unit'],
  'fd.deadline': ['整改时限', 'Deadline'],
  'fd.raisedOn': ['发现日期', 'Raised on'],
  'fd.closedOn': ['销号日期', 'Closed on'],
  'fd.raisedBy': ['发现单位', 'Raised by'],
  'fd.raisedByPerson': ['登记人', 'Recorded by'],
  'fd.overdue': ['逾期', 'Overdue'],
  'fd.escalated': ['已提级', 'Escalated'],
  'fd.escalatedTo': ['已提级至{unit}督办', 'Escalated to {unit}'],
  'fd.returned': ['退回{n}次', 'Returned {n}×'],
  'fd.empty': ['没有符合条件的问题', 'No findings match'],
  'fd.daysLeft': ['剩{n}天', '{n} d left'],
  'fd.daysOver': ['逾期{n}天', '{n} d overdue'],
  'fd.dueToday': ['今日到期', 'Due today'],

  // raise drawer
  'fd.raiseTitle': ['登记问题', 'Raise a finding'],
  'fd.titleField': ['问题概述', 'Problem in brief'],
  'fd.titlePlaceholder': ['如：二楼东侧安全出口堵塞', 'e.g. Fire exit on the 2nd floor blocked'],
  'fd.description': ['问题描述', 'Description'],
  'fd.location': ['具体位置', 'Location'],
  'fd.basis': ['依据', 'Basis'],
  'fd.basisPlaceholder': [
    '法律法规或标准条款，如《消防法》第二十八条',
    'Law or standard, e.g. Fire Protection Law art. 28',
  ],
  'fd.subcategory': ['子类', 'Sub-category'],
  'fd.photos': ['照片', 'Photos'],
  'fd.onSite': ['立行立改', 'Put right on the spot'],
  'fd.onSiteHint': ['现场已整改完毕，登记即销号', 'Already put right: recorded as closed'],
  'fd.notifyNow': ['立即下发整改通知书', 'Issue the notice now'],
  'fd.notifyNowHint': [
    '关闭则问题处于“待下发”，可与其他问题合并下发',
    'Off: the finding waits as “raised” and can be notified together with others',
  ],
  'fd.raised': ['问题 {no} 已登记', 'Finding {no} recorded'],
  'fd.pickSchool': ['请选择学校或单位', 'Pick a school or unit'],
  'fd.draftRestored': ['已恢复未提交的草稿', 'An unsent draft was restored'],
  'fd.discardDraft': ['清空草稿', 'Discard draft'],

  // detail
  'fd.detail': ['问题详情', 'Finding'],
  'fd.loadFailed': ['问题加载失败', 'Could not load the finding'],
  'fd.basic': ['基本情况', 'Details'],
  'fd.rectification': ['整改情况', 'Rectification'],
  'fd.measures': ['整改措施', 'Measures'],
  'fd.interimControls': ['临时管控措施', 'Interim controls'],
  'fd.interimRequired': [
    '重大隐患整改完成前须落实临时管控措施',
    'Serious hazards need interim controls until they are put right',
  ],
  'fd.timeline': ['办理过程', 'Timeline'],
  'fd.files': ['照片及附件', 'Photos and files'],
  'fd.notice': ['整改通知书', 'Rectification notice'],
  'fd.printNotice': ['查看/打印整改通知书', 'View / print the notice'],
  'fd.sourceRecord': ['来源记录', 'Source record'],
  'fd.grid': ['安全网格', 'Safety grid'],
  'fd.act.start': ['落实整改措施', 'Start rectification'],
  'fd.act.submit': ['提交整改报告', 'Submit the report'],
  'fd.act.verify': ['验收销号', 'Verify and close'],
  'fd.act.return': ['退回', 'Return'],
  'fd.act.extend': ['延期', 'Extend'],
  'fd.act.comment': ['备注', 'Comment'],
  'fd.act.notify': ['下发整改通知', 'Issue the notice'],
  'fd.report': ['整改报告', 'Rectification report'],
  'fd.reportPlaceholder': [
    '整改了什么、怎么整改的、现在的情况',
    'What was put right, how, and how it stands now',
  ],
  'fd.completedOn': ['完成日期', 'Completed on'],
  'fd.evidence': ['整改后照片', 'Photos after rectification'],
  'fd.verifyNote': ['验收意见', 'Verification note'],
  'fd.verifyConfirm': [
    '确认该问题已整改到位，验收销号？',
    'Confirm that the problem has been put right and close it?',
  ],
  'fd.returnReason': ['退回理由', 'Reason'],
  'fd.newDeadline': ['新的整改时限', 'New deadline'],
  'fd.extendReason': ['延期理由', 'Reason'],
  'fd.note': ['内容', 'Note'],
  'fd.attachments': ['照片', 'Photos'],
  'fd.done': ['已保存', 'Saved'],
  'fd.by': ['{who}', '{who}'],
  'fd.noEvents': ['暂无办理记录', 'Nothing recorded yet'],
  'fd.deadlineChange': ['整改时限 {from} → {to}', 'Deadline {from} → {to}'],
  'fd.openLedger': ['返回台账', 'Back to the ledger'],
  'fd.awaitingYou': ['待您办理', 'Your turn'],

  // stats
  'fd.stats': ['整改统计', 'Rectification statistics'],
  'fd.scope': ['统计范围', 'Scope'],
  'fd.period': ['统计期间', 'Period'],
  'fd.allSources': ['全部来源', 'All sources'],
  'fd.found': ['发现问题', 'Found'],
  'fd.rectified': ['已整改', 'Rectified'],
  'fd.open': ['未整改', 'Open'],
  'fd.overdueCount': ['逾期未改', 'Overdue'],
  'fd.rate': ['整改率', 'Rate'],
  'fd.byUnit': ['按单位', 'By unit'],
  'fd.byCategory': ['按类别', 'By category'],
  'fd.bySource': ['按来源', 'By source'],
  'fd.bySeverity': ['按等级', 'By severity'],
  'fd.noData': ['该范围和期间内没有问题', 'No findings in this scope and period'],
  'fd.copySentence': ['复制', 'Copy'],
  'fd.copied': ['已复制', 'Copied'],
  'fd.viewItems': ['查看明细', 'View the items'],
  'fd.thisYear': ['本年', 'This year'],
  'fd.thisMonth': ['本月', 'This month'],
  'fd.thisTerm': ['本学期', 'This term'],
  'fd.allTime': ['全部', 'All time'],

  // notice
  'fd.noticeTitle': ['整改通知书', 'Rectification notice'],
  'fd.print': ['打印', 'Print'],
  'fd.noticeSchool': ['学校名称：', 'School: '],
  'fd.noticeIntro': [
    '经检查，你单位存在以下问题和隐患，现通知你单位限期整改：',
    'Inspection found the following problems and hazards at your unit, to be put right within the time set:',
  ],
  'fd.noticeSeq': ['序号', 'No.'],
  'fd.noticeProblem': ['问题描述', 'Problem'],
  'fd.noticeBasis': ['依据', 'Basis'],
  'fd.noticeDeadlineCol': ['整改时限', 'Deadline'],
  'fd.noticeDemand': [
    '请你单位高度重视，认真组织整改，于{date}前整改到位，并将整改情况（附整改前后照片）书面报送{issuer}。重大隐患整改完成前须落实临时管控措施，确保师生安全。',
    'Put these right by {date} and report in writing to {issuer}, with photos before and after. Until serious hazards are removed, keep interim controls in place to keep pupils and staff safe.',
  ],
  'fd.noticeRegards': ['特此通知。', ''],
  'fd.noticeSeal': ['（盖章）', '(Seal)'],
  'fd.receipt': ['回　执', 'Receipt'],
  'fd.receiptText': [
    '我单位已收到{issuer}《整改通知书》（{no}），将按要求于{date}前完成整改并书面报告。',
    'We have received notice {no} from {issuer}, and will put the items right by {date} and report in writing.',
  ],
  'fd.receiptSigner': ['签收人：', 'Received by: '],
  'fd.receiptDate': ['签收日期：', 'Date: '],
  'fd.receiptPrincipal': ['学校负责人：', 'Head of school: '],
  'fd.receiptSeal': ['（学校盖章）', '(School seal)'],
  'fd.cutHere': ['（请沿此线剪下，回执交发文单位留存）', '(Cut along this line and return the receipt)'],
  'fd.noticeLoadFailed': ['整改通知书加载失败', 'Could not load the notice'],
  'fd.noticeItems': ['通知书所列问题', 'Findings in this notice'],
  'fd.noticeViewItems': ['查看所列问题的整改情况', 'See how the items stand'],
  'fd.noticeTo': ['{name}：', 'To {name}:'],
  'fd.noticeNoteLabel': ['其他要求：', 'Further requirements: '],

  // bell
  'fd.notifications': ['消息通知', 'Notifications'],
  'fd.markAllRead': ['全部已读', 'Mark all read'],
  'fd.noNotifications': ['暂无消息', 'No notifications'],
} as const satisfies Record<string, readonly [string, string]>;

export type FindingMessageKey = keyof typeof findingMessages;
export type FTFunction = (key: FindingMessageKey, vars?: Record<string, string | number>) => string;

function format(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The shared `t`, the module's `f`, and the language. */
export function useFindingI18n() {
  const { t, lang } = useI18n();
  const f = useCallback<FTFunction>(
    (key, vars) => format(findingMessages[key][lang === 'zh' ? 0 : 1], vars),
    [lang],
  );
  return { t, f, lang };
}
