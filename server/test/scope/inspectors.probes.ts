/** Cross-scope probes of the inspectors routes (see ./probe.ts). */
import type { ModuleProbes } from './probe.js';

const inspectors: ModuleProbes = {
  setup: () => Promise.resolve({}),
  probes: {},
};
export default inspectors;
