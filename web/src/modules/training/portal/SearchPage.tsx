/** /portal: a parent looks an institution up by name or credit code (no login). */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Empty, Input, Pagination, Spin, Typography } from 'antd';
import type { PublicInstitutionPage } from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { InstitutionCard } from './InstitutionCard.tsx';
import { usePortalTrainingI18n } from './messages.ts';
import './portal-training.css';

export default function SearchPage() {
  const { m } = usePortalTrainingI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1');
  const [data, setData] = useState<PublicInstitutionPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!q) {
      setData(null);
      return;
    }
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    api
      .get<PublicInstitutionPage>('/api/public/institutions', { q, page, pageSize: 10 }, ctrl.signal)
      .then(setData)
      .catch((e: unknown) => {
        if (!(e instanceof DOMException)) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [q, page]);
  return (
    <div className="pt-page">
      <Typography.Title level={4}>{m('p.searchTitle')}</Typography.Title>
      <Input.Search
        size="large"
        enterButton={m('p.search')}
        defaultValue={q}
        placeholder={m('p.searchHint')}
        allowClear
        maxLength={60}
        onSearch={(v) => setParams(v.trim() ? { q: v.trim() } : {})}
        data-testid="portal-search"
      />
      <Alert type="info" showIcon message={m('p.tip')} className="pt-tip" />
      {error ? <Alert type="error" message={error} className="pt-tip" /> : null}
      {loading ? <Spin className="pt-spin" /> : null}
      {data ? (
        <>
          <div className="pt-count">{m('p.results', { n: data.total })}</div>
          {data.items.length === 0 ? (
            <Empty description={m('p.none')} />
          ) : (
            data.items.map((i) => <InstitutionCard key={i.id} item={i} />)
          )}
          {data.total > data.pageSize ? (
            <Pagination
              simple
              current={page}
              pageSize={data.pageSize}
              total={data.total}
              onChange={(p) => setParams({ q, page: String(p) })}
              className="pt-pager"
            />
          ) : null}
        </>
      ) : (
        <div className="pt-count">
          <Link to="/portal/lists">{m('p.lists')} →</Link>
        </div>
      )}
    </div>
  );
}
