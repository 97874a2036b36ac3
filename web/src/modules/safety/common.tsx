/** Pieces the safety pages share: loading a resource, a bar chart, a school picker, dates. */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Empty, Select } from 'antd';
import type { UnitPage } from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useEChart, type ChartOption } from '../../app/charts.ts';
import { useSafetyI18n } from './messages.ts';

export { addDays, chinaToday } from '../../app/dates.ts';
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

export { useResource } from '../../app/useResource.ts';

export function LoadError({ error, onRetry }: { error: string; onRetry: () => void }) {
  const { s } = useSafetyI18n();
  return (
    <Alert
      type="error"
      showIcon
      message={s('sf.loadFailed')}
      description={error}
      action={
        <Button size="small" onClick={onRetry}>
          {s('sf.retry')}
        </Button>
      }
    />
  );
}

export interface BarSeries {
  name: string;
  data: number[];
  color: string;
}

/** A grouped bar chart (vertical categories on phones stay readable: labels rotate). */
export function BarChart({
  categories,
  series,
  height = 300,
  testId,
}: {
  categories: string[];
  series: BarSeries[];
  height?: number;
  testId?: string;
}) {
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: categories,
        axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.data,
        itemStyle: { color: s.color },
        label: { show: true, position: 'top' },
      })),
    }),
    [categories, series],
  );
  const setEl = useEChart(option);
  if (categories.length === 0) return <Empty />;
  return <div ref={setEl} style={{ width: '100%', height }} data-testid={testId} className="safety-chart" />;
}

export const COLORS = { found: '#1558b0', rectified: '#30bf78', missing: '#e8684a', draft: '#f6a516' };

/** A school picker searching the schools in the actor's sight (GET /api/units?kind=school). */
export function SchoolSelect({
  value,
  onChange,
  initialName,
  disabled,
  testId,
}: {
  value?: string;
  onChange: (id: string | undefined, name?: string) => void;
  initialName?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const { s } = useSafetyI18n();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .get<UnitPage>('/api/units', { kind: 'school', q, pageSize: 50, status: 'active' }, controller.signal)
        .then(
          (p) => setOptions(p.items.map((u) => ({ value: u.id, label: `${u.name}` }))),
          () => undefined,
        );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);
  const all =
    value && initialName && !options.some((o) => o.value === value)
      ? [{ value, label: initialName }, ...options]
      : options;
  return (
    <Select
      showSearch
      allowClear
      value={value}
      placeholder={s('sf.inspect.chooseSchool')}
      filterOption={false}
      onSearch={setQ}
      options={all}
      disabled={disabled}
      onChange={(id: string | undefined) => onChange(id, all.find((o) => o.value === id)?.label)}
      style={{ width: '100%' }}
      data-testid={testId}
      size="large"
    />
  );
}
