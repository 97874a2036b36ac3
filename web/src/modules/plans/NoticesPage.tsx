/** 督办单: the notices issued by or to the unit, with the answer of the responsible unit and the issuer's closing. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import {
  PLAN_NOTICE_STATUSES,
  label,
  planNoticeStatusLabels,
  type PlanNotice,
  type PlanNoticeStatus,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useResource } from './common.tsx';
import { usePlanI18n } from './messages.ts';
import './plans.css';

const COLORS: Record<PlanNoticeStatus, string> = { open: 'red', answered: 'gold', closed: 'green' };

export function NoticeCard({ notice: n, onChange }: { notice: PlanNotice; onChange: () => void }) {
  const { m, lang } = usePlanI18n();
  const { message } = App.useApp();
  const [answer, setAnswer] = useState('');
  const fail = (err: unknown) => void message.error(isApiError(err) ? err.message : String(err));
  return (
    <Card
      size="small"
      data-testid="notice-card"
      title={
        <span>
          {m('pl.notices')} {n.no}
        </span>
      }
      extra={<Tag color={COLORS[n.status]}>{label(planNoticeStatusLabels, n.status, lang)}</Tag>}
    >
      <div>
        <Link to={`/plans/assignments/${n.assignmentId}`}>
          {n.taskSeq}. {n.taskTitle}
        </Link>{' '}
        — {n.unit.name}
      </div>
      <div className="plan-reason">
        {m('pl.issuer')}：{n.issuerUnit.name}
        {'\u3000'}
        {m('pl.issued')}：{n.issuedOn}
        {'\u3000'}
        {m('pl.deadline')}：{n.deadline}
        {n.overdue ? <Tag color="red">{m('pl.overdue')}</Tag> : null}
        {n.escalated ? (
          <Tag color="volcano">
            {n.findingId ? (
              <Link to={`/findings/${n.findingId}`}>{m('pl.escalated')}</Link>
            ) : (
              m('pl.escalated')
            )}
          </Tag>
        ) : null}
      </div>
      <Typography.Paragraph style={{ margin: '6px 0' }}>{n.reason}</Typography.Paragraph>
      <Typography.Paragraph strong style={{ margin: '6px 0' }}>
        {n.requirement}
      </Typography.Paragraph>
      {n.answer ? (
        <Typography.Paragraph style={{ margin: '6px 0' }}>
          {m('pl.answer')}（{n.answeredOn} {n.answeredByName ?? ''}）：{n.answer}
        </Typography.Paragraph>
      ) : null}
      {n.canAnswer ? (
        <Space.Compact style={{ width: '100%' }}>
          <Input
            value={answer}
            onChange={(e) => setAnswer(e.target.value)}
            placeholder={m('pl.answer')}
            data-testid="notice-answer"
          />
          <Button
            type="primary"
            disabled={!answer.trim()}
            onClick={() => void api.post(`/api/plan-notices/${n.id}/answer`, { answer }).then(onChange, fail)}
          >
            {m('pl.answer')}
          </Button>
        </Space.Compact>
      ) : null}
      {n.canClose ? (
        <Button
          onClick={() => void api.post(`/api/plan-notices/${n.id}/close`).then(onChange, fail)}
          data-testid="notice-close"
        >
          {m('pl.close')}
        </Button>
      ) : null}
    </Card>
  );
}

export default function NoticesPage() {
  const { m, lang } = usePlanI18n();
  const linked = new URLSearchParams(window.location.search).get('id');
  // Opened from a link to one notice (the findings ledger links answered and closed ones too): every status.
  const [status, setStatus] = useState<PlanNoticeStatus | 'all'>(linked ? 'all' : 'open');
  const r = useResource<{ items: PlanNotice[] }>('/api/plan-notices', status === 'all' ? {} : { status });
  const [open, setOpen] = useState<string | null>(linked);
  const items = r.data?.items ?? [];
  const current = items.find((n) => n.id === open);
  return (
    <>
      <PageHeader title={m('pl.notices')} />
      <Card>
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as PlanNoticeStatus | 'all')}
          options={[
            ...PLAN_NOTICE_STATUSES.map((s) => ({ value: s, label: label(planNoticeStatusLabels, s, lang) })),
            { value: 'all', label: m('pl.allStatuses') },
          ]}
          style={{ marginBottom: 12 }}
        />
        <div className="plan-table-wrap">
          <Table<PlanNotice>
            rowKey="id"
            size="small"
            loading={r.loading}
            dataSource={items}
            onRow={(n) => ({ onClick: () => setOpen(n.id), style: { cursor: 'pointer' } })}
            columns={[
              { title: m('pl.no'), dataIndex: 'no', width: 160 },
              { title: m('pl.task'), render: (_, n) => `${n.taskSeq}. ${n.taskTitle}` },
              { title: m('pl.unit'), render: (_, n) => n.unit.name, responsive: ['md'] },
              { title: m('pl.deadline'), dataIndex: 'deadline', width: 110, responsive: ['md'] },
              {
                title: m('pl.status'),
                width: 150,
                render: (_, n) => (
                  <>
                    <Tag color={COLORS[n.status]}>{label(planNoticeStatusLabels, n.status, lang)}</Tag>
                    {n.overdue ? <Tag color="red">{m('pl.overdue')}</Tag> : null}
                  </>
                ),
              },
            ]}
          />
        </div>
      </Card>
      {current ? (
        <div style={{ marginTop: 12 }}>
          <NoticeCard notice={current} onChange={() => r.reload()} />
        </div>
      ) : null}
    </>
  );
}
