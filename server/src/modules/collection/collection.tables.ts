/** Row types of the collection module's tables (migration 0012_collection). */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: read parsed, written as JSON text. */
type Json<T> = ColumnType<T, string | undefined, string>;

export interface DataElementTable {
  id: string;
  code: string;
  name: string;
  type: 'number' | 'integer' | 'percentage' | 'boolean' | 'option' | 'text';
  unit: ColumnType<string, string | undefined, string>;
  options: Json<string[]>;
  description: ColumnType<string, string | undefined, string>;
  prefill: string | null;
  created_at: Timestamp;
}

export interface DataFormTable {
  id: string;
  code: string;
  name: string;
  period_type: 'year' | 'term' | 'quarter' | 'month';
  targets: Json<string[]>;
  sections: Json<{ title: string; elements: string[] }[]>;
  description: ColumnType<string, string | undefined, string>;
  /** Migration 0016: a retired form takes no new figures. */
  active: ColumnType<boolean, boolean | undefined, boolean>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ValidationRuleTable {
  id: string;
  form_id: string;
  name: string;
  left_expr: string;
  operator: '==' | '!=' | '<' | '<=' | '>' | '>=';
  right_expr: string;
  missing: 'skip_if_any_missing' | 'skip_if_all_missing' | 'treat_as_zero';
  importance: 'error' | 'warning';
  message: ColumnType<string, string | undefined, string>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface DataSubmissionTable {
  id: string;
  form_id: string;
  unit_id: string;
  period: string;
  status: 'draft' | 'submitted' | 'returned' | 'approved' | 'accepted';
  vals: Json<Record<string, number | boolean | string | null>>;
  prefilled: Json<string[]>;
  explanations: Json<Record<string, string>>;
  results: Json<unknown[]>;
  errors: ColumnType<number, number | undefined, number>;
  warnings: ColumnType<number, number | undefined, number>;
  checked_at: NullableTimestamp;
  return_reason: string | null;
  submitted_by: string | null;
  submitted_at: NullableTimestamp;
  approved_by: string | null;
  approved_at: NullableTimestamp;
  accepted_by: string | null;
  accepted_at: NullableTimestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface CollectionAcceptanceTable {
  form_id: string;
  county_id: string;
  period: string;
  accepted_by: string | null;
  accepted_at: Timestamp;
}

export interface IndicatorTable {
  id: string;
  code: string;
  name: string;
  numerator: string;
  denominator: string;
  factor: ColumnType<number, number | undefined, number>;
  unit: ColumnType<string, string | undefined, string>;
  form_id: string;
  description: ColumnType<string, string | undefined, string>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface CollectionTables {
  data_element: DataElementTable;
  data_form: DataFormTable;
  validation_rule: ValidationRuleTable;
  data_submission: DataSubmissionTable;
  collection_acceptance: CollectionAcceptanceTable;
  indicator: IndicatorTable;
}
