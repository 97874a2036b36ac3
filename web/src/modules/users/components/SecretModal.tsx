/** Shows a secret once (an initial password), with a copy button and a note. */
import type { ReactNode } from 'react';
import { Alert, Button, Input, Modal, Space } from 'antd';
import { CopyButton } from '../../../app/CopyButton.tsx';
import { useI18n } from '../../../app/i18n.tsx';

interface Props {
  title: string;
  label: string;
  secret: string;
  note: ReactNode;
  onClose: () => void;
  testId: string;
}

export function SecretModal({ title, label, secret, note, onClose, testId }: Props) {
  const { t } = useI18n();
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose} data-testid={`${testId}-close`}>
          {t('common.close')}
        </Button>
      }
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={note} className="form-alert" />
      <div className="secret-label">{label}</div>
      <Space.Compact block>
        <Input value={secret} readOnly className="mono secret-value" data-testid={testId} />
        <CopyButton text={secret} testId={`${testId}-copy`} />
      </Space.Compact>
    </Modal>
  );
}
