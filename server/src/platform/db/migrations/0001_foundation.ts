import { sql, type Kysely } from 'kysely';

// Plain SQL that PostgreSQL 15 understands; PGlite (PostgreSQL 18) runs the same text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table unit (
      id uuid primary key,
      kind text not null check (kind in ('city_bureau', 'county_bureau', 'school')),
      code text not null,
      name text not null,
      parent_id uuid references unit (id),
      path text not null unique,
      depth integer not null,
      region_code text not null,
      county_code text,
      stage text,
      ownership text check (ownership in ('public', 'private')),
      locality text check (locality in ('urban', 'town', 'rural')),
      address text,
      principal text,
      phone text,
      status text not null default 'active' check (status in ('active', 'disabled')),
      disabled_reason text,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint unit_root_is_city check ((parent_id is null) = (kind = 'city_bureau'))
    );
    create unique index unit_kind_code_key on unit (kind, code);
    create index unit_path_idx on unit (path text_pattern_ops);
    create index unit_parent_idx on unit (parent_id);
    create index unit_name_idx on unit (name text_pattern_ops);

    create table app_user (
      id uuid primary key,
      username text not null unique,
      display_name text not null,
      unit_id uuid not null references unit (id),
      phone text,
      id_number_enc text,
      id_number_hmac text,
      password_hash text not null,
      must_change_password boolean not null default true,
      password_changed_at timestamptz,
      failed_logins integer not null default 0,
      locked_until timestamptz,
      disabled_at timestamptz,
      totp_secret_enc text,
      totp_enabled boolean not null default false,
      totp_last_step bigint,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index app_user_unit_idx on app_user (unit_id);
    create index app_user_id_hmac_idx on app_user (id_number_hmac);

    create table user_role (
      user_id uuid not null references app_user (id) on delete cascade,
      role text not null check (role in ('city_admin', 'county_admin', 'school_admin', 'teacher', 'inspector', 'leader')),
      unit_id uuid not null references unit (id),
      primary key (user_id, role, unit_id)
    );
    create index user_role_unit_idx on user_role (unit_id);

    create table inspector_school (
      user_id uuid not null references app_user (id) on delete cascade,
      school_id uuid not null references unit (id),
      primary key (user_id, school_id)
    );

    create table session (
      id_hash text primary key,
      user_id uuid not null references app_user (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    );
    create index session_user_idx on session (user_id);

    create table api_token (
      id uuid primary key,
      user_id uuid not null references app_user (id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      prefix text not null,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    create index api_token_user_idx on api_token (user_id);

    create table audit_event (
      id bigint primary key,
      occurred_at timestamptz not null,
      actor_user_id uuid,
      actor_name text,
      actor_unit_id uuid,
      unit_id uuid,
      action text not null,
      object_type text,
      object_id text,
      before jsonb,
      after jsonb,
      ip text,
      request_id text,
      prev_hash text not null,
      hash text not null
    );
    create index audit_event_unit_idx on audit_event (unit_id, id desc);
    create index audit_event_time_idx on audit_event (occurred_at);
    create index audit_event_action_idx on audit_event (action, id desc);
    create index audit_event_object_idx on audit_event (object_type, object_id);
    create index audit_event_actor_idx on audit_event (actor_user_id, id desc);

    -- The trail is append-only for everyone, whatever grants a role holds.
    create function audit_event_append_only() returns trigger language plpgsql as $fn$
    begin
      raise exception 'audit_event is append-only' using errcode = '42501';
    end
    $fn$;
    create trigger audit_event_no_change before update or delete on audit_event
      for each row execute function audit_event_append_only();
    create trigger audit_event_no_truncate before truncate on audit_event
      for each statement execute function audit_event_append_only();

    create table app_setting (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
