/** The balanced-development pages, loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import { guarded } from '../../app/access.tsx';

const CalculatorPage = lazy(() => import('./CalculatorPage.tsx'));
const CountyPage = lazy(() => import('./CountyPage.tsx'));

/**
 * Any signed-in user may compute from a table (nothing is read or stored); the county table from collected
 * figures is for readers of 数据填报.
 */
export const balanceRoutes: RouteObject[] = [
  { path: '/balance/calculator', element: <CalculatorPage /> },
  guarded('/balance/county', 'readCollection', <CountyPage />),
];
