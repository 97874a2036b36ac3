/** The progress board as stacked bars: per county (or, inside one county, per status) the units by status. */
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
import { SUBMISSION_STATUSES, submissionStatusLabels, type Lang, type ProgressBoard } from '@dudao/contracts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

const COLORS: Record<string, string> = {
  not_started: '#bfbfbf',
  draft: '#69b1ff',
  returned: '#ff4d4f',
  submitted: '#faad14',
  approved: '#52c41a',
  accepted: '#13c2c2',
};

export function BoardChart({
  board,
  lang,
  onCounty,
}: {
  board: ProgressBoard;
  lang: Lang;
  onCounty?: (countyId: string) => void;
}) {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const option = useMemo<ChartOption>(() => {
    const counties = board.counties;
    return {
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, type: 'scroll' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: counties.map((c) => c.countyName), inverse: true },
      series: SUBMISSION_STATUSES.map((s) => ({
        name: submissionStatusLabels[s][lang === 'zh' ? 'zh' : 'en'],
        type: 'bar' as const,
        stack: 'all',
        itemStyle: { color: COLORS[s] },
        data: counties.map((c) => c.counts[s]),
      })),
    };
  }, [board, lang]);
  useEffect(() => {
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption(option);
    chart.on('click', (p) => {
      const c = board.counties[p.dataIndex];
      if (c) onCounty?.(c.countyId);
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [el, option, board, onCounty]);
  const height = Math.max(120, 60 + board.counties.length * 28);
  return <div ref={setEl} className="col-chart" style={{ height }} data-testid="col-board-chart" />;
}
