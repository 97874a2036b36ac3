/**
 * 进度查询 (public): the tracking number and the last four digits of the phone give the status, the public
 * steps, the reply, and — once replied — the satisfaction form. Nothing personal is ever shown here.
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Radio,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import {
  complaintCategoryLabels,
  complaintStatusLabels,
  label,
  satisfactionLabels,
  SATISFACTIONS,
  type PublicComplaintView,
  type Satisfaction,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useComplaintI18n } from '../messages.ts';
import './portal-complaints.css';

/** The public are in China whatever the device's zone says. */
const chinaTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    dateStyle: 'short',
    timeStyle: 'short',
  });

const STATUS_COLOR: Record<string, string> = {
  received: 'default',
  routed: 'processing',
  accepted: 'processing',
  replied: 'warning',
  closed: 'success',
  merged: 'default',
};

export default function TrackPage() {
  const { m, lang } = useComplaintI18n();
  const feedback = useFeedback();
  const [params] = useSearchParams();
  const [form] = Form.useForm<{ trackingNo: string; phoneLast4: string }>();
  const [view, setView] = useState<PublicComplaintView | null>(null);
  const [key, setKey] = useState<{ trackingNo: string; phoneLast4: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const [rating, setRating] = useState<{ satisfaction?: Satisfaction; note: string }>({ note: '' });

  const look = async (v: { trackingNo: string; phoneLast4: string }) => {
    setLoading(true);
    try {
      const req = { trackingNo: v.trackingNo.trim().toUpperCase(), phoneLast4: v.phoneLast4.trim() };
      setView(await api.post<PublicComplaintView>('/api/public/complaints/track', req));
      setKey(req);
    } catch (e) {
      setView(null);
      feedback.error(e);
    } finally {
      setLoading(false);
    }
  };

  const rate = async () => {
    if (!key || !rating.satisfaction) return;
    setLoading(true);
    try {
      setView(
        await api.post<PublicComplaintView>('/api/public/complaints/rate', {
          ...key,
          satisfaction: rating.satisfaction,
          ...(rating.note.trim() ? { note: rating.note.trim() } : {}),
        }),
      );
      feedback.success(m('p.rated'));
    } catch (e) {
      feedback.error(e);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Card className="pc-card" title={m('p.trackTitle')}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ trackingNo: params.get('no') ?? '' }}
        onFinish={(v) => void look(v)}
        requiredMark={false}
      >
        <Form.Item
          name="trackingNo"
          label={m('c.trackingNo')}
          rules={[{ required: true, message: m('p.required') }]}
        >
          <Input maxLength={32} autoComplete="off" data-testid="pt-no" />
        </Form.Item>
        <Form.Item
          name="phoneLast4"
          label={m('p.last4')}
          rules={[{ required: true, pattern: /^\d{4}$/, message: m('p.last4') }]}
        >
          <Input inputMode="numeric" maxLength={4} style={{ maxWidth: 160 }} data-testid="pt-last4" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={loading} block data-testid="pt-query">
          {m('p.query')}
        </Button>
      </Form>

      {view ? (
        <div className="pc-timeline" data-testid="pt-result">
          {view.merged ? (
            <Alert type="info" showIcon message={m('p.merged')} style={{ marginBottom: 12 }} />
          ) : null}
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={m('c.trackingNo')}>{view.trackingNo}</Descriptions.Item>
            <Descriptions.Item label={m('p.title')}>{view.title}</Descriptions.Item>
            <Descriptions.Item label={m('c.category')}>
              {label(complaintCategoryLabels, view.category, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={m('p.status')}>
              <Tag color={STATUS_COLOR[view.status]} data-testid="pt-status">
                {label(complaintStatusLabels, view.status, lang)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={m('c.received')}>{view.receivedOn}</Descriptions.Item>
            <Descriptions.Item label={m('c.deadline')}>{view.deadline}</Descriptions.Item>
            {view.unitName ? (
              <Descriptions.Item label={m('p.unit')}>{view.unitName}</Descriptions.Item>
            ) : null}
            {view.satisfaction ? (
              <Descriptions.Item label={m('c.satisfaction')}>
                {label(satisfactionLabels, view.satisfaction, lang)}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {view.reply ? (
            <Card size="small" title={`${m('p.reply')}（${view.repliedOn ?? ''}）`} style={{ marginTop: 12 }}>
              <Typography.Paragraph className="pc-reply" data-testid="pt-reply">
                {view.reply}
              </Typography.Paragraph>
            </Card>
          ) : null}
          {view.canRate ? (
            <Card size="small" title={m('p.rateTitle')} style={{ marginTop: 12 }} data-testid="pt-rate">
              <Space direction="vertical" style={{ width: '100%' }}>
                <Radio.Group
                  value={rating.satisfaction}
                  onChange={(e) => setRating((r) => ({ ...r, satisfaction: e.target.value as Satisfaction }))}
                  optionType="button"
                  options={SATISFACTIONS.map((s) => ({
                    value: s,
                    label: label(satisfactionLabels, s, lang),
                  }))}
                />
                <Input.TextArea
                  rows={2}
                  maxLength={300}
                  placeholder={m('p.rateNote')}
                  value={rating.note}
                  onChange={(e) => setRating((r) => ({ ...r, note: e.target.value }))}
                />
                <Button
                  type="primary"
                  disabled={!rating.satisfaction}
                  loading={loading}
                  onClick={() => void rate()}
                >
                  {m('p.rate')}
                </Button>
              </Space>
            </Card>
          ) : null}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {m('c.timeline')}
          </Typography.Title>
          <Timeline
            items={[...view.timeline].reverse().map((e) => ({
              children: (
                <>
                  <div>{e.text}</div>
                  <Typography.Text type="secondary">{chinaTime(e.at)}</Typography.Text>
                </>
              ),
            }))}
          />
        </div>
      ) : null}
    </Card>
  );
}
