/**
 * antd form rules built from the contracts' zod schemas, so that the browser checks a field exactly as
 * the server will; the messages come from our dictionary (the schemas carry codes like 'PHONE').
 */
import type { FormRule } from 'antd';
import type { MessageKey, TFunction } from './i18n.tsx';

interface Issue {
  code?: string;
  message: string;
  maximum?: unknown;
}
interface Checkable {
  safeParse: (value: unknown) => { success: true } | { success: false; error: { issues: Issue[] } };
}

const CODE_MESSAGES: Record<string, MessageKey> = {
  PLAIN_NAME: 'valid.plainName',
  FREE_TEXT: 'valid.freeText',
  PHONE: 'valid.phone',
  USERNAME: 'valid.username',
  SCHOOL_CODE: 'valid.schoolCode',
  UNIT_CODE: 'valid.unitCode',
};

function issueText(issue: Issue | undefined, t: TFunction): string {
  if (!issue) return t('valid.invalid');
  const key = CODE_MESSAGES[issue.message];
  if (key) return t(key);
  if (issue.code === 'too_big' && typeof issue.maximum === 'number')
    return t('valid.tooLong', { max: issue.maximum });
  if (issue.code === 'too_small') return t('common.required');
  return t('valid.invalid');
}

/** A rule checking a non-empty value against a schema (emptiness is the `required` rule's business). */
export function schemaRule(schema: Checkable, t: TFunction): FormRule {
  return {
    validator: (_rule, value: unknown) => {
      if (value === undefined || value === null || value === '') return Promise.resolve();
      const result = schema.safeParse(value);
      return result.success
        ? Promise.resolve()
        : Promise.reject(new Error(issueText(result.error.issues[0], t)));
    },
  };
}

/** '' → undefined, trimmed strings otherwise: optional text fields are left out rather than sent empty. */
export function optionalText(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
