/**
 * 诉求统计: for a scope and a period of receipt — the sentence, the counts and the three rates (办结率,
 * 按期答复率, 满意率), charts by unit, category, channel and month, and tables whose numbers open the inbox
 * with the same filter (drill-down). The choices live in the address.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Card, Col, DatePicker, Row, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import {
  complaintCategoryLabels,
  complaintChannelLabels,
  label,
  type ComplaintCounts,
  type ComplaintStats,
} from '@dudao/contracts';
import { api, toQuery } from '../../app/api.ts';
import { useEChart, type ChartClick, type ChartOption } from '../../app/charts.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { useComplaintI18n } from './messages.ts';
import './complaints.css';

type Pick = ChartClick;

/**
 * One chart in a card; clicking a bar, point or slice calls onPick with its indexes (the page opens the
 * complaints behind it).
 */
function ChartCard({
  title,
  option,
  height = 280,
  testId,
  hint,
  onPick,
}: {
  title: string;
  option: ChartOption;
  height?: number;
  testId: string;
  hint: string;
  onPick: (p: Pick) => void;
}) {
  const setEl = useEChart(option, onPick);
  return (
    <Card
      size="small"
      title={title}
      extra={
        <Typography.Text type="secondary" className="complaints-chart-hint">
          {hint}
        </Typography.Text>
      }
    >
      <div ref={setEl} style={{ height, width: '100%' }} data-testid={testId} />
    </Card>
  );
}

/** The days of a month (YYYY-MM) within the period chosen, if any. */
function monthRange(month: string, from?: string, to?: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const first = `${month}-01`;
  return { from: from && from > first ? from : first, to: to && to < last ? to : last };
}

const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

export default function StatsPage() {
  const { m, lang } = useComplaintI18n();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [stats, setStats] = useState<ComplaintStats | null>(null);
  const under = params.get('under') ?? undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;

  useEffect(() => {
    setStats(null);
    api
      .get<ComplaintStats>('/api/complaints/stats', { under, from, to })
      .then(setStats)
      .catch((e: unknown) => feedback.error(e));
  }, [under, from, to, feedback]);

  const set = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };
  const drill = (extra: Record<string, string | undefined>) =>
    `/complaints${toQuery({ under, from, to, ...extra })}`;

  const unitOption = useMemo<ChartOption>(() => {
    const rows = stats?.byUnit ?? [];
    const names = rows.map((u) => u.name.replace(/(教育局)$/, ''));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 36, bottom: 60 },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: names.length > 3 ? 30 : 0, interval: 0 } },
      yAxis: [{ type: 'value' }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        {
          name: m('c.receivedN'),
          type: 'bar',
          data: rows.map((u) => u.received),
          itemStyle: { color: '#1558b0' },
        },
        {
          name: m('c.closedN'),
          type: 'bar',
          data: rows.map((u) => u.closed),
          itemStyle: { color: '#30bf78' },
        },
        {
          name: m('c.satisfactionRate'),
          type: 'line',
          yAxisIndex: 1,
          data: rows.map((u) => u.satisfactionRate),
          itemStyle: { color: '#f6a516' },
        },
      ],
    };
  }, [stats, m]);
  const categoryOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['35%', '62%'],
          center: ['50%', '45%'],
          data: (stats?.byCategory ?? []).map((c) => ({
            name: label(complaintCategoryLabels, c.category, lang),
            value: c.received,
          })),
        },
      ],
    }),
    [stats, lang],
  );
  const channelOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['35%', '62%'],
          center: ['50%', '45%'],
          data: (stats?.byChannel ?? []).map((c) => ({
            name: label(complaintChannelLabels, c.channel, lang),
            value: c.received,
          })),
        },
      ],
    }),
    [stats, lang],
  );
  const monthOption = useMemo<ChartOption>(() => {
    const rows = stats?.byMonth ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 36, bottom: 30 },
      xAxis: { type: 'category', data: rows.map((r) => r.month) },
      yAxis: [{ type: 'value' }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        {
          name: m('c.receivedN'),
          type: 'bar',
          data: rows.map((r) => r.received),
          itemStyle: { color: '#1558b0' },
        },
        {
          name: m('c.closeRate'),
          type: 'line',
          yAxisIndex: 1,
          data: rows.map((r) => r.closeRate),
          itemStyle: { color: '#30bf78' },
        },
        {
          name: m('c.inTimeRate'),
          type: 'line',
          yAxisIndex: 1,
          data: rows.map((r) => r.inTimeRate),
          itemStyle: { color: '#f6a516' },
        },
      ],
    };
  }, [stats, m]);

  // Drill-down from the charts: the series' figure (受理 / 办结 / 满意 …) of the bar, point or slice clicked.
  const hint = m('c.drillHint');
  const go = useCallback(
    (extra: Record<string, string | undefined>) =>
      void navigate(`/complaints${toQuery({ under, from, to, ...extra })}`),
    [navigate, under, from, to],
  );
  const pickUnit = useCallback(
    ({ dataIndex, seriesIndex }: Pick) => {
      const u = stats?.byUnit[dataIndex];
      if (u) go({ under: u.unitId, state: ['received', 'closed', 'satisfied'][seriesIndex] });
    },
    [stats, go],
  );
  const pickMonth = useCallback(
    ({ dataIndex, seriesIndex }: Pick) => {
      const r = stats?.byMonth[dataIndex];
      if (r) go({ ...monthRange(r.month, from, to), state: ['received', 'closed', 'inTime'][seriesIndex] });
    },
    [stats, go, from, to],
  );
  const pickCategory = useCallback(
    ({ dataIndex }: Pick) => {
      const c = stats?.byCategory[dataIndex];
      if (c) go({ category: c.category, state: 'received' });
    },
    [stats, go],
  );
  const pickChannel = useCallback(
    ({ dataIndex }: Pick) => {
      const c = stats?.byChannel[dataIndex];
      if (c) go({ channel: c.channel, state: 'received' });
    },
    [stats, go],
  );

  const countColumns = <R extends ComplaintCounts>(
    key: (r: R) => Record<string, string>,
  ): TableColumnsType<R> => [
    {
      title: m('c.receivedN'),
      dataIndex: 'received',
      width: 70,
      render: (v: number, r) => <Link to={drill({ ...key(r), state: 'received' })}>{v}</Link>,
    },
    {
      title: m('c.closedN'),
      dataIndex: 'closed',
      width: 70,
      render: (v: number, r) => <Link to={drill({ ...key(r), state: 'closed' })}>{v}</Link>,
    },
    {
      title: m('c.overdueN'),
      dataIndex: 'overdue',
      width: 80,
      render: (v: number, r) => <Link to={drill({ ...key(r), state: 'overdue' })}>{v}</Link>,
    },
    { title: m('c.closeRate'), dataIndex: 'closeRate', width: 80, render: pct },
    { title: m('c.inTimeRate'), dataIndex: 'inTimeRate', width: 90, render: pct },
    { title: m('c.satisfactionRate'), dataIndex: 'satisfactionRate', width: 80, render: pct },
  ];

  return (
    <div data-testid="complaint-stats">
      <PageHeader title={m('c.stats')} crumbs={[{ title: m('c.inbox'), to: '/complaints' }]} />
      <Card size="small" className="complaints-filters">
        <Space wrap>
          <UnitTreeSelect
            value={under}
            onChange={(v) => set({ under: v })}
            placeholder={m('c.scope')}
            style={{ width: 220 }}
          />
          <DatePicker.RangePicker
            value={from && to ? [dayjs(from), dayjs(to)] : null}
            onChange={(r) => set({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })}
            placeholder={[m('c.period'), '']}
          />
        </Space>
      </Card>
      {!stats ? (
        <Skeleton active />
      ) : (
        <>
          <Alert
            type="info"
            message={stats.sentence}
            showIcon
            style={{ margin: '12px 0' }}
            data-testid="complaint-sentence"
          />
          <Row gutter={[12, 12]}>
            {(
              [
                ['c.receivedN', stats.total.received, 'received'],
                ['c.closedN', stats.total.closed, 'closed'],
                ['c.overdueN', stats.total.overdue, 'overdue'],
                ['c.closeRate', pct(stats.total.closeRate), 'closed'],
                ['c.inTimeRate', pct(stats.total.inTimeRate), 'inTime'],
                ['c.satisfactionRate', pct(stats.total.satisfactionRate), 'satisfied'],
              ] as const
            ).map(([k, v, state]) => (
              <Col xs={12} md={8} lg={4} key={k}>
                <Card size="small">
                  <Link to={drill({ state })}>
                    <Statistic title={m(k)} value={v} />
                  </Link>
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={24} lg={14}>
              <ChartCard
                title={m('c.byUnit')}
                option={unitOption}
                testId="chart-unit"
                hint={hint}
                onPick={pickUnit}
              />
            </Col>
            <Col xs={24} lg={10}>
              <ChartCard
                title={m('c.byMonth')}
                option={monthOption}
                testId="chart-month"
                hint={hint}
                onPick={pickMonth}
              />
            </Col>
            <Col xs={24} md={12}>
              <ChartCard
                title={m('c.byCategory')}
                option={categoryOption}
                height={260}
                testId="chart-category"
                hint={hint}
                onPick={pickCategory}
              />
            </Col>
            <Col xs={24} md={12}>
              <ChartCard
                title={m('c.byChannel')}
                option={channelOption}
                height={260}
                testId="chart-channel"
                hint={hint}
                onPick={pickChannel}
              />
            </Col>
          </Row>
          <Card size="small" title={m('c.byUnit')} style={{ marginTop: 12 }}>
            <Table
              size="small"
              rowKey="unitId"
              pagination={false}
              scroll={{ x: 600 }}
              dataSource={stats.byUnit}
              columns={[
                { title: m('c.unit'), dataIndex: 'name', fixed: 'left', width: 150 },
                ...countColumns<ComplaintStats['byUnit'][number]>((r) => ({ under: r.unitId })),
              ]}
            />
          </Card>
          <Card size="small" title={m('c.byCategory')} style={{ marginTop: 12 }}>
            <Table
              size="small"
              rowKey="category"
              pagination={false}
              scroll={{ x: 600 }}
              dataSource={stats.byCategory}
              columns={[
                {
                  title: m('c.category'),
                  dataIndex: 'category',
                  fixed: 'left',
                  width: 120,
                  render: (v: string) => label(complaintCategoryLabels, v, lang),
                },
                ...countColumns<ComplaintStats['byCategory'][number]>((r) => ({ category: r.category })),
              ]}
            />
          </Card>
          <Card size="small" title={m('c.byChannel')} style={{ marginTop: 12 }}>
            <Table
              size="small"
              rowKey="channel"
              pagination={false}
              scroll={{ x: 600 }}
              dataSource={stats.byChannel}
              columns={[
                {
                  title: m('c.channel'),
                  dataIndex: 'channel',
                  fixed: 'left',
                  width: 120,
                  render: (v: string) => label(complaintChannelLabels, v, lang),
                },
                ...countColumns<ComplaintStats['byChannel'][number]>((r) => ({ channel: r.channel })),
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
