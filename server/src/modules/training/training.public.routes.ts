/** The public portal's routes (no login, rate-limited per IP): institution search, detail, counties. */
import {
  ErrorBody,
  PublicCounty,
  PublicInstitution,
  PublicInstitutionPage,
  PublicInstitutionQuery,
} from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { typed } from '../../platform/http/route-kit.js';
import * as pub from './training.public.js';

/** Requests per minute per IP on each public route (a parent browsing needs a few dozen). */
export const PUBLIC_RATE_LIMIT = 120;
const tags = ['portal 公众服务'];
const config = {
  auth: 'public' as const,
  scope: 'none' as const,
  rateLimit: { max: PUBLIC_RATE_LIMIT, timeWindow: 60_000 },
};
const errors = { 400: ErrorBody, 404: ErrorBody, 429: ErrorBody };

export function trainingPublicRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  r.get(
    '/api/public/institutions',
    {
      schema: {
        tags,
        summary: '查询培训机构（公开信息）Search institutions (public fields)',
        querystring: PublicInstitutionQuery,
        response: { 200: PublicInstitutionPage, ...errors },
      },
      config,
    },
    (req) => pub.searchPublic(ctx, req.query),
  );
  r.get(
    '/api/public/institutions/:id',
    {
      schema: {
        tags,
        summary: '培训机构公开信息 Institution (public fields)',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: PublicInstitution, ...errors },
      },
      config,
    },
    (req) => pub.getPublic(ctx, req.params.id),
  );
  r.get(
    '/api/public/training/counties',
    {
      schema: {
        tags,
        summary: '公示名单的区县 Counties with published lists',
        response: { 200: z.array(PublicCounty), ...errors },
      },
      config,
    },
    () => pub.publicCounties(ctx),
  );
}
