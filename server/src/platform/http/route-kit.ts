import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';

/** A module's routes: a function that registers them on the app. */
export type RoutePlugin = (app: FastifyInstance, ctx: AppContext) => void;

/** The app with zod types for params, query, body and reply. */
export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}
