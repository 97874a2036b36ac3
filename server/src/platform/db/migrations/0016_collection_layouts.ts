import { sql, type Kysely } from 'kysely';

// 数据填报 editor: a form can be retired (kept, readable, takes no new figures) instead of deleted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table data_form add column active boolean not null default true`.execute(db);
}
