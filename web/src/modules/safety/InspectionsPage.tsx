/** 检查记录: inspections in the actor's sight, newest first; cards on a phone. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Input, Pagination, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import {
  INSPECTION_KINDS,
  inspectionKindLabels,
  label,
  type InspectionKind,
  type SafetyInspection,
  type SafetyInspectionPage,
} from '@dudao/contracts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { LoadError, percent, useResource } from './common.tsx';
import { useSafetyI18n } from './messages.ts';
import './safety.css';

export default function InspectionsPage() {
  const { s, lang } = useSafetyI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const [kind, setKind] = useState<InspectionKind | undefined>();
  const [status, setStatus] = useState<'draft' | 'submitted' | undefined>();
  const [month, setMonth] = useState<string>('');
  const [page, setPage] = useState(1);
  const { data, error, reload, loading } = useResource<SafetyInspectionPage>('/api/safety/inspections', {
    kind,
    status,
    month: month || undefined,
    page,
    pageSize: 20,
  });
  const statusTag = (r: SafetyInspection) =>
    r.status === 'draft' ? (
      <Tag color="orange">{s('sf.record.draft')}</Tag>
    ) : (
      <Tag color="green">{s('sf.record.submitted')}</Tag>
    );
  const columns: TableColumnsType<SafetyInspection> = [
    { title: s('sf.inspect.date'), dataIndex: 'inspectedOn', width: 110 },
    {
      title: s('sf.school'),
      dataIndex: 'schoolName',
      render: (n: string, r) => <Link to={`/safety/inspections/${r.id}`}>{n}</Link>,
    },
    {
      title: s('sf.inspect.kind'),
      render: (_: unknown, r) =>
        `${label(inspectionKindLabels, r.kind, lang)}${r.month ? `（${r.month}）` : ''}`,
      width: 150,
    },
    { title: s('sf.inspect.campaign'), render: (_: unknown, r) => r.campaignName ?? '—' },
    {
      title: s('sf.inspect.group'),
      render: (_: unknown, r) => r.groupName ?? r.createdByName ?? '—',
      width: 130,
    },
    { title: s('sf.inspect.peopleCount'), dataIndex: 'peopleCount', width: 60 },
    { title: s('sf.record.failed'), dataIndex: 'failed', width: 70 },
    {
      title: s('sf.found'),
      width: 140,
      render: (_: unknown, r) =>
        r.findings ? (
          <Link to={`/findings?sourceType=safety_inspection&sourceId=${r.id}`}>
            {r.findings.found} / {s('sf.rectified')} {r.findings.rectified}（{percent(r.findings.rate)}）
          </Link>
        ) : (
          '—'
        ),
    },
    { title: s('sf.status'), width: 80, render: (_: unknown, r) => statusTag(r) },
  ];
  return (
    <div data-testid="safety-inspections">
      <PageHeader
        title={s('sf.record.list')}
        crumbs={[{ title: s('sf.safety') }]}
        extra={
          me.access.inspectSafety ? (
            <Link to="/safety/inspect">
              <Button type="primary" icon={<PlusOutlined />}>
                {s('sf.inspect.new')}
              </Button>
            </Link>
          ) : null
        }
      />
      <Space wrap className="safety-gap">
        <Select
          allowClear
          placeholder={s('sf.inspect.kind')}
          value={kind}
          onChange={(v: InspectionKind | undefined) => {
            setKind(v);
            setPage(1);
          }}
          options={INSPECTION_KINDS.map((k) => ({ value: k, label: label(inspectionKindLabels, k, lang) }))}
          style={{ width: 140 }}
        />
        <Select
          allowClear
          placeholder={s('sf.status')}
          value={status}
          onChange={(v: 'draft' | 'submitted' | undefined) => {
            setStatus(v);
            setPage(1);
          }}
          options={[
            { value: 'draft', label: s('sf.record.draft') },
            { value: 'submitted', label: s('sf.record.submitted') },
          ]}
          style={{ width: 120 }}
        />
        <Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 160 }} />
      </Space>
      {error ? <LoadError error={error} onRetry={reload} /> : null}
      {isMobile ? (
        <>
          {(data?.items ?? []).map((r) => (
            <Card key={r.id} size="small" className="safety-mobile-card" loading={loading && !data}>
              <Link to={`/safety/inspections/${r.id}`}>
                <strong>{r.schoolName}</strong>
              </Link>{' '}
              {statusTag(r)}
              <div>
                {r.inspectedOn} · {label(inspectionKindLabels, r.kind, lang)}
                {r.campaignName ? ` · ${r.campaignName}` : ''}
              </div>
              <div>
                {s('sf.record.failed')} {r.failed}
                {r.findings ? ` · ${s('sf.rate')} ${percent(r.findings.rate)}` : ''}
              </div>
            </Card>
          ))}
          <Pagination simple current={page} total={data?.total ?? 0} pageSize={20} onChange={setPage} />
        </>
      ) : (
        <Table<SafetyInspection>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={{
            current: page,
            pageSize: 20,
            total: data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
          }}
        />
      )}
    </div>
  );
}
