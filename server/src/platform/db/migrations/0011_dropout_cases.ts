import { sql, type Kysely } from 'kysely';

// 控辍保学 second slice: case follow-up (双线四级, 四步法 steps, outcomes, 动态销号), the case timeline,
// population lists and their cross-check (四查三比对), scheduled reports (学校一月一报告、县区一季度一复核).
// Plain SQL for PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Statuses now: suspected → dropout (confirmed 辍学, 劝返 under way) → verifying (结果待上级核销) → closed;
    -- suspected → closed (dismissed, or back by the scan).
    alter table dropout_case
      add column step smallint not null default 0 check (step between 0 and 4),
      add column step_started_on date,
      add column step_due_on date,
      add column escalation_level smallint not null default 0,
      add column escalated_unit_id uuid references unit (id),
      add column escalated_at timestamptz,
      add column edu_line jsonb not null default '[]',
      add column gov_line jsonb not null default '[]',
      add column confirmed_on date,
      add column outcome text check (outcome in ('returned', 'exempt', 'movedAway', 'vocationalTraining')),
      add column placement text check (placement in ('regularClass', 'inclusive', 'homeTeaching', 'vocationalSchool')),
      add column outcome_on date,
      add column outcome_note text,
      add column outcome_files uuid[] not null default '{}',
      add column destination_code text,
      add column proposed_by uuid references app_user (id),
      add column proposed_at timestamptz,
      add column verified_by uuid references app_user (id),
      add column verified_at timestamptz;
    create index dropout_case_due_idx on dropout_case (step_due_on) where status = 'dropout';
    create index dropout_case_county_idx on dropout_case (county_code, status);

    -- What was done at a step of 四步法: date, who (names and roles as text), what, evidence files.
    create table dropout_case_step (
      id uuid primary key,
      case_id uuid not null references dropout_case (id),
      step_no smallint not null check (step_no between 1 and 4),
      acted_on date not null,
      people text not null,
      action text not null,
      result text,
      file_ids uuid[] not null default '{}',
      actor_user_id uuid references app_user (id),
      created_at timestamptz not null default now()
    );
    create index dropout_case_step_case_idx on dropout_case_step (case_id, created_at);

    -- The case timeline: every change, in order.
    create table dropout_case_event (
      id uuid primary key,
      case_id uuid not null references dropout_case (id),
      kind text not null,
      data jsonb not null default '{}',
      actor_user_id uuid references app_user (id),
      created_at timestamptz not null default now()
    );
    create index dropout_case_event_case_idx on dropout_case_event (case_id, created_at);

    -- A population list (户籍 school-age list, 脱贫户 children list) and its cross-check result.
    create table population_list (
      id uuid primary key,
      unit_id uuid not null references unit (id),
      kind text not null check (kind in ('hukou', 'poverty')),
      file_name text not null,
      sha256 text not null,
      as_of date not null,
      age_min smallint not null,
      age_max smallint not null,
      counts jsonb not null,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now()
    );
    create index population_list_unit_idx on population_list (unit_id, created_at);

    -- One listed person: the ID number only as HMAC and ciphertext, the category the cross-check gave.
    create table population_person (
      list_id uuid not null references population_list (id) on delete cascade,
      row_no integer not null,
      name text not null,
      id_number_hmac text,
      id_number_enc text,
      birth_date date,
      county_code text,
      town_code text,
      town_name text,
      poverty boolean not null default false,
      exemption text,
      category text not null check (category in ('enrolledHere', 'enrolledElsewhere', 'exempt', 'outOfSchool',
        'dropout', 'povertyDropout', 'unmatched')),
      note text,
      student_id uuid,
      school_id uuid,
      primary key (list_id, row_no)
    );
    create index population_person_cat_idx on population_person (list_id, category, county_code, town_code);

    -- Scheduled reports: each school monthly (一月一报告), each county quarterly (一季度一复核).
    create table dropout_report (
      unit_id uuid not null references unit (id),
      period text not null,
      due_on date not null,
      figures jsonb not null,
      submitted_by uuid references app_user (id),
      submitted_at timestamptz not null default now(),
      primary key (unit_id, period)
    );
  `.execute(db);
}
