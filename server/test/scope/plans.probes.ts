/** Cross-scope probes of the plans routes (see ./probe.ts; filled in with the routes). */
import type { ModuleProbes } from './probe.js';

const plans: ModuleProbes = {
  setup: () => Promise.resolve({}),
  probes: {},
};
export default plans;
