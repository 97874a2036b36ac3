/**
 * 月度自查情况: for a month and an area, which schools have submitted their self-inspection, which have a
 * draft, which have none; a chart and table per county; a reminder to the schools behind.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Col, Input, Row, Space, Statistic, Switch, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { BellOutlined, PrinterOutlined } from '@ant-design/icons';
import type { SelfCheckStatus } from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { BarChart, COLORS, LoadError, chinaToday, percent, useResource } from './common.tsx';
import { useSafetyI18n } from './messages.ts';
import './safety.css';

type School = SelfCheckStatus['schools'][number];

export default function SelfChecksPage() {
  const { s } = useSafetyI18n();
  const me = useMe();
  const { message, modal } = App.useApp();
  const isMobile = useIsMobile();
  const [month, setMonth] = useState(chinaToday().slice(0, 7));
  const [under, setUnder] = useState<string | undefined>();
  const [onlyMissing, setOnlyMissing] = useState(false);
  const { data, error, reload, loading } = useResource<SelfCheckStatus>('/api/safety/self-checks/status', {
    month,
    under,
  });

  const statusTag = (st: School['status']) =>
    st === 'submitted' ? (
      <Tag color="green">{s('sf.self.submitted')}</Tag>
    ) : st === 'draft' ? (
      <Tag color="orange">{s('sf.self.draft')}</Tag>
    ) : (
      <Tag color="red">{s('sf.self.missing')}</Tag>
    );
  const schools = (data?.schools ?? []).filter((x) => !onlyMissing || x.status !== 'submitted');
  const columns: TableColumnsType<School> = [
    { title: s('sf.school'), dataIndex: 'name' },
    { title: s('sf.unit'), dataIndex: 'parentName', width: 160 },
    { title: s('sf.status'), width: 90, render: (_: unknown, x) => statusTag(x.status) },
    {
      title: s('sf.inspect.date'),
      dataIndex: 'inspectedOn',
      width: 110,
      render: (d: string | null) => d ?? '—',
    },
    { title: s('sf.self.failed'), dataIndex: 'failed', width: 80 },
    {
      title: s('sf.actions'),
      width: 70,
      className: 'no-print',
      render: (_: unknown, x) =>
        x.inspectionId ? <Link to={`/safety/inspections/${x.inspectionId}`}>{s('sf.view')}</Link> : null,
    },
  ];
  const remind = () =>
    modal.confirm({
      title: s('sf.self.remind'),
      onOk: async () => {
        try {
          const r = await api.post<{ schools: number }>('/api/safety/self-checks/remind', {
            month,
            ...(under ? { under } : {}),
          });
          void message.success(s('sf.self.reminded', { n: r.schools }));
        } catch (err) {
          void message.error(isApiError(err) ? err.message : String(err));
        }
      },
    });

  return (
    <div className="safety-print" data-testid="safety-self-checks">
      <PageHeader
        title={s('sf.self.title')}
        crumbs={[{ title: s('sf.safety') }]}
        extra={
          <>
            {me.access.manageSafety ? (
              <Button
                icon={<BellOutlined />}
                onClick={remind}
                disabled={!data || data.totals.missing + data.totals.drafts === 0}
              >
                {s('sf.self.remind')}
              </Button>
            ) : null}
            <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
              {s('sf.print')}
            </Button>
          </>
        }
      />
      <Space wrap className="safety-gap no-print">
        <Input
          type="month"
          value={month}
          max={chinaToday().slice(0, 7)}
          onChange={(e) => setMonth(e.target.value)}
          style={{ width: 160 }}
          data-testid="self-month"
        />
        {me.unit.kind !== 'school' ? (
          <UnitTreeSelect
            value={under}
            onChange={setUnder}
            selectable={['city_bureau', 'county_bureau']}
            placeholder={s('sf.underAll')}
            style={{ width: 220 }}
          />
        ) : null}
        <Space>
          <Switch checked={onlyMissing} onChange={setOnlyMissing} />
          {s('sf.self.onlyMissing')}
        </Space>
      </Space>
      {error ? <LoadError error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <Card size="small" className="safety-gap" title={`${data.unitName} ${data.month}`}>
            <Row gutter={12}>
              <Col xs={8} md={4}>
                <Statistic title={s('sf.schools')} value={data.totals.schools} />
              </Col>
              <Col xs={8} md={4}>
                <Statistic
                  title={s('sf.self.submitted')}
                  value={data.totals.submitted}
                  valueStyle={{ color: '#389e0d' }}
                />
              </Col>
              <Col xs={8} md={4}>
                <Statistic title={s('sf.self.draft')} value={data.totals.drafts} />
              </Col>
              <Col xs={8} md={4}>
                <Statistic
                  title={s('sf.self.missing')}
                  value={data.totals.missing}
                  valueStyle={{ color: '#cf1322' }}
                />
              </Col>
              <Col xs={8} md={4}>
                <Statistic title={s('sf.self.doneRate')} value={percent(data.totals.rate)} />
              </Col>
            </Row>
          </Card>
          {data.byUnit.length > 1 ? (
            <Card size="small" className="safety-gap">
              <BarChart
                testId="self-chart"
                categories={data.byUnit.map((u) => u.name.replace(/教育局$/, ''))}
                series={[
                  {
                    name: s('sf.self.submitted'),
                    data: data.byUnit.map((u) => u.submitted),
                    color: COLORS.rectified,
                  },
                  { name: s('sf.self.draft'), data: data.byUnit.map((u) => u.drafts), color: COLORS.draft },
                  {
                    name: s('sf.self.missing'),
                    data: data.byUnit.map((u) => u.missing),
                    color: COLORS.missing,
                  },
                ]}
              />
              <Table
                rowKey="unitId"
                size="small"
                pagination={false}
                dataSource={data.byUnit}
                columns={[
                  { title: s('sf.unit'), dataIndex: 'name' },
                  { title: s('sf.schools'), dataIndex: 'schools', width: 80 },
                  { title: s('sf.self.submitted'), dataIndex: 'submitted', width: 80 },
                  { title: s('sf.self.draft'), dataIndex: 'drafts', width: 80 },
                  { title: s('sf.self.missing'), dataIndex: 'missing', width: 80 },
                  {
                    title: s('sf.self.doneRate'),
                    dataIndex: 'rate',
                    width: 90,
                    render: (r: number | null) => percent(r),
                  },
                ]}
              />
            </Card>
          ) : null}
          {isMobile ? (
            schools.map((x) => (
              <Card key={x.unitId} size="small" className="safety-mobile-card">
                <strong>{x.name}</strong> {statusTag(x.status)}
                <div>
                  {x.parentName}
                  {x.inspectedOn ? ` · ${x.inspectedOn}` : ''}
                  {x.inspectionId ? (
                    <>
                      {' · '}
                      <Link to={`/safety/inspections/${x.inspectionId}`}>{s('sf.view')}</Link>
                    </>
                  ) : null}
                </div>
              </Card>
            ))
          ) : (
            <Table<School>
              rowKey="unitId"
              size="small"
              loading={loading}
              columns={columns}
              dataSource={schools}
              pagination={{ pageSize: 50, showSizeChanger: false }}
            />
          )}
        </>
      ) : (
        <Card loading={loading} />
      )}
    </div>
  );
}
