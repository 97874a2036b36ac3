/** 培训机构: the registry in scope, searchable by name or credit code, filtered; registration of a new one. */
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Tooltip } from 'antd';
import {
  complianceAspectLabels,
  label,
  LIST_STATUSES,
  listStatusLabels,
  TRAINING_CATEGORIES,
  TRAINING_LEGAL_FORMS,
  TRAINING_STATUSES,
  TRAINING_SUB_TYPES,
  trainingCategoryLabels,
  trainingLegalFormLabels,
  trainingStatusLabels,
  trainingSubTypeLabels,
  type ComplianceAspect,
  type InstitutionDetail,
  type InstitutionPage,
  type InstitutionSummary,
  type TrainingStatus,
} from '@dudao/contracts';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { api, toQuery } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useTrainingI18n } from './messages.ts';
import { ListTag, StatusTag, useCounties } from './shared.tsx';
import './training.css';

export default function InstitutionsPage() {
  const { m, lang } = useTrainingI18n();
  const me = useMe();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const counties = useCounties();
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const [data, setData] = useState<InstitutionPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries({ page: undefined, ...patch }))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };
  const query = {
    unitId: get('unitId'),
    q: get('q'),
    category: get('category'),
    status: get('status'),
    list: get('list'),
    compliant: get('compliant'),
    // from the charts and figures (drill-down): see the filter tags above the table
    aspect: get('aspect'),
    supervised: get('supervised'),
    published: get('published'),
    movedTo: get('movedTo'),
    from: get('from'),
    to: get('to'),
  };
  const drillTags = [
    query.supervised ? m('drill.supervised') : null,
    query.published ? m('drill.published') : null,
    query.aspect && query.compliant
      ? m(query.compliant === 'no' ? 'drill.aspectNo' : 'drill.aspectYes', {
          aspect: label(complianceAspectLabels, query.aspect as ComplianceAspect, lang),
        })
      : null,
    query.movedTo
      ? m('drill.moved', {
          status: label(trainingStatusLabels, query.movedTo as TrainingStatus, lang),
          from: query.from ?? '',
          to: query.to ?? '',
        })
      : null,
  ].filter((x): x is string => x !== null);
  const key = JSON.stringify(query);
  const load = useCallback(
    (signal?: AbortSignal) => {
      setLoading(true);
      api
        .get<InstitutionPage>(
          '/api/training/institutions',
          { ...(JSON.parse(key) as Record<string, string>), page, pageSize: 20 },
          signal,
        )
        .then(setData)
        .catch((e: unknown) => feedback.error(e))
        .finally(() => setLoading(false));
    },
    [key, page, feedback],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  const create = async () => {
    const v = (await form.validateFields()) as Record<string, unknown>;
    try {
      const d = await api.post<InstitutionDetail>('/api/training/institutions', v);
      setCreating(false);
      form.resetFields();
      void navigate(`/training/institutions/${d.id}`);
    } catch (e) {
      feedback.error(e, form);
    }
  };

  const opts = <T extends string>(values: readonly T[], labels: Record<T, { zh: string; en: string }>) =>
    values.map((v) => ({ value: v, label: label(labels, v, lang) }));

  return (
    <div className="training-page">
      <PageHeader
        title={m('inst.title')}
        extra={
          <>
            <Button
              icon={<PrinterOutlined />}
              onClick={() => void navigate(`/training/print/registry${toQuery(query)}`)}
              data-testid="training-print"
            >
              {m('print.open')}
            </Button>
            <Button icon={<DownloadOutlined />} href={`/api/training/institutions/export${toQuery(query)}`}>
              {m('print.export')}
            </Button>
            {me.access.manageTraining ? (
              <Button type="primary" onClick={() => setCreating(true)} data-testid="training-new">
                {m('inst.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card size="small">
        <Space wrap className="training-filters">
          <Input.Search
            allowClear
            defaultValue={query.q}
            placeholder={m('inst.search')}
            onSearch={(q) => set({ q: q.trim() || undefined })}
            className="training-search"
            data-testid="training-search"
          />
          {counties.length > 1 ? (
            <Select
              allowClear
              placeholder={m('inst.county')}
              value={query.unitId}
              onChange={(v?: string) => set({ unitId: v })}
              options={counties}
              className="training-select"
            />
          ) : null}
          <Select
            allowClear
            placeholder={m('inst.category')}
            value={query.category}
            onChange={(v?: string) => set({ category: v })}
            options={opts(TRAINING_CATEGORIES, trainingCategoryLabels)}
            className="training-select"
          />
          <Select
            allowClear
            placeholder={m('inst.status')}
            value={query.status}
            onChange={(v?: string) => set({ status: v })}
            options={opts(TRAINING_STATUSES, trainingStatusLabels)}
            className="training-select"
          />
          <Select
            allowClear
            placeholder={m('inst.list')}
            value={query.list}
            onChange={(v?: string) => set({ list: v })}
            options={opts(LIST_STATUSES, listStatusLabels)}
            className="training-select"
          />
          <Select
            allowClear
            placeholder={m('inst.compliance')}
            value={query.compliant}
            onChange={(v?: string) => set({ compliant: v })}
            options={[
              { value: 'yes', label: m('inst.compliant') },
              { value: 'no', label: m('inst.notCompliant') },
            ]}
            className="training-select"
          />
        </Space>
        {drillTags.length > 0 ? (
          <div className="training-filters" data-testid="training-drill">
            {m('drill.filters')}
            {drillTags.map((t) => (
              <Tag key={t} color="blue">
                {t}
              </Tag>
            ))}
            <Button
              size="small"
              type="link"
              onClick={() =>
                set({
                  aspect: undefined,
                  compliant: undefined,
                  supervised: undefined,
                  published: undefined,
                  movedTo: undefined,
                  from: undefined,
                  to: undefined,
                })
              }
            >
              {m('drill.clear')}
            </Button>
          </div>
        ) : null}
        <Table<InstitutionSummary>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          scroll={{ x: 900 }}
          data-testid="training-table"
          pagination={{
            current: page,
            pageSize: 20,
            total: data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => set({ page: p > 1 ? String(p) : undefined }),
          }}
          columns={[
            {
              title: m('inst.name'),
              dataIndex: 'name',
              render: (_: string, r) => <Link to={`/training/institutions/${r.id}`}>{r.name}</Link>,
            },
            {
              title: m('inst.code'),
              dataIndex: 'creditCode',
              width: 190,
              render: (v: string | null) => v ?? '—',
            },
            { title: m('inst.county'), dataIndex: 'unitName', width: 130 },
            {
              title: m('inst.category'),
              dataIndex: 'category',
              width: 150,
              render: (_: string, r) =>
                `${label(trainingCategoryLabels, r.category, lang)}${r.subType ? '·' + label(trainingSubTypeLabels, r.subType, lang) : ''}`,
            },
            {
              title: m('inst.status'),
              dataIndex: 'status',
              width: 100,
              render: (_: string, r) => <StatusTag status={r.status} lang={lang} />,
            },
            {
              title: m('inst.compliance'),
              width: 170,
              render: (_: unknown, r) =>
                r.compliance.all ? (
                  <Tag color="success">{m('inst.compliant')}</Tag>
                ) : (
                  <Tooltip title={r.compliance.problems.map((p) => (lang === 'zh' ? p.zh : p.en)).join('；')}>
                    <Space size={2} wrap>
                      {(['org', 'venue', 'staff', 'docs', 'funds'] as const)
                        .filter((a) => !r.compliance[a])
                        .map((a) => (
                          <Tag key={a} color="warning">
                            {label(complianceAspectLabels, a, lang).replace(/合规|监管$/, '')}
                          </Tag>
                        ))}
                    </Space>
                  </Tooltip>
                ),
            },
            {
              title: m('inst.list'),
              dataIndex: 'list',
              width: 90,
              render: (_: string, r) => <ListTag list={r.list} lang={lang} />,
            },
          ]}
        />
      </Card>
      <Modal
        open={creating}
        title={m('inst.new')}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        okText={m('act.save')}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            category: 'non_subject',
            legalForm: 'company',
            unitId: counties.length === 1 ? counties[0]!.value : undefined,
          }}
        >
          <Form.Item name="unitId" label={m('inst.county')} rules={[{ required: true }]}>
            <Select options={counties} data-testid="training-new-county" />
          </Form.Item>
          <Form.Item name="name" label={m('inst.name')} rules={[{ required: true, max: 80 }]}>
            <Input data-testid="training-new-name" />
          </Form.Item>
          <Form.Item name="creditCode" label={m('inst.code')} normalize={(v: string) => v.toUpperCase()}>
            <Input maxLength={18} data-testid="training-new-code" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="category" label={m('inst.category')} rules={[{ required: true }]}>
              <Select
                options={opts(TRAINING_CATEGORIES, trainingCategoryLabels)}
                className="training-select"
              />
            </Form.Item>
            <Form.Item name="subType" label={m('inst.subType')}>
              <Select
                allowClear
                options={opts(TRAINING_SUB_TYPES, trainingSubTypeLabels)}
                className="training-select"
              />
            </Form.Item>
            <Form.Item name="legalForm" label={m('inst.legalForm')} rules={[{ required: true }]}>
              <Select
                options={opts(TRAINING_LEGAL_FORMS, trainingLegalFormLabels)}
                className="training-select-wide"
              />
            </Form.Item>
          </Space>
          <Form.Item name="address" label={m('inst.address')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
