/**
 * 学校一月一报告、县区一季度一复核: the units that owe a period, who has filed and who is late, the figures
 * they filed beside what their own rows add up to, and filing the own unit's report.
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Input, InputNumber, Space, Table, Tag } from 'antd';
import type { ReportStatus } from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { chinaToday } from '../../app/dates.ts';
import { useFeedback } from '../../app/feedback.ts';
import { useDropoutI18n } from './messages.ts';

/** The last complete period: last month for schools, last quarter for a county. */
function lastPeriod(quarterly: boolean): string {
  const t = chinaToday();
  const y = Number(t.slice(0, 4));
  const m = Number(t.slice(5, 7));
  if (quarterly) {
    const q = Math.floor((m - 1) / 3);
    return q === 0 ? `${y - 1}-Q4` : `${y}-Q${q}`;
  }
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function ReportsCard({ under }: { under?: string | undefined }) {
  const { d } = useDropoutI18n();
  const me = useMe();
  const feedback = useFeedback();
  const quarterly = me.unit.kind !== 'school' && !under;
  const [period, setPeriod] = useState(lastPeriod(quarterly));
  const [data, setData] = useState<ReportStatus | null>(null);
  const [fig, setFig] = useState({ sheets: 0, unexcused: 0, dropouts: 0 });

  const load = useCallback(() => {
    if (!/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/.test(period)) return;
    api
      .get<ReportStatus>('/api/dropout/reports', { under, period })
      .then((r) => {
        setData(r);
        const own = r.units.find((u) => u.unitId === me.unit.id);
        if (own) setFig(own.computed);
      })
      .catch((e: unknown) => feedback.error(e));
  }, [under, period, me.unit.id, feedback]);
  useEffect(load, [load]);

  const own = data?.units.find((u) => u.unitId === me.unit.id);
  return (
    <Card
      size="small"
      title={d('rp.title')}
      style={{ marginTop: 12 }}
      extra={
        <Input
          aria-label={d('rp.period')}
          value={period}
          onChange={(e) => setPeriod(e.target.value.trim())}
          style={{ width: 110 }}
        />
      }
    >
      {data ? <Tag>{d('rp.due', { date: data.dueOn })}</Tag> : null}
      {own && me.access.manageDropout ? (
        <Space wrap style={{ margin: '8px 0' }}>
          {(['sheets', 'unexcused', 'dropouts'] as const).map((k) => (
            <Space key={k} size={4}>
              {d(`rp.${k}`)}
              <InputNumber min={0} value={fig[k]} onChange={(v) => setFig({ ...fig, [k]: v ?? 0 })} />
            </Space>
          ))}
          <Button
            type="primary"
            onClick={() =>
              void api
                .post<ReportStatus>('/api/dropout/reports', { unitId: me.unit.id, period, figures: fig })
                .then((r) => {
                  setData(r);
                  feedback.success(d('common.saved'));
                })
                .catch((e: unknown) => feedback.error(e))
            }
          >
            {d('rp.file')}
          </Button>
        </Space>
      ) : null}
      <Table
        size="small"
        rowKey="unitId"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 640 }}
        dataSource={data?.units ?? []}
        columns={[
          { title: d('db.area'), dataIndex: 'name' },
          {
            title: d('rp.state'),
            render: (_, u) =>
              u.reported ? (
                <Tag color="green">{d('rp.reported')}</Tag>
              ) : (
                <Tag color={u.overdue ? 'red' : 'default'}>{d(u.overdue ? 'rp.late' : 'rp.pending')}</Tag>
              ),
          },
          {
            title: d('rp.filed'),
            render: (_, u) =>
              u.figures
                ? `${String(u.figures.sheets)} / ${String(u.figures.unexcused)} / ${String(u.figures.dropouts)}`
                : '—',
          },
          {
            title: d('rp.rows'),
            render: (_, u) => `${u.computed.sheets} / ${u.computed.unexcused} / ${u.computed.dropouts}`,
          },
        ]}
      />
    </Card>
  );
}
