/** The imports of a kind so far (GET /api/imports?kind=…), newest first. */
import { useEffect, useState } from 'react';
import { Button, Card, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { importModeLabels, label, type ImportJob, type ImportKind, type ImportPage } from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { formatDateTime, formatNumber } from '../../../app/format.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import { importUrls } from '../api.ts';
import { formatBytes } from '../format.ts';
import { ImportStatusTag } from './ImportStatusTag.tsx';

interface Props {
  kind: ImportKind;
  /** Changes when the wizard's job moved on: the list is read again. */
  refreshKey: string;
  /** The job the wizard shows (marked in the list). */
  currentId: string | null;
  onOpen: (id: string) => void;
}

export function ImportHistory({ kind, refreshKey, currentId, onOpen }: Props) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const [data, setData] = useState<ImportPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<ImportPage>(importUrls.list, { kind, page, pageSize }, controller.signal)
      .then(setData, (err: unknown) => feedback.error(err))
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [kind, page, pageSize, tick, refreshKey, feedback]);

  const n = (v: number) => formatNumber(v, lang);
  const columns: TableColumnsType<ImportJob> = [
    {
      title: t('imp.time'),
      dataIndex: 'createdAt',
      width: 140,
      render: (v: string) => <span className="nowrap">{formatDateTime(v)}</span>,
    },
    {
      title: t('imp.file'),
      dataIndex: 'fileName',
      width: 220,
      render: (v: string, job) => (
        <div className="import-history-file">
          <Typography.Text ellipsis={{ tooltip: v }} className="import-history-name">
            {v}
          </Typography.Text>
          <Typography.Text type="secondary" className="small">
            {formatBytes(job.fileSize, lang)}
            {job.mode ? ` · ${label(importModeLabels, job.mode, lang)}` : ''}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('imp.unitCol'), dataIndex: ['unit', 'name'], width: 160, ellipsis: { showTitle: true } },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 90,
      render: (_v, job) => <ImportStatusTag status={job.status} />,
    },
    {
      title: t('imp.counts'),
      key: 'counts',
      width: 230,
      render: (_v, job) =>
        job.status === 'failed' ? (
          <Typography.Text type="danger" className="small" ellipsis={{ tooltip: job.failure?.message }}>
            {job.failure?.message ?? t('common.none')}
          </Typography.Text>
        ) : (
          <span className="small">
            {t(job.status === 'committed' ? 'imp.countsDone' : 'imp.countsPlanned', {
              rows: n(job.counts.rows),
              inserted: n(job.counts.inserted),
              updated: n(job.counts.updated),
              rejected: n(job.counts.rejected),
            })}
          </span>
        ),
    },
    {
      title: t('imp.by'),
      dataIndex: 'createdBy',
      width: 100,
      ellipsis: { showTitle: true },
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      fixed: isMobile ? undefined : 'right',
      render: (_v, job) => (
        <Space size={0} wrap className="row-actions">
          {job.errorReport ? (
            <Button
              type="link"
              size="small"
              href={importUrls.errorReport(job.id)}
              download
              data-testid="import-history-report"
            >
              {t('imp.errorReportShort')}
            </Button>
          ) : null}
          {job.id !== currentId &&
          (job.status === 'validating' || job.status === 'validated' || job.status === 'committing') ? (
            <Button type="link" size="small" onClick={() => onOpen(job.id)} data-testid="import-history-open">
              {t(job.status === 'validated' ? 'imp.continue' : 'imp.open')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <Card
      size="small"
      title={t('imp.history')}
      extra={
        <Button
          type="text"
          icon={<ReloadOutlined />}
          onClick={() => setTick((x) => x + 1)}
          aria-label={t('common.refresh')}
        />
      }
      className="import-history"
    >
      <Table<ImportJob>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={{ x: 1070 }}
        rowClassName={(job) => (job.id === currentId ? 'import-history-current' : '')}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50],
          showTotal: (total) => t('common.total', { n: total }),
          onChange: (p, ps) => {
            setPage(ps !== pageSize ? 1 : p);
            setPageSize(ps);
          },
        }}
        data-testid="import-history"
      />
    </Card>
  );
}
