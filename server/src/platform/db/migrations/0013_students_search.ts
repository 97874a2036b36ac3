import { sql, type Kysely } from 'kysely';

// Student search within scope at a million students (issue 3). The registry's search indexes (0002) lead with
// the school, so that a search limited to the schools in scope (school_id = any(…)) reads only their rows;
// the 学籍号 had only the platform-wide unique index, so a school admin's prefix search (G2203…) walked the
// whole city's matches to find the school's. This adds the school-leading one. Plain SQL for PostgreSQL 15
// and PGlite (no extension: every reading of a search is a prefix match, which btree serves).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index student_no_school_idx on student (school_id, student_no text_pattern_ops)
      where student_no is not null;
  `.execute(db);
}
