/** The calculator's CSV template: the header as evaluators name the columns, with one example row. */
/** The table's columns as evaluators name them (the server also takes synonyms); 万元 is converted. */
const TEMPLATE_COLUMNS = [
  '学校名称',
  '学段',
  '在校生数',
  '小学在校生数',
  '初中在校生数',
  '高中在校生数',
  '高于规定学历教师数',
  '县级以上骨干教师数',
  '体育艺术专任教师数',
  '教学及辅助用房面积（平方米）',
  '体育运动场馆面积（平方米）',
  '教学仪器设备值（万元）',
  '网络多媒体教室数',
  '计算机台数',
  '图书册数',
  '专任教师数',
  '中级及以上职称教师数',
];

/** A CSV (UTF-8 with BOM, so Excel opens it in Chinese) with the header and one example row. */
export function downloadTemplate() {
  const example = [
    '某某小学',
    '小学',
    '600',
    '',
    '',
    '',
    '30',
    '6',
    '6',
    '2800',
    '4600',
    '130',
    '14',
    '60',
    '18000',
    '36',
    '20',
  ];
  const csv = '\uFEFF' + [TEMPLATE_COLUMNS, example].map((r) => r.join(',')).join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = '均衡发展测算模板.csv';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
