/** The collection module's routes (filled in by its implementation). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

export function collectionRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
