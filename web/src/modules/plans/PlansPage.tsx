/** 工作计划: the plans in scope with their task statuses, hand entry, import from a sheet, and the unit's own tasks. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import {
  PLAN_KINDS,
  TASK_STATUSES,
  label,
  planKindLabels,
  type Plan,
  type PlanAssignment,
  type PlanDetail,
  type PlanImportResult,
} from '@dudao/contracts';
import { api, csrfHeader, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { StatusTag, useResource } from './common.tsx';
import { usePlanI18n } from './messages.ts';
import './plans.css';

function ImportModal({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (r: PlanImportResult) => void;
}) {
  const { m } = usePlanI18n();
  const me = useMe();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [year, setYear] = useState(dayjs().year());
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PlanImportResult | null>(null);
  const submit = async () => {
    if (!file || !title) return;
    setBusy(true);
    try {
      const q = new URLSearchParams({ ownerUnitId: me.unit.id, title, year: String(year) });
      const res = await fetch(`/api/plans/import?${q}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'x-file-name': encodeURIComponent(file.name),
          ...csrfHeader(),
        },
        body: file,
        credentials: 'same-origin',
      });
      const body = (await res.json()) as PlanImportResult & { message?: string };
      if (!res.ok) throw new Error(body.message ?? String(res.status));
      setResult(body);
      setFile(null);
      onDone(body);
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={m('pl.import')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okText={m('pl.import')}
      cancelText={m('pl.cancel')}
      okButtonProps={{ disabled: !file || !title, id: 'import-submit' }}
    >
      <Typography.Paragraph type="secondary">{m('pl.importHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={m('pl.title')} required>
          <Input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            maxLength={120}
            data-testid="import-title"
          />
        </Form.Item>
        <Form.Item label={m('pl.year')} required>
          <InputNumber value={year} min={2000} max={2100} onChange={(v) => setYear(v ?? year)} />
        </Form.Item>
        <Upload
          accept=".xlsx,.csv"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <Button icon={<UploadOutlined />} data-testid="import-file">
            {m('pl.import')}
          </Button>
        </Upload>
      </Form>
      {result ? (
        <div data-testid="import-result" style={{ marginTop: 12 }}>
          <Typography.Text strong>
            {m('pl.importDone', {
              c: result.chapters,
              t: result.tasks,
              a: result.assignments,
              r: result.rejected.length,
            })}
          </Typography.Text>
          {result.rejected.map((r) => (
            <div key={r.row} className="plan-reason">
              {m('pl.row', { n: r.row })}：{r.reasons.join('；')}
            </div>
          ))}
        </div>
      ) : null}
    </Modal>
  );
}

function NewPlanModal({ open, onClose }: { open: boolean; onClose: (id?: string) => void }) {
  const { m, lang } = usePlanI18n();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const submit = async () => {
    const v = (await form.validateFields()) as {
      title: string;
      kind: Plan['kind'];
      year: number;
      chapters?: string;
      range: [dayjs.Dayjs, dayjs.Dayjs];
    };
    try {
      const p = await api.post<PlanDetail>('/api/plans', {
        ownerUnitId: me.unit.id,
        title: v.title,
        kind: v.kind,
        year: v.year,
        startsOn: v.range[0].format('YYYY-MM-DD'),
        endsOn: v.range[1].format('YYYY-MM-DD'),
        chapters: (v.chapters ?? '')
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      });
      onClose(p.id);
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    }
  };
  const y = dayjs().year();
  return (
    <Modal
      open={open}
      title={m('pl.new')}
      onCancel={() => onClose()}
      onOk={() => void submit()}
      okText={m('pl.save')}
      cancelText={m('pl.cancel')}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'annual', year: y, range: [dayjs(`${y}-01-01`), dayjs(`${y}-12-31`)] }}
      >
        <Form.Item name="title" label={m('pl.title')} rules={[{ required: true }]}>
          <Input maxLength={120} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="kind" label={m('pl.kind')}>
            <Select
              style={{ width: 160 }}
              options={PLAN_KINDS.map((k) => ({ value: k, label: label(planKindLabels, k, lang) }))}
            />
          </Form.Item>
          <Form.Item name="year" label={m('pl.year')}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
        </Space>
        <Form.Item name="range" label={`${m('pl.start')} ~ ${m('pl.end')}`} rules={[{ required: true }]}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item name="chapters" label={m('pl.chapters')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MyTasks() {
  const { m } = usePlanI18n();
  const r = useResource<{ items: PlanAssignment[] }>('/api/plan-assignments');
  return (
    <div className="plan-table-wrap">
      <Table<PlanAssignment>
        rowKey="id"
        size="small"
        loading={r.loading}
        dataSource={r.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: m('pl.seq'), dataIndex: 'taskSeq', width: 60 },
          {
            title: m('pl.task'),
            render: (_, a) => <Link to={`/plans/assignments/${a.id}`}>{a.taskTitle}</Link>,
          },
          { title: m('pl.unit'), render: (_, a) => a.unit.name, responsive: ['md'] },
          { title: m('pl.due'), dataIndex: 'dueOn', width: 110, responsive: ['md'] },
          { title: m('pl.nextDue'), dataIndex: 'nextReportDue', width: 110, responsive: ['lg'] },
          {
            title: m('pl.status'),
            width: 120,
            render: (_, a) => (
              <>
                <StatusTag status={a.status} reason={a.reason} />
                {a.openNotices ? (
                  <Tag color="red">
                    {m('pl.notices')} {a.openNotices}
                  </Tag>
                ) : null}
              </>
            ),
          },
        ]}
      />
    </div>
  );
}

export default function PlansPage() {
  const { m, lang } = usePlanI18n();
  const me = useMe();
  const r = useResource<{ items: Plan[] }>('/api/plans');
  const [importing, setImporting] = useState(false);
  const [creating, setCreating] = useState(false);
  const canManage = me.access.managePlans && me.unit.kind !== 'school';
  const plans = (
    <div className="plan-table-wrap" data-testid="plan-list">
      <Table<Plan>
        rowKey="id"
        loading={r.loading}
        dataSource={r.data?.items ?? []}
        pagination={false}
        columns={[
          { title: m('pl.title'), render: (_, p) => <Link to={`/plans/${p.id}`}>{p.title}</Link> },
          {
            title: m('pl.kind'),
            width: 130,
            responsive: ['md'],
            render: (_, p) => label(planKindLabels, p.kind, lang),
          },
          { title: m('pl.owner'), responsive: ['lg'], render: (_, p) => p.ownerUnit.name },
          { title: m('pl.tasks'), dataIndex: 'tasks', width: 80 },
          {
            title: m('pl.status'),
            className: 'plan-counts',
            render: (_, p) =>
              TASK_STATUSES.filter((s) => p.counts[s]).map((s) => (
                <span key={s}>
                  <StatusTag status={s} /> {p.counts[s]}{' '}
                </span>
              )),
          },
        ]}
      />
    </div>
  );
  return (
    <>
      <PageHeader
        title={m('pl.plans')}
        extra={
          canManage ? (
            <>
              <Button onClick={() => setCreating(true)}>{m('pl.new')}</Button>
              <Button
                type="primary"
                icon={<UploadOutlined />}
                onClick={() => setImporting(true)}
                data-testid="plan-import"
              >
                {m('pl.import')}
              </Button>
            </>
          ) : null
        }
      />
      <Card>
        <Tabs
          items={[
            { key: 'plans', label: m('pl.plans'), children: plans },
            ...(me.access.reportProgress
              ? [{ key: 'mine', label: m('pl.myTasks'), children: <MyTasks /> }]
              : []),
          ]}
        />
      </Card>
      <ImportModal open={importing} onClose={() => setImporting(false)} onDone={() => r.reload()} />
      <NewPlanModal
        open={creating}
        onClose={(id) => {
          setCreating(false);
          if (id) r.reload();
        }}
      />
    </>
  );
}
