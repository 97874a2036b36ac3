import {
  ErrorBody,
  ImportCommit,
  ImportCreateQuery,
  ImportFields,
  ImportJob,
  ImportListQuery,
  ImportMapping,
  ImportPage,
  IMPORT_KINDS,
  importKindLabels,
  ImportTemplateQuery,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { recordAuditNow } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { attachment } from '../exports/xlsx.js';
import { requestMeta } from '../http/auth-hook.js';
import { fileNameOf } from '../http/raw-body.js';
import { typed } from '../http/route-kit.js';
import { actorOf } from '../http/types.js';
import { importEvents } from './job-progress.js';
import {
  cancelImportJob,
  commitImportJob,
  createImportJob,
  errorReportOf,
  getImportJob,
  listImportJobs,
  mapImportColumns,
  recoverImports,
  retryImportJob,
} from './jobs.js';
import { importKind } from './kinds.js';
import { templateCsv, templateXlsx } from './templates.js';
// Every module that imports registers its kind when loaded.
import '../../modules/students/students.import.js';
import '../../modules/dropout/attendance.import.js';

const tags = ['imports 导入'];
const IdParams = z.strictObject({ id: z.uuid() });
const KindParams = z.strictObject({ kind: z.enum(IMPORT_KINDS) });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
// Jobs belong to the unit they import into: the unit scope filter decides who sees them.
const config = { scope: 'unit' as const };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TERMINAL = new Set(['validated', 'committed', 'failed', 'cancelled']);

/** The import engine's API: upload, follow, commit or cancel, error report, templates, history. */
export function importRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Jobs a restart interrupted are failed (and re-runnable) before the first request; then once a minute
  // (other instances' jobs whose heartbeat stopped, old error reports).
  let sweep: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await recoverImports(ctx);
    sweep = setInterval(() => void recoverImports(ctx).catch(() => undefined), 60_000);
    sweep.unref();
  });
  app.addHook('onClose', (_app, done) => {
    clearInterval(sweep);
    done();
  });
  const r = typed(app);

  r.post(
    '/api/imports',
    {
      schema: {
        tags,
        summary:
          '上传文件并开始校验（原始文件作为请求体，X-File-Name 为文件名）Upload a file and validate it',
        querystring: ImportCreateQuery,
        consumes: ['application/octet-stream'],
        response: { 202: ImportJob, ...errors },
      },
      config,
    },
    async (req, reply) => {
      const body = req.body as Readable | undefined;
      const source = body && typeof body.pipe === 'function' ? body : null;
      const job = await createImportJob(
        ctx,
        actorOf(req),
        {
          kind: req.query.kind,
          unitId: req.query.unitId,
          sheet: req.query.sheet,
          fileName: fileNameOf(req),
          source,
        },
        origin(req),
        { lang: req.lang },
      );
      return reply.code(202).send(job);
    },
  );
  r.get(
    '/api/imports',
    {
      schema: {
        tags,
        summary: '导入记录 Import history',
        querystring: ImportListQuery,
        response: { 200: ImportPage, ...errors },
      },
      config,
    },
    (req) => listImportJobs(ctx, actorOf(req), req.query, req.lang),
  );
  r.get(
    '/api/imports/fields/:kind',
    {
      schema: {
        tags,
        summary: '导入模板的列 Template columns',
        params: KindParams,
        response: { 200: ImportFields },
      },
      config: { scope: 'none' },
    },
    (req) => {
      const def = importKind(req.params.kind);
      return {
        kind: req.params.kind,
        fields: def.fields.map((f) => ({
          key: f.key,
          label: f.label,
          required: f.required === true,
          synonyms: [...(f.synonyms ?? [])],
          hint: f.hint ?? null,
        })),
      };
    },
  );
  r.get(
    '/api/imports/templates/:kind',
    {
      schema: {
        tags,
        summary: '下载导入模板 Download the official template',
        params: KindParams,
        querystring: ImportTemplateQuery,
        produces: [XLSX, 'text/csv'],
      },
      config: { scope: 'none' },
    },
    async (req, reply) => {
      const def = importKind(req.params.kind);
      const title = `${importKindLabels[req.params.kind].zh}导入模板`;
      if (req.query.format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', attachment(`${title}.csv`, `${req.params.kind}-template.csv`))
          .send(templateCsv(def));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(`${title}.xlsx`, `${req.params.kind}-template.xlsx`))
        .send(await templateXlsx(def, title));
    },
  );
  r.get(
    '/api/imports/:id',
    {
      schema: {
        tags,
        summary: '导入任务详情与进度 Import job and progress',
        params: IdParams,
        response: { 200: ImportJob, ...errors },
      },
      config,
    },
    (req) => getImportJob(ctx, actorOf(req), req.params.id, req.lang),
  );
  r.get(
    '/api/imports/:id/events',
    {
      schema: {
        tags,
        summary: '导入进度（server-sent events，每条为任务快照）Progress as server-sent events',
        params: IdParams,
        produces: ['text/event-stream'],
      },
      config,
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const first = await getImportJob(ctx, actor, req.params.id, req.lang);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let last = first;
      const send = (job: ImportJob) => res.write(`data: ${JSON.stringify(job)}\n\n`);
      send(first);
      let closed = false;
      const finish = () => {
        if (closed) return;
        closed = true;
        importEvents.off(req.params.id, onEvent);
        clearInterval(heartbeat);
        res.end();
      };
      const onEvent = (e: {
        progress?: ImportJob['progress'];
        counts?: Partial<ImportJob['counts']>;
        done?: boolean;
      }) => {
        if (closed) return;
        if (e.done) {
          void getImportJob(ctx, actor, req.params.id, req.lang)
            .then((job) => {
              send(job);
              if (TERMINAL.has(job.status)) finish();
            })
            .catch(finish);
          return;
        }
        last = {
          ...last,
          progress: e.progress ?? last.progress,
          counts: { ...last.counts, ...(e.counts ?? {}) },
        };
        send(last);
      };
      importEvents.on(req.params.id, onEvent);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      req.raw.on('close', finish);
      if (TERMINAL.has(first.status) && first.status !== 'validated') finish();
      // A job that finished between the first read and the subscription: look once more.
      else {
        const now = await getImportJob(ctx, actor, req.params.id, req.lang);
        if (now.status !== first.status) {
          send(now);
          if (TERMINAL.has(now.status)) finish();
        } else if (first.status === 'validated') finish();
      }
    },
  );
  r.post(
    '/api/imports/:id/commit',
    {
      schema: {
        tags,
        summary: '确认导入（all 全部 / valid-only 仅正确行）Commit',
        params: IdParams,
        body: ImportCommit,
        response: { 202: ImportJob, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply.code(202).send(
        await commitImportJob(ctx, actorOf(req), req.params.id, req.body.mode, origin(req), {
          lang: req.lang,
        }),
      ),
  );
  r.post(
    '/api/imports/:id/cancel',
    {
      schema: { tags, summary: '取消导入 Cancel', params: IdParams, response: { 200: ImportJob, ...errors } },
      config,
    },
    (req) => cancelImportJob(ctx, actorOf(req), req.params.id, origin(req), req.lang),
  );
  r.post(
    '/api/imports/:id/retry',
    {
      schema: {
        tags,
        summary: '重新校验失败的导入 Re-run a failed import',
        params: IdParams,
        response: { 202: ImportJob, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply.code(202).send(await retryImportJob(ctx, actorOf(req), req.params.id, { lang: req.lang })),
  );
  r.post(
    '/api/imports/:id/mapping',
    {
      schema: {
        tags,
        summary:
          '指定无法识别的列对应的字段（记住，供以后导入）并重新校验 Map unrecognised columns and validate again',
        params: IdParams,
        body: ImportMapping,
        response: { 202: ImportJob, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply
        .code(202)
        .send(
          await mapImportColumns(ctx, actorOf(req), req.params.id, req.body, origin(req), { lang: req.lang }),
        ),
  );
  r.get(
    '/api/imports/:id/error-report',
    {
      schema: {
        tags,
        summary: '下载错误报告（原行加错误原因）Download the error report',
        params: IdParams,
        produces: [XLSX, 'text/csv'],
        response: errors,
      },
      config,
    },
    async (req, reply) => {
      const report = await errorReportOf(ctx, actorOf(req), req.params.id);
      await recordAuditNow(ctx.db, origin(req), {
        action: 'export',
        objectType: 'import_error_report',
        objectId: req.params.id,
        unitId: report.unitId,
      });
      // A file is bytes, not one of the JSON shapes the typed reply knows.
      const raw: FastifyReply = reply;
      return raw
        .header('content-type', report.format === 'csv' ? 'text/csv' : XLSX)
        .header('content-disposition', attachment(report.fileName, `errors.${report.format}`))
        .send(createReadStream(report.path));
    },
  );
}
