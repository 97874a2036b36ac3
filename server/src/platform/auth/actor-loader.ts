import type { Role } from '@dudao/contracts';
import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';

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
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'username', 'display_name', 'unit_id', 'disabled_at', 'must_change_password', 'totp_enabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return null;
  const [grants, assigned] = await Promise.all([
    db
      .selectFrom('user_role as r')
      .innerJoin('unit as u', 'u.id', 'r.unit_id')
      .select(['r.role', 'r.unit_id', 'u.name', 'u.kind', 'u.path'])
      .where('r.user_id', '=', userId)
      .orderBy('u.depth')
      .execute(),
    db
      .selectFrom('inspector_school as i')
      .innerJoin('unit as u', 'u.id', 'i.school_id')
      .select('u.path')
      .where('i.user_id', '=', userId)
      .execute(),
  ]);
  return {
    disabled: user.disabled_at !== null,
    mustChangePassword: user.must_change_password,
    totpEnabled: user.totp_enabled,
    actor: {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      unitId: user.unit_id,
      grants: grants.map((g) => ({
        role: g.role as Role,
        unitId: g.unit_id,
        unitName: g.name,
        unitKind: g.kind,
        path: g.path,
      })),
      assignedPaths: assigned.map((a) => a.path),
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
