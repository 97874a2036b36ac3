import { useRef, useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import type { InputRef } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../../../app/auth.tsx';
import { isApiError } from '../../../app/api.ts';
import { useI18n } from '../../../app/i18n.tsx';

interface Values {
  username: string;
  password: string;
  totp?: string;
}

/** Username and password; a 6-digit one-time code appears when the server asks for it (TOTP_REQUIRED). */
export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const { t } = useI18n();
  const { login } = useAuth();
  const [form] = Form.useForm<Values>();
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<{ text: string; type: 'error' | 'warning' } | null>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<InputRef>(null);

  const onFinish = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      await login({
        username: values.username.trim(),
        password: values.password,
        ...(needTotp && values.totp ? { totp: values.totp } : {}),
      });
      onSuccess();
    } catch (err) {
      if (isApiError(err)) {
        if (err.code === 'TOTP_REQUIRED') {
          setNeedTotp(true);
          window.setTimeout(() => totpRef.current?.focus(), 50);
        } else {
          const type = err.status === 423 || err.status === 429 ? 'warning' : 'error';
          setError({ text: err.message, type });
          if (needTotp && /TOTP/.test(err.code)) form.setFieldValue('totp', '');
          else form.setFieldValue('password', '');
        }
      } else {
        setError({ text: t('result.error'), type: 'error' });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={(v) => void onFinish(v)}
      requiredMark={false}
      size="large"
    >
      {error ? (
        <Alert
          type={error.type}
          title={error.text}
          showIcon
          className="form-alert"
          data-testid="login-error"
        />
      ) : null}
      <Form.Item
        name="username"
        label={t('login.username')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Input
          prefix={<UserOutlined />}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          data-testid="login-username"
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('login.password')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="current-password"
          data-testid="login-password"
        />
      </Form.Item>
      {needTotp ? (
        <>
          <Alert type="info" title={t('login.totpHint')} showIcon className="form-alert" />
          <Form.Item
            name="totp"
            label={t('login.totp')}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: /^\d{6}$/, message: t('valid.totp') },
            ]}
          >
            <Input
              ref={totpRef}
              prefix={<SafetyOutlined />}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              data-testid="login-totp"
            />
          </Form.Item>
        </>
      ) : null}
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
        {t('login.submit')}
      </Button>
    </Form>
  );
}
