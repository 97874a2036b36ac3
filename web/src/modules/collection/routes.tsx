/** The collection pages, loaded on demand; app/routes.tsx puts them inside the shell (filled in with the pages). */
import type { RouteObject } from 'react-router-dom';

export const collectionRoutes: RouteObject[] = [];
