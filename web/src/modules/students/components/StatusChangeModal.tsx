/**
 * 学籍变动: 休学 / 复学 / 毕业 / 死亡 / 转出（平台外）with its date and reason (POST /api/students/:id/status).
 * Only the changes the registry allows from the current status are offered; 辍学 never is (the dropout
 * module records it).
 */
import { useState } from 'react';
import { Alert, Form, Input, Modal, Radio } from 'antd';
import {
  freeText,
  label,
  statusEventKindLabels,
  type StatusEventKind,
  type StudentDetail,
  type StudentStatus,
  type StudentStatusChange,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { schemaRule } from '../../../app/validation.ts';
import { useStudentI18n } from '../messages.ts';
import { chinaToday } from './labels.tsx';

/** What each status may change to here, with the event it makes (as the server's rules). */
const CHANGES: Record<StudentStatus, { to: StudentStatus; kind: StatusEventKind }[]> = {
  enrolled: [
    { to: 'suspended', kind: 'suspend' },
    { to: 'graduated', kind: 'graduate' },
    { to: 'transferred_out', kind: 'transfer_out' },
    { to: 'deceased', kind: 'decease' },
  ],
  suspended: [
    { to: 'enrolled', kind: 'resume' },
    { to: 'transferred_out', kind: 'transfer_out' },
    { to: 'deceased', kind: 'decease' },
  ],
  transferred_out: [{ to: 'enrolled', kind: 'transfer_in' }],
  graduated: [],
  deceased: [],
  dropped_out: [],
};

export function statusChangesFrom(status: StudentStatus) {
  return CHANGES[status];
}

const reasonSchema = freeText(200);

interface Values {
  status: StudentStatus;
  effectiveOn: string;
  reason: string;
}

interface Props {
  student: StudentDetail;
  onClose: () => void;
  onDone: (student: StudentDetail) => void;
}

export function StatusChangeModal({ student, onClose, onDone }: Props) {
  const { t, s, lang } = useStudentI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const options = CHANGES[student.status];
  const today = chinaToday();

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body: StudentStatusChange = {
        status: v.status,
        effectiveOn: v.effectiveOn,
        reason: v.reason.trim(),
      };
      const saved = await api.post<StudentDetail>(`/api/students/${student.id}/status`, body);
      feedback.success(s('stu.statusDone'));
      onDone(saved);
    } catch (err) {
      feedback.error(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={s('stu.statusTitle', { name: student.name })}
      okText={t('common.ok')}
      okButtonProps={{ loading: busy, disabled: options.length === 0 }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {options.length === 0 ? (
        <Alert type="warning" showIcon title={s('stu.statusNone')} />
      ) : (
        <>
          <Alert type="info" showIcon title={s('stu.statusHintTransfer')} className="form-alert" />
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={{ status: options[0]?.to, effectiveOn: today, reason: '' }}
          >
            <Form.Item
              name="status"
              label={s('stu.newStatus')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Radio.Group
                optionType="button"
                options={options.map((o) => ({
                  value: o.to,
                  label: label(statusEventKindLabels, o.kind, lang),
                }))}
                data-testid="student-status-choice"
              />
            </Form.Item>
            <Form.Item
              name="effectiveOn"
              label={s('stu.effectiveOn')}
              rules={[{ required: true, message: s('stu.dateRequired') }]}
            >
              <Input type="date" min={student.birthDate} max={today} data-testid="student-status-date" />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('common.reason')}
              rules={[
                { required: true, whitespace: true, message: t('common.reasonRequired') },
                schemaRule(reasonSchema, t),
              ]}
            >
              <Input.TextArea rows={3} maxLength={200} showCount data-testid="student-status-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
