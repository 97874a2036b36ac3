/** Cross-scope probes of the safety routes (see ./probe.ts). */
import type { ModuleProbes } from './probe.js';

const safety: ModuleProbes = {
  setup: () => Promise.resolve({}),
  probes: {},
};
export default safety;
