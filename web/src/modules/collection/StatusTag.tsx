/** A submission's status as a coloured tag. */
import { Tag } from 'antd';
import { submissionStatusLabels, type Lang, type SubmissionStatus } from '@dudao/contracts';

export const STATUS_COLORS: Record<SubmissionStatus, string> = {
  not_started: 'default',
  draft: 'processing',
  submitted: 'gold',
  returned: 'red',
  approved: 'green',
  accepted: 'cyan',
};

export function StatusTag({ status, lang }: { status: SubmissionStatus; lang: Lang }) {
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={`status-${status}`}>
      {submissionStatusLabels[status][lang === 'zh' ? 'zh' : 'en']}
    </Tag>
  );
}
