/**
 * /balance/calculator: upload the county's school table, see per stage the evaluators' table (each school ×
 * each 2017 indicator with ✓/✗ and its value, the county value and coefficient rows), the coefficients
 * against their limits, what holds the county back, the 2012 composite, and a what-if drawer.
 * Printing gives the tables on A4 landscape (balance.css).
 */
import { useState } from 'react';
import { Alert, Button, Card, Space, Spin, Typography, Upload } from 'antd';
import {
  DownloadOutlined,
  ExperimentOutlined,
  InboxOutlined,
  PrinterOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import { balanceFigureLabels, type BalanceResult } from '@dudao/contracts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { isApiError } from '../../app/api.ts';
import { computeFromFile } from './api.ts';
import { useBalanceI18n } from './messages.ts';
import { L } from './format.ts';
import { StageSection } from './StageSection.tsx';
import { downloadTemplate } from './template.ts';
import { WhatIfDrawer } from './WhatIfDrawer.tsx';
import './balance.css';

export default function CalculatorPage() {
  const { b, lang } = useBalanceI18n();
  const [result, setResult] = useState<BalanceResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [whatIfOpen, setWhatIfOpen] = useState(false);

  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await computeFromFile(file, lang));
    } catch (e) {
      setError(isApiError(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bal-page" data-testid="balance-page">
      <PageHeader
        title={b('bal.title')}
        extra={
          result ? (
            <>
              <Button icon={<ExperimentOutlined />} onClick={() => setWhatIfOpen(true)} className="no-print">
                {b('bal.whatIf')}
              </Button>
              <Button icon={<PrinterOutlined />} onClick={() => window.print()} className="no-print">
                {b('bal.print')}
              </Button>
              <Button icon={<ReloadOutlined />} onClick={() => setResult(null)} className="no-print">
                {b('bal.again')}
              </Button>
            </>
          ) : null
        }
      />
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error}
          closable={{ onClose: () => setError(null) }}
          className="bal-block no-print"
          data-testid="balance-error"
        />
      ) : null}
      {!result ? (
        <Spin spinning={busy} description={b('bal.computing')}>
          <Typography.Paragraph type="secondary">
            {b('bal.intro')}{' '}
            <Button type="link" size="small" icon={<DownloadOutlined />} onClick={downloadTemplate}>
              {b('bal.template')}
            </Button>
          </Typography.Paragraph>
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return Upload.LIST_IGNORE;
            }}
            data-testid="balance-dragger"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{b('bal.drop')}</p>
            <p className="ant-upload-hint">{b('bal.dropHint')}</p>
          </Upload.Dragger>
        </Spin>
      ) : (
        <Space orientation="vertical" size={16} className="bal-result">
          <Typography.Text type="secondary">{b('bal.file', { name: result.file ?? '' })}</Typography.Text>
          {result.columns.missing.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              title={b('bal.missingColumns', {
                cols: result.columns.missing.map((f) => L(lang, balanceFigureLabels[f])).join('、'),
              })}
            />
          ) : null}
          {result.columns.scaled.length > 0 ? (
            <Alert
              type="info"
              showIcon
              title={b('bal.scaled', { cols: result.columns.scaled.map((s) => s.column).join('、') })}
              className="no-print"
            />
          ) : null}
          {result.errors.length > 0 ? (
            <Alert
              type="error"
              showIcon
              title={b('bal.errors')}
              description={
                <ul className="bal-list">
                  {result.errors.map((e, i) => (
                    <li key={i}>
                      {b('bal.row', { n: e.row })}
                      {e.column ? `【${e.column}】` : ''}：{e.message}
                    </li>
                  ))}
                </ul>
              }
              data-testid="balance-row-errors"
            />
          ) : null}
          {result.stages.map((s) => (
            <StageSection key={s.stage} stage={s} result={result} lang={lang} b={b} />
          ))}
          {result.excluded.length > 0 ? (
            <Card size="small" title={b('bal.excluded')} className="bal-stage">
              <ul className="bal-list">
                {result.excluded.map((e) => (
                  <li key={e.row}>
                    {b('bal.row', { n: e.row })} {e.name}：{e.reason}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          {result.ignored.length > 0 ? (
            <Typography.Text type="secondary">
              {b('bal.ignored', { rows: result.ignored.map((r) => `${r.row}（${r.text}）`).join('、') })}
            </Typography.Text>
          ) : null}
          <WhatIfDrawer
            key={result.file ?? ''}
            result={result}
            open={whatIfOpen}
            onClose={() => setWhatIfOpen(false)}
          />
        </Space>
      )}
    </div>
  );
}
