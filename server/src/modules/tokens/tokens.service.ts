import type { ApiToken } from '@dudao/contracts';
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { unitIdInScope } from '../../platform/access/scope.js';
import { issueApiToken } from '../../platform/auth/api-tokens.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';

const TOKEN = { zh: 'API 令牌', en: 'API token' };

function baseQuery(ctx: AppContext, actor: Actor) {
  return ctx.db
    .selectFrom('api_token as t')
    .innerJoin('app_user as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.name',
      't.prefix',
      't.user_id',
      'u.username',
      'u.unit_id',
      't.created_at',
      't.expires_at',
      't.last_used_at',
      't.revoked_at',
    ])
    .where(unitIdInScope(actor, 'token.manage', sql.ref('u.unit_id')));
}

function toToken(r: Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>): ApiToken {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    userId: r.user_id,
    username: r.username,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: r.expires_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}

/** Tokens of users whose accounts the actor manages. */
export async function listTokens(ctx: AppContext, actor: Actor): Promise<ApiToken[]> {
  const rows = await baseQuery(ctx, actor).orderBy('t.created_at', 'desc').limit(500).execute();
  return rows.map(toToken);
}

/** Issues a token acting as a user in the actor's token scope (default: the actor). Shown once. */
export async function createToken(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; userId?: string; days?: number },
  origin: AuditOrigin,
): Promise<{ token: string; apiToken: ApiToken }> {
  const userId = input.userId ?? actor.userId;
  const user = await ctx.db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.unit_id'])
    .where('u.id', '=', userId ?? '')
    .where(unitIdInScope(actor, 'token.manage', sql.ref('u.unit_id')))
    .executeTakeFirst();
  if (!user) throw notFound({ zh: '用户', en: 'User' });
  const issued = await ctx.db.transaction().execute(async (trx) => {
    const t = await issueApiToken(trx, {
      userId: user.id,
      name: input.name,
      days: input.days ?? null,
      createdBy: actor.userId,
    });
    await recordAudit(trx, origin, {
      action: 'token.create',
      objectType: 'api_token',
      objectId: t.id,
      unitId: user.unit_id,
      after: { name: input.name, userId: user.id, prefix: t.prefix, days: input.days ?? null },
    });
    return t;
  });
  const row = await baseQuery(ctx, actor).where('t.id', '=', issued.id).executeTakeFirstOrThrow();
  return { token: issued.token, apiToken: toToken(row) };
}

/** Revokes a token; calls with it fail from then on. */
export async function revokeToken(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<void> {
  const row = await baseQuery(ctx, actor).where('t.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(TOKEN);
  if (row.revoked_at) return;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('api_token').set({ revoked_at: new Date() }).where('id', '=', id).execute();
    await recordAudit(trx, origin, {
      action: 'token.revoke',
      objectType: 'api_token',
      objectId: id,
      unitId: row.unit_id,
      after: { prefix: row.prefix },
    });
  });
}
