import { can, holdsRoleOver, type Actor } from '../../platform/access/actor.js';

interface Owned {
  /** Path of the bureau that owns the template or campaign. */
  owner_path: string;
}

interface InspectionLike {
  kind: 'campaign' | 'visit' | 'self_check';
  status: 'draft' | 'submitted';
  created_by: string | null;
  /** Path of the inspected school. */
  school_path: string;
}

/** School-safety rules, readable as sentences; handlers never decide access themselves. */
export const safetyPolicy = {
  /** A checklist template is maintained by the bureau that owns it (a county does not edit the city's). */
  canEditTemplate: (actor: Actor, t: Owned) => can(actor, 'safety.manage', t.owner_path),
  /** A campaign and its groups are run by the bureau that owns it. */
  canEditCampaign: (actor: Actor, c: Owned) => can(actor, 'safety.manage', c.owner_path),
  /** Recording a visit at a school needs safety.inspect there (bureaus; inspectors at their schools). */
  canInspect: (actor: Actor, schoolPath: string) => can(actor, 'safety.inspect', schoolPath),
  /**
   * The monthly self-inspection is the school's own: its administrators record it (a bureau may enter one on
   * the school's behalf, e.g. from paper); a responsibility inspector does not.
   */
  canSelfCheck: (actor: Actor, schoolPath: string) =>
    can(actor, 'safety.inspect', schoolPath) &&
    holdsRoleOver(actor, ['school_admin', 'county_admin', 'city_admin'], schoolPath),
  /**
   * A draft is continued by whoever started it; a self-inspection draft by anyone of the school who may
   * record it. A submitted inspection is final: its findings carry on in the ledger.
   */
  canEditDraft: (actor: Actor, i: InspectionLike) =>
    i.status === 'draft' &&
    (actor.via === 'system' ||
      (i.kind === 'self_check'
        ? safetyPolicy.canSelfCheck(actor, i.school_path)
        : actor.userId !== null &&
          actor.userId === i.created_by &&
          can(actor, 'safety.inspect', i.school_path))),
  /** A bureau reminds the schools under it that are behind with their self-inspection. */
  canRemind: (actor: Actor, unitPath: string) => can(actor, 'safety.manage', unitPath),
  /** A school's grids are kept by those holding safety.grid at the school. */
  canEditGrids: (actor: Actor, schoolPath: string) => can(actor, 'safety.grid', schoolPath),
};
