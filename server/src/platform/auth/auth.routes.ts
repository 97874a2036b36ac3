import {
  ChangePasswordRequest,
  ErrorBody,
  LoginRequest,
  LoginResponse,
  TotpEnableRequest,
  TotpSetupResponse,
} from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requestMeta } from '../http/auth-hook.js';
import { typed } from '../http/route-kit.js';
import { actorOf } from '../http/types.js';
import { changePassword, describeMe, enableTotp, login, logout, setupTotp } from './auth.service.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './sessions.js';

const tags = ['auth'];

/** Login, logout, the current user, password change and TOTP enrolment. */
export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  const cookieBase = { path: '/', sameSite: 'strict' as const, secure: ctx.config.cookieSecure };

  r.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: '登录 Log in',
        body: LoginRequest,
        response: { 200: LoginResponse, 401: ErrorBody, 423: ErrorBody },
      },
      config: {
        auth: 'public',
        scope: 'none',
        rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 },
      },
    },
    async (req, reply) => {
      const result = await login(ctx, req.body, requestMeta(req));
      void reply
        .setCookie(SESSION_COOKIE, result.token, { ...cookieBase, httpOnly: true })
        .setCookie(CSRF_COOKIE, result.csrfToken, { ...cookieBase, httpOnly: false });
      return { user: await describeMe(ctx, result.userId), csrfToken: result.csrfToken };
    },
  );

  r.post(
    '/api/auth/logout',
    {
      schema: { tags, summary: '退出 Log out', response: { 204: z.null() } },
      config: { auth: 'restricted', scope: 'self' },
    },
    async (req, reply) => {
      await logout(ctx, actorOf(req), requestMeta(req));
      void reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/auth/me',
    {
      schema: { tags, summary: '当前用户 Current user', response: { 200: LoginResponse } },
      config: { auth: 'restricted', scope: 'self' },
    },
    async (req) => {
      const actor = actorOf(req);
      const csrfToken = req.cookies[CSRF_COOKIE] ?? '';
      return { user: await describeMe(ctx, actor.userId), csrfToken };
    },
  );

  r.post(
    '/api/auth/password',
    {
      schema: {
        tags,
        summary: '修改密码 Change password',
        body: ChangePasswordRequest,
        response: { 204: z.null() },
      },
      config: { auth: 'restricted', scope: 'self' },
    },
    async (req, reply) => {
      await changePassword(ctx, actorOf(req), req.body, requestMeta(req));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/auth/totp/setup',
    {
      schema: { tags, summary: '获取动态口令密钥 Start TOTP set-up', response: { 200: TotpSetupResponse } },
      config: { auth: 'restricted', scope: 'self' },
    },
    async (req) => setupTotp(ctx, actorOf(req)),
  );

  r.post(
    '/api/auth/totp/enable',
    {
      schema: {
        tags,
        summary: '启用动态口令 Enable TOTP',
        body: TotpEnableRequest,
        response: { 204: z.null() },
      },
      config: { auth: 'restricted', scope: 'self' },
    },
    async (req, reply) => {
      await enableTotp(ctx, actorOf(req), req.body.code, requestMeta(req));
      return reply.code(204).send(null);
    },
  );
}
