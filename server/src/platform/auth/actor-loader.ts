import type { Role, UnitKind } from '@dudao/contracts';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';

interface GrantRow {
  role: string;
  unit_id: string;
  name: string;
  kind: UnitKind;
  path: string;
}

export interface LoadedUser {
  actor: Actor;
  disabled: boolean;
  mustChangePassword: boolean;
  totpEnabled: boolean;
}

/** Builds the actor of a user: their grants with unit paths and, for inspectors, their assigned schools. */
export async function loadActor(
  db: Kysely<DB>,
  userId: string,
  via: Actor['via'],
): Promise<LoadedUser | null> {
  // One round trip: the user, their grants with unit paths, and their assigned schools.
  const user = await db
    .selectFrom('app_user as u')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.unit_id',
      'u.disabled_at',
      'u.must_change_password',
      'u.totp_enabled',
    ])
    .select(
      sql<
        GrantRow[]
      >`(select coalesce(json_agg(json_build_object('role', r.role, 'unit_id', r.unit_id, 'name', un.name, 'kind', un.kind, 'path', un.path) order by un.depth, un.path), '[]'::json)
        from user_role r join unit un on un.id = r.unit_id where r.user_id = u.id)`.as('grants'),
    )
    .select(
      sql<string[]>`(select coalesce(json_agg(un.path order by un.path), '[]'::json)
        from inspector_school i join unit un on un.id = i.school_id where i.user_id = u.id)`.as('assigned'),
    )
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!user) return null;
  return {
    disabled: user.disabled_at !== null,
    mustChangePassword: user.must_change_password,
    totpEnabled: user.totp_enabled,
    actor: {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      unitId: user.unit_id,
      grants: user.grants.map((g) => ({
        role: g.role as Role,
        unitId: g.unit_id,
        unitName: g.name,
        unitKind: g.kind,
        path: g.path,
      })),
      assignedPaths: user.assigned,
      via,
    },
  };
}

/** Whether the user's roles oblige them to use a second factor. */
export function totpRequired(config: Pick<Config, 'totpRequiredRoles'>, actor: Actor): boolean {
  return actor.grants.some((g) => config.totpRequiredRoles.includes(g.role));
}

/** Why a signed-in user may only reach the password and TOTP pages for now, if they may. */
export function restrictionOf(
  config: Pick<Config, 'totpRequiredRoles'>,
  loaded: LoadedUser,
): Actor['restricted'] {
  if (loaded.mustChangePassword) return 'password';
  if (!loaded.totpEnabled && totpRequired(config, loaded.actor)) return 'totp';
  return undefined;
}
