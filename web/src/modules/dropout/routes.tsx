/** The dropout-control pages (控辍保学), loaded on demand; app/routes.tsx puts them inside the shell. */
import type { RouteObject } from 'react-router-dom';

export const dropoutRoutes: RouteObject[] = [];
