/** Public portal pages of the complaints module (complaint form and progress tracking); no login. app/routes.tsx puts them under the portal layout. */
import { lazy, Suspense, type ReactNode } from 'react';
import type { RouteObject } from 'react-router-dom';
import { Skeleton } from 'antd';

const ComplaintPage = lazy(() => import('./ComplaintPage.tsx'));
const TrackPage = lazy(() => import('./TrackPage.tsx'));

// The portal's frame has no loading boundary of its own: each page brings one.
const page = (element: ReactNode) => <Suspense fallback={<Skeleton active />}>{element}</Suspense>;

export const complaintPortalRoutes: RouteObject[] = [
  { path: '/portal/complaint', element: page(<ComplaintPage />) },
  { path: '/portal/track', element: page(<TrackPage />) },
];
