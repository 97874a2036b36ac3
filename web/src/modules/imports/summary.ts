import type { ImportJob, Lang } from '@dudao/contracts';
import { formatNumber } from '../../app/format.ts';
import type { TFunction } from '../../app/i18n.tsx';

/** “共 310 行 · 新增 300 · 错误 10”: the counts of a job in one line, leaving out the zeros. */
export function countsSummary(job: ImportJob, t: TFunction, lang: Lang): string {
  const c = job.counts;
  const n = (v: number) => formatNumber(v, lang);
  const done = job.status === 'committed';
  const parts = [t('imp.sumRows', { n: n(c.rows) })];
  if (c.inserted) parts.push(t(done ? 'imp.sumInserted' : 'imp.sumInsert', { n: n(c.inserted) }));
  if (c.updated) parts.push(t(done ? 'imp.sumUpdated' : 'imp.sumUpdate', { n: n(c.updated) }));
  if (c.unchanged) parts.push(t('imp.sumUnchanged', { n: n(c.unchanged) }));
  if (c.rejected) parts.push(t('imp.sumRejected', { n: n(c.rejected) }));
  return parts.join(' · ');
}
