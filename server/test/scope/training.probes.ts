/** Cross-scope probes of the training routes (see ./probe.ts; filled in with the routes). */
import type { ModuleProbes } from './probe.js';

const training: ModuleProbes = {
  setup: () => Promise.resolve({}),
  probes: {},
};
export default training;
