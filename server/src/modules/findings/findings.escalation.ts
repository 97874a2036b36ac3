/** Overdue findings go up one level (提级督办), once. */
import { systemActor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { notifyEscalation, type EscalatedItem } from '../../platform/notifications/notifications.service.js';
import { addEvent } from './findings.events.js';
import * as repo from './findings.repository.js';

const UNIT_ROLES = ['school_admin', 'county_admin', 'city_admin'] as const;
// ---------- escalation ----------

/**
 * Open findings past their deadline go up to the parent unit once (提级督办): marked, written in the
 * timeline and the audit trail, and the parent's administrators and the responsible unit are told. Runs at
 * start-up and then every few minutes; safe to run on several instances (rows are claimed with a lock).
 */
export async function escalateOverdue(
  ctx: AppContext,
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('finding as f')
      .innerJoin('unit as u', 'u.id', 'f.unit_id')
      .select(['f.id', 'f.no', 'f.title', 'f.unit_id', 'f.deadline', 'u.name as unit_name', 'u.parent_id'])
      .where(repo.overdueSql(today))
      .where('f.escalated_at', 'is', null)
      .orderBy('f.deadline')
      .limit(1000)
      .forUpdate('f')
      .skipLocked()
      .execute();
    if (due.length === 0) return 0;
    const now = new Date();
    const escalated: EscalatedItem[] = [];
    for (const f of due) {
      const to = f.parent_id ?? f.unit_id;
      await trx
        .updateTable('finding')
        .set({ escalated_at: now, escalated_to_unit_id: to, updated_at: now })
        .where('id', '=', f.id)
        .execute();
      await addEvent(trx, origin.actor ?? systemActor(), f.id, 'escalate', {
        unitId: to,
        data: { deadline: f.deadline, daysOverdue: daysBetween(f.deadline, today) },
      });
      await recordAudit(trx, origin, {
        action: 'finding.escalate',
        objectType: 'finding',
        objectId: f.id,
        unitId: f.unit_id,
        after: { escalatedTo: to, deadline: f.deadline },
      });
      escalated.push({
        id: f.id,
        title: f.title,
        deadline: f.deadline,
        unitId: f.unit_id,
        unitName: f.unit_name,
        toUnitId: to,
      });
    }
    await notifyEscalation(trx, escalated, {
      kind: 'finding',
      objectType: 'finding',
      path: '/findings',
      what: { measure: '个', noun: '问题' },
      overdue: '逾期未整改',
      limit: '整改期限',
      unitRoles: UNIT_ROLES,
    });
    return due.length;
  });
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}
