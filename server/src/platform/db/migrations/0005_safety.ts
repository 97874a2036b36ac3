import { sql, type Kysely } from 'kysely';

/**
 * School safety (平安校园): versioned checklist templates of the bureaus, campaigns (专项整治) with their
 * inspection groups, inspections (campaign visits, other visits, schools' monthly self-inspections) with an
 * answer per checklist item, and each school's safety grids. Findings of failed items live in the ledger
 * (finding.source_type = 'safety_inspection', source_id = the inspection), never here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table safety_template (
      id uuid primary key,
      owner_unit_id uuid not null references unit (id),
      name text not null,
      description text,
      archived_at timestamptz,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index safety_template_owner_idx on safety_template (owner_unit_id);

    -- A published version never changes: editing a published template drafts the next version.
    create table safety_template_version (
      id uuid primary key,
      template_id uuid not null references safety_template (id),
      version integer not null,
      status text not null check (status in ('draft', 'published')),
      note text,
      published_at timestamptz,
      published_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      unique (template_id, version)
    );

    create table safety_template_item (
      id uuid primary key,
      version_id uuid not null references safety_template_version (id) on delete cascade,
      seq integer not null,
      area text not null,
      text text not null,
      basis text,
      default_severity text not null check (default_severity in ('general', 'major', 'serious')),
      unique (version_id, seq)
    );

    create table safety_campaign (
      id uuid primary key,
      owner_unit_id uuid not null references unit (id),
      scope_unit_id uuid not null references unit (id),
      name text not null,
      description text,
      starts_on date not null,
      ends_on date not null,
      template_version_id uuid not null references safety_template_version (id),
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (ends_on >= starts_on)
    );
    create index safety_campaign_owner_idx on safety_campaign (owner_unit_id);
    create index safety_campaign_scope_idx on safety_campaign (scope_unit_id);

    create table safety_campaign_group (
      id uuid primary key,
      campaign_id uuid not null references safety_campaign (id),
      name text not null,
      leader text not null,
      members text[] not null default '{}',
      people integer not null check (people >= 1),
      created_at timestamptz not null default now(),
      unique (campaign_id, name)
    );

    create table safety_grid (
      id uuid primary key,
      unit_id uuid not null references unit (id),
      name text not null,
      location text,
      person_name text,
      person_phone text,
      user_id uuid references app_user (id),
      seq integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (unit_id, name)
    );

    create table safety_inspection (
      id uuid primary key,
      kind text not null check (kind in ('campaign', 'visit', 'self_check')),
      unit_id uuid not null references unit (id),
      campaign_id uuid references safety_campaign (id),
      group_id uuid references safety_campaign_group (id),
      template_version_id uuid not null references safety_template_version (id),
      inspected_on date not null,
      month text check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      grid_id uuid references safety_grid (id),
      people_names text[] not null default '{}',
      people_count integer not null check (people_count >= 1),
      summary text,
      status text not null check (status in ('draft', 'submitted')),
      raised_by_unit_id uuid not null references unit (id),
      created_by uuid references app_user (id),
      created_by_name text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      submitted_at timestamptz,
      check ((kind = 'campaign') = (campaign_id is not null)),
      check ((kind = 'self_check') = (month is not null))
    );
    create index safety_inspection_unit_idx on safety_inspection (unit_id, inspected_on);
    create index safety_inspection_campaign_idx on safety_inspection (campaign_id);
    -- One monthly self-inspection per school and month (a draft holds the place).
    create unique index safety_inspection_self_check_uq on safety_inspection (unit_id, month)
      where kind = 'self_check';

    create table safety_inspection_item (
      inspection_id uuid not null references safety_inspection (id) on delete cascade,
      item_id uuid not null references safety_template_item (id),
      result text not null check (result in ('pass', 'fail', 'na')),
      note text,
      file_ids uuid[] not null default '{}',
      severity text check (severity in ('general', 'major', 'serious')),
      deadline date,
      grid_id uuid references safety_grid (id),
      location text,
      rectified_on_site boolean not null default false,
      finding_id uuid references finding (id),
      primary key (inspection_id, item_id)
    );

    alter table finding add constraint finding_grid_fk foreign key (grid_id) references safety_grid (id);
  `.execute(db);
}
