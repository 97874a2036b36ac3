/** 新建令牌: POST /api/tokens {name, days?} → {token, apiToken}; the token is handed back once. */
import { useState } from 'react';
import { Form, Input, InputNumber, Modal } from 'antd';
import { plainName, type ApiTokenCreated } from '@dudao/contracts';
import { api, type Infer } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { schemaRule } from '../../../app/validation.ts';

interface Values {
  name: string;
  days?: number | null;
}

const nameSchema = plainName(64);

export function TokenCreateModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (created: Infer<typeof ApiTokenCreated>) => void;
}) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const created = await api.post<Infer<typeof ApiTokenCreated>>('/api/tokens', {
        name: v.name.trim(),
        ...(v.days ? { days: v.days } : {}),
      });
      onCreated(created);
    } catch (err) {
      feedback.error(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('tokens.create')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okButtonProps={{ loading: busy }}
      okText={t('common.create')}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ days: 365 }}>
        <Form.Item
          name="name"
          label={t('tokens.name')}
          rules={[
            { required: true, whitespace: true, message: t('common.required') },
            schemaRule(nameSchema, t),
          ]}
        >
          <Input maxLength={64} data-testid="token-form-name" />
        </Form.Item>
        <Form.Item name="days" label={t('tokens.days')} extra={t('tokens.daysHint')}>
          <InputNumber
            min={1}
            max={3650}
            precision={0}
            className="full-width"
            data-testid="token-form-days"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
