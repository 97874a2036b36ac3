import { can, holdsRoleOver, type Actor } from '../../platform/access/actor.js';

interface ClassLike {
  school_path: string;
  head_teacher_user_id: string | null;
}

/**
 * Roles that act for a whole school (or more), not for the classes they teach (the attendance import applies
 * the same rule in SQL to the job creator's roles).
 */
export const SCHOOL_WIDE_WRITERS = ['school_admin', 'county_admin', 'city_admin'] as const;
const SCHOOL_WIDE_READERS = ['school_admin', 'county_admin', 'city_admin', 'leader', 'inspector'] as const;

/** 控辍保学 rules, readable as sentences; handlers never decide access themselves. */
export const dropoutPolicy = {
  /** The school admin (or a bureau admin above) takes attendance for any class; a teacher for their own. */
  canTakeAttendance: (actor: Actor, c: ClassLike) =>
    can(actor, 'attendance.write', c.school_path) &&
    (holdsRoleOver(actor, SCHOOL_WIDE_WRITERS, c.school_path) ||
      (c.head_teacher_user_id !== null && c.head_teacher_user_id === actor.userId)),
  /**
   * Whether the actor sees every class of a school, or (a teacher) only the classes they head, for
   * attendance details, suspected cases and the risk list.
   */
  seesWholeSchool: (actor: Actor, schoolPath: string) =>
    actor.via === 'system' || holdsRoleOver(actor, SCHOOL_WIDE_READERS, schoolPath),
  /** A class's head teacher is set by whoever may change the registry at its school. */
  canSetHeadTeacher: (actor: Actor, c: ClassLike) => can(actor, 'student.write', c.school_path),
  /** Terms, closures and detection settings of a unit: managed where dropout.manage is held over it. */
  canManageCalendar: (actor: Actor, unitPath: string) => can(actor, 'dropout.manage', unitPath),
  canManageSettings: (actor: Actor, unitPath: string) => can(actor, 'dropout.manage', unitPath),
  /**
   * A case is worked by its school (confirm, responsibility lines, 四步法 steps, proposing an outcome) — or by
   * a bureau above it, which may step in once a case is escalated.
   */
  canHandleCase: (actor: Actor, schoolPath: string) => can(actor, 'dropout.manage', schoolPath),
  /** 动态销号: the level above the school (its county bureau, or the city) verifies the outcome. */
  canVerifyCase: (actor: Actor, schoolPath: string) =>
    can(actor, 'dropout.manage', schoolPath.replace(/[^/]+\/$/, '')),
  /** Population lists are imported and cross-checked by a bureau (county or city). */
  canCrosscheck: (actor: Actor, unitKind: string, unitPath: string) =>
    unitKind !== 'school' && can(actor, 'dropout.manage', unitPath),
};
