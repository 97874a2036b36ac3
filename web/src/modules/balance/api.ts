/** The calculator's endpoints: the school table as a raw body, and the what-if. */
import type { BalanceResult, BalanceWhatIfRequest, BalanceWhatIfResult, Lang } from '@dudao/contracts';
import { ApiError, api, csrfHeader } from '../../app/api.ts';

/** POST /api/balance/compute with the file as the body (nothing is stored). */
export async function computeFromFile(file: File, lang: Lang): Promise<BalanceResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    accept: 'application/json',
    'accept-language': lang === 'en' ? 'en' : 'zh-CN',
    'x-file-name': encodeURIComponent(file.name),
    ...csrfHeader(),
  };
  let res: Response;
  try {
    res = await fetch('/api/balance/compute', {
      method: 'POST',
      headers,
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      lang === 'en' ? 'Cannot reach the server.' : '无法连接服务器，请检查网络后重试。',
    );
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = body as { code?: unknown; message?: unknown } | undefined;
    if (res.status === 401) api.get('/api/auth/me').catch(() => undefined);
    throw new ApiError(
      res.status,
      typeof b?.code === 'string' ? b.code : `HTTP_${res.status}`,
      typeof b?.message === 'string'
        ? b.message
        : lang === 'en'
          ? `Failed (${res.status})`
          : `测算失败（${res.status}）`,
    );
  }
  return body as BalanceResult;
}

/** POST /api/balance/what-if. */
export function whatIf(req: BalanceWhatIfRequest): Promise<BalanceWhatIfResult> {
  return api.post<BalanceWhatIfResult>('/api/balance/what-if', req);
}
