/** Tags and small helpers shared by the findings pages. */
import { Tag } from 'antd';
import {
  findingSeverityLabels,
  findingStatusLabels,
  label,
  type Finding,
  type FindingSeverity,
  type FindingStatus,
  type Lang,
} from '@dudao/contracts';
import { useFindingI18n, type FTFunction } from '../messages.ts';

const STATUS_COLORS: Record<FindingStatus, string> = {
  raised: 'default',
  notified: 'blue',
  rectifying: 'processing',
  submitted: 'gold',
  closed: 'success',
};
const SEVERITY_COLORS: Record<FindingSeverity, string> = {
  general: 'default',
  major: 'orange',
  serious: 'red',
};

export function FindingStatusTag({ status }: { status: FindingStatus }) {
  const { lang } = useFindingI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="finding-status" data-status={status}>
      {label(findingStatusLabels, status, lang)}
    </Tag>
  );
}

export function SeverityTag({ severity }: { severity: FindingSeverity }) {
  const { lang } = useFindingI18n();
  return (
    <Tag color={SEVERITY_COLORS[severity]} variant="outlined">
      {label(findingSeverityLabels, severity, lang)}
    </Tag>
  );
}

/** 逾期 / 已提级 for an open finding past its deadline. */
export function OverdueTags({ finding }: { finding: Pick<Finding, 'overdue' | 'escalatedAt' | 'status'> }) {
  const { f } = useFindingI18n();
  if (finding.status === 'closed') return null;
  return (
    <>
      {finding.overdue ? (
        <Tag color="error" data-testid="finding-overdue">
          {f('fd.overdue')}
        </Tag>
      ) : null}
      {finding.escalatedAt ? (
        <Tag color="volcano" data-testid="finding-escalated">
          {f('fd.escalated')}
        </Tag>
      ) : null}
    </>
  );
}

import { addDays, chinaToday } from '../../../app/dates.ts';
export { addDays, chinaToday };

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "剩3天" / "逾期5天" / "今日到期" for an open finding; '' once closed. */
export function deadlineHint(finding: Pick<Finding, 'deadline' | 'status'>, f: FTFunction): string {
  if (finding.status === 'closed') return '';
  const left = daysBetween(chinaToday(), finding.deadline);
  if (left > 0) return f('fd.daysLeft', { n: left });
  if (left === 0) return f('fd.dueToday');
  return f('fd.daysOver', { n: -left });
}

/** The page of the record a finding came from, when the web has one. */
export function sourceHref(sourceType: string | null, sourceId: string | null): string | null {
  if (!sourceType || !sourceId) return null;
  if (sourceType === 'inspector_visit') return `/inspectors/visits/${sourceId}`;
  if (sourceType === 'safety_inspection') return `/safety/inspections/${sourceId}`;
  if (sourceType === 'training_institution') return `/training/institutions/${sourceId}`;
  if (sourceType === 'complaint') return `/complaints/${sourceId}`;
  if (sourceType === 'plan_notice') return `/plans/notices?id=${encodeURIComponent(sourceId)}`;
  return null;
}

const SOURCE_TYPE_LABELS: Record<string, { zh: string; en: string }> = {
  inspector_visit: { zh: '督导记录', en: 'inspector visit' },
  safety_inspection: { zh: '安全检查记录', en: 'safety inspection' },
  training_institution: { zh: '校外培训机构', en: 'training institution' },
  complaint: { zh: '群众诉求', en: 'complaint' },
  plan_notice: { zh: '督办单', en: 'supervision notice' },
};

export function sourceTypeLabel(sourceType: string, lang: Lang): string {
  return SOURCE_TYPE_LABELS[sourceType]?.[lang] ?? sourceType;
}

/** 2026-03-04 → 2026年3月4日 (documents) or 4 March 2026. */
export function longDate(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  if (lang === 'zh') return `${y}年${m}月${d}日`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** 0.875 → "87.5%"; null → "—". */
export function percent(rate: number | null): string {
  if (rate === null) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}
