/** The imports of a kind so far (GET /api/imports?kind=…), newest first. */
import { useEffect, useState } from 'react';
import { Button, Card, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { importModeLabels, label, type ImportJob, type ImportKind, type ImportPage } from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { formatDateTime } from '../../../app/format.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import { importUrls } from '../api.ts';
import { formatBytes } from '../format.ts';
import { countsSummary } from '../summary.ts';
import { ImportStatusTag } from './ImportStatusTag.tsx';

interface Props {
  kind: ImportKind;
  /** Changes when the wizard's job moved on: the list is read again. */
  refreshKey: string;
  /** The job the wizard shows (marked in the list). */
  currentId: string | null;
  onOpen: (id: string) => void;
}

/** The counts in one line, or why the job failed. */
function JobOutcome({ job }: { job: ImportJob }) {
  const { t, lang } = useI18n();
  if (job.status === 'failed')
    return (
      <Typography.Text type="danger" className="small" ellipsis={{ tooltip: job.failure?.message }}>
        {job.failure?.message ?? t('common.none')}
      </Typography.Text>
    );
  if (job.status === 'validating' || job.status === 'committing')
    return <span className="small">{job.progress.percent}%</span>;
  if (job.counts.rows === 0) return <span className="small">{t('common.none')}</span>;
  return <span className="small">{countsSummary(job, t, lang)}</span>;
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

  const actions: TableColumnsType<ImportJob>[number] = {
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
        {job.id !== currentId && job.status !== 'committed' && job.status !== 'cancelled' ? (
          <Button type="link" size="small" onClick={() => onOpen(job.id)} data-testid="import-history-open">
            {t(job.status === 'validated' ? 'imp.continue' : 'imp.open')}
          </Button>
        ) : null}
      </Space>
    ),
  };
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
      render: (_v, job) => <JobOutcome job={job} />,
    },
    {
      title: t('imp.by'),
      dataIndex: 'createdBy',
      width: 100,
      ellipsis: { showTitle: true },
      render: (v: string | null) => v ?? t('common.none'),
    },
    actions,
  ];
  // Phones: one column telling the whole story, and the actions.
  const phoneColumns: TableColumnsType<ImportJob> = [
    {
      title: t('imp.file'),
      dataIndex: 'fileName',
      render: (v: string, job) => (
        <div className="import-history-file">
          <span className="import-history-name">{v}</span>
          <Typography.Text type="secondary" className="small">
            {formatDateTime(job.createdAt)} · {job.unit.name}
          </Typography.Text>
          <div className="import-history-outcome">
            <ImportStatusTag status={job.status} />
            <JobOutcome job={job} />
          </div>
        </div>
      ),
    },
    { ...actions, width: 96 },
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
        columns={isMobile ? phoneColumns : columns}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={isMobile ? undefined : { x: 1070 }}
        tableLayout={isMobile ? 'fixed' : undefined}
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
