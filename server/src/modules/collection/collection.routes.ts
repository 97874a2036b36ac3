/**
 * 数据填报: definitions (forms, elements, rules, indicators — the city's, `scope: 'none'`), entry and approval,
 * the progress board, rule results, import, indicator values (`scope: 'unit'`: the unit scope filter decides).
 * API entry: the same PUT /api/collection/entry with a bearer token (`Authorization: Bearer ddo_…`).
 */
import {
  AcceptBody,
  CollectionForm,
  DataElement,
  DataElementWithUsage,
  ElementInput,
  EntryKey,
  EntrySave,
  EntryView,
  ErrorBody,
  FormDetail,
  FormActiveBody,
  FormInput,
  ImportQuery,
  ImportResult,
  Indicator,
  IndicatorInput,
  IndicatorValue,
  IndicatorValueQuery,
  ProgressBoard,
  ProgressQuery,
  ReasonBody,
  RuleInput,
  ValidationRule,
  Violation,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { attachment } from '../../platform/exports/xlsx.js';
import { fileNameOf } from '../../platform/http/raw-body.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as board from './collection.board.js';
import * as defs from './collection.definitions.js';
import { indicatorValue } from './collection.indicators.js';
import { importForm, importTemplate } from './collection.import.js';
import { ensureDefinitions } from './collection.seed.js';
import * as entry from './collection.service.js';

const tags = ['collection 数据填报'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
const unit = { scope: 'unit' as const };
const none = { scope: 'none' as const };
const DAY_MS = 24 * 60 * 60 * 1000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TemplateQuery = z.strictObject({
  formId: z.uuid(),
  layout: z.enum(['single', 'sections']).default('single'),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});

export function collectionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);

  // Built-in definitions on start; the validation run over everything once a day.
  let daily: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await ensureDefinitions(ctx.db);
    daily = setInterval(() => {
      board
        .runValidation(ctx, {})
        .catch((err: unknown) => app.log.error({ err }, 'collection validation failed'));
    }, DAY_MS);
    daily.unref();
  });
  app.addHook('onClose', () => clearInterval(daily));

  // ---------- definitions ----------
  r.get(
    '/api/collection/forms',
    {
      schema: { tags, summary: '报表列表 Forms', response: { 200: z.array(CollectionForm), ...errors } },
      config: none,
    },
    (req) => defs.listForms(ctx, actorOf(req)),
  );
  r.get(
    '/api/collection/forms/:id',
    {
      schema: {
        tags,
        summary: '报表（数据项与校验规则）Form',
        params: IdParams,
        response: { 200: FormDetail, ...errors },
      },
      config: none,
    },
    (req) => defs.formDetail(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/collection/forms',
    {
      schema: {
        tags,
        summary: '新建报表 Create a form',
        body: FormInput,
        response: { 201: CollectionForm, ...errors },
      },
      config: none,
    },
    async (req, reply) => reply.code(201).send(await defs.saveForm(ctx, origin(req), null, req.body)),
  );
  r.put(
    '/api/collection/forms/:id',
    {
      schema: {
        tags,
        summary: '修改报表 Update a form',
        params: IdParams,
        body: FormInput,
        response: { 200: CollectionForm, ...errors },
      },
      config: none,
    },
    (req) => defs.saveForm(ctx, origin(req), req.params.id, req.body),
  );
  r.get(
    '/api/collection/elements',
    {
      schema: {
        tags,
        summary: '数据项（及使用情况）Data elements with their usage',
        response: { 200: z.array(DataElementWithUsage), ...errors },
      },
      config: none,
    },
    (req) => defs.listElements(ctx, actorOf(req)),
  );
  r.post(
    '/api/collection/elements',
    {
      schema: {
        tags,
        summary: '新建数据项 Create an element',
        body: ElementInput,
        response: { 201: DataElement, ...errors },
      },
      config: none,
    },
    async (req, reply) => reply.code(201).send(await defs.createElement(ctx, origin(req), req.body)),
  );
  r.put(
    '/api/collection/elements/:id',
    {
      schema: {
        tags,
        summary: '修改数据项 Update an element',
        params: IdParams,
        body: ElementInput,
        response: { 200: DataElement, ...errors },
      },
      config: none,
    },
    (req) => defs.updateElement(ctx, origin(req), req.params.id, req.body),
  );
  r.delete(
    '/api/collection/elements/:id',
    {
      schema: {
        tags,
        summary: '删除未使用的数据项 Delete an unused element',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
      config: none,
    },
    async (req, reply) => {
      await defs.deleteElement(ctx, origin(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  r.put(
    '/api/collection/forms/:id/active',
    {
      schema: {
        tags,
        summary: '启用或停用报表 Activate or retire a form',
        params: IdParams,
        body: FormActiveBody,
        response: { 200: CollectionForm, ...errors },
      },
      config: none,
    },
    (req) => defs.setFormActive(ctx, origin(req), req.params.id, req.body.active),
  );
  r.get(
    '/api/collection/import-template',
    {
      schema: {
        tags,
        summary: '导入模板（由报表定义生成）Import template of a form',
        querystring: TemplateQuery,
        produces: [XLSX, 'text/csv'],
      },
      config: none,
    },
    async (req, reply) => {
      const t = await importTemplate(ctx, actorOf(req), req.query);
      return reply
        .header('content-type', req.query.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
        .header('content-disposition', attachment(t.fileName, `${t.form.code}-template.${req.query.format}`))
        .send(t.body);
    },
  );
  r.post(
    '/api/collection/rules',
    {
      schema: {
        tags,
        summary: '新建校验规则 Create a rule',
        body: RuleInput,
        response: { 201: ValidationRule, ...errors },
      },
      config: none,
    },
    async (req, reply) => reply.code(201).send(await defs.saveRule(ctx, origin(req), null, req.body)),
  );
  r.put(
    '/api/collection/rules/:id',
    {
      schema: {
        tags,
        summary: '修改校验规则 Update a rule',
        params: IdParams,
        body: RuleInput,
        response: { 200: ValidationRule, ...errors },
      },
      config: none,
    },
    (req) => defs.saveRule(ctx, origin(req), req.params.id, req.body),
  );
  r.get(
    '/api/collection/indicators',
    {
      schema: { tags, summary: '指标 Indicators', response: { 200: z.array(Indicator), ...errors } },
      config: none,
    },
    (req) => defs.listIndicators(ctx, actorOf(req)),
  );
  r.post(
    '/api/collection/indicators',
    {
      schema: {
        tags,
        summary: '新建指标 Create an indicator',
        body: IndicatorInput,
        response: { 201: Indicator, ...errors },
      },
      config: none,
    },
    async (req, reply) => reply.code(201).send(await defs.saveIndicator(ctx, origin(req), null, req.body)),
  );
  r.put(
    '/api/collection/indicators/:id',
    {
      schema: {
        tags,
        summary: '修改指标 Update an indicator',
        params: IdParams,
        body: IndicatorInput,
        response: { 200: Indicator, ...errors },
      },
      config: none,
    },
    (req) => defs.saveIndicator(ctx, origin(req), req.params.id, req.body),
  );

  // ---------- entry and approval ----------
  r.get(
    '/api/collection/entry',
    {
      schema: {
        tags,
        summary: '某单位某期填报数据 A unit’s figures',
        querystring: EntryKey,
        response: { 200: EntryView, ...errors },
      },
      config: unit,
    },
    (req) => entry.getEntry(ctx, actorOf(req), req.query, req.lang),
  );
  r.put(
    '/api/collection/entry',
    {
      schema: {
        tags,
        summary: '保存填报（草稿，审计）Save figures',
        body: EntrySave,
        response: { 200: EntryView, ...errors },
      },
      config: unit,
    },
    (req) => entry.saveEntry(ctx, origin(req), req.body, { submit: false, lang: req.lang }),
  );
  r.post(
    '/api/collection/entry/submit',
    {
      schema: {
        tags,
        summary: '上报（校验后，审计）Submit figures',
        body: EntrySave,
        response: { 200: EntryView, ...errors },
      },
      config: unit,
    },
    (req) => entry.saveEntry(ctx, origin(req), req.body, { submit: true, lang: req.lang }),
  );
  r.post(
    '/api/collection/submissions/:id/approve',
    {
      schema: {
        tags,
        summary: '县级审核通过（锁定）Approve',
        params: IdParams,
        response: { 200: EntryView, ...errors },
      },
      config: unit,
    },
    (req) => entry.approve(ctx, origin(req), req.params.id, req.lang),
  );
  r.post(
    '/api/collection/submissions/:id/return',
    {
      schema: {
        tags,
        summary: '退回修改 Return',
        params: IdParams,
        body: ReasonBody,
        response: { 200: EntryView, ...errors },
      },
      config: unit,
    },
    (req) => entry.returnSubmission(ctx, origin(req), req.params.id, req.body.reason, req.lang),
  );
  r.post(
    '/api/collection/submissions/:id/reopen',
    {
      schema: {
        tags,
        summary: '重新打开已审核数据（需理由，审计）Reopen',
        params: IdParams,
        body: ReasonBody,
        response: { 200: EntryView, ...errors },
      },
      config: unit,
    },
    (req) => entry.reopen(ctx, origin(req), req.params.id, req.body.reason, req.lang),
  );
  r.post(
    '/api/collection/accept',
    {
      schema: {
        tags,
        summary: '市级确认县级数据 Accept a county',
        body: AcceptBody,
        response: { 200: z.object({ accepted: z.number().int() }), ...errors },
      },
      config: unit,
    },
    (req) => entry.accept(ctx, origin(req), req.body),
  );

  // ---------- board, results, import, indicators ----------
  r.get(
    '/api/collection/progress',
    {
      schema: {
        tags,
        summary: '填报进度 Progress board',
        querystring: ProgressQuery,
        response: { 200: ProgressBoard, ...errors },
      },
      config: unit,
    },
    (req) => board.progress(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/collection/violations',
    {
      schema: {
        tags,
        summary: '校验结果 Failing rules',
        querystring: ProgressQuery,
        response: { 200: z.array(Violation), ...errors },
      },
      config: unit,
    },
    (req) => board.violations(ctx, actorOf(req), req.query),
  );
  r.post(
    '/api/collection/validation-runs',
    {
      schema: {
        tags,
        summary: '对辖区数据运行全面校验 Run the validation',
        body: ProgressQuery,
        response: {
          200: z.object({ checked: z.number().int(), errors: z.number().int(), warnings: z.number().int() }),
          ...errors,
        },
      },
      config: unit,
    },
    (req) => board.runValidationFor(ctx, origin(req), req.body, req.lang),
  );
  r.post(
    '/api/collection/import',
    {
      schema: {
        tags,
        summary: '导入汇总表（每校一行，或每分组一张工作表；可试导入）Import a sheet, one row per school',
        querystring: ImportQuery,
        consumes: ['application/octet-stream'],
        response: { 200: ImportResult, 413: ErrorBody, ...errors },
      },
      config: unit,
    },
    (req) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function')
        throw badRequest('COLLECTION_NO_FILE', {
          zh: '请上传 .xlsx 或 CSV 文件',
          en: 'Upload an .xlsx or CSV file',
        });
      return importForm(
        ctx,
        origin(req),
        req.query,
        body,
        fileNameOf(req, 'upload'),
        req.lang,
        Number(req.headers['content-length']),
      );
    },
  );
  r.get(
    '/api/collection/indicator-values',
    {
      schema: {
        tags,
        summary: '指标值（Σ分子/Σ分母）与下钻 Indicator value and drill-down',
        querystring: IndicatorValueQuery,
        response: { 200: IndicatorValue, ...errors },
      },
      config: unit,
    },
    (req) => indicatorValue(ctx, actorOf(req), req.query),
  );
}
