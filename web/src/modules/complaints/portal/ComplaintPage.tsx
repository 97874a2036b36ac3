/**
 * 投诉举报 (public, no login): what it is about (a training institution found by name through the public
 * institution search, a school, or free text), the text, one optional photo (shrunk on the phone), the
 * mobile number, the captcha, and a hidden honeypot field. The answer is the tracking number.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Form,
  Input,
  Result,
  Segmented,
  Select,
  Space,
  Typography,
} from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import {
  COMPLAINT_CATEGORIES,
  complaintCategoryLabels,
  label,
  type Captcha,
  type ComplaintCategory,
  type PublicComplaintReceipt,
  type PublicComplaintTarget,
  type PublicInstitution,
  type PublicInstitutionPage,
} from '@dudao/contracts';
import { api, ApiError, isApiError } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { compressImage } from '../../../app/PhotoField.tsx';
import { useComplaintI18n } from '../messages.ts';
import './portal-complaints.css';

type Kind = 'institution' | 'school' | 'other';
interface Option {
  value: string;
  label: string;
  id: string;
}
interface Values {
  category: ComplaintCategory;
  subject?: string;
  title: string;
  content: string;
  phone: string;
  name?: string;
  captchaAnswer: string;
  website?: string;
}

async function uploadPhoto(file: File): Promise<string> {
  const dataUrl = await compressImage(file);
  const blob = await (await fetch(dataUrl)).blob();
  const res = await fetch('/api/public/complaints/photo', {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'photo.jpg' },
    body: blob,
  });
  const body = (await res.json()) as { id?: string; code?: string; message?: string };
  if (!res.ok || !body.id)
    throw new ApiError(res.status, body.code ?? 'UPLOAD', body.message ?? 'upload failed');
  return body.id;
}

export default function ComplaintPage() {
  const { m, lang } = useComplaintI18n();
  const feedback = useFeedback();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const initialInstitution = params.get('institutionId') ?? params.get('institution');
  const [kind, setKind] = useState<Kind>(initialInstitution ? 'institution' : 'school');
  const [options, setOptions] = useState<Option[]>([]);
  const [picked, setPicked] = useState<Option | null>(null);
  const [captcha, setCaptcha] = useState<Captcha | null>(null);
  const [photo, setPhoto] = useState<{ id: string; name: string } | null>(null);
  const [uploading, setUploading] = useState(false);
  const [sending, setSending] = useState(false);
  const [receipt, setReceipt] = useState<PublicComplaintReceipt | null>(null);
  const timer = useRef<number | undefined>(undefined);

  const loadCaptcha = useCallback(() => {
    api
      .get<Captcha>('/api/public/complaints/captcha')
      .then(setCaptcha)
      .catch((e: unknown) => feedback.error(e));
    form.setFieldValue('captchaAnswer', '');
  }, [feedback, form]);
  useEffect(loadCaptcha, [loadCaptcha]);

  // Arriving from an institution's public page (?institution=<id>): the institution is filled in and the
  // category set to 校外培训. An id the portal does not publish leaves the field for the parent to type.
  useEffect(() => {
    if (!initialInstitution) return;
    api
      .get<PublicInstitution>(`/api/public/institutions/${encodeURIComponent(initialInstitution)}`)
      .then((i) => {
        setPicked({ id: i.id, value: i.name, label: `${i.name}（${i.county}）` });
        form.setFieldsValue({ subject: i.name, category: 'training' });
      })
      .catch(() => setPicked(null));
  }, [initialInstitution, form]);

  const search = (q: string) => {
    window.clearTimeout(timer.current);
    setPicked(null);
    if (q.trim().length < 2) return setOptions([]);
    timer.current = window.setTimeout(() => {
      const load =
        kind === 'institution'
          ? api
              .get<PublicInstitutionPage>('/api/public/institutions', { q: q.trim(), pageSize: 10 })
              .then((p) =>
                p.items.map((i) => ({ id: i.id, value: i.name, label: `${i.name}（${i.county}）` })),
              )
          : api.get<PublicComplaintTarget[]>('/api/public/complaint-targets', { q: q.trim() }).then((list) =>
              list.map((u) => ({
                id: u.id,
                value: u.name,
                label: u.countyName ? `${u.name}（${u.countyName}）` : u.name,
              })),
            );
      // The institution search belongs to the training module; without it the name is kept as typed.
      load.then(setOptions).catch(() => setOptions([]));
    }, 250);
  };

  const submit = async (v: Values) => {
    if (!captcha) return;
    setSending(true);
    try {
      const r = await api.post<PublicComplaintReceipt>('/api/public/complaints', {
        category: v.category,
        ...(kind === 'school' && picked ? { unitId: picked.id } : {}),
        ...(kind === 'institution' && picked ? { institutionId: picked.id } : {}),
        ...(picked?.value || v.subject ? { subjectName: picked?.value || v.subject } : {}),
        title: v.title,
        content: v.content,
        phone: v.phone,
        ...(v.name ? { name: v.name } : {}),
        ...(photo ? { photoId: photo.id } : {}),
        captchaToken: captcha.token,
        captchaAnswer: v.captchaAnswer,
        ...(v.website ? { website: v.website } : {}),
      });
      setReceipt(r);
    } catch (e) {
      feedback.error(e, form, {
        CAPTCHA_WRONG: 'captchaAnswer',
        CAPTCHA_EXPIRED: 'captchaAnswer',
        CAPTCHA_USED: 'captchaAnswer',
      });
      if (isApiError(e) && e.code.startsWith('CAPTCHA')) loadCaptcha();
    } finally {
      setSending(false);
    }
  };

  if (receipt)
    return (
      <Card className="pc-card">
        <Result
          status="success"
          title={m('p.received')}
          subTitle={m('p.receivedText', { deadline: receipt.deadline })}
          extra={[
            <Typography.Title level={3} copyable key="no" data-testid="tracking-no" className="pc-tracking">
              {receipt.trackingNo}
            </Typography.Title>,
            <Link key="go" to={`/portal/track?no=${encodeURIComponent(receipt.trackingNo)}`}>
              <Button type="primary" data-testid="go-track">
                {m('p.goTrack')}
              </Button>
            </Link>,
          ]}
        />
      </Card>
    );

  return (
    <Card className="pc-card" title={m('p.formTitle')}>
      <Alert type="info" showIcon message={m('p.formIntro')} className="pc-intro" />
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        requiredMark={false}
        data-testid="complaint-form"
      >
        <Form.Item label={m('p.kind')}>
          <Segmented
            block
            value={kind}
            onChange={(k) => {
              setKind(k as Kind);
              setPicked(null);
              setOptions([]);
              form.setFieldValue('subject', '');
              if (k === 'institution') form.setFieldValue('category', 'training');
            }}
            options={[
              { value: 'institution', label: m('p.kindInstitution') },
              { value: 'school', label: m('p.kindSchool') },
              { value: 'other', label: m('p.kindOther') },
            ]}
            data-testid="pc-kind"
          />
        </Form.Item>
        <Form.Item
          name="subject"
          label={
            kind === 'institution' ? m('p.institution') : kind === 'school' ? m('p.school') : m('p.subject')
          }
          rules={[{ required: kind !== 'other', message: m('p.required') }]}
        >
          {kind === 'other' ? (
            <Input maxLength={100} />
          ) : (
            <AutoComplete
              options={options}
              onSearch={search}
              onSelect={(_v: string, o: Option) => setPicked(o)}
              placeholder={kind === 'institution' ? m('p.institutionPh') : m('p.schoolPh')}
              data-testid="pc-subject"
            />
          )}
        </Form.Item>
        <Form.Item
          name="category"
          label={m('c.category')}
          rules={[{ required: true, message: m('p.required') }]}
          initialValue={initialInstitution ? 'training' : undefined}
        >
          <Select
            data-testid="pc-category"
            options={COMPLAINT_CATEGORIES.map((c) => ({
              value: c,
              label: label(complaintCategoryLabels, c, lang),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={m('p.title')}
          rules={[{ required: true, min: 2, max: 100, message: m('p.required') }]}
        >
          <Input maxLength={100} data-testid="pc-title" />
        </Form.Item>
        <Form.Item
          name="content"
          label={m('p.content')}
          rules={[{ required: true, min: 10, max: 2000, message: m('p.contentPh') }]}
        >
          <Input.TextArea
            rows={5}
            maxLength={2000}
            showCount
            placeholder={m('p.contentPh')}
            data-testid="pc-content"
          />
        </Form.Item>
        <Form.Item label={m('p.photo')}>
          <Space wrap>
            <input
              type="file"
              accept="image/*"
              data-testid="pc-photo"
              disabled={uploading}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (!f) return;
                setUploading(true);
                uploadPhoto(f)
                  .then((id) => setPhoto({ id, name: f.name }))
                  .catch((err: unknown) => feedback.error(err))
                  .finally(() => setUploading(false));
              }}
            />
            {photo ? <Typography.Text type="success">✓ {photo.name}</Typography.Text> : null}
          </Space>
        </Form.Item>
        <Form.Item
          name="phone"
          label={m('p.phone')}
          rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: m('p.phoneBad') }]}
        >
          <Input inputMode="numeric" maxLength={11} data-testid="pc-phone" />
        </Form.Item>
        <Form.Item name="name" label={m('p.name')}>
          <Input maxLength={32} />
        </Form.Item>
        {/* The honeypot: hidden from people (and from screen readers); scripts fill every field they find. */}
        <div className="pc-hp" aria-hidden="true">
          <Form.Item name="website" label="Website">
            <Input tabIndex={-1} autoComplete="off" />
          </Form.Item>
        </div>
        <Form.Item label={m('p.captcha')} required>
          <Space align="center" wrap>
            <span
              className="pc-captcha"
              data-testid="pc-captcha"
              // The server's own SVG (digits and operators only, escaped).
              dangerouslySetInnerHTML={{ __html: captcha?.svg ?? '' }}
            />
            <Button icon={<ReloadOutlined />} onClick={loadCaptcha}>
              {m('p.refresh')}
            </Button>
            <Form.Item name="captchaAnswer" noStyle rules={[{ required: true, message: m('p.required') }]}>
              <Input
                inputMode="numeric"
                maxLength={4}
                style={{ width: 120 }}
                placeholder={m('p.captchaPh')}
                data-testid="pc-captcha-answer"
              />
            </Form.Item>
          </Space>
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          size="large"
          loading={sending}
          disabled={uploading}
          data-testid="pc-submit"
        >
          {m('p.submit')}
        </Button>
      </Form>
    </Card>
  );
}
