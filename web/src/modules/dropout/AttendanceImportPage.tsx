/**
 * 批量导入考勤: the shared import wizard (template, upload, dry run, error report, commit) for the `attendance`
 * kind, with a note on what a file does to the sheets it covers.
 */
import { Alert } from 'antd';
import { ImportPage } from '../imports/index.tsx';
import { useDropoutI18n } from './messages.ts';

export default function AttendanceImportPage() {
  const { d } = useDropoutI18n();
  return (
    <ImportPage
      kind="attendance"
      intro={<Alert type="info" showIcon message={d('att.importHint')} style={{ marginBottom: 12 }} />}
    />
  );
}
