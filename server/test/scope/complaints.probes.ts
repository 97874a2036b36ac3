/** Cross-scope probes of the complaints routes (see ./probe.ts; filled in with the routes). */
import type { ModuleProbes } from './probe.js';

const complaints: ModuleProbes = {
  setup: () => Promise.resolve({}),
  probes: {},
};
export default complaints;
