import { sql, type Kysely } from 'kysely';

// 数据填报, validation rules, approval, indicators (issue 8). Plain SQL for PostgreSQL 15 and PGlite.
// Definitions (elements, forms, rules, indicators) are the city's; a submission is one unit's figures for
// one form and period, kept as jsonb keyed by element code (a form has tens of elements, a city 1,200
// schools: one row per school and period reads faster than a row per value).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_element (
      id uuid primary key,
      code text not null unique check (code ~ '^[A-Z][A-Z0-9_]{0,39}$'),
      name text not null,
      type text not null check (type in ('number', 'integer', 'percentage', 'boolean', 'option', 'text')),
      unit text not null default '',
      options jsonb not null default '[]',
      description text not null default '',
      prefill text,
      created_at timestamptz not null default now()
    );

    create table data_form (
      id uuid primary key,
      code text not null unique,
      name text not null,
      period_type text not null check (period_type in ('year', 'term', 'quarter', 'month')),
      -- school stages and/or 'county_bureau'
      targets jsonb not null,
      sections jsonb not null,
      description text not null default '',
      updated_by uuid references app_user (id),
      updated_at timestamptz not null default now()
    );

    create table validation_rule (
      id uuid primary key,
      form_id uuid not null references data_form (id),
      name text not null,
      left_expr text not null,
      operator text not null check (operator in ('==', '!=', '<', '<=', '>', '>=')),
      right_expr text not null,
      missing text not null check (missing in ('skip_if_any_missing', 'skip_if_all_missing', 'treat_as_zero')),
      importance text not null check (importance in ('error', 'warning')),
      message text not null default '',
      active boolean not null default true,
      updated_by uuid references app_user (id),
      updated_at timestamptz not null default now()
    );
    create index validation_rule_form_idx on validation_rule (form_id);

    create table data_submission (
      id uuid primary key,
      form_id uuid not null references data_form (id),
      unit_id uuid not null references unit (id),
      period text not null,
      status text not null check (status in ('draft', 'submitted', 'returned', 'approved', 'accepted')),
      -- { CODE: number | boolean | text }
      vals jsonb not null default '{}',
      -- codes whose value came from the registry untouched
      prefilled jsonb not null default '[]',
      -- { ruleId: explanation of a failing warning }
      explanations jsonb not null default '{}',
      -- the rule results of the last check (on save, on submit, nightly)
      results jsonb not null default '[]',
      errors integer not null default 0,
      warnings integer not null default 0,
      checked_at timestamptz,
      return_reason text,
      submitted_by uuid references app_user (id),
      submitted_at timestamptz,
      approved_by uuid references app_user (id),
      approved_at timestamptz,
      accepted_by uuid references app_user (id),
      accepted_at timestamptz,
      updated_by uuid references app_user (id),
      updated_at timestamptz not null default now(),
      unique (form_id, unit_id, period)
    );
    create index data_submission_form_period_idx on data_submission (form_id, period);

    -- The city's acceptance of a county's figures for a form and period (the county level signed off).
    create table collection_acceptance (
      form_id uuid not null references data_form (id),
      county_id uuid not null references unit (id),
      period text not null,
      accepted_by uuid references app_user (id),
      accepted_at timestamptz not null default now(),
      primary key (form_id, county_id, period)
    );

    create table indicator (
      id uuid primary key,
      code text not null unique,
      name text not null,
      numerator text not null,
      denominator text not null,
      factor double precision not null default 1,
      unit text not null default '',
      form_id uuid not null references data_form (id),
      description text not null default '',
      updated_by uuid references app_user (id),
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
