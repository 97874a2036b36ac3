/** 疑似辍学名单: open cases in scope (a class teacher: their classes), drill-down to the student. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Select, Space, Table, Tag } from 'antd';
import {
  DROPOUT_REASONS,
  dropoutReasonLabels,
  label,
  studentStageLabels,
  type DropoutCasePage,
  type DropoutReason,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { evidenceText } from './evidence.ts';
import { useDropoutI18n } from './messages.ts';
import './dropout.css';

export default function SuspectedPage() {
  const { d, lang } = useDropoutI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [under, setUnder] = useState<string | undefined>();
  const [reason, setReason] = useState<DropoutReason | undefined>();
  const [closed, setClosed] = useState(false);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<DropoutCasePage | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    api
      .get<DropoutCasePage>(
        '/api/dropout/cases',
        { under, reason, status: closed ? 'closed' : undefined, page, pageSize: 50 },
        ctrl.signal,
      )
      .then(setData)
      .catch((e: unknown) => feedback.error(e))
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [under, reason, closed, page, feedback]);

  return (
    <div>
      <PageHeader title={d('case.title')} crumbs={[{ title: d('do.module') }]} />
      <Card size="small">
        <Space wrap>
          <UnitTreeSelect
            value={under}
            onChange={(v) => {
              setUnder(v);
              setPage(1);
            }}
            knownNames={{ [me.unit.id]: me.unit.name }}
            placeholder={d('mis.area')}
            className="dropout-filter"
          />
          <Select
            allowClear
            placeholder={d('case.allReasons')}
            value={reason}
            onChange={(v) => {
              setReason(v);
              setPage(1);
            }}
            style={{ minWidth: 180 }}
            options={DROPOUT_REASONS.map((r) => ({ value: r, label: label(dropoutReasonLabels, r, lang) }))}
          />
          <Select
            value={closed ? 'closed' : 'open'}
            onChange={(v) => {
              setClosed(v === 'closed');
              setPage(1);
            }}
            options={[
              { value: 'open', label: d('case.open') },
              { value: 'closed', label: d('case.closedByReturn') },
            ]}
          />
        </Space>
      </Card>
      <Table
        size="small"
        rowKey="id"
        loading={loading}
        style={{ marginTop: 8 }}
        scroll={{ x: 760 }}
        dataSource={data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 50,
          total: data?.total ?? 0,
          onChange: setPage,
          hideOnSinglePage: true,
        }}
        columns={[
          {
            title: d('case.student'),
            dataIndex: 'studentName',
            fixed: 'left',
            render: (name: string, c) => (
              <Space size={4}>
                <Link to={`/dropout/cases/${c.id}`}>{name}</Link>
                {c.povertyHousehold ? <Tag color="red">{d('case.poverty')}</Tag> : null}
              </Space>
            ),
          },
          {
            title: d('case.reason'),
            dataIndex: 'reason',
            render: (r: DropoutReason) => <Tag color="volcano">{label(dropoutReasonLabels, r, lang)}</Tag>,
          },
          { title: d('case.evidence'), render: (_, c) => evidenceText(c, d) },
          { title: d('case.detectedOn'), dataIndex: 'detectedOn' },
          ...(closed ? [{ title: d('case.status'), dataIndex: 'closedOn' }] : []),
          { title: d('case.school'), dataIndex: 'schoolName' },
          {
            title: d('case.class'),
            render: (_, c) => `${label(studentStageLabels, c.stage, lang)} ${c.className ?? ''}`,
          },
        ]}
      />
    </div>
  );
}
