/**
 * 督导记录 and 督导意见书 in the user's area: a term filter, visits (with their problems and the ledger's
 * counts) and opinions (with their state, overdue ones red); a table on desktop, cards on a phone.
 * 登记督导 for those who visit schools.
 */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Empty, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  label,
  OPINION_STATES,
  opinionStateLabels,
  type Opinion,
  type OpinionPage,
  type OpinionState,
  type Visit,
  type VisitPage,
} from '@dudao/contracts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { OpinionStateTag, UUID, useResource, useSchoolOptions, useTerms } from './components/common.tsx';
import { useInspectorI18n } from './messages.ts';
import './inspectors.css';

export default function VisitsPage() {
  const { t, m, lang } = useInspectorI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'opinions' ? 'opinions' : 'visits';
  const terms = useTerms();
  const schools = useSchoolOptions();
  const [termId, setTermId] = useState<string | undefined>(undefined);
  const [schoolId, setSchoolId] = useState<string | undefined>(() => {
    const v = params.get('school');
    return v && UUID.test(v) ? v : undefined;
  });
  const [state, setState] = useState<OpinionState | undefined>(undefined);
  const [page, setPage] = useState(1);
  const effectiveTerm = termId ?? terms?.current.id;

  const visits = useResource<VisitPage>(tab === 'visits' && effectiveTerm ? '/api/inspectors/visits' : null, {
    termId: effectiveTerm,
    schoolId,
    page,
    pageSize: 20,
  });
  const opinions = useResource<OpinionPage>(tab === 'opinions' ? '/api/inspectors/opinions' : null, {
    schoolId,
    state,
    page,
    pageSize: 20,
  });

  const visitColumns = [
    {
      title: m('in.visitDate'),
      dataIndex: 'visitDate',
      width: 110,
      render: (d: string, v: Visit) => <Link to={`/inspectors/visits/${v.id}`}>{d}</Link>,
    },
    { title: m('in.school'), dataIndex: 'schoolName' },
    { title: m('in.inspector'), dataIndex: 'inspectorName', width: 120 },
    { title: m('in.items'), dataIndex: 'itemCount', width: 80 },
    {
      title: m('in.problems'),
      width: 140,
      render: (_: unknown, v: Visit) =>
        v.problemCount ? (
          <Space size={4}>
            <Tag color="red">{v.problemCount}</Tag>
            {v.findings.open ? (
              <Typography.Text type="secondary">{`${m('in.openFindings')} ${v.findings.open}`}</Typography.Text>
            ) : null}
          </Space>
        ) : (
          <Typography.Text type="secondary">{m('in.noProblems')}</Typography.Text>
        ),
    },
    {
      title: m('in.opinion'),
      width: 200,
      render: (_: unknown, v: Visit) =>
        v.opinionId ? <Link to={`/inspectors/opinions/${v.opinionId}`}>{v.opinionNo}</Link> : '—',
    },
  ];
  const opinionColumns = [
    {
      title: m('in.opinion'),
      dataIndex: 'no',
      render: (no: string, o: Opinion) => <Link to={`/inspectors/opinions/${o.id}`}>{no}</Link>,
    },
    { title: m('in.school'), dataIndex: 'schoolName' },
    { title: m('in.inspector'), dataIndex: 'inspectorName', width: 110 },
    { title: m('in.deadline'), dataIndex: 'deadline', width: 110 },
    {
      title: m('in.status'),
      width: 160,
      render: (_: unknown, o: Opinion) => (
        <Space size={4}>
          <OpinionStateTag state={o.state} lang={lang} />
          {o.overdue ? <Tag color="red">{m('in.overdue')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: m('in.findings'),
      width: 100,
      render: (_: unknown, o: Opinion) => `${o.findingCount - o.openFindings}/${o.findingCount}`,
    },
  ];

  const loaded = tab === 'visits' ? visits : opinions;
  const total = tab === 'visits' ? (visits.data?.total ?? 0) : (opinions.data?.total ?? 0);
  const pagination = { current: page, pageSize: 20, total, onChange: setPage, showSizeChanger: false };

  return (
    <div>
      <PageHeader
        title={m('in.visits')}
        crumbs={[{ title: m('in.group') }]}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={loaded.reload}>
              {t('common.refresh')}
            </Button>
            {me.access.visitSchools ? (
              <Link to="/inspectors/visits/new">
                <Button type="primary" icon={<PlusOutlined />} data-testid="new-visit">
                  {m('in.newVisit')}
                </Button>
              </Link>
            ) : null}
          </>
        }
      />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            setPage(1);
            setParams(k === 'opinions' ? { tab: 'opinions' } : {});
          }}
          items={[
            { key: 'visits', label: m('in.visits') },
            { key: 'opinions', label: m('in.opinions') },
          ]}
        />
        <Space wrap className="insp-gap">
          {tab === 'visits' ? (
            <Select
              value={effectiveTerm}
              onChange={(v: string) => {
                setTermId(v);
                setPage(1);
              }}
              options={(terms?.terms ?? []).map((x) => ({ value: x.id, label: x.label[lang] }))}
              style={{ minWidth: 240 }}
            />
          ) : (
            <Select
              allowClear
              placeholder={m('in.status')}
              value={state}
              onChange={(v: OpinionState | undefined) => {
                setState(v);
                setPage(1);
              }}
              options={OPINION_STATES.map((s) => ({ value: s, label: label(opinionStateLabels, s, lang) }))}
              style={{ minWidth: 140 }}
            />
          )}
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={m('in.school')}
            value={schoolId}
            onChange={(v: string | undefined) => {
              setSchoolId(v);
              setPage(1);
            }}
            options={schools}
            style={{ minWidth: 240 }}
          />
        </Space>
        {isMobile ? (
          <MobileCards tab={tab} visits={visits.data?.items ?? []} opinions={opinions.data?.items ?? []} />
        ) : tab === 'visits' ? (
          <Table<Visit>
            rowKey="id"
            size="middle"
            loading={visits.loading}
            dataSource={visits.data?.items ?? []}
            columns={visitColumns}
            pagination={pagination}
            locale={{ emptyText: <Empty description={m('in.empty')} /> }}
          />
        ) : (
          <Table<Opinion>
            rowKey="id"
            size="middle"
            loading={opinions.loading}
            dataSource={opinions.data?.items ?? []}
            columns={opinionColumns}
            pagination={pagination}
            rowClassName={(o) => (o.overdue ? 'insp-row-red' : '')}
            locale={{ emptyText: <Empty description={m('in.empty')} /> }}
          />
        )}
      </Card>
    </div>
  );
}

function MobileCards({ tab, visits, opinions }: { tab: string; visits: Visit[]; opinions: Opinion[] }) {
  const { m, lang } = useInspectorI18n();
  if ((tab === 'visits' ? visits.length : opinions.length) === 0)
    return <Empty description={m('in.empty')} />;
  return (
    <div className="insp-cards">
      {tab === 'visits'
        ? visits.map((v) => (
            <Link key={v.id} to={`/inspectors/visits/${v.id}`} className="insp-card-link">
              <Card size="small">
                <div className="insp-card-head">
                  <strong>{v.schoolName}</strong>
                  <span>{v.visitDate}</span>
                </div>
                <Typography.Text type="secondary">{v.inspectorName}</Typography.Text>
                <div>
                  {v.problemCount ? (
                    <Tag color="red">{`${m('in.problems')} ${v.problemCount}`}</Tag>
                  ) : (
                    <Tag>{m('in.noProblems')}</Tag>
                  )}
                  {v.opinionNo ? <Tag color="blue">{v.opinionNo}</Tag> : null}
                </div>
              </Card>
            </Link>
          ))
        : opinions.map((o) => (
            <Link key={o.id} to={`/inspectors/opinions/${o.id}`} className="insp-card-link">
              <Card size="small" className={o.overdue ? 'insp-card-red' : ''}>
                <div className="insp-card-head">
                  <strong>{o.no}</strong>
                  <OpinionStateTag state={o.state} lang={lang} />
                </div>
                <div>{o.schoolName}</div>
                <Typography.Text type={o.overdue ? 'danger' : 'secondary'}>
                  {`${m('in.deadline')} ${o.deadline}`}
                </Typography.Text>
              </Card>
            </Link>
          ))}
    </div>
  );
}
