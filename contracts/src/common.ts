/** zod building blocks shared by every contract file. */
import { z } from 'zod';

// Control characters are exactly what this rejects.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/u;
/** A person's, unit's or account's name: letters of any script, digits and the punctuation real names use. */
export const plainName = (max = 64) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}\p{M} ·•()（）\-—_.、]*$/u, { message: 'PLAIN_NAME' });

/** Free text (addresses, reasons): any printable text, but no markup and no control characters. */
export const freeText = (max = 500) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !CONTROL_CHARS.test(s) && !/[<>]/.test(s), { message: 'FREE_TEXT' });

// Control characters other than line breaks and tabs.
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;
/** Free text that may run over several lines (a description, a report, an opinion): no markup. */
export const multilineText = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !CONTROL_EXCEPT_LINES.test(s) && !/[<>]/.test(s), { message: 'FREE_TEXT' });

export const phone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, { message: 'PHONE' });

export const uuid = z.uuid();
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
};
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
