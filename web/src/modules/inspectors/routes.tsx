/** The responsibility-inspector pages, loaded on demand; app/routes.tsx puts them inside the shell. */
import type { RouteObject } from 'react-router-dom';

export const inspectorRoutes: RouteObject[] = [];
