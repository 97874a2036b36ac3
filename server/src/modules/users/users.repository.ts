import type { UserListQuery } from '@dudao/contracts';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { Permission } from '../../platform/access/permissions.js';
import { unitIdInScope } from '../../platform/access/scope.js';
import { fullCount, withTotal } from '../../platform/db/paging.js';
import type { DB } from '../../platform/db/schema.js';

const userColumns = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.unit_id',
  'u.phone',
  'u.id_number_enc',
  'u.must_change_password',
  'u.totp_enabled',
  'u.locked_until',
  'u.disabled_at',
  'u.last_login_at',
  'u.created_at',
  'un.name as unit_name',
  'un.path as unit_path',
] as const;

function base(db: Kysely<DB>, actor: Actor, permission: Permission) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('unit as un', 'un.id', 'u.unit_id')
    .where(unitIdInScope(actor, permission, sql.ref('u.unit_id')));
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

/** One user whose home unit lies in the actor's scope for the permission. */
export function findUser(db: Kysely<DB>, actor: Actor, id: string, permission: Permission = 'user.read') {
  return base(db, actor, permission).select(userColumns).where('u.id', '=', id).executeTakeFirst();
}

/** Reads back a user the caller has just written (access was checked before the write). */
export function findUserAfterWrite(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('unit as un', 'un.id', 'u.unit_id')
    .select(userColumns)
    .where('u.id', '=', id)
    .executeTakeFirstOrThrow();
}

/** A page of users in scope. */
export async function listUsers(db: Kysely<DB>, actor: Actor, q: UserListQuery & { underPath?: string }) {
  let b = base(db, actor, 'user.read');
  if (q.underPath) b = b.where('un.path', 'like', `${q.underPath}%`);
  if (q.q) {
    const needle = `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    b = b.where((eb) => eb.or([eb('u.username', 'like', needle), eb('u.display_name', 'like', needle)]));
  }
  if (q.role)
    b = b.where('u.id', 'in', db.selectFrom('user_role').select('user_id').where('role', '=', q.role));
  if (q.status === 'disabled') b = b.where('u.disabled_at', 'is not', null);
  if (q.status === 'locked') b = b.where('u.locked_until', '>', new Date());
  if (q.status === 'active')
    b = b
      .where('u.disabled_at', 'is', null)
      .where((eb) => eb.or([eb('u.locked_until', 'is', null), eb('u.locked_until', '<=', new Date())]));
  const rows = await b
    .select(userColumns)
    .select(fullCount)
    .orderBy('un.path')
    .orderBy('u.username')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return withTotal(rows, q.page, async () =>
    Number((await b.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  );
}

/** Role grants and inspector assignments of several users at once (one query each, not one per user). */
export async function grantsOf(db: Kysely<DB>, userIds: string[]) {
  if (userIds.length === 0) return { roles: [], schools: [] };
  const [roles, schools] = await Promise.all([
    db
      .selectFrom('user_role as r')
      .innerJoin('unit as un', 'un.id', 'r.unit_id')
      .select(['r.user_id', 'r.role', 'r.unit_id', 'un.name as unit_name'])
      .where('r.user_id', 'in', userIds)
      .orderBy('un.depth')
      .execute(),
    db
      .selectFrom('inspector_school')
      .select(['user_id', 'school_id'])
      .where('user_id', 'in', userIds)
      .execute(),
  ]);
  return { roles, schools };
}

/** Whether a user name is in use. */
export async function usernameTaken(db: Kysely<DB>, username: string): Promise<boolean> {
  return (
    (await db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst()) !==
    undefined
  );
}

/** Replaces a user's role grants and inspector assignments. */
export async function replaceGrants(
  db: Kysely<DB>,
  userId: string,
  roles: { role: string; unitId: string }[],
  schoolIds: string[] | undefined,
): Promise<void> {
  await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
  await db
    .insertInto('user_role')
    .values(roles.map((r) => ({ user_id: userId, role: r.role, unit_id: r.unitId })))
    .execute();
  if (schoolIds !== undefined) {
    await db.deleteFrom('inspector_school').where('user_id', '=', userId).execute();
    if (schoolIds.length > 0)
      await db
        .insertInto('inspector_school')
        .values(schoolIds.map((s) => ({ user_id: userId, school_id: s })))
        .execute();
  }
}
