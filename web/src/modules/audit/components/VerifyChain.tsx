/** 校验审计链: GET /api/audit/verify → {ok, events, firstBroken}, shown as an Alert. */
import { useState } from 'react';
import { Alert, Button } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';

export interface VerifyResult {
  ok: boolean;
  events: number;
  firstBroken: number | null;
  reason?: string | null;
}

export function useVerifyChain() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    try {
      setResult(await api.get<VerifyResult>('/api/audit/verify'));
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };

  const button = (
    <Button
      icon={<SafetyCertificateOutlined />}
      loading={busy}
      onClick={() => void run()}
      data-testid="audit-verify"
    >
      {t('audit.verify')}
    </Button>
  );

  const alert = result ? (
    <Alert
      type={result.ok ? 'success' : 'error'}
      showIcon
      title={
        result.ok
          ? t('audit.verifyOk', { n: result.events })
          : t('audit.verifyBroken', { n: result.events, id: result.firstBroken ?? '?' })
      }
      description={!result.ok && result.reason ? result.reason : undefined}
      closable={{ onClose: () => setResult(null) }}
      className="block-gap"
      data-testid="audit-verify-result"
    />
  ) : null;

  return { button, alert };
}
