/** A page title with breadcrumb and actions, in the manner of ProLayout's PageContainer. */
import type { ReactNode } from 'react';
import { Breadcrumb, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from './i18n.tsx';

export interface Crumb {
  title: string;
  to?: string;
}

interface Props {
  title: ReactNode;
  /** Crumbs between 首页 and the title. */
  crumbs?: Crumb[];
  extra?: ReactNode;
  children?: ReactNode;
}

export function PageHeader({ title, crumbs = [], extra, children }: Props) {
  const { t } = useI18n();
  const items = [
    { title: <Link to="/dashboard">{t('app.home')}</Link> },
    ...crumbs.map((c) => ({ title: c.to ? <Link to={c.to}>{c.title}</Link> : c.title })),
    ...(typeof title === 'string' ? [{ title }] : []),
  ];
  return (
    <div className="page-header">
      <Breadcrumb items={items} />
      <div className="page-header-row">
        <Typography.Title level={4} className="page-title">
          {title}
        </Typography.Title>
        {extra ? (
          <Space wrap size={8}>
            {extra}
          </Space>
        ) : null}
      </div>
      {children}
    </div>
  );
}
