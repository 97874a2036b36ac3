/**
 * The import wizard, the same for every kind: 1 选择文件 → 2 校验 (upload, validation progress, the dry run's
 * result and the decision) → 3 完成. The job being shown is in the address (?job=ID), so a reload, or
 * the history's 查看, picks it up again; a running job is followed over server-sent events.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Spin, Steps, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import type { ImportJob, ImportKind, ImportMode } from '@dudao/contracts';
import { api, isApiError } from '../../../app/api.ts';
import { useMe } from '../../../app/auth.tsx';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import {
  cancelImport,
  commitImport,
  followJob,
  importUrls,
  isRunning,
  retryImport,
  uploadImport,
  type Follow,
} from '../api.ts';
import { ColumnMapper } from './ColumnMapper.tsx';
import { DonePanel } from './DonePanel.tsx';
import { FileStep } from './FileStep.tsx';
import { JobProgress, UploadProgress, type UploadState } from './ProgressPanel.tsx';
import { FileFacts, ResultPanel } from './ResultPanel.tsx';

interface Props {
  kind: ImportKind;
  listPath: string;
  listTitle: string;
  /** Called whenever the job shown changes status (the history is read again). */
  onJobChange: (job: ImportJob | null) => void;
}

const JOB_PARAM = 'job';
/** Failures that checking the kept file again can cure (a restart, an internal error). */
const RETRYABLE = new Set(['IMPORT_INTERRUPTED', 'IMPORT_FAILED']);

export function ImportWizard({ kind, listPath, listTitle, onJobChange }: Props) {
  const { t, lang } = useI18n();
  const me = useMe();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [searchParams, setSearchParams] = useSearchParams();
  const jobId = searchParams.get(JOB_PARAM);
  const [unitId, setUnitId] = useState(me.unit.id);
  const [upload, setUpload] = useState<UploadState | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [busy, setBusy] = useState(false);
  /** Why the last upload failed, kept on the file step (a toast is easily missed after a long upload). */
  const [uploadError, setUploadError] = useState<string | null>(null);
  const jobRef = useRef(job);
  jobRef.current = job;
  const follower = useRef<Follow | null>(null);

  /** Takes a snapshot unless it belongs to a job no longer shown. */
  const show = useCallback((next: ImportJob) => {
    if (jobRef.current && jobRef.current.id !== next.id) return;
    jobRef.current = next;
    setJob(next);
  }, []);

  const follow = useCallback(
    (id: string) => {
      follower.current?.stop();
      follower.current = followJob(id, isRunning, show, (err) => feedback.error(err));
    },
    [show, feedback],
  );

  useEffect(() => () => follower.current?.stop(), []);

  const setJobParam = useCallback(
    (id: string | null) =>
      setSearchParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (id) next.set(JOB_PARAM, id);
          else next.delete(JOB_PARAM);
          return next;
        },
        { replace: id === null },
      ),
    [setSearchParams],
  );

  // The address names a job (a reload, the history's 查看, the browser's back button): show it.
  useEffect(() => {
    if (!jobId) {
      follower.current?.stop();
      jobRef.current = null;
      setJob(null);
      return;
    }
    if (jobRef.current?.id === jobId) return;
    follower.current?.stop();
    jobRef.current = null;
    setJob(null);
    const controller = new AbortController();
    api.get<ImportJob>(importUrls.job(jobId), undefined, controller.signal).then(
      (loaded) => {
        jobRef.current = loaded;
        setJob(loaded);
        if (isRunning(loaded)) follow(loaded.id);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        feedback.error(err);
        setJobParam(null);
      },
    );
    return () => controller.abort();
  }, [jobId, follow, feedback, setJobParam]);

  const status = job?.status;
  useEffect(() => {
    onJobChange(jobRef.current);
  }, [job?.id, status, onJobChange]);

  // Leaving the page would abort the upload.
  const uploading = upload !== null;
  useEffect(() => {
    if (!uploading) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [uploading]);

  const start = (file: File) => {
    const startedAt = Date.now();
    const running = uploadImport({
      kind,
      file,
      unitId: unitId !== me.unit.id ? unitId : undefined,
      lang,
      onProgress: (loaded, total) => setUpload((u) => (u ? { ...u, loaded, total } : u)),
    });
    setUploadError(null);
    setUpload({ name: file.name, loaded: 0, total: file.size, startedAt, abort: running.abort });
    running.done.then(
      (created) => {
        setUpload(null);
        jobRef.current = created;
        setJob(created);
        setJobParam(created.id);
        if (isRunning(created)) follow(created.id);
      },
      (err: unknown) => {
        setUpload(null);
        if (isApiError(err)) setUploadError(err.message);
        feedback.error(err);
      },
    );
  };

  const reset = () => {
    follower.current?.stop();
    jobRef.current = null;
    setJob(null);
    setJobParam(null);
  };

  const commit = async (mode: ImportMode) => {
    if (!job) return;
    setBusy(true);
    try {
      const next = await commitImport(job.id, mode);
      show(next);
      if (isRunning(next)) follow(next.id);
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!job) return;
    try {
      await cancelImport(job.id);
      feedback.success(t('imp.cancelled'));
      reset();
    } catch (err) {
      feedback.error(err);
    }
  };

  const mapped = (next: ImportJob) => {
    show(next);
    if (isRunning(next)) follow(next.id);
  };

  const retry = async () => {
    if (!job) return;
    setBusy(true);
    try {
      const next = await retryImport(job.id);
      show(next);
      if (isRunning(next)) follow(next.id);
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };

  // Which step, and how it stands.
  let current = 0;
  let stepStatus: 'process' | 'finish' | 'error' | 'wait' = 'process';
  if (upload) current = 1;
  else if (job) {
    const committed = job.mode !== null || job.status === 'committing' || job.status === 'committed';
    current = committed ? 2 : 1;
    if (job.status === 'committed') stepStatus = 'finish';
    if (job.status === 'failed') stepStatus = 'error';
    if (job.status === 'cancelled') stepStatus = 'wait';
  }

  let body;
  if (upload) body = <UploadProgress upload={upload} />;
  else if (jobId && !job)
    body = (
      <div className="import-loading">
        <Spin />
      </div>
    );
  else if (!job)
    body = (
      <FileStep
        kind={kind}
        unitId={unitId}
        onUnitChange={setUnitId}
        onFile={start}
        error={uploadError}
        onErrorClose={() => setUploadError(null)}
      />
    );
  // A running check cannot be cancelled (the server cancels validated or failed jobs).
  else if (job.status === 'validating' || job.status === 'committing') body = <JobProgress job={job} />;
  else if (job.status === 'validated')
    body = (
      <ResultPanel
        key={job.id}
        job={job}
        busy={busy}
        onCommit={(mode) => void commit(mode)}
        onCancel={() => void cancel()}
        onMapped={mapped}
      />
    );
  else if (job.status === 'committed')
    body = <DonePanel job={job} listPath={listPath} listTitle={listTitle} onAnother={reset} />;
  else
    body = (
      <div className="import-stopped" data-testid="import-stopped">
        <FileFacts job={job} />
        <Alert
          type={job.status === 'failed' ? 'error' : 'info'}
          showIcon
          title={job.status === 'failed' ? t('imp.failed') : t('imp.cancelledTitle')}
          description={
            <>
              {job.failure?.message ? <div>{job.failure.message}</div> : null}
              <div className="import-actions import-failure-actions">
                <Button type="primary" onClick={reset} data-testid="import-reupload">
                  {t('imp.reupload')}
                </Button>
                {job.status === 'failed' && RETRYABLE.has(job.failure?.code ?? '') ? (
                  <Button loading={busy} onClick={() => void retry()} data-testid="import-retry">
                    {t('imp.retry')}
                  </Button>
                ) : null}
              </div>
            </>
          }
          data-testid="import-failure"
        />
        {job.status === 'failed' && job.header && job.header.unknown.length > 0 ? (
          <div className="import-block import-failed-mapper">
            <Typography.Title level={5} className="import-section-title">
              {t('imp.mapperTitle')}
            </Typography.Title>
            <ColumnMapper job={job} onMapped={mapped} />
          </div>
        ) : null}
      </div>
    );

  return (
    <Card className="import-wizard" data-testid="import-wizard">
      <Steps
        current={current}
        status={stepStatus}
        size="small"
        responsive={false}
        titlePlacement={isMobile ? 'vertical' : 'horizontal'}
        className="import-steps"
        items={[{ title: t('imp.stepFile') }, { title: t('imp.stepCheck') }, { title: t('imp.stepDone') }]}
      />
      {body}
    </Card>
  );
}
