import { can, type Actor } from '../../platform/access/actor.js';

/** Training-supervision rules, readable as sentences; handlers never decide access themselves. */
export const trainingPolicy = {
  /** The registry, lifecycle, lists, prepaid records and inspections are kept by the supervising bureaus. */
  canManage: (actor: Actor, bureauPath: string) => can(actor, 'training.manage', bureauPath),
  /** Prepaid rules of a region are set by its bureau (the city's apply where a county set none). */
  canSetRules: (actor: Actor, bureauPath: string) => can(actor, 'training.manage', bureauPath),
  /** A staff member's full ID number: person.reveal over the supervising bureau; every reveal audited. */
  canReveal: (actor: Actor, bureauPath: string) => can(actor, 'person.reveal', bureauPath),
};
