/**
 * The public portal's frame (/portal, no login): a plain header with the bureau's service name, the four
 * things a parent comes for, and the language switch. Phone first; the pages inside are the training
 * module's (institution search and published lists) and the complaints module's (complaint form, tracking).
 */
import { Layout, Menu } from 'antd';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { moduleMessages } from '../../app/i18n.tsx';
import { LangSwitch } from '../../app/Shell.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import './portal.css';

export const usePortalI18n = moduleMessages({
  'portal.title': ['校外培训公示与群众诉求服务', 'Off-campus training and public complaints'],
  'portal.search': ['查询机构', 'Find an institution'],
  'portal.lists': ['黑白名单', 'Published lists'],
  'portal.complaint': ['投诉举报', 'Complain'],
  'portal.track': ['进度查询', 'Track a complaint'],
  'portal.footer': [
    '本页面公开信息由教育行政部门发布；投诉举报受理后可凭受理编号查询办理进度。',
    'Published by the education bureau. Keep your tracking number to follow your complaint.',
  ],
});

const ITEMS = [
  { key: '/portal', label: 'portal.search' },
  { key: '/portal/lists', label: 'portal.lists' },
  { key: '/portal/complaint', label: 'portal.complaint' },
  { key: '/portal/track', label: 'portal.track' },
] as const;

export default function PortalLayout() {
  const { m } = usePortalI18n();
  const { pathname } = useLocation();
  const isMobile = useIsMobile();
  const selected =
    [...ITEMS].reverse().find((i) => pathname === i.key || pathname.startsWith(`${i.key}/`))?.key ??
    '/portal';
  return (
    <Layout className="portal" data-testid="portal">
      <Layout.Header className="portal-header">
        <Link to="/portal" className="portal-brand">
          {m('portal.title')}
        </Link>
        <LangSwitch compact={isMobile} />
      </Layout.Header>
      <Menu
        mode="horizontal"
        className="portal-menu"
        selectedKeys={[selected]}
        items={ITEMS.map((i) => ({
          key: i.key,
          label: (
            <Link to={i.key} data-testid={`portal-nav-${i.key.split('/')[2] ?? 'search'}`}>
              {m(i.label)}
            </Link>
          ),
        }))}
      />
      <Layout.Content className="portal-content">
        <Outlet />
      </Layout.Content>
      <Layout.Footer className="portal-footer">{m('portal.footer')}</Layout.Footer>
    </Layout>
  );
}
