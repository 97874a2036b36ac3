import { sql } from 'kysely';

/** Select this in a page query to get the total of all matching rows in the same round trip. */
export const fullCount = sql<number>`count(*) over ()::int`.as('full_count');

/**
 * Splits the window count off a page's rows. A page past the end has no rows to carry the count, so only
 * then is the separate count query run.
 */
export async function withTotal<R extends { full_count: number }>(
  rows: R[],
  page: number,
  count: () => Promise<number>,
): Promise<{ rows: Omit<R, 'full_count'>[]; total: number }> {
  const total = rows.length > 0 ? rows[0]!.full_count : page > 1 ? await count() : 0;
  return { rows: rows.map(({ full_count: _n, ...r }) => r), total };
}
