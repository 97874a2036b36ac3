import { useMemo } from 'react';
import { Empty } from 'antd';
import { label, stageLabels, type UnitStats } from '@dudao/contracts';
import { useI18n } from '../../../app/i18n.tsx';
import { useEChart, type ChartOption } from '../../../app/charts.ts';

/** Schools by 学段, as a doughnut. */
export function StageChart({ byStage, compact }: { byStage: UnitStats['byStage']; compact: boolean }) {
  const { t, lang } = useI18n();
  const data = useMemo(() => byStage.filter((s) => s.count > 0), [byStage]);
  const option = useMemo<ChartOption>(
    () => ({
      color: ['#1558b0', '#36a3f7', '#30bf78', '#f6bd16', '#e8684a', '#9270ca', '#ff9d4d', '#5d7092'],
      tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          name: t('dash.byStage'),
          type: 'pie',
          radius: compact ? ['32%', '58%'] : ['40%', '68%'],
          center: ['50%', '45%'],
          avoidLabelOverlap: true,
          label: { formatter: '{b}\n{c}', show: !compact },
          data: data.map((s) => ({ name: label(stageLabels, s.stage, lang), value: s.count })),
        },
      ],
    }),
    [data, lang, t, compact],
  );
  const ref = useEChart(option);
  if (data.length === 0) return <Empty description={t('dash.noData')} />;
  return <div ref={ref} className="chart" data-testid="chart-stage" />;
}
