import { sql, type Kysely } from 'kysely';

// The import engine: one row per import job, and the staging table of student rows (validated, typed and
// encrypted, not yet merged). Staging rows live from validation to commit or cancel; the merge reads them
// set-based. The table is UNLOGGED on PostgreSQL (nothing in it must survive a crash: an interrupted job is
// failed on restart and re-run from its stored file), a plain table where the engine has no such thing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table import_job (
      id uuid primary key,
      kind text not null,
      status text not null
        check (status in ('validating', 'validated', 'committing', 'committed', 'failed', 'cancelled')),
      -- The unit the rows must belong to: a school, or a bureau for the schools under it.
      unit_id uuid not null references unit (id),
      file_name text not null,
      file_size bigint not null,
      file_sha256 text not null,
      format text not null check (format in ('xlsx', 'csv')),
      encoding text,
      sheet text,
      mode text check (mode in ('all', 'valid-only')),
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      counts jsonb not null default '{}',
      header jsonb,
      -- The first errors (the report file has all of them).
      errors jsonb not null default '[]',
      error_report boolean not null default false,
      failure jsonb,
      progress jsonb
    );
    create index import_job_unit_idx on import_job (unit_id, created_at desc);
    create index import_job_file_idx on import_job (file_sha256, kind) where status = 'committed';

    -- One validated row of a student import. school_id … orphan mirror the student table; a null means the
    -- cell was blank: kept as it is on update, the default on insert.
    -- No foreign keys: a staged row is checked by the import itself, and a key check per row would cost more
    -- than loading it (the job's rows are deleted with it).
    create unlogged table import_student_row (
      job_id uuid not null,
      row_no integer not null,
      school_id uuid not null,
      county_code text not null,
      student_no text,
      id_number_enc text,
      id_number_hmac text,
      id_birth_date date,
      id_sex text,
      name text not null,
      name_initials text not null,
      sex text not null,
      birth_date date not null,
      ethnicity text,
      hukou_region_code text,
      address text,
      stage text not null,
      grade smallint not null,
      class_name text,
      enrolled_on date,
      poverty_household boolean,
      left_behind boolean,
      migrant boolean,
      disabled boolean,
      disability_category text,
      orphan boolean,
      -- [{name, relation, phone}] in the order of the columns; null: no guardian columns in the file.
      guardians jsonb,
      -- The id the student gets if the row inserts one (made while reading, so the check rewrites no row).
      new_id uuid not null,
      -- Settled by the check: the student the row matches, and what the merge does with it (null: insert).
      student_id uuid,
      action text check (action in ('update', 'unchanged', 'reject')),
      reject_code text,
      reject_message jsonb,
      primary key (job_id, row_no)
    );

    -- What an import changed in a student it updated: the values before (the audit entry of the commit names
    -- the job; this holds the per-student corrections without writing a million audit entries).
    create table import_change (
      job_id uuid not null references import_job (id),
      student_id uuid not null references student (id),
      before jsonb not null,
      after jsonb not null,
      primary key (job_id, student_id)
    );
    create index import_change_student_idx on import_change (student_id);

    -- Column names a unit taught the importer (“所在年级名称” is 年级): remembered for its later uploads and
    -- those of the units under it. header is normalised (full-width, spaces, * and hints removed).
    create table import_header_alias (
      unit_id uuid not null references unit (id),
      kind text not null,
      header text not null,
      field text not null,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      primary key (unit_id, kind, header)
    );
  `.execute(db);
}
