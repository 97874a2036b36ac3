/**
 * 督导覆盖: for a term, visits required and done per school (behind ones red, first), per inspector and per
 * county, with a chart (per county in a city, per inspector in a county) and the sentence a report needs.
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Empty, Segmented, Select, Space, Statistic, Table, Typography } from 'antd';
import {
  COVERAGE_STATES,
  coverageStateLabels,
  label,
  type Coverage,
  type CoverageState,
} from '@dudao/contracts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { useEChart, type ChartOption } from '../../app/charts.ts';
import { CoverageTag, useResource, useTerms } from './components/common.tsx';
import { useInspectorI18n, type ITFunction } from './messages.ts';
import './inspectors.css';

type Row = Coverage['schools'][number];
const ORDER: Record<CoverageState, number> = { behind: 0, on_track: 1, complete: 2 };
const shortName = (name: string) => name.replace(/(教育和体育局|教育体育局|教体局|教育局)$/, '') || name;

function CoverageChart({ data, m }: { data: Coverage; m: ITFunction }) {
  const groups = useMemo(
    () =>
      data.byCounty.length > 1
        ? data.byCounty.map((c) => ({ ...c, name: shortName(c.name) }))
        : data.byInspector.map((i) => ({ ...i })),
    [data],
  );
  const option = useMemo<ChartOption>(
    () => ({
      color: ['#91caff', '#1558b0', '#f5222d'],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: groups.map((g) => g.name),
        axisLabel: { interval: 0, rotate: groups.length > 6 ? 35 : 0 },
      },
      yAxis: [
        { type: 'value', name: m('in.requiredVisits'), minInterval: 1 },
        { type: 'value', name: m('in.behindSchools'), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        { name: m('in.requiredVisits'), type: 'bar', barMaxWidth: 28, data: groups.map((g) => g.required) },
        { name: m('in.doneVisits'), type: 'bar', barMaxWidth: 28, data: groups.map((g) => g.done) },
        {
          name: m('in.behindSchools'),
          type: 'bar',
          barMaxWidth: 18,
          yAxisIndex: 1,
          data: groups.map((g) => g.behind),
        },
      ],
    }),
    [groups, m],
  );
  const ref = useEChart(option);
  if (groups.length === 0) return <Empty description={m('in.empty')} />;
  return <div ref={ref} className="chart" data-testid="chart-coverage" />;
}

export default function CoveragePage() {
  const { m, lang } = useInspectorI18n();
  const isMobile = useIsMobile();
  const terms = useTerms();
  const [termId, setTermId] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState<CoverageState | 'all'>('all');
  const [view, setView] = useState<'schools' | 'inspectors' | 'counties'>('schools');
  const r = useResource<Coverage>('/api/inspectors/coverage', { termId });
  const data = r.data;
  const schools = useMemo(
    () =>
      (data?.schools ?? [])
        .filter((s) => filter === 'all' || s.state === filter)
        .sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.code.localeCompare(b.code)),
    [data, filter],
  );
  const rate =
    data && data.totals.required ? Math.round((data.totals.done / data.totals.required) * 1000) / 10 : null;

  const schoolColumns = [
    {
      title: m('in.school'),
      dataIndex: 'name',
      render: (n: string, s: Row) => (
        <Space size={8}>
          <Link to={`/inspectors/visits?school=${s.schoolId}`}>{n}</Link>
          <Link to={`/inspectors/plaque/${s.schoolId}`} className="insp-small-link">
            {m('in.plaque')}
          </Link>
        </Space>
      ),
    },
    ...(data && data.byCounty.length > 1
      ? [{ title: m('in.unit'), dataIndex: 'countyName', width: 140 }]
      : []),
    {
      title: m('in.inspector'),
      width: 160,
      render: (_: unknown, s: Row) => s.inspectors.map((i) => i.name).join('、') || '—',
    },
    { title: m('in.requiredVisits'), dataIndex: 'required', width: 80 },
    { title: m('in.expected'), dataIndex: 'expected', width: 110 },
    { title: m('in.doneVisits'), dataIndex: 'done', width: 80 },
    { title: m('in.lastVisit'), dataIndex: 'lastVisit', width: 110, render: (d: string | null) => d ?? '—' },
    {
      title: m('in.state'),
      dataIndex: 'state',
      width: 90,
      render: (s: CoverageState) => <CoverageTag state={s} lang={lang} />,
    },
  ];
  const countColumns = (first: string) => [
    { title: first, dataIndex: 'name' },
    { title: m('in.schools'), dataIndex: 'schools', width: 80 },
    { title: m('in.requiredVisits'), dataIndex: 'required', width: 80 },
    { title: m('in.doneVisits'), dataIndex: 'done', width: 80 },
    { title: m('in.completeSchools'), dataIndex: 'complete', width: 100 },
    {
      title: m('in.behindSchools'),
      dataIndex: 'behind',
      width: 100,
      render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : 0),
    },
  ];

  return (
    <div>
      <PageHeader
        title={m('in.coverage')}
        crumbs={[{ title: m('in.group') }]}
        extra={
          <Select
            value={termId ?? terms?.current.id}
            onChange={(v: string) => setTermId(v)}
            options={(terms?.terms ?? []).map((x) => ({ value: x.id, label: x.label[lang] }))}
            style={{ minWidth: 240 }}
            data-testid="coverage-term"
          />
        }
      />
      {data ? (
        <>
          <Card size="small" className="insp-gap">
            <Space wrap size={[32, 8]}>
              <Statistic title={m('in.schools')} value={data.totals.schools} />
              <Statistic title={m('in.requiredVisits')} value={data.totals.required} />
              <Statistic title={m('in.doneVisits')} value={data.totals.done} />
              <Statistic title={m('in.completion')} value={rate ?? '—'} suffix={rate === null ? '' : '%'} />
              <Statistic
                title={m('in.behindSchools')}
                value={data.totals.behind}
                valueStyle={{ color: data.totals.behind ? '#cf1322' : undefined }}
              />
            </Space>
            <Typography.Paragraph className="insp-gap-top" data-testid="coverage-sentence">
              {m('in.coverageSentence', {
                term: data.term.label[lang],
                required: data.totals.required,
                done: data.totals.done,
                behind: data.totals.behind,
              })}{' '}
              <Typography.Text type="secondary">{m('in.asOf', { date: data.asOf })}</Typography.Text>
            </Typography.Paragraph>
            <CoverageChart data={data} m={m} />
          </Card>
          <Card size="small">
            <Space wrap className="insp-gap">
              <Segmented
                value={view}
                onChange={(v) => setView(v as typeof view)}
                options={[
                  { value: 'schools', label: m('in.bySchool') },
                  { value: 'inspectors', label: m('in.byInspector') },
                  ...(data.byCounty.length > 1 ? [{ value: 'counties', label: m('in.byCounty') }] : []),
                ]}
              />
              {view === 'schools' ? (
                <Select
                  value={filter}
                  onChange={(v: CoverageState | 'all') => setFilter(v)}
                  options={[
                    { value: 'all', label: m('in.allVisits') },
                    ...COVERAGE_STATES.map((s) => ({ value: s, label: label(coverageStateLabels, s, lang) })),
                  ]}
                  style={{ minWidth: 120 }}
                />
              ) : null}
            </Space>
            {view === 'schools' ? (
              isMobile ? (
                <div className="insp-cards">
                  {schools.map((s) => (
                    <Card
                      key={s.schoolId}
                      size="small"
                      className={s.state === 'behind' ? 'insp-card-red' : ''}
                    >
                      <div className="insp-card-head">
                        <strong>{s.name}</strong>
                        <CoverageTag state={s.state} lang={lang} />
                      </div>
                      <div>{`${m('in.doneVisits')} ${s.done} / ${m('in.requiredVisits')} ${s.required}`}</div>
                      <Typography.Text type="secondary">
                        {s.inspectors.map((i) => i.name).join('、') || '—'}
                      </Typography.Text>
                    </Card>
                  ))}
                </div>
              ) : (
                <Table<Row>
                  rowKey="schoolId"
                  size="small"
                  dataSource={schools}
                  columns={schoolColumns}
                  rowClassName={(s) => (s.state === 'behind' ? 'insp-row-red' : '')}
                  pagination={{ pageSize: 50, showSizeChanger: false }}
                  data-testid="coverage-schools"
                />
              )
            ) : (
              <Table
                rowKey={(x: { userId?: string; unitId?: string }) => x.userId ?? x.unitId ?? ''}
                size="small"
                scroll={{ x: 560 }}
                dataSource={view === 'inspectors' ? data.byInspector : data.byCounty}
                columns={countColumns(view === 'inspectors' ? m('in.inspector') : m('in.unit'))}
                pagination={false}
              />
            )}
          </Card>
        </>
      ) : (
        <Card loading={r.loading}>{r.error}</Card>
      )}
    </div>
  );
}
