/** The plans pages (部署·督办·考评·通报), loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import { guarded } from '../../app/access.tsx';

const PlansPage = lazy(() => import('./PlansPage.tsx'));
const PlanPage = lazy(() => import('./PlanPage.tsx'));
const AssignmentPage = lazy(() => import('./AssignmentPage.tsx'));
const NoticesPage = lazy(() => import('./NoticesPage.tsx'));
const AssessmentPage = lazy(() => import('./AssessmentPage.tsx'));
const BriefingsPage = lazy(() => import('./BriefingsPage.tsx'));
const AgreementsPage = lazy(() => import('./AgreementsPage.tsx'));
const AgreementRoundPage = lazy(() =>
  import('./AgreementsPage.tsx').then((x) => ({ default: x.AgreementRoundPage })),
);

/** Shown to holders of the flag; the server scopes and checks each request. */
export const planRoutes: RouteObject[] = [
  guarded('/plans', 'readPlans', <PlansPage />),
  guarded('/plans/notices', 'readPlans', <NoticesPage />),
  guarded('/plans/assignments/:id', 'readPlans', <AssignmentPage />),
  guarded('/plans/:id', 'readPlans', <PlanPage />),
  guarded('/assessment', 'readPlans', <AssessmentPage />),
  guarded('/briefings', 'readPlans', <BriefingsPage />),
  guarded('/agreements', 'readPlans', <AgreementsPage />),
  guarded('/agreements/mine', 'readPlans', <AgreementsPage />),
  guarded('/agreements/:id', 'readPlans', <AgreementRoundPage />),
];
