/** Small pieces shared by the inspector pages: loading a resource, school options, tags. */
import { useCallback, useEffect, useState } from 'react';
import { Tag } from 'antd';
import {
  coverageStateLabels,
  label,
  opinionStateLabels,
  type CoverageState,
  type Lang,
  type OpinionState,
  type TermList,
  type UnitPage,
} from '@dudao/contracts';
import { api, isApiError, type Query } from '../../../app/api.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Loaded<T> {
  data: T | null;
  loading: boolean;
  error: { status: number; message: string } | null;
  reload: () => void;
  setData: (d: T) => void;
}

/** GET a path (null: nothing to load) and keep the answer; `reload` fetches again. */
export function useResource<T>(path: string | null, query?: Query): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query ?? {});
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api
      .get<T>(path, JSON.parse(key) as Query, controller.signal)
      .then(
        (d) => setData(d),
        (err: unknown) => {
          if (controller.signal.aborted) return;
          setError(
            isApiError(err)
              ? { status: err.status, message: err.message }
              : { status: 0, message: String(err) },
          );
        },
      )
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, loading, error, reload, setData };
}

/** The schools the user sees (an inspector: the assigned ones), for selects. */
export function useSchoolOptions(enabled = true) {
  const r = useResource<UnitPage>(enabled ? '/api/units' : null, {
    kind: 'school',
    status: 'active',
    pageSize: 500,
  });
  return (r.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }));
}

export function useTerms() {
  return useResource<TermList>('/api/inspectors/terms').data;
}

const OPINION_COLORS: Record<OpinionState, string> = {
  rectifying: 'orange',
  returned: 'red',
  submitted: 'blue',
  closing: 'gold',
  done: 'green',
};
export function OpinionStateTag({ state, lang }: { state: OpinionState; lang: Lang }) {
  return <Tag color={OPINION_COLORS[state]}>{label(opinionStateLabels, state, lang)}</Tag>;
}

const COVERAGE_COLORS: Record<CoverageState, string> = { complete: 'green', on_track: 'blue', behind: 'red' };
export function CoverageTag({ state, lang }: { state: CoverageState; lang: Lang }) {
  return <Tag color={COVERAGE_COLORS[state]}>{label(coverageStateLabels, state, lang)}</Tag>;
}

/** A v4 uuid for a new record made on this device (the server takes it as the record's id). */
export function newId(): string {
  // randomUUID exists only in secure contexts (https, localhost); a school intranet may serve plain http.
  const c: Partial<Crypto> & Pick<Crypto, 'getRandomValues'> = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
