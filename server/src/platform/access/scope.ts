import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';
import { can, scopePaths, type Actor } from './actor.js';
import type { Permission } from './permissions.js';

/**
 * The one scope filter. Every query of scoped data goes through one of these predicates; there is no
 * other way a module decides which rows an actor sees.
 */

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** Predicate on a unit path column: the row's unit lies inside the actor's scope for `permission`. */
export function pathInScope(
  actor: Actor,
  permission: Permission,
  pathColumn: Expression<string>,
): Expression<SqlBool> {
  const paths = scopePaths(actor, permission);
  if (paths.length === 0) return sql<SqlBool>`false`;
  if (paths.length === 1 && paths[0] === '/') return sql<SqlBool>`true`;
  const ors = paths.map((p) => sql<SqlBool>`${pathColumn} like ${escapeLike(p) + '%'}`);
  return sql<SqlBool>`(${sql.join(ors, sql` or `)})`;
}

/** Predicate on a unit id column: the unit it names lies inside the actor's scope for `permission`. */
export function unitIdInScope(
  actor: Actor,
  permission: Permission,
  unitIdColumn: Expression<string | null>,
): Expression<SqlBool> {
  const paths = scopePaths(actor, permission);
  if (paths.length === 0) return sql<SqlBool>`false`;
  if (paths.length === 1 && paths[0] === '/') return sql<SqlBool>`${unitIdColumn} is not null`;
  return sql<SqlBool>`${unitIdColumn} in (select su.id from unit su where ${pathInScope(actor, permission, sql.ref('su.path'))})`;
}

/**
 * Whether the actor holds the permission over the whole tree (at the root unit): the check for city-wide jobs
 * run on demand (escalation, detection), which change data in every county and so are refused below the city.
 */
export async function canCityWide(db: Kysely<DB>, actor: Actor, permission: Permission): Promise<boolean> {
  const root = await rootUnit(db);
  return root !== undefined && can(actor, permission, root.path);
}

/** The root of the tree (the city bureau), or undefined before `dudao init`. The one place that looks it up. */
export async function rootUnit(db: Kysely<DB>) {
  return db
    .selectFrom('unit')
    .select(['id', 'name', 'kind', 'path', 'region_code'])
    .where('parent_id', 'is', null)
    .orderBy('created_at')
    .executeTakeFirst();
}
