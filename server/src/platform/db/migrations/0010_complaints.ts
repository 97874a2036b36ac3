import type { Kysely } from 'kysely';

// 群众诉求 (issue 7). Plain SQL for PostgreSQL 15 and PGlite.
export async function up(_db: Kysely<unknown>): Promise<void> {}
