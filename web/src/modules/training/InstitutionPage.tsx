/** 机构详情: registry data, compliance, venues, staff, courses and prepaid fees, documents, history, inspections. */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Upload,
} from 'antd';
import {
  complianceAspectLabels,
  label,
  trainingCategoryLabels,
  trainingDocLabels,
  trainingInspectionKindLabels,
  trainingLegalFormLabels,
  trainingStaffRoleLabels,
  trainingStatusLabels,
  trainingSubTypeLabels,
  TRAINING_STAFF_ROLES,
  type InstitutionDetail,
  type Order,
} from '@dudao/contracts';
import { api, csrfHeader } from '../../app/api.ts';
import { chinaToday } from '../../app/dates.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { FormDialog, InspectionDialog, type DialogSpec } from './forms.tsx';
import { useTrainingI18n } from './messages.ts';
import { ListTag, StatusTag, yuan } from './shared.tsx';
import './training.css';

export default function InstitutionPage() {
  const { id } = useParams<{ id: string }>();
  const { m, lang } = useTrainingI18n();
  const feedback = useFeedback();
  const [d, setD] = useState<InstitutionDetail | null>(null);
  const [orders, setOrders] = useState<Order[]>([]);
  const [dialog, setDialog] = useState<DialogSpec | null>(null);
  const [inspecting, setInspecting] = useState(false);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const load = useCallback(() => {
    api
      .get<InstitutionDetail>(`/api/training/institutions/${id}`)
      .then(setD)
      .catch((e: unknown) => feedback.error(e));
    api
      .get<Order[]>(`/api/training/institutions/${id}/orders`)
      .then(setOrders)
      .catch(() => setOrders([]));
  }, [id, feedback]);
  useEffect(load, [load]);
  if (!d) return <Card loading />;
  const can = d.canManage;
  const L = (x: { zh: string; en: string }) => (lang === 'zh' ? x.zh : x.en);
  const done = () => {
    setDialog(null);
    setInspecting(false);
    feedback.success(m('common.saved'));
    load();
  };
  const del = async (url: string) => {
    try {
      await api.delete(url);
      load();
    } catch (e) {
      feedback.error(e);
    }
  };
  const yesNo = (v: boolean) =>
    v ? <Tag color="success">{m('common.yes')}</Tag> : <Tag color="error">{m('common.no')}</Tag>;
  const base = `/api/training/institutions/${d.id}`;
  const venueFields: DialogSpec['fields'] = [
    { name: 'address', label: 'venue.address', kind: 'text', required: true },
    { name: 'areaM2', label: 'venue.area', kind: 'number', required: true, min: 1 },
    { name: 'fireAccepted', label: 'venue.fire', kind: 'bool' },
    { name: 'fireCertNo', label: 'venue.fireNo', kind: 'text' },
    { name: 'approved', label: 'venue.approved', kind: 'bool' },
    { name: 'approvedOn', label: 'f.on', kind: 'date' },
  ];
  const staffFields: DialogSpec['fields'] = [
    { name: 'name', label: 'staff.name', kind: 'text', required: true, max: 40 },
    { name: 'idNumber', label: 'staff.id', kind: 'text', max: 18 },
    {
      name: 'role',
      label: 'staff.role',
      kind: 'select',
      required: true,
      options: TRAINING_STAFF_ROLES.map((r) => ({
        value: r,
        label: label(trainingStaffRoleLabels, r, lang),
      })),
    },
    { name: 'subjectTeaching', label: 'staff.subject', kind: 'bool' },
    { name: 'teacherCertNo', label: 'staff.cert', kind: 'text', max: 40 },
    { name: 'backgroundChecked', label: 'staff.checked', kind: 'bool' },
    { name: 'backgroundCheckedOn', label: 'f.on', kind: 'date' },
  ];
  const courseFields: DialogSpec['fields'] = [
    { name: 'name', label: 'course.name', kind: 'text', required: true, max: 80 },
    { name: 'pricePerHour', label: 'course.price', kind: 'number', required: true, step: 10 },
    { name: 'hoursPerPeriod', label: 'course.hours', kind: 'number', required: true, min: 1 },
    { name: 'periodMonths', label: 'course.months', kind: 'number', required: true, min: 1 },
    { name: 'currentStudents', label: 'course.students', kind: 'number', required: true },
  ];

  const importOrders = async (file: File) => {
    try {
      const res = await fetch(`${base}/orders/import`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'x-file-name': encodeURIComponent(file.name),
          'accept-language': lang === 'zh' ? 'zh-CN' : 'en',
          ...csrfHeader(),
        },
        body: file,
      });
      const body = (await res.json()) as {
        created: number;
        updated: number;
        raised: number;
        errors: unknown[];
        message?: string;
      };
      if (!res.ok) throw new Error(body.message ?? String(res.status));
      feedback.success(
        m('orders.imported', {
          created: body.created,
          updated: body.updated,
          errors: body.errors.length,
          raised: body.raised,
        }),
      );
      load();
    } catch (e) {
      feedback.error(e);
    }
    return false;
  };

  const tabs = [
    {
      key: 'basic',
      label: m('tab.basic'),
      children: (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={m('inst.code')}>{d.creditCode ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={m('inst.county')}>{d.unitName}</Descriptions.Item>
            <Descriptions.Item label={m('inst.category')}>
              {label(trainingCategoryLabels, d.category, lang)}
              {d.subType ? ` · ${label(trainingSubTypeLabels, d.subType, lang)}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={m('inst.legalForm')}>
              {label(trainingLegalFormLabels, d.legalForm, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={m('inst.licence')}>{d.licenceNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={m('inst.licenceTo')}>
              {d.licenceFrom ? `${d.licenceFrom} ~ ` : ''}
              {d.licenceTo ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={m('inst.address')}>{d.address ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={m('inst.legalPerson')}>
              {d.legalPerson ?? '—'} {d.phone ?? ''}
            </Descriptions.Item>
          </Descriptions>
          <Card
            size="small"
            title={m('inst.compliance')}
            className="training-block"
            data-testid="training-compliance"
          >
            <Space wrap>
              {(['org', 'venue', 'staff', 'docs', 'funds'] as const).map((a) => (
                <Tag key={a} color={d.compliance[a] ? 'success' : 'error'}>
                  {label(complianceAspectLabels, a, lang)} {d.compliance[a] ? '✓' : '✗'}
                </Tag>
              ))}
            </Space>
            {d.compliance.problems.length > 0 ? (
              <ul className="training-problems">
                {d.compliance.problems.map((p, n) => (
                  <li key={n}>{L(p)}</li>
                ))}
              </ul>
            ) : null}
            {d.openFindings > 0 ? (
              <div className="training-block">
                <Link to={`/findings?sourceType=training_institution&sourceId=${d.id}`}>
                  {m('insp.openFindings', { n: d.openFindings })}
                </Link>
              </div>
            ) : null}
          </Card>
        </>
      ),
    },
    {
      key: 'venues',
      label: `${m('tab.venues')} (${d.venues.length})`,
      children: (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={d.venues}
          scroll={{ x: 600 }}
          columns={[
            { title: m('venue.address'), dataIndex: 'address' },
            { title: m('venue.area'), dataIndex: 'areaM2', width: 100 },
            { title: m('venue.fire'), dataIndex: 'fireAccepted', width: 100, render: yesNo },
            { title: m('venue.approved'), dataIndex: 'approved', width: 100, render: yesNo },
            ...(can
              ? [
                  {
                    title: '',
                    width: 120,
                    render: (_: unknown, v: InstitutionDetail['venues'][number]) => (
                      <Space>
                        <a
                          onClick={() =>
                            setDialog({
                              title: m('act.edit'),
                              method: 'PATCH',
                              url: `/api/training/venues/${v.id}`,
                              fields: venueFields,
                              initial: v,
                            })
                          }
                        >
                          {m('act.edit')}
                        </a>
                        <Popconfirm
                          title={m('act.delete')}
                          onConfirm={() => void del(`/api/training/venues/${v.id}`)}
                        >
                          <a>{m('act.delete')}</a>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
          footer={
            can
              ? () => (
                  <Button
                    onClick={() =>
                      setDialog({
                        title: m('tab.venues'),
                        method: 'POST',
                        url: `${base}/venues`,
                        fields: venueFields,
                      })
                    }
                  >
                    {m('act.add')}
                  </Button>
                )
              : undefined
          }
        />
      ),
    },
    {
      key: 'staff',
      label: `${m('tab.staff')} (${d.staff.length})`,
      children: (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={d.staff}
          scroll={{ x: 700 }}
          columns={[
            { title: m('staff.name'), dataIndex: 'name', width: 100 },
            {
              title: m('staff.id'),
              width: 210,
              render: (_: unknown, s: InstitutionDetail['staff'][number]) =>
                revealed[s.id] ?? (
                  <Space>
                    {s.idNumberMasked ?? '—'}
                    {s.idNumberMasked && can ? (
                      <a
                        onClick={() =>
                          void api
                            .post<{ idNumber: string }>(`/api/training/staff/${s.id}/reveal-id`)
                            .then((r) => setRevealed({ ...revealed, [s.id]: r.idNumber }))
                            .catch((e: unknown) => feedback.error(e))
                        }
                      >
                        {m('act.reveal')}
                      </a>
                    ) : null}
                  </Space>
                ),
            },
            {
              title: m('staff.role'),
              dataIndex: 'role',
              width: 100,
              render: (r: string) => label(trainingStaffRoleLabels, r, lang),
            },
            { title: m('staff.cert'), dataIndex: 'teacherCertNo', render: (v: string | null) => v ?? '—' },
            { title: m('staff.checked'), dataIndex: 'backgroundChecked', width: 100, render: yesNo },
            ...(can
              ? [
                  {
                    title: '',
                    width: 120,
                    render: (_: unknown, s: InstitutionDetail['staff'][number]) => (
                      <Space>
                        <a
                          onClick={() =>
                            setDialog({
                              title: m('act.edit'),
                              method: 'PATCH',
                              url: `/api/training/staff/${s.id}`,
                              fields: staffFields.filter((f) => f.name !== 'idNumber'),
                              initial: s,
                            })
                          }
                        >
                          {m('act.edit')}
                        </a>
                        <Popconfirm
                          title={m('act.delete')}
                          onConfirm={() => void del(`/api/training/staff/${s.id}`)}
                        >
                          <a>{m('act.delete')}</a>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
          footer={
            can
              ? () => (
                  <Button
                    onClick={() =>
                      setDialog({
                        title: m('tab.staff'),
                        method: 'POST',
                        url: `${base}/staff`,
                        fields: staffFields,
                        initial: { role: 'teacher' },
                      })
                    }
                  >
                    {m('act.add')}
                  </Button>
                )
              : undefined
          }
        />
      ),
    },
    {
      key: 'courses',
      label: m('tab.courses'),
      children: (
        <>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.courses}
            scroll={{ x: 600 }}
            columns={[
              { title: m('course.name'), dataIndex: 'name' },
              { title: m('course.price'), dataIndex: 'pricePerHour', width: 110, render: yuan },
              { title: m('course.hours'), dataIndex: 'hoursPerPeriod', width: 90 },
              { title: m('course.months'), dataIndex: 'periodMonths', width: 100 },
              { title: m('course.students'), dataIndex: 'currentStudents', width: 90 },
              { title: m('course.periodFee'), dataIndex: 'periodFee', width: 110, render: yuan },
              ...(can
                ? [
                    {
                      title: '',
                      width: 70,
                      render: (_: unknown, c: InstitutionDetail['courses'][number]) => (
                        <a
                          onClick={() =>
                            setDialog({
                              title: m('act.edit'),
                              method: 'PATCH',
                              url: `/api/training/courses/${c.id}`,
                              fields: courseFields,
                              initial: c,
                            })
                          }
                        >
                          {m('act.edit')}
                        </a>
                      ),
                    },
                  ]
                : []),
            ]}
            footer={
              can
                ? () => (
                    <Button
                      onClick={() =>
                        setDialog({
                          title: m('tab.courses'),
                          method: 'POST',
                          url: `${base}/courses`,
                          fields: courseFields,
                          initial: { periodMonths: 3, currentStudents: 0 },
                        })
                      }
                    >
                      {m('act.add')}
                    </Button>
                  )
                : undefined
            }
          />
          <Card
            size="small"
            title={m('funds.title')}
            className="training-block"
            extra={
              can ? (
                <a
                  onClick={() =>
                    setDialog({
                      title: m('funds.title'),
                      method: 'PUT',
                      url: `${base}/funds`,
                      fields: [
                        { name: 'custodyBank', label: 'funds.bank', kind: 'text' },
                        { name: 'custodyAccount', label: 'funds.account', kind: 'text' },
                        { name: 'custodyBalance', label: 'funds.balance', kind: 'number', step: 100 },
                        { name: 'custodyBalanceOn', label: 'funds.balanceOn', kind: 'date' },
                        { name: 'reserve', label: 'funds.reserve', kind: 'number', step: 100 },
                      ],
                      initial: d.funds,
                    })
                  }
                >
                  {m('act.edit')}
                </a>
              ) : null
            }
          >
            <Descriptions size="small" column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={m('funds.bank')}>{d.funds.custodyBank ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={m('funds.account')}>
                {d.funds.custodyAccount ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={m('funds.balance')}>
                {yuan(d.funds.custodyBalance)}
                {d.funds.custodyBalanceOn ? `（${d.funds.custodyBalanceOn}）` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={m('funds.owed')}>{yuan(d.funds.owed)}</Descriptions.Item>
              <Descriptions.Item label={m('funds.reserve')}>{yuan(d.funds.reserve)}</Descriptions.Item>
              <Descriptions.Item label={m('funds.required')}>
                {yuan(d.funds.requiredReserve)}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card
            size="small"
            title={`${m('orders.title')} (${orders.length})`}
            className="training-block"
            extra={
              can ? (
                <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => importOrders(f)}>
                  <Button size="small">{m('orders.import')}</Button>
                </Upload>
              ) : null
            }
          >
            <Table
              rowKey="id"
              size="small"
              dataSource={orders}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 560 }}
              columns={[
                { title: m('orders.no'), dataIndex: 'orderNo' },
                { title: m('orders.paidOn'), dataIndex: 'paidOn', width: 110 },
                { title: m('orders.amount'), dataIndex: 'amount', width: 110, render: yuan },
                { title: m('orders.hours'), dataIndex: 'classHours', width: 70 },
                { title: m('orders.months'), dataIndex: 'coversMonths', width: 90 },
                { title: m('orders.taught'), dataIndex: 'hoursTaught', width: 90 },
              ]}
            />
          </Card>
        </>
      ),
    },
    {
      key: 'docs',
      label: m('tab.docs'),
      children: (
        <Table
          rowKey="kind"
          size="small"
          pagination={false}
          dataSource={d.documents}
          scroll={{ x: 560 }}
          columns={[
            {
              title: m('tab.docs'),
              dataIndex: 'kind',
              render: (k: string) => label(trainingDocLabels, k, lang),
            },
            { title: m('docs.number'), dataIndex: 'number', render: (v: string | null) => v ?? '—' },
            {
              title: m('docs.validTo'),
              dataIndex: 'validTo',
              width: 110,
              render: (v: string | null) => v ?? '—',
            },
            {
              title: m('inst.status'),
              dataIndex: 'state',
              width: 100,
              render: (s: 'missing' | 'expired' | 'expiring' | 'ok') => (
                <Tag color={{ missing: 'error', expired: 'error', expiring: 'warning', ok: 'success' }[s]}>
                  {m(`docs.${s}`)}
                </Tag>
              ),
            },
            ...(can
              ? [
                  {
                    title: '',
                    width: 70,
                    render: (_: unknown, doc: InstitutionDetail['documents'][number]) => (
                      <a
                        onClick={() =>
                          setDialog({
                            title: label(trainingDocLabels, doc.kind, lang),
                            method: 'PUT',
                            url: `${base}/documents/${doc.kind}`,
                            fields: [
                              { name: 'number', label: 'docs.number', kind: 'text' },
                              { name: 'validTo', label: 'docs.validTo', kind: 'date' },
                            ],
                            initial: doc,
                          })
                        }
                      >
                        {m('act.edit')}
                      </a>
                    ),
                  },
                ]
              : []),
          ]}
        />
      ),
    },
    {
      key: 'events',
      label: m('tab.events'),
      children: (
        <Timeline
          items={d.events.map((e) => ({
            color: e.kind === 'blacklist' ? 'red' : e.kind === 'unblacklist' ? 'green' : 'blue',
            children: (
              <>
                <b>{e.on}</b>{' '}
                {e.kind === 'status'
                  ? `${e.fromStatus ? label(trainingStatusLabels, e.fromStatus, lang) + ' → ' : ''}${label(trainingStatusLabels, e.toStatus, lang)}`
                  : m(e.kind === 'blacklist' ? 'act.blacklist' : 'act.unblacklist')}
                {e.reason ? `：${e.reason}` : ''}{' '}
                {e.actorName ? <span className="training-muted">（{e.actorName}）</span> : null}
              </>
            ),
          }))}
        />
      ),
    },
    {
      key: 'inspections',
      label: `${m('tab.inspections')} (${d.inspections.length})`,
      children: (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={d.inspections}
          scroll={{ x: 560 }}
          columns={[
            { title: m('f.on'), dataIndex: 'inspectedOn', width: 110 },
            {
              title: m('insp.kind'),
              dataIndex: 'kind',
              width: 100,
              render: (k: string) => label(trainingInspectionKindLabels, k, lang),
            },
            {
              title: m('insp.agencies'),
              dataIndex: 'agencies',
              render: (a: string[]) => a.join('、') || '—',
            },
            { title: m('insp.summary'), dataIndex: 'summary', render: (s: string | null) => s ?? '—' },
            {
              title: m('insp.findings'),
              dataIndex: 'findingIds',
              width: 90,
              render: (f: string[]) => f.length,
            },
          ]}
        />
      ),
    },
  ];

  return (
    <div className="training-page" data-testid="training-detail">
      <PageHeader
        title={d.name}
        crumbs={[{ title: m('inst.title'), to: '/training/institutions' }]}
        extra={
          can ? (
            <>
              {d.allowedTransitions.length > 0 ? (
                <Button
                  data-testid="training-status"
                  onClick={() =>
                    setDialog({
                      title: m('act.status'),
                      method: 'POST',
                      url: `${base}/status`,
                      fields: [
                        {
                          name: 'to',
                          label: 'f.to',
                          kind: 'select',
                          required: true,
                          options: d.allowedTransitions.map((s) => ({
                            value: s,
                            label: label(trainingStatusLabels, s, lang),
                          })),
                        },
                        { name: 'on', label: 'f.on', kind: 'date', required: true },
                        { name: 'reason', label: 'f.reason', kind: 'textarea', required: true },
                      ],
                      initial: { on: chinaToday() },
                    })
                  }
                >
                  {m('act.status')}
                </Button>
              ) : null}
              {d.list === 'black' ? (
                <Button
                  onClick={() =>
                    setDialog({
                      title: m('act.unblacklist'),
                      method: 'POST',
                      url: `${base}/unblacklist`,
                      fields: [{ name: 'reason', label: 'f.reason', kind: 'textarea', required: true }],
                    })
                  }
                >
                  {m('act.unblacklist')}
                </Button>
              ) : (
                <Button
                  danger
                  onClick={() =>
                    setDialog({
                      title: m('act.blacklist'),
                      method: 'POST',
                      url: `${base}/blacklist`,
                      fields: [
                        { name: 'on', label: 'f.on', kind: 'date', required: true },
                        { name: 'reason', label: 'f.reason', kind: 'textarea', required: true },
                      ],
                      initial: { on: chinaToday() },
                    })
                  }
                >
                  {m('act.blacklist')}
                </Button>
              )}
              <Button type="primary" onClick={() => setInspecting(true)}>
                {m('act.inspect')}
              </Button>
            </>
          ) : null
        }
      >
        <Space wrap>
          <StatusTag status={d.status} lang={lang} />
          <span className="training-muted">
            {m('inst.since')} {d.statusSince}
          </span>
          <ListTag list={d.list} lang={lang} />
        </Space>
      </PageHeader>
      {d.list === 'black' && d.blacklistReason ? (
        <Alert
          type="error"
          showIcon
          message={`${m('lists.black')}（${d.blacklistedOn}）：${d.blacklistReason}`}
          className="training-block"
        />
      ) : null}
      <Card size="small">
        <Tabs items={tabs} />
      </Card>
      {dialog ? <FormDialog spec={dialog} onClose={() => setDialog(null)} onDone={done} /> : null}
      {inspecting ? (
        <InspectionDialog
          institutionId={d.id}
          kinds={(['open', 'unannounced', 'joint'] as const).map((k) => ({
            value: k,
            label: label(trainingInspectionKindLabels, k, lang),
          }))}
          onClose={() => setInspecting(false)}
          onDone={done}
        />
      ) : null}
    </div>
  );
}
