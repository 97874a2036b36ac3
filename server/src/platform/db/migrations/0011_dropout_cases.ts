import type { Kysely } from 'kysely';

// 控辍保学 second slice: case follow-up, population lists, cross-checks (issue 4). Plain SQL for PostgreSQL 15 and PGlite.
export async function up(_db: Kysely<unknown>): Promise<void> {}
