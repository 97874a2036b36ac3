/** Public portal pages of the training module (Institution search, detail and published lists); no login. app/routes.tsx puts them under the portal layout. */
import type { RouteObject } from 'react-router-dom';

export const trainingPortalRoutes: RouteObject[] = [];
