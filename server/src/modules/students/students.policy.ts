import type { SchoolStage, StatusEventKind, StudentStage, StudentStatus } from '@dudao/contracts';
import { can, type Actor } from '../../platform/access/actor.js';

interface AtSchool {
  /** Path of the student's (or class's) school. */
  school_path: string;
}

interface TransferLike {
  status: string;
  from_path: string;
  to_path: string;
}

/** Student-registry rules, readable as sentences; handlers never decide access themselves. */
export const studentPolicy = {
  /** Enrolling, correcting and changing the status of a student needs write access at their school. */
  canWrite: (actor: Actor, s: AtSchool) => can(actor, 'student.write', s.school_path),
  /** Seeing a full ID number needs the reveal permission at the student's school. */
  canReveal: (actor: Actor, s: AtSchool) => can(actor, 'person.reveal', s.school_path),
  /** The leaving school asks for a transfer. */
  canRequestTransfer: (actor: Actor, s: AtSchool) => can(actor, 'student.transfer', s.school_path),
  /** The receiving school accepts or turns it down, and only while it is open. */
  canDecideTransfer: (actor: Actor, t: TransferLike) =>
    t.status === 'pending' && can(actor, 'student.transfer', t.to_path),
  /** The leaving school withdraws its own request while it is open. */
  canCancelTransfer: (actor: Actor, t: TransferLike) =>
    t.status === 'pending' && can(actor, 'student.transfer', t.from_path),
};

/**
 * Status changes the registry makes through POST /students/:id/status. 辍学 (dropped_out) is absent on
 * purpose: the dropout module sets it, with its own case file. A transfer to another school in Dudao goes
 * through /transfers; 'transferred_out' here means leaving for a school outside the platform.
 */
export const statusTransitions: Record<StudentStatus, readonly StudentStatus[]> = {
  enrolled: ['suspended', 'graduated', 'deceased', 'transferred_out'],
  suspended: ['enrolled', 'deceased', 'transferred_out'],
  transferred_out: ['enrolled'],
  graduated: [],
  deceased: [],
  dropped_out: [],
};

/** The history event a change of status makes. */
export function eventKind(from: StudentStatus | null, to: StudentStatus): StatusEventKind {
  if (from === null) return 'enrol';
  switch (to) {
    case 'suspended':
      return 'suspend';
    case 'graduated':
      return 'graduate';
    case 'deceased':
      return 'decease';
    case 'transferred_out':
      return 'transfer_out';
    case 'dropped_out':
      return 'dropout';
    case 'enrolled':
      return from === 'suspended' ? 'resume' : 'transfer_in';
  }
}

/**
 * The student stages a school of each stage teaches, in the order used to infer a student's stage from a
 * grade (a primary school's grade 1 is 一年级, not the 小班 of an attached kindergarten).
 */
export const schoolStudentStages: Record<SchoolStage, readonly StudentStage[]> = {
  kindergarten: ['kindergarten'],
  primary: ['primary', 'kindergarten'],
  junior: ['junior'],
  senior: ['senior'],
  nine_year: ['primary', 'junior', 'kindergarten'],
  complete_secondary: ['junior', 'senior'],
  vocational: ['vocational'],
  special: ['special'],
};
