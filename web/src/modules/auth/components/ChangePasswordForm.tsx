import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { api } from '../../../app/api.ts';
import { useAuth } from '../../../app/auth.tsx';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { meetsPolicy } from './password.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

const FIELD_OF_CODE: Record<string, keyof Values> = {
  WRONG_PASSWORD: 'currentPassword',
  PASSWORD_REUSED: 'newPassword',
  WEAK_PASSWORD: 'newPassword',
  PASSWORD_POLICY: 'newPassword',
};

/** Current + new + confirm; POST /api/auth/password, then reload the session. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useI18n();
  const { reload } = useAuth();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const onFinish = async (values: Values) => {
    setBusy(true);
    try {
      await api.post('/api/auth/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      feedback.success(t('pwd.done'));
      form.resetFields();
      await reload();
      onDone?.();
    } catch (err) {
      feedback.error(err, form, FIELD_OF_CODE);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false}>
      <Alert type="info" title={t('valid.passwordPolicy')} showIcon className="form-alert" />
      <Form.Item
        name="currentPassword"
        label={t('pwd.current')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Input.Password autoComplete="current-password" data-testid="pwd-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('pwd.new')}
        dependencies={['currentPassword']}
        rules={[
          { required: true, message: t('common.required') },
          {
            validator: (_, value: string | undefined) =>
              !value || meetsPolicy(value)
                ? Promise.resolve()
                : Promise.reject(new Error(t('valid.passwordPolicy'))),
          },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || value !== getFieldValue('currentPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('valid.passwordSame'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pwd-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('pwd.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('valid.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pwd-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="pwd-submit">
        {t('pwd.submit')}
      </Button>
    </Form>
  );
}
