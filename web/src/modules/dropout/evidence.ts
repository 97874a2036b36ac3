/** The sentence for a case's evidence. */
import type { DropoutCase } from '@dudao/contracts';
import type { DTFunction } from './messages.ts';

export function evidenceText(c: Pick<DropoutCase, 'reason' | 'evidence'>, d: DTFunction): string {
  const e = c.evidence;
  const n = (k: string) => Number(e[k] ?? 0);
  switch (c.reason) {
    case 'consecutiveAbsence':
      return d('ev.consecutive', { n: n('consecutiveDays') });
    case 'absenceTotal':
      return d('ev.total', { n: n('unexcusedInWindow'), w: n('windowDays') });
    case 'transferLimbo':
      return d('ev.transfer', { since: typeof e.since === 'string' ? e.since : '' });
    case 'noAttendance':
      return d('ev.noSheet', { n: n('schoolDays') });
  }
}
