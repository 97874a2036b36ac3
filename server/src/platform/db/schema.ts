import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | null, string | null>;
/** A jsonb column with a default: optional on insert. */
type JsonDefault = ColumnType<unknown, string | undefined, string>;

export interface UnitTable {
  id: string;
  kind: 'city_bureau' | 'county_bureau' | 'school';
  code: string;
  name: string;
  parent_id: string | null;
  /** Materialised path of ids, '/root/.../self/': "is X inside Y" is `x.path LIKE y.path || '%'`. */
  path: string;
  depth: number;
  region_code: string;
  county_code: string | null;
  stage: string | null;
  ownership: string | null;
  locality: string | null;
  address: string | null;
  principal: string | null;
  phone: string | null;
  status: Generated<'active' | 'disabled'>;
  disabled_reason: string | null;
  disabled_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppUserTable {
  id: string;
  username: string;
  display_name: string;
  unit_id: string;
  phone: string | null;
  id_number_enc: string | null;
  id_number_hmac: string | null;
  password_hash: string;
  must_change_password: Generated<boolean>;
  password_changed_at: Date | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  disabled_at: Date | null;
  totp_secret_enc: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: number | null;
  last_login_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
  unit_id: string;
}

export interface InspectorSchoolTable {
  user_id: string;
  school_id: string;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface AuditEventTable {
  id: number;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_unit_id: string | null;
  unit_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  before: Json;
  after: Json;
  ip: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AppSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export type StudentStatusCode =
  'enrolled' | 'transferred_out' | 'suspended' | 'graduated' | 'deceased' | 'dropped_out';

export interface SchoolClassTable {
  id: string;
  school_id: string;
  school_year: string;
  stage: string;
  grade: number;
  name: string;
  head_teacher_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StudentTable {
  id: string;
  school_id: string;
  /** The school's county: the future distribution key, moved with the student. */
  county_code: string;
  class_id: string | null;
  student_no: string | null;
  id_number_enc: string | null;
  id_number_hmac: string | null;
  /** Birth date and sex encoded in the ID number, for the consistency checks (never decrypted in SQL). */
  id_birth_date: string | null;
  id_sex: 'M' | 'F' | null;
  name: string;
  name_initials: Generated<string>;
  sex: 'M' | 'F';
  birth_date: string;
  ethnicity: string | null;
  hukou_region_code: string | null;
  address: string | null;
  stage: string;
  grade: number;
  enrolled_on: string | null;
  status: Generated<StudentStatusCode>;
  poverty_household: Generated<boolean>;
  left_behind: Generated<boolean>;
  migrant: Generated<boolean>;
  disabled: Generated<boolean>;
  disability_category: string | null;
  orphan: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StudentGuardianTable {
  student_id: string;
  ord: number;
  name: string;
  relation: string;
  phone: string | null;
}

export interface StudentStatusEventTable {
  id: string;
  student_id: string;
  kind: string;
  status_from: StudentStatusCode | null;
  status_to: StudentStatusCode;
  effective_on: string;
  reason: string | null;
  school_id: string;
  transfer_id: string | null;
  actor_user_id: string | null;
  created_at: Timestamp;
}

export interface StudentTransferTable {
  id: string;
  student_id: string;
  from_school_id: string;
  to_school_id: string;
  reason: string;
  requested_by: string | null;
  requested_at: Timestamp;
  status: Generated<'pending' | 'confirmed' | 'rejected' | 'cancelled'>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

export interface ImportJobTable {
  id: string;
  kind: string;
  status: 'validating' | 'validated' | 'committing' | 'committed' | 'failed' | 'cancelled';
  unit_id: string;
  file_name: string;
  file_size: number;
  file_sha256: string;
  format: 'xlsx' | 'csv';
  encoding: string | null;
  sheet: string | null;
  mode: 'all' | 'valid-only' | null;
  created_by: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
  counts: JsonDefault;
  header: Json | null;
  errors: JsonDefault;
  error_report: Generated<boolean>;
  failure: Json | null;
  progress: Json | null;
  /** pg_snapshot text of the validation's check, and when it was taken (migration 0019). */
  checked_snapshot: string | null;
  checked_at: Date | null;
}

/** A statement's transaction that wrote a table an import check reads (migration 0019). */
export interface RegistryWriteTable {
  tbl: string;
  xid: string;
  at: Generated<Date>;
}

/** A validated student row of an import, before the merge (see migration 0003). */
export interface ImportStudentRowTable {
  job_id: string;
  row_no: number;
  school_id: string;
  county_code: string;
  student_no: string | null;
  id_number_enc: string | null;
  id_number_hmac: string | null;
  id_birth_date: string | null;
  id_sex: 'M' | 'F' | null;
  name: string;
  name_initials: string;
  sex: 'M' | 'F';
  birth_date: string;
  ethnicity: string | null;
  hukou_region_code: string | null;
  address: string | null;
  stage: string;
  grade: number;
  class_name: string | null;
  enrolled_on: string | null;
  poverty_household: boolean | null;
  left_behind: boolean | null;
  migrant: boolean | null;
  disabled: boolean | null;
  disability_category: string | null;
  orphan: boolean | null;
  guardians: Json | null;
  new_id: string;
  student_id: string | null;
  action: 'update' | 'unchanged' | 'reject' | null;
  reject_code: string | null;
  reject_message: Json | null;
}

export interface ImportChangeTable {
  job_id: string;
  student_id: string;
  before: Json;
  after: Json;
}

export interface ImportHeaderAliasTable {
  unit_id: string;
  kind: string;
  header: string;
  field: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

import type { FindingsTables } from '../../modules/findings/findings.tables.js';
import type { SafetyTables } from '../../modules/safety/safety.tables.js';
import type { InspectorTables } from '../../modules/inspectors/inspectors.tables.js';
import type { DropoutTables } from '../../modules/dropout/dropout.tables.js';
import type { PlanTables } from '../../modules/plans/plans.tables.js';
import type { TrainingTables } from '../../modules/training/training.tables.js';
import type { ComplaintTables } from '../../modules/complaints/complaints.tables.js';
import type { CollectionTables } from '../../modules/collection/collection.tables.js';

/** The whole schema: the platform's tables here, each later module's in its own <module>.tables.ts. */
export interface DB
  extends
    FindingsTables,
    SafetyTables,
    InspectorTables,
    DropoutTables,
    PlanTables,
    TrainingTables,
    ComplaintTables,
    CollectionTables {
  unit: UnitTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  inspector_school: InspectorSchoolTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
  app_setting: AppSettingTable;
  school_class: SchoolClassTable;
  student: StudentTable;
  student_guardian: StudentGuardianTable;
  student_status_event: StudentStatusEventTable;
  student_transfer: StudentTransferTable;
  import_job: ImportJobTable;
  registry_write: RegistryWriteTable;
  import_student_row: ImportStudentRowTable;
  import_change: ImportChangeTable;
  import_header_alias: ImportHeaderAliasTable;
}

export type UnitRow = Selectable<UnitTable>;
export type NewUnit = Insertable<UnitTable>;
export type UnitPatch = Updateable<UnitTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type StudentRow = Selectable<StudentTable>;
export type NewStudent = Insertable<StudentTable>;
