import { sql, type Kysely } from 'kysely';

/**
 * Responsibility inspectors (责任督学挂牌督导): profiles of inspector accounts (督学人才库), per-bureau settings
 * (visits per term, maximum schools, the plaque's hotline), visits with their items, and 督导意见书 with the
 * findings they list and their timeline. Assignments stay in inspector_school (0001).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table inspector_profile (
      user_id uuid primary key references app_user (id) on delete cascade,
      employment text not null check (employment in ('full_time', 'part_time')),
      title text,
      employer text,
      phone text,
      photo_file_id uuid references stored_file (id),
      specialty text,
      certificate_no text,
      appointed_on date,
      status text not null default 'active' check (status in ('active', 'suspended', 'retired')),
      note text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table inspector_setting (
      unit_id uuid primary key references unit (id),
      visits_per_term integer not null check (visits_per_term between 1 and 20),
      max_schools integer not null check (max_schools between 1 and 50),
      hotline text,
      updated_by uuid references app_user (id),
      updated_at timestamptz not null default now()
    );

    create table inspector_visit (
      id uuid primary key,
      school_id uuid not null references unit (id),
      inspector_id uuid not null references app_user (id),
      bureau_id uuid not null references unit (id),
      visit_date date not null,
      term_id text not null,
      methods text[] not null,
      other_method text,
      summary text not null,
      deadline date,
      recorded_by uuid references app_user (id),
      recorded_by_name text,
      created_at timestamptz not null default now()
    );
    create index inspector_visit_school_idx on inspector_visit (school_id, visit_date);
    create index inspector_visit_inspector_idx on inspector_visit (inspector_id, visit_date);
    create index inspector_visit_term_idx on inspector_visit (term_id, school_id);

    create table inspector_visit_item (
      visit_id uuid not null references inspector_visit (id),
      item text not null,
      result text not null check (result in ('ok', 'problem')),
      notes text,
      file_ids uuid[] not null default '{}',
      finding_id uuid references finding (id),
      primary key (visit_id, item)
    );

    create table inspector_opinion (
      id uuid primary key,
      no text not null unique,
      bureau_id uuid not null references unit (id),
      year integer not null,
      seq integer not null,
      visit_id uuid not null unique references inspector_visit (id),
      school_id uuid not null references unit (id),
      inspector_id uuid not null references app_user (id),
      issued_on date not null,
      deadline date not null,
      content text not null,
      requirements text,
      status text not null check (status in ('issued', 'submitted', 'returned', 'accepted')),
      report_text text,
      report_file_ids uuid[] not null default '{}',
      report_submitted_at timestamptz,
      report_submitted_by uuid references app_user (id),
      verified_at timestamptz,
      verified_by uuid references app_user (id),
      verify_note text,
      return_count integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (bureau_id, year, seq)
    );
    create index inspector_opinion_school_idx on inspector_opinion (school_id, issued_on);

    create table inspector_opinion_finding (
      opinion_id uuid not null references inspector_opinion (id),
      finding_id uuid not null references finding (id),
      primary key (opinion_id, finding_id)
    );
    create index inspector_opinion_finding_finding_idx on inspector_opinion_finding (finding_id);

    create table inspector_opinion_event (
      id uuid primary key,
      opinion_id uuid not null references inspector_opinion (id),
      kind text not null check (kind in ('issue', 'report', 'accept', 'return')),
      at timestamptz not null default now(),
      actor_id uuid references app_user (id),
      actor_name text,
      note text,
      file_ids uuid[] not null default '{}'
    );
    create index inspector_opinion_event_opinion_idx on inspector_opinion_event (opinion_id, at);
  `.execute(db);
}
