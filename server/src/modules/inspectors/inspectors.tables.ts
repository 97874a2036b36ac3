/** Row types of the inspectors module's tables (migration 0006_inspectors). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<string, string, string>;
type UuidArray = ColumnType<string[], string[] | undefined, string[]>;

export interface InspectorProfileTable {
  user_id: string;
  employment: 'full_time' | 'part_time';
  title: string | null;
  employer: string | null;
  phone: string | null;
  photo_file_id: string | null;
  specialty: string | null;
  certificate_no: string | null;
  appointed_on: string | null;
  status: 'active' | 'suspended' | 'retired';
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InspectorSettingTable {
  unit_id: string;
  visits_per_term: number;
  max_schools: number;
  hotline: string | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface InspectorVisitTable {
  id: string;
  school_id: string;
  inspector_id: string;
  bureau_id: string;
  visit_date: DateCol;
  term_id: string;
  methods: string[];
  other_method: string | null;
  summary: string;
  deadline: string | null;
  recorded_by: string | null;
  recorded_by_name: string | null;
  created_at: Timestamp;
}

export interface InspectorVisitItemTable {
  visit_id: string;
  item: string;
  result: 'ok' | 'problem';
  notes: string | null;
  file_ids: UuidArray;
  finding_id: string | null;
}

export interface InspectorOpinionTable {
  id: string;
  no: string;
  bureau_id: string;
  year: number;
  seq: number;
  visit_id: string;
  school_id: string;
  inspector_id: string;
  issued_on: DateCol;
  deadline: DateCol;
  content: string;
  requirements: string | null;
  status: 'issued' | 'submitted' | 'returned' | 'accepted';
  report_text: string | null;
  report_file_ids: UuidArray;
  report_submitted_at: Date | null;
  report_submitted_by: string | null;
  verified_at: Date | null;
  verified_by: string | null;
  verify_note: string | null;
  return_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InspectorOpinionFindingTable {
  opinion_id: string;
  finding_id: string;
}

export interface InspectorOpinionEventTable {
  id: string;
  opinion_id: string;
  kind: 'issue' | 'report' | 'accept' | 'return';
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  note: string | null;
  file_ids: UuidArray;
}

export interface InspectorTables {
  inspector_profile: InspectorProfileTable;
  inspector_setting: InspectorSettingTable;
  inspector_visit: InspectorVisitTable;
  inspector_visit_item: InspectorVisitItemTable;
  inspector_opinion: InspectorOpinionTable;
  inspector_opinion_finding: InspectorOpinionFindingTable;
  inspector_opinion_event: InspectorOpinionEventTable;
}
