/** The findings ledger's pages, loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const LedgerPage = lazy(() => import('./LedgerPage.tsx'));

export const findingRoutes: RouteObject[] = [{ path: '/findings', element: <LedgerPage /> }];
