import type { Lang } from '@dudao/contracts';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-03-04 08:09" in the browser's time zone; '' for null or an invalid date. */
export function formatDateTime(value: string | null | undefined, withSeconds = false): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${withSeconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${date} ${time}`;
}

export function formatDate(value: string | null | undefined): string {
  return formatDateTime(value).slice(0, 10);
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US').format(n);
}
