/** Cross-scope probes of the findings routes (see ./probe.ts). */
import type { ModuleProbes } from './probe.js';

const findings: ModuleProbes = {
  setup: () => Promise.resolve({}),
  probes: {},
};
export default findings;
