/** 合规统计: rates per county and in total (Σ compliant / Σ under supervision), expiry warnings, closures. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import {
  complianceAspectLabels,
  label,
  type ComplianceReport,
  type ComplianceRow,
  type Expiring,
  type LifecycleStats,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { addDays, chinaToday } from '../../app/dates.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { ASPECTS, ComplianceChart } from './ComplianceChart.tsx';
import { useTrainingI18n } from './messages.ts';
import { pct, useCounties } from './shared.tsx';
import './training.css';

export default function CompliancePage() {
  const { m, lang } = useTrainingI18n();
  const feedback = useFeedback();
  const counties = useCounties();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [days, setDays] = useState<number | null>(null);
  const [report, setReport] = useState<ComplianceReport | null>(null);
  const [from, setFrom] = useState(addDays(chinaToday(), -365));
  const [to, setTo] = useState(chinaToday());
  const [life, setLife] = useState<LifecycleStats | null>(null);
  useEffect(() => {
    api
      .get<ComplianceReport>('/api/training/compliance', { unitId, days: days ?? undefined })
      .then(setReport)
      .catch((e: unknown) => feedback.error(e));
  }, [unitId, days, feedback]);
  useEffect(() => {
    if (from > to) return;
    api
      .get<LifecycleStats>('/api/training/lifecycle', { unitId, from, to })
      .then(setLife)
      .catch((e: unknown) => feedback.error(e));
  }, [unitId, from, to, feedback]);
  const names = Object.fromEntries(
    ASPECTS.map((a) => [a, a === 'all' ? m('comp.all') : label(complianceAspectLabels, a, lang)]),
  ) as Record<(typeof ASPECTS)[number], string>;
  const rows = report ? [...report.rows, report.total] : [];
  return (
    <div className="training-page">
      <PageHeader
        title={m('comp.title')}
        extra={
          counties.length > 1 ? (
            <Select
              allowClear
              placeholder={m('inst.county')}
              value={unitId}
              onChange={setUnitId}
              options={counties}
              className="training-select-wide"
            />
          ) : null
        }
      />
      <Card size="small" title={m('comp.chart')}>
        {report ? <ComplianceChart rows={report.rows} names={names} /> : null}
        <Table<ComplianceRow>
          rowKey={(r) => r.unitId ?? 'total'}
          size="small"
          pagination={false}
          dataSource={rows}
          scroll={{ x: 760 }}
          data-testid="training-compliance-table"
          columns={[
            {
              title: m('inst.county'),
              dataIndex: 'unitName',
              render: (v: string, r) => (r.unitId ? v : <b>{v}</b>),
            },
            { title: m('comp.total'), dataIndex: 'total', width: 90 },
            ...ASPECTS.map((a) => ({
              title: names[a],
              width: 110,
              render: (_: unknown, r: ComplianceRow) => (
                <span title={`${r[a]}/${r.total}`}>
                  {pct(r[a], r.total)} <span className="training-muted">({r[a]})</span>
                </span>
              ),
            })),
          ]}
        />
      </Card>
      <Card
        size="small"
        className="training-block"
        title={m('comp.lifecycle')}
        extra={
          <Space wrap>
            <Input
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-label={m('comp.period')}
            />
            <Input
              type="date"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-label={m('comp.period')}
            />
          </Space>
        }
      >
        <Typography.Text strong data-testid="training-lifecycle">
          {life ? `${life.from} ~ ${life.to}：${life.sentence}` : ''}
        </Typography.Text>
      </Card>
      <Card
        size="small"
        className="training-block"
        title={m('comp.expiring', { days: report?.warnDays ?? 30 })}
        extra={
          <InputNumber
            min={1}
            max={365}
            value={days ?? report?.warnDays}
            onChange={(v) => setDays(v)}
            addonAfter="天"
            style={{ width: 120 }}
          />
        }
      >
        <Table<Expiring>
          rowKey={(r) => `${r.institutionId}-${r.what}`}
          size="small"
          dataSource={report?.expiring ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: 560 }}
          columns={[
            {
              title: m('inst.name'),
              dataIndex: 'institutionName',
              render: (v: string, r) => <Link to={`/training/institutions/${r.institutionId}`}>{v}</Link>,
            },
            { title: m('inst.county'), dataIndex: 'unitName', width: 130 },
            { title: m('comp.what'), dataIndex: 'what', width: 170 },
            {
              title: m('docs.validTo'),
              dataIndex: 'validTo',
              width: 140,
              render: (v: string, r) => (
                <Space>
                  {v}
                  <Tag color={r.expired ? 'error' : 'warning'}>
                    {m(r.expired ? 'docs.expired' : 'docs.expiring')}
                  </Tag>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
