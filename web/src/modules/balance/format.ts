/** Number formatting and labels shared by the balance pages. */
import type { BalanceIndicator, Lang } from '@dudao/contracts';

export const fmt = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined
    ? '—'
    : v.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const digitsOf = (k: BalanceIndicator) => (k === 'equipmentValue' ? 0 : k === 'teacherRatio' ? 3 : 2);
export const L = (lang: Lang, l: { zh: string; en: string }) => (lang === 'zh' ? l.zh : l.en);
