/** The selected unit's child units: search, filters, paging, 新建学校 / 新建县区教育局. */
import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  SCHOOL_STAGES,
  UNIT_KINDS,
  UNIT_STATUSES,
  label,
  localityLabels,
  ownershipLabels,
  stageLabels,
  statusLabels,
  unitKindLabels,
  type Unit,
  type UnitListQuery,
  type UnitPage,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { StatusTag } from './UnitStatusTag.tsx';
import { UnitKindIcon } from './UnitTree.tsx';

type Filters = Pick<UnitListQuery, 'q' | 'kind' | 'stage' | 'status'>;

interface Props {
  parent: Unit;
  canManage: boolean;
  /** Changes when the list must be fetched again (after a create, edit …). */
  reloadToken: number;
  onOpen: (unit: Unit) => void;
  onCreate: (kind: 'school' | 'county_bureau') => void;
}

export function UnitTable({ parent, canManage, reloadToken, onOpen, onCreate }: Props) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const [filters, setFilters] = useState<Filters>({});
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<UnitPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);

  // A new parent starts from the first page without filters.
  useEffect(() => {
    setFilters({});
    setSearch('');
    setPage(1);
  }, [parent.id]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<UnitPage>('/api/units', { parentId: parent.id, ...filters, page, pageSize }, controller.signal)
      .then(setData, (err: unknown) => feedback.error(err))
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [parent.id, filters, page, pageSize, reloadToken, tick, feedback]);

  const setFilter = useCallback(<K extends keyof Filters>(key: K, value: Filters[K]) => {
    setFilters((f) => ({ ...f, [key]: value || undefined }));
    setPage(1);
  }, []);

  const dash = t('common.none');
  const columns: TableColumnsType<Unit> = [
    {
      title: t('org.name'),
      dataIndex: 'name',
      width: 240,
      fixed: 'left',
      render: (_v, u) => (
        <Typography.Link onClick={() => onOpen(u)} data-testid="unit-row-open">
          <Space size={6}>
            <UnitKindIcon kind={u.kind} />
            {u.name}
          </Space>
        </Typography.Link>
      ),
    },
    {
      title: t('org.code'),
      dataIndex: 'code',
      width: 120,
      render: (v: string) => <span className="mono">{v}</span>,
    },
    {
      title: t('org.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (v: Unit['kind']) => label(unitKindLabels, v, lang),
    },
    {
      title: t('org.stage'),
      dataIndex: 'stage',
      width: 110,
      render: (v: Unit['stage']) => label(stageLabels, v, lang) || dash,
    },
    {
      title: t('org.ownership'),
      dataIndex: 'ownership',
      width: 90,
      render: (v: Unit['ownership']) => label(ownershipLabels, v, lang) || dash,
    },
    {
      title: t('org.locality'),
      dataIndex: 'locality',
      width: 80,
      render: (v: Unit['locality']) => label(localityLabels, v, lang) || dash,
    },
    {
      title: t('org.principal'),
      dataIndex: 'principal',
      width: 100,
      render: (v: string | null) => v || dash,
    },
    { title: t('org.phone'), dataIndex: 'phone', width: 140, render: (v: string | null) => v || dash },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 90,
      render: (v: Unit['status']) => <StatusTag status={v} />,
    },
  ];

  const isBureau = parent.kind !== 'school';
  const createButtons =
    canManage && isBureau && parent.status === 'active' ? (
      <>
        {parent.kind === 'city_bureau' ? (
          <Button
            icon={<PlusOutlined />}
            onClick={() => onCreate('county_bureau')}
            data-testid="county-create-button"
          >
            {t('org.createCounty')}
          </Button>
        ) : null}
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => onCreate('school')}
          data-testid="unit-create-button"
        >
          {t('org.createSchool')}
        </Button>
      </>
    ) : null;

  return (
    <Card
      size="small"
      title={`${t('org.children')}${data ? `（${data.total}）` : ''}`}
      extra={
        <Space wrap size={8}>
          {createButtons}
        </Space>
      }
      className="unit-children"
    >
      <div className="filter-bar">
        <Input.Search
          allowClear
          placeholder={t('org.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => setFilter('q', v.trim())}
          className="filter-search"
          data-testid="unit-search"
        />
        {parent.kind === 'city_bureau' ? (
          <Select
            allowClear
            placeholder={t('org.kind')}
            value={filters.kind}
            onChange={(v) => setFilter('kind', v)}
            options={UNIT_KINDS.filter((k) => k !== 'city_bureau').map((k) => ({
              value: k,
              label: label(unitKindLabels, k, lang),
            }))}
            className="filter-select"
            data-testid="unit-filter-kind"
          />
        ) : null}
        <Select
          allowClear
          placeholder={t('org.stage')}
          value={filters.stage}
          onChange={(v) => setFilter('stage', v)}
          options={SCHOOL_STAGES.map((s) => ({ value: s, label: label(stageLabels, s, lang) }))}
          className="filter-select"
          data-testid="unit-filter-stage"
        />
        <Select
          allowClear
          placeholder={t('common.status')}
          value={filters.status}
          onChange={(v) => setFilter('status', v)}
          options={UNIT_STATUSES.map((s) => ({ value: s, label: label(statusLabels, s, lang) }))}
          className="filter-select"
          data-testid="unit-filter-status"
        />
        <Button
          icon={<ReloadOutlined />}
          onClick={() => setTick((n) => n + 1)}
          aria-label={t('common.refresh')}
        />
      </div>
      <Table<Unit>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={{ x: 1090 }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => t('common.total', { n: total }),
          onChange: (p, ps) => {
            setPage(ps !== pageSize ? 1 : p);
            setPageSize(ps);
          },
          responsive: true,
        }}
        data-testid="unit-table"
      />
    </Card>
  );
}
