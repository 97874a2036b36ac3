/** Row types of the dropout-control module's tables (migrations 0007_dropout, 0011_dropout_cases). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A date column: read as 'yyyy-mm-dd' text (the pg type parser), written as text. */
type Day = ColumnType<string, string, string>;
type NullableDay = ColumnType<string | null, string | null | undefined, string | null>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface SchoolTermTable {
  unit_id: string;
  school_year: string;
  term_no: number;
  start_on: Day;
  end_on: Day;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface SchoolClosureTable {
  id: string;
  unit_id: string;
  start_on: Day;
  end_on: Day;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface AttendanceSheetTable {
  class_id: string;
  day: Day;
  school_id: string;
  submitted_by: string | null;
  submitted_at: Timestamp;
  enrolled: number;
  present: number;
  late: number;
  sick: number;
  personal: number;
  unexcused: number;
}

export interface AttendanceMarkTable {
  day: Day;
  student_id: string;
  class_id: string;
  school_id: string;
  county_code: string;
  kind: 'late' | 'sick' | 'personal' | 'unexcused';
  reason: string | null;
}

export interface GateEventTable {
  id: string;
  student_id: string;
  school_id: string;
  occurred_at: Timestamp;
  day: Day;
  direction: 'in' | 'out';
  device: string | null;
  received_by: string | null;
  received_at: Timestamp;
}

export interface DropoutSettingTable {
  unit_id: string;
  settings: ColumnType<unknown, string, string>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface DropoutCaseTable {
  id: string;
  student_id: string;
  school_id: string;
  county_code: string;
  class_id: string | null;
  status: Generated<string>;
  reason: string;
  evidence: ColumnType<unknown, string | undefined, string>;
  detected_on: Day;
  closed_on: ColumnType<string | null, string | null | undefined, string | null>;
  close_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  // 0011_dropout_cases: the case workflow.
  step: Generated<number>;
  step_started_on: NullableDay;
  step_due_on: NullableDay;
  escalation_level: Generated<number>;
  escalated_unit_id: string | null;
  escalated_at: NullableTimestamp;
  edu_line: ColumnType<unknown, string | undefined, string>;
  gov_line: ColumnType<unknown, string | undefined, string>;
  confirmed_on: NullableDay;
  outcome: string | null;
  placement: string | null;
  outcome_on: NullableDay;
  outcome_note: string | null;
  outcome_files: ColumnType<string[], string[] | undefined, string[]>;
  destination_code: string | null;
  proposed_by: string | null;
  proposed_at: NullableTimestamp;
  verified_by: string | null;
  verified_at: NullableTimestamp;
}

export interface DropoutCaseStepTable {
  id: string;
  case_id: string;
  step_no: number;
  acted_on: Day;
  people: string;
  action: string;
  result: string | null;
  file_ids: ColumnType<string[], string[] | undefined, string[]>;
  actor_user_id: string | null;
  created_at: Timestamp;
}

export interface DropoutCaseEventTable {
  id: string;
  case_id: string;
  kind: string;
  data: ColumnType<unknown, string | undefined, string>;
  actor_user_id: string | null;
  created_at: Timestamp;
}

export interface PopulationListTable {
  id: string;
  unit_id: string;
  kind: 'hukou' | 'poverty';
  file_name: string;
  sha256: string;
  as_of: Day;
  age_min: number;
  age_max: number;
  counts: ColumnType<unknown, string, string>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface PopulationPersonTable {
  list_id: string;
  row_no: number;
  name: string;
  id_number_hmac: string | null;
  id_number_enc: string | null;
  // 0014_dropout_speed: new lists keep the masked number (and the HMAC), no ciphertext.
  id_number_masked: string | null;
  birth_date: string | null;
  county_code: string | null;
  town_code: string | null;
  town_name: string | null;
  poverty: boolean;
  exemption: string | null;
  category: string;
  note: string | null;
  student_id: string | null;
  school_id: string | null;
}

export interface DropoutReportTable {
  unit_id: string;
  period: string;
  due_on: Day;
  figures: ColumnType<unknown, string, string>;
  submitted_by: string | null;
  submitted_at: Timestamp;
}

/** 0014_dropout_speed: the signs of made-up data as the daily job stored them (one run per day). */
export interface DropoutSignRunTable {
  computed_on: Day;
  computed_at: Timestamp;
}

export interface DropoutSignTable {
  computed_on: Day;
  seq: number;
  kind: 'perfectClass' | 'identicalSheets' | 'rosterConflict';
  school_id: string;
  class_id: string | null;
  detail: string;
}

/** Staged rows of an attendance import (migration 0020; the shared import engine's kind `attendance`). */
export interface ImportAttendanceRowTable {
  job_id: string;
  row_no: number;
  day: Day;
  student_no: string | null;
  id_number_hmac: string | null;
  name: string | null;
  kind: 'present' | 'late' | 'sick' | 'personal' | 'unexcused';
  reason: string | null;
  student_id: string | null;
  class_id: string | null;
  school_id: string | null;
  county_code: string | null;
  action: 'update' | 'unchanged' | 'reject' | null;
  reject_code: string | null;
  reject_message: ColumnType<unknown, string | null, string | null>;
}

export interface DropoutTables {
  school_term: SchoolTermTable;
  school_closure: SchoolClosureTable;
  attendance_sheet: AttendanceSheetTable;
  attendance_mark: AttendanceMarkTable;
  gate_event: GateEventTable;
  dropout_setting: DropoutSettingTable;
  dropout_case: DropoutCaseTable;
  dropout_case_step: DropoutCaseStepTable;
  dropout_case_event: DropoutCaseEventTable;
  population_list: PopulationListTable;
  population_person: PopulationPersonTable;
  dropout_report: DropoutReportTable;
  dropout_sign_run: DropoutSignRunTable;
  dropout_sign: DropoutSignTable;
  import_attendance_row: ImportAttendanceRowTable;
}
