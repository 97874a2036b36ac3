import { sql, type Kysely } from 'kysely';

// The student registry (学籍): classes, students with guardians, the status history and transfers between
// schools. Plain SQL that PostgreSQL 15 understands; PGlite (PostgreSQL 18) runs the same text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table school_class (
      id uuid primary key,
      school_id uuid not null references unit (id),
      -- The year the school year starts: '2026' is the 2026–2027 school year.
      school_year text not null check (school_year ~ '^[0-9]{4}$'),
      stage text not null check (stage in ('kindergarten', 'primary', 'junior', 'senior', 'vocational', 'special')),
      grade smallint not null check (grade between 1 and 12),
      name text not null,
      head_teacher_user_id uuid references app_user (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    -- Stage is part of the key: a primary school with an attached kindergarten has 小班 (grade 1) and 一年级.
    create unique index school_class_key on school_class (school_id, school_year, stage, grade, name);

    create table student (
      id uuid primary key,
      school_id uuid not null references unit (id),
      -- The county the school lies in: the future distribution key (Citus), moved with the student.
      county_code text not null,
      class_id uuid references school_class (id),
      -- 全国学籍号.
      student_no text,
      -- Resident ID number: AES-256-GCM ciphertext, the HMAC for exact look-ups and joins, and the birth date
      -- and sex the number encodes, kept beside it so the consistency checks run in SQL without decrypting.
      id_number_enc text,
      id_number_hmac text,
      id_birth_date date,
      id_sex text check (id_sex in ('M', 'F')),
      name text not null,
      -- Pinyin initials of the name ('zsf' for 张三丰), for search.
      name_initials text not null default '',
      sex text not null check (sex in ('M', 'F')),
      birth_date date not null,
      ethnicity text,
      hukou_region_code text,
      address text,
      stage text not null check (stage in ('kindergarten', 'primary', 'junior', 'senior', 'vocational', 'special')),
      grade smallint not null check (grade between 1 and 12),
      enrolled_on date,
      status text not null default 'enrolled'
        check (status in ('enrolled', 'transferred_out', 'suspended', 'graduated', 'deceased', 'dropped_out')),
      poverty_household boolean not null default false,
      left_behind boolean not null default false,
      migrant boolean not null default false,
      disabled boolean not null default false,
      disability_category text,
      orphan boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint student_id_number_pair check ((id_number_enc is null) = (id_number_hmac is null)),
      constraint student_disability check (disability_category is null or disabled)
    );
    -- Unique, and text_pattern_ops so a prefix search on the number uses it too.
    create unique index student_no_key on student (student_no text_pattern_ops) where student_no is not null;
    create index student_school_idx on student (school_id, status);
    create index student_county_idx on student (county_code);
    create index student_class_idx on student (class_id) where class_id is not null;
    -- Search indexes lead with the school: a query is limited to the schools in scope first
    -- (school_id = any(…)), so a school's search reads that school's rows, not the city's.
    create index student_name_idx on student (school_id, lower(name) text_pattern_ops);
    -- "Part of the name": names are two to four characters, so a part is the beginning of the name from its
    -- second or third character on (小明 in 张小明, 娜娜 in 欧阳娜娜). Two prefix indexes serve it, where a
    -- LIKE '%…%' would read every row.
    create index student_name_from2_idx on student (school_id, substr(name, 2) text_pattern_ops);
    create index student_name_from3_idx on student (school_id, substr(name, 3) text_pattern_ops);
    create index student_initials_idx on student (school_id, name_initials text_pattern_ops);
    -- Look-ups by ID number, and the duplicate check (same number, both 在读) from the index alone.
    create index student_id_hmac_idx on student (id_number_hmac, status) where id_number_hmac is not null;

    create table student_guardian (
      student_id uuid not null references student (id),
      ord smallint not null check (ord between 1 and 9),
      name text not null,
      relation text not null,
      phone text,
      primary key (student_id, ord)
    );

    -- The history: every change of status, at the school where it happened.
    create table student_status_event (
      id uuid primary key,
      student_id uuid not null references student (id),
      kind text not null,
      status_from text,
      status_to text not null,
      effective_on date not null,
      reason text,
      school_id uuid not null references unit (id),
      transfer_id uuid,
      actor_user_id uuid references app_user (id),
      created_at timestamptz not null default now()
    );
    create index student_status_event_student_idx on student_status_event (student_id, effective_on);
    create index student_status_event_school_idx on student_status_event (school_id);

    create table student_transfer (
      id uuid primary key,
      student_id uuid not null references student (id),
      from_school_id uuid not null references unit (id),
      to_school_id uuid not null references unit (id),
      reason text not null,
      requested_by uuid references app_user (id),
      requested_at timestamptz not null default now(),
      status text not null default 'pending' check (status in ('pending', 'confirmed', 'rejected', 'cancelled')),
      decided_by uuid references app_user (id),
      decided_at timestamptz,
      decision_reason text,
      constraint student_transfer_two_schools check (from_school_id <> to_school_id)
    );
    -- One open transfer per student at a time.
    create unique index student_transfer_pending_key on student_transfer (student_id) where status = 'pending';
    create index student_transfer_from_idx on student_transfer (from_school_id, status);
    create index student_transfer_to_idx on student_transfer (to_school_id, status);
    create index student_transfer_student_idx on student_transfer (student_id);
    alter table student_status_event
      add constraint student_status_event_transfer_fk foreign key (transfer_id) references student_transfer (id);
  `.execute(db);
}
