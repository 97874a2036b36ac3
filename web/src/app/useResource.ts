/**
 * The one way a page loads something: GET a path (null: nothing to load yet) with a query, keep the answer,
 * drop answers that arrive after the path or query changed, and `reload` on demand. `error` is the message to
 * show, `status` the HTTP status that came with it (404 → the page shows "not found").
 */
import { useCallback, useEffect, useState } from 'react';
import { api, isApiError, type Query } from './api.ts';

export interface Resource<T> {
  data: T | null;
  loading: boolean;
  error: string | null;
  status: number | null;
  reload: () => void;
  setData: (d: T | null) => void;
}

export function useResource<T>(path: string | null, query?: Query): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<{ message: string; status: number } | null>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query ?? {});
  useEffect(() => {
    if (!path) {
      setData(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setFailure(null);
    api
      .get<T>(path, JSON.parse(key) as Query, controller.signal)
      .then(
        (d) => setData(d),
        (err: unknown) => {
          if (controller.signal.aborted) return;
          setFailure(
            isApiError(err)
              ? { message: err.message, status: err.status }
              : { message: String(err), status: 0 },
          );
        },
      )
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, loading, error: failure?.message ?? null, status: failure?.status ?? null, reload, setData };
}
