/**
 * The statistics charts: found vs rectified bars with the rectification rate as a line (by unit), and
 * found vs rectified by category; a click drills down to the items.
 */
import { useMemo } from 'react';
import { Empty } from 'antd';
import { findingCategoryLabels, label, type FindingStats } from '@dudao/contracts';
import { useEChart, type ChartClick, type ChartOption } from '../../../app/charts.ts';
import { useFindingI18n } from '../messages.ts';

const FOUND = '#1558b0';
const RECTIFIED = '#30bf78';
const RATE = '#f6a516';

/** "XX县教育局" → "XX县", "XX市第一中学" stays: axis labels only; tooltips show the full name. */
function shortName(name: string): string {
  const short = name.replace(/(教育和体育局|教育体育局|教体局|教育局)$/, '');
  return short || name;
}

export function UnitChart({
  byUnit,
  compact,
  onPick,
}: {
  byUnit: FindingStats['byUnit'];
  compact: boolean;
  onPick?: (unitId: string) => void;
}) {
  const { f } = useFindingI18n();
  const option = useMemo<ChartOption>(() => {
    const rotate = byUnit.length > (compact ? 3 : 8) ? 35 : 0;
    return {
      color: [FOUND, RECTIFIED, RATE],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: byUnit.map((u) => u.unitName),
        axisLabel: {
          interval: 0,
          rotate,
          formatter: (v: string) => {
            const s = shortName(v);
            return s.length > 8 ? `${s.slice(0, 8)}…` : s;
          },
        },
      },
      yAxis: [
        { type: 'value', minInterval: 1 },
        {
          type: 'value',
          min: 0,
          max: 100,
          splitLine: { show: false },
          axisLabel: { formatter: '{value}%' },
        },
      ],
      series: [
        {
          name: f('fd.found'),
          type: 'bar',
          barMaxWidth: 26,
          data: byUnit.map((u) => u.found),
        },
        {
          name: f('fd.rectified'),
          type: 'bar',
          barMaxWidth: 26,
          data: byUnit.map((u) => u.rectified),
        },
        {
          name: f('fd.rate'),
          type: 'line',
          yAxisIndex: 1,
          symbolSize: 7,
          data: byUnit.map((u) => (u.rate === null ? null : Math.round(u.rate * 1000) / 10)),
          tooltip: { valueFormatter: (v) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
        },
      ],
    };
  }, [byUnit, compact, f]);
  const pick = useMemo(
    () =>
      onPick
        ? ({ dataIndex }: ChartClick) => byUnit[dataIndex] && onPick(byUnit[dataIndex].unitId)
        : undefined,
    [byUnit, onPick],
  );
  const ref = useEChart(option, pick);
  if (byUnit.length === 0) return <Empty description={f('fd.noData')} />;
  return <div ref={ref} className="chart finding-chart" data-testid="finding-chart-unit" />;
}

export function CategoryChart({
  byCategory,
  compact,
  onPick,
}: {
  byCategory: FindingStats['byCategory'];
  compact: boolean;
  onPick?: (category: string) => void;
}) {
  const { f, lang } = useFindingI18n();
  // The largest first, at the top of a horizontal bar chart.
  const rows = useMemo(
    () => byCategory.filter((c) => c.found > 0).sort((a, b) => a.found - b.found),
    [byCategory],
  );
  const option = useMemo<ChartOption>(
    () => ({
      color: [FOUND, RECTIFIED],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: rows.map((c) => label(findingCategoryLabels, c.category, lang)),
        axisLabel: {
          width: compact ? 80 : 130,
          overflow: 'truncate',
        },
      },
      series: [
        { name: f('fd.found'), type: 'bar', barMaxWidth: 14, data: rows.map((c) => c.found) },
        { name: f('fd.rectified'), type: 'bar', barMaxWidth: 14, data: rows.map((c) => c.rectified) },
      ],
    }),
    [rows, lang, compact, f],
  );
  const pick = useMemo(
    () =>
      onPick ? ({ dataIndex }: ChartClick) => rows[dataIndex] && onPick(rows[dataIndex].category) : undefined,
    [rows, onPick],
  );
  const ref = useEChart(option, pick);
  if (rows.length === 0) return <Empty description={f('fd.noData')} />;
  return (
    <div
      ref={ref}
      className="chart finding-chart"
      style={{ height: Math.max(240, rows.length * 34 + 60) }}
      data-testid="finding-chart-category"
    />
  );
}
