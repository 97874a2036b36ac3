/**
 * The signed-in frame: side menu (a Drawer on phones), header with unit, user, language switch,
 * change password and sign-out, and the routed page.
 */
import { Suspense, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Button, Drawer, Dropdown, Layout, Menu, Modal, Spin, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  AlertOutlined,
  AimOutlined,
  BookOutlined,
  CommentOutlined,
  CustomerServiceOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  FileProtectOutlined,
  LineChartOutlined,
  NotificationOutlined,
  ProjectOutlined,
  ReadOutlined,
  ScheduleOutlined,
  ShopOutlined,
  StopOutlined,
  TrophyOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BorderOutlined,
  CalendarOutlined,
  CarryOutOutlined,
  CheckSquareOutlined,
  ClockCircleOutlined,
  ContactsOutlined,
  ExceptionOutlined,
  EyeOutlined,
  FileDoneOutlined,
  FileSearchOutlined,
  FlagOutlined,
  FormOutlined,
  FundOutlined,
  PieChartOutlined,
  ProfileOutlined,
  RiseOutlined,
  SafetyOutlined,
  UnorderedListOutlined,
  WarningOutlined,
  DashboardOutlined,
  IdcardOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuOutlined,
  MenuUnfoldOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  SwapOutlined,
  TableOutlined,
  TeamOutlined,
  TranslationOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { AccessMap } from '@dudao/contracts';
import { useAuth, useIdleCheck, useMe } from './auth.tsx';
import { useI18n, type MessageKey } from './i18n.tsx';
import { useIsMobile } from './responsive.ts';
import { NotificationBell } from './NotificationBell.tsx';
import { ChangePasswordForm } from '../modules/auth/components/ChangePasswordForm.tsx';

interface NavEntry {
  path: string;
  key: MessageKey;
  testId: string;
  icon: ReactNode;
  /** The access flag needed to see the entry; none = everyone. */
  need?: keyof AccessMap;
  /** The submenu the entry sits in; none = top level. */
  group?: NavGroup;
}

interface NavGroup {
  key: string;
  label: MessageKey;
  icon: ReactNode;
}

const STUDENTS: NavGroup = { key: 'group:students', label: 'nav.students', icon: <IdcardOutlined /> };
const FINDINGS: NavGroup = { key: 'group:findings', label: 'nav.findingsGroup', icon: <ExceptionOutlined /> };
const SAFETY: NavGroup = { key: 'group:safety', label: 'nav.safety', icon: <SafetyOutlined /> };
const DROPOUT: NavGroup = { key: 'group:dropout', label: 'nav.dropout', icon: <AlertOutlined /> };
const INSPECTORS: NavGroup = { key: 'group:inspectors', label: 'nav.inspectors', icon: <EyeOutlined /> };
const PLANS: NavGroup = { key: 'group:plans', label: 'nav.plansGroup', icon: <DeploymentUnitOutlined /> };
const TRAINING: NavGroup = { key: 'group:training', label: 'nav.training', icon: <ShopOutlined /> };
const COMPLAINTS: NavGroup = {
  key: 'group:complaints',
  label: 'nav.complaintsGroup',
  icon: <CustomerServiceOutlined />,
};
const COLLECTION: NavGroup = { key: 'group:collection', label: 'nav.collection', icon: <DatabaseOutlined /> };

const entry = (
  path: string,
  key: MessageKey,
  testId: string,
  icon: ReactNode,
  need: keyof AccessMap | undefined,
  group: NavGroup,
): NavEntry => ({ path, key, testId, icon, group, ...(need ? { need } : {}) });

export const NAV: NavEntry[] = [
  { path: '/dashboard', key: 'nav.dashboard', testId: 'nav-dashboard', icon: <DashboardOutlined /> },
  { path: '/org', key: 'nav.org', testId: 'nav-org', icon: <ApartmentOutlined /> },
  // 学籍: every role reads students in its area; the pages offer changes to administrators.
  {
    path: '/students',
    key: 'nav.studentRoster',
    testId: 'nav-students',
    icon: <SolutionOutlined />,
    group: STUDENTS,
  },
  { path: '/classes', key: 'nav.classes', testId: 'nav-classes', icon: <TableOutlined />, group: STUDENTS },
  {
    path: '/transfers',
    key: 'nav.transfers',
    testId: 'nav-transfers',
    icon: <SwapOutlined />,
    group: STUDENTS,
  },
  {
    path: '/students/checks',
    key: 'nav.studentChecks',
    testId: 'nav-student-checks',
    icon: <SafetyCertificateOutlined />,
    group: STUDENTS,
  },
  // 控辍保学: class teachers take attendance; bureaus and schools follow who is not submitting and who drifts.
  {
    path: '/attendance',
    key: 'nav.attendance',
    testId: 'nav-attendance',
    icon: <CarryOutOutlined />,
    need: 'takeAttendance',
    group: DROPOUT,
  },
  {
    path: '/attendance/missing',
    key: 'nav.attendanceMissing',
    testId: 'nav-attendance-missing',
    icon: <ClockCircleOutlined />,
    need: 'readDropout',
    group: DROPOUT,
  },
  {
    path: '/dropout/suspected',
    key: 'nav.dropoutSuspected',
    testId: 'nav-dropout-suspected',
    icon: <WarningOutlined />,
    need: 'readDropout',
    group: DROPOUT,
  },
  {
    path: '/dropout/risk',
    key: 'nav.dropoutRisk',
    testId: 'nav-dropout-risk',
    icon: <RiseOutlined />,
    need: 'readDropout',
    group: DROPOUT,
  },
  entry(
    '/dropout/cases',
    'nav.dropoutCases',
    'nav-dropout-cases',
    <SolutionOutlined />,
    'readDropout',
    DROPOUT,
  ),
  entry(
    '/dropout/crosscheck',
    'nav.dropoutCrosscheck',
    'nav-dropout-crosscheck',
    <AimOutlined />,
    'readDropout',
    DROPOUT,
  ),
  entry(
    '/dropout/dashboard',
    'nav.dropoutDashboard',
    'nav-dropout-dashboard',
    <LineChartOutlined />,
    'readDropout',
    DROPOUT,
  ),
  {
    path: '/dropout/calendar',
    key: 'nav.dropoutCalendar',
    testId: 'nav-dropout-calendar',
    icon: <CalendarOutlined />,
    need: 'readDropout',
    group: DROPOUT,
  },
  // 问题台账: every finding of every module, its rectification and statistics.
  {
    path: '/findings',
    key: 'nav.findings',
    testId: 'nav-findings',
    icon: <UnorderedListOutlined />,
    need: 'readFindings',
    group: FINDINGS,
  },
  {
    path: '/findings/stats',
    key: 'nav.findingStats',
    testId: 'nav-finding-stats',
    icon: <BarChartOutlined />,
    need: 'readFindings',
    group: FINDINGS,
  },
  // 平安校园
  {
    path: '/safety/inspect',
    key: 'nav.safetyInspect',
    testId: 'nav-safety-inspect',
    icon: <FormOutlined />,
    need: 'inspectSafety',
    group: SAFETY,
  },
  {
    path: '/safety/inspections',
    key: 'nav.safetyInspections',
    testId: 'nav-safety-inspections',
    icon: <FileDoneOutlined />,
    need: 'inspectSafety',
    group: SAFETY,
  },
  {
    path: '/safety/campaigns',
    key: 'nav.safetyCampaigns',
    testId: 'nav-safety-campaigns',
    icon: <FlagOutlined />,
    need: 'inspectSafety',
    group: SAFETY,
  },
  {
    path: '/safety/self-checks',
    key: 'nav.safetySelfChecks',
    testId: 'nav-safety-self-checks',
    icon: <CheckSquareOutlined />,
    need: 'inspectSafety',
    group: SAFETY,
  },
  {
    path: '/safety/grids',
    key: 'nav.safetyGrids',
    testId: 'nav-safety-grids',
    icon: <BorderOutlined />,
    need: 'readFindings',
    group: SAFETY,
  },
  {
    path: '/safety/templates',
    key: 'nav.safetyTemplates',
    testId: 'nav-safety-templates',
    icon: <ProfileOutlined />,
    need: 'manageSafety',
    group: SAFETY,
  },
  // 责任督学挂牌督导
  {
    path: '/inspectors/visits',
    key: 'nav.inspectorVisits',
    testId: 'nav-inspector-visits',
    icon: <FileSearchOutlined />,
    need: 'readFindings',
    group: INSPECTORS,
  },
  {
    path: '/inspectors/coverage',
    key: 'nav.inspectorCoverage',
    testId: 'nav-inspector-coverage',
    icon: <PieChartOutlined />,
    need: 'readFindings',
    group: INSPECTORS,
  },
  {
    path: '/inspectors',
    key: 'nav.inspectorRoster',
    testId: 'nav-inspector-roster',
    icon: <ContactsOutlined />,
    need: 'readFindings',
    group: INSPECTORS,
  },
  // 部署·督办·考评·通报: plans and their tasks, supervision notices, assessment, briefings.
  entry('/plans', 'nav.plans', 'nav-plans', <ProjectOutlined />, 'readPlans', PLANS),
  entry(
    '/plans/notices',
    'nav.planNotices',
    'nav-plan-notices',
    <NotificationOutlined />,
    'readPlans',
    PLANS,
  ),
  entry('/assessment', 'nav.assessment', 'nav-assessment', <TrophyOutlined />, 'readPlans', PLANS),
  entry('/briefings', 'nav.briefings', 'nav-briefings', <ReadOutlined />, 'readPlans', PLANS),
  entry('/agreements', 'nav.agreements', 'nav-agreements', <FileDoneOutlined />, 'readPlans', PLANS),
  // 校外培训: the institution registry, compliance, prepaid fees, black and white lists.
  entry(
    '/training/institutions',
    'nav.trainingInstitutions',
    'nav-training-institutions',
    <ShopOutlined />,
    'readTraining',
    TRAINING,
  ),
  entry(
    '/training/compliance',
    'nav.trainingCompliance',
    'nav-training-compliance',
    <FileProtectOutlined />,
    'readTraining',
    TRAINING,
  ),
  entry(
    '/training/prepaid',
    'nav.trainingPrepaid',
    'nav-training-prepaid',
    <BankOutlined />,
    'readTraining',
    TRAINING,
  ),
  entry(
    '/training/lists',
    'nav.trainingLists',
    'nav-training-lists',
    <StopOutlined />,
    'readTraining',
    TRAINING,
  ),
  // 群众诉求: the complaints desk and its statistics.
  entry('/complaints', 'nav.complaints', 'nav-complaints', <CommentOutlined />, 'readComplaints', COMPLAINTS),
  entry(
    '/complaints/stats',
    'nav.complaintStats',
    'nav-complaint-stats',
    <BarChartOutlined />,
    'readComplaints',
    COMPLAINTS,
  ),
  // 数据填报 and 均衡发展: forms, approval, indicators; the calculator works on an uploaded table for anyone.
  entry(
    '/collection',
    'nav.collectionTasks',
    'nav-collection',
    <ScheduleOutlined />,
    'readCollection',
    COLLECTION,
  ),
  entry(
    '/collection/forms',
    'nav.collectionForms',
    'nav-collection-forms',
    <BookOutlined />,
    'manageCollection',
    COLLECTION,
  ),
  entry(
    '/indicators',
    'nav.indicators',
    'nav-indicators',
    <LineChartOutlined />,
    'readCollection',
    COLLECTION,
  ),
  entry(
    '/balance/county',
    'nav.balanceCounty',
    'nav-balance-county',
    <PieChartOutlined />,
    'readCollection',
    COLLECTION,
  ),
  entry('/balance/calculator', 'nav.balance', 'nav-balance', <FundOutlined />, undefined, COLLECTION),
  { path: '/users', key: 'nav.users', testId: 'nav-users', icon: <TeamOutlined />, need: 'manageUsers' },
  { path: '/audit', key: 'nav.audit', testId: 'nav-audit', icon: <AuditOutlined />, need: 'readAudit' },
  { path: '/tokens', key: 'nav.tokens', testId: 'nav-tokens', icon: <KeyOutlined />, need: 'manageTokens' },
];

export function LangSwitch({ compact = false }: { compact?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Button
      type="text"
      icon={<TranslationOutlined />}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      data-testid="lang-switch"
      title={t('nav.switchLangTitle')}
      aria-label={t('nav.switchLangTitle')}
    >
      {compact ? (lang === 'zh' ? 'EN' : '中') : t('nav.switchLang')}
    </Button>
  );
}

function Brand({ collapsed = false }: { collapsed?: boolean }) {
  const { t } = useI18n();
  return (
    <Link to="/dashboard" className="brand" aria-label={t('app.fullName')}>
      <span className="brand-mark">督</span>
      {collapsed ? null : <span className="brand-text">{t('app.name')}</span>}
    </Link>
  );
}

export function Shell() {
  const me = useMe();
  const { logout } = useAuth();
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const location = useLocation();
  const navigate = useNavigate();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  useIdleCheck();

  const entries = NAV.filter((e) => !e.need || me.access[e.need]);
  // The longest matching path: /students/checks is 数据核查, not 学生名册.
  const current = entries
    .filter((e) => location.pathname === e.path || location.pathname.startsWith(`${e.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const menuItems: NonNullable<MenuProps['items']> = [];
  const groups = new Map<string, { children: NonNullable<MenuProps['items']> }>();
  for (const e of entries) {
    const item = {
      key: e.path,
      icon: e.icon,
      label: (
        <Link to={e.path} data-testid={e.testId}>
          {t(e.key)}
        </Link>
      ),
    };
    if (!e.group) {
      menuItems.push(item);
      continue;
    }
    let group = groups.get(e.group.key);
    if (!group) {
      group = { children: [] };
      groups.set(e.group.key, group);
      menuItems.push({
        key: e.group.key,
        icon: e.group.icon,
        label: t(e.group.label),
        children: group.children,
      });
    }
    group.children.push(item);
  }
  const menu = (
    <Menu
      mode="inline"
      theme="dark"
      selectedKeys={current ? [current.path] : []}
      defaultOpenKeys={[...groups.keys()]}
      items={menuItems}
      onClick={() => setDrawerOpen(false)}
    />
  );

  const userMenu: MenuProps = {
    items: [
      {
        key: 'who',
        disabled: true,
        label: (
          <span className="user-menu-who">
            {me.displayName}（{me.username}）
          </span>
        ),
      },
      { type: 'divider' },
      {
        key: 'password',
        icon: <LockOutlined />,
        label: <span data-testid="nav-change-password">{t('nav.changePassword')}</span>,
      },
      { type: 'divider' },
      {
        key: 'logout',
        icon: <LogoutOutlined />,
        danger: true,
        label: <span data-testid="nav-logout">{t('nav.logout')}</span>,
      },
    ],
    onClick: ({ key }) => {
      if (key === 'password') setPasswordOpen(true);
      if (key === 'logout') void logout().then(() => navigate('/login', { replace: true }));
    },
  };

  return (
    <Layout className="app-layout">
      {isMobile ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={248}
          closable={false}
          className="nav-drawer"
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <div className="sider-brand">
            <Brand />
          </div>
          <div className="drawer-unit">
            <div className="drawer-user">
              <UserOutlined /> {me.displayName}
            </div>
            <BankOutlined /> {me.unit.name}
          </div>
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          trigger={null}
          width={208}
          collapsedWidth={64}
          className="app-sider"
        >
          <div className="sider-brand">
            <Brand collapsed={collapsed} />
          </div>
          {menu}
        </Layout.Sider>
      )}
      <Layout className="app-main">
        <Layout.Header className="app-header">
          <div className="app-header-left">
            {isMobile ? (
              <>
                <Button
                  type="text"
                  icon={<MenuOutlined />}
                  onClick={() => setDrawerOpen(true)}
                  aria-label={t('nav.menu')}
                  data-testid="nav-toggle"
                />
                <Brand />
              </>
            ) : (
              <>
                <Button
                  type="text"
                  icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                  onClick={() => setCollapsed(!collapsed)}
                  aria-label={t('nav.menu')}
                />
                <Typography.Text
                  className="header-unit"
                  ellipsis
                  title={me.unit.name}
                  data-testid="header-unit"
                >
                  <BankOutlined /> {me.unit.name}
                </Typography.Text>
              </>
            )}
          </div>
          <div className="app-header-right">
            <NotificationBell />
            <LangSwitch compact={isMobile} />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Button type="text" className="user-button" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} className="user-avatar" />
                {isMobile ? null : <span className="user-name">{me.displayName}</span>}
              </Button>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content className="app-content">
          <Suspense
            fallback={
              <div className="page-loading">
                <Spin />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <Modal
        title={t('pwd.title')}
        open={passwordOpen}
        onCancel={() => setPasswordOpen(false)}
        footer={null}
        destroyOnHidden
        width={440}
      >
        <ChangePasswordForm onDone={() => setPasswordOpen(false)} />
      </Modal>
    </Layout>
  );
}
