/** Public portal pages of the training module (institution search, detail and published lists); no login. app/routes.tsx puts them under the portal layout. */
import { lazy, Suspense, type ReactNode } from 'react';
import { Spin } from 'antd';
import type { RouteObject } from 'react-router-dom';

const SearchPage = lazy(() => import('./SearchPage.tsx'));
const DetailPage = lazy(() => import('./DetailPage.tsx'));
const ListsPage = lazy(() => import('./ListsPage.tsx'));

// Inside the portal's frame, so the header stays while a page loads.
const page = (el: ReactNode) => (
  <Suspense fallback={<Spin style={{ display: 'block', margin: 32 }} />}>{el}</Suspense>
);

export const trainingPortalRoutes: RouteObject[] = [
  { index: true, element: page(<SearchPage />) },
  { path: 'institutions/:id', element: page(<DetailPage />) },
  { path: 'lists', element: page(<ListsPage />) },
];
