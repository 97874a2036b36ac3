import { useState } from 'react';
import { Alert, Button, Form, Input, QRCode, Steps, Typography } from 'antd';
import type { TotpSetupResponse } from '@dudao/contracts';
import { api, type Infer } from '../../../app/api.ts';
import { useAuth } from '../../../app/auth.tsx';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';

type Setup = Infer<typeof TotpSetupResponse>;

/** POST /api/auth/totp/setup → QR code and secret; POST /api/auth/totp/enable {code}; reload the session. */
export function TotpEnroll({ onDone }: { onDone?: () => void }) {
  const { t } = useI18n();
  const { reload } = useAuth();
  const feedback = useFeedback();
  const [form] = Form.useForm<{ code: string }>();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    try {
      setSetup(await api.post<Setup>('/api/auth/totp/setup'));
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };

  const enable = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      await api.post('/api/auth/totp/enable', { code });
      feedback.success(t('totp.done'));
      await reload();
      onDone?.();
    } catch (err) {
      feedback.error(err, form, { TOTP_INVALID: 'code' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Alert type="info" showIcon title={t('totp.hint')} className="form-alert" />
      <Steps
        size="small"
        current={setup ? 1 : 0}
        items={[{ title: t('totp.step1') }, { title: t('totp.step2') }]}
        className="totp-steps"
      />
      {setup ? (
        <>
          <div className="totp-qr">
            <QRCode value={setup.otpauthUrl} size={184} bordered data-testid="totp-qr" />
          </div>
          <Typography.Paragraph type="secondary" className="totp-secret-label">
            {t('totp.secret')}
          </Typography.Paragraph>
          <Typography.Paragraph className="mono totp-secret" copyable={{ text: setup.secret }}>
            <span data-testid="totp-secret">{setup.secret}</span>
          </Typography.Paragraph>
          <Form<{ code: string }>
            form={form}
            layout="vertical"
            onFinish={(v) => void enable(v)}
            requiredMark={false}
          >
            <Form.Item
              name="code"
              label={t('totp.code')}
              rules={[
                { required: true, message: t('common.required') },
                { pattern: /^\d{6}$/, message: t('valid.totp') },
              ]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} data-testid="totp-code" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="totp-enable">
              {t('totp.enable')}
            </Button>
          </Form>
        </>
      ) : (
        <Button type="primary" block onClick={() => void start()} loading={busy} data-testid="totp-start">
          {t('totp.start')}
        </Button>
      )}
    </div>
  );
}
