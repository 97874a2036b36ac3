/** Compliance rates per county, one group of bars per county (机构/场地/人员/材料/资金/全部合规). */
import { useMemo } from 'react';
import type { ComplianceRow } from '@dudao/contracts';
import { useEChart, type ChartClick, type ChartOption } from '../../app/charts.ts';

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
  const pick = useMemo(
    () =>
      onPick
        ? ({ dataIndex, seriesIndex }: ChartClick) => {
            const row = rows[dataIndex];
            const aspect = ASPECTS[seriesIndex];
            if (row && aspect) onPick(row.unitId, aspect);
          }
        : undefined,
    [rows, onPick],
  );
  const setEl = useEChart(option, pick);
  return <div ref={setEl} className="training-chart" data-testid="training-compliance-chart" />;
}
