/**
 * 诉求办理: the inbox by status with filters (the statistics' drill-down lands here with the same filters in
 * the address), the hotline entry form, the 12345 import and the ledger export.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  Button,
  Card,
  Form,
  Input,
  List,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  COMPLAINT_STATUSES,
  complaintCategoryLabels,
  complaintChannelLabels,
  complaintStatusLabels,
  label,
  satisfactionLabels,
  type ComplaintCreate,
  type ComplaintDetail,
  type ComplaintPage,
  type ComplaintSummary,
  type HotlineImportResult,
} from '@dudao/contracts';
import { api, csrfHeader, isApiError, toQuery, ApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { useComplaintI18n } from './messages.ts';
import './complaints.css';

const FILTERS = ['under', 'status', 'state', 'channel', 'category', 'from', 'to', 'q'] as const;

export function StatusTag({ c }: { c: Pick<ComplaintSummary, 'status' | 'overdue' | 'escalated'> }) {
  const { m, lang } = useComplaintI18n();
  const color = {
    received: 'default',
    routed: 'blue',
    accepted: 'processing',
    replied: 'gold',
    closed: 'green',
    merged: 'default',
  }[c.status];
  return (
    <Space size={4} wrap>
      <Tag color={color}>{label(complaintStatusLabels, c.status, lang)}</Tag>
      {c.overdue ? <Tag color="red">{m('c.overdue')}</Tag> : null}
      {c.escalated ? <Tag color="volcano">{m('c.escalated')}</Tag> : null}
    </Space>
  );
}

function EntryModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { m, lang } = useComplaintI18n();
  const me = useMe();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const [form] = Form.useForm<ComplaintCreate>();
  const [saving, setSaving] = useState(false);
  const save = async (v: ComplaintCreate) => {
    setSaving(true);
    try {
      const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== ''));
      const c = await api.post<ComplaintDetail>('/api/complaints', body);
      onClose();
      void navigate(`/complaints/${c.id}`);
    } catch (e) {
      feedback.error(e, form);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={m('c.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ unitId: me.unit.id, channel: 'phone' }}
        onFinish={(v) => void save(v)}
      >
        <Form.Item name="unitId" label={m('c.deskUnit')} rules={[{ required: true }]}>
          <UnitTreeSelect
            knownNames={{ [me.unit.id]: me.unit.name }}
            selectable={['city_bureau', 'county_bureau']}
            allowClear={false}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item name="channel" label={m('c.channel')} rules={[{ required: true }]}>
            <Select
              style={{ width: 150 }}
              options={COMPLAINT_CHANNELS.map((c) => ({
                value: c,
                label: label(complaintChannelLabels, c, lang),
              }))}
            />
          </Form.Item>
          <Form.Item name="category" label={m('c.category')} rules={[{ required: true }]}>
            <Select
              style={{ width: 150 }}
              data-testid="entry-category"
              options={COMPLAINT_CATEGORIES.map((c) => ({
                value: c,
                label: label(complaintCategoryLabels, c, lang),
              }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="title" label={m('c.title')} rules={[{ required: true, min: 2 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="content" label={m('c.content')} rules={[{ required: true, min: 5 }]}>
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
        <Form.Item name="subjectName" label={m('c.subject')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="schoolId" label={m('c.school')}>
          <UnitTreeSelect selectable={['school']} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="complainantName" label={m('c.name')}>
            <Input maxLength={32} />
          </Form.Item>
          <Form.Item name="phone" label={m('c.phone')}>
            <Input maxLength={13} />
          </Form.Item>
          <Form.Item name="hotlineNo" label={m('c.hotlineNo')}>
            <Input maxLength={40} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function ImportModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { m } = useComplaintI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [unitId, setUnitId] = useState<string | undefined>(me.unit.id);
  const [result, setResult] = useState<HotlineImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    if (!unitId) return;
    setBusy(true);
    try {
      const res = await fetch(`/api/complaints/hotline/import${toQuery({ unitId })}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'x-file-name': encodeURIComponent(file.name),
          ...csrfHeader(),
        },
        body: file,
      });
      const body = (await res.json()) as HotlineImportResult & { code?: string; message?: string };
      if (!res.ok) throw new ApiError(res.status, body.code ?? 'IMPORT', body.message ?? 'import failed');
      setResult(body);
      onDone();
    } catch (e) {
      feedback.error(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={m('c.import')} onCancel={onClose} footer={null} destroyOnHidden>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{m('c.importHint')}</Typography.Paragraph>
        <UnitTreeSelect
          value={unitId}
          onChange={setUnitId}
          knownNames={{ [me.unit.id]: me.unit.name }}
          selectable={['city_bureau', 'county_bureau']}
          style={{ width: '100%' }}
        />
        <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => (void upload(f), false)}>
          <Button icon={<UploadOutlined />} loading={busy} type="primary">
            {m('c.import')}
          </Button>
        </Upload>
        {result ? (
          <>
            <Typography.Text strong>
              {m('c.importResult', {
                rows: result.rows,
                inserted: result.inserted,
                dup: result.duplicates.length,
                err: result.errors.length,
              })}
            </Typography.Text>
            {result.errors.slice(0, 20).map((e) => (
              <Typography.Text key={`${e.row}-${e.column}`} type="danger">
                {e.row}：{e.column} {e.message}
              </Typography.Text>
            ))}
          </>
        ) : null}
      </Space>
    </Modal>
  );
}

export default function InboxPage() {
  const { m, lang } = useComplaintI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<ComplaintPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [entry, setEntry] = useState(false);
  const [importing, setImporting] = useState(false);
  const page = Number(params.get('page') ?? '1') || 1;
  const filter = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? undefined]));
  const key = params.toString();

  const load = useCallback(() => {
    setLoading(true);
    const q = Object.fromEntries(new URLSearchParams(key));
    api
      .get<ComplaintPage>('/api/complaints', { pageSize: 20, ...q })
      .then(setData)
      .catch((e: unknown) => {
        if (!(isApiError(e) && e.status === 404)) feedback.error(e);
        setData({ items: [], total: 0, page: 1, pageSize: 20 });
      })
      .finally(() => setLoading(false));
  }, [key, feedback]);
  useEffect(load, [load]);

  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    next.delete('page');
    setParams(next, { replace: true });
  };
  const quick =
    filter.state === 'open' ? 'open' : filter.state === 'overdue' ? 'overdue' : (filter.status ?? 'all');

  const columns: TableColumnsType<ComplaintSummary> = [
    {
      title: m('c.title'),
      dataIndex: 'title',
      render: (_t, c) => (
        <Space direction="vertical" size={0}>
          <Link to={`/complaints/${c.id}`}>{c.title}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.trackingNo}
            {c.hotlineNo ? ` · ${c.hotlineNo}` : ''}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: m('c.channel'),
      dataIndex: 'channel',
      width: 100,
      render: (v: string) => label(complaintChannelLabels, v, lang),
    },
    {
      title: m('c.category'),
      dataIndex: 'category',
      width: 100,
      render: (v: string) => label(complaintCategoryLabels, v, lang),
    },
    { title: m('c.unit'), dataIndex: 'unitName', width: 170 },
    { title: m('c.received'), dataIndex: 'receivedOn', width: 104 },
    { title: m('c.deadline'), dataIndex: 'deadline', width: 104 },
    { title: m('c.status'), key: 'status', width: 150, render: (_v, c) => <StatusTag c={c} /> },
    {
      title: m('c.satisfaction'),
      dataIndex: 'satisfaction',
      width: 90,
      render: (v: string | null) => (v ? label(satisfactionLabels, v, lang) : ''),
    },
  ];

  return (
    <div data-testid="complaints-inbox">
      <PageHeader
        title={m('c.inbox')}
        extra={
          <>
            {me.access.manageComplaints ? (
              <>
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setEntry(true)}
                  data-testid="complaint-new"
                >
                  {m('c.new')}
                </Button>
                <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                  {m('c.import')}
                </Button>
              </>
            ) : null}
            <Button
              icon={<PrinterOutlined />}
              onClick={() => void navigate(`/complaints/print${toQuery(filter)}`)}
              data-testid="complaints-print"
            >
              {m('c.print')}
            </Button>
            <Button icon={<DownloadOutlined />} href={`/api/complaints/export${toQuery(filter)}`}>
              {m('c.export')}
            </Button>
          </>
        }
      />
      <Card size="small" className="complaints-filters">
        <Space wrap>
          <Segmented
            value={quick}
            onChange={(v) => {
              const next = new URLSearchParams(params);
              next.delete('status');
              next.delete('state');
              next.delete('page');
              if (v === 'open' || v === 'overdue') next.set('state', String(v));
              else if (v !== 'all') next.set('status', String(v));
              setParams(next, { replace: true });
            }}
            options={[
              { value: 'all', label: m('c.all') },
              { value: 'open', label: m('c.open') },
              { value: 'overdue', label: m('c.overdue') },
              ...COMPLAINT_STATUSES.filter((s) => s !== 'merged').map((s) => ({
                value: s,
                label: label(complaintStatusLabels, s, lang),
              })),
            ]}
          />
          <UnitTreeSelect
            value={filter.under}
            onChange={(v) => set('under', v)}
            placeholder={m('c.scope')}
            style={{ width: 200 }}
          />
          <Select
            allowClear
            placeholder={m('c.channel')}
            value={filter.channel}
            onChange={(v?: string) => set('channel', v)}
            style={{ width: 130 }}
            options={COMPLAINT_CHANNELS.map((c) => ({
              value: c,
              label: label(complaintChannelLabels, c, lang),
            }))}
          />
          <Select
            allowClear
            placeholder={m('c.category')}
            value={filter.category}
            onChange={(v?: string) => set('category', v)}
            style={{ width: 130 }}
            options={COMPLAINT_CATEGORIES.map((c) => ({
              value: c,
              label: label(complaintCategoryLabels, c, lang),
            }))}
          />
          <Input.Search
            allowClear
            defaultValue={filter.q}
            placeholder={m('c.search')}
            onSearch={(v) => set('q', v.trim() || undefined)}
            style={{ width: 260 }}
            data-testid="complaints-search"
          />
          {filter.from || filter.to ? (
            <Tag
              closable
              color="blue"
              onClose={() => {
                const next = new URLSearchParams(params);
                next.delete('from');
                next.delete('to');
                next.delete('page');
                setParams(next, { replace: true });
              }}
              data-testid="complaints-period"
            >
              {m('c.filterPeriod', { p: `${filter.from ?? ''} ~ ${filter.to ?? ''}` })}
            </Tag>
          ) : null}
        </Space>
      </Card>
      {isMobile ? (
        <List
          loading={loading}
          dataSource={data?.items ?? []}
          locale={{ emptyText: m('c.empty') }}
          pagination={{
            current: page,
            total: data?.total ?? 0,
            pageSize: 20,
            onChange: (p) => set('page', String(p)),
            simple: true,
          }}
          renderItem={(c) => (
            <List.Item>
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Link to={`/complaints/${c.id}`}>{c.title}</Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.unitName} · {label(complaintCategoryLabels, c.category, lang)} · {c.receivedOn} →{' '}
                  {c.deadline}
                </Typography.Text>
                <StatusTag c={c} />
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Table<ComplaintSummary>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          locale={{ emptyText: m('c.empty') }}
          pagination={{
            current: page,
            total: data?.total ?? 0,
            pageSize: 20,
            showSizeChanger: false,
            onChange: (p) => set('page', String(p)),
          }}
          data-testid="complaints-table"
        />
      )}
      <EntryModal open={entry} onClose={() => setEntry(false)} />
      <ImportModal open={importing} onClose={() => setImporting(false)} onDone={load} />
    </div>
  );
}
