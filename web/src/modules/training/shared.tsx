/** Small pieces shared by the training pages: tags, yuan, the county options. */
import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import {
  label,
  listStatusLabels,
  trainingStatusLabels,
  type Lang,
  type ListStatus,
  type TrainingStatus,
  type UnitPage,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';

const statusColor: Record<TrainingStatus, string> = {
  applied: 'default',
  approved: 'cyan',
  operating: 'green',
  rectifying: 'orange',
  suspended: 'volcano',
  closed: 'default',
  banned: 'red',
  converted: 'purple',
};

export function StatusTag({ status, lang }: { status: TrainingStatus; lang: Lang }) {
  return <Tag color={statusColor[status]}>{label(trainingStatusLabels, status, lang)}</Tag>;
}

export function ListTag({ list, lang }: { list: ListStatus; lang: Lang }) {
  if (list === 'none') return <span className="training-muted">{label(listStatusLabels, list, lang)}</span>;
  return (
    <Tag color={list === 'white' ? 'success' : 'error'} data-testid={`list-${list}`}>
      {label(listStatusLabels, list, lang)}
    </Tag>
  );
}

export const yuan = (v: number | null | undefined) =>
  v === null || v === undefined
    ? '—'
    : v.toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });

export const pct = (n: number, d: number) => (d === 0 ? '—' : `${((n / d) * 100).toFixed(1)}%`);

/** The county bureaus the user can see (for filters and registration). */
export function useCounties() {
  const [counties, setCounties] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    api
      .get<UnitPage>('/api/units', { kind: 'county_bureau', pageSize: 200 })
      .then((p) => setCounties(p.items.map((u) => ({ value: u.id, label: u.name }))))
      .catch(() => setCounties([]));
  }, []);
  return counties;
}
