import { Tag } from 'antd';
import { label, statusLabels } from '@dudao/contracts';
import { useI18n } from '../../../app/i18n.tsx';

const COLORS: Record<string, string> = { active: 'success', disabled: 'default', locked: 'warning' };

/** 正常 / 已停用 / 已锁定 as a coloured tag. */
export function StatusTag({ status }: { status: string }) {
  const { lang } = useI18n();
  return (
    <Tag color={COLORS[status] ?? 'default'} variant="filled">
      {label(statusLabels, status, lang)}
    </Tag>
  );
}
