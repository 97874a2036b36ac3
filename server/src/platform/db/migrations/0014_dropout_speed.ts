import { sql, type Kysely } from 'kysely';

// 控辍保学 at city scale (issue 4's speed targets). Plain SQL for PostgreSQL 15 and PGlite.
//  - dropout_sign: the signs of made-up data (数据真实) as the daily job found them, so the dashboard reads
//    them instead of scanning four weeks of attendance on every call;
//  - population_stage: an unlogged staging table for a list being cross-checked;
//  - population_person.id_number_masked: a cross-check list keeps the HMAC (to match) and the masked number
//    (to show); it no longer encrypts every listed person's number (the number stays with the source
//    agency and, for enrolled children, in the registry);
//  - attendance marks: the (student, day) key becomes (day, student) so a day's ingest appends to the end of
//    the month's indexes instead of touching a random page per mark (the class index likewise becomes
//    (day, class_id)); a student's absences are found through (student_id, day), kept for absences only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table dropout_sign_run (
      computed_on date primary key,
      computed_at timestamptz not null default now()
    );
    create table dropout_sign (
      computed_on date not null references dropout_sign_run (computed_on) on delete cascade,
      seq integer not null,
      kind text not null check (kind in ('perfectClass', 'identicalSheets', 'rosterConflict')),
      school_id uuid not null references unit (id),
      class_id uuid,
      detail text not null,
      primary key (computed_on, seq)
    );
    create index dropout_sign_school_idx on dropout_sign (school_id, computed_on);

    alter table population_person add column id_number_masked text;
    -- A list being cross-checked: bulk-loaded here (COPY), matched and counted set-based, then moved into
    -- population_person (or, a dry run, only counted) and deleted. Rows live for one request.
    create unlogged table population_stage (
      load_id uuid not null,
      row_no integer not null,
      name text not null,
      id_number_hmac text,
      id_number_masked text,
      birth_date date,
      county_code text,
      town_code text,
      town_name text,
      poverty boolean not null,
      exemption text,
      note text
    );

    alter table attendance_mark drop constraint attendance_mark_pkey;
    alter table attendance_mark add primary key (day, student_id);
    -- The detection's noAttendance rule reads the enrolled students without a class (few) per school.
    create index student_unplaced_idx on student (school_id) where class_id is null and status = 'enrolled';

    drop index attendance_mark_class_day_idx;
    create index attendance_mark_day_class_idx on attendance_mark (day, class_id);
    create index attendance_mark_student_absent_idx on attendance_mark (student_id, day)
      where kind in ('sick', 'personal', 'unexcused');
  `.execute(db);
}
