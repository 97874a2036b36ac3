/** Cross-scope probes of the collection routes (see ./probe.ts; filled in with the routes). */
import type { ModuleProbes } from './probe.js';

const collection: ModuleProbes = {
  setup: () => Promise.resolve({}),
  probes: {},
};
export default collection;
