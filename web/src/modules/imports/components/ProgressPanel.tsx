/** The upload's progress, then the job's: a bar, what is happening, and the figures behind it. */
import { Button, Progress, Typography } from 'antd';
import { importPhaseLabels, label, type ImportJob } from '@dudao/contracts';
import { formatNumber } from '../../../app/format.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { formatBytes, formatDuration } from '../format.ts';

export interface UploadState {
  name: string;
  loaded: number;
  total: number;
  startedAt: number;
  abort: () => void;
}

export function UploadProgress({ upload }: { upload: UploadState }) {
  const { t, lang } = useI18n();
  const percent = upload.total > 0 ? Math.floor((upload.loaded / upload.total) * 100) : 0;
  const seconds = (Date.now() - upload.startedAt) / 1000;
  const rate = seconds > 1 ? upload.loaded / seconds : 0;
  const left = rate > 0 ? (upload.total - upload.loaded) / rate : null;
  return (
    <div className="import-progress" data-testid="import-upload">
      <Typography.Title level={5} className="import-progress-title">
        {t('imp.uploading', { name: upload.name })}
      </Typography.Title>
      <Progress percent={percent} status="active" data-testid="import-upload-progress" />
      <div className="import-progress-facts">
        <span>
          {t('imp.uploaded', {
            loaded: formatBytes(upload.loaded, lang),
            total: formatBytes(upload.total, lang),
          })}
        </span>
        {rate > 0 ? <span>{formatBytes(rate, lang)}/s</span> : null}
        {left !== null && upload.loaded < upload.total ? (
          <span>{t('imp.eta', { time: formatDuration(left, lang) })}</span>
        ) : null}
        {upload.loaded >= upload.total ? <span>{t('imp.uploadWaiting')}</span> : null}
      </div>
      <div className="import-actions">
        <Button onClick={upload.abort} data-testid="import-upload-cancel">
          {t('imp.cancelUpload')}
        </Button>
      </div>
    </div>
  );
}

export function JobProgress({ job }: { job: ImportJob }) {
  const { t, lang } = useI18n();
  const p = job.progress;
  const phase = label(importPhaseLabels, p.phase, lang);
  return (
    <div className="import-progress" data-testid="import-job-progress">
      <Typography.Title level={5} className="import-progress-title">
        {phase}
      </Typography.Title>
      <Progress
        percent={Math.min(100, Math.max(0, p.percent))}
        status="active"
        data-testid="import-progress-bar"
      />
      <div className="import-progress-facts" data-testid="import-progress-facts">
        {p.phase === 'reading' && job.fileSize > 0 ? (
          <span>
            {t('imp.bytesRead', {
              read: formatBytes(Math.min(p.bytesRead, job.fileSize), lang),
              total: formatBytes(job.fileSize, lang),
            })}
          </span>
        ) : null}
        <span>{t('imp.rowsRead', { n: formatNumber(p.rowsRead, lang) })}</span>
        {p.rowsPerSecond > 0 ? (
          <span>{t('imp.speed', { n: formatNumber(p.rowsPerSecond, lang) })}</span>
        ) : null}
        {p.etaSeconds !== null && p.etaSeconds > 0 ? (
          <span>{t('imp.eta', { time: formatDuration(p.etaSeconds, lang) })}</span>
        ) : null}
      </div>
      <Typography.Paragraph type="secondary" className="import-progress-note">
        {job.status === 'committing' ? t('imp.committingNote') : t('imp.workingNote')}
      </Typography.Paragraph>
    </div>
  );
}
