/** /portal/lists: the published white and black lists, by county and category. */
import { useEffect, useState } from 'react';
import { Empty, Pagination, Segmented, Select, Space, Spin, Tabs } from 'antd';
import {
  label,
  trainingCategoryLabels,
  type PublicCounty,
  type PublicInstitutionPage,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { InstitutionCard } from './InstitutionCard.tsx';
import { usePortalTrainingI18n } from './messages.ts';
import './portal-training.css';

export default function ListsPage() {
  const { m, lang } = usePortalTrainingI18n();
  const [list, setList] = useState<'white' | 'black'>('white');
  const [county, setCounty] = useState<string>('');
  const [category, setCategory] = useState<string>('');
  const [page, setPage] = useState(1);
  const [counties, setCounties] = useState<PublicCounty[]>([]);
  const [data, setData] = useState<PublicInstitutionPage | null>(null);
  useEffect(() => {
    api
      .get<PublicCounty[]>('/api/public/training/counties')
      .then(setCounties)
      .catch(() => setCounties([]));
  }, []);
  useEffect(() => {
    setData(null);
    api
      .get<PublicInstitutionPage>('/api/public/institutions', { list, county, category, page, pageSize: 20 })
      .then(setData)
      .catch(() => setData({ items: [], total: 0, page: 1, pageSize: 20 }));
  }, [list, county, category, page]);
  const reset =
    <T,>(f: (v: T) => void) =>
    (v: T) => {
      f(v);
      setPage(1);
    };
  return (
    <div className="pt-page">
      <Tabs
        activeKey={list}
        onChange={(k) => reset(setList)(k as 'white' | 'black')}
        items={[
          {
            key: 'white',
            label: (
              <span data-testid="portal-tab-white">
                {label({ white: { zh: '白名单', en: 'White list' } }, 'white', lang)}
              </span>
            ),
          },
          {
            key: 'black',
            label: (
              <span data-testid="portal-tab-black">
                {label({ black: { zh: '黑名单', en: 'Black list' } }, 'black', lang)}
              </span>
            ),
          },
        ]}
      />
      <Space wrap className="pt-filters">
        <Select
          value={county}
          onChange={reset(setCounty)}
          className="pt-select"
          data-testid="portal-county"
          options={[
            { value: '', label: m('p.allCounties') },
            ...counties.map((c) => ({
              value: c.id,
              label: `${c.name.replace(/教育局$/, '')}（${list === 'white' ? c.white : c.black}）`,
            })),
          ]}
        />
        <Segmented
          value={category}
          onChange={(v) => reset(setCategory)(String(v))}
          options={[
            { value: '', label: m('p.allCategories') },
            { value: 'non_subject', label: label(trainingCategoryLabels, 'non_subject', lang) },
            { value: 'subject', label: label(trainingCategoryLabels, 'subject', lang) },
          ]}
        />
      </Space>
      {!data ? (
        <Spin className="pt-spin" />
      ) : data.items.length === 0 ? (
        <Empty />
      ) : (
        <>
          <div className="pt-count">{m('p.results', { n: data.total })}</div>
          {data.items.map((i) => (
            <InstitutionCard key={i.id} item={i} />
          ))}
          {data.total > data.pageSize ? (
            <Pagination
              simple
              current={page}
              pageSize={data.pageSize}
              total={data.total}
              onChange={setPage}
              className="pt-pager"
            />
          ) : null}
        </>
      )}
    </div>
  );
}
