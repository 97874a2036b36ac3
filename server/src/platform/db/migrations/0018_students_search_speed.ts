import { sql, type Kysely } from 'kysely';

// Student search and the roster at a million students (issue 3: p95 ≤ 50 ms). Indexes only (the import
// rebuilds whatever pg_indexes lists); plain SQL for PostgreSQL 15 and PGlite.
//  - The search indexes (0002, 0013) get the grade as a last key column. A search with a grade filter (张 in
//    grade 3 over the city) then rejects the other grades inside the index instead of reading a heap row for
//    every match of the prefix (≈ 6 rows read per row kept); without a grade the index serves as before.
//  - student_roster_idx (school, grade, class, stage, status): the roster without a search walks a school
//    grade by grade and class by class (a few dozen rows per step instead of sorting the whole school), and
//    its capped count with a grade filter (a county's grade 3) is read from the index alone. Key columns only,
//    so that btree deduplication keeps it small (≈ 9 MB at a million students; built in ≈ 1.3 s).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index student_name_idx;
    create index student_name_idx on student (school_id, lower(name) text_pattern_ops, grade);
    drop index student_name_from2_idx;
    create index student_name_from2_idx on student (school_id, substr(name, 2) text_pattern_ops, grade);
    drop index student_name_from3_idx;
    create index student_name_from3_idx on student (school_id, substr(name, 3) text_pattern_ops, grade);
    drop index student_initials_idx;
    create index student_initials_idx on student (school_id, name_initials text_pattern_ops, grade);
    drop index student_no_school_idx;
    create index student_no_school_idx on student (school_id, student_no text_pattern_ops, grade)
      where student_no is not null;
    create index student_roster_idx on student (school_id, grade, class_id, stage, status);
  `.execute(db);
}
