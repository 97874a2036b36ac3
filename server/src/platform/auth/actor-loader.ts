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

/** The columns that make an actor, selected from `app_user as u` in one round trip. */
function selectActor(db: Kysely<DB>) {
  return db
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
    );
}

type ActorRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectActor>['executeTakeFirst']>>>;

function toLoaded(user: ActorRow, via: Actor['via']): LoadedUser {
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

/** Builds the actor of a user: their grants with unit paths and, for inspectors, their assigned schools. */
export async function loadActor(
  db: Kysely<DB>,
  userId: string,
  via: Actor['via'],
): Promise<LoadedUser | null> {
  const user = await selectActor(db).where('u.id', '=', userId).executeTakeFirst();
  return user ? toLoaded(user, via) : null;
}

/** The session with this id hash and its user's actor, in one round trip (every request pays for it). */
export async function loadSessionActor(db: Kysely<DB>, sessionIdHash: string) {
  const row = await selectActor(db)
    .innerJoin('session as s', 's.user_id', 'u.id')
    .select(['s.csrf_token', 's.last_seen_at', 's.expires_at'])
    .where('s.id_hash', '=', sessionIdHash)
    .executeTakeFirst();
  if (!row) return null;
  return {
    loaded: toLoaded(row, 'session'),
    session: { csrfToken: row.csrf_token, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at },
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
