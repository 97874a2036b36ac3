/** Pieces shared by the plans pages: data loading, status tags. */
import { useCallback, useEffect, useState } from 'react';
import { Tag, Tooltip } from 'antd';
import { label, taskStatusLabels, type TaskStatus } from '@dudao/contracts';
import { api, isApiError, type Query } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';

export function useResource<T>(path: string | null, query?: Query) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query ?? {});
  useEffect(() => {
    if (!path) return;
    const c = new AbortController();
    setLoading(true);
    api
      .get<T>(path, JSON.parse(key) as Query, c.signal)
      .then(
        (d) => {
          setData(d);
          setError(null);
        },
        (err: unknown) => {
          if (!c.signal.aborted) setError(isApiError(err) ? err.message : String(err));
        },
      )
      .finally(() => {
        if (!c.signal.aborted) setLoading(false);
      });
    return () => c.abort();
  }, [path, key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

export const STATUS_COLORS: Record<TaskStatus, string> = {
  done: 'blue',
  on_track: 'green',
  at_risk: 'gold',
  behind: 'red',
  overdue: 'magenta',
};

export function StatusTag({ status, reason }: { status: TaskStatus; reason?: string }) {
  const { lang } = useI18n();
  const tag = (
    <Tag color={STATUS_COLORS[status]} data-testid={`status-${status}`}>
      {label(taskStatusLabels, status, lang)}
    </Tag>
  );
  return reason ? <Tooltip title={reason}>{tag}</Tooltip> : tag;
}

export const shortUnit = (name: string) =>
  name.replace(/(教育和体育局|教育体育局|教体局|教育局)$/, '') || name;
