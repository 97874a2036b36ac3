import { useMemo } from 'react';
import { Empty } from 'antd';
import type { UnitStats } from '@dudao/contracts';
import { useI18n } from '../../../app/i18n.tsx';
import { useEChart, type ChartOption } from '../../../app/charts.ts';

/** "XX县教育局" → "XX县" for the axis; the tooltip shows the full name. */
function shortName(name: string): string {
  const short = name.replace(/(教育和体育局|教育体育局|教体局|教育局)$/, '');
  return short || name;
}

/** Schools (left axis) and users (right axis) per county bureau. */
export function CountyChart({ byCounty, compact }: { byCounty: UnitStats['byCounty']; compact: boolean }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const rotate = byCounty.length > (compact ? 3 : 8) ? 35 : 0;
    return {
      color: ['#1558b0', '#30bf78'],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 40, bottom: 8 },
      xAxis: {
        type: 'category',
        data: byCounty.map((c) => c.name),
        axisLabel: { interval: 0, rotate, formatter: (v: string) => shortName(v) },
      },
      yAxis: [
        { type: 'value', name: t('dash.seriesSchools'), minInterval: 1 },
        { type: 'value', name: t('dash.seriesUsers'), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        {
          name: t('dash.seriesSchools'),
          type: 'bar',
          yAxisIndex: 0,
          barMaxWidth: 28,
          data: byCounty.map((c) => c.schools),
        },
        {
          name: t('dash.seriesUsers'),
          type: 'bar',
          yAxisIndex: 1,
          barMaxWidth: 28,
          data: byCounty.map((c) => c.users),
        },
      ],
    };
  }, [byCounty, t, compact]);
  const ref = useEChart(option);
  if (byCounty.length === 0) return <Empty description={t('dash.noData')} />;
  return <div ref={ref} className="chart" data-testid="chart-county" />;
}
