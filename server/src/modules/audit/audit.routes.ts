import { AuditPage, AuditQuery, ErrorBody } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { pathInScope } from '../../platform/access/scope.js';
import { verifyAuditChain } from '../../platform/audit/verify.js';
import type { AppContext } from '../../platform/context.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import { listAuditEvents, readsWholeTrail } from './audit.repository.js';

const tags = ['audit 审计'];

/** Browsing the audit trail within scope, and verifying the chain. */
export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  r.get(
    '/api/audit',
    {
      schema: {
        tags,
        summary: '审计日志 Audit events',
        querystring: AuditQuery,
        response: { 200: AuditPage, 400: ErrorBody, 404: ErrorBody },
      },
      config: { scope: 'audit' },
    },
    async (req) => {
      const actor = actorOf(req);
      let underPath: string | undefined;
      if (req.query.unitId) {
        const unit = await ctx.db
          .selectFrom('unit')
          .select('path')
          .where('id', '=', req.query.unitId)
          .where(pathInScope(actor, 'audit.read', sql.ref('unit.path')))
          .executeTakeFirst();
        if (!unit) throw notFound({ zh: '机构', en: 'Unit' });
        underPath = unit.path;
      }
      const { rows, total } = await listAuditEvents(ctx.db, actor, { ...req.query, underPath });
      return {
        items: rows.map((e) => ({
          id: e.id,
          occurredAt: e.occurred_at.toISOString(),
          actorUserId: e.actor_user_id,
          actorName: e.actor_name,
          action: e.action,
          objectType: e.object_type,
          objectId: e.object_id,
          unitId: e.unit_id,
          unitName: e.unit_name,
          before: e.before ?? null,
          after: e.after ?? null,
          ip: e.ip,
          hash: e.hash,
        })),
        total,
        page: req.query.page,
        pageSize: req.query.pageSize,
      };
    },
  );
  r.get(
    '/api/audit/verify',
    {
      schema: {
        tags,
        summary: '校验审计链 Verify the audit chain',
        response: {
          200: z.object({
            ok: z.boolean(),
            events: z.number(),
            firstBroken: z.number().nullable(),
            reason: z.string().nullable(),
          }),
          403: ErrorBody,
        },
      },
      config: { scope: 'audit' },
    },
    async (req) => {
      if (!readsWholeTrail(actorOf(req))) throw forbidden();
      await ctx.auditHead.sync(ctx.db);
      return verifyAuditChain(ctx.db, ctx.auditHead);
    },
  );
}
