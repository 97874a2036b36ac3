/** Pieces shared by the plans pages: data loading, status tags. */
import { Tag, Tooltip } from 'antd';
import { label, taskStatusLabels, type TaskStatus } from '@dudao/contracts';
import { useI18n } from '../../app/i18n.tsx';

export { useResource } from '../../app/useResource.ts';

export const STATUS_COLORS: Record<TaskStatus, string> = {
  done: 'blue',
  on_track: 'green',
  at_risk: 'gold',
  behind: 'red',
  overdue: 'magenta',
};

export function StatusTag({ status, reason }: { status: TaskStatus; reason?: string }) {
  const { lang } = useI18n();
  const tag = (
    <Tag color={STATUS_COLORS[status]} data-testid={`status-${status}`}>
      {label(taskStatusLabels, status, lang)}
    </Tag>
  );
  return reason ? <Tooltip title={reason}>{tag}</Tooltip> : tag;
}

export const shortUnit = (name: string) =>
  name.replace(/(教育和体育局|教育体育局|教体局|教育局)$/, '') || name;
