/**
 * The complaints desk's routes (staff: scope 'unit', the responsible unit's scope filter) and the public
 * portal's complaint routes (`auth: 'public'`, rate limited per IP, no personal data in any answer).
 */
import {
  Captcha,
  ComplaintCreate,
  ComplaintDetail,
  ComplaintExportQuery,
  ComplaintFinding,
  ComplaintListQuery,
  ComplaintMerge,
  ComplaintNote,
  ComplaintOptionalNote,
  ComplaintPage,
  ComplaintReply,
  ComplaintReveal,
  ComplaintRoute,
  ComplaintSettings,
  ComplaintSettingsUpdate,
  ComplaintStats,
  ComplaintStatsQuery,
  ErrorBody,
  HotlineImportResult,
  HotlineTransfer,
  HotlineTransferResult,
  PublicComplaintReceipt,
  PublicComplaintSubmit,
  PublicComplaintTarget,
  PublicComplaintView,
  PublicRateRequest,
  PublicTargetQuery,
  PublicTrackRequest,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { sendXlsx } from '../../platform/exports/xlsx.js';
import { withUpload } from '../../platform/imports/small-table.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { fileNameOf } from '../../platform/http/raw-body.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as hotline from './complaints.hotline.js';
import * as portal from './complaints.public.js';
import * as loop from './complaints.loop.js';
import * as complaints from './complaints.service.js';
import { complaintStats, exportComplaints } from './complaints.stats.js';

const tags = ['complaints 群众诉求'];
const publicTags = ['portal 公众服务'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
// A complaint belongs to its responsible unit: the unit scope filter decides who sees it.
const config = { scope: 'unit' as const };
const ESCALATION_INTERVAL_MS = 5 * 60 * 1000;
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/** Per-IP limits of the public routes (a family files one complaint, not ten an hour). */
export const PUBLIC_LIMITS = {
  captcha: { max: 30, timeWindow: 60_000 },
  submit: { max: 5, timeWindow: 60 * 60_000 },
  photo: { max: 10, timeWindow: 60 * 60_000 },
  track: { max: 20, timeWindow: 60_000 },
  targets: { max: 60, timeWindow: 60_000 },
};
const publicConfig = (rateLimit: { max: number; timeWindow: number }) => ({
  auth: 'public' as const,
  scope: 'none' as const,
  rateLimit,
});

export function complaintRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);

  let sweep: NodeJS.Timeout | undefined;
  const escalate = () =>
    complaints
      .escalateOverdueComplaints(ctx, {
        actor: systemActor('complaint-escalation'),
        ip: null,
        requestId: null,
      })
      .catch((err: unknown) => app.log.error({ err }, 'complaint escalation failed'));
  app.addHook('onReady', async () => {
    await escalate();
    sweep = setInterval(() => void escalate(), ESCALATION_INTERVAL_MS);
    sweep.unref();
  });
  app.addHook('onClose', () => clearInterval(sweep));

  r.get(
    '/api/complaints',
    {
      schema: {
        tags,
        summary: '诉求列表 Complaints inbox',
        querystring: ComplaintListQuery,
        response: { 200: ComplaintPage, ...errors },
      },
      config,
    },
    (req) => complaints.listComplaints(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/complaints/stats',
    {
      schema: {
        tags,
        summary: '诉求统计（办结率、满意率）Statistics',
        querystring: ComplaintStatsQuery,
        response: { 200: ComplaintStats, ...errors },
      },
      config,
    },
    (req) => complaintStats(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/complaints/export',
    {
      schema: {
        tags,
        summary: '导出诉求办理台账（xlsx，审计）Export the ledger',
        querystring: ComplaintExportQuery,
        response: errors,
      },
      config,
    },
    async (req, reply) => {
      const { body, fileName } = await exportComplaints(ctx, actorOf(req), req.query, origin(req));
      const raw: FastifyReply = reply;
      return sendXlsx(raw, body, fileName, 'complaints.xlsx');
    },
  );
  r.get(
    '/api/complaints/settings',
    {
      schema: {
        tags,
        summary: '答复时限设置 Reply limit of a unit',
        querystring: z.strictObject({ unitId: z.uuid() }),
        response: { 200: ComplaintSettings, ...errors },
      },
      config,
    },
    (req) => complaints.getSettings(ctx, actorOf(req), req.query.unitId),
  );
  r.put(
    '/api/complaints/settings',
    {
      schema: {
        tags,
        summary: '设置答复时限（工作日）Set the reply limit',
        body: ComplaintSettingsUpdate,
        response: { 200: ComplaintSettings, ...errors },
      },
      config,
    },
    (req) => complaints.putSettings(ctx, actorOf(req), req.body.unitId, req.body.replyDays, origin(req)),
  );
  r.post(
    '/api/complaints',
    {
      schema: {
        tags,
        summary: '登记诉求（电话、信访、舆情等）Register a complaint',
        body: ComplaintCreate,
        response: { 201: ComplaintDetail, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply.code(201).send(await loop.createComplaint(ctx, actorOf(req), req.body, origin(req))),
  );
  r.post(
    '/api/complaints/hotline',
    {
      schema: {
        tags,
        summary: '接收 12345 转办工单（API 令牌；按工单号去重）Receive a 12345 work order',
        body: HotlineTransfer,
        response: { 200: HotlineTransferResult, 201: HotlineTransferResult, ...errors },
      },
      config,
    },
    async (req, reply) => {
      const res = await hotline.receiveTransfer(ctx, actorOf(req), req.body, origin(req));
      return reply.code(res.duplicate ? 200 : 201).send(res);
    },
  );
  r.post(
    '/api/complaints/hotline/import',
    {
      schema: {
        tags,
        summary: '导入 12345 转办工单（xlsx/CSV 原始文件作为请求体）Import 12345 work orders',
        querystring: z.strictObject({ unitId: z.uuid() }),
        consumes: ['application/octet-stream'],
        response: { 200: HotlineImportResult, 413: ErrorBody, ...errors },
      },
      config,
    },
    (req) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function')
        throw badRequest('HOTLINE_NO_FILE', {
          zh: '请上传 12345 工单表（.xlsx 或 CSV）',
          en: 'Upload the 12345 export (.xlsx or CSV)',
        });
      return withUpload(body, IMPORT_MAX_BYTES, (path) =>
        hotline.importHotline(
          ctx,
          actorOf(req),
          req.query.unitId,
          path,
          fileNameOf(req, 'hotline.xlsx'),
          origin(req),
        ),
      );
    },
  );
  r.get(
    '/api/complaints/:id',
    {
      schema: {
        tags,
        summary: '诉求详情与办理过程 Complaint',
        params: IdParams,
        response: { 200: ComplaintDetail, ...errors },
      },
      config,
    },
    (req) => complaints.getComplaint(ctx, actorOf(req), req.params.id),
  );
  const action = <B extends z.ZodType>(
    path: string,
    summary: string,
    body: B,
    run: (req: FastifyRequest<{ Params: { id: string }; Body: z.infer<B> }>) => Promise<unknown>,
  ) =>
    r.post(
      `/api/complaints/:id/${path}`,
      {
        schema: { tags, summary, params: IdParams, body, response: { 200: ComplaintDetail, ...errors } },
        config,
      },
      (req) => run(req as never) as Promise<ComplaintDetail>,
    );
  action('route', '转办/改派 Route to a unit', ComplaintRoute, (req) =>
    loop.routeComplaint(ctx, actorOf(req), req.params.id, req.body.unitId, req.body.note, origin(req)),
  );
  action('accept', '签收 Accept', ComplaintOptionalNote, (req) =>
    loop.acceptComplaint(ctx, actorOf(req), req.params.id, origin(req)),
  );
  action('reply', '答复 Reply', ComplaintReply, (req) =>
    loop.replyComplaint(ctx, actorOf(req), req.params.id, req.body.reply, origin(req)),
  );
  r.post(
    '/api/complaints/:id/return',
    {
      schema: {
        tags,
        summary: '退回分派 Send back to the desk',
        params: IdParams,
        body: ComplaintNote,
        response: { 204: z.null(), ...errors },
      },
      config,
    },
    async (req, reply) => {
      await loop.returnComplaint(ctx, actorOf(req), req.params.id, req.body.note, origin(req));
      return reply.code(204).send(null);
    },
  );
  action('close', '办结 Close', ComplaintOptionalNote, (req) =>
    loop.closeComplaint(ctx, actorOf(req), req.params.id, req.body.note, origin(req)),
  );
  action('merge', '重复件合并 Merge into another complaint', ComplaintMerge, (req) =>
    loop.mergeComplaint(ctx, actorOf(req), req.params.id, req.body.intoId, req.body.note, origin(req)),
  );
  action('finding', '转问题台账 Raise a finding', ComplaintFinding, (req) =>
    loop.raiseComplaintFinding(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  action('note', '内部备注 Internal note', ComplaintNote, (req) =>
    loop.noteComplaint(ctx, actorOf(req), req.params.id, req.body.note, origin(req)),
  );
  r.post(
    '/api/complaints/:id/reveal-phone',
    {
      schema: {
        tags,
        summary: '查看诉求人联系电话（审计）Reveal the phone',
        params: IdParams,
        response: { 200: ComplaintReveal, ...errors },
      },
      config,
    },
    (req) => complaints.revealPhone(ctx, actorOf(req), req.params.id, origin(req)),
  );

  // ---------- public portal ----------
  const publicOrigin = (req: FastifyRequest) => ({ actor: null, actorName: '公众', ...requestMeta(req) });
  r.get(
    '/api/public/complaints/captcha',
    {
      schema: { tags: publicTags, summary: '验证码 Captcha', response: { 200: Captcha } },
      config: publicConfig(PUBLIC_LIMITS.captcha),
    },
    () => {
      const { answer: _answer, ...c } = portal.issueCaptcha(ctx);
      return c;
    },
  );
  r.get(
    '/api/public/complaint-targets',
    {
      schema: {
        tags: publicTags,
        summary: '按名称查找学校或教育局 Find a school or bureau',
        querystring: PublicTargetQuery,
        response: { 200: z.array(PublicComplaintTarget), 400: ErrorBody },
      },
      config: publicConfig(PUBLIC_LIMITS.targets),
    },
    (req) => portal.searchTargets(ctx, req.query.q),
  );
  r.post(
    '/api/public/complaints/photo',
    {
      schema: {
        tags: publicTags,
        summary: '上传投诉照片（图片，≤5 MB）Upload a photo',
        consumes: ['application/octet-stream'],
        response: { 201: z.object({ id: z.uuid(), size: z.number() }), 400: ErrorBody, 413: ErrorBody },
      },
      config: publicConfig(PUBLIC_LIMITS.photo),
    },
    async (req, reply) => {
      const body = req.body as Readable | undefined;
      const length = Number(req.headers['content-length']);
      const res = await portal.uploadPublicPhoto(
        ctx,
        body && typeof body.pipe === 'function' ? body : null,
        fileNameOf(req, 'photo'),
        Number.isFinite(length) ? length : undefined,
        publicOrigin(req),
      );
      return reply.code(201).send(res);
    },
  );
  r.post(
    '/api/public/complaints',
    {
      schema: {
        tags: publicTags,
        summary: '提交投诉举报 Submit a complaint',
        body: PublicComplaintSubmit,
        response: { 201: PublicComplaintReceipt, 400: ErrorBody },
      },
      config: publicConfig(PUBLIC_LIMITS.submit),
    },
    async (req, reply) =>
      reply.code(201).send(await portal.submitPublicComplaint(ctx, req.body, publicOrigin(req))),
  );
  r.post(
    '/api/public/complaints/track',
    {
      schema: {
        tags: publicTags,
        summary: '凭受理编号和手机号后四位查询进度 Track a complaint',
        body: PublicTrackRequest,
        response: { 200: PublicComplaintView, 400: ErrorBody, 404: ErrorBody },
      },
      config: publicConfig(PUBLIC_LIMITS.track),
    },
    (req) => portal.trackComplaint(ctx, req.body),
  );
  r.post(
    '/api/public/complaints/rate',
    {
      schema: {
        tags: publicTags,
        summary: '对答复进行满意度评价 Rate the reply',
        body: PublicRateRequest,
        response: { 200: PublicComplaintView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
      config: publicConfig(PUBLIC_LIMITS.track),
    },
    (req) => portal.rateFromPortal(ctx, req.body, publicOrigin(req)),
  );
}
