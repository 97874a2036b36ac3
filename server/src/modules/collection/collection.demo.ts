/** The collection module's demo data (filled in by its implementation); a no-op once done. */
import type { AppContext } from '../../platform/context.js';

export async function seedCollectionDemo(
  _ctx: AppContext,
  _opts: { seed: number; scale: 'small' | 'city' | 'province' },
): Promise<void> {}
