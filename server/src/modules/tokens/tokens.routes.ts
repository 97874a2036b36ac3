import { ApiToken, ApiTokenCreate, ApiTokenCreated, ErrorBody } from '@dudao/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as tokens from './tokens.service.js';

const tags = ['tokens API 令牌'];
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });

/** API tokens for system integration: list, issue, revoke. */
export function tokenRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  r.get(
    '/api/tokens',
    {
      schema: { tags, summary: '令牌列表 List tokens', response: { 200: z.array(ApiToken), ...errors } },
      config: { scope: 'token' },
    },
    (req) => tokens.listTokens(ctx, actorOf(req)),
  );
  r.post(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: '签发令牌 Issue a token',
        body: ApiTokenCreate,
        response: { 201: ApiTokenCreated, ...errors },
      },
      config: { scope: 'token' },
    },
    async (req, reply) =>
      reply.code(201).send(await tokens.createToken(ctx, actorOf(req), req.body, origin(req))),
  );
  r.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags,
        summary: '吊销令牌 Revoke a token',
        params: z.strictObject({ id: z.uuid() }),
        response: { 204: z.null(), ...errors },
      },
      config: { scope: 'token' },
    },
    async (req, reply) => {
      await tokens.revokeToken(ctx, actorOf(req), req.params.id, origin(req));
      return reply.code(204).send(null);
    },
  );
}
