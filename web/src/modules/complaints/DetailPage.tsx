/**
 * One complaint: what was said, where it stands, the timeline (public steps and internal ones marked), and
 * the actions the server says the actor may take now — accept, reply, route/transfer, send back, close,
 * merge a duplicate, raise a finding, an internal note, and the audited reveal of the phone.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Result,
  Select,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import {
  complaintCategoryLabels,
  complaintChannelLabels,
  complaintEventLabels,
  FINDING_SEVERITIES,
  findingSeverityLabels,
  label,
  satisfactionLabels,
  type ComplaintDetail,
  type ComplaintPage,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { formatDateTime } from '../../app/format.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { StatusTag } from './InboxPage.tsx';
import { useComplaintI18n } from './messages.ts';
import './complaints.css';

type Dialog = null | 'reply' | 'route' | 'return' | 'close' | 'merge' | 'finding' | 'note';

export default function DetailPage() {
  const { id = '' } = useParams();
  const { m, lang } = useComplaintI18n();
  const feedback = useFeedback();
  const [c, setC] = useState<ComplaintDetail | null | 'missing'>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [phone, setPhone] = useState<{ phone: string | null; complainantName: string | null } | null>(null);
  const [form] = Form.useForm<Record<string, string>>();

  const load = useCallback(() => {
    api
      .get<ComplaintDetail>(`/api/complaints/${id}`)
      .then(setC)
      .catch((e: unknown) => {
        if (isApiError(e) && e.status === 404) setC('missing');
        else feedback.error(e);
      });
  }, [id, feedback]);
  useEffect(load, [load]);

  const act = async (path: string, body: object = {}) => {
    setBusy(true);
    try {
      if (path === 'return') {
        await api.post(`/api/complaints/${id}/return`, body);
        setDialog(null);
        feedback.success(m('c.done'));
        setC('missing');
        return;
      }
      setC(await api.post<ComplaintDetail>(`/api/complaints/${id}/${path}`, body));
      setDialog(null);
      form.resetFields();
      feedback.success(m('c.done'));
    } catch (e) {
      feedback.error(e, form);
    } finally {
      setBusy(false);
    }
  };

  const submitDialog = async (v: Record<string, string>) => {
    if (dialog === 'merge') {
      // The primary may be given by its tracking number.
      let intoId = v.intoId?.trim() ?? '';
      if (!/^[0-9a-f-]{36}$/i.test(intoId)) {
        const found = await api
          .get<ComplaintPage>('/api/complaints', { q: intoId, pageSize: 1 })
          .catch(() => null);
        intoId = found?.items[0]?.id ?? intoId;
      }
      return act('merge', { intoId, ...(v.note ? { note: v.note } : {}) });
    }
    if (dialog === 'reply') return act('reply', { reply: v.reply });
    if (dialog === 'route') return act('route', { unitId: v.unitId, ...(v.note ? { note: v.note } : {}) });
    if (dialog === 'return') return act('return', { note: v.note });
    if (dialog === 'close') return act('close', v.note ? { note: v.note } : {});
    if (dialog === 'note') return act('note', { note: v.note });
    if (dialog === 'finding') return act('finding', { severity: v.severity, title: v.title });
  };

  const reveal = async () => {
    try {
      setPhone(await api.post(`/api/complaints/${id}/reveal-phone`));
      feedback.success(m('c.revealed'));
    } catch (e) {
      feedback.error(e);
    }
  };

  if (c === 'missing')
    return (
      <Result status="404" title={m('c.notFound')} extra={<Link to="/complaints">{m('c.inbox')}</Link>} />
    );
  if (!c) return <Skeleton active />;

  const can = c.can;
  return (
    <div data-testid="complaint-detail">
      <PageHeader
        title={c.title}
        crumbs={[{ title: m('c.inbox'), to: '/complaints' }]}
        extra={
          <>
            {can.accept ? (
              <Button type="primary" loading={busy} onClick={() => void act('accept')} data-testid="c-accept">
                {m('c.accept')}
              </Button>
            ) : null}
            {can.reply ? (
              <Button type="primary" onClick={() => setDialog('reply')} data-testid="c-reply">
                {m('c.doReply')}
              </Button>
            ) : null}
            {can.route ? (
              <Button onClick={() => setDialog('route')} data-testid="c-route">
                {m('c.route')}
              </Button>
            ) : null}
            {can.returnToDesk ? <Button onClick={() => setDialog('return')}>{m('c.return')}</Button> : null}
            {can.close ? <Button onClick={() => setDialog('close')}>{m('c.close')}</Button> : null}
            {can.merge ? <Button onClick={() => setDialog('merge')}>{m('c.merge')}</Button> : null}
            {can.raiseFinding ? <Button onClick={() => setDialog('finding')}>{m('c.finding')}</Button> : null}
            <Button onClick={() => setDialog('note')}>{m('c.note')}</Button>
          </>
        }
      />
      <Card size="small">
        <Descriptions column={{ xs: 1, sm: 1, md: 2, lg: 3 }} size="small">
          <Descriptions.Item label={m('c.trackingNo')}>{c.trackingNo}</Descriptions.Item>
          {c.hotlineNo ? <Descriptions.Item label={m('c.hotlineNo')}>{c.hotlineNo}</Descriptions.Item> : null}
          <Descriptions.Item label={m('c.status')}>
            <StatusTag c={c} />
            {c.reopenCount > 0 ? <Tag color="orange">{m('c.reopened', { n: c.reopenCount })}</Tag> : null}
          </Descriptions.Item>
          <Descriptions.Item label={m('c.channel')}>
            {label(complaintChannelLabels, c.channel, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={m('c.category')}>
            {label(complaintCategoryLabels, c.category, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={m('c.subject')}>{c.subjectName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={m('c.desk')}>{c.deskUnitName}</Descriptions.Item>
          <Descriptions.Item label={m('c.unit')}>{c.unitName}</Descriptions.Item>
          <Descriptions.Item label={m('c.received')}>{c.receivedOn}</Descriptions.Item>
          <Descriptions.Item label={m('c.deadline')}>{c.deadline}</Descriptions.Item>
          <Descriptions.Item label={m('c.name')}>
            {phone?.complainantName ?? c.complainantMasked ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={m('c.phone')}>
            <Space>
              <span data-testid="c-phone">{phone?.phone ?? c.phoneMasked ?? '—'}</span>
              {can.revealPhone && !phone ? (
                <Button size="small" onClick={() => void reveal()} data-testid="c-reveal">
                  {m('c.reveal')}
                </Button>
              ) : null}
            </Space>
          </Descriptions.Item>
          {c.satisfaction ? (
            <Descriptions.Item label={m('c.satisfaction')}>
              {label(satisfactionLabels, c.satisfaction, lang)}
              {c.satisfactionNote ? `（${c.satisfactionNote}）` : ''}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        <Typography.Paragraph className="c-text">{c.content}</Typography.Paragraph>
        {c.files.length > 0 ? (
          <Space wrap>
            {c.files.map((f) => (
              <a key={f.id} href={`/api/files/${f.id}`} target="_blank" rel="noreferrer">
                <img src={`/api/files/${f.id}`} alt={f.name} className="c-photo" />
              </a>
            ))}
          </Space>
        ) : null}
        {c.reply ? (
          <Card
            size="small"
            type="inner"
            title={`${m('c.reply')}（${c.repliedOn ?? ''}）`}
            style={{ marginTop: 12 }}
          >
            <Typography.Paragraph className="c-text" data-testid="c-reply-text">
              {c.reply}
            </Typography.Paragraph>
          </Card>
        ) : null}
        {c.mergedIntoId ? (
          <Typography.Paragraph style={{ marginTop: 12 }}>
            <Link to={`/complaints/${c.mergedIntoId}`}>{m('c.mergedInto')}</Link>
          </Typography.Paragraph>
        ) : null}
        {c.duplicates.length > 0 ? (
          <Typography.Paragraph style={{ marginTop: 12 }}>
            {m('c.duplicates')}：
            {c.duplicates.map((d) => (
              <Link key={d.id} to={`/complaints/${d.id}`} style={{ marginRight: 8 }}>
                {d.trackingNo}
              </Link>
            ))}
          </Typography.Paragraph>
        ) : null}
        {c.findingIds.length > 0 ? (
          <Typography.Paragraph>
            {m('c.findings')}：
            {c.findingIds.map((f, i) => (
              <Link key={f} to={`/findings/${f}`} style={{ marginRight: 8 }}>
                #{i + 1}
              </Link>
            ))}
          </Typography.Paragraph>
        ) : null}
      </Card>
      <Card size="small" title={m('c.timeline')} style={{ marginTop: 12 }}>
        <Timeline
          items={[...c.timeline].reverse().map((e) => ({
            color: e.public ? 'blue' : 'gray',
            children: (
              <>
                <Space size={6} wrap>
                  <Typography.Text strong>{label(complaintEventLabels, e.kind, lang)}</Typography.Text>
                  {e.unitName ? <Typography.Text>{e.unitName}</Typography.Text> : null}
                  {e.actorName ? <Typography.Text type="secondary">{e.actorName}</Typography.Text> : null}
                  {!e.public ? <Tag>{m('c.internal')}</Tag> : null}
                </Space>
                {e.note ? <div className="c-text">{e.note}</div> : null}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(e.at)}
                  </Typography.Text>
                </div>
              </>
            ),
          }))}
        />
      </Card>
      <Modal
        open={dialog !== null}
        title={
          dialog
            ? {
                reply: m('c.doReply'),
                route: m('c.route'),
                return: m('c.return'),
                close: m('c.close'),
                merge: m('c.merge'),
                finding: m('c.finding'),
                note: m('c.note'),
              }[dialog]
            : ''
        }
        onCancel={() => setDialog(null)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submitDialog(v)} preserve={false}>
          {dialog === 'reply' ? (
            <Form.Item name="reply" label={m('c.reply')} rules={[{ required: true, min: 5 }]}>
              <Input.TextArea rows={6} maxLength={4000} data-testid="c-reply-input" />
            </Form.Item>
          ) : null}
          {dialog === 'route' ? (
            <Form.Item name="unitId" label={m('c.routeTo')} rules={[{ required: true }]}>
              <UnitTreeSelect data-testid="c-route-unit" />
            </Form.Item>
          ) : null}
          {dialog === 'merge' ? (
            <Form.Item name="intoId" label={m('c.mergeInto')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          ) : null}
          {dialog === 'finding' ? (
            <>
              <Form.Item
                name="severity"
                label={m('c.severity')}
                initialValue="general"
                rules={[{ required: true }]}
              >
                <Select
                  options={FINDING_SEVERITIES.map((s) => ({
                    value: s,
                    label: label(findingSeverityLabels, s, lang),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="title"
                label={m('c.findingTitle')}
                initialValue={c.title}
                rules={[{ required: true, min: 2 }]}
              >
                <Input maxLength={100} />
              </Form.Item>
            </>
          ) : null}
          {dialog && ['route', 'return', 'close', 'merge', 'note'].includes(dialog) ? (
            <Form.Item
              name="note"
              label={dialog === 'note' ? m('c.note') : m('c.reason')}
              rules={[{ required: dialog === 'return' || dialog === 'note' }]}
            >
              <Input.TextArea rows={3} maxLength={300} />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </div>
  );
}
