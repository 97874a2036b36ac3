/** The collection pages (数据填报), loaded on demand; app/routes.tsx puts them inside the shell. */
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import { guarded } from '../../app/access.tsx';

const CollectionPage = lazy(() => import('./CollectionPage.tsx'));
const EntryPage = lazy(() => import('./EntryPage.tsx'));
const FormsPage = lazy(() => import('./FormsPage.tsx'));
const IndicatorsPage = lazy(() => import('./IndicatorsPage.tsx'));

/** Shown to holders of the flag; the server scopes and checks each request. */
export const collectionRoutes: RouteObject[] = [
  guarded('/collection', 'readCollection', <CollectionPage />),
  guarded('/collection/entry', 'readCollection', <EntryPage />),
  guarded('/collection/forms', 'manageCollection', <FormsPage />),
  guarded('/indicators', 'readCollection', <IndicatorsPage />),
];
