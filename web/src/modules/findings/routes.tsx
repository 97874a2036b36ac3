/** The findings ledger's pages, loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import { guarded } from '../../app/access.tsx';

const LedgerPage = lazy(() => import('./LedgerPage.tsx'));
const DetailPage = lazy(() => import('./DetailPage.tsx'));
const StatsPage = lazy(() => import('./StatsPage.tsx'));
const NoticePage = lazy(() => import('./NoticePage.tsx'));

/** Every role that sees findings holds readFindings; the server scopes each request. */
export const findingRoutes: RouteObject[] = [
  guarded('/findings', 'readFindings', <LedgerPage />),
  guarded('/findings/stats', 'readFindings', <StatsPage />),
  guarded('/findings/notices/:id', 'readFindings', <NoticePage />),
  guarded('/findings/:id', 'readFindings', <DetailPage />),
];
