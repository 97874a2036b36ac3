import type { Role, UnitKind } from '@dudao/contracts';

/** What a role may do; where it may do it is the role's unit subtree (inspectors: their assigned schools). */
export type Permission =
  | 'unit.read'
  | 'unit.write'
  | 'user.read'
  | 'user.write'
  | 'audit.read'
  | 'person.reveal'
  | 'token.manage'
  // The student registry: read students, classes and transfers; enrol, correct and change status (and
  // create classes); request, confirm, reject and cancel transfers.
  | 'student.read'
  | 'student.write'
  | 'student.transfer'
  // The findings ledger: read findings; raise them; rectify (the responsible unit: measures, report); verify
  // and close, return, extend, issue notices (the raising side; the policy checks it raised the finding).
  | 'finding.read'
  | 'finding.raise'
  | 'finding.rectify'
  | 'finding.verify'
  // School safety: checklists, campaigns and inspection groups (bureaus); recording inspections (bureaus,
  // inspectors, schools for their self-inspection); a school's safety grids.
  | 'safety.manage'
  | 'safety.inspect'
  | 'safety.grid'
  // Responsibility inspectors: the roster, profiles and assignments (bureaus); visits and 督导意见书 (inspectors).
  | 'inspector.manage'
  | 'inspector.visit'
  // 控辍保学: read attendance; take it (class teachers, schools, gate systems through tokens); read dropout
  // cases, risk lists and cross-checks; manage them (case steps, thresholds, population lists).
  | 'attendance.read'
  | 'attendance.write'
  | 'dropout.read'
  | 'dropout.manage'
  // 部署·督办·考评: read plans, tasks, notices, assessments and briefings; manage them (bureaus: plans, task
  // assignment, 督办单, schemes, scoring, approval, publishing); report progress and answer notices (the
  // responsible units); manage assessment schemes, scores and their approval.
  | 'plan.read'
  | 'plan.manage'
  | 'plan.report'
  | 'assess.manage'
  // 校外培训: read the institution registry, compliance, prepaid fees and lists; manage them (county 双减
  // offices and the city bureau).
  | 'training.read'
  | 'training.manage'
  // 群众诉求: read complaints in one's area; handle those routed to one's unit (reply); manage the desk
  // (register, route, merge, close, settings).
  | 'complaint.read'
  | 'complaint.handle'
  | 'complaint.manage'
  // 数据填报: read forms, figures and indicators; enter one's unit's figures; approve the level below;
  // manage forms, data elements, validation rules and indicators.
  | 'collection.read'
  | 'collection.enter'
  | 'collection.approve'
  | 'collection.manage';

const ALL: Permission[] = [
  'unit.read',
  'unit.write',
  'user.read',
  'user.write',
  'audit.read',
  'person.reveal',
  'token.manage',
  'student.read',
  'student.write',
  'student.transfer',
  'finding.read',
  'finding.raise',
  'finding.rectify',
  'finding.verify',
  'safety.manage',
  'safety.inspect',
  'safety.grid',
  'inspector.manage',
  'inspector.visit',
  'attendance.read',
  'attendance.write',
  'dropout.read',
  'dropout.manage',
  'plan.read',
  'plan.manage',
  'plan.report',
  'assess.manage',
  'training.read',
  'training.manage',
  'complaint.read',
  'complaint.handle',
  'complaint.manage',
  'collection.read',
  'collection.enter',
  'collection.approve',
  'collection.manage',
];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  city_admin: ALL,
  county_admin: ALL,
  school_admin: [
    'unit.read',
    'unit.write',
    'user.read',
    'user.write',
    'audit.read',
    'person.reveal',
    'student.read',
    'student.write',
    'student.transfer',
    'finding.read',
    'finding.raise',
    'finding.rectify',
    'finding.verify',
    'safety.inspect',
    'safety.grid',
    'attendance.read',
    'attendance.write',
    'dropout.read',
    'dropout.manage',
    'plan.read',
    'plan.report',
    'complaint.read',
    'complaint.handle',
    'collection.read',
    'collection.enter',
  ],
  // Teachers read their school's students (their own class only, once classes carry teachers' rights).
  teacher: [
    'unit.read',
    'student.read',
    'finding.read',
    'attendance.read',
    'attendance.write',
    'dropout.read',
  ],
  inspector: [
    'unit.read',
    'student.read',
    'finding.read',
    'finding.raise',
    'finding.verify',
    'safety.inspect',
    'inspector.visit',
    'attendance.read',
    'dropout.read',
    'plan.read',
    'training.read',
    'complaint.read',
  ],
  leader: [
    'unit.read',
    'user.read',
    'audit.read',
    'student.read',
    'finding.read',
    'attendance.read',
    'dropout.read',
    'plan.read',
    'training.read',
    'complaint.read',
    'collection.read',
  ],
};

/** The unit kinds at which a role can be held. */
export const roleUnitKinds: Record<Role, readonly UnitKind[]> = {
  city_admin: ['city_bureau'],
  county_admin: ['county_bureau'],
  school_admin: ['school'],
  teacher: ['school'],
  inspector: ['city_bureau', 'county_bureau'],
  leader: ['city_bureau', 'county_bureau', 'school'],
};

/** Which administrator roles, held above or at a unit, may grant a role there. */
export const grantableBy: Record<Role, readonly Role[]> = {
  city_admin: ['city_admin'],
  county_admin: ['city_admin', 'county_admin'],
  school_admin: ['city_admin', 'county_admin', 'school_admin'],
  teacher: ['city_admin', 'county_admin', 'school_admin'],
  inspector: ['city_admin', 'county_admin'],
  leader: ['city_admin', 'county_admin', 'school_admin'],
};

/** Roles whose scope is the set of assigned schools rather than the unit subtree. */
export const assignedScopeRoles: readonly Role[] = ['inspector'];
