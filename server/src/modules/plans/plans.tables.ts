/** Row types of the plans module's tables (migrations 0008_plans and 0015_plans_agreements). */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateCol = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Json<T> = ColumnType<T, string, string>;

export interface PlanTable {
  id: string;
  owner_unit_id: string;
  title: string;
  kind: 'annual' | 'multi_year' | 'campaign';
  year: number;
  starts_on: DateCol;
  ends_on: DateCol;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlanChapterTable {
  id: string;
  plan_id: string;
  seq: number;
  title: string;
}

export interface PlanTaskTable {
  id: string;
  plan_id: string;
  chapter_id: string;
  seq: number;
  title: string;
  description: string | null;
  lead_office: string;
  co_offices: TextArray;
  starts_on: DateCol;
  due_on: DateCol;
  report_cycle: 'monthly' | 'quarterly' | 'milestone';
  target_indicator: string | null;
  target_op: '>=' | '<=' | '=' | '>' | '<' | null;
  target_value: number | null;
  target_unit: string | null;
  target_text: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlanMilestoneTable {
  id: string;
  task_id: string;
  seq: number;
  title: string;
  due_on: DateCol;
}

export interface PlanAssignmentTable {
  id: string;
  plan_id: string;
  task_id: string;
  unit_id: string;
  parent_id: string | null;
  person_user_id: string | null;
  note: string | null;
  created_at: Timestamp;
}

export interface PlanReportTable {
  id: string;
  assignment_id: string;
  reported_on: DateCol;
  text: string;
  value: number | null;
  milestone_id: string | null;
  completed: boolean;
  file_ids: TextArray;
  reported_by: string | null;
  reported_by_name: string | null;
  created_at: Timestamp;
}

export interface PlanNoticeTable {
  id: string;
  no: string;
  plan_id: string;
  task_id: string;
  assignment_id: string;
  issuer_unit_id: string;
  unit_id: string;
  reason: string;
  requirement: string;
  issued_on: DateCol;
  deadline: DateCol;
  status: 'open' | 'answered' | 'closed';
  answer: string | null;
  answer_file_ids: TextArray;
  answered_on: NullableDate;
  answered_by_name: string | null;
  escalated_at: NullableTimestamp;
  finding_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlanMeetingTable {
  id: string;
  plan_id: string;
  held_on: DateCol;
  title: string;
  snapshot: Json<unknown>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface AssessSchemeTable {
  id: string;
  owner_unit_id: string;
  year: number;
  unit_kind: 'county_bureau' | 'school';
  name: string;
  bands: Json<{ grade: string; min: number }[]>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface AssessItemTable {
  id: string;
  scheme_id: string;
  seq: number;
  kind: string;
  name: string;
  weight: number;
  veto_mode: 'void' | 'cap' | null;
  veto_cap: number | null;
}

export interface AssessPeriodTable {
  id: string;
  scheme_id: string;
  plan_id: string | null;
  label: string;
  starts_on: DateCol;
  ends_on: DateCol;
  status: 'open' | 'approved';
  approved_at: NullableTimestamp;
  approved_by_name: string | null;
  created_at: Timestamp;
}

export interface AssessEntryTable {
  period_id: string;
  unit_id: string;
  item_id: string;
  points: number;
  reason: string;
  entered_by_name: string | null;
  updated_at: Timestamp;
}

export interface AssessResultTable {
  period_id: string;
  unit_id: string;
  score: number;
  grade: string;
  rank: number;
  vetoed: boolean;
  breakdown: Json<unknown>;
}

export interface BriefingTable {
  id: string;
  owner_unit_id: string;
  period_id: string | null;
  plan_id: string | null;
  no: string;
  title: string;
  content: Json<unknown>;
  status: 'draft' | 'published';
  published_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
}

export interface BriefingRecipientTable {
  briefing_id: string;
  unit_id: string;
  read_at: NullableTimestamp;
}

export interface AgreementKindTable {
  id: string;
  owner_unit_id: string | null;
  code: string | null;
  name: string;
  description: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface AgreementRoundTable {
  id: string;
  issuer_unit_id: string;
  kind_id: string;
  year: number;
  title: string;
  unit_kind: 'county_bureau' | 'school';
  due_on: NullableDate;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface AgreementSigningTable {
  id: string;
  round_id: string;
  unit_id: string;
  status: ColumnType<'pending' | 'signed' | 'returned', 'pending' | 'signed' | 'returned' | undefined>;
  signed_on: NullableDate;
  signer_name: string | null;
  signer_role: string | null;
  file_id: string | null;
  file_type: string | null;
  submitted_at: NullableTimestamp;
  submitted_by_name: string | null;
  returned_reason: string | null;
  returned_at: NullableTimestamp;
  returned_by_name: string | null;
  updated_at: Timestamp;
}

export interface PlanTables {
  plan: PlanTable;
  plan_chapter: PlanChapterTable;
  plan_task: PlanTaskTable;
  plan_milestone: PlanMilestoneTable;
  plan_assignment: PlanAssignmentTable;
  plan_report: PlanReportTable;
  plan_notice: PlanNoticeTable;
  plan_meeting: PlanMeetingTable;
  assess_scheme: AssessSchemeTable;
  assess_item: AssessItemTable;
  assess_period: AssessPeriodTable;
  assess_entry: AssessEntryTable;
  assess_result: AssessResultTable;
  briefing: BriefingTable;
  briefing_recipient: BriefingRecipientTable;
  agreement_kind: AgreementKindTable;
  agreement_round: AgreementRoundTable;
  agreement_signing: AgreementSigningTable;
}
