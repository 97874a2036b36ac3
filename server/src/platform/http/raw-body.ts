/** Uploads that arrive as the raw request body (imports, files): the parser and the file-name header. */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Registered once for the app: an application/octet-stream body is handed to the route as the stream. */
export function installRawBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
}

/** The file name from the X-File-Name header (URL-encoded by clients), without path separators. */
export function fileNameOf(req: FastifyRequest, fallback = 'upload'): string {
  const raw = req.headers['x-file-name'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return fallback;
  try {
    return decodeURIComponent(value).replace(/[\\/]/g, '_').slice(0, 255) || fallback;
  } catch {
    return value.slice(0, 255);
  }
}
