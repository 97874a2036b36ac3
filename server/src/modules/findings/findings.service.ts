/**
 * The findings ledger (问题台账): the one place every module's problems and hazards go, and the loop that
 * closes them — raised → notified (整改通知书) → rectifying → submitted → verified and closed (验收销号), or
 * returned; overdue items escalate to the parent unit. Modules raise findings with `raiseFindings` inside
 * their own transaction; nothing else writes the finding tables.
 */
import type {
  FindingCategory,
  FindingCreate,
  FindingDetail,
  FindingEventKind,
  FindingListQuery,
  FindingPage,
  FindingSeverity,
  FindingSource,
  Notice,
} from '@dudao/contracts';
import { FindingListQuery as FindingListQuerySchema } from '@dudao/contracts';
import { sql, type Kysely, type Transaction } from 'kysely';
import { scopePaths, systemActor, type Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles, fileInfos } from '../../platform/files/files.service.js';
import { notifyUnit, notifyUsers } from '../../platform/notifications/notifications.service.js';
import { findingPolicy } from './findings.policy.js';
import { exportFindings } from './findings.export.js';
import { addEvent } from './findings.events.js';
import * as repo from './findings.repository.js';

const FINDING = { zh: '问题', en: 'Finding' };
const NOTICE = { zh: '整改通知书', en: 'Rectification notice' };
const UNIT = { zh: '单位', en: 'Unit' };
/** Who hears about a finding at the responsible unit. */
const UNIT_ROLES = ['school_admin', 'county_admin', 'city_admin'] as const;

export interface RaiseFinding {
  unitId: string;
  source: FindingSource;
  sourceType?: string;
  sourceId?: string;
  category: FindingCategory;
  subcategory?: string;
  severity: FindingSeverity;
  title: string;
  description?: string;
  location?: string;
  basis?: string;
  deadline: string;
  gridId?: string;
  fileIds?: string[];
  /** 立行立改: put right on the spot, recorded closed at once. */
  rectifiedOnSite?: boolean;
  /** Extra people to notify (e.g. a grid's responsible person). */
  notifyUserIds?: string[];
}

export interface RaiseOptions {
  /** Issue one 整改通知书 per responsible unit (default true); false leaves the findings 待下发. */
  notify?: boolean;
  /** The raising unit (default: the actor's own unit). */
  raisedByUnitId?: string;
  noticeNote?: string;
  /** The notice's deadline (default: the latest of its findings'). */
  deadline?: string;
}

const shortName = (unitName: string) => unitName.replace(/(教育局|教育和体育局|教育体育局)$/, '');

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

async function loadUnits(trx: Kysely<DB> | Transaction<DB>, ids: string[]) {
  const rows = await trx
    .selectFrom('unit')
    .select(['id', 'name', 'code', 'path', 'parent_id', 'kind', 'status'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Raises findings in the caller's transaction: checks finding.raise at each responsible unit and that the
 * attached files belong to it, numbers each finding (per raising unit and year), writes the timeline and the
 * audit trail, notifies, and — unless told not to — issues one 整改通知书 per responsible unit.
 */
export async function raiseFindings(
  trx: Transaction<DB>,
  ctx: Pick<AppContext, 'db'>,
  origin: AuditOrigin,
  items: RaiseFinding[],
  opts: RaiseOptions = {},
): Promise<{ findingIds: string[]; noticeIds: string[] }> {
  const actor = origin.actor ?? systemActor();
  if (items.length === 0) return { findingIds: [], noticeIds: [] };
  const raiserId = opts.raisedByUnitId ?? actor.unitId;
  if (!raiserId)
    throw badRequest('FINDING_RAISER', {
      zh: '请指明提出问题的单位',
      en: 'Name the unit that raises the finding',
    });
  const units = await loadUnits(trx, [raiserId, ...items.map((i) => i.unitId)]);
  const raiser = units.get(raiserId);
  if (!raiser) throw notFound(UNIT);
  const today = chinaToday();
  const year = yearOf(today);
  const ids: string[] = [];
  const created: { id: string; unitId: string; closed: boolean; deadline: string }[] = [];

  for (const item of items) {
    const unit = units.get(item.unitId);
    if (!unit || !findingPolicy.canRaise(actor, unit.path)) {
      if (unit && pathInScopeOf(actor, unit.path)) throw forbidden();
      throw notFound(UNIT);
    }
    if (item.deadline < today && !item.rectifiedOnSite)
      throw badRequest('FINDING_DEADLINE_PAST', {
        zh: '整改期限不能早于今天',
        en: 'The deadline cannot be in the past',
      });
    const fileIds = await assertFiles(trx, actor, item.fileIds, item.unitId);
    if (item.gridId) {
      const grid = await trx
        .selectFrom('safety_grid')
        .select('id')
        .where('id', '=', item.gridId)
        .where('unit_id', '=', item.unitId)
        .executeTakeFirst();
      if (!grid)
        throw badRequest('FINDING_GRID', {
          zh: '所选安全网格不属于该单位',
          en: 'The safety grid does not belong to that unit',
        });
    }
    const id = timeOrderedId();
    const n = await repo.nextNumber(trx, raiser.id, 'finding', year);
    const no = `${raiser.code}-${year}-${String(n).padStart(4, '0')}`;
    const closed = item.rectifiedOnSite === true;
    await trx
      .insertInto('finding')
      .values({
        id,
        no,
        source: item.source,
        source_type: item.sourceType ?? null,
        source_id: item.sourceId ?? null,
        category: item.category,
        subcategory: item.subcategory ?? null,
        severity: item.severity,
        title: item.title,
        description: item.description ?? null,
        location: item.location ?? null,
        basis: item.basis ?? null,
        unit_id: item.unitId,
        raised_by_unit_id: raiser.id,
        raised_by: actor.userId,
        raised_by_name: actor.displayName,
        grid_id: item.gridId ?? null,
        status: closed ? 'closed' : 'raised',
        deadline: closed && item.deadline < today ? today : item.deadline,
        raised_on: today,
        closed_on: closed ? today : null,
        file_ids: fileIds,
      })
      .execute();
    await addEvent(trx, actor, id, 'raise', {
      unitId: raiser.id,
      note: item.description ?? null,
      fileIds,
      data: { source: item.source, severity: item.severity, deadline: item.deadline },
    });
    if (closed)
      await addEvent(trx, actor, id, 'close', {
        unitId: raiser.id,
        note: '立行立改',
        data: { onSite: true },
      });
    await recordAudit(trx, origin, {
      action: 'finding.raise',
      objectType: 'finding',
      objectId: id,
      unitId: item.unitId,
      after: {
        no,
        source: item.source,
        sourceType: item.sourceType ?? null,
        sourceId: item.sourceId ?? null,
        category: item.category,
        severity: item.severity,
        title: item.title,
        deadline: item.deadline,
        raisedBy: raiser.id,
        rectifiedOnSite: closed,
      },
    });
    if (item.notifyUserIds?.length)
      await notifyUsers(trx, item.notifyUserIds, {
        kind: 'finding.raised',
        title: `${unit.name}：${item.title}`,
        body: `整改期限 ${item.deadline}`,
        link: `/findings/${id}`,
        objectType: 'finding',
        objectId: id,
      });
    ids.push(id);
    created.push({ id, unitId: item.unitId, closed, deadline: item.deadline });
  }

  const noticeIds: string[] = [];
  if (opts.notify !== false) {
    const byUnit = new Map<string, string[]>();
    for (const c of created) if (!c.closed) byUnit.set(c.unitId, [...(byUnit.get(c.unitId) ?? []), c.id]);
    for (const [unitId, findingIds] of byUnit) {
      noticeIds.push(
        await issueNotice(trx, origin, raiser, units.get(unitId)!, findingIds, {
          deadline: opts.deadline,
          note: opts.noticeNote,
        }),
      );
    }
  }
  return { findingIds: ids, noticeIds };
}

/** Whether the unit lies in the actor's read scope (then a refusal is 403, not 404). */
function pathInScopeOf(actor: Actor, path: string): boolean {
  return scopePaths(actor, 'finding.read').some((p) => path.startsWith(p));
}

/**
 * Sends findings (all 待下发, of one responsible unit) to that unit. A bureau's findings go out under a
 * numbered 整改通知书; a unit's own findings (self-inspection) need no notice and are simply sent.
 */
async function issueNotice(
  trx: Transaction<DB>,
  origin: AuditOrigin,
  issuer: { id: string; name: string },
  unit: { id: string; name: string },
  findingIds: string[],
  opts: { deadline?: string; note?: string },
): Promise<string> {
  const actor = origin.actor ?? systemActor();
  const today = chinaToday();
  const rows = await trx
    .selectFrom('finding')
    .select(['id', 'deadline', 'status', 'unit_id'])
    .where('id', 'in', findingIds)
    .forUpdate()
    .execute();
  if (rows.length !== findingIds.length || rows.some((r) => r.unit_id !== unit.id))
    throw badRequest('NOTICE_ONE_UNIT', {
      zh: '一份整改通知书只能下发给一个单位',
      en: 'A notice goes to one unit only',
    });
  if (rows.some((r) => r.status !== 'raised'))
    throw conflict('FINDING_ALREADY_NOTIFIED', {
      zh: '所选问题中有已下发的，请刷新后重试',
      en: 'Some of these findings have already been sent; refresh and retry',
    });
  if (opts.deadline && opts.deadline < today)
    throw badRequest('FINDING_DEADLINE_PAST', {
      zh: '整改期限不能早于今天',
      en: 'The deadline cannot be in the past',
    });
  const deadline =
    opts.deadline ??
    rows
      .map((r) => r.deadline)
      .sort()
      .at(-1)!;
  const id = timeOrderedId();
  const selfRaised = issuer.id === unit.id;
  let no: string | null = null;
  if (!selfRaised) {
    const n = await repo.nextNumber(trx, issuer.id, 'notice', yearOf(today));
    no = `${shortName(issuer.name)}整改〔${yearOf(today)}〕${n}号`;
    await trx
      .insertInto('rectification_notice')
      .values({
        id,
        no,
        issuer_unit_id: issuer.id,
        unit_id: unit.id,
        issued_on: today,
        deadline,
        note: opts.note ?? null,
        issued_by: actor.userId,
      })
      .execute();
  }
  await trx
    .updateTable('finding')
    .set({
      status: 'notified',
      notice_id: selfRaised ? null : id,
      ...(opts.deadline ? { deadline } : {}),
      updated_at: new Date(),
    })
    .where('id', 'in', findingIds)
    .execute();
  for (const fid of findingIds)
    await addEvent(trx, actor, fid, 'notify', { unitId: issuer.id, data: { noticeNo: no, deadline } });
  await recordAudit(trx, origin, {
    action: 'finding.notify',
    objectType: selfRaised ? 'finding' : 'rectification_notice',
    objectId: selfRaised ? findingIds[0]! : id,
    unitId: unit.id,
    after: { no, findingIds, deadline },
  });
  await notifyUnit(trx, unit.id, UNIT_ROLES, {
    kind: 'finding.notified',
    title: no ? `${no}：${findingIds.length} 个问题待整改` : `${findingIds.length} 个问题待整改`,
    body: `整改期限 ${deadline}`,
    link: no ? `/findings/notices/${id}` : `/findings?under=${unit.id}&state=open`,
    objectType: no ? 'rectification_notice' : 'finding',
    objectId: no ? id : findingIds[0]!,
  });
  return id;
}

// ---------- reading ----------

function toFinding(actor: Actor, r: repo.FindingRow, today: string) {
  const access = {
    status: r.status,
    unit_path: r.unit_path,
    raiser_path: r.raiser_path,
    raised_by: r.raised_by,
  };
  return {
    id: r.id,
    no: r.no,
    source: r.source as FindingSource,
    sourceType: r.source_type,
    sourceId: r.source_id,
    category: r.category as FindingCategory,
    subcategory: r.subcategory,
    severity: r.severity as FindingSeverity,
    title: r.title,
    description: r.description,
    location: r.location,
    basis: r.basis,
    unitId: r.unit_id,
    unitName: r.unit_name,
    unitCode: r.unit_code,
    raisedByUnitId: r.raised_by_unit_id,
    raisedByUnitName: r.raiser_name,
    raisedByName: r.raised_by_name,
    gridId: r.grid_id,
    gridName: r.grid_name,
    status: r.status as FindingDetail['status'],
    deadline: r.deadline,
    raisedOn: r.raised_on,
    closedOn: r.closed_on,
    overdue: ['raised', 'notified', 'rectifying'].includes(r.status) && r.deadline < today,
    escalatedAt: r.escalated_at?.toISOString() ?? null,
    escalatedToName: r.escalated_to_name,
    returnCount: r.return_count,
    noticeId: r.notice_no ? r.notice_id : null,
    noticeNo: r.notice_no,
    can: {
      notify: findingPolicy.canNotify(actor, access),
      start: findingPolicy.canStart(actor, access),
      submit: findingPolicy.canSubmit(actor, access),
      verify: findingPolicy.canVerify(actor, access),
      extend: findingPolicy.canExtend(actor, access),
    },
  };
}

async function underPathOf(ctx: AppContext, actor: Actor, under: string | undefined): Promise<string | null> {
  if (!under) return null;
  const u = await ctx.db
    .selectFrom('unit')
    .select('path')
    .where('id', '=', under)
    .where(pathInScope(actor, 'finding.read', sql.ref('unit.path')))
    .executeTakeFirst();
  if (!u) throw notFound(UNIT);
  return u.path;
}

export async function listFindings(
  ctx: AppContext,
  actor: Actor,
  input: FindingListQuery,
): Promise<FindingPage> {
  const q = FindingListQuerySchema.parse(input);
  const today = chinaToday();
  const underPath = await underPathOf(ctx, actor, q.under);
  const { rows, total } = await repo.listFindings(ctx.db, actor, q, underPath, today);
  return {
    items: rows.map((r) => toFinding(actor, r as repo.FindingRow, today)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getFinding(ctx: AppContext, actor: Actor, id: string): Promise<FindingDetail> {
  const r = await repo.findFinding(ctx.db, actor, id);
  if (!r) throw notFound(FINDING);
  const events = await ctx.db
    .selectFrom('finding_event as e')
    .leftJoin('unit', 'unit.id', 'e.unit_id')
    .select([
      'e.id',
      'e.kind',
      'e.at',
      'e.actor_name',
      'unit.name as unit_name',
      'e.note',
      'e.data',
      'e.file_ids',
    ])
    .where('e.finding_id', '=', id)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  const files = await fileInfos(ctx.db, [...r.file_ids, ...events.flatMap((e) => e.file_ids)]);
  const byId = new Map(files.map((f) => [f.id, f]));
  const pick = (ids: string[]) => ids.map((i) => byId.get(i)).filter((f) => f !== undefined);
  return {
    ...toFinding(actor, r, chinaToday()),
    measures: r.measures,
    interimControls: r.interim_controls,
    files: pick(r.file_ids),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind as FindingEventKind,
      at: e.at.toISOString(),
      actorName: e.actor_name,
      unitName: e.unit_name,
      note: e.note,
      data: (e.data as Record<string, unknown> | null) ?? null,
      files: pick(e.file_ids),
    })),
  };
}

/** A finding raised by hand (or by a school's own check) through the API. */
export async function createFinding(
  ctx: AppContext,
  actor: Actor,
  input: FindingCreate,
  origin: AuditOrigin,
): Promise<FindingDetail> {
  const unit = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path', 'kind'])
    .where('id', '=', input.unitId)
    .where(pathInScope(actor, 'finding.read', sql.ref('unit.path')))
    .executeTakeFirst();
  if (!unit) throw notFound(UNIT);
  const { findingIds } = await ctx.db.transaction().execute((trx) =>
    raiseFindings(
      trx,
      ctx,
      origin,
      [
        {
          unitId: unit.id,
          source: input.source ?? 'manual',
          category: input.category,
          subcategory: input.subcategory,
          severity: input.severity ?? 'general',
          title: input.title,
          description: input.description,
          location: input.location,
          basis: input.basis,
          deadline: input.deadline,
          gridId: input.gridId,
          fileIds: input.fileIds,
          rectifiedOnSite: input.rectifiedOnSite,
        },
      ],
      { notify: input.notify !== false },
    ),
  );
  return getFinding(ctx, actor, findingIds[0]!);
}

// ---------- the loop ----------

type Step = 'start' | 'submit' | 'verify' | 'return' | 'extend' | 'comment';

const stateConflict = () =>
  conflict('FINDING_STATE', {
    zh: '该问题的状态已变化，请刷新后重试',
    en: 'The finding has changed state; refresh and retry',
  });

/** One step of the loop: checks who may take it, locks the row, changes it, writes timeline, audit, notices. */
async function step(
  ctx: AppContext,
  actor: Actor,
  id: string,
  kind: Step,
  origin: AuditOrigin,
  apply: (
    trx: Transaction<DB>,
    f: repo.FindingRow,
  ) => Promise<{ patch: Record<string, unknown>; event: Parameters<typeof addEvent>[4]; audit: unknown }>,
): Promise<FindingDetail> {
  const f = await repo.findFinding(ctx.db, actor, id);
  if (!f) throw notFound(FINDING);
  const access = {
    status: f.status,
    unit_path: f.unit_path,
    raiser_path: f.raiser_path,
    raised_by: f.raised_by,
  };
  const allowed =
    kind === 'start'
      ? findingPolicy.canStart(actor, access)
      : kind === 'submit'
        ? findingPolicy.canSubmit(actor, access)
        : kind === 'verify' || kind === 'return'
          ? findingPolicy.canVerify(actor, access)
          : kind === 'extend'
            ? findingPolicy.canExtend(actor, access)
            : true;
  if (!allowed) {
    // Allowed in principle but not in this state → 409; not this actor's part of the loop → 403.
    const inPrinciple =
      kind === 'start' || kind === 'submit'
        ? findingPolicy.canStart(actor, { ...access, status: 'rectifying' })
        : findingPolicy.isRaisingSide(actor, access);
    if (inPrinciple) throw stateConflict();
    throw forbidden(
      kind === 'start' || kind === 'submit'
        ? { zh: '只有责任单位可以整改和提交报告', en: 'Only the responsible unit rectifies and reports' }
        : {
            zh: '只有提出问题的一方可以验收、退回或延期',
            en: 'Only the raising side verifies, returns or extends',
          },
    );
  }
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockFinding(trx, id);
    if (locked.status !== f.status) throw stateConflict();
    const { patch, event, audit } = await apply(trx, f);
    if (Object.keys(patch).length > 0)
      await trx
        .updateTable('finding')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    await addEvent(trx, actor, id, kind === 'verify' ? 'close' : kind, event);
    await recordAudit(trx, origin, {
      action: `finding.${kind}`,
      objectType: 'finding',
      objectId: id,
      unitId: f.unit_id,
      before: { status: f.status, deadline: f.deadline },
      after: audit,
    });
  });
  return getFinding(ctx, actor, id);
}

export function startRectification(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { measures: string; interimControls?: string },
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, 'start', origin, (_trx, f) => {
    if (f.severity === 'serious' && !input.interimControls)
      throw badRequest('FINDING_INTERIM_CONTROLS', {
        zh: '重大隐患须填写整改完成前的临时管控措施',
        en: 'A serious hazard needs interim controls until it is put right',
      });
    return Promise.resolve({
      patch: {
        status: 'rectifying',
        measures: input.measures,
        interim_controls: input.interimControls ?? null,
      },
      event: {
        unitId: f.unit_id,
        note: input.measures,
        data: { interimControls: input.interimControls ?? null },
      },
      audit: {
        status: 'rectifying',
        measures: input.measures,
        interimControls: input.interimControls ?? null,
      },
    });
  });
}

export function submitRectification(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { report: string; completedOn: string; fileIds?: string[] },
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, 'submit', origin, async (trx, f) => {
    if (input.completedOn > chinaToday())
      throw badRequest('FINDING_COMPLETED_FUTURE', {
        zh: '整改完成日期不能晚于今天',
        en: 'The completion date cannot be in the future',
      });
    if (input.completedOn < f.raised_on)
      throw badRequest('FINDING_COMPLETED_BEFORE', {
        zh: '整改完成日期不能早于发现日期',
        en: 'The completion date cannot be before the finding was raised',
      });
    const fileIds = await assertFiles(trx, actor, input.fileIds, f.unit_id);
    // The person who raised it hears of the report; when that is nobody else (the system, or the reporter
    // themself), the raising unit's administrators do.
    const note = {
      kind: 'finding.submitted',
      title: `${f.unit_name} 提交整改报告：${f.title}`,
      body: '请验收',
      link: `/findings/${f.id}`,
      objectType: 'finding',
      objectId: f.id,
    };
    if (f.raised_by && f.raised_by !== actor.userId) await notifyUsers(trx, [f.raised_by], note);
    else await notifyUnit(trx, f.raised_by_unit_id, UNIT_ROLES, note);
    return {
      patch: { status: 'submitted' },
      event: { unitId: f.unit_id, note: input.report, data: { completedOn: input.completedOn }, fileIds },
      audit: { status: 'submitted', report: input.report, completedOn: input.completedOn, fileIds },
    };
  });
}

export function verifyFinding(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { note?: string },
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, 'verify', origin, async (trx, f) => {
    const today = chinaToday();
    await notifyUnit(trx, f.unit_id, UNIT_ROLES, {
      kind: 'finding.closed',
      title: `已验收销号：${f.title}`,
      link: `/findings/${f.id}`,
      objectType: 'finding',
      objectId: f.id,
    });
    return {
      patch: { status: 'closed', closed_on: today },
      event: { unitId: f.raised_by_unit_id, note: input.note ?? null },
      audit: { status: 'closed', closedOn: today, note: input.note ?? null },
    };
  });
}

export function returnFinding(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { reason: string },
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, 'return', origin, async (trx, f) => {
    await notifyUnit(trx, f.unit_id, UNIT_ROLES, {
      kind: 'finding.returned',
      title: `整改未通过验收：${f.title}`,
      body: input.reason,
      link: `/findings/${f.id}`,
      objectType: 'finding',
      objectId: f.id,
    });
    return {
      patch: { status: 'rectifying', return_count: f.return_count + 1 },
      event: { unitId: f.raised_by_unit_id, note: input.reason },
      audit: { status: 'rectifying', reason: input.reason, returnCount: f.return_count + 1 },
    };
  });
}

export function extendFinding(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { deadline: string; reason: string },
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, 'extend', origin, (_trx, f) => {
    if (input.deadline <= f.deadline || input.deadline < chinaToday())
      throw badRequest('FINDING_EXTEND_DATE', {
        zh: '新的整改期限须晚于原期限且不早于今天',
        en: 'The new deadline must be later than the old one and not in the past',
      });
    return Promise.resolve({
      // A new deadline lifts the escalation: the parent unit is told again if this one passes too.
      patch: { deadline: input.deadline, escalated_at: null, escalated_to_unit_id: null },
      event: {
        unitId: f.raised_by_unit_id,
        note: input.reason,
        data: { from: f.deadline, to: input.deadline },
      },
      audit: { deadline: input.deadline, reason: input.reason },
    });
  });
}

export function commentFinding(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { note: string; fileIds?: string[] },
  origin: AuditOrigin,
) {
  return step(ctx, actor, id, 'comment', origin, async (trx, f) => {
    const fileIds = await assertFiles(trx, actor, input.fileIds, [f.unit_id, f.raised_by_unit_id]);
    return { patch: {}, event: { note: input.note, fileIds }, audit: { note: input.note, fileIds } };
  });
}

// ---------- notices ----------

/** Sends 待下发 findings of one unit under a numbered 整改通知书. */
export async function createNotice(
  ctx: AppContext,
  actor: Actor,
  input: { findingIds: string[]; deadline?: string; note?: string },
  origin: AuditOrigin,
): Promise<Notice> {
  const ids = [...new Set(input.findingIds)];
  const found = await Promise.all(ids.map((id) => repo.findFinding(ctx.db, actor, id)));
  if (found.some((f) => !f)) throw notFound(FINDING);
  const rows = found as repo.FindingRow[];
  const units = new Set(rows.map((r) => r.unit_id));
  const raisers = new Set(rows.map((r) => r.raised_by_unit_id));
  if (units.size > 1 || raisers.size > 1)
    throw badRequest('NOTICE_ONE_UNIT', {
      zh: '一份整改通知书只能包含同一提出单位、同一责任单位的问题',
      en: 'A notice holds the findings of one raising unit for one responsible unit',
    });
  for (const r of rows) {
    const access = {
      status: r.status,
      unit_path: r.unit_path,
      raiser_path: r.raiser_path,
      raised_by: r.raised_by,
    };
    if (!findingPolicy.canNotify(actor, access)) {
      if (findingPolicy.isRaisingSide(actor, access))
        throw conflict('FINDING_ALREADY_NOTIFIED', {
          zh: '所选问题中有已下发的，请刷新后重试',
          en: 'Some of these findings have already been sent; refresh and retry',
        });
      throw forbidden({
        zh: '只有提出问题的一方可以下发整改通知',
        en: 'Only the raising side sends a notice',
      });
    }
  }
  const first = rows[0]!;
  if (first.raised_by_unit_id === first.unit_id)
    throw badRequest('NOTICE_SELF', {
      zh: '本单位自查发现的问题无需下发整改通知书',
      en: 'Problems a unit found itself need no notice',
    });
  const id = await ctx.db
    .transaction()
    .execute((trx) =>
      issueNotice(
        trx,
        origin,
        { id: first.raised_by_unit_id, name: first.raiser_name },
        { id: first.unit_id, name: first.unit_name },
        ids,
        input,
      ),
    );
  return getNotice(ctx, actor, id);
}

export async function getNotice(ctx: AppContext, actor: Actor, id: string): Promise<Notice> {
  const n = await repo.findNotice(ctx.db, actor, id);
  if (!n) throw notFound(NOTICE);
  const items = await repo.noticeItems(ctx.db, id);
  return {
    id: n.id,
    no: n.no,
    issuedOn: n.issued_on,
    deadline: n.deadline,
    issuer: { id: n.issuer_unit_id, name: n.issuer_name },
    recipient: { id: n.unit_id, name: n.unit_name, code: n.unit_code, principal: n.principal },
    note: n.note,
    items: items.map((i) => ({
      findingId: i.id,
      no: i.no,
      category: i.category as FindingCategory,
      severity: i.severity as FindingSeverity,
      title: i.title,
      description: i.description,
      location: i.location,
      basis: i.basis,
      deadline: i.deadline,
      status: i.status as FindingDetail['status'],
    })),
  };
}

/** The default deadline for a severity, counted from today: 重大 7 days, 较大 15, 一般 30. */
export function defaultDeadline(severity: FindingSeverity, today = chinaToday()): string {
  return addDays(today, severity === 'serious' ? 7 : severity === 'major' ? 15 : 30);
}

/** The ledger export: the list's filters, within scope. */
export async function exportLedger(
  ctx: AppContext,
  actor: Actor,
  q: Omit<FindingListQuery, 'page' | 'pageSize'> & { format: 'xlsx' | 'csv' },
  origin: AuditOrigin,
) {
  const underPath = await underPathOf(ctx, actor, q.under);
  const scopeName = q.under
    ? (await ctx.db.selectFrom('unit').select('name').where('id', '=', q.under).executeTakeFirstOrThrow())
        .name
    : '';
  return exportFindings(ctx, actor, q, underPath, scopeName, origin);
}
