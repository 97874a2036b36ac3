import type { Role, UnitKind } from '@dudao/contracts';
import { assignedScopeRoles, rolePermissions, type Permission } from './permissions.js';

export interface Grant {
  role: Role;
  unitId: string;
  unitName: string;
  unitKind: UnitKind;
  path: string;
}

/** Who is acting, with everything the scope filter and the access check need. */
export interface Actor {
  userId: string | null;
  username: string;
  displayName: string;
  unitId: string | null;
  grants: Grant[];
  /** Paths of the schools assigned to an inspector. */
  assignedPaths: string[];
  via: 'session' | 'token' | 'system';
  sessionId?: string;
  tokenId?: string;
  tokenPrefix?: string;
  /** Set by the session layer while a password change or TOTP enrolment is pending. */
  restricted?: 'password' | 'totp';
}

/** The platform itself (CLI, demo, jobs): acts everywhere. */
export function systemActor(name = 'system'): Actor {
  return {
    userId: null,
    username: name,
    displayName: name,
    unitId: null,
    grants: [],
    assignedPaths: [],
    via: 'system',
  };
}

/** Path prefixes where the actor holds a permission; the one input of the scope filter. */
export function scopePaths(actor: Actor, permission: Permission): string[] {
  if (actor.via === 'system') return ['/'];
  const paths = new Set<string>();
  for (const g of actor.grants) {
    if (!rolePermissions[g.role].includes(permission)) continue;
    if (assignedScopeRoles.includes(g.role)) for (const p of actor.assignedPaths) paths.add(p);
    else paths.add(g.path);
  }
  return minimalPrefixes([...paths]);
}

/** Drops paths already covered by a shorter one, so the SQL predicate stays small. */
function minimalPrefixes(paths: string[]): string[] {
  const sorted = paths.sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}

/** Whether the actor holds `permission` at the unit with this path. */
export function can(actor: Actor, permission: Permission, unitPath: string): boolean {
  return scopePaths(actor, permission).some((p) => unitPath.startsWith(p));
}

/** Whether the actor holds one of `roles` at this unit or above it. */
export function holdsRoleOver(actor: Actor, roles: readonly Role[], unitPath: string): boolean {
  if (actor.via === 'system') return true;
  return actor.grants.some((g) => roles.includes(g.role) && unitPath.startsWith(g.path));
}

/** Whether the actor holds a permission anywhere at all (menus, access map). */
export function holdsAnywhere(actor: Actor, permission: Permission): boolean {
  return scopePaths(actor, permission).length > 0;
}
