import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

export function safetyRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
