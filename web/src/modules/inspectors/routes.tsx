/** The responsibility-inspector pages, loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const VisitsPage = lazy(() => import('./VisitsPage.tsx'));
const VisitFormPage = lazy(() => import('./VisitFormPage.tsx'));
const VisitDetailPage = lazy(() => import('./VisitDetailPage.tsx'));
const OpinionPage = lazy(() => import('./OpinionPage.tsx'));
const CoveragePage = lazy(() => import('./CoveragePage.tsx'));
const RosterPage = lazy(() => import('./RosterPage.tsx'));
const PlaquePage = lazy(() => import('./PlaquePage.tsx'));

// Every page reads through the server's scope; writes are checked per record (the pages show what `can` allows).
export const inspectorRoutes: RouteObject[] = [
  { path: '/inspectors', element: <RosterPage /> },
  { path: '/inspectors/visits', element: <VisitsPage /> },
  { path: '/inspectors/visits/new', element: <VisitFormPage /> },
  { path: '/inspectors/visits/:id', element: <VisitDetailPage /> },
  { path: '/inspectors/opinions/:id', element: <OpinionPage /> },
  { path: '/inspectors/coverage', element: <CoveragePage /> },
  { path: '/inspectors/plaque/:schoolId', element: <PlaquePage /> },
];
