import { can, type Actor } from '../../platform/access/actor.js';

/** Rules of 部署·督办·考评, readable as sentences; handlers never decide access themselves. */
export const planPolicy = {
  /** A plan, its chapters, tasks, 督办单, meetings and briefings are kept by the bureau that owns it. */
  canManage: (actor: Actor, owner: { path: string }) => can(actor, 'plan.manage', owner.path),
  /** A county splits its own assignment to its schools (its bureau manages plans at the county). */
  canSplit: (actor: Actor, a: { unit_path: string; unit_kind: string }) =>
    a.unit_kind !== 'school' && can(actor, 'plan.manage', a.unit_path),
  /** The responsible unit reports progress and answers 督办单 (and names its responsible person). */
  canReport: (actor: Actor, unit: { path: string }) => can(actor, 'plan.report', unit.path),
  /** Assessment schemes, scores and approval are the owning bureau's assessment office's. */
  canAssess: (actor: Actor, owner: { path: string }) => can(actor, 'assess.manage', owner.path),
};

/** The roles told at a unit when a task, a 督办单, a briefing or an agreement reaches it. */
export const UNIT_ROLES = ['school_admin', 'county_admin', 'city_admin'] as const;
