import {
  ErrorBody,
  RevealResponse,
  User,
  UserCreate,
  UserCreated,
  UserListQuery,
  UserPage,
  UserUpdate,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as users from './users.service.js';

const tags = ['users 用户'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });

/** Accounts: list, create, edit, disable, unlock, reset password, reveal ID number. */
export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  r.get(
    '/api/users',
    {
      schema: {
        tags,
        summary: '用户列表 List users',
        querystring: UserListQuery,
        response: { 200: UserPage, ...errors },
      },
      config: { scope: 'user' },
    },
    (req) => users.listUsers(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/users/:id',
    {
      schema: {
        tags,
        summary: '用户详情 User details',
        params: IdParams,
        response: { 200: User, ...errors },
      },
      config: { scope: 'user' },
    },
    (req) => users.getUser(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/users',
    {
      schema: {
        tags,
        summary: '新建用户 Create a user',
        body: UserCreate,
        response: { 201: UserCreated, ...errors },
      },
      config: { scope: 'user' },
    },
    async (req, reply) =>
      reply.code(201).send(await users.createUser(ctx, actorOf(req), req.body, origin(req))),
  );
  r.patch(
    '/api/users/:id',
    {
      schema: {
        tags,
        summary: '修改用户 Edit a user',
        params: IdParams,
        body: UserUpdate,
        response: { 200: User, ...errors },
      },
      config: { scope: 'user' },
    },
    (req) => users.updateUser(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  for (const action of ['disable', 'enable', 'unlock'] as const) {
    r.post(
      `/api/users/:id/${action}`,
      {
        schema: { tags, summary: `${action} a user`, params: IdParams, response: { 200: User, ...errors } },
        config: { scope: 'user' },
      },
      async (req) =>
        (await users.changeUserState(ctx, actorOf(req), req.params.id, action, origin(req))).user,
    );
  }
  r.post(
    '/api/users/:id/reset-password',
    {
      schema: {
        tags,
        summary: '重置密码 Reset password',
        params: IdParams,
        response: { 200: z.object({ initialPassword: z.string() }), ...errors },
      },
      config: { scope: 'user' },
    },
    async (req) => {
      const { initialPassword } = await users.changeUserState(
        ctx,
        actorOf(req),
        req.params.id,
        'reset_password',
        origin(req),
      );
      return { initialPassword: initialPassword! };
    },
  );
  r.post(
    '/api/users/:id/reveal-id',
    {
      schema: {
        tags,
        summary: '查看完整身份证号（审计）Reveal ID number (audited)',
        params: IdParams,
        response: { 200: RevealResponse, ...errors },
      },
      config: { scope: 'user' },
    },
    (req) => users.revealIdNumber(ctx, actorOf(req), req.params.id, origin(req)),
  );
}
