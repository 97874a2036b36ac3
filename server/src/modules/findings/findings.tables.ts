/** Row types of the findings ledger and the platform tables it brought (files, notifications, numbering). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<string, string, string>;
type Json = ColumnType<unknown, string | null, string | null>;
type UuidArray = ColumnType<string[], string[] | undefined, string[]>;

export interface StoredFileTable {
  id: string;
  unit_id: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  object_type: string | null;
  object_id: string | null;
  created_at: Timestamp;
  read_at: Date | null;
}

export interface DocCounterTable {
  unit_id: string;
  kind: string;
  year: number;
  last: number;
}

export interface RectificationNoticeTable {
  id: string;
  no: string;
  issuer_unit_id: string;
  unit_id: string;
  issued_on: DateCol;
  deadline: DateCol;
  note: string | null;
  issued_by: string | null;
  created_at: Timestamp;
}

export interface FindingTable {
  id: string;
  no: string;
  source: string;
  source_type: string | null;
  source_id: string | null;
  category: string;
  subcategory: string | null;
  severity: string;
  title: string;
  description: string | null;
  location: string | null;
  basis: string | null;
  unit_id: string;
  raised_by_unit_id: string;
  raised_by: string | null;
  raised_by_name: string | null;
  grid_id: string | null;
  status: string;
  deadline: DateCol;
  raised_on: DateCol;
  closed_on: string | null;
  measures: string | null;
  interim_controls: string | null;
  notice_id: string | null;
  escalated_at: Date | null;
  escalated_to_unit_id: string | null;
  return_count: Generated<number>;
  file_ids: UuidArray;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FindingEventTable {
  id: string;
  finding_id: string;
  kind: string;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  unit_id: string | null;
  note: string | null;
  data: Json;
  file_ids: UuidArray;
}

export interface FindingsTables {
  stored_file: StoredFileTable;
  notification: NotificationTable;
  doc_counter: DocCounterTable;
  rectification_notice: RectificationNoticeTable;
  finding: FindingTable;
  finding_event: FindingEventTable;
}
