/** Routes: the login page, the steps before the shell, and the pages inside it (loaded on demand). */
import { lazy } from 'react';
import { Navigate, Outlet, createBrowserRouter, useLocation } from 'react-router-dom';
import { Spin } from 'antd';
import { useAuth } from './auth.tsx';
import { RequireAccess } from './access.tsx';
import { Shell } from './Shell.tsx';
import { Forbidden, NotFound } from '../modules/errors/index.tsx';
import { findingRoutes } from '../modules/findings/routes.tsx';
import { safetyRoutes } from '../modules/safety/routes.tsx';
import { inspectorRoutes } from '../modules/inspectors/routes.tsx';
import { dropoutRoutes } from '../modules/dropout/routes.tsx';
import { balanceRoutes } from '../modules/balance/routes.tsx';
import { planRoutes } from '../modules/plans/routes.tsx';
import { trainingRoutes } from '../modules/training/routes.tsx';
import { complaintRoutes } from '../modules/complaints/routes.tsx';
import { collectionRoutes } from '../modules/collection/routes.tsx';
import { trainingPortalRoutes } from '../modules/training/portal/routes.tsx';
import { complaintPortalRoutes } from '../modules/complaints/portal/routes.tsx';

const LoginPage = lazy(() => import('../modules/auth/index.tsx').then((m) => ({ default: m.LoginPage })));
const ChangePasswordPage = lazy(() =>
  import('../modules/auth/index.tsx').then((m) => ({ default: m.ChangePasswordPage })),
);
const TotpSetupPage = lazy(() =>
  import('../modules/auth/index.tsx').then((m) => ({ default: m.TotpSetupPage })),
);
const DashboardPage = lazy(() => import('../modules/dashboard/index.tsx'));
const OrgPage = lazy(() => import('../modules/org/index.tsx'));
const UsersPage = lazy(() => import('../modules/users/index.tsx'));
const AuditPage = lazy(() => import('../modules/audit/index.tsx'));
const TokensPage = lazy(() => import('../modules/tokens/index.tsx'));
const StudentsPage = lazy(() => import('../modules/students/index.tsx'));
const StudentDetailPage = lazy(() => import('../modules/students/DetailPage.tsx'));
const StudentChecksPage = lazy(() => import('../modules/students/ChecksPage.tsx'));
const ClassesPage = lazy(() => import('../modules/students/ClassesPage.tsx'));
const ClassRosterPage = lazy(() => import('../modules/students/RosterPage.tsx'));
const TransfersPage = lazy(() => import('../modules/students/TransfersPage.tsx'));
const StudentImportPage = lazy(() => import('../modules/imports/index.tsx'));
const PortalLayout = lazy(() => import('../modules/portal/PortalLayout.tsx'));

export function FullPageSpin() {
  return (
    <div className="full-page-spin">
      <Spin size="large" />
    </div>
  );
}

/** Signed in, and past the forced password change and TOTP enrolment. */
function RequireSession() {
  const { me } = useAuth();
  const location = useLocation();
  if (me === undefined) return <FullPageSpin />;
  if (me === null)
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  const path = location.pathname;
  if (me.mustChangePassword && path !== '/change-password') return <Navigate to="/change-password" replace />;
  if (!me.mustChangePassword && me.totpEnrollmentRequired && path !== '/totp-setup')
    return <Navigate to="/totp-setup" replace />;
  return <Outlet />;
}

function Public() {
  const { me } = useAuth();
  if (me === undefined) return <FullPageSpin />;
  return <Outlet />;
}

export const router = createBrowserRouter([
  // The public portal: no login, never waits for the session.
  {
    path: '/portal',
    element: <PortalLayout />,
    children: [...trainingPortalRoutes, ...complaintPortalRoutes],
  },
  {
    element: <Public />,
    children: [{ path: '/login', element: <LoginPage /> }],
  },
  {
    element: <RequireSession />,
    children: [
      { path: '/change-password', element: <ChangePasswordPage /> },
      { path: '/totp-setup', element: <TotpSetupPage /> },
      {
        element: <Shell />,
        children: [
          { index: true, element: <Navigate to="/dashboard" replace /> },
          { path: '/dashboard', element: <DashboardPage /> },
          { path: '/org', element: <OrgPage /> },
          {
            path: '/users',
            element: (
              <RequireAccess need="manageUsers">
                <UsersPage />
              </RequireAccess>
            ),
          },
          {
            path: '/audit',
            element: (
              <RequireAccess need="readAudit">
                <AuditPage />
              </RequireAccess>
            ),
          },
          {
            path: '/tokens',
            element: (
              <RequireAccess need="manageTokens">
                <TokensPage />
              </RequireAccess>
            ),
          },
          { path: '/students/import', element: <StudentImportPage /> },
          // 学籍: every role reads students in its area (the server scopes); writes are checked per student.
          { path: '/students', element: <StudentsPage /> },
          { path: '/students/checks', element: <StudentChecksPage /> },
          { path: '/students/:id', element: <StudentDetailPage /> },
          { path: '/classes', element: <ClassesPage /> },
          { path: '/classes/:id', element: <ClassRosterPage /> },
          { path: '/transfers', element: <TransfersPage /> },
          ...findingRoutes,
          ...safetyRoutes,
          ...inspectorRoutes,
          ...dropoutRoutes,
          ...balanceRoutes,
          ...planRoutes,
          ...trainingRoutes,
          ...complaintRoutes,
          ...collectionRoutes,
          { path: '/403', element: <Forbidden /> },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
