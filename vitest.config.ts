import { defineConfig } from 'vitest/config';

// Database tests (*.db.test.ts) run once per engine: always on embedded PGlite, and on PostgreSQL when
// DATABASE_URL is set (CI sets it; with CI=true an unreachable PostgreSQL fails the run).
const engines = ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])];

export default defineConfig({
  test: {
    // Two cores: one file per core; every database file has its own database.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // `extends: true`: inline projects do not inherit the timeouts above unless they say so.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['server/src/**/*.test.ts', 'contracts/src/**/*.test.ts'],
          exclude: ['**/*.db.test.ts', '**/*.pglite.test.ts', '**/*.postgres.test.ts', '**/node_modules/**'],
        },
      },
      ...engines.map((engine) => ({
        extends: true as const,
        test: {
          name: `db-${engine}`,
          // *.db.test.ts on every engine; *.pglite.test.ts / *.postgres.test.ts on that engine alone.
          include: ['server/**/*.db.test.ts', `server/**/*.${engine}.test.ts`],
          exclude: ['**/node_modules/**'],
          env: { DUDAO_TEST_ENGINE: engine },
          globalSetup: [`server/test/global-setup-${engine}.ts`],
        },
      })),
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
