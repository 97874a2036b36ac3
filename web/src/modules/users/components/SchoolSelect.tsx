/** Pick schools by name or code (GET /api/units?kind=school&q=…), e.g. an inspector's schools. */
import { useEffect, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import type { Unit, UnitPage } from '@dudao/contracts';
import { api } from '../../../app/api.ts';

interface Props {
  value?: string[];
  onChange?: (value: string[]) => void;
  placeholder?: string;
  'data-testid'?: string;
}

export function SchoolSelect({ value = [], onChange, placeholder, 'data-testid': testId }: Props) {
  const [options, setOptions] = useState<Unit[]>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [loading, setLoading] = useState(false);
  const timer = useRef(0);
  const controller = useRef<AbortController | null>(null);

  const search = (q: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      controller.current?.abort();
      const c = new AbortController();
      controller.current = c;
      setLoading(true);
      api
        .get<UnitPage>('/api/units', { kind: 'school', q: q.trim(), pageSize: 30 }, c.signal)
        .then((page) => {
          setOptions(page.items);
          setNames((n) => ({ ...n, ...Object.fromEntries(page.items.map((u) => [u.id, u.name])) }));
        })
        .catch(() => undefined)
        .finally(() => {
          if (!c.signal.aborted) setLoading(false);
        });
    }, 300);
  };

  // Names of schools already chosen (editing a user), fetched once each.
  const missing = value.filter((id) => !(id in names));
  const missingKey = missing.join(',');
  useEffect(() => {
    if (!missingKey) return;
    const ids = missingKey.split(',');
    void Promise.all(
      ids.map((id) =>
        api.get<Unit>(`/api/units/${id}`).then(
          (u) => [id, u.name] as const,
          () => [id, id] as const,
        ),
      ),
    ).then((pairs) => setNames((n) => ({ ...n, ...Object.fromEntries(pairs) })));
  }, [missingKey]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const shown = new Map<string, string>();
  for (const id of value) shown.set(id, names[id] ?? id);
  for (const u of options) shown.set(u.id, `${u.name}（${u.code}）`);

  return (
    <Select
      mode="multiple"
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: search }}
      onFocus={() => {
        if (options.length === 0) search('');
      }}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      options={[...shown].map(([id, name]) => ({ value: id, label: name }))}
      placeholder={placeholder}
      maxTagCount="responsive"
      data-testid={testId}
    />
  );
}
