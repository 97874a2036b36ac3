/**
 * The one client-side access gate: a page is shown to holders of an access flag, others see 403. The menu
 * uses the same flags; the server still scopes and checks every request.
 */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AccessMap } from '@dudao/contracts';
import { useMe } from './auth.tsx';
import { Forbidden } from '../modules/errors/index.tsx';

export function RequireAccess({ need, children }: { need: keyof AccessMap; children: ReactNode }) {
  const me = useMe();
  return me.access[need] ? children : <Forbidden />;
}

/** A route whose page needs an access flag. */
export const guarded = (path: string, need: keyof AccessMap, element: ReactNode): RouteObject => ({
  path,
  element: <RequireAccess need={need}>{element}</RequireAccess>,
});
