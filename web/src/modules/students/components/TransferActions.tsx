/**
 * 接收 / 退回 / 撤销 a transfer, offered as the server's `actions` flags allow: the receiving school
 * confirms or rejects (with a reason), the leaving school cancels its own open request.
 */
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Popconfirm, Space } from 'antd';
import { freeText, type Transfer } from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { schemaRule } from '../../../app/validation.ts';
import { useStudentI18n } from '../messages.ts';

const reasonSchema = freeText(200);

interface Props {
  transfer: Transfer;
  onDone: (transfer: Transfer) => void;
  size?: 'small' | 'middle';
}

export function TransferActions({ transfer, onDone, size = 'small' }: Props) {
  const { t, s } = useStudentI18n();
  const feedback = useFeedback();
  const [busy, setBusy] = useState<'confirm' | 'reject' | 'cancel' | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const { actions } = transfer;
  if (!actions.confirm && !actions.reject && !actions.cancel) return null;

  const decide = async (decision: 'confirm' | 'reject' | 'cancel', reason?: string) => {
    setBusy(decision);
    try {
      const saved = await api.post<Transfer>(
        `/api/transfers/${transfer.id}/${decision}`,
        reason ? { reason } : {},
      );
      feedback.success(
        s(decision === 'confirm' ? 'tr.confirmed' : decision === 'reject' ? 'tr.rejected' : 'tr.cancelled'),
      );
      setRejecting(false);
      setConfirming(false);
      onDone(saved);
    } catch (err) {
      feedback.error(err, decision === 'reject' ? form : undefined);
    } finally {
      setBusy(null);
    }
  };

  const reject = async () => {
    const { reason } = await form.validateFields();
    await decide('reject', reason.trim());
  };

  return (
    <>
      <Space size={0} wrap className="row-actions">
        {actions.confirm ? (
          <Button
            type="link"
            size={size}
            loading={busy === 'confirm'}
            onClick={() => setConfirming(true)}
            data-testid="transfer-confirm"
          >
            {s('tr.confirm')}
          </Button>
        ) : null}
        {actions.reject ? (
          <Button
            type="link"
            size={size}
            danger
            onClick={() => setRejecting(true)}
            data-testid="transfer-reject"
          >
            {s('tr.reject')}
          </Button>
        ) : null}
        {actions.cancel ? (
          <Popconfirm
            title={s('tr.cancelTitle', { name: transfer.student.name })}
            onConfirm={() => decide('cancel')}
            okButtonProps={{ danger: true }}
          >
            <Button type="link" size={size} loading={busy === 'cancel'} data-testid="transfer-cancel">
              {s('tr.cancel')}
            </Button>
          </Popconfirm>
        ) : null}
      </Space>
      <Modal
        open={confirming}
        title={s('tr.confirmTitle', { name: transfer.student.name, school: transfer.toSchool.name })}
        okText={s('tr.confirm')}
        okButtonProps={{ loading: busy === 'confirm' }}
        onOk={() => void decide('confirm')}
        onCancel={() => setConfirming(false)}
        destroyOnHidden
      >
        <Alert type="info" showIcon title={s('tr.confirmHint')} />
      </Modal>
      <Modal
        open={rejecting}
        title={s('tr.rejectTitle', { name: transfer.student.name })}
        okText={s('tr.reject')}
        okButtonProps={{ danger: true, loading: busy === 'reject' }}
        onOk={() => void reject().catch(() => undefined)}
        onCancel={() => setRejecting(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={s('tr.rejectReason')}
            rules={[
              { required: true, whitespace: true, message: t('common.reasonRequired') },
              schemaRule(reasonSchema, t),
            ]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount data-testid="transfer-reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
