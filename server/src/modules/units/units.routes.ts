import {
  ErrorBody,
  Unit,
  UnitCreate,
  UnitListQuery,
  UnitPage,
  UnitStats,
  UnitStatusChange,
  UnitTreeNode,
  UnitUpdate,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import { sendXlsx } from '../../platform/exports/xlsx.js';
import * as units from './units.service.js';

const tags = ['units 组织机构'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The org tree: read, create, edit, disable and enable units. */
export function unitRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  const origin = (req: Parameters<typeof actorOf>[0] & Parameters<typeof requestMeta>[0]) => ({
    actor: actorOf(req),
    ...requestMeta(req),
  });

  r.get(
    '/api/units/tree',
    {
      schema: {
        tags,
        summary: '机构树的一层 One level of the org tree',
        querystring: z.strictObject({ parentId: z.uuid().optional() }),
        response: { 200: z.array(UnitTreeNode), ...errors },
      },
      config: { scope: 'unit' },
    },
    (req) => units.unitTree(ctx, actorOf(req), req.query.parentId ?? null),
  );
  r.get(
    '/api/units/stats',
    {
      schema: {
        tags,
        summary: '学校统计 School counts',
        querystring: z.strictObject({ under: z.uuid().optional() }),
        response: { 200: UnitStats, ...errors },
      },
      config: { scope: 'unit' },
    },
    (req) => units.unitStats(ctx, actorOf(req), req.query.under),
  );
  r.get(
    '/api/units',
    {
      schema: {
        tags,
        summary: '机构列表 List units',
        querystring: UnitListQuery,
        response: { 200: UnitPage, ...errors },
      },
      config: { scope: 'unit' },
    },
    (req) => units.listUnits(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/units/export',
    {
      schema: {
        tags,
        summary: '导出机构名录（xlsx，审计）Export units (xlsx, audited)',
        querystring: UnitListQuery.omit({ page: true, pageSize: true }),
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: errors,
      },
      config: { scope: 'unit' },
    },
    async (req, reply) => {
      const { file, fileName } = await units.exportUnits(ctx, actorOf(req), req.query, origin(req));
      // A workbook is bytes, not one of the JSON shapes the typed reply knows.
      const raw: FastifyReply = reply;
      return sendXlsx(raw, file, fileName, 'units.xlsx');
    },
  );
  r.get(
    '/api/units/:id',
    {
      schema: {
        tags,
        summary: '机构详情 Unit details',
        params: IdParams,
        response: { 200: Unit, ...errors },
      },
      config: { scope: 'unit' },
    },
    (req) => units.getUnit(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/units',
    {
      schema: {
        tags,
        summary: '新建机构 Create a unit',
        body: UnitCreate,
        response: { 201: Unit, ...errors },
      },
      config: { scope: 'unit' },
    },
    async (req, reply) =>
      reply.code(201).send(await units.createUnit(ctx, actorOf(req), req.body, origin(req))),
  );
  r.patch(
    '/api/units/:id',
    {
      schema: {
        tags,
        summary: '修改机构 Edit a unit',
        params: IdParams,
        body: UnitUpdate,
        response: { 200: Unit, ...errors },
      },
      config: { scope: 'unit' },
    },
    (req) => units.updateUnit(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/units/:id/disable',
    {
      schema: {
        tags,
        summary: '停用机构 Disable a unit',
        params: IdParams,
        body: UnitStatusChange,
        response: { 200: Unit, ...errors },
      },
      config: { scope: 'unit' },
    },
    (req) => units.setUnitStatus(ctx, actorOf(req), req.params.id, 'disabled', req.body.reason, origin(req)),
  );
  r.post(
    '/api/units/:id/enable',
    {
      schema: {
        tags,
        summary: '启用机构 Enable a unit',
        params: IdParams,
        body: UnitStatusChange,
        response: { 200: Unit, ...errors },
      },
      config: { scope: 'unit' },
    },
    (req) => units.setUnitStatus(ctx, actorOf(req), req.params.id, 'active', req.body.reason, origin(req)),
  );
}
