/** Compliance rates per county, one group of bars per county (机构/场地/人员/材料/资金/全部合规). */
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
import type { ComplianceRow } from '@dudao/contracts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);
type ChartOption = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export const ASPECTS = ['org', 'venue', 'staff', 'docs', 'funds', 'all'] as const;

export type ChartAspect = (typeof ASPECTS)[number];

/** The address of the institutions behind a bar: the county's institutions under supervision failing it. */
export function failingHref(unitId: string | null, aspect: ChartAspect): string {
  const q = new URLSearchParams({ supervised: 'yes', compliant: 'no' });
  if (aspect !== 'all') q.set('aspect', aspect);
  if (unitId) q.set('unitId', unitId);
  return `/training/institutions?${q.toString()}`;
}

/** Clicking a bar calls onPick with its county and aspect (the page opens the failing institutions). */
export function ComplianceChart({
  rows,
  names,
  onPick,
}: {
  rows: ComplianceRow[];
  names: Record<ChartAspect, string>;
  onPick?: (unitId: string | null, aspect: ChartAspect) => void;
}) {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 12, top: 40, bottom: 56 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${String(v)}%` },
      legend: { top: 0, type: 'scroll' },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.unitName.replace(/教育局$/, '')),
        axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 },
      },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: ASPECTS.map((a) => ({
        name: names[a],
        type: 'bar' as const,
        data: rows.map((r) => (r.total === 0 ? 0 : Math.round((r[a] / r.total) * 1000) / 10)),
      })),
    }),
    [rows, names],
  );
  useEffect(() => {
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.setOption(option);
    chart.on('click', (p) => {
      const row = rows[p.dataIndex];
      const aspect = ASPECTS[p.seriesIndex ?? -1];
      if (row && aspect) onPick?.(row.unitId, aspect);
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [el, option, rows, onPick]);
  return <div ref={setEl} className="training-chart" data-testid="training-compliance-chart" />;
}
