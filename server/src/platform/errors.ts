/** Typed application errors: each carries an HTTP status, a stable code and a Chinese and English message. */
export interface Message {
  zh: string;
  en: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly msg: Message,
    readonly details?: { path: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(`${code}: ${msg.en}`);
  }
}

/** Out of scope and missing look the same: 404, as if the thing did not exist. */
export const notFound = (what: Message = { zh: '对象', en: 'object' }) =>
  new AppError(404, 'NOT_FOUND', { zh: `${what.zh}不存在`, en: `${what.en} not found` });

export const forbidden = (msg: Message = { zh: '没有执行此操作的权限', en: 'You may not do this' }) =>
  new AppError(403, 'FORBIDDEN', msg);

export const badRequest = (code: string, msg: Message, details?: { path: string; message: string }[]) =>
  new AppError(400, code, msg, details);

export const conflict = (code: string, msg: Message) => new AppError(409, code, msg);

export const unauthenticated = (
  code = 'UNAUTHENTICATED',
  msg: Message = { zh: '请先登录', en: 'Please log in' },
) => new AppError(401, code, msg);
