/** Cross-scope probes of the dropout-control routes (see ./probe.ts). */
import type { ModuleProbes } from './probe.js';

const dropout: ModuleProbes = {
  setup: () => Promise.resolve({}),
  probes: {},
};
export default dropout;
