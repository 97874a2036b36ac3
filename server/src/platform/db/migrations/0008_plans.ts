import type { Kysely } from 'kysely';

// 部署·督办·考评·通报 (issue 6). Plain SQL for PostgreSQL 15 and PGlite.
export async function up(_db: Kysely<unknown>): Promise<void> {}
