import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | null, string | null>;

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

export interface DB {
  unit: UnitTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  inspector_school: InspectorSchoolTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
  app_setting: AppSettingTable;
}

export type UnitRow = Selectable<UnitTable>;
export type NewUnit = Insertable<UnitTable>;
export type UnitPatch = Updateable<UnitTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
