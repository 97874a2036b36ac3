import { can, scopePaths, type Actor } from '../../platform/access/actor.js';

/** Holds `collection.approve` at a bureau strictly above the unit (a school's county or city; a county's city). */
const approvesAbove = (actor: Actor, unitPath: string) =>
  scopePaths(actor, 'collection.approve').some((p) => unitPath.startsWith(p) && p !== unitPath);

/** 数据填报 rules, readable as sentences; handlers never decide access themselves. */
export const collectionPolicy = {
  /** A unit enters its own figures (a bureau above may enter on its behalf). */
  canEnter: (actor: Actor, unitPath: string) => can(actor, 'collection.enter', unitPath),
  /** The level above approves or returns: the county for its schools, the city for a county's own figures. */
  canApprove: (actor: Actor, unitPath: string) => approvesAbove(actor, unitPath),
  /** The city accepts a county (the county level signed off): approve right strictly above the county. */
  canAccept: (actor: Actor, countyPath: string) => approvesAbove(actor, countyPath),
  /** Forms, elements, rules and indicators are the city's: manage right at the root. */
  canManage: (actor: Actor) =>
    scopePaths(actor, 'collection.manage').some((p) => p.split('/').filter(Boolean).length <= 1),
  canRead: (actor: Actor, unitPath: string) => can(actor, 'collection.read', unitPath),
};
