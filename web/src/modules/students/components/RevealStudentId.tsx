/**
 * 显示完整身份证号: POST /api/students/:id/reveal-id; the server records every reveal in the audit trail.
 * Offered to holders of the reveal permission; a 403 (e.g. a student of another school in a shared view)
 * disables the button with the server's message.
 */
import { useState } from 'react';
import { Alert, Button, Descriptions, Modal, Tooltip } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import type { StudentDetail, StudentReveal } from '@dudao/contracts';
import { api, isApiError } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useStudentI18n } from '../messages.ts';

export function RevealStudentId({ student }: { student: StudentDetail }) {
  const { t, s } = useStudentI18n();
  const feedback = useFeedback();
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<StudentReveal | null>(null);
  const [denied, setDenied] = useState<string | null>(null);

  const reveal = async () => {
    setBusy(true);
    try {
      setShown(await api.post<StudentReveal>(`/api/students/${student.id}/reveal-id`));
    } catch (err) {
      if (isApiError(err) && err.status === 403) setDenied(err.message || s('stu.revealDenied'));
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };

  const button = (
    <Button
      size="small"
      icon={<EyeOutlined />}
      loading={busy}
      disabled={denied !== null}
      onClick={() => void reveal()}
      data-testid="student-reveal-id"
    >
      {s('stu.reveal')}
    </Button>
  );

  return (
    <>
      {denied ? <Tooltip title={denied}>{button}</Tooltip> : button}
      <Modal
        open={shown !== null}
        title={s('stu.revealTitle', { name: student.name })}
        onCancel={() => setShown(null)}
        footer={
          <Button type="primary" onClick={() => setShown(null)}>
            {t('common.close')}
          </Button>
        }
        destroyOnHidden
      >
        <Descriptions
          size="small"
          column={1}
          bordered
          className="form-alert"
          items={[
            {
              key: 'id',
              label: s('stu.idNumber'),
              children: (
                <span className="mono student-revealed" data-testid="student-revealed-id">
                  {shown?.idNumber ?? t('common.none')}
                </span>
              ),
            },
            {
              key: 'no',
              label: s('stu.studentNo'),
              children: <span className="mono student-revealed">{shown?.studentNo ?? t('common.none')}</span>,
            },
          ]}
        />
        <Alert type="info" showIcon title={s('stu.revealAudited')} />
      </Modal>
    </>
  );
}
