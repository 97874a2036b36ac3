import type { LoginRequest, Me } from '@dudao/contracts';
import { holdsAnywhere, type Actor } from '../access/actor.js';
import { recordAudit, recordAuditNow, type AuditOrigin } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { AppError, notFound, unauthenticated } from '../errors.js';
import { loadActor, restrictionOf, type LoadedUser } from './actor-loader.js';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './password.js';
import { createSession, endSession, endUserSessions } from './sessions.js';
import { checkTotp, newTotpSecret, totpUrl } from './totp.js';

// Verifying against a real hash when the user does not exist keeps response times alike.
let dummyHash: Promise<string> | null = null;

const INVALID = () =>
  unauthenticated('INVALID_CREDENTIALS', { zh: '用户名或密码错误', en: 'Wrong user name or password' });

const lockedError = (until: Date) =>
  new AppError(
    423,
    'ACCOUNT_LOCKED',
    {
      zh: `登录失败次数过多，账号已锁定至 ${until.toLocaleTimeString('zh-CN', { hour12: false })}`,
      en: `Too many failed logins: the account is locked until ${until.toISOString()}`,
    },
    undefined,
    { 'retry-after': String(Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000))) },
  );

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** Password (+ TOTP) login with lockout; every success and failure is in the audit trail. */
export async function login(
  ctx: AppContext,
  input: LoginRequest,
  meta: RequestMeta,
): Promise<{ token: string; csrfToken: string; userId: string }> {
  const { db, config } = ctx;
  const origin: AuditOrigin = {
    actor: null,
    ip: meta.ip,
    requestId: meta.requestId,
    actorName: input.username,
  };
  const user = await db
    .selectFrom('app_user')
    .selectAll()
    .where('username', '=', input.username)
    .executeTakeFirst();
  const fail = async (reason: string, err: AppError): Promise<never> => {
    await recordAuditNow(
      db,
      { ...origin, actorUserId: user?.id ?? null, actorUnitId: user?.unit_id ?? null },
      {
        action: 'auth.login_failed',
        objectType: 'user',
        objectId: user?.id ?? null,
        unitId: user?.unit_id ?? null,
        after: { username: input.username, reason },
      },
    );
    throw err;
  };
  if (!user) {
    dummyHash ??= hashPassword(config, 'dummy-password-for-timing');
    await verifyPassword(await dummyHash, input.password);
    return fail('unknown_user', INVALID());
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now())
    return fail('locked', lockedError(user.locked_until));

  const passwordOk = await verifyPassword(user.password_hash, input.password);
  let totpStep: number | null = null;
  let totpProblem: 'missing' | 'invalid' | null = null;
  if (passwordOk && user.totp_enabled && user.totp_secret_enc) {
    if (!input.totp) totpProblem = 'missing';
    else {
      totpStep = checkTotp(ctx.vault.decrypt(user.totp_secret_enc), input.totp);
      if (totpStep === null || (user.totp_last_step !== null && totpStep <= user.totp_last_step))
        totpProblem = 'invalid';
    }
  }
  if (!passwordOk || totpProblem === 'invalid') {
    const failures = user.failed_logins + 1;
    const lock = failures >= config.lockoutThreshold;
    const lockedUntil = lock ? new Date(Date.now() + config.lockoutMinutes * 60_000) : null;
    await db
      .updateTable('app_user')
      .set({ failed_logins: lock ? 0 : failures, locked_until: lockedUntil })
      .where('id', '=', user.id)
      .execute();
    if (lockedUntil) return fail('locked_now', lockedError(lockedUntil));
    if (totpProblem === 'invalid')
      return fail(
        'totp_invalid',
        unauthenticated('TOTP_INVALID', { zh: '动态口令错误', en: 'Wrong one-time code' }),
      );
    return fail('bad_password', INVALID());
  }
  if (totpProblem === 'missing') {
    throw unauthenticated('TOTP_REQUIRED', { zh: '请输入动态口令', en: 'Enter your one-time code' });
  }
  if (user.disabled_at) {
    return fail(
      'disabled',
      unauthenticated('ACCOUNT_DISABLED', { zh: '账号已停用', en: 'This account is disabled' }),
    );
  }
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({
        failed_logins: 0,
        locked_until: null,
        last_login_at: new Date(),
        ...(totpStep !== null ? { totp_last_step: totpStep } : {}),
      })
      .where('id', '=', user.id)
      .execute();
    const session = await createSession(trx, config, user.id, meta);
    await recordAudit(
      trx,
      { ...origin, actorName: user.username, actorUserId: user.id, actorUnitId: user.unit_id },
      {
        action: 'auth.login',
        objectType: 'user',
        objectId: user.id,
        unitId: user.unit_id,
        after: { totp: totpStep !== null },
      },
    );
    return { ...session, userId: user.id };
  });
}

/** Ends the actor's session and records it. */
export async function logout(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (actor.sessionId) await endSession(trx, actor.sessionId);
    await recordAudit(
      trx,
      { actor, ip: meta.ip, requestId: meta.requestId },
      {
        action: 'auth.logout',
        objectType: 'user',
        objectId: actor.userId,
        unitId: actor.unitId,
      },
    );
  });
}

/** The signed-in user's profile and what the shell may show them. */
export async function describeMe(ctx: AppContext, userId: string | null): Promise<Me> {
  if (!userId) throw notFound();
  const loaded = await loadActor(ctx.db, userId, 'session');
  if (!loaded) throw notFound();
  const unit = await ctx.db
    .selectFrom('unit')
    .select(['id', 'name', 'kind'])
    .where('id', '=', loaded.actor.unitId ?? '')
    .executeTakeFirstOrThrow();
  const restriction = restrictionOf(ctx.config, loaded);
  const a = loaded.actor;
  return {
    id: userId,
    username: a.username,
    displayName: a.displayName,
    unit,
    roles: a.grants.map((g) => ({ role: g.role, unitId: g.unitId, unitName: g.unitName })),
    access: {
      manageUnits: holdsAnywhere(a, 'unit.write'),
      manageUsers: holdsAnywhere(a, 'user.write'),
      readAudit: holdsAnywhere(a, 'audit.read'),
      revealPersonalData: holdsAnywhere(a, 'person.reveal'),
      manageTokens: holdsAnywhere(a, 'token.manage'),
      readFindings: holdsAnywhere(a, 'finding.read'),
      raiseFindings: holdsAnywhere(a, 'finding.raise'),
      manageSafety: holdsAnywhere(a, 'safety.manage'),
      inspectSafety: holdsAnywhere(a, 'safety.inspect'),
      manageGrids: holdsAnywhere(a, 'safety.grid'),
      manageInspectors: holdsAnywhere(a, 'inspector.manage'),
      visitSchools: holdsAnywhere(a, 'inspector.visit'),
      takeAttendance: holdsAnywhere(a, 'attendance.write'),
      readDropout: holdsAnywhere(a, 'dropout.read'),
      manageDropout: holdsAnywhere(a, 'dropout.manage'),
      readPlans: holdsAnywhere(a, 'plan.read'),
      managePlans: holdsAnywhere(a, 'plan.manage'),
      reportProgress: holdsAnywhere(a, 'plan.report'),
      manageAssessment: holdsAnywhere(a, 'assess.manage'),
      readTraining: holdsAnywhere(a, 'training.read'),
      manageTraining: holdsAnywhere(a, 'training.manage'),
      readComplaints: holdsAnywhere(a, 'complaint.read'),
      handleComplaints: holdsAnywhere(a, 'complaint.handle'),
      manageComplaints: holdsAnywhere(a, 'complaint.manage'),
      readCollection: holdsAnywhere(a, 'collection.read'),
      enterData: holdsAnywhere(a, 'collection.enter'),
      approveData: holdsAnywhere(a, 'collection.approve'),
      manageCollection: holdsAnywhere(a, 'collection.manage'),
    },
    mustChangePassword: restriction === 'password',
    totpEnrollmentRequired: restriction === 'totp',
    totpEnabled: loaded.totpEnabled,
    idleTimeoutMinutes: ctx.config.idleTimeoutMinutes,
  };
}

/** Changes one's own password; other sessions of the user end, this one stays. */
export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const user = await ctx.db
    .selectFrom('app_user')
    .select(['id', 'username', 'password_hash', 'unit_id'])
    .where('id', '=', actor.userId ?? '')
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError(400, 'WRONG_PASSWORD', { zh: '当前密码不正确', en: 'The current password is wrong' });
  }
  assertPasswordPolicy(input.newPassword, user.username);
  if (await verifyPassword(user.password_hash, input.newPassword)) {
    throw new AppError(400, 'PASSWORD_REUSED', {
      zh: '新密码不能与当前密码相同',
      en: 'The new password must differ from the current one',
    });
  }
  const hash = await hashPassword(ctx.config, input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({
        password_hash: hash,
        must_change_password: false,
        password_changed_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', user.id)
      .execute();
    await trx
      .deleteFrom('session')
      .where('user_id', '=', user.id)
      .where('id_hash', '!=', actor.sessionId ?? '')
      .execute();
    await recordAudit(
      trx,
      { actor, ip: meta.ip, requestId: meta.requestId },
      {
        action: 'auth.password_change',
        objectType: 'user',
        objectId: user.id,
        unitId: user.unit_id,
      },
    );
  });
}

/** Starts TOTP enrolment: a new secret, kept encrypted until the user proves their app has it. */
export async function setupTotp(
  ctx: AppContext,
  actor: Actor,
): Promise<{ secret: string; otpauthUrl: string }> {
  const secret = newTotpSecret();
  await ctx.db
    .updateTable('app_user')
    .set({ totp_secret_enc: ctx.vault.encrypt(secret), totp_enabled: false })
    .where('id', '=', actor.userId ?? '')
    .where('totp_enabled', '=', false)
    .execute();
  const row = await ctx.db
    .selectFrom('app_user')
    .select(['totp_enabled'])
    .where('id', '=', actor.userId ?? '')
    .executeTakeFirstOrThrow();
  if (row.totp_enabled) {
    throw new AppError(409, 'TOTP_ALREADY_ENABLED', { zh: '已启用动态口令', en: 'TOTP is already enabled' });
  }
  return { secret, otpauthUrl: totpUrl(secret, actor.username) };
}

/** Completes enrolment with a first valid code. */
export async function enableTotp(
  ctx: AppContext,
  actor: Actor,
  code: string,
  meta: RequestMeta,
): Promise<void> {
  const user = await ctx.db
    .selectFrom('app_user')
    .select(['id', 'unit_id', 'totp_secret_enc', 'totp_enabled'])
    .where('id', '=', actor.userId ?? '')
    .executeTakeFirstOrThrow();
  if (user.totp_enabled)
    throw new AppError(409, 'TOTP_ALREADY_ENABLED', { zh: '已启用动态口令', en: 'TOTP is already enabled' });
  if (!user.totp_secret_enc)
    throw new AppError(400, 'TOTP_NOT_SET_UP', { zh: '请先获取密钥', en: 'Start the set-up first' });
  const step = checkTotp(ctx.vault.decrypt(user.totp_secret_enc), code);
  if (step === null)
    throw new AppError(400, 'TOTP_INVALID', { zh: '动态口令错误', en: 'Wrong one-time code' });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ totp_enabled: true, totp_last_step: step })
      .where('id', '=', user.id)
      .execute();
    await recordAudit(
      trx,
      { actor, ip: meta.ip, requestId: meta.requestId },
      {
        action: 'auth.totp_enable',
        objectType: 'user',
        objectId: user.id,
        unitId: user.unit_id,
      },
    );
  });
}

/** The actor of a loaded user for a request, with the restriction that applies now; null once disabled. */
export async function admitUser(
  ctx: AppContext,
  loaded: LoadedUser | null,
): Promise<{ loaded: LoadedUser; restricted: Actor['restricted'] } | null> {
  if (!loaded) return null;
  if (loaded.disabled) {
    if (loaded.actor.userId) await endUserSessions(ctx.db, loaded.actor.userId);
    return null;
  }
  return { loaded, restricted: restrictionOf(ctx.config, loaded) };
}
