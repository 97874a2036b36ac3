import type { UnitKind } from '@dudao/contracts';
import { can, type Actor } from '../../platform/access/actor.js';

/** Which kinds of unit may sit directly under a kind (市直学校 hang under the city bureau). */
export const allowedChildKinds: Record<UnitKind, readonly UnitKind[]> = {
  city_bureau: ['county_bureau', 'school'],
  county_bureau: ['school'],
  school: [],
};

/** The path of a unit's parent: '/a/b/' → '/a/'. */
export function parentPath(path: string): string {
  const trimmed = path.slice(0, -1);
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

interface UnitLike {
  kind: UnitKind;
  path: string;
  parent_id: string | null;
}

/** Unit rules, readable as sentences; handlers never decide access themselves. */
export const unitPolicy = {
  /** Creating needs write access at the parent, and the kind must fit under it. */
  canCreateUnder: (actor: Actor, parent: UnitLike, kind: UnitKind) =>
    can(actor, 'unit.write', parent.path) && allowedChildKinds[parent.kind].includes(kind),
  /** Editing a unit's details needs write access at the unit (a school admin edits their own school). */
  canUpdate: (actor: Actor, unit: UnitLike) => can(actor, 'unit.write', unit.path),
  /** Disabling or enabling is decided one level up: nobody switches off their own unit. */
  canChangeStatus: (actor: Actor, unit: UnitLike) =>
    unit.parent_id !== null && can(actor, 'unit.write', parentPath(unit.path)),
};
