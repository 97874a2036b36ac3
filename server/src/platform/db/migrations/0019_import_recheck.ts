import { sql, type Kysely } from 'kysely';

// An import's commit checks its staged rows against the registry again only when the registry changed after
// the validation's check (at a million rows the re-check took as long as the check). Every statement that
// writes a table a check reads notes its transaction here (statement-level triggers: one row per table and
// transaction at most); a commit asks whether a transaction its validation could not see has written since.
// Rows older than two days are pruned, and a validation older than one day always checks again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry_write (
      tbl text not null,
      xid xid8 not null,
      at timestamptz not null default now(),
      primary key (tbl, xid)
    );
    create index registry_write_at_idx on registry_write (at);

    create function note_registry_write() returns trigger language plpgsql as $$
    begin
      insert into registry_write (tbl, xid) values (tg_table_name, pg_current_xact_id()) on conflict do nothing;
      return null;
    end $$;

    create trigger student_registry_write after insert or update or delete or truncate on student
      for each statement execute function note_registry_write();
    create trigger student_guardian_registry_write after insert or update or delete or truncate on student_guardian
      for each statement execute function note_registry_write();
    create trigger school_class_registry_write after insert or update or delete or truncate on school_class
      for each statement execute function note_registry_write();

    -- The snapshot the validation's check ran after, and when.
    alter table import_job add column checked_snapshot text, add column checked_at timestamptz;
  `.execute(db);
}
