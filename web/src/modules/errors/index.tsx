/** 403 and 404 result pages. */
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../../app/i18n.tsx';

function ErrorResult({ status }: { status: '403' | '404' }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status={status}
      title={status === '403' ? t('result.403') : t('result.404')}
      subTitle={status === '403' ? t('result.403sub') : t('result.404sub')}
      extra={
        <Button type="primary" onClick={() => void navigate('/dashboard')}>
          {t('result.backHome')}
        </Button>
      }
      data-testid={`result-${status}`}
    />
  );
}

export function Forbidden() {
  return <ErrorResult status="403" />;
}

export function NotFound() {
  return <ErrorResult status="404" />;
}

export default NotFound;
