import type { Message } from './errors.js';

export type Lang = 'zh' | 'en';

/** The request's language: English when the client prefers it, Chinese otherwise. */
export function requestLang(req: { headers: Record<string, string | string[] | undefined> }): Lang {
  const header = req.headers['accept-language'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

/** Picks the message text in a language. */
export function say(msg: Message, lang: Lang): string {
  return msg[lang];
}

/** Messages for zod issue codes and our own refinement tags, so validation errors read well in both languages. */
export const validationMessages: Record<string, Message> = {
  PLAIN_NAME: {
    zh: '只能包含文字、数字和常用标点',
    en: 'may contain only letters, digits and common punctuation',
  },
  FREE_TEXT: { zh: '不能包含尖括号或控制字符', en: 'must not contain angle brackets or control characters' },
  PHONE: { zh: '电话号码格式不正确', en: 'is not a valid phone number' },
  SCHOOL_CODE: { zh: '学校标识码应为10位数字', en: 'must be a 10-digit school code' },
  UNIT_CODE: {
    zh: '代码应为6位区划代码或10位学校标识码',
    en: 'must be a 6-digit division code or a 10-digit school code',
  },
  USERNAME: {
    zh: '用户名须以小写字母开头，3–32位小写字母、数字或 _ . -',
    en: 'must start with a lower-case letter: 3–32 of a–z, 0–9, _ . -',
  },
  unrecognized_keys: { zh: '包含未知字段', en: 'has unknown fields' },
  invalid_type: { zh: '类型不正确', en: 'has the wrong type' },
  too_small: { zh: '太短或太小', en: 'is too short or too small' },
  too_big: { zh: '太长或太大', en: 'is too long or too large' },
  invalid_format: { zh: '格式不正确', en: 'has the wrong format' },
  invalid_value: { zh: '取值不在允许范围内', en: 'is not one of the allowed values' },
  custom: { zh: '内容不合法', en: 'is not valid' },
};
