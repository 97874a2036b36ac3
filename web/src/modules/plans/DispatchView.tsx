/** 调度会: every task's status, latest report and open notices on one printable page, with the changes since the last meeting. */
import { useState } from 'react';
import { App, Button, Checkbox, DatePicker, Input, Space, Tag } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { label, taskStatusLabels, type PlanDispatch } from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { StatusTag, useResource } from './common.tsx';
import { usePlanI18n } from './messages.ts';

export function DispatchView({ planId, canManage }: { planId: string; canManage: boolean }) {
  const { m, lang } = usePlanI18n();
  const { message } = App.useApp();
  const r = useResource<PlanDispatch>(`/api/plans/${planId}/dispatch`);
  const [changedOnly, setChangedOnly] = useState(false);
  const [heldOn, setHeldOn] = useState(dayjs());
  const [title, setTitle] = useState('');
  const d = r.data;
  if (!d) return null;
  const rows = d.rows.filter(
    (x) => !changedOnly || x.changed || x.previousStatus === null || x.reportsSince > 0,
  );
  const record = async () => {
    try {
      r.setData(
        await api.post<PlanDispatch>(`/api/plans/${planId}/meetings`, {
          heldOn: heldOn.format('YYYY-MM-DD'),
          title: title || `${heldOn.month() + 1}月份调度会`,
        }),
      );
      void message.success(m('pl.saved'));
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    }
  };
  return (
    <>
      <Space wrap className="no-print" style={{ marginBottom: 12 }}>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="dispatch-print">
          {m('pl.print')}
        </Button>
        <Checkbox
          checked={changedOnly}
          onChange={(e) => setChangedOnly(e.target.checked)}
          disabled={!d.lastMeeting}
        >
          {m('pl.changedOnly')}
        </Checkbox>
        {canManage ? (
          <>
            <DatePicker
              value={heldOn}
              onChange={(v) => v && setHeldOn(v)}
              disabledDate={(x) => x.isAfter(dayjs())}
            />
            <Input
              placeholder={m('pl.meetingTitle')}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              style={{ width: 180 }}
            />
            <Button onClick={() => void record()} data-testid="record-meeting">
              {m('pl.recordMeeting')}
            </Button>
          </>
        ) : null}
      </Space>
      <article className="plan-doc plan-doc-wide" data-testid="dispatch-doc">
        <h1>{d.plan.title}</h1>
        <div className="plan-doc-no">
          {m('pl.dispatch')} · {d.today} ·{' '}
          {d.lastMeeting ? m('pl.since', { d: d.lastMeeting.heldOn }) : m('pl.noMeeting')}
        </div>
        <div className="plan-table-wrap">
          <table>
            <thead>
              <tr>
                <th>{m('pl.seq')}</th>
                <th>{m('pl.task')}</th>
                <th>{m('pl.lead')}</th>
                <th>{m('pl.due')}</th>
                <th>{m('pl.status')}</th>
                <th>{m('pl.latest')}</th>
                <th>{m('pl.notices')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr key={x.taskId} data-testid="dispatch-row">
                  <td>{x.seq}</td>
                  <td>
                    {x.title}
                    {x.target ? <div className="plan-reason">{x.target}</div> : null}
                  </td>
                  <td>{x.leadOffice}</td>
                  <td>{x.dueOn}</td>
                  <td>
                    <StatusTag status={x.status} />
                    {d.lastMeeting && x.changed ? (
                      <Tag>
                        {x.previousStatus
                          ? m('pl.was', { s: label(taskStatusLabels, x.previousStatus, lang) })
                          : m('pl.new.task')}
                      </Tag>
                    ) : null}
                    <div className="plan-reason">{x.reason}</div>
                  </td>
                  <td>
                    {x.latestReport ? (
                      <>
                        {x.latestReport.unitName} {x.latestReport.reportedOn}：{x.latestReport.text}
                        {x.latestReport.value !== null ? `（${x.latestReport.value}）` : ''}
                      </>
                    ) : (
                      '—'
                    )}
                    {d.lastMeeting && x.reportsSince > 0 ? (
                      <div className="plan-reason">{m('pl.newReports', { n: x.reportsSince })}</div>
                    ) : null}
                  </td>
                  <td>
                    {x.openNotices.map((n) => (
                      <div key={n.no} className={n.overdue ? 'plan-overdue' : undefined}>
                        {n.no} {n.unitName}（{n.deadline}）
                        {n.overdue ? <Tag color="red">{m('pl.overdue')}</Tag> : null}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </article>
    </>
  );
}
