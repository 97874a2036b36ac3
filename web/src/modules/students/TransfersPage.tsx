/**
 * 转学管理: transfers from and to the schools in one's area. 待办理 lists the open requests (the receiving
 * school confirms or rejects, the leaving school may cancel — as each row's `actions` say); 已办结 lists
 * the settled ones by outcome. Tab and filters live in the address.
 */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Badge, Button, Card, Segmented, Select, Tabs } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import {
  label,
  transferStatusLabels,
  type TransferListQuery,
  type TransferPage,
  type TransferStatus,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { TransferTable } from './components/TransferTable.tsx';
import { useStudentI18n } from './messages.ts';
import './students.css';

type Tab = 'pending' | 'decided' | 'all';
const DECIDED: TransferStatus[] = ['confirmed', 'rejected', 'cancelled'];

export default function TransfersPage() {
  const { t, s, lang } = useStudentI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: Tab = tabParam === 'decided' || tabParam === 'all' ? tabParam : 'pending';
  const outcomeParam = params.get('status') as TransferStatus | null;
  const outcome: TransferStatus = outcomeParam && DECIDED.includes(outcomeParam) ? outcomeParam : 'confirmed';
  const directionParam = params.get('direction');
  const direction = directionParam === 'in' || directionParam === 'out' ? directionParam : undefined;
  const schoolId = params.get('school') || undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<TransferPage | null>(null);
  const [pendingTotal, setPendingTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const atSchool = me.unit.kind === 'school';

  const status = tab === 'pending' ? 'pending' : tab === 'decided' ? outcome : undefined;

  useEffect(() => {
    const controller = new AbortController();
    const query: Partial<TransferListQuery> = { direction, schoolId, status, page, pageSize };
    setLoading(true);
    api
      .get<TransferPage>('/api/transfers', query, controller.signal)
      .then(setData, (err: unknown) => feedback.error(err))
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [direction, schoolId, status, page, pageSize, tick, feedback]);

  // The number of open requests, for the tab's badge.
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<TransferPage>(
        '/api/transfers',
        { direction, schoolId, status: 'pending', pageSize: 1 },
        controller.signal,
      )
      .then(
        (p) => setPendingTotal(p.total),
        () => setPendingTotal(null),
      );
    return () => controller.abort();
  }, [direction, schoolId, tick]);

  const setQuery = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };

  const filters = (
    <div className="filter-bar">
      <Select
        allowClear
        placeholder={s('tr.direction')}
        value={direction}
        onChange={(v?: string) => setQuery({ direction: v })}
        options={[
          { value: 'in', label: s('tr.in') },
          { value: 'out', label: s('tr.out') },
        ]}
        className="filter-select-wide"
        data-testid="transfer-filter-direction"
      />
      {atSchool ? null : (
        <UnitTreeSelect
          value={schoolId}
          onChange={(v) => setQuery({ school: v })}
          selectable={['school']}
          placeholder={s('cls.pickSchool')}
          className="filter-unit"
          data-testid="transfer-filter-school"
        />
      )}
      {tab === 'decided' ? (
        <Segmented<TransferStatus>
          value={outcome}
          onChange={(v) => setQuery({ status: v })}
          options={DECIDED.map((st) => ({ value: st, label: label(transferStatusLabels, st, lang) }))}
          data-testid="transfer-filter-outcome"
        />
      ) : null}
      <Button
        icon={<ReloadOutlined />}
        onClick={() => setTick((n) => n + 1)}
        aria-label={t('common.refresh')}
      />
    </div>
  );

  return (
    <>
      <PageHeader title={s('tr.title')} crumbs={[{ title: s('stu.registry') }]} />
      <Card size="small" className="transfer-card">
        <Tabs
          activeKey={tab}
          onChange={(k) => setQuery({ tab: k === 'pending' ? undefined : k, status: undefined })}
          items={[
            {
              key: 'pending',
              label: (
                <span data-testid="transfer-tab-pending">
                  {s('tr.pending')}{' '}
                  {pendingTotal ? <Badge count={pendingTotal} size="small" overflowCount={999} /> : null}
                </span>
              ),
            },
            { key: 'decided', label: <span data-testid="transfer-tab-decided">{s('tr.decided')}</span> },
            { key: 'all', label: <span data-testid="transfer-tab-all">{t('common.all')}</span> },
          ]}
        />
        {filters}
        <TransferTable
          items={data?.items ?? []}
          loading={loading}
          onChanged={() => setTick((n) => n + 1)}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => t('common.total', { n: total }),
            onChange: (p, ps) => {
              setPageSize(ps);
              setQuery({ page: String(ps !== pageSize ? 1 : p) });
            },
          }}
        />
      </Card>
    </>
  );
}
