import { Tag } from 'antd';
import { importStatusLabels, label, type ImportStatus } from '@dudao/contracts';
import { useI18n } from '../../../app/i18n.tsx';

const COLORS: Record<ImportStatus, string> = {
  validating: 'processing',
  validated: 'warning',
  committing: 'processing',
  committed: 'success',
  failed: 'error',
  cancelled: 'default',
};

/** 校验中 / 待确认 / 导入中 / 已导入 / 失败 / 已取消. */
export function ImportStatusTag({ status }: { status: ImportStatus }) {
  const { lang } = useI18n();
  return (
    <Tag color={COLORS[status]} variant="filled" data-testid="import-status-tag">
      {label(importStatusLabels, status, lang)}
    </Tag>
  );
}
