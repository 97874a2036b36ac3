/**
 * The dry run's result: counts, how the columns were understood, the first errors with the full report to
 * download, a note when the same file was imported before, and the decision (mode, 确认导入 / 取消).
 */
import { useState } from 'react';
import { Alert, Button, Collapse, Popconfirm, Radio, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import {
  importModeLabels,
  label,
  type ImportHeader,
  type ImportJob,
  type ImportMode,
  type ImportRowError,
} from '@dudao/contracts';
import { formatDateTime } from '../../../app/format.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import { importUrls } from '../api.ts';
import { formatBytes } from '../format.ts';
import { ColumnMapper } from './ColumnMapper.tsx';
import { CountCards } from './CountCards.tsx';

type KeyedError = ImportRowError & { key: number };

interface Props {
  job: ImportJob;
  busy: boolean;
  onCommit: (mode: ImportMode) => void;
  onCancel: () => void;
  /** The job after columns were mapped (validating again). */
  onMapped: (job: ImportJob) => void;
}

export function FileFacts({ job }: { job: ImportJob }) {
  const { t, lang } = useI18n();
  const facts = [
    formatBytes(job.fileSize, lang),
    job.format.toUpperCase(),
    ...(job.encoding ? [job.encoding.toUpperCase()] : []),
    t('imp.into', { unit: job.unit.name }),
  ];
  return (
    <div className="import-file-facts" data-testid="import-file-facts">
      <Typography.Text strong className="import-file-name">
        {job.fileName}
      </Typography.Text>
      <Typography.Text type="secondary">{facts.join(' · ')}</Typography.Text>
    </div>
  );
}

interface MappingProps {
  job: ImportJob;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onMapped: (job: ImportJob) => void;
}

/** Which column became which field (collapsed), with the unrecognised columns to map. */
function HeaderMapping({ job, open, onOpenChange, onMapped }: MappingProps) {
  const { t } = useI18n();
  const header = job.header;
  if (!header) return null;
  const where = header.sheet
    ? t('imp.headerAtSheet', { sheet: header.sheet, row: header.row })
    : t('imp.headerAt', { row: header.row });
  const columns: TableColumnsType<ImportHeader['mapped'][number]> = [
    { title: t('imp.fileColumn'), dataIndex: 'column' },
    { title: t('imp.field'), dataIndex: 'label' },
  ];
  return (
    <Collapse
      size="small"
      className="import-block"
      activeKey={open ? ['mapping'] : []}
      onChange={(keys) => onOpenChange(keys.length > 0)}
      items={[
        {
          key: 'mapping',
          label: t('imp.mapping', { n: header.mapped.length }),
          children: (
            <>
              <Typography.Paragraph type="secondary" className="import-section-note">
                {where}
              </Typography.Paragraph>
              <Table
                rowKey="field"
                size="small"
                columns={columns}
                dataSource={header.mapped}
                pagination={false}
                data-testid="import-mapping-table"
              />
              {header.unknown.length > 0 ? (
                <div className="import-mapper-block">
                  <Typography.Title level={5} className="import-section-title">
                    {t('imp.mapperTitle')}
                  </Typography.Title>
                  <ColumnMapper job={job} onMapped={onMapped} />
                </div>
              ) : null}
            </>
          ),
        },
      ]}
    />
  );
}

export function ResultPanel({ job, busy, onCommit, onCancel, onMapped }: Props) {
  const { t, lang } = useI18n();
  const [mappingOpen, setMappingOpen] = useState(false);
  const isMobile = useIsMobile();
  const c = job.counts;
  const [mode, setMode] = useState<ImportMode>(c.rejected > 0 ? 'valid-only' : 'all');
  const header = job.header;
  const sep = lang === 'zh' ? '、' : ', ';

  const errorColumns: TableColumnsType<KeyedError> = [
    { title: t('imp.row'), dataIndex: 'row', width: isMobile ? 56 : 80 },
    {
      title: t('imp.column'),
      dataIndex: 'column',
      width: isMobile ? 90 : 160,
      render: (v: string | null) => v ?? t('common.none'),
    },
    { title: t('imp.reason'), dataIndex: 'message' },
  ];

  const allBlocked = c.rejected > 0;
  const nothing = c.valid === 0;

  return (
    <div className="import-result" data-testid="import-result">
      <FileFacts job={job} />
      {job.sameFileAs ? (
        <Alert
          type="warning"
          showIcon
          className="import-block"
          title={
            job.sameFileAs.finishedAt
              ? t('imp.sameFile', { time: formatDateTime(job.sameFileAs.finishedAt) })
              : t('imp.sameFileNoTime')
          }
          data-testid="import-same-file"
        />
      ) : null}
      {header && header.missingRequired.length > 0 ? (
        <Alert
          type="error"
          showIcon
          className="import-block"
          title={t('imp.missing', { cols: header.missingRequired.join(sep) })}
          data-testid="import-missing"
        />
      ) : null}
      {header && header.unknown.length > 0 ? (
        <Alert
          type="info"
          showIcon
          className="import-block"
          title={t('imp.unknown', { cols: header.unknown.join(sep) })}
          action={
            <Button size="small" onClick={() => setMappingOpen(true)} data-testid="import-map-columns">
              {t('imp.mapperOpen')}
            </Button>
          }
          data-testid="import-unknown"
        />
      ) : null}
      <CountCards
        items={[
          { key: 'rows', title: t('imp.rows'), value: c.rows },
          { key: 'valid', title: t('imp.valid'), value: c.valid, tone: 'success' },
          {
            key: 'rejected',
            title: t('imp.rejected'),
            value: c.rejected,
            tone: c.rejected ? 'danger' : undefined,
          },
          { key: 'inserted', title: t('imp.willInsert'), value: c.inserted },
          { key: 'updated', title: t('imp.willUpdate'), value: c.updated },
          { key: 'unchanged', title: t('imp.willKeep'), value: c.unchanged, tone: 'muted' },
        ]}
      />
      <HeaderMapping job={job} open={mappingOpen} onOpenChange={setMappingOpen} onMapped={onMapped} />
      {c.rejected > 0 || job.errors.length > 0 ? (
        <div className="import-block" data-testid="import-errors">
          <div className="import-block-head">
            <Typography.Title level={5} className="import-section-title">
              {t('imp.errors')}
            </Typography.Title>
            {job.errorReport ? (
              <Button
                icon={<DownloadOutlined />}
                href={importUrls.errorReport(job.id)}
                download
                data-testid="import-error-report"
              >
                {t('imp.errorReport')}
              </Button>
            ) : null}
          </div>
          <Typography.Paragraph type="secondary" className="import-section-note">
            {job.errors.length < c.rejected
              ? t('imp.errorsFirst', { n: job.errors.length, total: c.rejected })
              : t('imp.errorReportHint')}
          </Typography.Paragraph>
          <Table<KeyedError>
            rowKey="key"
            size="small"
            columns={errorColumns}
            dataSource={job.errors.map((e, key) => ({ ...e, key }))}
            pagination={
              job.errors.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false
            }
            data-testid="import-error-table"
          />
        </div>
      ) : null}
      <div className="import-decision" data-testid="import-decision">
        <Typography.Title level={5} className="import-section-title">
          {t('imp.mode')}
        </Typography.Title>
        <Radio.Group
          value={mode}
          onChange={(e) => setMode(e.target.value as ImportMode)}
          className="import-modes"
          data-testid="import-mode"
        >
          <Space orientation="vertical" size={4}>
            <Radio value="all" disabled={allBlocked} data-testid="import-mode-all">
              {label(importModeLabels, 'all', lang)}
            </Radio>
            {allBlocked ? (
              <Typography.Text type="secondary" className="small import-mode-reason">
                {t('imp.allDisabled', { n: c.rejected })}
              </Typography.Text>
            ) : null}
            <Radio value="valid-only" data-testid="import-mode-valid-only">
              {label(importModeLabels, 'valid-only', lang)}
            </Radio>
          </Space>
        </Radio.Group>
        {nothing ? <Alert type="error" showIcon className="import-block" title={t('imp.noValid')} /> : null}
        <div className="import-actions">
          <Button
            type="primary"
            loading={busy}
            disabled={nothing || (mode === 'all' && allBlocked)}
            onClick={() => onCommit(mode)}
            data-testid="import-commit"
          >
            {t('imp.confirm')}
          </Button>
          <Popconfirm title={t('imp.cancelConfirm')} onConfirm={onCancel} okButtonProps={{ danger: true }}>
            <Button disabled={busy} data-testid="import-cancel">
              {t('common.cancel')}
            </Button>
          </Popconfirm>
        </div>
      </div>
    </div>
  );
}
