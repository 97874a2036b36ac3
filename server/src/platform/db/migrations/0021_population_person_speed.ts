import { sql, type Kysely } from 'kysely';

// A 四查三比对 stores every listed person (two million for a city's list) in one statement, and its cost was
// the tables' upkeep, not the matching:
//  - the foreign key to population_list checked each row against the list (seven seconds of two million
//    look-ups of one row). Persons are written only by the cross-check, in the transaction that creates
//    their list, and lists are never deleted; the key is dropped.
//  - the drill-down index (list, category, county, town) took the text of every town into a random place
//    of the index. The drill-down filters by list and category and pages in row order (the county and town
//    filters are read from the rows of that category): (list, category, row) — rows are stored in row
//    order, so each category's entries are appended at the end of its range.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table population_person drop constraint if exists population_person_list_id_fkey;
    drop index population_person_cat_idx;
    create index population_person_cat_idx on population_person (list_id, category, row_no);
  `.execute(db);
}
