/** The centred card used by the login page and the pages a session must pass before the shell. */
import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { useI18n } from '../../../app/i18n.tsx';
import { LangSwitch } from '../../../app/Shell.tsx';

export function AuthCard({
  title,
  children,
  width = 400,
}: {
  title: ReactNode;
  children: ReactNode;
  width?: number;
}) {
  const { t } = useI18n();
  return (
    <div className="auth-page">
      <div className="auth-lang">
        <LangSwitch />
      </div>
      <div className="auth-box" style={{ maxWidth: width }}>
        <div className="auth-brand">
          <span className="brand-mark brand-mark-lg">督</span>
          <div>
            <div className="auth-brand-name">{t('app.fullName')}</div>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
        </div>
        <Card title={title} className="auth-card">
          {children}
        </Card>
      </div>
    </div>
  );
}
