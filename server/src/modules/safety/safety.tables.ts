/** Row types of the safety module's tables (migration 0005_safety). */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateCol = ColumnType<string, string, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface SafetyTemplateTable {
  id: string;
  owner_unit_id: string;
  name: string;
  description: string | null;
  archived_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SafetyTemplateVersionTable {
  id: string;
  template_id: string;
  version: number;
  status: 'draft' | 'published';
  note: string | null;
  published_at: NullableTimestamp;
  published_by: string | null;
  created_at: Timestamp;
}

export interface SafetyTemplateItemTable {
  id: string;
  version_id: string;
  seq: number;
  area: string;
  text: string;
  basis: string | null;
  default_severity: string;
}

export interface SafetyCampaignTable {
  id: string;
  owner_unit_id: string;
  scope_unit_id: string;
  name: string;
  description: string | null;
  starts_on: DateCol;
  ends_on: DateCol;
  template_version_id: string;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SafetyCampaignGroupTable {
  id: string;
  campaign_id: string;
  name: string;
  leader: string;
  members: TextArray;
  people: number;
  created_at: Timestamp;
}

export interface SafetyGridTable {
  id: string;
  unit_id: string;
  name: string;
  location: string | null;
  person_name: string | null;
  person_phone: string | null;
  user_id: string | null;
  seq: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SafetyInspectionTable {
  id: string;
  kind: 'campaign' | 'visit' | 'self_check';
  unit_id: string;
  campaign_id: string | null;
  group_id: string | null;
  template_version_id: string;
  inspected_on: DateCol;
  month: string | null;
  grid_id: string | null;
  people_names: TextArray;
  people_count: number;
  summary: string | null;
  status: 'draft' | 'submitted';
  raised_by_unit_id: string;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: NullableTimestamp;
}

export interface SafetyInspectionItemTable {
  inspection_id: string;
  item_id: string;
  result: 'pass' | 'fail' | 'na';
  note: string | null;
  file_ids: TextArray;
  severity: string | null;
  deadline: string | null;
  grid_id: string | null;
  location: string | null;
  rectified_on_site: ColumnType<boolean, boolean | undefined, boolean>;
  finding_id: string | null;
}

export interface SafetyTables {
  safety_template: SafetyTemplateTable;
  safety_template_version: SafetyTemplateVersionTable;
  safety_template_item: SafetyTemplateItemTable;
  safety_campaign: SafetyCampaignTable;
  safety_campaign_group: SafetyCampaignGroupTable;
  safety_grid: SafetyGridTable;
  safety_inspection: SafetyInspectionTable;
  safety_inspection_item: SafetyInspectionItemTable;
}
