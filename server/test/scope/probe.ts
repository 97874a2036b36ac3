/**
 * The shape of a cross-scope probe, shared by the generic scope test and the modules' probe files
 * (server/test/scope/<module>.probes.ts). A module lists a probe for each of its scoped routes and makes
 * its own targets; the generic test runs them all the same way.
 */
import type { AppContext } from '../../src/platform/context.js';
import type { World } from '../fixtures.js';

/** Ids of the objects the probes reach for, by name. */
export type TargetIds = Record<string, string>;

export interface Probe {
  /** The request that reaches for county A's / school A1's data. */
  request: (t: TargetIds) => { url: string; body?: unknown; headers?: Record<string, string> };
  /** What an outsider gets: 404 for an object, or a list that must not mention any of A's ids. */
  outsider: 404 | 403 | 'list-without-targets';
}

export interface ModuleProbes {
  /**
   * Makes the module's objects at one school of county A (A1, then A2: the inspector, assigned A1 only, is
   * probed with A2's). Runs as the system after the world is built; keys must not clash with other modules'.
   */
  setup(
    ctx: AppContext,
    world: World,
    school: { id: string; code: string; tag: '1' | '2' },
  ): Promise<TargetIds>;
  probes: Record<string, Probe>;
  /** Lists fetched without filters by outsiders: they must not mention any target. */
  openLists?: string[];
}
