import {
  Campaign,
  CampaignCreate,
  CampaignGroup,
  CampaignListQuery,
  CampaignPage,
  CampaignReport,
  CampaignUpdate,
  ErrorBody,
  Grid,
  GridCoverage,
  GridInput,
  GridList,
  GridUpdate,
  GroupInput,
  GroupUpdate,
  SafetyInspectionDetail,
  SafetyInspectionListQuery,
  SafetyInspectionPage,
  SafetyInspectionSave,
  InspectOptions,
  InspectOptionsQuery,
  SelfCheckRemind,
  SelfCheckStatus,
  SelfCheckStatusQuery,
  Template,
  TemplateCreate,
  TemplateDetail,
  TemplatePublish,
  TemplateQuery,
  TemplateUpdate,
  UnderQuery,
} from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as grids from './safety.grids.service.js';
import * as inspections from './safety.inspections.service.js';
import * as safety from './safety.service.js';

const tags = ['safety 平安校园'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const scoped = { scope: 'unit' as const };

/** School safety: checklist templates, campaigns and groups, inspections, self-inspection status, grids. */
export function safetyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  const origin = (req: Parameters<typeof actorOf>[0] & Parameters<typeof requestMeta>[0]) => ({
    actor: actorOf(req),
    ...requestMeta(req),
  });

  // ---------- checklist templates ----------
  r.get(
    '/api/safety/templates',
    {
      schema: {
        tags,
        summary: '检查表 Checklist templates',
        response: { 200: z.array(Template), ...errors },
      },
      config: scoped,
    },
    (req) => safety.listTemplates(ctx, actorOf(req)),
  );
  r.get(
    '/api/safety/templates/:id',
    {
      schema: {
        tags,
        summary: '检查表详情（含版本）Template with versions',
        params: IdParams,
        querystring: TemplateQuery,
        response: { 200: TemplateDetail, ...errors },
      },
      config: scoped,
    },
    (req) => safety.getTemplate(ctx, actorOf(req), req.params.id, req.query.version),
  );
  r.post(
    '/api/safety/templates',
    {
      schema: {
        tags,
        summary: '新建检查表 Create a template',
        body: TemplateCreate,
        response: { 201: TemplateDetail, ...errors },
      },
      config: scoped,
    },
    async (req, reply) =>
      reply.code(201).send(await safety.createTemplate(ctx, actorOf(req), req.body, origin(req))),
  );
  r.patch(
    '/api/safety/templates/:id',
    {
      schema: {
        tags,
        summary: '修改检查表（已发布的生成新版本草稿）Edit (a published one drafts the next version)',
        params: IdParams,
        body: TemplateUpdate,
        response: { 200: TemplateDetail, ...errors },
      },
      config: scoped,
    },
    (req) => safety.updateTemplate(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/safety/templates/:id/publish',
    {
      schema: {
        tags,
        summary: '发布新版本 Publish the draft version',
        params: IdParams,
        body: TemplatePublish,
        response: { 200: TemplateDetail, ...errors },
      },
      config: scoped,
    },
    (req) => safety.publishTemplate(ctx, actorOf(req), req.params.id, req.body.note, origin(req)),
  );

  // ---------- campaigns ----------
  r.get(
    '/api/safety/campaigns',
    {
      schema: {
        tags,
        summary: '专项整治 Campaigns',
        querystring: CampaignListQuery,
        response: { 200: CampaignPage, ...errors },
      },
      config: scoped,
    },
    (req) => safety.listCampaigns(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/safety/campaigns/:id',
    {
      schema: {
        tags,
        summary: '专项整治详情 Campaign',
        params: IdParams,
        response: { 200: Campaign, ...errors },
      },
      config: scoped,
    },
    (req) => safety.getCampaign(ctx, actorOf(req), req.params.id),
  );
  r.get(
    '/api/safety/campaigns/:id/report',
    {
      schema: {
        tags,
        summary: '专项整治统计报告 Campaign report',
        params: IdParams,
        response: { 200: CampaignReport, ...errors },
      },
      config: scoped,
    },
    (req) => safety.campaignReport(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/safety/campaigns',
    {
      schema: {
        tags,
        summary: '新建专项整治 Create a campaign',
        body: CampaignCreate,
        response: { 201: Campaign, ...errors },
      },
      config: scoped,
    },
    async (req, reply) =>
      reply.code(201).send(await safety.createCampaign(ctx, actorOf(req), req.body, origin(req))),
  );
  r.patch(
    '/api/safety/campaigns/:id',
    {
      schema: {
        tags,
        summary: '修改专项整治 Edit a campaign',
        params: IdParams,
        body: CampaignUpdate,
        response: { 200: Campaign, ...errors },
      },
      config: scoped,
    },
    (req) => safety.updateCampaign(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/safety/campaigns/:id/groups',
    {
      schema: {
        tags,
        summary: '添加检查组 Add an inspection group',
        params: IdParams,
        body: GroupInput,
        response: { 201: CampaignGroup, ...errors },
      },
      config: scoped,
    },
    async (req, reply) =>
      reply.code(201).send(await safety.addGroup(ctx, actorOf(req), req.params.id, req.body, origin(req))),
  );
  r.patch(
    '/api/safety/campaign-groups/:id',
    {
      schema: {
        tags,
        summary: '修改检查组 Edit a group',
        params: IdParams,
        body: GroupUpdate,
        response: { 200: CampaignGroup, ...errors },
      },
      config: scoped,
    },
    (req) => safety.updateGroup(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.delete(
    '/api/safety/campaign-groups/:id',
    {
      schema: {
        tags,
        summary: '删除检查组 Delete a group',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
      config: scoped,
    },
    async (req, reply) => {
      await safety.deleteGroup(ctx, actorOf(req), req.params.id, origin(req));
      return reply.code(204).send(null);
    },
  );

  // ---------- inspections ----------
  r.get(
    '/api/safety/inspect/options',
    {
      schema: {
        tags,
        summary: '检查表单的选项（某校）What the inspection form offers at a school',
        querystring: InspectOptionsQuery,
        response: { 200: InspectOptions, ...errors },
      },
      config: scoped,
    },
    (req) => inspections.inspectOptions(ctx, actorOf(req), req.query.schoolId),
  );
  r.get(
    '/api/safety/inspections',
    {
      schema: {
        tags,
        summary: '检查记录 Inspections',
        querystring: SafetyInspectionListQuery,
        response: { 200: SafetyInspectionPage, ...errors },
      },
      config: scoped,
    },
    (req) => inspections.listInspections(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/safety/inspections/:id',
    {
      schema: {
        tags,
        summary: '检查记录详情 Inspection',
        params: IdParams,
        response: { 200: SafetyInspectionDetail, ...errors },
      },
      config: scoped,
    },
    (req) => inspections.getInspection(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/safety/inspections',
    {
      schema: {
        tags,
        summary:
          '保存或提交检查记录（客户端生成 id，重复提交视为同一记录）Save or submit an inspection (client id: a retry is the same inspection)',
        body: SafetyInspectionSave,
        response: { 200: SafetyInspectionDetail, 201: SafetyInspectionDetail, ...errors },
      },
      config: scoped,
    },
    async (req, reply) => {
      const { created, inspection } = await inspections.saveInspection(
        ctx,
        actorOf(req),
        req.body,
        origin(req),
      );
      return reply.code(created ? 201 : 200).send(inspection);
    },
  );
  r.delete(
    '/api/safety/inspections/:id',
    {
      schema: {
        tags,
        summary: '删除草稿 Discard a draft',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
      config: scoped,
    },
    async (req, reply) => {
      await inspections.deleteDraft(ctx, actorOf(req), req.params.id, origin(req));
      return reply.code(204).send(null);
    },
  );

  // ---------- monthly self-inspection ----------
  r.get(
    '/api/safety/self-checks/status',
    {
      schema: {
        tags,
        summary: '月度自查完成情况 Self-inspection status of a month',
        querystring: SelfCheckStatusQuery,
        response: { 200: SelfCheckStatus, ...errors },
      },
      config: scoped,
    },
    (req) => grids.selfCheckStatus(ctx, actorOf(req), req.query.month, req.query.under),
  );
  r.post(
    '/api/safety/self-checks/remind',
    {
      schema: {
        tags,
        summary: '催报未完成自查的学校 Remind the schools behind',
        body: SelfCheckRemind,
        response: { 200: z.object({ schools: z.number().int(), users: z.number().int() }), ...errors },
      },
      config: scoped,
    },
    (req) => grids.remindSelfCheck(ctx, actorOf(req), req.body.month, req.body.under, origin(req)),
  );

  // ---------- grids ----------
  r.get(
    '/api/safety/grids',
    {
      schema: {
        tags,
        summary: "学校的安全网格 A school's grids",
        querystring: z.strictObject({ schoolId: z.uuid() }),
        response: { 200: GridList, ...errors },
      },
      config: scoped,
    },
    (req) => grids.listGrids(ctx, actorOf(req), req.query.schoolId),
  );
  r.get(
    '/api/safety/grids/coverage',
    {
      schema: {
        tags,
        summary: '网格覆盖情况 Grid coverage',
        querystring: UnderQuery,
        response: { 200: GridCoverage, ...errors },
      },
      config: scoped,
    },
    (req) => grids.gridCoverage(ctx, actorOf(req), req.query.under),
  );
  r.post(
    '/api/safety/grids',
    {
      schema: {
        tags,
        summary: '新建网格 Create a grid',
        body: GridInput,
        response: { 201: Grid, ...errors },
      },
      config: scoped,
    },
    async (req, reply) =>
      reply.code(201).send(await grids.createGrid(ctx, actorOf(req), req.body, origin(req))),
  );
  r.patch(
    '/api/safety/grids/:id',
    {
      schema: {
        tags,
        summary: '修改网格 Edit a grid',
        params: IdParams,
        body: GridUpdate,
        response: { 200: Grid, ...errors },
      },
      config: scoped,
    },
    (req) => grids.updateGrid(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.delete(
    '/api/safety/grids/:id',
    {
      schema: {
        tags,
        summary: '删除网格 Delete a grid',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
      config: scoped,
    },
    async (req, reply) => {
      await grids.deleteGrid(ctx, actorOf(req), req.params.id, origin(req));
      return reply.code(204).send(null);
    },
  );
}
