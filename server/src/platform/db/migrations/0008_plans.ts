import { sql, type Kysely } from 'kysely';

/**
 * 部署·督办·考评·通报 (issue 6). Plans → chapters → numbered tasks with milestones and measurable targets;
 * assignments of a task to responsible units (a county splits its own to schools); progress reports;
 * supervision notices (督办单, numbered per issuing unit and year through doc_counter); dispatch-meeting
 * snapshots; assessment schemes with weighted items, periods, hand-entered items and approved results;
 * briefings (通报) and the units they were published to. Status is never stored: it is computed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table plan (
      id uuid primary key,
      owner_unit_id uuid not null references unit (id),
      title text not null,
      kind text not null check (kind in ('annual', 'multi_year', 'campaign')),
      year integer not null,
      starts_on date not null,
      ends_on date not null,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (ends_on >= starts_on)
    );
    create index plan_owner_idx on plan (owner_unit_id);

    create table plan_chapter (
      id uuid primary key,
      plan_id uuid not null references plan (id) on delete cascade,
      seq integer not null,
      title text not null,
      unique (plan_id, seq)
    );

    create table plan_task (
      id uuid primary key,
      plan_id uuid not null references plan (id) on delete cascade,
      chapter_id uuid not null references plan_chapter (id) on delete cascade,
      seq integer not null,
      title text not null,
      description text,
      lead_office text not null,
      co_offices text[] not null default '{}',
      starts_on date not null,
      due_on date not null,
      report_cycle text not null check (report_cycle in ('monthly', 'quarterly', 'milestone')),
      target_indicator text,
      target_op text check (target_op in ('>=', '<=', '=', '>', '<')),
      target_value double precision,
      target_unit text,
      target_text text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (plan_id, seq),
      check (due_on >= starts_on)
    );
    create index plan_task_chapter_idx on plan_task (chapter_id);

    create table plan_milestone (
      id uuid primary key,
      task_id uuid not null references plan_task (id) on delete cascade,
      seq integer not null,
      title text not null,
      due_on date not null,
      unique (task_id, seq)
    );

    create table plan_assignment (
      id uuid primary key,
      plan_id uuid not null references plan (id) on delete cascade,
      task_id uuid not null references plan_task (id) on delete cascade,
      unit_id uuid not null references unit (id),
      parent_id uuid references plan_assignment (id) on delete cascade,
      person_user_id uuid references app_user (id),
      note text,
      created_at timestamptz not null default now(),
      unique (task_id, unit_id)
    );
    create index plan_assignment_unit_idx on plan_assignment (unit_id);
    create index plan_assignment_plan_idx on plan_assignment (plan_id);

    create table plan_report (
      id uuid primary key,
      assignment_id uuid not null references plan_assignment (id) on delete cascade,
      reported_on date not null,
      text text not null,
      value double precision,
      milestone_id uuid references plan_milestone (id),
      completed boolean not null default false,
      file_ids uuid[] not null default '{}',
      reported_by uuid references app_user (id),
      reported_by_name text,
      created_at timestamptz not null default now()
    );
    create index plan_report_assignment_idx on plan_report (assignment_id, reported_on);

    create table plan_notice (
      id uuid primary key,
      no text not null,
      plan_id uuid not null references plan (id) on delete cascade,
      task_id uuid not null references plan_task (id) on delete cascade,
      assignment_id uuid not null references plan_assignment (id) on delete cascade,
      issuer_unit_id uuid not null references unit (id),
      unit_id uuid not null references unit (id),
      reason text not null,
      requirement text not null,
      issued_on date not null,
      deadline date not null,
      status text not null check (status in ('open', 'answered', 'closed')),
      answer text,
      answer_file_ids uuid[] not null default '{}',
      answered_on date,
      answered_by_name text,
      escalated_at timestamptz,
      finding_id uuid references finding (id),
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (issuer_unit_id, no),
      check (deadline >= issued_on)
    );
    create index plan_notice_unit_idx on plan_notice (unit_id);
    create index plan_notice_open_idx on plan_notice (deadline) where status = 'open' and escalated_at is null;

    create table plan_meeting (
      id uuid primary key,
      plan_id uuid not null references plan (id) on delete cascade,
      held_on date not null,
      title text not null,
      snapshot jsonb not null,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now()
    );
    create index plan_meeting_plan_idx on plan_meeting (plan_id, held_on);

    create table assess_scheme (
      id uuid primary key,
      owner_unit_id uuid not null references unit (id),
      year integer not null,
      unit_kind text not null check (unit_kind in ('county_bureau', 'school')),
      name text not null,
      bands jsonb not null,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now()
    );
    create index assess_scheme_owner_idx on assess_scheme (owner_unit_id);

    create table assess_item (
      id uuid primary key,
      scheme_id uuid not null references assess_scheme (id) on delete cascade,
      seq integer not null,
      kind text not null check (kind in ('task_completion', 'target_achievement', 'report_timeliness',
        'rectification_rate', 'bonus', 'deduction', 'manual', 'veto')),
      name text not null,
      weight double precision not null check (weight >= 0),
      veto_mode text check (veto_mode in ('void', 'cap')),
      veto_cap double precision,
      unique (scheme_id, seq)
    );

    create table assess_period (
      id uuid primary key,
      scheme_id uuid not null references assess_scheme (id) on delete cascade,
      plan_id uuid references plan (id),
      label text not null,
      starts_on date not null,
      ends_on date not null,
      status text not null check (status in ('open', 'approved')),
      approved_at timestamptz,
      approved_by_name text,
      created_at timestamptz not null default now(),
      unique (scheme_id, label),
      check (ends_on >= starts_on)
    );

    -- Items scored by hand (manual, bonus, deduction) and veto items that hit a unit.
    create table assess_entry (
      period_id uuid not null references assess_period (id) on delete cascade,
      unit_id uuid not null references unit (id),
      item_id uuid not null references assess_item (id) on delete cascade,
      points double precision not null,
      reason text not null,
      entered_by_name text,
      updated_at timestamptz not null default now(),
      primary key (period_id, unit_id, item_id)
    );

    -- The frozen result of an approved period (recomputed, with a reason, when it is changed later).
    create table assess_result (
      period_id uuid not null references assess_period (id) on delete cascade,
      unit_id uuid not null references unit (id),
      score double precision not null,
      grade text not null,
      rank integer not null,
      vetoed boolean not null,
      breakdown jsonb not null,
      primary key (period_id, unit_id)
    );

    create table briefing (
      id uuid primary key,
      owner_unit_id uuid not null references unit (id),
      period_id uuid references assess_period (id),
      plan_id uuid references plan (id),
      no text not null,
      title text not null,
      content jsonb not null,
      status text not null check (status in ('draft', 'published')),
      published_at timestamptz,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      unique (owner_unit_id, no)
    );
    create index briefing_owner_idx on briefing (owner_unit_id);

    create table briefing_recipient (
      briefing_id uuid not null references briefing (id) on delete cascade,
      unit_id uuid not null references unit (id),
      read_at timestamptz,
      primary key (briefing_id, unit_id)
    );
    create index briefing_recipient_unit_idx on briefing_recipient (unit_id);
  `.execute(db);
}
