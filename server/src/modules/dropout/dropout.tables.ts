/** Row types of the dropout-control module's tables (migration 0007_dropout). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A date column: read as 'yyyy-mm-dd' text (the pg type parser), written as text. */
type Day = ColumnType<string, string, string>;

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
}

export interface DropoutTables {
  school_term: SchoolTermTable;
  school_closure: SchoolClosureTable;
  attendance_sheet: AttendanceSheetTable;
  attendance_mark: AttendanceMarkTable;
  gate_event: GateEventTable;
  dropout_setting: DropoutSettingTable;
  dropout_case: DropoutCaseTable;
}
