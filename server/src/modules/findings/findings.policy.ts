import { can, type Actor } from '../../platform/access/actor.js';

/** What the findings rules need to know of a finding. */
export interface FindingAccess {
  status: string;
  /** Path of the responsible unit. */
  unit_path: string;
  /** Path of the unit that raised it. */
  raiser_path: string;
  raised_by: string | null;
}

const OPEN_FOR_WORK = ['notified', 'rectifying'];

/**
 * The findings loop, readable as sentences. The raising side (the person who raised the finding, or anyone
 * holding finding.verify over the raising unit) issues the notice, verifies and closes, returns, extends; the
 * responsible unit (finding.rectify over it) takes measures and submits its report.
 */
export const findingPolicy = {
  isRaisingSide: (actor: Actor, f: FindingAccess) =>
    actor.via === 'system' ||
    (actor.userId !== null && actor.userId === f.raised_by) ||
    can(actor, 'finding.verify', f.raiser_path),
  canNotify: (actor: Actor, f: FindingAccess) =>
    f.status === 'raised' && findingPolicy.isRaisingSide(actor, f),
  canStart: (actor: Actor, f: FindingAccess) =>
    OPEN_FOR_WORK.includes(f.status) && can(actor, 'finding.rectify', f.unit_path),
  canSubmit: (actor: Actor, f: FindingAccess) =>
    OPEN_FOR_WORK.includes(f.status) && can(actor, 'finding.rectify', f.unit_path),
  canVerify: (actor: Actor, f: FindingAccess) =>
    f.status === 'submitted' && findingPolicy.isRaisingSide(actor, f),
  canExtend: (actor: Actor, f: FindingAccess) =>
    f.status !== 'closed' && findingPolicy.isRaisingSide(actor, f),
  /** Raising a finding at a unit. */
  canRaise: (actor: Actor, unitPath: string) => can(actor, 'finding.raise', unitPath),
};

/** Open findings past their deadline: not yet reported on (a submitted report waits on the raising side). */
export const OVERDUE_STATUSES = ['raised', 'notified', 'rectifying'] as const;
