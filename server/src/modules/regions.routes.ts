import { ErrorBody } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { notFound } from '../platform/errors.js';
import { typed } from '../platform/http/route-kit.js';
import { childDivisions, findDivision } from '../platform/regions/divisions.js';

const Division = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'city', 'county', 'town']),
});

/** National division codes (public reference data, no scope). */
export function regionRoutes(app: FastifyInstance, _ctx: AppContext): void {
  typed(app).get(
    '/api/regions/:code/children',
    {
      schema: {
        tags: ['regions 行政区划'],
        summary: '下级行政区划 Child divisions',
        params: z.strictObject({ code: z.string().regex(/^\d{6}(\d{3})?$/) }),
        response: { 200: z.array(Division), 404: ErrorBody },
      },
      config: { scope: 'none' },
    },
    (req) => {
      if (!findDivision(req.params.code)) throw notFound({ zh: '行政区划', en: 'Division' });
      return childDivisions(req.params.code).map((d) => ({ code: d.code, name: d.name, level: d.level }));
    },
  );
}
