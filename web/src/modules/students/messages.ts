/**
 * Texts of the student-registry pages: [中文, English], like app/messages.ts, kept beside the pages so the
 * shared dictionary stays small. Enumeration labels (statuses, stages, flags …) come from @dudao/contracts.
 */
import { moduleMessages } from '../../app/i18n.tsx';

export const studentMessages = {
  // roster
  'stu.title': ['学生名册', 'Student roster'],
  'stu.registry': ['学籍管理', 'Student registry'],
  'stu.searchPlaceholder': [
    '姓名、拼音首字母、学籍号或身份证号',
    'Name, pinyin initials, student number or ID number',
  ],
  'stu.unitFilter': ['学校或教育局', 'School or bureau'],
  'stu.stage': ['学段', 'Stage'],
  'stu.grade': ['年级', 'Grade'],
  'stu.flags': ['特殊标记', 'Flags'],
  'stu.capped': [
    '匹配超过 {n} 条，仅显示前 {n} 条，请输入更完整的姓名、学籍号或身份证号',
    'More than {n} matches: the first {n} are shown; type more of the name or number',
  ],
  'stu.rosterCapped': [
    '超过 {n} 名学生，可翻阅前 {n} 名；请按学校、年级或班级筛选',
    'More than {n} students: the first {n} can be paged; filter by school, grade or class',
  ],
  'stu.create': ['新增学生', 'New student'],
  'stu.import': ['导入', 'Import'],
  'stu.export': ['导出', 'Export'],
  'stu.exportXlsx': ['导出 Excel（.xlsx）', 'Export Excel (.xlsx)'],
  'stu.exportCsv': ['导出 CSV（.csv）', 'Export CSV (.csv)'],
  'stu.exportHint': [
    '按当前筛选条件导出，身份证号打码；导出记入审计日志。',
    'Exports what the filters select, with ID numbers masked; every export is audited.',
  ],
  'stu.name': ['姓名', 'Name'],
  'stu.sex': ['性别', 'Sex'],
  'stu.birthDate': ['出生日期', 'Birth date'],
  'stu.idNumber': ['身份证号', 'ID number'],
  'stu.studentNo': ['学籍号', 'Student number'],
  'stu.school': ['学校', 'School'],
  'stu.class': ['班级', 'Class'],
  'stu.gradeClass': ['年级班级', 'Grade / class'],
  'stu.status': ['学籍状态', 'Status'],
  'stu.ethnicity': ['民族', 'Ethnicity'],
  'stu.hukou': ['户籍所在地', 'Household registration'],
  'stu.hukouCode': ['户籍所在地区划代码', 'Household division code'],
  'stu.hukouHint': ['6 位行政区划代码，如 220302', 'A 6-digit division code, e.g. 220302'],
  'stu.address': ['现住址', 'Address'],
  'stu.enrolledOn': ['入学日期', 'Enrolled on'],
  'stu.disability': ['残疾类别', 'Disability category'],
  'stu.createdAt': ['建档时间', 'Record created'],
  'stu.updatedAt': ['最近修改', 'Last changed'],
  'stu.open': ['查看', 'Open'],
  'stu.noIdNumber': ['未登记', 'Not recorded'],
  'stu.noClass': ['未分班', 'No class'],
  'stu.empty': ['没有符合条件的学生', 'No students match'],
  'stu.age': ['{n} 岁', 'age {n}'],

  // detail
  'stu.detail': ['学生详情', 'Student'],
  'stu.basic': ['基本信息', 'Basic information'],
  'stu.guardians': ['监护人', 'Guardians'],
  'stu.guardianName': ['姓名', 'Name'],
  'stu.guardianRelation': ['关系', 'Relation'],
  'stu.guardianPhone': ['联系电话', 'Phone'],
  'stu.noGuardians': ['未登记监护人', 'No guardians recorded'],
  'stu.history': ['学籍变动记录', 'History'],
  'stu.noHistory': ['暂无变动记录', 'No history'],
  'stu.transfers': ['转学记录', 'Transfers'],
  'stu.noTransfers': ['暂无转学记录', 'No transfers'],
  'stu.by': ['经办人：{name}', 'By {name}'],
  'stu.reasonLine': ['原因：{r}', 'Reason: {r}'],
  'tr.reasonLine': ['转学原因：{r}', 'Reason: {r}'],
  'stu.recordedAt': ['登记于 {time}', 'Recorded {time}'],
  'stu.reveal': ['显示完整身份证号', 'Show full ID number'],
  'stu.revealTitle': ['完整身份证号 · {name}', 'Full ID number · {name}'],
  'stu.revealAudited': ['本次查看已记录在审计日志中。', 'This view has been recorded in the audit trail.'],
  'stu.revealDenied': ['您没有查看完整身份证号的权限。', 'You may not see full ID numbers.'],
  'stu.edit': ['编辑信息', 'Edit'],
  'stu.editTitle': ['编辑学生：{name}', 'Edit student: {name}'],
  'stu.changeStatus': ['学籍变动', 'Change status'],
  'stu.requestTransfer': ['申请转学', 'Request transfer'],
  'stu.loadFailed': ['学生信息加载失败', 'The student could not be loaded'],
  'stu.readOnlyHint': [
    '您的账号可以查看学籍，修改请联系学校或教育局管理员。',
    'You may view the registry; ask a school or bureau administrator to make changes.',
  ],
  'stu.pendingTransfer': [
    '该学生有一项待接收的转学申请（转往 {school}）。',
    'This student has an open transfer request (to {school}).',
  ],

  // form
  'stu.formSchool': ['学校', 'School'],
  'stu.idNumberKeep': ['当前：{masked}；留空则不修改', 'Now {masked}; leave empty to keep it'],
  'stu.idNumberClear': ['清除身份证号', 'Remove the ID number'],
  'stu.idNumberHint': [
    '填写身份证号后，性别和出生日期可留空，由号码得出。',
    'With an ID number, sex and birth date may be left empty: they are read from it.',
  ],
  'stu.studentNoHint': [
    '1 位字母加 18 位数字，如 G + 身份证号',
    'A letter and 18 digits, e.g. G + ID number',
  ],
  'stu.validStudentNo': ['学籍号格式不正确', 'Not a valid student number'],
  'stu.validRegion': ['区划代码为 6 位数字', 'A division code has 6 digits'],
  'stu.classHint': ['选班级后年级随班级确定', 'Choosing a class sets the grade'],
  'stu.gradeNeeded': ['请选择年级或班级', 'Choose a grade or a class'],
  'stu.addGuardian': ['添加监护人', 'Add guardian'],
  'stu.removeGuardian': ['删除监护人', 'Remove guardian'],
  'stu.pickSchoolFirst': ['请先选择学校', 'Choose a school first'],
  'stu.created': ['已建立学籍', 'Student enrolled'],
  'stu.sectionIdentity': ['身份信息', 'Identity'],
  'stu.sectionSchool': ['在校信息', 'At school'],
  'stu.sectionFamily': ['家庭与特殊情况', 'Family and circumstances'],

  // status change
  'stu.statusTitle': ['学籍变动：{name}', 'Change status: {name}'],
  'stu.newStatus': ['变动为', 'New status'],
  'stu.effectiveOn': ['生效日期', 'Effective on'],
  'stu.statusNone': ['该学生当前状态不能再变动。', 'No further status change is possible for this student.'],
  'stu.statusHintTransfer': [
    '“转出”用于转往平台以外的学校；转往平台内学校请用“申请转学”。辍学由控辍保学模块登记。',
    '“Transferred out” is for schools outside the platform; within it, request a transfer. Dropping out is recorded by the dropout module.',
  ],
  'stu.statusDone': ['学籍状态已变更', 'Status changed'],
  'stu.dateRequired': ['请选择日期', 'Choose a date'],

  // transfers
  'tr.title': ['转学管理', 'Transfers'],
  'tr.pending': ['待办理', 'Open'],
  'tr.decided': ['已办结', 'Settled'],
  'tr.direction': ['方向', 'Direction'],
  'tr.in': ['转入本校/辖区', 'Incoming'],
  'tr.out': ['转出本校/辖区', 'Outgoing'],
  'tr.student': ['学生', 'Student'],
  'tr.from': ['转出学校', 'From'],
  'tr.to': ['接收学校', 'To'],
  'tr.reason': ['转学原因', 'Reason'],
  'tr.requested': ['申请', 'Requested'],
  'tr.decision': ['办理结果', 'Decision'],
  'tr.decisionReason': ['办理说明', 'Decision note'],
  'tr.confirm': ['接收', 'Confirm'],
  'tr.reject': ['退回', 'Reject'],
  'tr.cancel': ['撤销', 'Cancel request'],
  'tr.confirmTitle': ['接收「{name}」转入 {school}？', 'Receive {name} at {school}?'],
  'tr.confirmHint': [
    '接收后学生的学籍转入本校（需重新分班），转出学校记录“转出”。',
    'The student moves to this school (assign a class afterwards); the leaving school records the transfer out.',
  ],
  'tr.cancelTitle': ['撤销「{name}」的转学申请？', 'Cancel the transfer request of {name}?'],
  'tr.rejectTitle': ['退回「{name}」的转学申请', 'Reject the transfer of {name}'],
  'tr.rejectReason': ['退回原因', 'Reason for rejecting'],
  'tr.confirmed': ['已接收', 'Confirmed'],
  'tr.rejected': ['已退回', 'Rejected'],
  'tr.cancelled': ['已撤销', 'Cancelled'],
  'tr.requestTitle': ['申请转学：{name}', 'Request a transfer: {name}'],
  'tr.target': ['接收学校', 'Receiving school'],
  'tr.targetInArea': ['辖区内学校', 'School in my area'],
  'tr.targetByCode': ['按学校标识码（外县区）', 'By school code (elsewhere)'],
  'tr.targetCodeHint': [
    '转往其他县区的学校，请填写对方的 10 位学校标识码。',
    'For a school in another county, enter its 10-digit school code.',
  ],
  'tr.requestHint': [
    '申请提交后由接收学校办理接收或退回；办结前可撤销。',
    'The receiving school confirms or rejects the request; until then you may cancel it.',
  ],
  'tr.sameSchool': ['接收学校不能是学生现在的学校', "The receiving school cannot be the student's own"],
  'tr.requestDone': ['转学申请已提交', 'Transfer requested'],
  'tr.empty': ['暂无转学申请', 'No transfers'],
  'tr.viewStudent': ['查看学生', 'Open student'],

  // classes
  'cls.title': ['班级管理', 'Classes'],
  'cls.school': ['学校', 'School'],
  'cls.pickSchool': ['选择学校', 'Choose a school'],
  'cls.pickSchoolHint': ['请先选择一所学校查看其班级', 'Choose a school to see its classes'],
  'cls.schoolYear': ['学年', 'School year'],
  'cls.schoolYearLabel': ['{y}–{next} 学年', '{y}–{next}'],
  'cls.allYears': ['全部学年', 'All years'],
  'cls.name': ['班级', 'Class'],
  'cls.headTeacher': ['班主任', 'Head teacher'],
  'cls.students': ['在读人数', 'Students in school'],
  'cls.roster': ['花名册', 'Roster'],
  'cls.rosterTitle': ['{name} 花名册', 'Roster of {name}'],
  'cls.create': ['新建班级', 'New class'],
  'cls.createTitle': ['新建班级（{school}）', 'New class ({school})'],
  'cls.nameHint': ['如 1班、(2)班', 'e.g. 1班, (2)班'],
  'cls.total': ['{n} 个班级，在读 {m} 人', '{n} classes, {m} students in school'],
  'cls.empty': ['该学年没有班级', 'No classes in this year'],

  // checks
  'chk.title': ['数据核查', 'Data checks'],
  'chk.intro': [
    '平台每次打开时重新核查辖区内的学籍数据。发现的问题需由学校核实后在学生详情中更正，平台不会自动修改。',
    'The registry is checked each time this page opens. Schools verify each finding and correct the record; nothing is changed automatically.',
  ],
  'chk.type': ['问题类型', 'Finding'],
  'chk.allTypes': ['全部类型', 'All findings'],
  'chk.detail': ['说明', 'Details'],
  'chk.expectedBirth': [
    '登记出生日期 {r}，身份证号中为 {v}',
    'Recorded birth date {r}; the ID number says {v}',
  ],
  'chk.expectedBirthHidden': [
    '登记出生日期 {r}，与身份证号不一致（无权查看号码中的日期）',
    'Recorded birth date {r} differs from the ID number (you may not see its date)',
  ],
  'chk.expectedSex': ['登记性别为{r}，身份证号中为{v}', 'Recorded sex {r}; the ID number says {v}'],
  'chk.otherSchools': ['同时在读于：{v}', 'Also enrolled at: {v}'],
  'chk.overAge': [
    '{y} 年 8 月 31 日时 {age} 岁，该年级正常为 {normal} 岁',
    'Age {age} on 31 August {y}; normal for the grade: {normal}',
  ],
  'chk.none': ['未发现问题', 'Nothing found'],
  'chk.schoolYear': ['按 {y}–{next} 学年计算年龄', 'Ages for the {y}–{next} school year'],
} as const satisfies Record<string, readonly [string, string]>;

export type StudentMessageKey = keyof typeof studentMessages;
export type STFunction = (key: StudentMessageKey, vars?: Record<string, string | number>) => string;

/** The shared `t`, the module's `s`, and the language. */
const useMessages = moduleMessages(studentMessages);

export function useStudentI18n() {
  const { t, m, lang } = useMessages();
  return { t, s: m, lang };
}
