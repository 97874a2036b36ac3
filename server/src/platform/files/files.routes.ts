import { ErrorBody, StoredFile } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requestMeta } from '../http/auth-hook.js';
import { fileNameOf } from '../http/raw-body.js';
import { typed } from '../http/route-kit.js';
import { actorOf } from '../http/types.js';
import { readFile, storeFile } from './files.service.js';

const tags = ['files 附件'];
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody };
// A file belongs to a unit: the unit scope filter decides who sees it.
const config = { scope: 'unit' as const };

/** Photos and evidence: upload for a unit, download within scope. */
export function fileRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);
  r.post(
    '/api/files',
    {
      schema: {
        tags,
        summary: '上传附件（图片或 PDF，原始文件作为请求体，X-File-Name 为文件名）Upload a file',
        querystring: z.strictObject({ unitId: z.uuid() }),
        consumes: ['application/octet-stream'],
        response: { 201: StoredFile, ...errors },
      },
      config,
    },
    async (req, reply) => {
      const body = req.body as Readable | undefined;
      const length = Number(req.headers['content-length']);
      const file = await storeFile(
        ctx,
        actorOf(req),
        {
          unitId: req.query.unitId,
          fileName: fileNameOf(req, 'photo'),
          source: body && typeof body.pipe === 'function' ? body : null,
          declaredLength: Number.isFinite(length) ? length : undefined,
        },
        { actor: actorOf(req), ...requestMeta(req) },
      );
      return reply.code(201).send(file);
    },
  );
  r.get(
    '/api/files/:id',
    {
      schema: {
        tags,
        summary: '下载附件 Download a file',
        params: z.strictObject({ id: z.uuid() }),
      },
      config,
    },
    async (req, reply) => {
      const f = await readFile(ctx, actorOf(req), req.params.id);
      return reply
        .header('content-type', f.contentType)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.name)}`)
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('etag', `"${f.sha256}"`)
        .header('x-content-type-options', 'nosniff')
        .send(f.data);
    },
  );
}
