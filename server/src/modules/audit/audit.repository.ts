import type { AuditQuery } from '@dudao/contracts';
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { scopePaths } from '../../platform/access/actor.js';
import { unitIdInScope } from '../../platform/access/scope.js';
import { fullCount, withTotal } from '../../platform/db/paging.js';
import type { DB } from '../../platform/db/schema.js';

/** Whether the actor reads the trail at a root unit, and so also sees events that belong to no unit. */
export function readsWholeTrail(actor: Actor): boolean {
  return scopePaths(actor, 'audit.read').some((p) => p === '/' || p.split('/').filter(Boolean).length === 1);
}

function visible(actor: Actor): Expression<SqlBool> {
  const inScope = unitIdInScope(actor, 'audit.read', sql.ref('e.unit_id'));
  return readsWholeTrail(actor) ? sql<SqlBool>`(${inScope} or e.unit_id is null)` : inScope;
}

/** A page of audit events the actor may read, newest first. */
export async function listAuditEvents(db: Kysely<DB>, actor: Actor, q: AuditQuery & { underPath?: string }) {
  let b = db
    .selectFrom('audit_event as e')
    .leftJoin('unit as un', 'un.id', 'e.unit_id')
    .where(visible(actor));
  if (q.action) b = b.where('e.action', 'like', `${q.action.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (q.actor) b = b.where('e.actor_name', 'like', `%${q.actor.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (q.objectType) b = b.where('e.object_type', '=', q.objectType);
  if (q.objectId) b = b.where('e.object_id', '=', q.objectId);
  if (q.underPath) b = b.where('un.path', 'like', `${q.underPath}%`);
  if (q.from) b = b.where('e.occurred_at', '>=', new Date(`${q.from}T00:00:00+08:00`));
  if (q.to)
    b = b.where('e.occurred_at', '<', new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86400_000));
  const rows = await b
    .select([
      'e.id',
      'e.occurred_at',
      'e.actor_user_id',
      'e.actor_name',
      'e.action',
      'e.object_type',
      'e.object_id',
      'e.unit_id',
      'un.name as unit_name',
      'e.before',
      'e.after',
      'e.ip',
      'e.hash',
    ])
    .select(fullCount)
    .orderBy('e.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return withTotal(rows, q.page, async () =>
    Number((await b.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  );
}
