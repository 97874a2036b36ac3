import type { Actor } from '../access/actor.js';
import type { Lang } from '../i18n.js';

/**
 * What a route declares about itself. `auth`: who may call it at all. `scope`: which scoped data it reads or
 * changes; the generic scope test walks every route and proves the declared kind is refused across counties.
 */
export type RouteAuth = 'public' | 'restricted' | 'user';
export type RouteScope = 'none' | 'self' | 'unit' | 'user' | 'token' | 'audit';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    scope?: RouteScope;
  }
  interface FastifyRequest {
    actor: Actor | null;
    lang: Lang;
  }
}

/** The signed-in actor of a request that passed the auth hook. */
export function actorOf(req: { actor: Actor | null }): Actor {
  if (!req.actor) throw new Error('route reached without an actor: declare it public or keep the auth hook');
  return req.actor;
}
