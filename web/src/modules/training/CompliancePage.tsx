/** 合规统计: rates per county and in total (Σ compliant / Σ under supervision), expiry warnings, closures. */
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  complianceAspectLabels,
  label,
  trainingStatusLabels,
  type ComplianceReport,
  type ComplianceRow,
  type Expiring,
  type LifecycleStats,
} from '@dudao/contracts';
import { api, toQuery } from '../../app/api.ts';
import { addDays, chinaToday } from '../../app/dates.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { ASPECTS, ComplianceChart, failingHref } from './ComplianceChart.tsx';
import { useTrainingI18n } from './messages.ts';
import { pct, useCounties } from './shared.tsx';
import './training.css';

export default function CompliancePage() {
  const { m, lang } = useTrainingI18n();
  const feedback = useFeedback();
  const navigate = useNavigate();
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
      <Card
        size="small"
        title={m('comp.chart')}
        extra={
          <Space wrap>
            <Typography.Text type="secondary">{m('comp.drillHint')}</Typography.Text>
            <Button
              size="small"
              icon={<PrinterOutlined />}
              onClick={() => void navigate(`/training/print/compliance${toQuery({ unitId })}`)}
              data-testid="compliance-print"
            >
              {m('print.open')}
            </Button>
            <Button
              size="small"
              icon={<DownloadOutlined />}
              href={`/api/training/compliance/export${toQuery({ unitId })}`}
            >
              {m('print.export')}
            </Button>
          </Space>
        }
      >
        {report ? (
          <ComplianceChart
            rows={report.rows}
            names={names}
            onPick={(u, a) => void navigate(failingHref(u, a))}
          />
        ) : null}
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
                <Link to={failingHref(r.unitId ?? unitId ?? null, a)} title={`${r[a]}/${r.total}`}>
                  {pct(r[a], r.total)} <span className="training-muted">({r[a]})</span>
                </Link>
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
            <Button
              size="small"
              icon={<PrinterOutlined />}
              onClick={() => void navigate(`/training/print/lifecycle${toQuery({ unitId, from, to })}`)}
              data-testid="lifecycle-print"
            >
              {m('print.open')}
            </Button>
            <Button
              size="small"
              icon={<DownloadOutlined />}
              href={`/api/training/lifecycle/export${toQuery({ unitId, from, to })}`}
            >
              {m('print.export')}
            </Button>
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
        {life ? (
          <Space wrap className="training-lifecycle-links">
            {(['closed', 'banned', 'converted'] as const).map((st) => (
              <Link
                key={st}
                to={`/training/institutions${toQuery({ unitId, movedTo: st, from: life.from, to: life.to })}`}
                data-testid={`lifecycle-${st}`}
              >
                {label(trainingStatusLabels, st, lang)} {life.counts[st] ?? 0}
              </Link>
            ))}
          </Space>
        ) : null}
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
