/** Row types of the complaints module's tables (migration 0010_complaints). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<string, string, string>;
type Json = ColumnType<unknown, string | null, string | null>;
type UuidArray = ColumnType<string[], string[] | undefined, string[]>;

export interface ComplaintTable {
  id: string;
  tracking_no: string;
  channel: string;
  category: string;
  status: Generated<string>;
  desk_unit_id: string;
  unit_id: string;
  school_id: string | null;
  institution_id: string | null;
  subject_name: string | null;
  title: string;
  content: string;
  file_ids: UuidArray;
  complainant_enc: string | null;
  phone_enc: string | null;
  phone_hmac: string | null;
  hotline_no: string | null;
  received_on: DateCol;
  reply_days: number;
  deadline: DateCol;
  accepted_at: Date | null;
  accepted_by: string | null;
  reply: string | null;
  replied_on: string | null;
  replied_by: string | null;
  satisfaction: string | null;
  satisfaction_note: string | null;
  rated_at: Date | null;
  reopen_count: Generated<number>;
  closed_on: string | null;
  merged_into: string | null;
  escalated_at: Date | null;
  escalated_to_unit_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ComplaintEventTable {
  id: string;
  complaint_id: string;
  kind: string;
  public: boolean;
  actor_id: string | null;
  actor_name: string | null;
  unit_id: string | null;
  note: string | null;
  data: Json;
  created_at: Generated<Date>;
}

export interface ComplaintSettingTable {
  unit_id: string;
  reply_days: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ComplaintCaptchaUsedTable {
  nonce: string;
  expires_at: Timestamp;
}

export interface ComplaintTables {
  complaint: ComplaintTable;
  complaint_event: ComplaintEventTable;
  complaint_setting: ComplaintSettingTable;
  complaint_captcha_used: ComplaintCaptchaUsedTable;
}
