import {
  Coverage,
  CoverageQuery,
  ErrorBody,
  InspectorDetail,
  InspectorListQuery,
  InspectorPage,
  InspectorProfileUpdate,
  InspectorSchoolsUpdate,
  InspectorSettings,
  InspectorSettingsQuery,
  InspectorSettingsUpdate,
  OpinionAccept,
  OpinionCreate,
  OpinionDetail,
  OpinionListQuery,
  OpinionPage,
  OpinionReport,
  OpinionReturn,
  Plaque,
  PlaqueParams,
  PlaquePhotoParams,
  TermList,
  VisitCreate,
  VisitDetail,
  VisitListQuery,
  VisitPage,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as inspectors from './inspectors.service.js';
import * as opinionService from './inspectors.opinions.service.js';
import { coverage } from './inspectors.coverage.service.js';

const tags = ['inspectors 责任督学'];
const IdParams = z.strictObject({ id: z.uuid() });
const UserParams = z.strictObject({ userId: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
// Inspectors, visits and opinions belong to schools and bureaus: the unit scope filter decides who sees them.
const config = { scope: 'unit' as const };

/** Responsibility inspectors: roster, settings, plaque, visits, 督导意见书, coverage. */
export function inspectorRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);

  r.get(
    '/api/inspectors/terms',
    {
      schema: { tags, summary: '学期列表（当前学期与此前五个学期）Terms', response: { 200: TermList } },
      config: { scope: 'none' },
    },
    () => inspectors.listTerms(),
  );

  // ---------- settings ----------
  r.get(
    '/api/inspectors/settings',
    {
      schema: {
        tags,
        summary: '督导设置（每学期督导次数、责任学校上限、监督电话）Inspector settings of a unit',
        querystring: InspectorSettingsQuery,
        response: { 200: InspectorSettings, ...errors },
      },
      config,
    },
    (req) => inspectors.getSettings(ctx, actorOf(req), req.query.unitId),
  );
  r.put(
    '/api/inspectors/settings',
    {
      schema: {
        tags,
        summary: '修改督导设置（审计）Change a bureau’s inspector settings',
        body: InspectorSettingsUpdate,
        response: { 200: InspectorSettings, ...errors },
      },
      config,
    },
    (req) => inspectors.updateSettings(ctx, actorOf(req), req.body, origin(req)),
  );

  // ---------- coverage ----------
  r.get(
    '/api/inspectors/coverage',
    {
      schema: {
        tags,
        summary: '督导覆盖情况（按学期：每校应督导次数、已督导、滞后）Visit coverage for a term',
        querystring: CoverageQuery,
        response: { 200: Coverage, ...errors },
      },
      config,
    },
    (req) => coverage(ctx, actorOf(req), req.query),
  );

  // ---------- plaque ----------
  r.get(
    '/api/inspectors/plaque/:schoolId',
    {
      schema: {
        tags,
        summary: '挂牌督导公示牌信息 The plaque of a school',
        params: PlaqueParams,
        response: { 200: Plaque, ...errors },
      },
      config,
    },
    (req) => inspectors.getPlaque(ctx, actorOf(req), req.params.schoolId),
  );
  r.get(
    '/api/inspectors/plaque/:schoolId/photo/:userId',
    {
      schema: {
        tags,
        summary: '公示牌上的督学照片 An assigned inspector’s photo',
        params: PlaquePhotoParams,
      },
      config,
    },
    async (req, reply) => {
      const f = await inspectors.plaquePhoto(ctx, actorOf(req), req.params.schoolId, req.params.userId);
      return reply
        .header('content-type', f.content_type)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.name)}`)
        .header('etag', `"${f.sha256}"`)
        .header('x-content-type-options', 'nosniff')
        .send(f.data);
    },
  );

  // ---------- visits ----------
  r.get(
    '/api/inspectors/visits',
    {
      schema: {
        tags,
        summary: '督导记录列表 Visits',
        querystring: VisitListQuery,
        response: { 200: VisitPage, ...errors },
      },
      config,
    },
    (req) => inspectors.listVisits(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/inspectors/visits/:id',
    {
      schema: {
        tags,
        summary: '督导记录详情 A visit',
        params: IdParams,
        response: { 200: VisitDetail, ...errors },
      },
      config,
    },
    (req) => inspectors.getVisit(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/inspectors/visits',
    {
      schema: {
        tags,
        summary: '登记督导（问题进入问题台账；同一 id 重复提交返回已登记的记录）Record a visit',
        body: VisitCreate,
        response: { 200: VisitDetail, 201: VisitDetail, ...errors },
      },
      config,
    },
    async (req, reply) => {
      const { visit, created } = await inspectors.createVisit(ctx, actorOf(req), req.body, origin(req));
      return reply.code(created ? 201 : 200).send(visit);
    },
  );
  r.post(
    '/api/inspectors/visits/:id/opinion',
    {
      schema: {
        tags,
        summary: '下达督导意见书（限期整改）Issue the supervision opinion of a visit',
        params: IdParams,
        body: OpinionCreate,
        response: { 201: OpinionDetail, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await opinionService.createOpinion(ctx, actorOf(req), req.params.id, req.body, origin(req))),
  );

  // ---------- opinions ----------
  r.get(
    '/api/inspectors/opinions',
    {
      schema: {
        tags,
        summary: '督导意见书列表 Supervision opinions',
        querystring: OpinionListQuery,
        response: { 200: OpinionPage, ...errors },
      },
      config,
    },
    (req) => opinionService.listOpinions(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/inspectors/opinions/:id',
    {
      schema: {
        tags,
        summary: '督导意见书（打印数据、整改报告、办理过程）A supervision opinion',
        params: IdParams,
        response: { 200: OpinionDetail, ...errors },
      },
      config,
    },
    (req) => opinionService.getOpinion(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/inspectors/opinions/:id/report',
    {
      schema: {
        tags,
        summary: '学校提交整改报告 Submit the rectification report',
        params: IdParams,
        body: OpinionReport,
        response: { 200: OpinionDetail, ...errors },
      },
      config,
    },
    (req) => opinionService.submitReport(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/inspectors/opinions/:id/accept',
    {
      schema: {
        tags,
        summary: '督学验收整改报告 Accept the report',
        params: IdParams,
        body: OpinionAccept,
        response: { 200: OpinionDetail, ...errors },
      },
      config,
    },
    (req) =>
      opinionService.verifyReport(
        ctx,
        actorOf(req),
        req.params.id,
        { accept: true, note: req.body.note },
        origin(req),
      ),
  );
  r.post(
    '/api/inspectors/opinions/:id/return',
    {
      schema: {
        tags,
        summary: '退回整改报告 Return the report with the reason',
        params: IdParams,
        body: OpinionReturn,
        response: { 200: OpinionDetail, ...errors },
      },
      config,
    },
    (req) =>
      opinionService.verifyReport(
        ctx,
        actorOf(req),
        req.params.id,
        { accept: false, reason: req.body.reason },
        origin(req),
      ),
  );

  // ---------- the roster (督学人才库) ----------
  r.get(
    '/api/inspectors',
    {
      schema: {
        tags,
        summary: '督学名册 The inspector roster',
        querystring: InspectorListQuery,
        response: { 200: InspectorPage, ...errors },
      },
      config,
    },
    (req) => inspectors.listInspectors(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/inspectors/:userId',
    {
      schema: {
        tags,
        summary: '督学档案与责任学校 An inspector',
        params: UserParams,
        response: { 200: InspectorDetail, ...errors },
      },
      config,
    },
    (req) => inspectors.getInspector(ctx, actorOf(req), req.params.userId),
  );
  r.put(
    '/api/inspectors/:userId/profile',
    {
      schema: {
        tags,
        summary: '修改督学档案（审计）Edit an inspector’s profile',
        params: UserParams,
        body: InspectorProfileUpdate,
        response: { 200: InspectorDetail, ...errors },
      },
      config,
    },
    (req) => inspectors.updateProfile(ctx, actorOf(req), req.params.userId, req.body, origin(req)),
  );
  r.put(
    '/api/inspectors/:userId/schools',
    {
      schema: {
        tags,
        summary: '分配责任学校（审计）Assign schools to an inspector',
        params: UserParams,
        body: InspectorSchoolsUpdate,
        response: { 200: InspectorDetail, ...errors },
      },
      config,
    },
    (req) => inspectors.updateAssignments(ctx, actorOf(req), req.params.userId, req.body, origin(req)),
  );
}
