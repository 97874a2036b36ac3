import { sql, type Kysely } from 'kysely';

// 控辍保学: attendance is bulk-imported through the shared import engine (kind `attendance`). One staged row per
// row of the file: the day, how the student was named (学籍号 and/or the ID number's HMAC, the name to check),
// the mark; the check settles the student, their class and school and what the commit does with the row.
// Unlogged and without foreign keys, like import_student_row: a staged row is checked by the import itself, and
// a crash leaves the job to be validated again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unlogged table import_attendance_row (
      job_id uuid not null,
      row_no integer not null,
      day date not null,
      student_no text,
      id_number_hmac text,
      -- The name written in the file (null: not given), compared with the registry's.
      name text,
      kind text not null check (kind in ('present', 'late', 'sick', 'personal', 'unexcused')),
      reason text,
      -- Settled by the check: the student, their class, school and county; what the merge does with the row
      -- (null: its class has no sheet that day yet — inserted; update: the class-day's sheet changes;
      -- unchanged; reject).
      student_id uuid,
      class_id uuid,
      school_id uuid,
      county_code text,
      action text check (action in ('update', 'unchanged', 'reject')),
      reject_code text,
      reject_message jsonb,
      primary key (job_id, row_no)
    );
  `.execute(db);
}
