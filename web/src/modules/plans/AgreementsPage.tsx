/**
 * 责任书签订: the rounds a bureau issued (目标管理责任书, 安全稳定目标责任书, 承诺书 …) with how many units signed,
 * a round's units with their status, signed date, signer and document (export, return with a reason), and the
 * unit's own agreements to sign, uploaded as a PDF or a photo from the phone.
 */
import { useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import {
  agreementStatusLabels,
  label,
  type AgreementKind,
  type AgreementRound,
  type AgreementRoundDetail,
  type AgreementSigning,
  type AgreementStatus,
} from '@dudao/contracts';
import { api, csrfHeader, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useResource } from './common.tsx';
import { usePlanI18n } from './messages.ts';
import './plans.css';

const COLORS: Record<AgreementStatus, string> = { pending: 'default', signed: 'green', returned: 'red' };

function StatusOf({ s }: { s: AgreementStatus }) {
  const { lang } = usePlanI18n();
  return (
    <Tag color={COLORS[s]} data-testid={`agreement-status-${s}`}>
      {label(agreementStatusLabels, s, lang)}
    </Tag>
  );
}

/** Uploads the signed document as the raw body (the server sniffs PDF or image). */
async function uploadSigned(
  signingId: string,
  file: File,
  q: { signedOn: string; signerName: string; signerRole: string },
): Promise<AgreementSigning> {
  const query = new URLSearchParams({ signedOn: q.signedOn, signerName: q.signerName });
  if (q.signerRole) query.set('signerRole', q.signerRole);
  const res = await fetch(`/api/agreement-signings/${signingId}/document?${query.toString()}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(file.name),
      ...csrfHeader(),
    },
    body: file,
    credentials: 'same-origin',
  });
  const body = (await res.json()) as AgreementSigning & { message?: string };
  if (!res.ok) throw new Error(body.message ?? String(res.status));
  return body;
}

/** The form a unit fills to upload its signed copy: date, signer, role, the file. */
function SignForm({ signing, onDone }: { signing: AgreementSigning; onDone: () => void }) {
  const { m } = usePlanI18n();
  const { message } = App.useApp();
  const [date, setDate] = useState(dayjs());
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const submit = async () => {
    if (!file || !name.trim()) return;
    setBusy(true);
    try {
      await uploadSigned(signing.id, file, {
        signedOn: date.format('YYYY-MM-DD'),
        signerName: name.trim(),
        signerRole: role.trim(),
      });
      void message.success(m('ag.uploaded'));
      onDone();
    } catch (err) {
      void message.error(isApiError(err) || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form layout="vertical" className="agreement-sign-form" data-testid="agreement-sign-form">
      <Form.Item label={m('ag.signedOn')} required>
        <DatePicker
          value={date}
          onChange={(d) => d && setDate(d)}
          disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          style={{ width: '100%' }}
        />
      </Form.Item>
      <Form.Item label={m('ag.signer')} required>
        <Input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={40}
          data-testid="agreement-signer"
        />
      </Form.Item>
      <Form.Item label={m('ag.role')}>
        <Input value={role} onChange={(e) => setRole(e.target.value)} maxLength={40} />
      </Form.Item>
      <Form.Item label={m('ag.document')} required extra={m('ag.documentHint')}>
        <input
          ref={input}
          type="file"
          accept="application/pdf,image/*"
          style={{ display: 'none' }}
          data-testid="agreement-file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <Button icon={<UploadOutlined />} onClick={() => input.current?.click()}>
          {file ? file.name : m('ag.chooseFile')}
        </Button>
      </Form.Item>
      <Button
        type="primary"
        block
        loading={busy}
        disabled={!file || !name.trim()}
        onClick={() => void submit()}
        data-testid="agreement-submit"
      >
        {m('ag.upload')}
      </Button>
    </Form>
  );
}

function FileLink({ s }: { s: AgreementSigning }) {
  return s.file ? (
    <a href={`/api/files/${s.file.id}`} target="_blank" rel="noreferrer">
      {s.file.contentType === 'application/pdf' ? 'PDF' : '图片'} · {s.file.name}
    </a>
  ) : null;
}

/** “本单位责任书”: cards a phone can work with. */
function MineTab() {
  const { m } = usePlanI18n();
  const r = useResource<{ items: AgreementSigning[] }>('/api/agreement-signings');
  const [open, setOpen] = useState<string | null>(null);
  const items = r.data?.items ?? [];
  if (!r.loading && items.length === 0)
    return <Typography.Text type="secondary">{m('ag.noneMine')}</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {items.map((s) => (
        <Card
          key={s.id}
          size="small"
          data-testid="agreement-mine"
          title={s.roundTitle}
          extra={<StatusOf s={s.status} />}
        >
          <div className="plan-reason">
            {s.issuerUnit.name}
            {'\u3000'}
            {s.unit.name}
            {s.dueOn ? `\u3000${m('ag.dueOn')}：${s.dueOn}` : ''}
          </div>
          {s.status === 'returned' ? (
            <Typography.Paragraph type="danger" style={{ margin: '6px 0' }}>
              {m('ag.returnedFor')}：{s.returnedReason}
            </Typography.Paragraph>
          ) : null}
          {s.signedOn ? (
            <div style={{ margin: '6px 0' }}>
              {s.signedOn} {s.signerName}
              {s.signerRole ? `（${s.signerRole}）` : ''} <FileLink s={s} />
            </div>
          ) : null}
          {s.canSign ? (
            open === s.id ? (
              <SignForm
                signing={s}
                onDone={() => {
                  setOpen(null);
                  r.reload();
                }}
              />
            ) : (
              <Button type="primary" onClick={() => setOpen(s.id)} data-testid="agreement-open-sign">
                {s.status === 'returned' ? m('ag.uploadAgain') : m('ag.upload')}
              </Button>
            )
          ) : null}
        </Card>
      ))}
    </Space>
  );
}

function IssueModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { m } = usePlanI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const kinds = useResource<{ items: AgreementKind[] }>(open ? '/api/agreement-kinds' : null);
  const [form] = Form.useForm<{
    kindId: string;
    year: number;
    title?: string;
    dueOn?: dayjs.Dayjs;
    note?: string;
  }>();
  const [busy, setBusy] = useState(false);
  const [newKind, setNewKind] = useState('');
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<AgreementRoundDetail>('/api/agreement-rounds', {
        issuerUnitId: me.unit.id,
        kindId: v.kindId,
        year: v.year,
        unitKind: me.unit.kind === 'city_bureau' ? 'county_bureau' : 'school',
        ...(v.title ? { title: v.title } : {}),
        ...(v.dueOn ? { dueOn: v.dueOn.format('YYYY-MM-DD') } : {}),
        ...(v.note ? { note: v.note } : {}),
      });
      onClose();
      void navigate(`/agreements/${r.id}`);
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const addKind = async () => {
    if (!newKind.trim()) return;
    try {
      const k = await api.post<AgreementKind>('/api/agreement-kinds', {
        ownerUnitId: me.unit.id,
        name: newKind.trim(),
      });
      setNewKind('');
      kinds.reload();
      form.setFieldValue('kindId', k.id);
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    }
  };
  return (
    <Modal
      open={open}
      title={m('ag.issue')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ year: dayjs().year() }}>
        <Form.Item name="kindId" label={m('ag.kind')} rules={[{ required: true }]}>
          <Select
            data-testid="agreement-kind"
            options={(kinds.data?.items ?? [])
              .filter((k) => k.active)
              .map((k) => ({ value: k.id, label: k.name }))}
            popupRender={(menu) => (
              <>
                {menu}
                <Space.Compact style={{ padding: 8, width: '100%' }}>
                  <Input
                    value={newKind}
                    onChange={(e) => setNewKind(e.target.value)}
                    placeholder={m('ag.newKind')}
                  />
                  <Button onClick={() => void addKind()}>{m('ag.addKind')}</Button>
                </Space.Compact>
              </>
            )}
          />
        </Form.Item>
        <Form.Item name="year" label={m('pl.year')} rules={[{ required: true }]}>
          <Select
            options={[0, 1].map((d) => ({ value: dayjs().year() + d, label: String(dayjs().year() + d) }))}
          />
        </Form.Item>
        <Form.Item name="title" label={m('pl.title')} extra={m('ag.titleHint')}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item name="dueOn" label={m('ag.dueOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={m('ag.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Typography.Text type="secondary">
          {me.unit.kind === 'city_bureau' ? m('ag.toCounties') : m('ag.toSchools')}
        </Typography.Text>
      </Form>
    </Modal>
  );
}

function RoundsTab() {
  const { m } = usePlanI18n();
  const r = useResource<{ items: AgreementRound[] }>('/api/agreement-rounds');
  return (
    <div className="plan-table-wrap">
      <Table<AgreementRound>
        rowKey="id"
        size="small"
        loading={r.loading}
        dataSource={r.data?.items ?? []}
        data-testid="agreement-rounds"
        columns={[
          {
            title: m('pl.title'),
            render: (_, x) => <Link to={`/agreements/${x.id}`}>{x.title}</Link>,
          },
          { title: m('ag.issuer'), render: (_, x) => x.issuerUnit.name, responsive: ['md'] },
          { title: m('pl.year'), dataIndex: 'year', width: 70, responsive: ['md'] },
          {
            title: m('ag.progress'),
            width: 190,
            render: (_, x) => (
              <span data-testid="agreement-round-count">
                <Progress
                  percent={x.counts.total ? Math.round((x.counts.signed / x.counts.total) * 100) : 0}
                  size="small"
                  format={() => `${x.counts.signed}/${x.counts.total}`}
                />
              </span>
            ),
          },
        ]}
      />
    </div>
  );
}

export function AgreementsPage() {
  const { m } = usePlanI18n();
  const me = useMe();
  const mine = useLocation().pathname === '/agreements/mine';
  const navigate = useNavigate();
  const [issuing, setIssuing] = useState(false);
  const canIssue = me.access.managePlans && me.unit.kind !== 'school';
  return (
    <>
      <PageHeader
        title={m('ag.title')}
        extra={
          canIssue ? (
            <Button type="primary" onClick={() => setIssuing(true)} data-testid="agreement-issue">
              {m('ag.issue')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Tabs
          activeKey={mine ? 'mine' : 'rounds'}
          onChange={(k) => navigate(k === 'mine' ? '/agreements/mine' : '/agreements')}
          items={[
            { key: 'rounds', label: m('ag.rounds'), children: <RoundsTab /> },
            { key: 'mine', label: m('ag.mine'), children: <MineTab /> },
          ]}
        />
      </Card>
      <IssueModal open={issuing} onClose={() => setIssuing(false)} />
    </>
  );
}

export function AgreementRoundPage() {
  const { m } = usePlanI18n();
  const { id } = useParams();
  const { message, modal } = App.useApp();
  const r = useResource<AgreementRoundDetail>(`/api/agreement-rounds/${id}`);
  const [onlyMissing, setOnlyMissing] = useState(false);
  const [signing, setSigning] = useState<AgreementSigning | null>(null);
  const d = r.data;
  const rows = (d?.signings ?? []).filter((s) => !onlyMissing || s.status !== 'signed');
  const returnIt = (s: AgreementSigning) => {
    let reason = '';
    modal.confirm({
      title: `${m('ag.return')}：${s.unit.name}`,
      content: (
        <Input.TextArea rows={3} onChange={(e) => (reason = e.target.value)} placeholder={m('ag.reason')} />
      ),
      onOk: async () => {
        if (!reason.trim()) {
          void message.error(m('ag.reasonNeeded'));
          throw new Error('reason');
        }
        await api.post(`/api/agreement-signings/${s.id}/return`, { reason: reason.trim() });
        r.reload();
      },
    });
  };
  return (
    <>
      <PageHeader
        title={d?.title ?? m('ag.title')}
        extra={
          d ? (
            <Button
              icon={<DownloadOutlined />}
              href={`/api/agreement-rounds/${d.id}/export`}
              data-testid="agreement-export"
            >
              {m('br.export')}
            </Button>
          ) : null
        }
      />
      {d ? (
        <Card>
          <div className="plan-reason" style={{ marginBottom: 8 }}>
            {d.issuerUnit.name}
            {'\u3000'}
            {d.kind.name}
            {d.dueOn ? `\u3000${m('ag.dueOn')}：${d.dueOn}` : ''}
          </div>
          {d.note ? <Typography.Paragraph>{d.note}</Typography.Paragraph> : null}
          <Space wrap style={{ marginBottom: 12 }} data-testid="agreement-counts">
            <Tag color="green">
              {m('ag.signed')} {d.counts.signed}
            </Tag>
            <Tag>
              {m('ag.pending')} {d.counts.pending}
            </Tag>
            <Tag color="red">
              {m('ag.returned')} {d.counts.returned}
            </Tag>
            <Typography.Text type="secondary">
              {m('ag.total')} {d.counts.total}
            </Typography.Text>
            <Checkbox
              checked={onlyMissing}
              onChange={(e) => setOnlyMissing(e.target.checked)}
              data-testid="agreement-missing"
            >
              {m('ag.onlyMissing')}
            </Checkbox>
          </Space>
          <div className="plan-table-wrap">
            <Table<AgreementSigning>
              rowKey="id"
              size="small"
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              dataSource={rows}
              data-testid="agreement-signings"
              columns={[
                { title: m('pl.unit'), render: (_, s) => s.unit.name },
                { title: m('pl.status'), width: 90, render: (_, s) => <StatusOf s={s.status} /> },
                { title: m('ag.signedOn'), dataIndex: 'signedOn', width: 110, responsive: ['md'] },
                {
                  title: m('ag.signer'),
                  responsive: ['md'],
                  render: (_, s) =>
                    s.signerName ? `${s.signerName}${s.signerRole ? `（${s.signerRole}）` : ''}` : '',
                },
                {
                  title: m('ag.document'),
                  render: (_, s) =>
                    s.status === 'returned' ? (
                      <Typography.Text type="danger">{s.returnedReason}</Typography.Text>
                    ) : (
                      <FileLink s={s} />
                    ),
                },
                {
                  title: '',
                  width: 90,
                  render: (_, s) =>
                    s.canReturn ? (
                      <Button size="small" danger onClick={() => returnIt(s)}>
                        {m('ag.return')}
                      </Button>
                    ) : s.canSign ? (
                      <Button size="small" type="primary" onClick={() => setSigning(s)}>
                        {m('ag.upload')}
                      </Button>
                    ) : null,
                },
              ]}
            />
          </div>
        </Card>
      ) : (
        <Card loading={r.loading}>{r.error}</Card>
      )}
      <Modal
        open={!!signing}
        footer={null}
        title={signing?.unit.name}
        onCancel={() => setSigning(null)}
        destroyOnHidden
      >
        {signing ? (
          <SignForm
            signing={signing}
            onDone={() => {
              setSigning(null);
              r.reload();
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}

export default AgreementsPage;
