/** The coefficients of a stage as bars against the limit line (echarts, tree-shaken). */
import { useMemo } from 'react';
import { balanceIndicatorLabels, type BalanceStageResult, type Lang } from '@dudao/contracts';
import { type BTFunction } from './messages.ts';
import { L } from './format.ts';
import { useEChart, type ChartOption } from '../../app/charts.ts';

export function CvChart({ stage, lang, b }: { stage: BalanceStageResult; lang: Lang; b: BTFunction }) {
  const option = useMemo<ChartOption>(() => {
    const qs = stage.quality.indicators;
    const limit = qs[0]?.cvLimit ?? 0.5;
    return {
      grid: { left: 48, right: 24, top: 24, bottom: 96 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: qs.map((q) => L(lang, balanceIndicatorLabels[q.key])),
        axisLabel: { interval: 0, rotate: 30, fontSize: 11, width: 120, overflow: 'truncate' },
      },
      // The limit line stays in view even when every coefficient is far below it.
      yAxis: {
        type: 'value',
        name: b('bal.cv'),
        max: Math.ceil(Math.max(limit, ...qs.map((q) => q.cv ?? 0)) * 11) / 10,
      },
      series: [
        {
          type: 'bar',
          name: b('bal.cv'),
          barMaxWidth: 36,
          data: qs.map((q) => ({
            value: q.cv ?? 0,
            itemStyle: { color: q.passed === false ? '#cf1322' : q.cv === null ? '#bfbfbf' : '#1558b0' },
          })),
          markLine: {
            symbol: 'none',
            lineStyle: { color: '#cf1322', type: 'dashed' },
            label: { formatter: `${b('bal.limitLine')} ${limit}` },
            data: [{ yAxis: limit }],
          },
        },
      ],
    };
  }, [stage, lang, b]);
  const ref = useEChart(option);
  return <div ref={ref} className="bal-chart" role="img" aria-label={b('bal.chart')} />;
}
