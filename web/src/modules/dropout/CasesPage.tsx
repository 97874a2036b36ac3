/** 劝返台账: every case in scope, filtered by status or by the dashboard figure it was opened from. */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Select, Space, Table, Tag } from 'antd';
import {
  caseStepLabels,
  DROPOUT_CASE_STATUSES,
  dropoutCaseStatusLabels,
  dropoutReasonLabels,
  label,
  LEDGER_KINDS,
  ledgerKindLabels,
  type CaseBoardPage,
  type DropoutCaseStatus,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { useDropoutI18n, type DropoutMessageKey } from './messages.ts';
import './dropout.css';

const METRICS = [
  'open',
  'newThisWeek',
  'returnedThisTerm',
  'openOver30',
  'overdueSteps',
  'povertyDropouts',
] as const;
const metricKey: Record<(typeof METRICS)[number], DropoutMessageKey> = {
  open: 'db.openCases',
  newThisWeek: 'db.newThisWeek',
  returnedThisTerm: 'db.returnedThisTerm',
  openOver30: 'db.openOver30',
  overdueSteps: 'db.overdueSteps',
  povertyDropouts: 'db.povertyDropouts',
};
const statusColor: Record<DropoutCaseStatus, string> = {
  suspected: 'orange',
  dropout: 'red',
  verifying: 'blue',
  closed: 'green',
};

export default function CasesPage() {
  const { d, lang } = useDropoutI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [params, setParams] = useSearchParams();
  const under = params.get('under') ?? undefined;
  const metric = (params.get('metric') ?? undefined) as (typeof METRICS)[number] | undefined;
  const status = (params.get('status') ?? undefined) as DropoutCaseStatus | undefined;
  const date = params.get('date') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const [data, setData] = useState<CaseBoardPage | null>(null);
  const [loading, setLoading] = useState(false);
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries({ page: undefined, ...patch }))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    api
      .get<CaseBoardPage>(
        '/api/dropout/board',
        { under, metric, status, date, page, pageSize: 50 },
        ctrl.signal,
      )
      .then(setData)
      .catch((e: unknown) => feedback.error(e))
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [under, metric, status, date, page, feedback]);

  return (
    <div>
      <PageHeader
        title={d('cs.title')}
        crumbs={[{ title: d('do.module') }]}
        extra={
          <Space wrap size={4}>
            {LEDGER_KINDS.map((k) => (
              <Button
                key={k}
                size="small"
                href={`/api/dropout/ledgers/${k}${under ? `?under=${under}` : ''}`}
                download
              >
                {label(ledgerKindLabels, k, lang)}
              </Button>
            ))}
          </Space>
        }
      />
      <Card size="small">
        <Space wrap>
          <UnitTreeSelect
            value={under}
            onChange={(v) => set({ under: v ?? undefined })}
            knownNames={{ [me.unit.id]: me.unit.name }}
            placeholder={d('mis.area')}
            className="dropout-filter"
          />
          <Select
            allowClear
            placeholder={d('cs.metric')}
            value={metric}
            onChange={(v) => set({ metric: v })}
            style={{ minWidth: 160 }}
            options={METRICS.map((m) => ({ value: m, label: d(metricKey[m]) }))}
          />
          <Select
            allowClear
            placeholder={d('cs.allStatuses')}
            value={status}
            onChange={(v) => set({ status: v })}
            style={{ minWidth: 140 }}
            options={DROPOUT_CASE_STATUSES.map((s) => ({
              value: s,
              label: label(dropoutCaseStatusLabels, s, lang),
            }))}
          />
        </Space>
      </Card>
      <Table
        size="small"
        rowKey="id"
        loading={loading}
        style={{ marginTop: 8 }}
        scroll={{ x: 820 }}
        dataSource={data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 50,
          total: data?.total ?? 0,
          onChange: (p) => set({ page: String(p) }),
          hideOnSinglePage: true,
        }}
        columns={[
          {
            title: d('cs.student'),
            dataIndex: 'studentName',
            fixed: 'left',
            render: (name: string, c) => (
              <Space size={4}>
                <Link to={`/dropout/cases/${c.id}`} data-testid="case-link">
                  {name}
                </Link>
                {c.povertyHousehold ? <Tag color="red">{d('case.poverty')}</Tag> : null}
              </Space>
            ),
          },
          {
            title: d('cs.status'),
            dataIndex: 'status',
            render: (s: DropoutCaseStatus) => (
              <Tag color={statusColor[s]}>{label(dropoutCaseStatusLabels, s, lang)}</Tag>
            ),
          },
          {
            title: d('cs.step'),
            render: (_, c) =>
              c.step ? (
                <Space size={4} wrap>
                  {`${c.step}. ${lang === 'en' ? caseStepLabels[c.step]!.en : caseStepLabels[c.step]!.zh}`}
                  {c.overdue ? <Tag color="red">{d('cs.overdue')}</Tag> : null}
                  {c.escalationLevel ? <Tag color="purple">{d('cs.escalated')}</Tag> : null}
                </Space>
              ) : (
                '—'
              ),
          },
          { title: d('cs.due'), dataIndex: 'stepDueOn', render: (v: string | null) => v ?? '—' },
          {
            title: d('case.reason'),
            dataIndex: 'reason',
            render: (r: keyof typeof dropoutReasonLabels) => label(dropoutReasonLabels, r, lang),
          },
          { title: d('cs.detected'), dataIndex: 'detectedOn' },
          { title: d('case.school'), dataIndex: 'schoolName' },
          { title: d('case.class'), dataIndex: 'className' },
        ]}
      />
    </div>
  );
}
