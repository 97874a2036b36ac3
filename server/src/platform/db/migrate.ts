import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_students.js';
import * as m0003 from './migrations/0003_imports.js';
import * as m0004 from './migrations/0004_findings.js';
import * as m0005 from './migrations/0005_safety.js';
import * as m0006 from './migrations/0006_inspectors.js';
import * as m0007 from './migrations/0007_dropout.js';
import * as m0008 from './migrations/0008_plans.js';
import * as m0009 from './migrations/0009_training.js';
import * as m0010 from './migrations/0010_complaints.js';
import * as m0011 from './migrations/0011_dropout_cases.js';
import * as m0012 from './migrations/0012_collection.js';
import * as m0013 from './migrations/0013_students_search.js';
import * as m0014 from './migrations/0014_dropout_speed.js';
import * as m0015 from './migrations/0015_plans_agreements.js';
import * as m0016 from './migrations/0016_collection_layouts.js';
import * as m0018 from './migrations/0018_students_search_speed.js';
import * as m0019 from './migrations/0019_import_recheck.js';
import * as m0020 from './migrations/0020_attendance_import.js';
import * as m0021 from './migrations/0021_population_person_speed.js';

/** Every migration, in order. Listed statically so the same list works under tsx, Vitest and a bundle. */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_students': m0002,
  '0003_imports': m0003,
  '0004_findings': m0004,
  '0005_safety': m0005,
  '0006_inspectors': m0006,
  '0007_dropout': m0007,
  '0008_plans': m0008,
  '0009_training': m0009,
  '0010_complaints': m0010,
  '0011_dropout_cases': m0011,
  '0012_collection': m0012,
  '0013_students_search': m0013,
  '0014_dropout_speed': m0014,
  '0015_plans_agreements': m0015,
  '0016_collection_layouts': m0016,
  '0018_students_search_speed': m0018,
  '0019_import_recheck': m0019,
  '0020_attendance_import': m0020,
  '0021_population_person_speed': m0021,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Brings the schema up to date; when an app role is configured, gives it rights (audit: append only). */
export async function migrateToLatest(
  db: Kysely<unknown>,
  opts: { appRole?: string | null } = {},
): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  if (opts.appRole) await grantAppRole(db, opts.appRole);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The production app role may read and write business tables but only append to the audit trail. */
async function grantAppRole(db: Kysely<unknown>, role: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`invalid DUDAO_APP_ROLE "${role}"`);
  const r = sql.id(role);
  await sql`grant select, insert, update, delete on all tables in schema public to ${r}`.execute(db);
  await sql`revoke update, delete, truncate on audit_event from ${r}`.execute(db);
  await sql`grant select, insert on audit_event to ${r}`.execute(db);
}

/** Names of the migrations known to the code. */
export function knownMigrations(): string[] {
  return Object.keys(migrations);
}
