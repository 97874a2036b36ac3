import { ensurePgliteTemplate, ensurePostgresTemplate } from './templates.js';

/** Prepares the migrated PGlite template (project db-pglite). */
export async function setupPglite(): Promise<void> {
  await ensurePgliteTemplate();
}

/** Prepares the migrated PostgreSQL template (project db-postgres); an unusable server fails the run. */
export async function setupPostgres(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required for the PostgreSQL test project');
  try {
    await ensurePostgresTemplate(url);
  } catch (err) {
    throw new Error(`PostgreSQL at ${url} is not usable: ${(err as Error).message}`);
  }
}
