/** 审计日志: the audit trail with filters, a field-by-field diff per event and the chain check. */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Card, DatePicker, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { GetProps, TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { AuditEvent, AuditPage, AuditQuery } from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { formatDateTime } from '../../app/format.ts';
import { useI18n } from '../../app/i18n.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { AuditDiff } from './components/AuditDiff.tsx';
import { auditActionLabel, auditActionLabels, objectTypeLabels } from './components/actions.ts';
import { useVerifyChain } from './components/VerifyChain.tsx';

type Filters = Pick<AuditQuery, 'action' | 'actor' | 'objectType' | 'objectId' | 'unitId' | 'from' | 'to'>;
type RangeValue = GetProps<typeof DatePicker.RangePicker>['value'];

const FILTER_KEYS = ['action', 'actor', 'objectType', 'objectId', 'unitId', 'from', 'to'] as const;

export default function AuditTrailPage() {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const [params] = useSearchParams();
  // Other pages may link here with filters in the address (?objectType=unit&objectId=…).
  const [filters, setFilters] = useState<Filters>(() =>
    Object.fromEntries(FILTER_KEYS.flatMap((k) => (params.get(k) ? [[k, params.get(k)]] : []))),
  );
  const [actorText, setActorText] = useState(filters.actor ?? '');
  const [range, setRange] = useState<RangeValue>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<AuditPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const verify = useVerifyChain();

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<AuditPage>('/api/audit', { ...filters, page, pageSize }, controller.signal)
      .then(setData, (err: unknown) => feedback.error(err))
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [filters, page, pageSize, tick, feedback]);

  const setFilter = (patch: Partial<Filters>) => {
    setFilters((f) => {
      const next: Filters = { ...f, ...patch };
      for (const k of FILTER_KEYS) if (!next[k]) delete next[k];
      return next;
    });
    setPage(1);
  };

  const columns: TableColumnsType<AuditEvent> = [
    {
      title: t('audit.time'),
      dataIndex: 'occurredAt',
      width: 190,
      render: (v: string) => <span className="mono nowrap">{formatDateTime(v, true)}</span>,
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      width: 130,
      render: (v: string | null) =>
        v ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 170,
      render: (v: string) => {
        const text = auditActionLabel(v, lang);
        return text ? (
          <Tooltip title={v}>
            <span className={v.endsWith('failed') ? 'text-danger' : undefined}>{text}</span>
          </Tooltip>
        ) : (
          <span className="mono">{v}</span>
        );
      },
    },
    {
      title: t('audit.object'),
      key: 'object',
      width: 220,
      render: (_v, e) =>
        e.objectType ? (
          <span>
            {objectTypeLabels[e.objectType]?.[lang] ?? e.objectType}
            {e.objectId ? (
              <Typography.Text type="secondary" className="mono small" copyable={{ text: e.objectId }}>
                {' '}
                {e.objectId.length > 12 ? `${e.objectId.slice(0, 8)}…` : e.objectId}
              </Typography.Text>
            ) : null}
          </span>
        ) : (
          t('common.none')
        ),
    },
    {
      title: t('audit.unit'),
      dataIndex: 'unitName',
      width: 180,
      ellipsis: true,
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('audit.ip'),
      dataIndex: 'ip',
      width: 130,
      render: (v: string | null) => <span className="mono">{v ?? ''}</span>,
    },
  ];

  const actionOptions = Object.keys(auditActionLabels).map((a) => ({
    value: a,
    label: `${auditActionLabels[a]?.[lang] ?? a} · ${a}`,
  }));

  return (
    <>
      <PageHeader title={t('audit.title')} extra={verify.button} />
      {verify.alert}
      <Card size="small">
        <div className="filter-bar">
          <div className="filter-range" data-testid="audit-filter-dates">
            <DatePicker.RangePicker
              value={range}
              onChange={(v) => {
                setRange(v);
                setFilter({
                  from: v?.[0]?.format('YYYY-MM-DD'),
                  to: v?.[1]?.format('YYYY-MM-DD'),
                });
              }}
              allowEmpty={[true, true]}
              className="full-width"
            />
          </div>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.actionPlaceholder')}
            value={filters.action}
            onChange={(v?: string) => setFilter({ action: v })}
            options={actionOptions}
            className="filter-select-wide"
            popupMatchSelectWidth={false}
            data-testid="audit-filter-action"
          />
          <Input.Search
            allowClear
            placeholder={t('audit.actorPlaceholder')}
            value={actorText}
            onChange={(e) => setActorText(e.target.value)}
            onSearch={(v) => setFilter({ actor: v.trim() })}
            className="filter-search-narrow"
            data-testid="audit-filter-actor"
          />
          <Select
            allowClear
            placeholder={t('audit.objectTypePlaceholder')}
            value={filters.objectType}
            onChange={(v?: string) => setFilter({ objectType: v, objectId: undefined })}
            options={Object.entries(objectTypeLabels).map(([k, v]) => ({ value: k, label: v[lang] }))}
            className="filter-select"
            data-testid="audit-filter-object-type"
          />
          <Space size={8}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => setTick((n) => n + 1)}
              aria-label={t('common.refresh')}
            />
          </Space>
        </div>
        <Table<AuditEvent>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={loading}
          scroll={{ x: 1030 }}
          expandable={{
            expandedRowRender: (e) => <AuditDiff event={e} />,
            rowExpandable: (e) => e.before != null || e.after != null,
          }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (total) => t('common.total', { n: total }),
            onChange: (p, ps) => {
              setPage(ps !== pageSize ? 1 : p);
              setPageSize(ps);
            },
          }}
          data-testid="audit-table"
        />
      </Card>
    </>
  );
}
