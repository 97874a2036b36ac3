/** Row types of the training module's tables (migration 0009_training). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
/** bigint columns come back as strings from pg; written as numbers. */
type Cents = ColumnType<string | null, number | null | undefined, number | null>;
type Bool = ColumnType<boolean, boolean | undefined, boolean>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface TrainingInstitutionTable {
  id: string;
  unit_id: string;
  name: string;
  credit_code: string | null;
  category: 'subject' | 'non_subject';
  sub_type: string | null;
  legal_form: 'non_profit' | 'company' | 'individual' | 'other';
  address: string | null;
  legal_person: string | null;
  phone: string | null;
  licence_no: string | null;
  licence_from: NullableDate;
  licence_to: NullableDate;
  status: string;
  status_since: DateCol;
  blacklisted: Bool;
  blacklist_reason: string | null;
  blacklisted_on: NullableDate;
  custody_bank: string | null;
  custody_account: string | null;
  custody_balance_cents: Cents;
  custody_balance_on: NullableDate;
  reserve_cents: Cents;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TrainingVenueTable {
  id: string;
  institution_id: string;
  address: string;
  /** numeric comes back as a string. */
  area_m2: ColumnType<string, number, number>;
  fire_accepted: Bool;
  fire_cert_no: string | null;
  approved: Bool;
  approved_on: NullableDate;
  created_at: Timestamp;
}

export interface TrainingStaffTable {
  id: string;
  institution_id: string;
  name: string;
  id_number_enc: string | null;
  id_number_hmac: string | null;
  role: 'teacher' | 'manager' | 'other';
  subject_teaching: Bool;
  teacher_cert_no: string | null;
  background_checked: Bool;
  background_checked_on: NullableDate;
  active: Bool;
  created_at: Timestamp;
}

export interface TrainingCourseTable {
  id: string;
  institution_id: string;
  name: string;
  price_per_hour_cents: number;
  hours_per_period: number;
  period_months: number;
  current_students: Generated<number>;
  active: Bool;
  created_at: Timestamp;
}

export interface TrainingDocumentTable {
  id: string;
  institution_id: string;
  kind: string;
  number: string | null;
  valid_to: NullableDate;
  file_id: string | null;
  created_at: Timestamp;
}

export interface TrainingEventTable {
  id: string;
  institution_id: string;
  kind: 'status' | 'blacklist' | 'unblacklist';
  from_status: string | null;
  to_status: string | null;
  on_date: DateCol;
  reason: string | null;
  actor_id: string | null;
  actor_name: string | null;
  created_at: Timestamp;
}

export interface TrainingOrderTable {
  id: string;
  institution_id: string;
  order_no: string;
  course_id: string | null;
  paid_on: DateCol;
  amount_cents: ColumnType<string, number, number>;
  class_hours: number;
  covers_months: number;
  hours_taught: Generated<number>;
  refunded: Bool;
  source: 'bureau' | 'import' | 'api';
  created_at: Timestamp;
}

export interface TrainingRuleSetTable {
  unit_id: string;
  max_months: number;
  max_hours: number;
  max_non_subject_cents: ColumnType<string, number, number>;
  warn_days: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface TrainingRuleHitTable {
  id: string;
  institution_id: string;
  rule: string;
  subject_key: string;
  finding_id: string;
  created_at: Timestamp;
}

export interface TrainingInspectionTable {
  id: string;
  institution_id: string;
  kind: 'open' | 'unannounced' | 'joint';
  inspected_on: DateCol;
  agencies: TextArray;
  people: TextArray;
  summary: string | null;
  finding_ids: TextArray;
  created_by: string | null;
  created_at: Timestamp;
}

export interface TrainingTables {
  training_institution: TrainingInstitutionTable;
  training_venue: TrainingVenueTable;
  training_staff: TrainingStaffTable;
  training_course: TrainingCourseTable;
  training_document: TrainingDocumentTable;
  training_event: TrainingEventTable;
  training_order: TrainingOrderTable;
  training_rule_set: TrainingRuleSetTable;
  training_rule_hit: TrainingRuleHitTable;
  training_inspection: TrainingInspectionTable;
}
