/**
 * Balanced-development calculator: compute the coefficients from an uploaded school table, and what-if.
 * Nothing is stored or read from the database (`scope: 'none'`); any signed-in user may compute.
 */
import {
  BalanceComputeQuery,
  BalanceResult,
  BalanceStoredQuery,
  BalanceStoredResult,
  BalanceWhatIfRequest,
  BalanceWhatIfResult,
  ErrorBody,
  type BalanceOptionsInput,
} from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { fileNameOf } from '../../platform/http/raw-body.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import { withUpload } from '../../platform/imports/small-table.js';
import { computeBalance, whatIf } from './balance.engine.js';
import { balanceFromStored } from './balance.stored.js';
import { readBalanceTable } from './balance.table.js';

/** A county's school table is a few hundred rows: 10 MB is plenty. */
export const BALANCE_MAX_BYTES = 10 * 1024 * 1024;

const tags = ['balance 均衡发展'];
const errors = { 400: ErrorBody, 413: ErrorBody };
const config = { scope: 'none' as const };

function optionsOf(q: BalanceComputeQuery): BalanceOptionsInput {
  const o: BalanceOptionsInput = {};
  if (q.minMet !== undefined) o.minMet = q.minMet;
  if (q.remainingMinRatio !== undefined) o.remainingMinRatio = q.remainingMinRatio;
  if (q.primaryCvLimit !== undefined || q.juniorCvLimit !== undefined)
    o.cvLimit = { primary: q.primaryCvLimit ?? 0.5, junior: q.juniorCvLimit ?? 0.45 };
  return o;
}

/** POST /api/balance/compute, POST /api/balance/what-if, and GET /api/balance/stored (collected figures). */
export function balanceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  r.get(
    '/api/balance/stored',
    {
      schema: {
        tags,
        summary: '由已审核的填报数据计算县域差异系数 A county’s coefficients from collected figures',
        querystring: BalanceStoredQuery,
        response: { 200: BalanceStoredResult, 403: ErrorBody, 404: ErrorBody, ...errors },
      },
      // reads a county's collected figures: the unit scope filter decides
      config: { scope: 'unit' as const },
    },
    (req) => balanceFromStored(ctx, actorOf(req), req.query, req.lang),
  );
  r.post(
    '/api/balance/compute',
    {
      schema: {
        tags,
        summary:
          '由学校数据表测算差异系数（原始文件作为请求体，X-File-Name 为文件名）Compute the coefficients from a school table',
        querystring: BalanceComputeQuery,
        consumes: ['application/octet-stream'],
        response: { 200: BalanceResult, ...errors },
      },
      config,
    },
    async (req) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function')
        throw badRequest('BALANCE_NO_FILE', {
          zh: '请上传学校数据表（.xlsx 或 CSV）作为请求体',
          en: 'Upload the school table (.xlsx or CSV) as the request body',
        });
      const fileName = fileNameOf(req, 'upload');
      // spooled to a temporary file (the xlsx reader needs random access), refusing more than the limit
      return withUpload(
        body,
        BALANCE_MAX_BYTES,
        async (path) =>
          computeBalance(await readBalanceTable(path, fileName, req.lang), optionsOf(req.query), req.lang),
        Number(req.headers['content-length']),
      );
    },
  );
  r.post(
    '/api/balance/what-if',
    {
      schema: {
        tags,
        summary: '假设某校某项指标提高到某值后的差异系数与达标学校数 What-if',
        body: BalanceWhatIfRequest,
        response: { 200: BalanceWhatIfResult, ...errors },
      },
      config,
    },
    (req) => {
      const { stage, schools, schoolId, indicator, value, options } = req.body;
      if (!schools.some((s) => s.id === schoolId))
        throw badRequest('BALANCE_UNKNOWN_SCHOOL', {
          zh: '所选学校不在本学段的学校中',
          en: 'The school chosen is not among the stage’s schools',
        });
      return whatIf(stage, schools, { schoolId, indicator, value }, options ?? {}, req.lang);
    },
  );
}
