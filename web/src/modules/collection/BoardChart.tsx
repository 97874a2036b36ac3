/** The progress board as stacked bars: per county (or, inside one county, per status) the units by status. */
import { useMemo } from 'react';
import { SUBMISSION_STATUSES, submissionStatusLabels, type Lang, type ProgressBoard } from '@dudao/contracts';
import { useEChart, type ChartClick, type ChartOption } from '../../app/charts.ts';

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
  const pick = useMemo(
    () =>
      onCounty
        ? ({ dataIndex }: ChartClick) => {
            const c = board.counties[dataIndex];
            if (c) onCounty(c.countyId);
          }
        : undefined,
    [board, onCounty],
  );
  const setEl = useEChart(option, pick);
  const height = Math.max(120, 60 + board.counties.length * 28);
  return <div ref={setEl} className="col-chart" style={{ height }} data-testid="col-board-chart" />;
}
