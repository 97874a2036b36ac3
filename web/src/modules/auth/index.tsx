/** Sign-in and the steps a session must pass first: forced password change, TOTP enrolment. */
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Result, Typography } from 'antd';
import { useAuth } from '../../app/auth.tsx';
import { useI18n } from '../../app/i18n.tsx';
import { AuthCard } from './components/AuthCard.tsx';
import { LoginForm } from './components/LoginForm.tsx';
import { ChangePasswordForm } from './components/ChangePasswordForm.tsx';
import { TotpEnroll } from './components/TotpEnroll.tsx';

function fromState(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string') {
    const from = state.from;
    if (from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login')) return from;
  }
  return '/dashboard';
}

export function LoginPage() {
  const { t } = useI18n();
  const { me, endReason } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const target = fromState(location.state);

  if (me) return <Navigate to={target} replace />;

  return (
    <AuthCard title={t('login.title')}>
      {endReason ? (
        <Alert
          type={endReason === 'expired' ? 'warning' : 'success'}
          title={endReason === 'expired' ? t('login.expired') : t('login.loggedOut')}
          showIcon
          className="form-alert"
        />
      ) : null}
      <LoginForm onSuccess={() => void navigate(target, { replace: true })} />
      <Typography.Paragraph type="secondary" className="auth-footer">
        {t('login.footer')}
      </Typography.Paragraph>
    </AuthCard>
  );
}

function SignOutLink() {
  const { t } = useI18n();
  const { logout } = useAuth();
  const navigate = useNavigate();
  return (
    <Button type="link" block onClick={() => void logout().then(() => navigate('/login', { replace: true }))}>
      {t('nav.logout')}
    </Button>
  );
}

export function ChangePasswordPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const navigate = useNavigate();
  const forced = me?.mustChangePassword ?? false;
  return (
    <AuthCard title={forced ? t('pwd.forcedTitle') : t('pwd.title')} width={440}>
      {forced ? <Alert type="warning" title={t('pwd.forcedHint')} showIcon className="form-alert" /> : null}
      <ChangePasswordForm onDone={() => void navigate('/dashboard', { replace: true })} />
      {forced ? <SignOutLink /> : null}
    </AuthCard>
  );
}

export function TotpSetupPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const navigate = useNavigate();
  if (me?.totpEnabled) {
    return (
      <AuthCard title={t('totp.title')} width={440}>
        <Result
          status="success"
          title={t('totp.done')}
          extra={
            <Button type="primary" onClick={() => void navigate('/dashboard')}>
              {t('result.backHome')}
            </Button>
          }
        />
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('totp.title')} width={440}>
      <TotpEnroll onDone={() => void navigate('/dashboard', { replace: true })} />
      {me?.totpEnrollmentRequired ? <SignOutLink /> : null}
    </AuthCard>
  );
}
