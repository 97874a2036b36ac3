/**
 * The lifecycle of an institution (allowed transitions only, each with a date and a reason, written to
 * training_event and audited) and the black list (a decision with reason and date, audited and kept in the
 * institution's history).
 */
import {
  TRAINING_TRANSITIONS,
  trainingStatusLabels,
  type InstitutionDetail,
  type TrainingStatus,
} from '@dudao/contracts';
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, badRequest, conflict } from '../../platform/errors.js';
import { getInstitution, loadForManage } from './training.service.js';

// ---------- lifecycle and black list ----------

export async function changeStatus(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { to: TrainingStatus; on: string; reason: string },
  origin: AuditOrigin,
): Promise<InstitutionDetail> {
  await applyStatus(ctx, actor, id, b, origin);
  return getInstitution(ctx, actor, id);
}

/** The status change itself (allowed transitions only, dated, with a reason, audited). */
export async function applyStatus(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { to: TrainingStatus; on: string; reason: string },
  origin: AuditOrigin,
): Promise<void> {
  const row = await loadForManage(ctx, actor, id);
  const from = row.status as TrainingStatus;
  if (!TRAINING_TRANSITIONS[from].includes(b.to))
    throw new AppError(409, 'TRAINING_TRANSITION', {
      zh: `不能从“${trainingStatusLabels[from].zh}”变为“${trainingStatusLabels[b.to].zh}”`,
      en: `Cannot go from ${trainingStatusLabels[from].en} to ${trainingStatusLabels[b.to].en}`,
    });
  if (b.on > chinaToday() || b.on < row.status_since)
    throw badRequest('TRAINING_STATUS_DATE', {
      zh: `日期应在${row.status_since}至今天之间`,
      en: `The date must lie between ${row.status_since} and today`,
    });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('training_institution')
      .set({ status: b.to, status_since: b.on, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await addEvent(trx, actor, id, {
      kind: 'status',
      from_status: from,
      to_status: b.to,
      on_date: b.on,
      reason: b.reason,
    });
    await recordAudit(trx, origin, {
      action: 'training.institution.status',
      objectType: 'training_institution',
      objectId: id,
      unitId: row.unit_id,
      before: { status: from, statusSince: row.status_since },
      after: { status: b.to, statusSince: b.on, reason: b.reason },
    });
  });
}

async function addEvent(
  trx: Transaction<DB>,
  actor: Actor,
  institutionId: string,
  e: {
    kind: 'status' | 'blacklist' | 'unblacklist';
    from_status?: string;
    to_status?: string;
    on_date: string;
    reason: string;
  },
) {
  await trx
    .insertInto('training_event')
    .values({
      id: timeOrderedId(),
      institution_id: institutionId,
      from_status: null,
      to_status: null,
      ...e,
      actor_id: actor.userId,
      actor_name: actor.via === 'system' ? null : actor.displayName,
    })
    .execute();
}

export async function setBlacklist(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { on?: string; reason: string },
  black: boolean,
  origin: AuditOrigin,
): Promise<InstitutionDetail> {
  await applyBlacklist(ctx, actor, id, b, black, origin);
  return getInstitution(ctx, actor, id);
}

/** Puts an institution on the black list (with reason and date) or takes it off, audited. */
export async function applyBlacklist(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { on?: string; reason: string },
  black: boolean,
  origin: AuditOrigin,
): Promise<void> {
  const row = await loadForManage(ctx, actor, id);
  if (row.blacklisted === black)
    throw conflict('TRAINING_LIST_UNCHANGED', {
      zh: black ? '该机构已在黑名单中' : '该机构不在黑名单中',
      en: black ? 'Already black-listed' : 'Not black-listed',
    });
  const on = b.on ?? chinaToday();
  if (on > chinaToday())
    throw badRequest('TRAINING_LIST_DATE', {
      zh: '日期不能晚于今天',
      en: 'The date cannot be in the future',
    });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('training_institution')
      .set(
        black
          ? { blacklisted: true, blacklist_reason: b.reason, blacklisted_on: on, updated_at: new Date() }
          : { blacklisted: false, blacklist_reason: null, blacklisted_on: null, updated_at: new Date() },
      )
      .where('id', '=', id)
      .execute();
    await addEvent(trx, actor, id, {
      kind: black ? 'blacklist' : 'unblacklist',
      on_date: on,
      reason: b.reason,
    });
    await recordAudit(trx, origin, {
      action: black ? 'training.institution.blacklist' : 'training.institution.unblacklist',
      objectType: 'training_institution',
      objectId: id,
      unitId: row.unit_id,
      before: { blacklisted: row.blacklisted, reason: row.blacklist_reason, on: row.blacklisted_on },
      after: { blacklisted: black, reason: b.reason, on },
    });
  });
}
