/**
 * `npm run bench`: runs every benchmark in bench/ and prints its figures. Benchmarks measure; they never
 * assert. Environment: BENCH_DURATION (seconds per measurement, default 10), BENCH_CONNECTIONS (default 10),
 * DATABASE_URL (use that PostgreSQL database, which must be empty; default: a fresh embedded PGlite).
 */
import { schoolsListBench } from './schools-list.bench.js';

const benches = [schoolsListBench];
for (const bench of benches) {
  await bench();
}
