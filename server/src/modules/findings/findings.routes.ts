import {
  ErrorBody,
  FindingComment,
  FindingCreate,
  FindingDetail,
  FindingExportQuery,
  FindingExtend,
  FindingListQuery,
  FindingPage,
  FindingReturn,
  FindingStart,
  FindingStats,
  FindingStatsQuery,
  FindingSubmit,
  FindingVerify,
  Notice,
  NoticeCreate,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { attachment } from '../../platform/exports/xlsx.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as findings from './findings.service.js';
import { escalateOverdue } from './findings.escalation.js';
import { findingStats } from './findings.stats.js';

const tags = ['findings 问题台账'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
// Findings belong to their responsible unit: the unit scope filter decides who sees them.
const config = { scope: 'unit' as const };
/** How often overdue findings are looked for (and escalated). */
const ESCALATION_INTERVAL_MS = 5 * 60 * 1000;

/** The findings ledger: list, statistics, export, the rectification loop, notices. */
export function findingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);

  let sweep: NodeJS.Timeout | undefined;
  const escalate = () =>
    escalateOverdue(ctx, { actor: systemActor('escalation'), ip: null, requestId: null }).catch(
      (err: unknown) => app.log.error({ err }, 'finding escalation failed'),
    );
  app.addHook('onReady', async () => {
    await escalate();
    sweep = setInterval(() => void escalate(), ESCALATION_INTERVAL_MS);
    sweep.unref();
  });
  app.addHook('onClose', () => clearInterval(sweep));

  r.get(
    '/api/findings',
    {
      schema: {
        tags,
        summary: '问题台账 List findings',
        querystring: FindingListQuery,
        response: { 200: FindingPage, ...errors },
      },
      config,
    },
    (req) => findings.listFindings(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/findings/stats',
    {
      schema: {
        tags,
        summary: '整改统计（发现、整改、逾期、整改率）Statistics',
        querystring: FindingStatsQuery,
        response: { 200: FindingStats, ...errors },
      },
      config,
    },
    (req) => findingStats(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/findings/export',
    {
      schema: {
        tags,
        summary: '导出问题整改台账（xlsx / csv，审计）Export the ledger',
        querystring: FindingExportQuery,
        response: errors,
      },
      config,
    },
    async (req, reply) => {
      const { file, fileName, contentType } = await findings.exportLedger(
        ctx,
        actorOf(req),
        req.query,
        origin(req),
      );
      const raw: FastifyReply = reply;
      return raw
        .header('content-type', contentType)
        .header('content-disposition', attachment(fileName, `findings.${req.query.format}`))
        .send(file);
    },
  );
  r.post(
    '/api/findings',
    {
      schema: {
        tags,
        summary: '登记问题 Raise a finding',
        body: FindingCreate,
        response: { 201: FindingDetail, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply.code(201).send(await findings.createFinding(ctx, actorOf(req), req.body, origin(req))),
  );
  r.post(
    '/api/findings/notices',
    {
      schema: {
        tags,
        summary: '下发整改通知书 Issue a rectification notice',
        body: NoticeCreate,
        response: { 201: Notice, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply.code(201).send(await findings.createNotice(ctx, actorOf(req), req.body, origin(req))),
  );
  r.get(
    '/api/findings/notices/:id',
    {
      schema: {
        tags,
        summary: '整改通知书（打印）Rectification notice',
        params: IdParams,
        response: { 200: Notice, ...errors },
      },
      config,
    },
    (req) => findings.getNotice(ctx, actorOf(req), req.params.id),
  );
  r.get(
    '/api/findings/:id',
    {
      schema: {
        tags,
        summary: '问题详情与整改过程 Finding and its timeline',
        params: IdParams,
        response: { 200: FindingDetail, ...errors },
      },
      config,
    },
    (req) => findings.getFinding(ctx, actorOf(req), req.params.id),
  );

  const stepRoute = <S extends z.ZodType>(
    path: string,
    summary: string,
    body: S,
    run: (req: FastifyRequest, id: string, input: z.infer<S>) => Promise<unknown>,
  ) =>
    r.post(
      `/api/findings/:id/${path}`,
      {
        schema: { tags, summary, params: IdParams, body, response: { 200: FindingDetail, ...errors } },
        config,
      },
      (req) => run(req, req.params.id, req.body as z.infer<S>) as Promise<FindingDetail>,
    );
  stepRoute('start', '落实整改措施 Start rectifying', FindingStart, (req, id, b) =>
    findings.startRectification(ctx, actorOf(req), id, b, origin(req)),
  );
  stepRoute('submit', '提交整改报告 Submit the rectification report', FindingSubmit, (req, id, b) =>
    findings.submitRectification(ctx, actorOf(req), id, b, origin(req)),
  );
  stepRoute('verify', '验收销号 Verify and close', FindingVerify, (req, id, b) =>
    findings.verifyFinding(ctx, actorOf(req), id, b, origin(req)),
  );
  stepRoute('return', '验收不通过，退回 Return the report', FindingReturn, (req, id, b) =>
    findings.returnFinding(ctx, actorOf(req), id, b, origin(req)),
  );
  stepRoute('extend', '延长整改期限 Extend the deadline', FindingExtend, (req, id, b) =>
    findings.extendFinding(ctx, actorOf(req), id, b, origin(req)),
  );
  stepRoute('comment', '备注 Comment', FindingComment, (req, id, b) =>
    findings.commentFinding(ctx, actorOf(req), id, b, origin(req)),
  );
}
