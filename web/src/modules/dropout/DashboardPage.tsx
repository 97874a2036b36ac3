/**
 * 动态清零 dashboard: the area's figures, a row per county (city) or per town and school (county), every
 * number a link to the cases behind it, the 12-week trend, and the signs of made-up attendance data.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Card, Col, Input, List, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { Dashboard, DashboardFigures } from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useEChart, type ChartOption } from '../../app/charts.ts';
import { chinaToday } from '../../app/dates.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useDropoutI18n, type DropoutMessageKey } from './messages.ts';
import { ReportsCard } from './ReportsCard.tsx';
import './dropout.css';

type Key = keyof DashboardFigures;
const FIGURES: { key: Key; metric?: string }[] = [
  { key: 'openCases', metric: 'open' },
  { key: 'newThisWeek', metric: 'newThisWeek' },
  { key: 'returnedThisTerm', metric: 'returnedThisTerm' },
  { key: 'medianDaysToReturn' },
  { key: 'openOver30', metric: 'openOver30' },
  { key: 'overdueSteps', metric: 'overdueSteps' },
  { key: 'povertyDropouts', metric: 'povertyDropouts' },
  { key: 'classesMissing' },
];

function TrendChart({ trend, labels }: { trend: Dashboard['trend']; labels: [string, string, string] }) {
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 36, right: 16, top: 32, bottom: 28 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: trend.map((w) => w.week.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: labels[0], type: 'line', data: trend.map((w) => w.open), itemStyle: { color: '#cf1322' } },
        { name: labels[1], type: 'line', data: trend.map((w) => w.raised), itemStyle: { color: '#fa8c16' } },
        {
          name: labels[2],
          type: 'line',
          data: trend.map((w) => w.returned),
          itemStyle: { color: '#389e0d' },
        },
      ],
    }),
    [trend, labels],
  );
  const setEl = useEChart(option);
  return <div ref={setEl} className="dropout-chart" data-testid="trend-chart" />;
}

export default function DashboardPage() {
  const { d } = useDropoutI18n();
  const feedback = useFeedback();
  const [params, setParams] = useSearchParams();
  const under = params.get('under') ?? undefined;
  const date = params.get('date') ?? chinaToday();
  const [data, setData] = useState<Dashboard | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<Dashboard>('/api/dropout/dashboard', { under, date }, ctrl.signal)
      .then(setData)
      .catch((e: unknown) => feedback.error(e));
    return () => ctrl.abort();
  }, [under, date, feedback]);

  const cell = (value: number | null, metric: string | undefined, unitId: string | null, key: Key) => {
    const text = value === null ? '—' : String(value);
    const red = key === 'povertyDropouts' && (value ?? 0) > 0;
    const node = <span className={red ? 'dropout-red' : undefined}>{text}</span>;
    if (!metric || !value) return node;
    return (
      <Link
        to={`/dropout/cases?metric=${metric}&date=${date}${unitId ? `&under=${unitId}` : ''}`}
        data-testid={`dd-${key}`}
      >
        {node}
      </Link>
    );
  };

  return (
    <div>
      <PageHeader
        title={`${d('db.title')}${data ? ` · ${data.unit.name}` : ''}`}
        crumbs={[{ title: d('do.module') }]}
        extra={
          <Space wrap>
            {under ? <Link to={`/dropout/dashboard?date=${date}`}>↑</Link> : null}
            <Input
              type="date"
              aria-label={d('db.date')}
              value={date}
              max={chinaToday()}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                next.set('date', e.target.value);
                setParams(next, { replace: true });
              }}
              style={{ width: 160 }}
            />
          </Space>
        }
      />
      {data ? (
        <>
          <Row gutter={[8, 8]}>
            {FIGURES.map((f) => (
              <Col xs={12} sm={8} lg={6} xl={3} key={f.key}>
                <Card size="small" data-testid={`fig-${f.key}`}>
                  <Statistic
                    title={d(`db.${f.key}` as DropoutMessageKey)}
                    value={data.total[f.key] ?? '—'}
                    valueStyle={
                      f.key === 'povertyDropouts' && data.total.povertyDropouts > 0
                        ? { color: '#cf1322' }
                        : undefined
                    }
                    formatter={() => cell(data.total[f.key], f.metric, data.unit.id, f.key)}
                  />
                </Card>
              </Col>
            ))}
          </Row>
          <Table
            size="small"
            rowKey="id"
            style={{ marginTop: 12 }}
            scroll={{ x: 980 }}
            pagination={false}
            dataSource={data.rows}
            rowClassName={(r) => (r.level === 'town' ? 'dropout-town-row' : '')}
            columns={[
              {
                title: d('db.area'),
                dataIndex: 'name',
                fixed: 'left',
                render: (name: string, r) =>
                  r.level === 'county' && r.unitId ? (
                    <Link to={`/dropout/dashboard?under=${r.unitId}&date=${date}`}>{name}</Link>
                  ) : r.level === 'school' ? (
                    <span style={{ paddingLeft: 16 }}>{name}</span>
                  ) : (
                    <Typography.Text strong>{name}</Typography.Text>
                  ),
              },
              ...FIGURES.map((f) => ({
                title: d(`db.${f.key}` as DropoutMessageKey),
                dataIndex: f.key,
                render: (v: number | null, r: Dashboard['rows'][number]) =>
                  cell(v, r.level === 'town' ? undefined : f.metric, r.unitId, f.key),
              })),
            ]}
          />
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={24} lg={14}>
              <Card size="small" title={d('db.trend')}>
                <TrendChart trend={data.trend} labels={[d('db.open'), d('db.raised'), d('db.returned')]} />
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Card size="small" title={d('db.signs')}>
                <List
                  size="small"
                  dataSource={data.signs}
                  locale={{ emptyText: d('db.noSigns') }}
                  renderItem={(s) => (
                    <List.Item>
                      <Space direction="vertical" size={0}>
                        <Space wrap size={4}>
                          <Tag color="orange">{d(`db.sign.${s.kind}` as DropoutMessageKey)}</Tag>
                          <span>{`${s.schoolName} ${s.className ?? ''}`}</span>
                        </Space>
                        <Typography.Text type="secondary">{s.detail}</Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          </Row>
          <ReportsCard under={under} />
        </>
      ) : null}
    </div>
  );
}
