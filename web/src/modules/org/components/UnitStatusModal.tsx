/** 停用 / 启用 a unit, with the reason the audit trail records. */
import { useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { freeText, type Unit } from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { schemaRule } from '../../../app/validation.ts';

interface Props {
  unit: Unit;
  action: 'disable' | 'enable';
  onClose: () => void;
  onDone: () => void;
}

const reasonSchema = freeText(200);

export function UnitStatusModal({ unit, action, onClose, onDone }: Props) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await api.post<Unit>(`/api/units/${unit.id}/${action}`, { reason: reason.trim() });
      feedback.success(action === 'disable' ? t('org.disabled') : t('org.enabled'));
      onDone();
    } catch (err) {
      feedback.error(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t(action === 'disable' ? 'org.disableTitle' : 'org.enableTitle', { name: unit.name })}
      okText={action === 'disable' ? t('common.disable') : t('common.enable')}
      okButtonProps={{ danger: action === 'disable', loading: busy }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      {action === 'disable' ? (
        <Alert type="warning" showIcon title={t('org.disableHint')} className="form-alert" />
      ) : null}
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[
            { required: true, whitespace: true, message: t('common.reasonRequired') },
            schemaRule(reasonSchema, t),
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount data-testid="unit-status-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
