import type { Kysely } from 'kysely';

// 校外培训机构 (issue 7). Plain SQL for PostgreSQL 15 and PGlite.
export async function up(_db: Kysely<unknown>): Promise<void> {}
