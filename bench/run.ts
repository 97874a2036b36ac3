/**
 * `npm run bench`: runs every benchmark in bench/ and prints its figures (`npm run bench -- students-export`:
 * only the named ones). Benchmarks measure; they never assert. Environment: BENCH_DURATION (seconds per
 * measurement, default 10), BENCH_CONNECTIONS (default 10), BENCH_EXPORT_ROWS (students exported, default
 * 100000), DATABASE_URL (use that PostgreSQL database, which must be empty; default: a fresh embedded PGlite).
 */
import { collectionBench } from './collection.bench.js';
import { dropoutBench } from './dropout.bench.js';
import { plansBench } from './plans.bench.js';
import { schoolsListBench } from './schools-list.bench.js';
import { studentsExportBench } from './students-export.bench.js';
import { studentsImportBench } from './students-import.bench.js';
import { studentsSearchBench } from './students-search.bench.js';

const benches: Record<string, () => Promise<void>> = {
  'schools-list': schoolsListBench,
  'students-export': studentsExportBench,
  'students-import': studentsImportBench,
  'students-search': studentsSearchBench,
  dropout: dropoutBench,
  collection: collectionBench,
  plans: plansBench,
};
const wanted = process.argv.slice(2);
for (const [name, bench] of Object.entries(benches)) {
  if (wanted.length === 0 || wanted.includes(name)) await bench();
}
