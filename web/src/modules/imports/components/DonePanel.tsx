/** Step 3: what the commit did, and where to go next. */
import { Button, Result, Space } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import type { ImportJob } from '@dudao/contracts';
import { useI18n } from '../../../app/i18n.tsx';
import { importUrls } from '../api.ts';
import { CountCards } from './CountCards.tsx';
import { FileFacts } from './ResultPanel.tsx';

interface Props {
  job: ImportJob;
  listPath: string;
  listTitle: string;
  onAnother: () => void;
}

export function DonePanel({ job, listPath, listTitle, onAnother }: Props) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const c = job.counts;
  const leftOut = job.mode === 'valid-only' ? c.rejected : 0;
  return (
    <div className="import-done" data-testid="import-done">
      <Result
        status="success"
        title={t('imp.doneTitle')}
        subTitle={<FileFacts job={job} />}
        className="import-done-result"
      />
      <CountCards
        items={[
          { key: 'inserted', title: t('imp.inserted'), value: c.inserted, tone: 'success' },
          { key: 'updated', title: t('imp.updated'), value: c.updated },
          { key: 'unchanged', title: t('imp.unchanged'), value: c.unchanged, tone: 'muted' },
          {
            key: 'rejected',
            title: t('imp.notImported'),
            value: leftOut,
            tone: leftOut ? 'danger' : undefined,
          },
        ]}
      />
      <Space wrap className="import-actions import-done-actions">
        <Button type="primary" onClick={() => void navigate(listPath)} data-testid="import-back-to-list">
          {t('imp.backToList', { list: listTitle })}
        </Button>
        <Button onClick={onAnother} data-testid="import-another">
          {t('imp.another')}
        </Button>
        {leftOut > 0 && job.errorReport ? (
          <Button icon={<DownloadOutlined />} href={importUrls.errorReport(job.id)} download>
            {t('imp.errorReport')}
          </Button>
        ) : null}
      </Space>
    </div>
  );
}
