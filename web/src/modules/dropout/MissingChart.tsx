/** Submitted vs missing classes per county (or per school inside one county), stacked bars. */
import { useEffect, useMemo, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

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
  const [el, setEl] = useState<HTMLDivElement | null>(null);
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
  useEffect(() => {
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.setOption(option);
    const handler = (p: { dataIndex?: number }) => {
      if (typeof p.dataIndex === 'number') onClick?.(p.dataIndex);
    };
    chart.on('click', handler);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [el, option, onClick]);
  return <div ref={setEl} className="dropout-chart" data-testid="missing-chart" />;
}
