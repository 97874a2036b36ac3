import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { regionRoutes } from './modules/regions.routes.js';
import { studentRoutes } from './modules/students/students.routes.js';
import { findingRoutes } from './modules/findings/findings.routes.js';
import { safetyRoutes } from './modules/safety/safety.routes.js';
import { inspectorRoutes } from './modules/inspectors/inspectors.routes.js';
import { dropoutRoutes } from './modules/dropout/dropout.routes.js';
import { balanceRoutes } from './modules/balance/balance.routes.js';
import { planRoutes } from './modules/plans/plans.routes.js';
import { trainingRoutes } from './modules/training/training.routes.js';
import { complaintRoutes } from './modules/complaints/complaints.routes.js';
import { collectionRoutes } from './modules/collection/collection.routes.js';
import { tokenRoutes } from './modules/tokens/tokens.routes.js';
import { unitRoutes } from './modules/units/units.routes.js';
import { userRoutes } from './modules/users/users.routes.js';
import { authRoutes } from './platform/auth/auth.routes.js';
import { importRoutes } from './platform/imports/imports.routes.js';
import type { AppContext } from './platform/context.js';
import { installAuthHook } from './platform/http/auth-hook.js';
import { installErrorHandling } from './platform/http/errors.js';
import { installRawBodyParser } from './platform/http/raw-body.js';
import { fileRoutes } from './platform/files/files.routes.js';
import { notificationRoutes } from './platform/notifications/notifications.routes.js';
import type { RoutePlugin } from './platform/http/route-kit.js';
import './platform/http/types.js';

/** Every module's routes. A new module adds its plugin here. */
export const routePlugins: RoutePlugin[] = [
  authRoutes,
  unitRoutes,
  userRoutes,
  tokenRoutes,
  auditRoutes,
  regionRoutes,
  studentRoutes,
  importRoutes,
  fileRoutes,
  notificationRoutes,
  findingRoutes,
  safetyRoutes,
  inspectorRoutes,
  dropoutRoutes,
  balanceRoutes,
  planRoutes,
  trainingRoutes,
  complaintRoutes,
  collectionRoutes,
];

const webDist = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface BuildOptions {
  logger?: boolean | { level: string };
  /** Serve the built web client when it exists (off in API tests). */
  serveWeb?: boolean;
  /** Sees every route as it is registered (the generic scope test enumerates them). */
  onRoute?: (route: RouteOptions) => void;
}

/** Builds the HTTP server: security headers, cookies, validation, OpenAPI, auth, routes, the web client. */
export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Logs go to stderr: stdout belongs to the CLI's one JSON document.
    logger: opts.logger ?? { level: ctx.config.logLevel, stream: process.stderr },
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: process.env.DUDAO_TRUST_PROXY === 'true',
    routerOptions: { ignoreTrailingSlash: true },
  });
  // First, so it sees every route, the documentation's included.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) {
      route.config = { ...(route.config ?? {}), auth: 'public', scope: 'none' };
    }
    opts.onRoute?.(route);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installRawBodyParser(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design writes its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        // County intranets often serve plain http on a LAN address: do not force https.
        upgradeInsecureRequests: null,
      },
    },
    hsts: ctx.config.cookieSecure,
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (req, context) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: (req.headers['accept-language'] ?? '').startsWith('en')
        ? `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`
        : `尝试过于频繁，请 ${Math.ceil(context.ttl / 1000)} 秒后再试`,
    }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: '督导 Dudao API', version: '0.1.0', description: 'Regional education bureau platform' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'dudao_sid' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list' },
  });

  installAuthHook(app, ctx);
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/') && !req.url.startsWith('/api/docs'))
      reply.header('cache-control', 'no-store');
    return payload;
  });
  app.addHook('onResponse', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      await ctx.auditHead
        .sync(ctx.db)
        .catch((err: unknown) => req.log.error({ err }, 'audit head sync failed'));
  });

  app.withTypeProvider().get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: '健康检查 Health',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
      config: { auth: 'public', scope: 'none' },
    },
    async () => {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok' as const };
    },
  );
  for (const plugin of routePlugins) plugin(app, ctx);

  const serveWeb = (opts.serveWeb ?? true) && existsSync(webDist);
  if (serveWeb) {
    // wildcard: files built after start are served too. Hashed assets never change: cache them for good;
    // everything else (index.html) is revalidated so a rebuilt client is picked up.
    await app.register(fastifyStatic, {
      root: join(webDist, 'assets'),
      prefix: '/assets/',
      wildcard: true,
      maxAge: '365d',
      immutable: true,
    });
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: true,
      index: 'index.html',
      cacheControl: false,
      decorateReply: false,
      setHeaders: (res) => {
        res.setHeader('cache-control', 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    // A page path of the client answers with the client; API paths and missing files answer 404.
    const isPage = !req.url.startsWith('/api/') && !/\.[a-z0-9]+(\?|$)/i.test(req.url.split('#')[0] ?? '');
    if (serveWeb && req.method === 'GET' && isPage) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', webDist);
    }
    const en = (req.headers['accept-language'] ?? '').startsWith('en');
    return reply.code(404).send({ code: 'NOT_FOUND', message: en ? 'Not found' : '资源不存在' });
  });
  return app;
}
