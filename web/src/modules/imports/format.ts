import type { Lang } from '@dudao/contracts';
import { formatNumber } from '../../app/format.ts';

/** 1.5 MB, 820 KB … (binary multiples, as file managers on Windows show them). */
export function formatBytes(bytes: number, lang: Lang): string {
  if (bytes < 1024) return `${formatNumber(bytes, lang)} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** 45 秒, 2 分 5 秒, 1 小时 3 分. */
export function formatDuration(seconds: number, lang: Lang): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (lang === 'en') {
    if (h > 0) return `${h} h ${m} min`;
    if (m > 0) return `${m} min ${rest} s`;
    return `${rest} s`;
  }
  if (h > 0) return `${h} 小时 ${m} 分`;
  if (m > 0) return `${m} 分 ${rest} 秒`;
  return `${rest} 秒`;
}
