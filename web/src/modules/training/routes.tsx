/** The training pages (校外培训监管), loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import { guarded } from '../../app/access.tsx';

const InstitutionsPage = lazy(() => import('./InstitutionsPage.tsx'));
const InstitutionPage = lazy(() => import('./InstitutionPage.tsx'));
const CompliancePage = lazy(() => import('./CompliancePage.tsx'));
const PrepaidPage = lazy(() => import('./PrepaidPage.tsx'));
const ListsPage = lazy(() => import('./ListsPage.tsx'));
const PrintPage = lazy(() => import('./PrintPage.tsx'));

/** The page is shown to holders of the flag; the server scopes and checks each request. */
export const trainingRoutes: RouteObject[] = [
  guarded('/training/institutions', 'readTraining', <InstitutionsPage />),
  guarded('/training/institutions/:id', 'readTraining', <InstitutionPage />),
  guarded('/training/compliance', 'readTraining', <CompliancePage />),
  guarded('/training/prepaid', 'readTraining', <PrepaidPage />),
  guarded('/training/lists', 'readTraining', <ListsPage />),
  guarded('/training/print/:sheet', 'readTraining', <PrintPage />),
];
