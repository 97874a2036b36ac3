/** The complaints pages, loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import { guarded } from '../../app/access.tsx';

const InboxPage = lazy(() => import('./InboxPage.tsx'));
const DetailPage = lazy(() => import('./DetailPage.tsx'));
const StatsPage = lazy(() => import('./StatsPage.tsx'));
const PrintPage = lazy(() => import('./PrintPage.tsx'));

/** Everyone who sees complaints holds readComplaints; the server scopes each request and decides each action. */
export const complaintRoutes: RouteObject[] = [
  guarded('/complaints', 'readComplaints', <InboxPage />),
  guarded('/complaints/stats', 'readComplaints', <StatsPage />),
  guarded('/complaints/print', 'readComplaints', <PrintPage />),
  guarded('/complaints/:id', 'readComplaints', <DetailPage />),
];
