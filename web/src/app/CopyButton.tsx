import { Button, Tooltip } from 'antd';
import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useI18n } from './i18n.tsx';
import { useFeedback } from './feedback.ts';

/** Copies text; falls back to a hidden textarea where the Clipboard API is unavailable (plain http). */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  // execCommand is deprecated but is the only copy path outside secure contexts (plain-http intranets).
  const ok = document.execCommand('copy');
  document.body.removeChild(area);
  if (!ok) throw new Error('copy failed');
}

export function CopyButton({ text, testId }: { text: string; testId?: string }) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [copied, setCopied] = useState(false);
  const onClick = () => {
    copyText(text).then(
      () => {
        setCopied(true);
        feedback.success(t('common.copied'));
        window.setTimeout(() => setCopied(false), 2000);
      },
      () => feedback.failure(t('common.copyFailed')),
    );
  };
  return (
    <Tooltip title={copied ? t('common.copied') : t('common.copy')}>
      <Button icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={onClick} data-testid={testId}>
        {t('common.copy')}
      </Button>
    </Tooltip>
  );
}
