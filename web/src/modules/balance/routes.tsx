/** The balanced-development calculator, loaded on demand; app/routes.tsx puts it inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const CalculatorPage = lazy(() => import('./CalculatorPage.tsx'));

/** Any signed-in user may compute from a table: nothing is read from or written to the database. */
export const balanceRoutes: RouteObject[] = [{ path: '/balance/calculator', element: <CalculatorPage /> }];
