import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type Message } from '../errors.js';
import { requestLang, say, validationMessages } from '../i18n.js';

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: string,
  msg: Message,
  details?: unknown,
) {
  const lang = req.lang ?? requestLang(req);
  return reply.code(status).send({ code, message: say(msg, lang), ...(details ? { details } : {}) });
}

interface ValidationItem {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: { keys?: string[] };
}

/** Turns every failure into `{code, message}` in the request's language; only real bugs become 500. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = req.lang ?? requestLang(req);
    if (err instanceof AppError) {
      if (err.headers) void reply.headers(err.headers);
      return send(reply, req, err.status, err.code, err.msg, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const items = err.validation as ValidationItem[];
      const details = items.map((v) => {
        const tag = v.message && validationMessages[v.message] ? v.message : (v.keyword ?? 'custom');
        const m = validationMessages[tag] ?? validationMessages.custom!;
        const keys = v.params?.keys?.length ? ` (${v.params.keys.join(', ')})` : '';
        const path = `${err.validationContext ?? 'body'}${v.instancePath && v.instancePath !== '/' ? v.instancePath : ''}`;
        return { path, message: `${path} ${say(m, lang)}${keys}` };
      });
      return send(
        reply,
        req,
        400,
        'VALIDATION',
        {
          zh: `请求内容不合法：${details.map((d) => d.message).join('；')}`,
          en: `Invalid request: ${details.map((d) => d.message).join('; ')}`,
        },
        details,
      );
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response did not match its schema');
      return send(reply, req, 500, 'INTERNAL', { zh: '服务器内部错误', en: 'Internal server error' });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, req, 400, 'BODY_TOO_LARGE', { zh: '请求内容过大', en: 'Request body too large' });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, req, 415, 'UNSUPPORTED_MEDIA_TYPE', {
          zh: '不支持的内容类型',
          en: 'Unsupported content type',
        });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, req, 400, 'MALFORMED_JSON', {
          zh: '请求体不是合法的 JSON',
          en: 'The body is not valid JSON',
        });
    }
    if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
      return send(reply, req, 400, 'MALFORMED_JSON', {
        zh: '请求体不是合法的 JSON',
        en: 'The body is not valid JSON',
      });
    }
    const pgCode = (err as { code?: string }).code;
    if (pgCode === '23505')
      return send(reply, req, 409, 'CONFLICT', { zh: '数据已存在', en: 'Already exists' });
    if (pgCode === '22P02' || pgCode === '22007' || pgCode === '22008')
      return send(reply, req, 400, 'BAD_REQUEST', { zh: '参数格式不正确', en: 'Malformed parameter' });
    if (err.statusCode === 429)
      return send(reply, req, 429, 'RATE_LIMITED', {
        zh: '请求过于频繁，请稍后再试',
        en: 'Too many requests, try again later',
      });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, req, err.statusCode, 'BAD_REQUEST', { zh: '请求不正确', en: err.message });
    }
    req.log.error({ err }, 'unhandled error');
    return send(reply, req, 500, 'INTERNAL', { zh: '服务器内部错误', en: 'Internal server error' });
  });
}
