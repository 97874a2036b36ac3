/** The school-safety pages, loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import { guarded as page } from '../../app/access.tsx';

const InspectPage = lazy(() => import('./InspectPage.tsx'));
const InspectionsPage = lazy(() => import('./InspectionsPage.tsx'));
const InspectionPage = lazy(() => import('./InspectionPage.tsx'));
const CampaignsPage = lazy(() => import('./CampaignsPage.tsx'));
const CampaignPage = lazy(() => import('./CampaignPage.tsx'));
const TemplatesPage = lazy(() => import('./TemplatesPage.tsx'));
const TemplatePage = lazy(() => import('./TemplatePage.tsx'));
const SelfChecksPage = lazy(() => import('./SelfChecksPage.tsx'));
const GridsPage = lazy(() => import('./GridsPage.tsx'));

export const safetyRoutes: RouteObject[] = [
  page('/safety/inspect', 'inspectSafety', <InspectPage />),
  page('/safety/inspections', 'readFindings', <InspectionsPage />),
  page('/safety/inspections/:id', 'readFindings', <InspectionPage />),
  page('/safety/campaigns', 'inspectSafety', <CampaignsPage />),
  page('/safety/campaigns/:id', 'readFindings', <CampaignPage />),
  page('/safety/self-checks', 'inspectSafety', <SelfChecksPage />),
  page('/safety/grids', 'readFindings', <GridsPage />),
  page('/safety/templates', 'manageSafety', <TemplatesPage />),
  page('/safety/templates/:id', 'manageSafety', <TemplatePage />),
];
