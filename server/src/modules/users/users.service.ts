import type { Role, User, UserCreate, UserListQuery, UserUpdate } from '@dudao/contracts';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { roleUnitKinds } from '../../platform/access/permissions.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import { generateInitialPassword, hashPassword } from '../../platform/auth/password.js';
import { endUserSessions } from '../../platform/auth/sessions.js';
import type { AppContext } from '../../platform/context.js';
import { idNumberErrorMessages, maskIdNumber, validateIdNumber } from '../../platform/crypto/id-number.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { userPolicy } from './users.policy.js';
import * as repo from './users.repository.js';
import type { UserRow } from './users.repository.js';

const USER = { zh: '用户', en: 'User' };

async function toUsers(ctx: AppContext, rows: UserRow[]): Promise<User[]> {
  const { roles, schools } = await repo.grantsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    phone: r.phone,
    idNumberMasked: r.id_number_enc ? maskIdNumber(ctx.vault.decrypt(r.id_number_enc)) : null,
    roles: roles
      .filter((g) => g.user_id === r.id)
      .map((g) => ({ role: g.role as Role, unitId: g.unit_id, unitName: g.unit_name })),
    inspectorSchoolIds: schools.filter((s) => s.user_id === r.id).map((s) => s.school_id),
    status: r.disabled_at
      ? 'disabled'
      : r.locked_until && r.locked_until.getTime() > now
        ? 'locked'
        : 'active',
    mustChangePassword: r.must_change_password,
    totpEnabled: r.totp_enabled,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

async function toUser(ctx: AppContext, row: UserRow): Promise<User> {
  return (await toUsers(ctx, [row]))[0]!;
}

/** Audit view of a user: no secrets, ID number masked. */
function auditView(u: User): Record<string, unknown> {
  return {
    username: u.username,
    displayName: u.displayName,
    unitId: u.unitId,
    phone: u.phone,
    idNumberMasked: u.idNumberMasked,
    roles: u.roles.map((r) => `${r.role}@${r.unitId}`),
    inspectorSchoolIds: u.inspectorSchoolIds,
    status: u.status,
  };
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  };
}

/** Loads a user for a change: 404 when out of read scope, 403 when the actor may not manage them. */
async function loadForChange(ctx: AppContext, actor: Actor, id: string): Promise<UserRow> {
  const row = await repo.findUser(ctx.db, actor, id);
  if (!row) throw notFound(USER);
  const held = await sql<{ role: Role; path: string }>`
    select r.role, un.path from user_role r join unit un on un.id = r.unit_id where r.user_id = ${id}`.execute(
    ctx.db,
  );
  if (!userPolicy.canManage(actor, row, held.rows)) throw forbidden();
  return row;
}

function parseIdNumber(
  ctx: AppContext,
  raw: string | null | undefined,
): { enc: string | null; hmac: string | null } | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw === '') return { enc: null, hmac: null };
  const v = validateIdNumber(raw);
  if (!v.ok)
    throw badRequest(v.code, idNumberErrorMessages[v.code], [{ path: 'body/idNumber', message: v.code }]);
  return { enc: ctx.vault.encrypt(v.normalized), hmac: ctx.vault.hmac(v.normalized) };
}

/** Checks that the actor may give these roles at these units to a user of `homePath`. */
async function checkGrants(
  ctx: AppContext,
  actor: Actor,
  homePath: string,
  roles: { role: Role; unitId: string }[],
  schoolIds: string[] | undefined,
): Promise<void> {
  const ids = [...new Set([...roles.map((r) => r.unitId), ...(schoolIds ?? [])])];
  const units = await ctx.db
    .selectFrom('unit')
    .select(['id', 'kind', 'path'])
    .where('id', 'in', ids)
    .where(pathInScope(actor, 'unit.read', sql.ref('unit.path')))
    .execute();
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const g of roles) {
    const unit = byId.get(g.unitId);
    if (!unit) throw notFound({ zh: '授权机构', en: 'Unit of a role' });
    // Whether the actor may grant the role there at all is decided before whether the request makes sense.
    if (!userPolicy.canGrant(actor, g.role, unit.path))
      throw forbidden({ zh: `无权授予该角色`, en: 'You may not grant that role' });
    if (!roleUnitKinds[g.role].includes(unit.kind)) {
      throw badRequest('ROLE_UNIT_KIND', {
        zh: '该角色不能设在此类机构',
        en: 'This role cannot be held at that kind of unit',
      });
    }
    if (!unit.path.startsWith(homePath)) {
      throw badRequest('ROLE_OUTSIDE_HOME_UNIT', {
        zh: '角色只能设在用户所属机构及其下级',
        en: "Roles must be at the user's unit or below it",
      });
    }
  }
  if (schoolIds && schoolIds.length > 0) {
    const inspectorPaths = roles.filter((r) => r.role === 'inspector').map((r) => byId.get(r.unitId)!.path);
    if (inspectorPaths.length === 0) {
      throw badRequest('NOT_AN_INSPECTOR', {
        zh: '只有督学可以分配责任学校',
        en: 'Only inspectors are assigned schools',
      });
    }
    for (const s of schoolIds) {
      const school = byId.get(s);
      if (!school) throw notFound({ zh: '责任学校', en: 'Assigned school' });
      if (school.kind !== 'school' || !inspectorPaths.some((p) => school.path.startsWith(p))) {
        throw badRequest('SCHOOL_OUTSIDE_INSPECTOR_AREA', {
          zh: '责任学校须为督学所属教育局辖区内的学校',
          en: "Assigned schools must be schools in the inspector's area",
        });
      }
    }
  }
}

/** Lists users in scope. */
export async function listUsers(ctx: AppContext, actor: Actor, q: UserListQuery) {
  let underPath: string | undefined;
  if (q.unitId) {
    const unit = await ctx.db
      .selectFrom('unit')
      .select('path')
      .where('id', '=', q.unitId)
      .where(pathInScope(actor, 'user.read', sql.ref('unit.path')))
      .executeTakeFirst();
    if (!unit) throw notFound({ zh: '机构', en: 'Unit' });
    underPath = unit.path;
  }
  const { rows, total } = await repo.listUsers(ctx.db, actor, { ...q, underPath });
  return { items: await toUsers(ctx, rows), total, page: q.page, pageSize: q.pageSize };
}

/** One user in scope. */
export async function getUser(ctx: AppContext, actor: Actor, id: string): Promise<User> {
  const row = await repo.findUser(ctx.db, actor, id);
  if (!row) throw notFound(USER);
  return toUser(ctx, row);
}

/** Creates an account with a random initial password that must be changed at first login. */
export async function createUser(
  ctx: AppContext,
  actor: Actor,
  input: UserCreate,
  origin: AuditOrigin,
  opts: { password?: string; mustChangePassword?: boolean } = {},
): Promise<{ user: User; initialPassword: string }> {
  const home = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path'])
    .where('id', '=', input.unitId)
    .where(pathInScope(actor, 'unit.read', sql.ref('unit.path')))
    .executeTakeFirst();
  if (!home) throw notFound({ zh: '所属机构', en: 'Unit' });
  if (!userPolicy.canManage(actor, { id: '', unit_path: home.path }, [])) throw forbidden();
  await checkGrants(ctx, actor, home.path, input.roles, input.inspectorSchoolIds);
  if (await repo.usernameTaken(ctx.db, input.username)) {
    throw conflict('USERNAME_TAKEN', {
      zh: `用户名 ${input.username} 已被使用`,
      en: `User name ${input.username} is taken`,
    });
  }
  const idNumber = parseIdNumber(ctx, input.idNumber);
  const initialPassword = opts.password ?? generateInitialPassword();
  const id = randomUUID();
  const passwordHash = await hashPassword(ctx.config, initialPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('app_user')
      .values({
        id,
        username: input.username,
        display_name: input.displayName,
        unit_id: home.id,
        phone: input.phone ?? null,
        id_number_enc: idNumber?.enc ?? null,
        id_number_hmac: idNumber?.hmac ?? null,
        password_hash: passwordHash,
        must_change_password: opts.mustChangePassword ?? true,
        password_changed_at: null,
        locked_until: null,
        disabled_at: null,
        totp_secret_enc: null,
        totp_last_step: null,
        last_login_at: null,
      })
      .execute();
    await repo.replaceGrants(trx, id, input.roles, input.inspectorSchoolIds ?? []);
    const created = await toUser({ ...ctx, db: trx }, await repo.findUserAfterWrite(trx, id));
    await recordAudit(trx, origin, {
      action: 'user.create',
      objectType: 'user',
      objectId: id,
      unitId: home.id,
      after: auditView(created),
    });
  });
  return { user: await toUser(ctx, await repo.findUserAfterWrite(ctx.db, id)), initialPassword };
}

/** Edits an account: name, phone, ID number, roles, inspector schools. */
export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UserUpdate,
  origin: AuditOrigin,
): Promise<User> {
  const row = await loadForChange(ctx, actor, id);
  const before = await toUser(ctx, row);
  if (input.roles || input.inspectorSchoolIds) {
    const roles = input.roles ?? before.roles.map((r) => ({ role: r.role, unitId: r.unitId }));
    await checkGrants(
      ctx,
      actor,
      row.unit_path,
      roles,
      input.inspectorSchoolIds ?? before.inspectorSchoolIds,
    );
  }
  const idNumber = parseIdNumber(ctx, input.idNumber);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({
        ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        ...(idNumber ? { id_number_enc: idNumber.enc, id_number_hmac: idNumber.hmac } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (input.roles || input.inspectorSchoolIds) {
      const roles = input.roles ?? before.roles.map((r) => ({ role: r.role, unitId: r.unitId }));
      const keepSchools = roles.some((r) => r.role === 'inspector')
        ? (input.inspectorSchoolIds ?? before.inspectorSchoolIds)
        : [];
      await repo.replaceGrants(trx, id, roles, keepSchools);
    }
    const after = await toUser({ ...ctx, db: trx }, await repo.findUserAfterWrite(trx, id));
    const d = diff(auditView(before), auditView(after));
    await recordAudit(trx, origin, {
      action: 'user.update',
      objectType: 'user',
      objectId: id,
      unitId: row.unit_id,
      ...d,
    });
  });
  return toUser(ctx, await repo.findUserAfterWrite(ctx.db, id));
}

type UserAction = 'disable' | 'enable' | 'unlock' | 'reset_password';

/** Disable/enable/unlock/reset an account; disabling and resetting end its sessions. */
export async function changeUserState(
  ctx: AppContext,
  actor: Actor,
  id: string,
  action: UserAction,
  origin: AuditOrigin,
): Promise<{ user: User; initialPassword?: string }> {
  const row = await loadForChange(ctx, actor, id);
  if (id === actor.userId && action !== 'unlock') {
    throw badRequest('SELF_ACTION', {
      zh: '不能对自己的账号执行此操作',
      en: 'You cannot do this to your own account',
    });
  }
  const initialPassword = action === 'reset_password' ? generateInitialPassword() : undefined;
  const passwordHash = initialPassword ? await hashPassword(ctx.config, initialPassword) : undefined;
  const before = await toUser(ctx, row);
  await ctx.db.transaction().execute(async (trx) => {
    const set =
      action === 'disable'
        ? { disabled_at: new Date() }
        : action === 'enable'
          ? { disabled_at: null }
          : action === 'unlock'
            ? { failed_logins: 0, locked_until: null }
            : {
                password_hash: passwordHash!,
                must_change_password: true,
                failed_logins: 0,
                locked_until: null,
              };
    await trx
      .updateTable('app_user')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    if (action === 'disable' || action === 'reset_password') {
      await endUserSessions(trx, id);
    }
    const after = await toUser({ ...ctx, db: trx }, await repo.findUserAfterWrite(trx, id));
    await recordAudit(trx, origin, {
      action: `user.${action}`,
      objectType: 'user',
      objectId: id,
      unitId: row.unit_id,
      before: { status: before.status, mustChangePassword: before.mustChangePassword },
      after: { status: after.status, mustChangePassword: after.mustChangePassword },
    });
  });
  return { user: await toUser(ctx, await repo.findUserAfterWrite(ctx.db, id)), initialPassword };
}

/** Shows a user's full ID number to an actor allowed to see it; every reveal is audited. */
export async function revealIdNumber(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<{ idNumber: string | null }> {
  const row = await repo.findUser(ctx.db, actor, id);
  if (!row) throw notFound(USER);
  if (!userPolicy.canReveal(actor, row)) {
    throw forbidden({ zh: '没有查看完整身份证号的权限', en: 'You may not see full ID numbers' });
  }
  const idNumber = row.id_number_enc ? ctx.vault.decrypt(row.id_number_enc) : null;
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, origin, {
      action: 'person.reveal',
      objectType: 'user',
      objectId: id,
      unitId: row.unit_id,
      after: { field: 'id_number', masked: idNumber ? maskIdNumber(idNumber) : null },
    }),
  );
  return { idNumber };
}
