import { sql, type Kysely } from 'kysely';

/**
 * 校外培训监管 (issue 7): the registry of off-campus training institutions supervised by the county bureaus
 * (venues, staff, courses and fees, documents), their lifecycle and black-list events, prepaid-fee orders
 * and the regions' prepaid rules, and inspections. Problems found (prepaid-rule violations, inspection
 * findings) live in the findings ledger (finding.source_type = 'training_institution', source_id = the
 * institution), never here; training_rule_hit only remembers which violation raised which finding.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- unit_id: the county bureau that supervises the institution (the scope of every query).
    create table training_institution (
      id uuid primary key,
      unit_id uuid not null references unit (id),
      name text not null,
      credit_code text,
      category text not null default 'non_subject' check (category in ('subject', 'non_subject')),
      sub_type text,
      legal_form text not null default 'company'
        check (legal_form in ('non_profit', 'company', 'individual', 'other')),
      address text,
      legal_person text,
      phone text,
      licence_no text,
      licence_from date,
      licence_to date,
      status text not null default 'applied'
        check (status in ('applied', 'approved', 'operating', 'rectifying', 'suspended', 'closed', 'banned', 'converted')),
      status_since date not null,
      blacklisted boolean not null default false,
      blacklist_reason text,
      blacklisted_on date,
      custody_bank text,
      custody_account text,
      custody_balance_cents bigint,
      custody_balance_on date,
      reserve_cents bigint,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (category <> 'subject' or legal_form = 'non_profit'),
      check (not blacklisted or (blacklist_reason is not null and blacklisted_on is not null))
    );
    create unique index training_institution_code_uq on training_institution (credit_code) where credit_code is not null;
    create index training_institution_unit_idx on training_institution (unit_id, status);

    create table training_venue (
      id uuid primary key,
      institution_id uuid not null references training_institution (id) on delete cascade,
      address text not null,
      area_m2 numeric(10, 1) not null check (area_m2 > 0),
      fire_accepted boolean not null default false,
      fire_cert_no text,
      approved boolean not null default false,
      approved_on date,
      created_at timestamptz not null default now()
    );
    create index training_venue_inst_idx on training_venue (institution_id);

    create table training_staff (
      id uuid primary key,
      institution_id uuid not null references training_institution (id) on delete cascade,
      name text not null,
      id_number_enc text,
      id_number_hmac text,
      role text not null check (role in ('teacher', 'manager', 'other')),
      subject_teaching boolean not null default false,
      teacher_cert_no text,
      background_checked boolean not null default false,
      background_checked_on date,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      constraint training_staff_id_pair check ((id_number_enc is null) = (id_number_hmac is null))
    );
    create index training_staff_inst_idx on training_staff (institution_id);

    create table training_course (
      id uuid primary key,
      institution_id uuid not null references training_institution (id) on delete cascade,
      name text not null,
      price_per_hour_cents integer not null check (price_per_hour_cents >= 0),
      hours_per_period integer not null check (hours_per_period > 0),
      period_months integer not null check (period_months > 0),
      current_students integer not null default 0 check (current_students >= 0),
      active boolean not null default true,
      created_at timestamptz not null default now()
    );
    create index training_course_inst_idx on training_course (institution_id);

    create table training_document (
      id uuid primary key,
      institution_id uuid not null references training_institution (id) on delete cascade,
      kind text not null,
      number text,
      valid_to date,
      file_id uuid references stored_file (id),
      created_at timestamptz not null default now(),
      unique (institution_id, kind)
    );

    -- Lifecycle and list events: kind 'status' (from → to), 'blacklist', 'unblacklist'.
    create table training_event (
      id uuid primary key,
      institution_id uuid not null references training_institution (id) on delete cascade,
      kind text not null check (kind in ('status', 'blacklist', 'unblacklist')),
      from_status text,
      to_status text,
      on_date date not null,
      reason text,
      actor_id uuid references app_user (id),
      actor_name text,
      created_at timestamptz not null default now()
    );
    create index training_event_inst_idx on training_event (institution_id, on_date);
    create index training_event_date_idx on training_event (on_date, kind);

    -- Prepaid orders (预收费): a charge to one learner (no personal data: the institution's own order number).
    create table training_order (
      id uuid primary key,
      institution_id uuid not null references training_institution (id) on delete cascade,
      order_no text not null,
      course_id uuid references training_course (id) on delete set null,
      paid_on date not null,
      amount_cents bigint not null check (amount_cents > 0),
      class_hours integer not null check (class_hours > 0),
      covers_months integer not null check (covers_months > 0),
      hours_taught integer not null default 0 check (hours_taught >= 0),
      refunded boolean not null default false,
      source text not null check (source in ('bureau', 'import', 'api')),
      created_at timestamptz not null default now(),
      unique (institution_id, order_no),
      check (hours_taught <= class_hours)
    );
    create index training_order_inst_idx on training_order (institution_id);

    -- Prepaid rules per region (the city's or a county's bureau); absent: the national defaults.
    create table training_rule_set (
      unit_id uuid primary key references unit (id),
      max_months integer not null check (max_months > 0),
      max_hours integer not null check (max_hours > 0),
      max_non_subject_cents bigint not null check (max_non_subject_cents > 0),
      warn_days integer not null check (warn_days between 1 and 365),
      updated_by uuid references app_user (id),
      updated_at timestamptz not null default now()
    );

    -- Which violation raised which finding (so a re-check does not raise it twice).
    create table training_rule_hit (
      id uuid primary key,
      institution_id uuid not null references training_institution (id) on delete cascade,
      rule text not null,
      subject_key text not null,
      finding_id uuid not null references finding (id),
      created_at timestamptz not null default now(),
      unique (institution_id, rule, subject_key)
    );

    -- 明察暗访 / joint enforcement visits; findings go to the ledger.
    create table training_inspection (
      id uuid primary key,
      institution_id uuid not null references training_institution (id) on delete cascade,
      kind text not null check (kind in ('open', 'unannounced', 'joint')),
      inspected_on date not null,
      agencies text[] not null default '{}',
      people text[] not null default '{}',
      summary text,
      finding_ids uuid[] not null default '{}',
      created_by uuid references app_user (id),
      created_at timestamptz not null default now()
    );
    create index training_inspection_inst_idx on training_inspection (institution_id, inspected_on);
  `.execute(db);
}
