/** Submitted vs missing classes per county (or per school inside one county), stacked bars. */
import { useMemo } from 'react';
import { useEChart, type ChartClick, type ChartOption } from '../../app/charts.ts';

export interface MissingBar {
  name: string;
  submitted: number;
  missing: number;
}

export function MissingChart({
  bars,
  labels,
  onClick,
}: {
  bars: MissingBar[];
  labels: { submitted: string; missing: string };
  onClick?: (index: number) => void;
}) {
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 16, top: 32, bottom: 64 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: {
        type: 'category',
        data: bars.map((b) => b.name),
        axisLabel: { interval: 0, rotate: bars.length > 4 ? 30 : 0 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: labels.submitted,
          type: 'bar',
          stack: 'c',
          data: bars.map((b) => b.submitted),
          itemStyle: { color: '#52c41a' },
        },
        {
          name: labels.missing,
          type: 'bar',
          stack: 'c',
          data: bars.map((b) => b.missing),
          itemStyle: { color: '#ff4d4f' },
        },
      ],
    }),
    [bars, labels],
  );
  const pick = useMemo(
    () => (onClick ? ({ dataIndex }: ChartClick) => onClick(dataIndex) : undefined),
    [onClick],
  );
  const setEl = useEChart(option, pick);
  return <div ref={setEl} className="dropout-chart" data-testid="missing-chart" />;
}
