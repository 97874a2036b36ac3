/**
 * 申请转学 (POST /api/transfers): the receiving school is picked from one's own area, or named by its
 * 10-digit 学校标识码 when it lies in another county.
 */
import { useState } from 'react';
import { Alert, Form, Input, Modal, Radio } from 'antd';
import {
  freeText,
  schoolCode,
  type StudentDetail,
  type Transfer,
  type TransferCreate,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { schemaRule } from '../../../app/validation.ts';
import { UnitTreeSelect } from '../../org/components/UnitTreeSelect.tsx';
import { useStudentI18n } from '../messages.ts';

const reasonSchema = freeText(200);

interface Values {
  how: 'area' | 'code';
  toSchoolId?: string;
  toSchoolCode?: string;
  reason: string;
}

interface Props {
  student: StudentDetail;
  onClose: () => void;
  onDone: (transfer: Transfer) => void;
}

export function TransferRequestModal({ student, onClose, onDone }: Props) {
  const { t, s } = useStudentI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const how = Form.useWatch('how', form) ?? 'area';

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body: TransferCreate = {
        studentId: student.id,
        ...(v.how === 'area' ? { toSchoolId: v.toSchoolId } : { toSchoolCode: v.toSchoolCode?.trim() }),
        reason: v.reason.trim(),
      };
      const saved = await api.post<Transfer>('/api/transfers', body);
      feedback.success(s('tr.requestDone'));
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
      title={s('tr.requestTitle', { name: student.name })}
      okText={s('stu.requestTransfer')}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Alert type="info" showIcon title={s('tr.requestHint')} className="form-alert" />
      <Form<Values> form={form} layout="vertical" initialValues={{ how: 'area', reason: '' }}>
        <Form.Item name="how" label={s('tr.target')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'area', label: s('tr.targetInArea') },
              { value: 'code', label: s('tr.targetByCode') },
            ]}
            data-testid="transfer-target-how"
          />
        </Form.Item>
        {how === 'area' ? (
          <Form.Item
            name="toSchoolId"
            rules={[
              { required: true, message: t('common.required') },
              {
                validator: (_r, v: string | undefined) =>
                  v && v === student.school.id
                    ? Promise.reject(new Error(s('tr.sameSchool')))
                    : Promise.resolve(),
              },
            ]}
          >
            <UnitTreeSelect
              selectable={['school']}
              placeholder={s('cls.pickSchool')}
              data-testid="transfer-target-school"
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="toSchoolCode"
            extra={s('tr.targetCodeHint')}
            rules={[{ required: true, message: t('common.required') }, schemaRule(schoolCode, t)]}
          >
            <Input inputMode="numeric" maxLength={10} className="mono" data-testid="transfer-target-code" />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={s('tr.reason')}
          rules={[
            { required: true, whitespace: true, message: t('common.reasonRequired') },
            schemaRule(reasonSchema, t),
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount data-testid="transfer-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
