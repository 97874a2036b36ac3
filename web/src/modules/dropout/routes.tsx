/** The dropout-control pages (控辍保学), loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import { guarded } from '../../app/access.tsx';

const AttendancePage = lazy(() => import('./AttendancePage.tsx'));
const MissingPage = lazy(() => import('./MissingPage.tsx'));
const SuspectedPage = lazy(() => import('./SuspectedPage.tsx'));
const RiskPage = lazy(() => import('./RiskPage.tsx'));
const CalendarPage = lazy(() => import('./CalendarPage.tsx'));
const CasesPage = lazy(() => import('./CasesPage.tsx'));
const CaseDetailPage = lazy(() => import('./CaseDetailPage.tsx'));
const DashboardPage = lazy(() => import('./DashboardPage.tsx'));
const CrosscheckPage = lazy(() => import('./CrosscheckPage.tsx'));
const AttendanceImportPage = lazy(() => import('./AttendanceImportPage.tsx'));

/** The page is shown to holders of the flag; the server scopes and checks each request. */
export const dropoutRoutes: RouteObject[] = [
  guarded('/attendance', 'readDropout', <AttendancePage />),
  guarded('/attendance/missing', 'readDropout', <MissingPage />),
  guarded('/attendance/import', 'takeAttendance', <AttendanceImportPage />),
  guarded('/dropout/suspected', 'readDropout', <SuspectedPage />),
  guarded('/dropout/risk', 'readDropout', <RiskPage />),
  guarded('/dropout/calendar', 'readDropout', <CalendarPage />),
  guarded('/dropout/cases', 'readDropout', <CasesPage />),
  guarded('/dropout/cases/:id', 'readDropout', <CaseDetailPage />),
  guarded('/dropout/dashboard', 'readDropout', <DashboardPage />),
  guarded('/dropout/crosscheck', 'readDropout', <CrosscheckPage />),
];
