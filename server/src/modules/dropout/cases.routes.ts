/**
 * Routes of the second slice: the case workflow, the 动态清零 dashboard with its drill-down, and
 * 四查三比对 population lists. Overdue steps escalate at start-up and every 5 minutes.
 */
import {
  CaseBoardPage,
  CaseBoardQuery,
  CaseConfirm,
  CaseDetail,
  CaseDismiss,
  CaseLines,
  CaseOutcomeInput,
  CaseVerify,
  CrosscheckQuery,
  CrosscheckResult,
  Dashboard,
  DashboardQuery,
  ErrorBody,
  LedgerParams,
  LedgerQuery,
  ReportQuery,
  ReportStatus,
  ReportSubmit,
  ScanRequest,
  ScanResult,
  PersonQuery,
  PopulationListQuery,
  PopulationListSummary,
  PopulationPersonPage,
  StepRecord,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { sendXlsx } from '../../platform/exports/xlsx.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { fileNameOf } from '../../platform/http/raw-body.js';
import { withUpload } from '../../platform/imports/small-table.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as cases from './cases.service.js';
import * as crosscheck from './crosscheck.service.js';
import * as dash from './dashboard.service.js';
import * as ledgers from './ledgers.service.js';

const tags = ['dropout 控辍保学'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
const config = { scope: 'unit' as const };
const ESCALATION_INTERVAL_MS = 5 * 60 * 1000;
const LIST_MAX_BYTES = 200 * 1024 * 1024;

export function dropoutCaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);

  let sweep: NodeJS.Timeout | undefined;
  const escalate = () =>
    cases
      .escalateOverdue(ctx, { actor: systemActor('dropout-escalation'), ip: null, requestId: null })
      .catch((err: unknown) => app.log.error({ err }, 'dropout escalation failed'));
  app.addHook('onReady', async () => {
    await escalate();
    sweep = setInterval(() => void escalate(), ESCALATION_INTERVAL_MS);
    sweep.unref();
  });
  app.addHook('onClose', () => clearInterval(sweep));

  r.get(
    '/api/dropout/board',
    {
      schema: {
        tags,
        summary: '劝返台账（可按看板指标下钻）Case ledger, drill-down of the dashboard',
        querystring: CaseBoardQuery,
        response: { 200: CaseBoardPage, ...errors },
      },
      config,
    },
    (req) => dash.caseBoard(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/dropout/cases/:id',
    {
      schema: {
        tags,
        summary: '辍学个案（双线四级、四步法、时间线）A case',
        params: IdParams,
        response: { 200: CaseDetail, ...errors },
      },
      config,
    },
    (req) => cases.getCase(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/dropout/cases/:id/confirm',
    {
      schema: {
        tags,
        summary: '确认辍学，启动教育劝返（审计）Confirm the dropout',
        params: IdParams,
        body: CaseConfirm,
        response: { 200: CaseDetail, ...errors },
      },
      config,
    },
    (req) => cases.confirmCase(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/dropout/cases/:id/dismiss',
    {
      schema: {
        tags,
        summary: '排除疑似（审计）Dismiss a suspected case',
        params: IdParams,
        body: CaseDismiss,
        response: { 200: CaseDetail, ...errors },
      },
      config,
    },
    (req) => cases.dismissCase(ctx, actorOf(req), req.params.id, req.body.reason, origin(req)),
  );
  r.put(
    '/api/dropout/cases/:id/lines',
    {
      schema: {
        tags,
        summary: '双线四级责任人（审计）Responsibility lines',
        params: IdParams,
        body: CaseLines,
        response: { 200: CaseDetail, ...errors },
      },
      config,
    },
    (req) => cases.setLines(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/dropout/cases/:id/steps',
    {
      schema: {
        tags,
        summary: '登记四步法工作（审计）Record a step',
        params: IdParams,
        body: StepRecord,
        response: { 200: CaseDetail, ...errors },
      },
      config,
    },
    (req) => cases.recordStep(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/dropout/cases/:id/outcome',
    {
      schema: {
        tags,
        summary: '登记劝返结果，提请销号（审计）Record the outcome',
        params: IdParams,
        body: CaseOutcomeInput,
        response: { 200: CaseDetail, ...errors },
      },
      config,
    },
    (req) => cases.proposeOutcome(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/dropout/cases/:id/verify',
    {
      schema: {
        tags,
        summary: '上级核销或退回（动态销号，审计）Verify or send back',
        params: IdParams,
        body: CaseVerify,
        response: { 200: CaseDetail, ...errors },
      },
      config,
    },
    (req) => cases.verifyCase(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/dropout/scan',
    {
      schema: {
        tags,
        summary: '立即运行疑似辍学检测（市级，审计）Run the detection now (city)',
        body: ScanRequest,
        response: { 200: ScanResult, ...errors },
      },
      // City-wide and city-only: the policy refuses everyone below the root (403), no unit is addressed.
      config: { scope: 'none' as const },
    },
    (req) => cases.scanNow(ctx, actorOf(req), req.body.date, origin(req)),
  );
  r.get(
    '/api/dropout/dashboard',
    {
      schema: {
        tags,
        summary: '动态清零看板 Dashboard',
        querystring: DashboardQuery,
        response: { 200: Dashboard, ...errors },
      },
      config,
    },
    (req) => dash.dashboard(ctx, actorOf(req), req.query),
  );

  // ---------- ledgers and scheduled reports ----------
  r.get(
    '/api/dropout/ledgers/:kind',
    {
      schema: {
        tags,
        summary: '导出台账（适龄儿童/疑似辍学/辍学，xlsx，审计）Export a ledger',
        params: LedgerParams,
        querystring: LedgerQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: errors,
      },
      config,
    },
    async (req, reply) => {
      const { file, fileName } = await ledgers.exportLedger(
        ctx,
        actorOf(req),
        req.params.kind,
        req.query,
        origin(req),
      );
      const raw: FastifyReply = reply;
      return sendXlsx(raw, file, fileName, `dropout-${req.params.kind}.xlsx`);
    },
  );
  r.get(
    '/api/dropout/reports',
    {
      schema: {
        tags,
        summary: '月报/季度复核报送情况 Scheduled reports and who has not filed',
        querystring: ReportQuery,
        response: { 200: ReportStatus, ...errors },
      },
      config,
    },
    (req) => ledgers.reportStatus(ctx, actorOf(req), req.query),
  );
  r.post(
    '/api/dropout/reports',
    {
      schema: {
        tags,
        summary: '报送月报/季度复核（审计）File a report',
        body: ReportSubmit,
        response: { 200: ReportStatus, ...errors },
      },
      config,
    },
    (req) => ledgers.submitReport(ctx, actorOf(req), req.body, origin(req)),
  );

  // ---------- 四查三比对 ----------
  r.post(
    '/api/dropout/crosscheck',
    {
      schema: {
        tags,
        summary:
          '导入户籍/脱贫户名单并比对（原始文件为请求体，X-File-Name 为文件名）Import and cross-check a list',
        querystring: CrosscheckQuery,
        consumes: ['application/octet-stream'],
        response: { 200: CrosscheckResult, 413: ErrorBody, ...errors },
      },
      config,
    },
    async (req) => {
      const unit = await crosscheck.unitForCrosscheck(ctx, actorOf(req), req.query.unitId);
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function')
        throw badRequest('CROSSCHECK_NO_FILE', {
          zh: '请上传名单（.xlsx 或 CSV）作为请求体',
          en: 'Upload the list (.xlsx or CSV) as the request body',
        });
      const fileName = fileNameOf(req, 'upload');
      // spooled to a temporary file (the xlsx reader needs random access), refusing more than the limit
      return withUpload(
        body,
        LIST_MAX_BYTES,
        (path) =>
          crosscheck.runCrosscheck(ctx, origin(req), {
            unit,
            path,
            fileName,
            dryRun: req.query.dryRun === 'true',
            ...(req.query.asOf ? { asOf: req.query.asOf } : {}),
          }),
        Number(req.headers['content-length']),
      );
    },
  );
  r.get(
    '/api/dropout/population-lists',
    {
      schema: {
        tags,
        summary: '已比对的名单 Population lists',
        querystring: PopulationListQuery,
        response: { 200: z.array(PopulationListSummary), ...errors },
      },
      config,
    },
    (req) => crosscheck.listLists(ctx, actorOf(req), req.query.under),
  );
  r.get(
    '/api/dropout/population-lists/:id',
    {
      schema: {
        tags,
        summary: '名单比对结果（按区县、乡镇）Cross-check result of a list',
        params: IdParams,
        response: { 200: CrosscheckResult, ...errors },
      },
      config,
    },
    (req) => crosscheck.getList(ctx, actorOf(req), req.params.id),
  );
  r.get(
    '/api/dropout/population-lists/:id/persons',
    {
      schema: {
        tags,
        summary: '名单人员（按类别下钻）Persons of a list by category',
        params: IdParams,
        querystring: PersonQuery,
        response: { 200: PopulationPersonPage, ...errors },
      },
      config,
    },
    (req) => crosscheck.listPersons(ctx, actorOf(req), req.params.id, req.query),
  );
}
