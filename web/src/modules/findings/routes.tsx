/** The findings ledger's pages, loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy, type ReactNode } from 'react';
import type { RouteObject } from 'react-router-dom';
import { useMe } from '../../app/auth.tsx';
import { Forbidden } from '../errors/index.tsx';

const LedgerPage = lazy(() => import('./LedgerPage.tsx'));
const DetailPage = lazy(() => import('./DetailPage.tsx'));
const StatsPage = lazy(() => import('./StatsPage.tsx'));
const NoticePage = lazy(() => import('./NoticePage.tsx'));

/** Every role that sees findings holds readFindings; the server scopes each request. */
function NeedRead({ children }: { children: ReactNode }) {
  const me = useMe();
  return me.access.readFindings ? children : <Forbidden />;
}

export const findingRoutes: RouteObject[] = [
  {
    path: '/findings',
    element: (
      <NeedRead>
        <LedgerPage />
      </NeedRead>
    ),
  },
  {
    path: '/findings/stats',
    element: (
      <NeedRead>
        <StatsPage />
      </NeedRead>
    ),
  },
  {
    path: '/findings/notices/:id',
    element: (
      <NeedRead>
        <NoticePage />
      </NeedRead>
    ),
  },
  {
    path: '/findings/:id',
    element: (
      <NeedRead>
        <DetailPage />
      </NeedRead>
    ),
  },
];
