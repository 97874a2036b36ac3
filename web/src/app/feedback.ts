/**
 * Showing results: success toasts, the server's error message (already in the request's language),
 * and validation `details` [{path, message}] put on the matching form fields.
 */
import { useCallback, useMemo } from 'react';
import { App } from 'antd';
import type { FormInstance } from 'antd';
import { isApiError, type ErrorDetail } from './api.ts';
import { useI18n } from './i18n.tsx';

type FieldPath = (string | number)[];

const CONTEXTS = new Set(['body', 'querystring', 'query', 'params']);

/** "body/roles/0/unitId", "roles.0.unitId", "roles[0].unitId" → ['roles', 0, 'unitId'] */
export function parsePath(path: string): FieldPath {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter((part) => part !== '');
  if (parts.length > 1 && CONTEXTS.has(parts[0] ?? '')) parts.shift();
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * The server may start a detail's message with its path ("body/phone 格式不正确"); the field shows the
 * rest. A bare code ("ID_CHECKSUM") gives way to the error's own message.
 */
function fieldMessage(detail: ErrorDetail, fallback: string): string {
  const prefix = `${detail.path} `;
  const text = detail.message.startsWith(prefix) ? detail.message.slice(prefix.length) : detail.message;
  return /^[A-Z][A-Z0-9_]*$/.test(text) ? fallback : text;
}

/** Puts `details` on the form fields that exist; returns the details that matched no field. */
export function applyFieldErrors<T>(
  form: FormInstance<T>,
  details: ErrorDetail[],
  fallback = '',
): ErrorDetail[] {
  // getFieldsError() without arguments lists every registered field.
  const registered = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)));
  const unmatched: ErrorDetail[] = [];
  const fields: { name: FieldPath; errors: string[] }[] = [];
  for (const detail of details) {
    const name = parsePath(detail.path);
    if (registered.has(JSON.stringify(name))) fields.push({ name, errors: [fieldMessage(detail, fallback)] });
    else unmatched.push(detail);
  }
  if (fields.length > 0) form.setFields(fields as Parameters<FormInstance<T>['setFields']>[0]);
  return unmatched;
}

export interface Feedback {
  success: (text: string) => void;
  failure: (text: string) => void;
  /**
   * Shows the error; when a form is given, validation details go onto its fields, and an error code
   * listed in `codeFields` (e.g. USERNAME_TAKEN → username) puts the message on that field.
   */
  error: <T = unknown>(err: unknown, form?: FormInstance<T>, codeFields?: Record<string, string>) => void;
}

export function useFeedback(): Feedback {
  const { message } = App.useApp();
  const { t } = useI18n();

  const success = useCallback((text: string) => void message.success(text), [message]);
  const failure = useCallback((text: string) => void message.error(text), [message]);

  const error = useCallback(
    <T = unknown>(err: unknown, form?: FormInstance<T>, codeFields?: Record<string, string>) => {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      if (isApiError(err)) {
        // The session handler takes over (redirect to the login page).
        if (err.status === 401 && (err.code === 'SESSION_EXPIRED' || err.code === 'UNAUTHENTICATED')) return;
        // The server's message already lists every detail; the form fields get them one by one too.
        if (form && err.details.length > 0) applyFieldErrors(form, err.details, err.message);
        const field = codeFields?.[err.code];
        if (form && field && err.details.length === 0) {
          form.setFields([{ name: field, errors: [err.message] }] as Parameters<
            FormInstance<T>['setFields']
          >[0]);
        }
        void message.error(err.message);
        return;
      }
      console.error(err);
      void message.error(t('result.error'));
    },
    [message, t],
  );

  return useMemo(() => ({ success, failure, error }), [success, failure, error]);
}
