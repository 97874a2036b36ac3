import { ErrorBody, NotificationList } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { unauthenticated } from '../errors.js';
import { typed } from '../http/route-kit.js';
import { actorOf } from '../http/types.js';
import { listNotifications, markAllRead, markRead } from './notifications.service.js';

const tags = ['notifications 通知'];
// Each user reads and marks only their own notifications.
const config = { scope: 'self' as const };

export function notificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  const userOf = (req: Parameters<typeof actorOf>[0]) => {
    const id = actorOf(req).userId;
    if (!id) throw unauthenticated();
    return id;
  };
  r.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: '我的通知 My notifications',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(30) }),
        response: { 200: NotificationList },
      },
      config,
    },
    (req) => listNotifications(ctx.db, userOf(req), req.query.limit),
  );
  r.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags,
        summary: '标为已读 Mark read',
        params: z.strictObject({ id: z.uuid() }),
        response: { 204: z.null(), 404: ErrorBody },
      },
      config,
    },
    async (req, reply) => {
      await markRead(ctx.db, userOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/api/notifications/read-all',
    {
      schema: {
        tags,
        summary: '全部标为已读 Mark all read',
        response: { 200: z.object({ read: z.number() }) },
      },
      config,
    },
    async (req) => ({ read: await markAllRead(ctx.db, userOf(req)) }),
  );
}
