import { sql, type Kysely } from 'kysely';

// 群众诉求 (issue 7): one desk for every complaint the bureau receives — the public form, hotline calls typed
// by staff, 12345 transfers, letters and visits (信访), 舆情 — routed to the responsible unit with a time limit
// in working days, replied to, rated by the complainant, reopened, merged, escalated when overdue. Problems a
// complaint reveals go to the findings ledger (finding.source = 'complaint', source_id = the complaint).
// Plain SQL for PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- unit_id: the responsible unit now (the scope of every query); desk_unit_id: the bureau that registered it.
    -- The complainant's name and phone are encrypted (AES-256-GCM) with an HMAC of the phone for look-ups.
    create table complaint (
      id uuid primary key,
      tracking_no text not null unique,
      channel text not null check (channel in ('web', 'phone', 'hotline12345', 'petition', 'opinion')),
      category text not null
        check (category in ('training', 'fees', 'ethics', 'safety', 'enrolment', 'aid', 'burden', 'other')),
      status text not null default 'received'
        check (status in ('received', 'routed', 'accepted', 'replied', 'closed', 'merged')),
      desk_unit_id uuid not null references unit (id),
      unit_id uuid not null references unit (id),
      school_id uuid references unit (id),
      institution_id uuid references training_institution (id),
      subject_name text,
      title text not null,
      content text not null,
      file_ids uuid[] not null default '{}',
      complainant_enc text,
      phone_enc text,
      phone_hmac text,
      hotline_no text,
      received_on date not null,
      reply_days smallint not null check (reply_days between 1 and 60),
      deadline date not null,
      accepted_at timestamptz,
      accepted_by uuid references app_user (id),
      reply text,
      replied_on date,
      replied_by uuid references app_user (id),
      satisfaction text check (satisfaction in ('satisfied', 'basic', 'dissatisfied')),
      satisfaction_note text,
      rated_at timestamptz,
      reopen_count smallint not null default 0,
      closed_on date,
      merged_into uuid references complaint (id) deferrable initially deferred,
      escalated_at timestamptz,
      escalated_to_unit_id uuid references unit (id),
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint complaint_phone_pair check ((phone_enc is null) = (phone_hmac is null)),
      constraint complaint_merged check ((status = 'merged') = (merged_into is not null)),
      constraint complaint_reply check (status not in ('replied', 'closed') or reply is not null or closed_on is not null)
    );
    -- A 12345 work order is taken once, whichever way it arrives (import or API).
    create unique index complaint_hotline_uq on complaint (hotline_no) where hotline_no is not null;
    create index complaint_unit_idx on complaint (unit_id, status);
    create index complaint_received_idx on complaint (received_on);
    create index complaint_phone_idx on complaint (phone_hmac) where phone_hmac is not null;
    create index complaint_institution_idx on complaint (institution_id) where institution_id is not null;
    create index complaint_open_deadline_idx on complaint (deadline)
      where status in ('received', 'routed', 'accepted') and escalated_at is null;

    -- The timeline; public steps are shown on the tracking page, the others only to staff.
    create table complaint_event (
      id uuid primary key,
      complaint_id uuid not null references complaint (id),
      kind text not null check (kind in ('receive', 'route', 'accept', 'return', 'reply', 'rate', 'reopen',
        'close', 'merge', 'escalate', 'finding', 'note', 'reveal')),
      public boolean not null default false,
      actor_id uuid references app_user (id),
      actor_name text,
      unit_id uuid references unit (id),
      note text,
      data jsonb,
      created_at timestamptz not null default now()
    );
    create index complaint_event_idx on complaint_event (complaint_id, created_at);

    -- The reply time limit a bureau sets for complaints in its area (nearest bureau wins; default 15 working days).
    create table complaint_setting (
      unit_id uuid primary key references unit (id),
      reply_days smallint not null check (reply_days between 1 and 60),
      updated_by uuid references app_user (id),
      updated_at timestamptz not null default now()
    );

    -- Public captchas are stateless (HMAC-signed, with an expiry); an answered one is remembered until it
    -- expires so it cannot be used twice.
    create table complaint_captcha_used (
      nonce text primary key,
      expires_at timestamptz not null
    );
  `.execute(db);
}
