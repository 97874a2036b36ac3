/**
 * 辍学风险预警: the weighted early-warning list. A class teacher sees their class (the first of their
 * classes by default); schools and bureaus pick a class or an area.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Select, Space, Table, Tag, Typography } from 'antd';
import {
  label,
  riskFactorLabels,
  type AttendanceClass,
  type RiskFactor,
  type RiskItem,
  type RiskList,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useDropoutI18n } from './messages.ts';
import './dropout.css';

const LEVEL_COLORS = { high: 'red', medium: 'orange', low: 'default' } as const;

export default function RiskPage() {
  const { d, lang } = useDropoutI18n();
  const feedback = useFeedback();
  const [classes, setClasses] = useState<AttendanceClass[]>([]);
  const [classId, setClassId] = useState<string | undefined>();
  const [data, setData] = useState<RiskList | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    api
      .get<AttendanceClass[]>('/api/attendance/classes')
      .then((list) => {
        setClasses(list);
        const own = list.find((c) => c.own);
        if (own) setClassId(own.id);
      })
      .catch((e: unknown) => feedback.error(e));
  }, [feedback]);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    api
      .get<RiskList>('/api/dropout/risk', { classId, limit: 200 }, ctrl.signal)
      .then(setData)
      .catch((e: unknown) => feedback.error(e))
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [classId, feedback]);

  return (
    <div>
      <PageHeader title={d('risk.title')} crumbs={[{ title: d('do.module') }]} />
      <Card size="small">
        <Space wrap>
          <Select
            allowClear
            placeholder={d('risk.allClasses')}
            value={classId}
            onChange={setClassId}
            style={{ minWidth: 220 }}
            options={classes.map((c) => ({
              value: c.id,
              label: `${c.own ? '★ ' : ''}${c.schoolName} ${c.name}`,
            }))}
          />
        </Space>
        {data ? (
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
            {d('risk.hint', { w: data.windowDays })}
          </Typography.Paragraph>
        ) : null}
      </Card>
      <Table<RiskItem>
        size="small"
        rowKey="studentId"
        loading={loading}
        style={{ marginTop: 8 }}
        scroll={{ x: 700 }}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: d('case.student'),
            dataIndex: 'name',
            fixed: 'left',
            render: (name: string, r) => (
              <Space size={4}>
                <Link to={`/students/${r.studentId}`}>{name}</Link>
                {r.openCase ? <Tag color="volcano">{d('risk.openCase')}</Tag> : null}
              </Space>
            ),
          },
          {
            title: d('risk.score'),
            dataIndex: 'score',
            render: (n: number, r) => (
              <Tag color={LEVEL_COLORS[r.level]}>
                {n.toFixed(0)} {d(`risk.${r.level}`)}
              </Tag>
            ),
          },
          {
            title: d('risk.factors'),
            render: (_, r) => (
              <Space wrap size={2}>
                {Object.entries(r.factors)
                  .filter(([, v]) => v > 0)
                  .map(([k, v]) => (
                    <Tag key={k}>
                      {label(riskFactorLabels, k as RiskFactor, lang).replace(/（.*）|\(.*\)/, '')}
                      {['unexcused', 'excused', 'late'].includes(k) ? ` ${v}` : ''}
                    </Tag>
                  ))}
              </Space>
            ),
          },
          { title: d('case.class'), render: (_, r) => `${r.schoolName} ${r.className ?? ''}` },
        ]}
      />
    </div>
  );
}
