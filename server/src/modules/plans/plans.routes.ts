/**
 * Routes of 部署·督办·考评·通报: plans, tasks, assignments, reports, 督办单, 调度会, responsibility agreements,
 * assessment, briefings.
 */
import {
  AgreementKind,
  AgreementKindCreate,
  AgreementKindList,
  AgreementKindUpdate,
  AgreementReturn,
  AgreementRoundCreate,
  AgreementRoundDetail,
  AgreementRoundList,
  AgreementRoundQuery,
  AgreementSigning,
  AgreementSigningList,
  AgreementSigningQuery,
  AgreementSignQuery,
  AssessApprove,
  AssessEntryInput,
  AssessPeriodCreate,
  AssessResults,
  AssessScheme,
  AssessSchemeCreate,
  AssessSchemeList,
  BriefingCreate,
  BriefingDetail,
  BriefingList,
  ErrorBody,
  PlanAssignmentDetail,
  PlanAssignmentList,
  PlanAssignmentListQuery,
  PlanAssignmentPerson,
  PlanAssignmentSplit,
  PlanCreate,
  PlanDetail,
  PlanDispatch,
  PlanImportQuery,
  PlanImportResult,
  PlanList,
  PlanMeetingCreate,
  PlanNotice,
  PlanNoticeAnswer,
  PlanNoticeCreate,
  PlanNoticeList,
  PlanNoticeQuery,
  PlanReportCreate,
  PlanTaskCreate,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { systemActor } from '../../platform/access/actor.js';
import { canCityWide } from '../../platform/access/scope.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, forbidden } from '../../platform/errors.js';
import { sendXlsx } from '../../platform/exports/xlsx.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { fileNameOf } from '../../platform/http/raw-body.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as agreements from './plans.agreements.js';
import * as assess from './plans.assess.js';
import * as briefings from './plans.briefings.js';
import { dispatchView, recordMeeting } from './plans.dispatch.js';
import { importPlanUpload } from './plans.import.js';
import * as notices from './plans.notices.js';
import * as assignments from './plans.assignments.js';
import * as plans from './plans.service.js';

const tags = ['plans 部署督办考评'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
// Plans, assignments, notices, schemes and briefings belong to units: the unit scope filter decides.
const config = { scope: 'unit' as const };
const ESCALATION_INTERVAL_MS = 5 * 60 * 1000;
const Ok = z.object({ escalated: z.number().int() });

export function planRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);

  let sweep: NodeJS.Timeout | undefined;
  const escalate = () =>
    notices
      .escalateNotices(ctx, { actor: systemActor('escalation'), ip: null, requestId: null })
      .catch((err: unknown) => app.log.error({ err }, 'plan notice escalation failed'));
  app.addHook('onReady', async () => {
    await escalate();
    sweep = setInterval(() => void escalate(), ESCALATION_INTERVAL_MS);
    sweep.unref();
  });
  app.addHook('onClose', () => clearInterval(sweep));

  // ---------- plans ----------
  r.get(
    '/api/plans',
    { schema: { tags, summary: '工作计划列表 Plans', response: { 200: PlanList } }, config },
    (req) => plans.listPlans(ctx, actorOf(req)),
  );
  r.post(
    '/api/plans',
    {
      schema: {
        tags,
        summary: '新建工作计划 Create a plan',
        body: PlanCreate,
        response: { 200: PlanDetail, ...errors },
      },
      config,
    },
    (req) => plans.createPlan(ctx, actorOf(req), req.body, origin(req)),
  );
  r.post(
    '/api/plans/import',
    {
      schema: {
        tags,
        summary: '由表格导入工作计划（章节/序号/任务/牵头科室/责任单位/完成时限/目标）Import a plan',
        querystring: PlanImportQuery,
        consumes: ['application/octet-stream'],
        response: { 200: PlanImportResult, ...errors },
      },
      config,
    },
    (req) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function')
        throw badRequest('PLAN_IMPORT_NO_FILE', {
          zh: '请上传计划表（.xlsx 或 CSV）',
          en: 'Upload the plan sheet (.xlsx or CSV)',
        });
      return importPlanUpload(ctx, actorOf(req), body, fileNameOf(req, 'plan.xlsx'), req.query, origin(req));
    },
  );
  r.get(
    '/api/plans/:id',
    {
      schema: {
        tags,
        summary: '计划详情（任务与状态）Plan',
        params: IdParams,
        response: { 200: PlanDetail, ...errors },
      },
      config,
    },
    (req) => plans.getPlan(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/plans/:id/chapters',
    {
      schema: {
        tags,
        summary: '增加章节 Add a chapter',
        params: IdParams,
        body: z.strictObject({ title: PlanCreate.shape.title }),
        response: { 200: PlanDetail, ...errors },
      },
      config,
    },
    (req) => plans.addChapter(ctx, actorOf(req), req.params.id, req.body.title, origin(req)),
  );
  r.post(
    '/api/plans/:id/tasks',
    {
      schema: {
        tags,
        summary: '增加任务 Add a task',
        params: IdParams,
        body: PlanTaskCreate,
        response: { 200: PlanDetail, ...errors },
      },
      config,
    },
    (req) => plans.createTask(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.get(
    '/api/plans/:id/dispatch',
    {
      schema: {
        tags,
        summary: '调度会视图 Dispatch meeting view',
        params: IdParams,
        response: { 200: PlanDispatch, ...errors },
      },
      config,
    },
    (req) => dispatchView(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/plans/:id/meetings',
    {
      schema: {
        tags,
        summary: '记录调度会 Record a meeting',
        params: IdParams,
        body: PlanMeetingCreate,
        response: { 200: PlanDispatch, ...errors },
      },
      config,
    },
    (req) => recordMeeting(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );

  // ---------- assignments and reports ----------
  r.get(
    '/api/plan-assignments',
    {
      schema: {
        tags,
        summary: '本单位的任务 My assignments',
        querystring: PlanAssignmentListQuery,
        response: { 200: PlanAssignmentList },
      },
      config,
    },
    (req) => assignments.listAssignments(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/plan-assignments/:id',
    {
      schema: {
        tags,
        summary: '任务分解详情 Assignment',
        params: IdParams,
        response: { 200: PlanAssignmentDetail, ...errors },
      },
      config,
    },
    (req) => assignments.getAssignment(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/plan-assignments/:id/split',
    {
      schema: {
        tags,
        summary: '分解到学校 Split to schools',
        params: IdParams,
        body: PlanAssignmentSplit,
        response: { 200: PlanAssignmentDetail, ...errors },
      },
      config,
    },
    (req) => assignments.splitAssignment(ctx, actorOf(req), req.params.id, req.body.unitIds, origin(req)),
  );
  r.put(
    '/api/plan-assignments/:id/person',
    {
      schema: {
        tags,
        summary: '指定责任人 Responsible person',
        params: IdParams,
        body: PlanAssignmentPerson,
        response: { 200: PlanAssignmentDetail, ...errors },
      },
      config,
    },
    (req) => assignments.setPerson(ctx, actorOf(req), req.params.id, req.body.userId, origin(req)),
  );
  r.post(
    '/api/plan-assignments/:id/reports',
    {
      schema: {
        tags,
        summary: '报送进度 Report progress',
        params: IdParams,
        body: PlanReportCreate,
        response: { 200: PlanAssignmentDetail, ...errors },
      },
      config,
    },
    (req) => assignments.addReport(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );

  // ---------- 督办单 ----------
  r.get(
    '/api/plan-notices',
    {
      schema: {
        tags,
        summary: '督办单列表 Supervision notices',
        querystring: PlanNoticeQuery,
        response: { 200: PlanNoticeList },
      },
      config,
    },
    (req) => notices.listNotices(ctx, actorOf(req), req.query),
  );
  r.post(
    '/api/plan-notices',
    {
      schema: {
        tags,
        summary: '下发督办单 Issue a notice',
        body: PlanNoticeCreate,
        response: { 200: PlanNotice, ...errors },
      },
      config,
    },
    (req) => notices.createNotice(ctx, actorOf(req), req.body, origin(req)),
  );
  r.post(
    '/api/plan-notices/escalate',
    {
      schema: {
        tags,
        summary: '立即处理逾期督办单（转入问题台账）Escalate overdue notices now',
        response: { 200: Ok, ...errors },
      },
      config: { scope: 'none' },
    },
    async (req) => {
      // Escalation runs over every county's notices: a city-wide job, refused below the city.
      if (!(await canCityWide(ctx.db, actorOf(req), 'plan.manage'))) throw forbidden();
      return { escalated: await notices.escalateNotices(ctx, origin(req)) };
    },
  );
  r.get(
    '/api/plan-notices/:id',
    {
      schema: { tags, summary: '督办单 Notice', params: IdParams, response: { 200: PlanNotice, ...errors } },
      config,
    },
    (req) => notices.getNotice(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/plan-notices/:id/answer',
    {
      schema: {
        tags,
        summary: '回复督办单 Answer',
        params: IdParams,
        body: PlanNoticeAnswer,
        response: { 200: PlanNotice, ...errors },
      },
      config,
    },
    (req) => notices.answerNotice(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/plan-notices/:id/close',
    {
      schema: {
        tags,
        summary: '办结督办单 Close',
        params: IdParams,
        response: { 200: PlanNotice, ...errors },
      },
      config,
    },
    (req) => notices.closeNotice(ctx, actorOf(req), req.params.id, origin(req)),
  );

  // ---------- responsibility agreements (责任书) ----------
  r.get(
    '/api/agreement-kinds',
    { schema: { tags, summary: '责任书类型 Agreement kinds', response: { 200: AgreementKindList } }, config },
    (req) => agreements.listKinds(ctx, actorOf(req)),
  );
  r.post(
    '/api/agreement-kinds',
    {
      schema: {
        tags,
        summary: '新增责任书类型 Add a kind',
        body: AgreementKindCreate,
        response: { 200: AgreementKind, ...errors },
      },
      config,
    },
    (req) => agreements.createKind(ctx, actorOf(req), req.body, origin(req)),
  );
  r.put(
    '/api/agreement-kinds/:id',
    {
      schema: {
        tags,
        summary: '修改或停用责任书类型 Edit or retire a kind',
        params: IdParams,
        body: AgreementKindUpdate,
        response: { 200: AgreementKind, ...errors },
      },
      config,
    },
    (req) => agreements.updateKind(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.get(
    '/api/agreement-rounds',
    {
      schema: {
        tags,
        summary: '责任书签订（按年度、类型）Agreement rounds',
        querystring: AgreementRoundQuery,
        response: { 200: AgreementRoundList },
      },
      config,
    },
    (req) => agreements.listRounds(ctx, actorOf(req), req.query),
  );
  r.post(
    '/api/agreement-rounds',
    {
      schema: {
        tags,
        summary: '下发责任书 Issue a round',
        body: AgreementRoundCreate,
        response: { 200: AgreementRoundDetail, ...errors },
      },
      config,
    },
    (req) => agreements.createRound(ctx, actorOf(req), req.body, origin(req)),
  );
  r.get(
    '/api/agreement-rounds/:id',
    {
      schema: {
        tags,
        summary: '责任书签订情况 Round with each unit',
        params: IdParams,
        response: { 200: AgreementRoundDetail, ...errors },
      },
      config,
    },
    (req) => agreements.getRound(ctx, actorOf(req), req.params.id),
  );
  r.get(
    '/api/agreement-rounds/:id/export',
    { schema: { tags, summary: '导出签订情况 xlsx Export', params: IdParams }, config },
    async (req, reply) => {
      const { buffer, fileName } = await agreements.exportRound(
        ctx,
        actorOf(req),
        req.params.id,
        origin(req),
      );
      return sendXlsx(reply, buffer, fileName, 'agreements.xlsx');
    },
  );
  r.get(
    '/api/agreement-signings',
    {
      schema: {
        tags,
        summary: '本单位的责任书 Our agreements to sign',
        querystring: AgreementSigningQuery,
        response: { 200: AgreementSigningList },
      },
      config,
    },
    (req) => agreements.listSignings(ctx, actorOf(req), req.query),
  );
  r.post(
    '/api/agreement-signings/:id/document',
    {
      schema: {
        tags,
        summary: '上传签订文本（PDF 或图片，原始文件作为请求体）Upload the signed document',
        params: IdParams,
        querystring: AgreementSignQuery,
        consumes: ['application/octet-stream'],
        response: { 200: AgreementSigning, ...errors, 413: ErrorBody },
      },
      config,
    },
    (req) => {
      const body = req.body as Readable | undefined;
      const length = Number(req.headers['content-length']);
      return agreements.signAgreement(
        ctx,
        actorOf(req),
        req.params.id,
        req.query,
        {
          source: body && typeof body.pipe === 'function' ? body : null,
          fileName: fileNameOf(req, 'agreement.pdf'),
          declaredLength: Number.isFinite(length) ? length : undefined,
        },
        origin(req),
      );
    },
  );
  r.post(
    '/api/agreement-signings/:id/return',
    {
      schema: {
        tags,
        summary: '退回签订文本 Return with a reason',
        params: IdParams,
        body: AgreementReturn,
        response: { 200: AgreementSigning, ...errors },
      },
      config,
    },
    (req) => agreements.returnSigning(ctx, actorOf(req), req.params.id, req.body.reason, origin(req)),
  );

  // ---------- assessment ----------
  r.get(
    '/api/assess/schemes',
    { schema: { tags, summary: '考评方案 Schemes', response: { 200: AssessSchemeList } }, config },
    (req) => assess.listSchemes(ctx, actorOf(req)),
  );
  r.post(
    '/api/assess/schemes',
    {
      schema: {
        tags,
        summary: '新建考评方案 Create a scheme',
        body: AssessSchemeCreate,
        response: { 200: AssessScheme, ...errors },
      },
      config,
    },
    (req) => assess.createScheme(ctx, actorOf(req), req.body, origin(req)),
  );
  r.get(
    '/api/assess/schemes/:id',
    {
      schema: {
        tags,
        summary: '考评方案 Scheme',
        params: IdParams,
        response: { 200: AssessScheme, ...errors },
      },
      config,
    },
    (req) => assess.getScheme(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/assess/periods',
    {
      schema: {
        tags,
        summary: '新建考评周期 Create a period',
        body: AssessPeriodCreate,
        response: { 200: AssessScheme, ...errors },
      },
      config,
    },
    (req) => assess.createPeriod(ctx, actorOf(req), req.body, origin(req)),
  );
  r.get(
    '/api/assess/periods/:id/results',
    {
      schema: {
        tags,
        summary: '考评得分、排名与明细 Scores, ranking, breakdown',
        params: IdParams,
        response: { 200: AssessResults, ...errors },
      },
      config,
    },
    (req) => assess.periodResults(ctx, actorOf(req), req.params.id),
  );
  r.put(
    '/api/assess/periods/:id/entries',
    {
      schema: {
        tags,
        summary: '人工评分、加减分、一票否决（审定后修改须说明理由并留痕）Score by hand',
        params: IdParams,
        body: AssessEntryInput,
        response: { 200: AssessResults, ...errors },
      },
      config,
    },
    (req) => assess.setEntry(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/assess/periods/:id/approve',
    {
      schema: {
        tags,
        summary: '审定考评结果（锁定）Approve and lock',
        params: IdParams,
        body: AssessApprove,
        response: { 200: AssessResults, ...errors },
      },
      config,
    },
    (req) => assess.approvePeriod(ctx, actorOf(req), req.params.id, origin(req)),
  );

  // ---------- briefings ----------
  r.get(
    '/api/briefings',
    { schema: { tags, summary: '通报 Briefings', response: { 200: BriefingList } }, config },
    (req) => briefings.listBriefings(ctx, actorOf(req)),
  );
  r.post(
    '/api/briefings',
    {
      schema: {
        tags,
        summary: '生成通报 Generate a briefing',
        body: BriefingCreate,
        response: { 200: BriefingDetail, ...errors },
      },
      config,
    },
    (req) => briefings.createBriefing(ctx, actorOf(req), req.body, origin(req)),
  );
  r.get(
    '/api/briefings/:id',
    {
      schema: {
        tags,
        summary: '通报 Briefing',
        params: IdParams,
        response: { 200: BriefingDetail, ...errors },
      },
      config,
    },
    (req) => briefings.getBriefing(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/briefings/:id/publish',
    {
      schema: {
        tags,
        summary: '发布通报 Publish',
        params: IdParams,
        response: { 200: BriefingDetail, ...errors },
      },
      config,
    },
    (req) => briefings.publishBriefing(ctx, actorOf(req), req.params.id, origin(req)),
  );
  r.get(
    '/api/briefings/:id/export',
    { schema: { tags, summary: '导出通报 xlsx Export', params: IdParams }, config },
    async (req, reply) => {
      const { buffer, fileName } = await briefings.exportBriefing(
        ctx,
        actorOf(req),
        req.params.id,
        origin(req),
      );
      return sendXlsx(reply, buffer, fileName, 'briefing.xlsx');
    },
  );
}
