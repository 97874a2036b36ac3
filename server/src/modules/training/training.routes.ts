/** The training module's staff routes (校外培训监管); the public portal's are in training.public.routes.ts. */
import {
  BlacklistInput,
  ComplianceQuery,
  ComplianceReport,
  CourseInput,
  CourseUpdate,
  DocumentInput,
  ErrorBody,
  FundsInput,
  InspectionInput,
  InstitutionDetail,
  InstitutionExportQuery,
  InstitutionInput,
  InstitutionListQuery,
  InstitutionPage,
  InstitutionUpdate,
  LifecycleQuery,
  LifecycleStats,
  Order,
  OrderBatch,
  OrderImportResult,
  PrepaidCheckResult,
  PrepaidRules,
  PrepaidRulesInput,
  PrepaidViolation,
  StaffInput,
  StaffUpdate,
  StatusChange,
  TRAINING_DOC_KINDS,
  UnblacklistInput,
  UnitQuery,
  VenueInput,
  VenueUpdate,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { sendXlsx } from '../../platform/exports/xlsx.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { fileNameOf } from '../../platform/http/raw-body.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as children from './training.children.js';
import * as exports from './training.exports.js';
import { importOrders } from './training.import.js';
import * as lifecycle from './training.lifecycle.js';
import * as prepaid from './training.prepaid.js';
import { trainingPublicRoutes } from './training.public.routes.js';
import * as reports from './training.reports.js';
import * as svc from './training.service.js';

const tags = ['training 校外培训'];
const IdParams = z.strictObject({ id: z.uuid() });
const DocParams = z.strictObject({ id: z.uuid(), kind: z.enum(TRAINING_DOC_KINDS) });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const config = { scope: 'unit' as const };
const Detail = { 200: InstitutionDetail, ...errors };

/** Registers the staff routes and the portal's public ones. */
export function trainingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
  function s<E extends object>(
    summary: string,
    extra: E,
  ): { schema: E & { tags: string[]; summary: string; response: typeof Detail }; config: typeof config };
  function s<E extends object, R extends object>(
    summary: string,
    extra: E,
    response: R,
  ): { schema: E & { tags: string[]; summary: string; response: R }; config: typeof config };
  function s(summary: string, extra: object, response: object = Detail) {
    return { schema: { tags, summary, ...extra, response }, config };
  }

  // ---------- registry ----------
  r.get(
    '/api/training/institutions',
    s(
      '培训机构列表 Institutions',
      { querystring: InstitutionListQuery },
      { 200: InstitutionPage, ...errors },
    ),
    (req) => svc.listInstitutions(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/training/institutions/export',
    s(
      '导出机构名册/白名单/黑名单公示（xlsx，审计）Export the registry or a published list',
      { querystring: InstitutionExportQuery },
      errors,
    ),
    async (req, reply) =>
      send(reply, await exports.exportInstitutions(ctx, actorOf(req), req.query, origin(req))),
  );
  r.get('/api/training/institutions/:id', s('机构详情 Institution', { params: IdParams }), (req) =>
    svc.getInstitution(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/training/institutions',
    s('登记机构 Register an institution', { body: InstitutionInput }, { 201: InstitutionDetail, ...errors }),
    async (req, reply) =>
      reply.code(201).send(await svc.createInstitution(ctx, actorOf(req), req.body, origin(req))),
  );
  r.patch(
    '/api/training/institutions/:id',
    s('修改机构 Edit', { params: IdParams, body: InstitutionUpdate }),
    (req) => svc.updateInstitution(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/training/institutions/:id/status',
    s('状态变更 Change status (关停/取缔/学转非 …)', { params: IdParams, body: StatusChange }),
    (req) => lifecycle.changeStatus(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/training/institutions/:id/blacklist',
    s('列入黑名单 Black-list', { params: IdParams, body: BlacklistInput }),
    (req) => lifecycle.setBlacklist(ctx, actorOf(req), req.params.id, req.body, true, origin(req)),
  );
  r.post(
    '/api/training/institutions/:id/unblacklist',
    s('移出黑名单 Remove from the black list', { params: IdParams, body: UnblacklistInput }),
    (req) => lifecycle.setBlacklist(ctx, actorOf(req), req.params.id, req.body, false, origin(req)),
  );

  // ---------- venues, staff, documents ----------
  r.post(
    '/api/training/institutions/:id/venues',
    s('新增场所 Add a venue', { params: IdParams, body: VenueInput }),
    (req) => children.addVenue(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.patch(
    '/api/training/venues/:id',
    s('修改场所 Edit a venue', { params: IdParams, body: VenueUpdate }),
    (req) => children.updateVenue(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.delete('/api/training/venues/:id', s('删除场所 Delete a venue', { params: IdParams }), (req) =>
    children.deleteChild(ctx, actorOf(req), 'training_venue', req.params.id, origin(req)),
  );
  r.post(
    '/api/training/institutions/:id/staff',
    s('新增人员 Add staff', { params: IdParams, body: StaffInput }),
    (req) => children.addStaff(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.patch(
    '/api/training/staff/:id',
    s('修改人员 Edit staff', { params: IdParams, body: StaffUpdate }),
    (req) => children.updateStaff(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.delete('/api/training/staff/:id', s('删除人员 Delete staff', { params: IdParams }), (req) =>
    children.deleteChild(ctx, actorOf(req), 'training_staff', req.params.id, origin(req)),
  );
  r.post(
    '/api/training/staff/:id/reveal-id',
    s(
      '查看完整身份证号（留痕）Reveal the ID number (audited)',
      { params: IdParams },
      {
        200: z.object({ idNumber: z.string().nullable() }),
        ...errors,
      },
    ),
    (req) => children.revealStaffId(ctx, actorOf(req), req.params.id, origin(req)),
  );
  r.put(
    '/api/training/institutions/:id/documents/:kind',
    s('登记材料 Record a document', { params: DocParams, body: DocumentInput }),
    (req) => children.putDocument(ctx, actorOf(req), req.params.id, req.params.kind, req.body, origin(req)),
  );
  r.delete(
    '/api/training/institutions/:id/documents/:kind',
    s('删除材料 Delete a document', { params: DocParams }),
    (req) => children.deleteDocument(ctx, actorOf(req), req.params.id, req.params.kind, origin(req)),
  );

  // ---------- courses, funds, orders ----------
  r.post(
    '/api/training/institutions/:id/courses',
    s('新增课程 Add a course', { params: IdParams, body: CourseInput }),
    (req) => prepaid.addCourse(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.patch(
    '/api/training/courses/:id',
    s('修改课程 Edit a course', { params: IdParams, body: CourseUpdate }),
    (req) => prepaid.updateCourse(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.delete('/api/training/courses/:id', s('删除课程 Delete a course', { params: IdParams }), (req) =>
    children.deleteChild(ctx, actorOf(req), 'training_course', req.params.id, origin(req)),
  );
  r.put(
    '/api/training/institutions/:id/funds',
    s(
      '资金监管账户与风险保证金 Custody account and reserve',
      { params: IdParams, body: FundsInput },
      {
        200: PrepaidCheckResult,
        ...errors,
      },
    ),
    (req) => prepaid.setFunds(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.get(
    '/api/training/institutions/:id/orders',
    s('预收费订单 Prepaid orders', { params: IdParams }, { 200: z.array(Order), ...errors }),
    (req) => prepaid.listOrders(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/training/institutions/:id/orders',
    s(
      '登记预收费订单（按订单号新增或更新）Record orders',
      { params: IdParams, body: OrderBatch },
      {
        200: OrderImportResult,
        ...errors,
      },
    ),
    async (req) => {
      const via = actorOf(req).via === 'token' ? 'api' : 'bureau';
      const r2 = await prepaid.saveOrders(
        ctx,
        actorOf(req),
        req.params.id,
        req.body.orders,
        via,
        origin(req),
      );
      return { ...r2, errors: [] };
    },
  );
  r.post(
    '/api/training/institutions/:id/orders/import',
    {
      schema: {
        tags,
        summary: '导入预收费订单（文件为请求体，X-File-Name 为文件名）Import orders',
        params: IdParams,
        consumes: ['application/octet-stream'],
        response: { 200: OrderImportResult, ...errors },
      },
      config,
    },
    async (req) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function')
        throw badRequest('TRAINING_IMPORT_NO_FILE', {
          zh: '请上传订单表（.xlsx 或 CSV）',
          en: 'Upload the orders table (.xlsx or CSV)',
        });
      return importOrders(
        ctx,
        actorOf(req),
        req.params.id,
        body,
        fileNameOf(req, 'orders'),
        req.lang,
        origin(req),
      );
    },
  );
  r.post(
    '/api/training/institutions/:id/inspections',
    s('登记检查（明察暗访/联合执法），问题进入台账 Record an inspection', {
      params: IdParams,
      body: InspectionInput,
    }),
    (req) => reports.recordInspection(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );

  // ---------- rules, checks, figures ----------
  r.get(
    '/api/training/rules',
    s(
      '预收费规则 Prepaid rules of a region',
      { querystring: z.strictObject({ unitId: z.uuid() }) },
      {
        200: PrepaidRules,
        ...errors,
      },
    ),
    (req) => prepaid.getRules(ctx, actorOf(req), req.query.unitId),
  );
  r.put(
    '/api/training/rules',
    s('设置预收费规则 Set the prepaid rules', { body: PrepaidRulesInput }, { 200: PrepaidRules, ...errors }),
    (req) => prepaid.setRules(ctx, actorOf(req), req.body, origin(req)),
  );
  r.get(
    '/api/training/prepaid/violations',
    s(
      '预收费违规 Current violations',
      { querystring: UnitQuery },
      { 200: z.array(PrepaidViolation), ...errors },
    ),
    (req) => prepaid.listViolations(ctx, actorOf(req), req.query.unitId),
  );
  r.post(
    '/api/training/prepaid/check',
    s(
      '预收费检查，违规进入问题台账 Check and raise findings',
      { body: z.strictObject({ unitId: z.uuid() }) },
      {
        200: PrepaidCheckResult,
        ...errors,
      },
    ),
    (req) => prepaid.checkRegion(ctx, actorOf(req), req.body.unitId, origin(req)),
  );
  r.get(
    '/api/training/compliance',
    s(
      '合规统计与到期预警 Compliance and expiry warnings',
      { querystring: ComplianceQuery },
      {
        200: ComplianceReport,
        ...errors,
      },
    ),
    (req) => reports.complianceReport(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/training/lifecycle',
    s(
      '关停/取缔/学转非统计 Closures, bans, conversions',
      { querystring: LifecycleQuery },
      {
        200: LifecycleStats,
        ...errors,
      },
    ),
    (req) => reports.lifecycleStats(ctx, actorOf(req), req.query),
  );

  r.get(
    '/api/training/compliance/export',
    s('导出合规情况统计表（xlsx，审计）Export the compliance table', { querystring: UnitQuery }, errors),
    async (req, reply) =>
      send(reply, await exports.exportCompliance(ctx, actorOf(req), req.query, origin(req))),
  );
  r.get(
    '/api/training/lifecycle/export',
    s(
      '导出关停/取缔/学转非统计表（xlsx，审计）Export closures, bans, conversions',
      { querystring: LifecycleQuery },
      errors,
    ),
    async (req, reply) =>
      send(reply, await exports.exportLifecycle(ctx, actorOf(req), req.query, origin(req))),
  );

  trainingPublicRoutes(app, ctx);
}

function send(reply: FastifyReply, exp: exports.TrainingExport) {
  return sendXlsx(reply, exp.body, exp.fileName, exp.fallbackName);
}
