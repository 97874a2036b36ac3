import { sql, type Kysely } from 'kysely';

// 控辍保学, first slice: the school calendar (terms per region, closures), daily attendance (one sheet per
// class and school day, marks for the exceptions only, partitioned by month), gate events, detection
// settings per region and the dropout cases the daily scan raises. The head teacher of a class is the
// existing school_class.head_teacher_user_id (migration 0002). Plain SQL for PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Term dates a bureau (city or county) sets for its region; schools take the nearest bureau's, else the
    -- default (1 Sep – 15 Jan, 1 Mar – 10 Jul).
    create table school_term (
      unit_id uuid not null references unit (id),
      school_year text not null check (school_year ~ '^[0-9]{4}$'),
      term_no smallint not null check (term_no in (1, 2)),
      start_on date not null,
      end_on date not null,
      updated_by uuid references app_user (id),
      updated_at timestamptz not null default now(),
      primary key (unit_id, school_year, term_no),
      constraint school_term_order check (end_on >= start_on)
    );

    -- Days without school at a school, or at every school under a bureau (停课: weather, epidemics …).
    create table school_closure (
      id uuid primary key,
      unit_id uuid not null references unit (id),
      start_on date not null,
      end_on date not null,
      reason text not null,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      constraint school_closure_order check (end_on >= start_on)
    );
    create index school_closure_unit_idx on school_closure (unit_id, end_on);

    -- One sheet per class and day: who submitted it, when, and the day's counts.
    create table attendance_sheet (
      class_id uuid not null references school_class (id),
      day date not null,
      school_id uuid not null references unit (id),
      submitted_by uuid references app_user (id),
      submitted_at timestamptz not null default now(),
      enrolled integer not null,
      present integer not null,
      late integer not null,
      sick integer not null,
      personal integer not null,
      unexcused integer not null,
      primary key (class_id, day)
    );
    create index attendance_sheet_school_day_idx on attendance_sheet (school_id, day);

    -- The exceptions of a sheet (everyone else was present), partitioned by month; partitions are created
    -- on demand (attendance.repository.ts ensureMarkPartition). No foreign keys: a day's ingest of a city
    -- is a million rows, and the sheet that owns them is checked before they are written.
    create table attendance_mark (
      day date not null,
      student_id uuid not null,
      class_id uuid not null,
      school_id uuid not null,
      county_code text not null,
      kind text not null check (kind in ('late', 'sick', 'personal', 'unexcused')),
      reason text,
      primary key (student_id, day)
    ) partition by range (day);
    create index attendance_mark_class_day_idx on attendance_mark (class_id, day);
    create index attendance_mark_unexcused_idx on attendance_mark (day, school_id) where kind = 'unexcused';

    -- Events from gate systems (校园门禁), as posted.
    create table gate_event (
      id uuid primary key,
      student_id uuid not null references student (id),
      school_id uuid not null references unit (id),
      occurred_at timestamptz not null,
      day date not null,
      direction text not null check (direction in ('in', 'out')),
      device text,
      received_by uuid references app_user (id),
      received_at timestamptz not null default now()
    );
    create index gate_event_school_day_idx on gate_event (school_id, day);
    create index gate_event_student_day_idx on gate_event (student_id, day);

    -- Detection thresholds and risk weights a bureau sets for its region (partial: the rest is inherited).
    create table dropout_setting (
      unit_id uuid primary key references unit (id),
      settings jsonb not null,
      updated_by uuid references app_user (id),
      updated_at timestamptz not null default now()
    );

    -- Dropout cases. This slice raises them 'suspected' and closes them when the student is back; the case
    -- workflow (四步法 steps, outcomes, 动态销号) extends the statuses later.
    create table dropout_case (
      id uuid primary key,
      student_id uuid not null references student (id),
      school_id uuid not null references unit (id),
      county_code text not null,
      class_id uuid references school_class (id),
      status text not null default 'suspected',
      reason text not null check (reason in ('consecutiveAbsence', 'absenceTotal', 'transferLimbo', 'noAttendance')),
      evidence jsonb not null default '{}',
      detected_on date not null,
      closed_on date,
      close_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint dropout_case_closed check ((status = 'closed') = (closed_on is not null))
    );
    -- At most one open case per student.
    create unique index dropout_case_open_key on dropout_case (student_id) where closed_on is null;
    create index dropout_case_school_idx on dropout_case (school_id, status);
    create index dropout_case_student_idx on dropout_case (student_id, closed_on);
  `.execute(db);
}
