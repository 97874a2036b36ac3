/** 通报: generated per assessment period, printed on A4 (or saved as PDF), exported to xlsx, published to the assessed units. */
import { useState } from 'react';
import { App, Button, Card, List, Select, Space, Tag } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { gradeLabels, label, type AssessScheme, type Briefing, type BriefingDetail } from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useResource } from './common.tsx';
import { usePlanI18n } from './messages.ts';
import './plans.css';

function BriefingDoc({ b }: { b: BriefingDetail }) {
  const { m, lang } = usePlanI18n();
  const c = b.content;
  return (
    <article className="plan-doc" data-testid="briefing-doc">
      <h1>{b.title}</h1>
      <div className="plan-doc-no">
        {b.ownerUnit.name}
        {'\u3000'}
        {b.no}
      </div>
      <p>{c.intro}</p>
      <h3>{m('br.ranking')}</h3>
      <table>
        <thead>
          <tr>
            <th>{m('as.rank')}</th>
            <th>{m('pl.unit')}</th>
            <th>{m('as.score')}</th>
            <th>{m('as.grade')}</th>
          </tr>
        </thead>
        <tbody>
          {c.ranking.map((r) => (
            <tr key={r.unitName}>
              <td>{r.rank}</td>
              <td>{r.unitName}</td>
              <td>{r.score}</td>
              <td>
                {label(gradeLabels, r.grade, lang)}
                {r.vetoed ? `（${m('as.vetoed')}）` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{m('br.achievements')}</h3>
      {c.achievements.length ? c.achievements.map((a) => <p key={a}>{a}。</p>) : <p>{m('br.none')}</p>}
      <h3>{m('br.lagging')}</h3>
      {c.lagging.length ? (
        c.lagging.map((l) => (
          <p key={l.unitName}>
            {l.unitName}：{l.detail}。
          </p>
        ))
      ) : (
        <p>{m('br.none')}</p>
      )}
      <h3>{m('br.overdue')}</h3>
      {c.overdueNotices.length ? (
        c.overdueNotices.map((n) => (
          <p key={n.no}>
            {n.no}
            {'\u3000'}
            {n.unitName}：{n.taskTitle}（{m('pl.deadline')} {n.deadline}）
          </p>
        ))
      ) : (
        <p>{m('br.none')}</p>
      )}
      <p style={{ textAlign: 'right', marginTop: 32 }}>
        {b.ownerUnit.name}
        <br />
        {(b.publishedAt ?? b.createdAt).slice(0, 10)}
      </p>
    </article>
  );
}

export default function BriefingsPage() {
  const { m } = usePlanI18n();
  const me = useMe();
  const { message } = App.useApp();
  const list = useResource<{ items: Briefing[] }>('/api/briefings');
  const schemes = useResource<{ items: AssessScheme[] }>(
    me.access.managePlans ? '/api/assess/schemes' : null,
  );
  const [periodId, setPeriodId] = useState<string | undefined>();
  const [openId, setOpenId] = useState<string | null>(new URLSearchParams(window.location.search).get('id'));
  const detail = useResource<BriefingDetail>(openId ? `/api/briefings/${openId}` : null);
  const fail = (err: unknown) => void message.error(isApiError(err) ? err.message : String(err));
  const periods = (schemes.data?.items ?? [])
    .filter((s) => s.canManage || me.access.managePlans)
    .flatMap((s) => s.periods.map((p) => ({ value: p.id, label: `${s.name} · ${p.label}` })));
  const b = detail.data;
  return (
    <>
      <PageHeader title={m('br.title')} />
      {me.access.managePlans && periods.length ? (
        <Card size="small" className="no-print" style={{ marginBottom: 12 }}>
          <Space wrap>
            <Select
              style={{ minWidth: 300 }}
              placeholder={m('as.period')}
              value={periodId}
              onChange={setPeriodId}
              options={periods}
              data-testid="briefing-period"
            />
            <Button
              type="primary"
              disabled={!periodId}
              data-testid="briefing-generate"
              onClick={() =>
                void api
                  .post<BriefingDetail>('/api/briefings', { periodId })
                  .then((d) => (setOpenId(d.id), detail.setData(d), list.reload()), fail)
              }
            >
              {m('br.generate')}
            </Button>
          </Space>
        </Card>
      ) : null}
      <Card size="small" className="no-print" style={{ marginBottom: 12 }}>
        <List
          size="small"
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: m('pl.empty') }}
          renderItem={(x) => (
            <List.Item
              onClick={() => setOpenId(x.id)}
              style={{ cursor: 'pointer' }}
              data-testid="briefing-item"
            >
              <Space wrap>
                <span>{x.no}</span>
                <strong>{x.title}</strong>
                <Tag color={x.status === 'published' ? 'green' : 'default'}>
                  {x.status === 'published' ? m('br.published') : m('br.draft')}
                </Tag>
                {x.status === 'published' ? (
                  <span className="plan-reason">{m('br.read', { r: x.read, n: x.recipients })}</span>
                ) : null}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      {b ? (
        <>
          <Space wrap className="no-print" style={{ marginBottom: 12 }}>
            <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
              {m('pl.print')}
            </Button>
            <Button href={`/api/briefings/${b.id}/export`} data-testid="briefing-export">
              {m('br.export')}
            </Button>
            {b.canManage && b.status === 'draft' ? (
              <Button
                type="primary"
                data-testid="briefing-publish"
                onClick={() =>
                  void api
                    .post<BriefingDetail>(`/api/briefings/${b.id}/publish`)
                    .then((d) => (detail.setData(d), list.reload()), fail)
                }
              >
                {m('br.publish')}
              </Button>
            ) : null}
            <Tag color={b.status === 'published' ? 'green' : 'default'} data-testid="briefing-status">
              {b.status === 'published' ? m('br.published') : m('br.draft')}
            </Tag>
          </Space>
          <BriefingDoc b={b} />
        </>
      ) : null}
    </>
  );
}
