/** Public portal pages of the complaints module (Complaint form and progress tracking); no login. app/routes.tsx puts them under the portal layout. */
import type { RouteObject } from 'react-router-dom';

export const complaintPortalRoutes: RouteObject[] = [];
