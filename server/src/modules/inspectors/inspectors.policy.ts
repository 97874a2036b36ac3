import { can, type Actor } from '../../platform/access/actor.js';

interface VisitLike {
  inspector_id: string;
  school_path: string;
}
interface OpinionLike {
  inspector_id: string;
  school_path: string;
  bureau_path: string;
}

/** Responsibility-inspector rules, readable as sentences; handlers never decide access themselves. */
export const inspectorPolicy = {
  /** The roster, profiles and assignments are kept by the bureau the inspector belongs to. */
  canManage: (actor: Actor, inspector: { unit_path: string }) =>
    can(actor, 'inspector.manage', inspector.unit_path),
  /** A bureau sets its own visit frequency, school maximum and hotline. */
  canManageSettings: (actor: Actor, unit: { path: string }) => can(actor, 'inspector.manage', unit.path),
  /** Visits are recorded at a school one may visit (an inspector: an assigned school). */
  canVisit: (actor: Actor, school: { path: string }) => can(actor, 'inspector.visit', school.path),
  /** Recording a visit in another inspector's name (from a paper record) is the bureau's. */
  canRecordFor: (actor: Actor, school: { path: string }) =>
    can(actor, 'inspector.visit', school.path) && can(actor, 'inspector.manage', school.path),
  /** The visit's inspector issues the 督导意见书 (or the bureau, for them). */
  canIssueOpinion: (actor: Actor, v: VisitLike) =>
    can(actor, 'inspector.visit', v.school_path) &&
    (actor.userId === v.inspector_id || can(actor, 'inspector.manage', v.school_path)),
  /** The school answers with its 整改报告 (while the opinion waits for one: the service checks the state). */
  canReport: (actor: Actor, o: OpinionLike) => can(actor, 'finding.rectify', o.school_path),
  /** The report returns to the inspector who issued the opinion (or their bureau), who accepts or returns it. */
  canVerify: (actor: Actor, o: OpinionLike) =>
    (actor.userId !== null && actor.userId === o.inspector_id) ||
    can(actor, 'inspector.manage', o.bureau_path),
};
