import type { Role } from '@dudao/contracts';
import { can, holdsRoleOver, type Actor } from '../../platform/access/actor.js';
import { grantableBy } from '../../platform/access/permissions.js';

/** User-account rules, readable as sentences. */
export const userPolicy = {
  /** Managing an account needs user.write at its home unit and the right to grant every role it holds. */
  canManage: (
    actor: Actor,
    user: { unit_path: string; id: string },
    heldRoles: { role: Role; path: string }[],
  ) =>
    can(actor, 'user.write', user.unit_path) &&
    heldRoles.every((g) => holdsRoleOver(actor, grantableBy[g.role], g.path)),
  /** Granting a role at a unit needs one of the roles allowed to grant it, at or above that unit. */
  canGrant: (actor: Actor, role: Role, unitPath: string) => holdsRoleOver(actor, grantableBy[role], unitPath),
  /** Seeing a full ID number needs the reveal permission at the person's unit. */
  canReveal: (actor: Actor, user: { unit_path: string }) => can(actor, 'person.reveal', user.unit_path),
};
