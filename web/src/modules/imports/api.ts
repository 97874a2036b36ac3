/**
 * The import engine's endpoints (contracts/src/imports.ts): the upload as a raw body with progress
 * (XMLHttpRequest: fetch cannot report upload progress), following a job over server-sent events with a
 * polling fallback, commit and cancel, and the download addresses.
 */
import type { ImportJob, ImportKind, ImportMode, Lang } from '@dudao/contracts';
import { ApiError, api, csrfHeader, isApiError, toQuery } from '../../app/api.ts';

export const importUrls = {
  template: (kind: ImportKind, format: 'xlsx' | 'csv') =>
    `/api/imports/templates/${kind}${toQuery({ format })}`,
  fields: (kind: ImportKind) => `/api/imports/fields/${kind}`,
  list: '/api/imports',
  job: (id: string) => `/api/imports/${id}`,
  events: (id: string) => `/api/imports/${id}/events`,
  errorReport: (id: string) => `/api/imports/${id}/error-report`,
  mapping: (id: string) => `/api/imports/${id}/mapping`,
};

/** The statuses in which the server is still working on a job. */
export function isRunning(job: ImportJob): boolean {
  return job.status === 'validating' || job.status === 'committing';
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function uploadError(status: number, body: unknown, lang: Lang): ApiError {
  if (typeof body === 'object' && body !== null && 'code' in body && typeof body.code === 'string') {
    const message = 'message' in body && typeof body.message === 'string' ? body.message : body.code;
    return new ApiError(status, body.code, message);
  }
  if (status === 0)
    return new ApiError(
      0,
      'NETWORK',
      lang === 'en'
        ? 'The upload was interrupted. Check the network and try again.'
        : '上传中断，请检查网络后重试。',
    );
  if (status === 413)
    return new ApiError(
      413,
      'HTTP_413',
      lang === 'en' ? 'The file is too large.' : '文件太大，超出服务器允许的大小。',
    );
  return new ApiError(
    status,
    `HTTP_${status}`,
    lang === 'en' ? `The upload failed (${status}).` : `上传失败（${status}）。`,
  );
}

export interface UploadOptions {
  kind: ImportKind;
  file: File;
  unitId?: string;
  sheet?: string;
  lang: Lang;
  onProgress: (loaded: number, total: number) => void;
}

export interface Upload {
  done: Promise<ImportJob>;
  abort: () => void;
}

/** POST /api/imports?kind=…: the file as the raw body; answers 202 with the job (validating). */
export function uploadImport({ kind, file, unitId, sheet, lang, onProgress }: UploadOptions): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<ImportJob>((resolve, reject) => {
    xhr.open('POST', importUrls.list + toQuery({ kind, unitId, sheet }));
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', lang === 'en' ? 'en' : 'zh-CN');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    for (const [k, v] of Object.entries(csrfHeader())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const body = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size, file.size);
        resolve(body as ImportJob);
        return;
      }
      const error = uploadError(xhr.status, body, lang);
      // Let the API client notice a lost session (it sends the user to the login page).
      if (xhr.status === 401) api.get('/api/auth/me').catch(() => undefined);
      reject(error);
    };
    xhr.onerror = () => reject(uploadError(0, undefined, lang));
    xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

export interface Follow {
  stop: () => void;
}

/**
 * Follows a job while `running(job)` holds: GET /api/imports/:id/events (each message a snapshot), or,
 * when the stream fails, GET /api/imports/:id every second. The last snapshot is fetched once more
 * through the API client, so that its messages are in the page's language (EventSource cannot send
 * accept-language).
 */
export function followJob(
  id: string,
  running: (job: ImportJob) => boolean,
  onSnapshot: (job: ImportJob) => void,
  onError: (err: unknown) => void,
): Follow {
  let stopped = false;
  let source: EventSource | null = null;
  let timer: number | undefined;

  const finish = () => {
    if (stopped) return;
    api.get<ImportJob>(importUrls.job(id)).then(
      (job) => {
        if (!stopped) onSnapshot(job);
      },
      () => undefined,
    );
  };

  const poll = () => {
    if (stopped) return;
    api.get<ImportJob>(importUrls.job(id)).then(
      (job) => {
        if (stopped) return;
        onSnapshot(job);
        if (running(job)) timer = window.setTimeout(poll, 1000);
      },
      (err: unknown) => {
        if (stopped) return;
        // A network blip or a restarting server: keep asking. Anything else (404, 401 …) ends it.
        if (isApiError(err) && (err.status === 0 || err.status >= 500)) {
          timer = window.setTimeout(poll, 2000);
          return;
        }
        onError(err);
      },
    );
  };

  if (typeof EventSource === 'undefined') {
    poll();
  } else {
    source = new EventSource(importUrls.events(id));
    source.onmessage = (e: MessageEvent<string>) => {
      let job: ImportJob;
      try {
        job = JSON.parse(e.data) as ImportJob;
      } catch {
        return;
      }
      if (stopped) return;
      onSnapshot(job);
      if (!running(job)) {
        source?.close();
        source = null;
        finish();
      }
    };
    source.onerror = () => {
      // The stream broke (or the server ended it before a final snapshot): poll instead of reconnecting.
      source?.close();
      source = null;
      poll();
    };
  }

  return {
    stop: () => {
      stopped = true;
      source?.close();
      source = null;
      if (timer !== undefined) window.clearTimeout(timer);
    },
  };
}

export const commitImport = (id: string, mode: ImportMode) =>
  api.post<ImportJob>(`${importUrls.job(id)}/commit`, { mode });

export const cancelImport = (id: string) => api.post<ImportJob>(`${importUrls.job(id)}/cancel`);

/**
 * Checks a failed job again from the file the server kept (after a restart interrupted it). Not in
 * contracts/src/imports.ts: the server offers it as POST /api/imports/:id/retry.
 */
export const retryImport = (id: string) => api.post<ImportJob>(`${importUrls.job(id)}/retry`);
