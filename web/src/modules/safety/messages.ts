/**
 * Texts of the school-safety pages: [中文, English], like app/messages.ts. Enumeration labels (areas, item
 * results, inspection kinds, severities) come from @dudao/contracts.
 */
import { useCallback } from 'react';
import { useI18n } from '../../app/i18n.tsx';

export const safetyMessages = {
  'sf.safety': ['平安校园', 'School safety'],
  'sf.loadFailed': ['加载失败', 'Could not load'],
  'sf.retry': ['重试', 'Retry'],
  'sf.save': ['保存', 'Save'],
  'sf.cancel': ['取消', 'Cancel'],
  'sf.edit': ['编辑', 'Edit'],
  'sf.delete': ['删除', 'Delete'],
  'sf.add': ['添加', 'Add'],
  'sf.print': ['打印', 'Print'],
  'sf.saved': ['已保存', 'Saved'],
  'sf.none': ['暂无', 'None'],
  'sf.school': ['学校', 'School'],
  'sf.unit': ['单位', 'Unit'],
  'sf.schools': ['学校数', 'Schools'],
  'sf.date': ['日期', 'Date'],
  'sf.month': ['月份', 'Month'],
  'sf.status': ['状态', 'Status'],
  'sf.actions': ['操作', 'Actions'],
  'sf.areaCol': ['检查类别', 'Area'],
  'sf.confirmDelete': ['确定删除？', 'Delete it?'],
  'sf.underAll': ['全部（本辖区）', 'Everything in my area'],
  'sf.view': ['查看', 'View'],
  'sf.findingsLink': ['查看问题台账', 'Open in the findings ledger'],
  'sf.rate': ['整改率', 'Rectification rate'],
  'sf.found': ['发现隐患', 'Hazards found'],
  'sf.rectified': ['已整改', 'Rectified'],
  'sf.open': ['未销号', 'Open'],
  'sf.overdue': ['已逾期', 'Overdue'],

  // inspection form
  'sf.inspect.title': ['安全检查', 'Safety inspection'],
  'sf.inspect.kind': ['检查类型', 'Kind'],
  'sf.inspect.campaign': ['专项整治', 'Campaign'],
  'sf.inspect.group': ['检查组', 'Group'],
  'sf.inspect.checklist': ['检查表', 'Checklist'],
  'sf.inspect.grid': ['网格（可选）', 'Grid (optional)'],
  'sf.inspect.date': ['检查日期', 'Date'],
  'sf.inspect.month': ['自查月份', 'Month covered'],
  'sf.inspect.people': ['检查人员', 'Inspectors'],
  'sf.inspect.peoplePh': ['输入姓名后回车', 'Type a name and press Enter'],
  'sf.inspect.peopleCount': ['人数', 'People'],
  'sf.inspect.summary': ['检查小结', 'Summary'],
  'sf.inspect.chooseSchool': ['选择学校', 'Choose the school'],
  'sf.inspect.noCampaign': ['该校目前没有进行中的专项整治', 'No campaign is running at this school'],
  'sf.inspect.noChecklist': [
    '没有可用的检查表，请联系教育局发布',
    'No checklist is published yet; ask the bureau',
  ],
  'sf.inspect.selfDone': ['本月自查已提交', "This month's self-inspection is submitted"],
  'sf.inspect.selfDraft': [
    '本月自查已有草稿（服务器）',
    "This month's self-inspection has a draft on the server",
  ],
  'sf.inspect.progress': [
    '已查 {done}/{total} 项 · 不合格 {failed} 项',
    '{done}/{total} checked · {failed} failed',
  ],
  'sf.inspect.restPass': ['其余全部合格', 'Mark the rest pass'],
  'sf.inspect.saveDraft': ['存草稿', 'Save draft'],
  'sf.inspect.submit': ['提交', 'Submit'],
  'sf.inspect.submitConfirm': [
    '提交后不合格项将生成问题并下发整改通知，不能再修改。确定提交？',
    'Failed items become findings and the notice goes out; the record cannot be changed afterwards. Submit?',
  ],
  'sf.inspect.incomplete': ['还有 {n} 项未检查', '{n} items are not checked yet'],
  'sf.inspect.note': ['问题描述', 'What is wrong'],
  'sf.inspect.notePh': ['如：二楼东侧灭火器过期2具', 'e.g. two extinguishers on floor 2 expired'],
  'sf.inspect.photos': ['现场照片', 'Photos'],
  'sf.inspect.severity': ['隐患等级', 'Severity'],
  'sf.inspect.deadline': ['整改期限', 'Deadline'],
  'sf.inspect.deadlineHint': ['默认15天，重大隐患7天', 'Default 15 days; 7 for serious'],
  'sf.inspect.location': ['具体位置', 'Exact place'],
  'sf.inspect.itemGrid': ['所在网格', 'Grid'],
  'sf.inspect.onSite': ['已当场整改（立行立改）', 'Put right on the spot'],
  'sf.inspect.basis': ['依据', 'Basis'],
  'sf.inspect.submitted': ['已提交，生成问题 {n} 条', 'Submitted; {n} findings raised'],
  'sf.inspect.draftSaved': ['草稿已保存到服务器', 'Draft saved on the server'],
  'sf.inspect.new': ['新建检查', 'New inspection'],
  'sf.inspect.discard': ['放弃本草稿', 'Discard this draft'],
  'sf.inspect.discardConfirm': [
    '放弃后本机草稿将清空，确定？',
    'The draft on this device will be cleared. Sure?',
  ],
  'sf.inspect.offline': [
    '当前离线：可继续填写，草稿保存在本机',
    'Offline: keep filling in; the draft stays on this device',
  ],
  'sf.inspect.history': ['检查记录', 'Records'],

  // inspection record
  'sf.record.title': ['安全检查记录', 'Safety inspection record'],
  'sf.record.items': ['检查情况', 'Items'],
  'sf.record.draft': ['草稿', 'Draft'],
  'sf.record.submitted': ['已提交', 'Submitted'],
  'sf.record.continue': ['继续填写', 'Continue'],
  'sf.record.notices': ['整改通知书', 'Rectification notices'],
  'sf.record.by': ['填报人', 'Recorded by'],
  'sf.record.result': ['结果', 'Result'],
  'sf.record.list': ['检查记录', 'Inspection records'],
  'sf.record.passed': ['合格', 'Pass'],
  'sf.record.failed': ['不合格', 'Fail'],

  // campaigns
  'sf.campaigns.title': ['专项整治', 'Campaigns'],
  'sf.campaigns.new': ['新建专项整治', 'New campaign'],
  'sf.campaigns.name': ['名称', 'Name'],
  'sf.campaigns.period': ['时间', 'Period'],
  'sf.campaigns.starts': ['开始日期', 'Starts'],
  'sf.campaigns.ends': ['结束日期', 'Ends'],
  'sf.campaigns.owner': ['组织单位', 'Run by'],
  'sf.campaigns.scope': ['检查范围', 'Scope'],
  'sf.campaigns.checklist': ['检查表（版本）', 'Checklist (version)'],
  'sf.campaigns.description': ['工作要求', 'Description'],
  'sf.campaigns.groups': ['检查组', 'Inspection groups'],
  'sf.campaigns.groupName': ['组名', 'Group'],
  'sf.campaigns.leader': ['组长', 'Leader'],
  'sf.campaigns.members': ['组员', 'Members'],
  'sf.campaigns.people': ['人数', 'People'],
  'sf.campaigns.visits': ['检查次数', 'Visits'],
  'sf.campaigns.addGroup': ['添加检查组', 'Add a group'],
  'sf.campaigns.inspections': ['检查记录数', 'Inspections'],
  'sf.campaigns.report': ['整治情况统计', 'Campaign report'],
  'sf.campaigns.partial': ['仅统计本辖区内的学校', 'Only the schools in your area are counted'],
  'sf.campaigns.personVisits': ['检查人次', 'Person-visits'],
  'sf.campaigns.covered': ['已检查学校', 'Schools visited'],
  'sf.campaigns.inScope': ['范围内学校', 'Schools in scope'],
  'sf.campaigns.byArea': ['按检查类别', 'By area'],
  'sf.campaigns.byGroup': ['按检查组', 'By group'],
  'sf.campaigns.byUnit': ['按县区', 'By county'],
  'sf.campaigns.notCovered': ['尚未检查的学校（{n}）', 'Schools not yet visited ({n})'],
  'sf.campaigns.noVisits': ['尚无检查记录', 'No inspections yet'],

  // templates
  'sf.templates.title': ['检查表管理', 'Checklist templates'],
  'sf.templates.new': ['新建检查表', 'New template'],
  'sf.templates.name': ['检查表名称', 'Name'],
  'sf.templates.owner': ['维护单位', 'Kept by'],
  'sf.templates.current': ['现行版本', 'Current version'],
  'sf.templates.draft': ['待发布草稿', 'Draft'],
  'sf.templates.items': ['检查项', 'Items'],
  'sf.templates.itemCount': ['{n} 项', '{n} items'],
  'sf.templates.version': ['第 {n} 版', 'Version {n}'],
  'sf.templates.publish': ['发布新版本', 'Publish'],
  'sf.templates.publishConfirm': [
    '发布后新的检查使用此版本，已进行的检查保留原版本。确定发布？',
    'New inspections will use this version; recorded ones keep theirs. Publish?',
  ],
  'sf.templates.published': ['已发布', 'Published'],
  'sf.templates.versions': ['版本记录', 'Versions'],
  'sf.templates.usedBy': ['检查 {i} 次 · 专项 {c} 个', '{i} inspections · {c} campaigns'],
  'sf.templates.text': ['检查内容', 'What to check'],
  'sf.templates.basis': ['依据（可选）', 'Legal basis (optional)'],
  'sf.templates.defaultSeverity': ['默认等级', 'Default severity'],
  'sf.templates.addItem': ['添加检查项', 'Add an item'],
  'sf.templates.saveItems': ['保存检查项', 'Save items'],
  'sf.templates.editHint': [
    '现行版本已发布，保存修改将生成新版本草稿，发布后生效；已有检查记录保留原版本。',
    'The current version is published: saving drafts the next version, used once published; recorded inspections keep theirs.',
  ],
  'sf.templates.copyFrom': ['从已有检查表复制检查项（可选）', 'Copy the items of a template (optional)'],
  'sf.templates.readOnly': ['上级检查表，仅可查看', 'A template of a bureau above: read only'],

  // self-checks
  'sf.self.title': ['月度自查情况', 'Monthly self-inspection'],
  'sf.self.submitted': ['已提交', 'Submitted'],
  'sf.self.draft': ['填报中', 'In progress'],
  'sf.self.missing': ['未开展', 'Not done'],
  'sf.self.remind': ['催报未完成学校', 'Remind the schools behind'],
  'sf.self.reminded': ['已提醒 {n} 所学校', '{n} schools reminded'],
  'sf.self.failed': ['不合格项', 'Failed items'],
  'sf.self.onlyMissing': ['只看未完成', 'Only those not done'],
  'sf.self.doneRate': ['完成率', 'Completion'],

  // grids
  'sf.grids.title': ['安全网格', 'Safety grids'],
  'sf.grids.new': ['新增网格', 'New grid'],
  'sf.grids.name': ['网格名称', 'Grid'],
  'sf.grids.location': ['区域范围', 'Area covered'],
  'sf.grids.person': ['责任人', 'Responsible person'],
  'sf.grids.phone': ['联系电话', 'Phone'],
  'sf.grids.user': ['责任人账号（接收隐患通知）', 'Account (told of findings)'],
  'sf.grids.openFindings': ['未销号隐患', 'Open findings'],
  'sf.grids.noPerson': ['未明确责任人', 'No person named'],
  'sf.grids.coverage': ['网格覆盖情况', 'Grid coverage'],
  'sf.grids.gridCount': ['网格数', 'Grids'],
  'sf.grids.staffed': ['有责任人', 'With a person'],
  'sf.grids.coverageRate': ['格中有人率', 'Staffed'],
  'sf.grids.withGrids': ['已划网格学校', 'Schools with grids'],
  'sf.grids.noGrids': ['未划分网格', 'No grids'],
  'sf.grids.pickSchool': ['选择学校查看或维护网格', 'Pick a school to see or keep its grids'],
  'sf.grids.slogan': [
    '全市有网、网中有格、格中有人、人人有责',
    'Every school a net, every net grids, every grid a person',
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type SafetyMessageKey = keyof typeof safetyMessages;
export type STFunction = (key: SafetyMessageKey, vars?: Record<string, string | number>) => string;

function format(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The shared `t`, the module's `s`, and the language. */
export function useSafetyI18n() {
  const { t, lang } = useI18n();
  const s = useCallback<STFunction>(
    (key, vars) => format(safetyMessages[key][lang === 'zh' ? 0 : 1], vars),
    [lang],
  );
  return { t, s, lang };
}
