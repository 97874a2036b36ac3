import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveApiToken } from '../auth/api-tokens.js';
import { loadActor } from '../auth/actor-loader.js';
import { admitUser } from '../auth/auth.service.js';
import { CSRF_HEADER, resolveSession, safeEqual, SESSION_COOKIE } from '../auth/sessions.js';
import { recordAuditNow } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { AppError, forbidden, unauthenticated } from '../errors.js';
import { requestLang } from '../i18n.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Request metadata recorded with audit events. */
export function requestMeta(req: FastifyRequest) {
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null, requestId: req.id };
}

/**
 * Authenticates every request before its handler: a bearer API token or the session cookie. Routes are
 * private unless they declare `auth: 'public'`; a pending password change or TOTP enrolment confines the
 * user to routes declared `restricted`. State changes through a session must echo its CSRF token.
 */
export function installAuthHook(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('lang', 'zh');
  app.addHook('onRequest', async (req) => {
    req.lang = requestLang(req);
    const access = req.routeOptions.config?.auth ?? 'user';
    if (access === 'public' || !req.url.startsWith('/api/')) return;

    const bearer = req.headers.authorization;
    if (bearer !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(bearer);
      const token = m?.[1] ? await resolveApiToken(ctx.db, m[1]) : null;
      if (!token)
        throw unauthenticated('INVALID_TOKEN', {
          zh: 'API 令牌无效或已吊销',
          en: 'Invalid or revoked API token',
        });
      const found = await admitUser(ctx, await loadActor(ctx.db, token.userId, 'token'));
      if (!found)
        throw unauthenticated('INVALID_TOKEN', {
          zh: 'API 令牌无效或已吊销',
          en: 'Invalid or revoked API token',
        });
      req.actor = { ...found.loaded.actor, tokenId: token.id, tokenPrefix: token.prefix };
      if (token.firstUseThisHour) {
        // Changes made with a token name it in their own events; this records reads, once an hour per token.
        await recordAuditNow(
          ctx.db,
          { actor: req.actor, ...requestMeta(req) },
          {
            action: 'token.use',
            objectType: 'api_token',
            objectId: token.id,
            unitId: req.actor.unitId,
            after: { method: req.method, url: req.url.slice(0, 200) },
          },
        );
      }
      return;
    }

    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) throw unauthenticated();
    const session = await resolveSession(ctx.db, ctx.config, cookie);
    if (session.state === 'expired')
      throw unauthenticated('SESSION_EXPIRED', {
        zh: '登录已超时，请重新登录',
        en: 'Your session expired; please log in again',
      });
    if (session.state === 'none') throw unauthenticated();
    const found = await admitUser(ctx, session.loaded);
    if (!found) throw unauthenticated();
    req.actor = { ...found.loaded.actor, sessionId: session.sessionId, restricted: found.restricted };

    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw forbidden({
          zh: '缺少或错误的 CSRF 令牌，请刷新页面',
          en: 'Missing or wrong CSRF token; reload the page',
        });
      }
    }
    if (found.restricted && access === 'user') {
      throw found.restricted === 'password'
        ? new AppError(403, 'PASSWORD_CHANGE_REQUIRED', {
            zh: '请先修改初始密码',
            en: 'Change your initial password first',
          })
        : new AppError(403, 'TOTP_ENROLLMENT_REQUIRED', {
            zh: '请先绑定动态口令',
            en: 'Set up your one-time codes first',
          });
    }
  });
}
