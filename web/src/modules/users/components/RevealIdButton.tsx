/** 查看 a user's full ID number: POST /api/users/:id/reveal-id; the server records it in the audit trail. */
import { useState } from 'react';
import { Alert, Button, Modal, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import type { RevealResponse, User } from '@dudao/contracts';
import { api, type Infer } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';

export function RevealIdButton({ user }: { user: User }) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [busy, setBusy] = useState(false);
  const [idNumber, setIdNumber] = useState<string | null>(null);

  const reveal = async () => {
    setBusy(true);
    try {
      const res = await api.post<Infer<typeof RevealResponse>>(`/api/users/${user.id}/reveal-id`);
      setIdNumber(res.idNumber ?? t('common.none'));
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        type="link"
        size="small"
        icon={<EyeOutlined />}
        loading={busy}
        onClick={() => void reveal()}
        data-testid="user-reveal-id"
      >
        {t('users.reveal')}
      </Button>
      <Modal
        open={idNumber !== null}
        title={`${t('users.revealTitle')} · ${user.displayName}`}
        onCancel={() => setIdNumber(null)}
        footer={
          <Button type="primary" onClick={() => setIdNumber(null)}>
            {t('common.close')}
          </Button>
        }
        destroyOnHidden
      >
        <Typography.Title level={4} className="mono" data-testid="revealed-id">
          {idNumber}
        </Typography.Title>
        <Alert type="info" showIcon title={t('users.revealAudited')} />
      </Modal>
    </>
  );
}
