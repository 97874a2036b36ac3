/** 黑白名单: the white list (compliant, approved or operating) and the black list with reasons and dates. */
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Select, Table, Tabs } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  label,
  trainingCategoryLabels,
  type InstitutionPage,
  type InstitutionSummary,
} from '@dudao/contracts';
import { api, toQuery } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useTrainingI18n } from './messages.ts';
import { StatusTag, useCounties } from './shared.tsx';
import './training.css';

export default function ListsPage() {
  const { m, lang } = useTrainingI18n();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const counties = useCounties();
  const [list, setList] = useState<'white' | 'black'>('white');
  const [unitId, setUnitId] = useState<string | undefined>();
  const [data, setData] = useState<InstitutionPage | null>(null);
  const [page, setPage] = useState(1);
  useEffect(() => {
    api
      .get<InstitutionPage>('/api/training/institutions', {
        list,
        published: 'yes',
        unitId,
        page,
        pageSize: 50,
      })
      .then(setData)
      .catch((e: unknown) => feedback.error(e));
  }, [list, unitId, page, feedback]);
  return (
    <div className="training-page">
      <PageHeader
        title={m('lists.title')}
        extra={
          <>
            {counties.length > 1 ? (
              <Select
                allowClear
                placeholder={m('inst.county')}
                value={unitId}
                onChange={setUnitId}
                options={counties}
                className="training-select-wide"
              />
            ) : null}
            <Button
              icon={<PrinterOutlined />}
              onClick={() => void navigate(`/training/print/${list}${toQuery({ unitId })}`)}
              data-testid="lists-print"
            >
              {m('print.open')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              href={`/api/training/institutions/export${toQuery({ sheet: list, unitId })}`}
            >
              {m('print.export')}
            </Button>
            <Link to="/portal/lists" target="_blank">
              {m('lists.portal')}
            </Link>
          </>
        }
      />
      <Card size="small">
        <Tabs
          activeKey={list}
          onChange={(k) => {
            setList(k as 'white' | 'black');
            setPage(1);
          }}
          items={[
            { key: 'white', label: m('lists.white') },
            { key: 'black', label: m('lists.black') },
          ]}
        />
        <Table<InstitutionSummary & { blacklistReason?: string }>
          rowKey="id"
          size="small"
          dataSource={data?.items ?? []}
          scroll={{ x: 640 }}
          pagination={{
            current: page,
            pageSize: 50,
            total: data?.total ?? 0,
            onChange: setPage,
            hideOnSinglePage: true,
          }}
          data-testid="training-lists"
          columns={[
            {
              title: m('inst.name'),
              dataIndex: 'name',
              render: (v: string, r) => <Link to={`/training/institutions/${r.id}`}>{v}</Link>,
            },
            { title: m('inst.code'), dataIndex: 'creditCode', width: 190 },
            { title: m('inst.county'), dataIndex: 'unitName', width: 130 },
            {
              title: m('inst.category'),
              dataIndex: 'category',
              width: 100,
              render: (c: string) => label(trainingCategoryLabels, c, lang),
            },
            {
              title: m('inst.status'),
              dataIndex: 'status',
              width: 100,
              render: (_: string, r) => <StatusTag status={r.status} lang={lang} />,
            },
            { title: m('inst.licenceTo'), dataIndex: 'licenceTo', width: 120 },
          ]}
        />
      </Card>
    </div>
  );
}
