import type { Kysely } from 'kysely';

// Reserved for students_search; filled by the work that needs it (an empty migration is a no-op).
export async function up(_db: Kysely<unknown>): Promise<void> {}
