/**
 * 导入汇总表: the bureau's usual workbook — one row per school, or one sheet per section — with the template
 * generated from the form, a dry run and the engine's modes (valid rows only / nothing unless all are valid);
 * the rows that were not imported are listed with their sheet, row and reason.
 */
import { useState } from 'react';
import { Alert, Button, Checkbox, Select, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import type { ImportResult } from '@dudao/contracts';
import { ApiError, csrfHeader } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { useCollectionI18n } from './messages.ts';

async function uploadSheet(
  file: File,
  q: { formId: string; unitId: string; period: string; dryRun: string; mode: string },
): Promise<ImportResult> {
  const res = await fetch(`/api/collection/import?${new URLSearchParams(q).toString()}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(file.name),
      ...csrfHeader(),
    },
    body: file,
    credentials: 'same-origin',
  });
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!res.ok)
    throw new ApiError(res.status, body.code ?? `HTTP_${res.status}`, body.message ?? `HTTP ${res.status}`);
  return body as ImportResult;
}

export function ImportPanel(props: {
  formId: string;
  unitId: string;
  period: string;
  sections: number;
  onImported: () => Promise<void> | void;
}) {
  const { c } = useCollectionI18n();
  const feedback = useFeedback();
  const [dryRun, setDryRun] = useState(true);
  const [mode, setMode] = useState<'valid_only' | 'all'>('valid_only');
  const [result, setResult] = useState<ImportResult | null>(null);
  const tpl = (q: string) => `/api/collection/import-template?formId=${props.formId}&${q}`;

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="col-import">
      <Alert type="info" showIcon title={c('col.importHint')} description={c('col.importHint2')} />
      <Space wrap>
        <a href={tpl('layout=single')} download>
          <Button icon={<DownloadOutlined />} size="small">
            {c('col.template')}
          </Button>
        </a>
        {props.sections > 1 ? (
          <a href={tpl('layout=sections')} download>
            <Button icon={<DownloadOutlined />} size="small">
              {c('col.templateSections')}
            </Button>
          </a>
        ) : null}
        <a href={tpl('format=csv')} download>
          {c('col.templateCsv')}
        </a>
      </Space>
      <Space wrap>
        <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} data-testid="import-dry">
          {c('col.dryRun')}
        </Checkbox>
        <span>{c('col.mode')}</span>
        <Select
          size="small"
          style={{ width: 160 }}
          value={mode}
          onChange={setMode}
          options={[
            { value: 'valid_only', label: c('col.modeValid') },
            { value: 'all', label: c('col.modeAll') },
          ]}
        />
        <Upload
          accept=".xlsx,.csv"
          showUploadList={false}
          beforeUpload={(file) => {
            uploadSheet(file, {
              formId: props.formId,
              unitId: props.unitId,
              period: props.period,
              dryRun: String(dryRun),
              mode,
            })
              .then(async (r) => {
                setResult(r);
                if (r.dryRun) feedback.success(c('col.dryDone', { n: r.saved, s: r.skipped.length }));
                else if (r.refused) feedback.failure(c('col.refused', { s: r.skipped.length }));
                else {
                  feedback.success(c('col.imported', { n: r.saved, s: r.skipped.length }));
                  await props.onImported();
                }
              })
              .catch((e: unknown) => feedback.error(e));
            return false;
          }}
        >
          <Button type="primary" icon={<UploadOutlined />} data-testid="import-upload">
            {c('col.import')}
          </Button>
        </Upload>
      </Space>
      {result ? (
        <>
          <Typography.Text type={result.refused ? 'danger' : undefined}>
            {result.dryRun
              ? c('col.dryDone', { n: result.saved, s: result.skipped.length })
              : result.refused
                ? c('col.refused', { s: result.skipped.length })
                : c('col.imported', { n: result.saved, s: result.skipped.length })}
          </Typography.Text>
          {result.unknownColumns.length ? (
            <Typography.Text type="secondary">
              {c('col.unknownCols', { c: result.unknownColumns.join('、') })}
            </Typography.Text>
          ) : null}
          {result.skipped.length ? (
            <Table
              size="small"
              rowKey={(r) => `${r.sheet ?? ''}-${r.row}`}
              pagination={false}
              scroll={{ x: 560 }}
              dataSource={result.skipped}
              columns={[
                ...(result.sheets.length > 1 ? [{ title: c('col.sheet'), dataIndex: 'sheet' }] : []),
                { title: c('col.row'), dataIndex: 'row', width: 60 },
                { title: c('col.unit'), dataIndex: 'name' },
                { title: c('col.reason'), dataIndex: 'message' },
              ]}
            />
          ) : null}
        </>
      ) : null}
    </Space>
  );
}
