import { sql, type Kysely } from 'kysely';

/**
 * Stored files (photos, evidence), in-app notifications, document numbering, and the findings ledger with its
 * timeline and rectification notices.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table stored_file (
      id uuid primary key,
      unit_id uuid not null references unit (id),
      name text not null,
      content_type text not null,
      size integer not null,
      sha256 text not null,
      data bytea not null,
      uploaded_by uuid references app_user (id),
      created_at timestamptz not null default now()
    );
    create index stored_file_unit_idx on stored_file (unit_id);

    create table notification (
      id uuid primary key,
      user_id uuid not null references app_user (id) on delete cascade,
      kind text not null,
      title text not null,
      body text,
      link text,
      object_type text,
      object_id text,
      created_at timestamptz not null default now(),
      read_at timestamptz
    );
    create index notification_user_idx on notification (user_id, created_at desc);
    create index notification_unread_idx on notification (user_id) where read_at is null;

    -- The next number of a kind of document (ledger entries, notices …) per unit and year.
    create table doc_counter (
      unit_id uuid not null references unit (id),
      kind text not null,
      year integer not null,
      last integer not null,
      primary key (unit_id, kind, year)
    );

    create table rectification_notice (
      id uuid primary key,
      no text not null unique,
      issuer_unit_id uuid not null references unit (id),
      unit_id uuid not null references unit (id),
      issued_on date not null,
      deadline date not null,
      note text,
      issued_by uuid references app_user (id),
      created_at timestamptz not null default now()
    );
    create index rectification_notice_unit_idx on rectification_notice (unit_id);

    create table finding (
      id uuid primary key,
      no text not null unique,
      source text not null check (source in
        ('inspection', 'inspector_visit', 'complaint', 'rule', 'task', 'self_check', 'manual')),
      source_type text,
      source_id text,
      category text not null,
      subcategory text,
      severity text not null check (severity in ('general', 'major', 'serious')),
      title text not null,
      description text,
      location text,
      basis text,
      unit_id uuid not null references unit (id),
      raised_by_unit_id uuid not null references unit (id),
      raised_by uuid references app_user (id),
      raised_by_name text,
      grid_id uuid,
      status text not null check (status in ('raised', 'notified', 'rectifying', 'submitted', 'closed')),
      deadline date not null,
      raised_on date not null,
      closed_on date,
      measures text,
      interim_controls text,
      notice_id uuid references rectification_notice (id),
      escalated_at timestamptz,
      escalated_to_unit_id uuid references unit (id),
      return_count integer not null default 0,
      file_ids uuid[] not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index finding_unit_idx on finding (unit_id, status);
    create index finding_source_idx on finding (source_type, source_id);
    create index finding_raised_idx on finding (raised_on);
    create index finding_open_deadline_idx on finding (deadline) where status <> 'closed';
    create index finding_notice_idx on finding (notice_id);
    create index finding_grid_idx on finding (grid_id);

    create table finding_event (
      id uuid primary key,
      finding_id uuid not null references finding (id),
      kind text not null,
      at timestamptz not null default now(),
      actor_id uuid references app_user (id),
      actor_name text,
      unit_id uuid references unit (id),
      note text,
      data jsonb,
      file_ids uuid[] not null default '{}'
    );
    create index finding_event_finding_idx on finding_event (finding_id, at);
  `.execute(db);
}
