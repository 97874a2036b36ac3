/**
 * Working in the field with a patchy network: a form's draft kept in localStorage on every change
 * (`useDraft`), and a submission that waits for the network to come back (`submitWhenOnline`).
 *
 *   const [draft, setDraft, clearDraft, savedAt] = useDraft(`inspection:${id}`, emptyForm);
 *   <Form initialValues={draft} onValuesChange={(_, all) => setDraft(all)} … />
 *
 *   const { submit, pending } = useSubmitWhenOnline();
 *   await submit(async () => { const ids = await uploadPhotos(photos, unitId); return api.post(…); });
 *   clearDraft();
 *   {pending ? <Alert type="warning" message={offlinePendingText(lang)} /> : null}
 *
 * Drafts must be JSON (keep dates as 'yyyy-mm-dd' strings and photos as PhotoField's data URLs).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Lang } from '@dudao/contracts';
import { isApiError } from './api.ts';

const PREFIX = 'dudao.draft.';

interface Stored<T> {
  v: T;
  at: number;
}

function read<T>(key: string): Stored<T> | null {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'v' in parsed && 'at' in parsed)
      return parsed as Stored<T>;
  } catch {
    // unreadable: start afresh
  }
  return null;
}

/** Saves; false when storage is unavailable or full (photos are large). */
function write<T>(key: string, value: T, at: number): boolean {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify({ v: value, at } satisfies Stored<T>));
    return true;
  } catch {
    return false;
  }
}

function remove(key: string): void {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    // ignore
  }
}

/** Whether a draft is kept under this key (e.g. to offer "继续填写"). */
export function hasDraft(key: string): boolean {
  return read(key) !== null;
}

export type SetDraft<T> = (next: T | ((previous: T) => T)) => void;

/**
 * A value kept in localStorage (under `dudao.draft.<key>`) on every change, read back when the page
 * opens again. → [value, setValue, clearDraft, savedAt]; savedAt is when it was last saved (null: no
 * draft, or the browser could not store it).
 */
export function useDraft<T>(key: string, initial: T): [T, SetDraft<T>, () => void, Date | null] {
  const [state, setState] = useState<{ key: string; value: T; savedAt: Date | null }>(() => {
    const stored = read<T>(key);
    return stored
      ? { key, value: stored.v, savedAt: new Date(stored.at) }
      : { key, value: initial, savedAt: null };
  });
  const initialRef = useRef(initial);
  initialRef.current = initial;

  // another key (another record's form): load its draft
  let current = state;
  if (state.key !== key) {
    const stored = read<T>(key);
    current = stored
      ? { key, value: stored.v, savedAt: new Date(stored.at) }
      : { key, value: initial, savedAt: null };
    setState(current);
  }

  const setValue = useCallback<SetDraft<T>>(
    (next) => {
      setState((prev) => {
        const value = typeof next === 'function' ? (next as (p: T) => T)(prev.value) : next;
        const at = Date.now();
        const saved = write(key, value, at);
        return { key, value, savedAt: saved ? new Date(at) : null };
      });
    },
    [key],
  );

  const clearDraft = useCallback(() => {
    remove(key);
    setState({ key, value: initialRef.current, savedAt: null });
  }, [key]);

  return [current.value, setValue, clearDraft, current.savedAt];
}

/** Failed to reach the server at all (no response), as opposed to an answer with an error. */
export function isNetworkError(err: unknown): boolean {
  if (isApiError(err)) return err.status === 0;
  return err instanceof TypeError; // fetch's "Failed to fetch"
}

export interface SubmitOptions {
  /** Called with true when the first try failed for want of a network, and false when it is over. */
  onPending?: (pending: boolean) => void;
  /** Stops retrying (the promise rejects with an AbortError). */
  signal?: AbortSignal;
  /** Also retries this often while waiting (the 'online' event does not fire when only the server was away). */
  retryEveryMs?: number;
}

/**
 * Runs `fn` now; when it fails with a network error, keeps the promise open and runs `fn` again each time
 * the browser comes back online (and every `retryEveryMs`, 30 s by default) until it gets an answer.
 * Resolves with fn's result; rejects with any error that is not a network error (e.g. 400 validation).
 * `fn` should do the whole submission (upload photos, then post), so that a retry repeats what failed.
 */
export function submitWhenOnline<T>(fn: () => Promise<T>, options: SubmitOptions = {}): Promise<T> {
  const { onPending, signal, retryEveryMs = 30_000 } = options;
  return new Promise<T>((resolve, reject) => {
    let pending = false;
    let running = false;
    let done = false;
    let timer: ReturnType<typeof setInterval> | undefined;

    const finish = () => {
      done = true;
      window.removeEventListener('online', attempt);
      signal?.removeEventListener('abort', abort);
      if (timer !== undefined) clearInterval(timer);
      if (pending) onPending?.(false);
    };
    const abort = () => {
      if (done) return;
      finish();
      reject(new DOMException('Aborted', 'AbortError'));
    };

    function attempt() {
      if (done || running) return;
      if (pending && typeof navigator !== 'undefined' && navigator.onLine === false) return;
      running = true;
      fn().then(
        (result) => {
          running = false;
          if (done) return;
          finish();
          resolve(result);
        },
        (err: unknown) => {
          running = false;
          if (done) return;
          if (!isNetworkError(err)) {
            finish();
            reject(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          if (!pending) {
            pending = true;
            onPending?.(true);
            window.addEventListener('online', attempt);
            timer = setInterval(attempt, retryEveryMs);
          }
        },
      );
    }

    if (signal?.aborted) {
      reject(new DOMException('Aborted', 'AbortError'));
      return;
    }
    signal?.addEventListener('abort', abort);
    attempt();
  });
}

/**
 * submitWhenOnline with the pending state for the page: `pending` is true while a submission waits for
 * the network. The retries go on after the page is left (the data reaches the server); `cancel` stops them.
 */
export function useSubmitWhenOnline() {
  const [pending, setPending] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const submit = useCallback(<T>(fn: () => Promise<T>): Promise<T> => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    return submitWhenOnline(fn, { signal: c.signal, onPending: setPending });
  }, []);

  const cancel = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setPending(false);
  }, []);

  return { submit, pending, cancel };
}

/** Whether the browser believes it is online, updated on 'online' / 'offline'. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/** "网络中断，草稿已保存，恢复后自动提交" in the page's language. */
export function offlinePendingText(lang: Lang): string {
  return lang === 'zh'
    ? '网络中断，草稿已保存，恢复后自动提交'
    : 'The network is down. The draft is saved and will be submitted when it is back.';
}

/** "草稿已保存 14:05" in the page's language ('' when nothing is saved). */
export function draftSavedText(lang: Lang, savedAt: Date | null): string {
  if (!savedAt) return '';
  const hm = `${String(savedAt.getHours()).padStart(2, '0')}:${String(savedAt.getMinutes()).padStart(2, '0')}`;
  return lang === 'zh' ? `草稿已保存 ${hm}` : `Draft saved ${hm}`;
}
