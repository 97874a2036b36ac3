/** The dropout-control pages (控辍保学), loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy, type ReactNode } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AccessMap } from '@dudao/contracts';
import { useMe } from '../../app/auth.tsx';
import { Forbidden } from '../errors/index.tsx';

const AttendancePage = lazy(() => import('./AttendancePage.tsx'));
const MissingPage = lazy(() => import('./MissingPage.tsx'));
const SuspectedPage = lazy(() => import('./SuspectedPage.tsx'));
const RiskPage = lazy(() => import('./RiskPage.tsx'));
const CalendarPage = lazy(() => import('./CalendarPage.tsx'));

/** The page is shown to holders of the flag; the server scopes and checks each request. */
function Need({ flag, children }: { flag: keyof AccessMap; children: ReactNode }) {
  const me = useMe();
  return me.access[flag] ? children : <Forbidden />;
}

export const dropoutRoutes: RouteObject[] = [
  {
    path: '/attendance',
    element: (
      <Need flag="readDropout">
        <AttendancePage />
      </Need>
    ),
  },
  {
    path: '/attendance/missing',
    element: (
      <Need flag="readDropout">
        <MissingPage />
      </Need>
    ),
  },
  {
    path: '/dropout/suspected',
    element: (
      <Need flag="readDropout">
        <SuspectedPage />
      </Need>
    ),
  },
  {
    path: '/dropout/risk',
    element: (
      <Need flag="readDropout">
        <RiskPage />
      </Need>
    ),
  },
  {
    path: '/dropout/calendar',
    element: (
      <Need flag="readDropout">
        <CalendarPage />
      </Need>
    ),
  },
];
