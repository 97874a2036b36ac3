/**
 * Typed fetch client for the Dudao API.
 *
 * JSON in and out, cookies sent same-origin, the CSRF token (from the login / me response) sent on
 * every state-changing request, and the UI language sent as `accept-language` so that the server
 * answers error messages in it. Errors come back as `{code, message, details?}` and are thrown as
 * `ApiError`. A 401 meaning "no session" calls the handler the auth context registered.
 */
import type { ErrorBody, Lang } from '@dudao/contracts';

export type ErrorDetail = NonNullable<ErrorBody['details']>[number];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;
let language: Lang = 'zh';
let onUnauthenticated: ((code: string) => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function setApiLanguage(lang: Lang): void {
  language = lang;
}
/** Called when the server says the session is gone (401 SESSION_EXPIRED / UNAUTHENTICATED). */
export function setUnauthenticatedHandler(handler: ((code: string) => void) | null): void {
  onUnauthenticated = handler;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

/** `?a=1&b=x`, leaving out empty values. */
export function toQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The server also mirrors the token in a readable cookie; used if the page lost it. */
function csrfFromCookie(): string | null {
  const m = /(?:^|;\s*)dudao_csrf=([^;]+)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

/** The CSRF header for requests made outside `api` (uploads by XHR or raw fetch). */
export function csrfHeader(): Record<string, string> {
  const token = csrfToken ?? csrfFromCookie();
  return token ? { 'x-csrf-token': token } : {};
}

const SESSION_CODES = new Set(['SESSION_EXPIRED', 'UNAUTHENTICATED']);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toApiError(status: number, body: unknown, fallback: string): ApiError {
  if (isRecord(body) && typeof body.code === 'string') {
    const message = typeof body.message === 'string' && body.message ? body.message : fallback;
    const details: ErrorDetail[] = Array.isArray(body.details)
      ? body.details.filter(
          (d): d is ErrorDetail => isRecord(d) && typeof d.path === 'string' && typeof d.message === 'string',
        )
      : [];
    return new ApiError(status, body.code, message, details);
  }
  return new ApiError(status, status === 0 ? 'NETWORK' : `HTTP_${status}`, fallback);
}

function fallbackMessage(status: number): string {
  if (language === 'en') {
    if (status === 0) return 'Cannot reach the server. Check the network and try again.';
    if (status >= 500) return `The server failed (${status}). Try again later.`;
    return `Request failed (${status}).`;
  }
  if (status === 0) return '无法连接服务器，请检查网络后重试。';
  if (status >= 500) return `服务器出错（${status}），请稍后重试。`;
  return `请求失败（${status}）。`;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not call the "session gone" handler on 401 (used by the login form and the first `me`). */
  quiet401?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': language === 'en' ? 'en' : 'zh-CN',
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method)) {
    const token = csrfToken ?? csrfFromCookie();
    if (token) headers['x-csrf-token'] = token;
  }

  let response: Response;
  try {
    response = await fetch(path + toQuery(options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw toApiError(0, null, fallbackMessage(0));
  }

  const headerToken = response.headers.get('x-csrf-token');
  if (headerToken) csrfToken = headerToken;

  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }

  if (!response.ok) {
    const error = toApiError(response.status, body, fallbackMessage(response.status));
    if (response.status === 401 && SESSION_CODES.has(error.code) && !options.quiet401) {
      csrfToken = null;
      onUnauthenticated?.(error.code);
    }
    throw error;
  }
  return body as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/**
 * The type a contracts schema parses to, for the schemas that are not also exported as types
 * (`TotpSetupResponse`, `UserCreated` …). Type-only: no zod in the bundle.
 */
export type Infer<S extends { parse: (data: unknown) => unknown }> = ReturnType<S['parse']>;
