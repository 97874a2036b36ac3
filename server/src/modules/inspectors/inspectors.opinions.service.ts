/**
 * 督导意见书: the opinion an inspector issues after visits, the school's 整改报告 and its verification.
 */
import {
  type FindingCategory,
  type FindingSeverity,
  type FindingStatus,
  type Opinion,
  type OpinionCreate,
  type OpinionDetail,
  type OpinionListQuery,
  type OpinionPage,
  type OpinionState,
} from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertFiles } from '../../platform/files/files.service.js';
import { notifyUnit, notifyUsers } from '../../platform/notifications/notifications.service.js';
import { findDivision } from '../../platform/regions/divisions.js';
import { inspectorPolicy } from './inspectors.policy.js';
import * as repo from './inspectors.repository.js';
import { VISIT_SOURCE_TYPE } from './inspectors.service.js';

const SCHOOL = { zh: '学校', en: 'School' };
const UNIT = { zh: '单位', en: 'Unit' };
const VISIT = { zh: '督导记录', en: 'Visit' };
const OPINION = { zh: '督导意见书', en: 'Supervision opinion' };

const OPINION_DOC_KIND = 'inspector_opinion';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

// ---------- 督导意见书 ----------

export function opinionState(status: string, openFindings: number): OpinionState {
  if (status === 'issued') return 'rectifying';
  if (status === 'returned') return 'returned';
  if (status === 'submitted') return 'submitted';
  return openFindings > 0 ? 'closing' : 'done';
}

function toOpinion(r: Omit<repo.OpinionRow, never>, today: string): Opinion {
  return {
    id: r.id,
    no: r.no,
    visitId: r.visit_id,
    visitDate: r.visit_date,
    schoolId: r.school_id,
    schoolName: r.school_name,
    inspectorId: r.inspector_id,
    inspectorName: r.inspector_name,
    bureauId: r.bureau_id,
    bureauName: r.bureau_name,
    issuedOn: r.issued_on,
    deadline: r.deadline,
    status: r.status,
    state: opinionState(r.status, r.open_findings),
    overdue: (r.status === 'issued' || r.status === 'returned') && r.deadline < today,
    findingCount: r.finding_count,
    openFindings: r.open_findings,
    returnCount: r.return_count,
  };
}

/** "铁西区督意〔2026〕5号": the bureau's division name (or its name without 教育局), the year and the number. */
function opinionNo(bureau: { name: string; region_code: string }, year: number, seq: number): string {
  const prefix =
    findDivision(bureau.region_code)?.name ?? bureau.name.replace(/(教育局|教育和体育局|教育体育局)$/, '');
  return `${prefix}督意〔${year}〕${seq}号`;
}

export async function listOpinions(ctx: AppContext, actor: Actor, q: OpinionListQuery): Promise<OpinionPage> {
  let underPath: string | undefined;
  if (q.under) {
    const under = await repo.findUnit(ctx.db, actor, q.under, 'finding.read');
    if (!under) throw notFound(UNIT);
    underPath = under.path;
  }
  if (q.schoolId && !(await repo.findSchool(ctx.db, actor, q.schoolId, 'finding.read')))
    throw notFound(SCHOOL);
  if (q.visitId && !(await repo.findVisit(ctx.db, actor, q.visitId))) throw notFound(VISIT);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listOpinions(ctx.db, actor, {
    underPath,
    schoolId: q.schoolId,
    visitId: q.visitId,
    state: q.state,
    year: q.year,
    page,
    pageSize,
  });
  const today = chinaToday();
  return { items: rows.map((r) => toOpinion(r, today)), total, page, pageSize };
}

async function loadOpinion(ctx: AppContext, actor: Actor, id: string): Promise<repo.OpinionRow> {
  const row = await repo.findOpinion(ctx.db, actor, id);
  if (!row) throw notFound(OPINION);
  return row;
}

export async function getOpinion(ctx: AppContext, actor: Actor, id: string): Promise<OpinionDetail> {
  const r = await loadOpinion(ctx, actor, id);
  const [findings, events] = await Promise.all([
    repo.opinionFindings(ctx.db, id),
    repo.opinionEvents(ctx.db, id),
  ]);
  return {
    ...toOpinion(r, chinaToday()),
    content: r.content,
    requirements: r.requirements,
    school: {
      id: r.school_id,
      name: r.school_name,
      code: r.school_code,
      principal: r.school_principal,
      address: r.school_address,
    },
    findings: findings.map((f) => ({
      id: f.id,
      no: f.no,
      category: f.category as FindingCategory,
      severity: f.severity as FindingSeverity,
      title: f.title,
      description: f.description,
      status: f.status as FindingStatus,
      deadline: f.deadline,
    })),
    report:
      r.report_text !== null && r.report_submitted_at !== null
        ? {
            text: r.report_text,
            fileIds: r.report_file_ids,
            submittedAt: iso(r.report_submitted_at)!,
            submittedBy: r.report_submitted_by_name,
          }
        : null,
    verifyNote: r.verify_note,
    events: events.map((e) => ({
      kind: e.kind,
      at: iso(e.at)!,
      actorName: e.actor_name,
      note: e.note,
      fileIds: e.file_ids,
    })),
    can: {
      report: (r.status === 'issued' || r.status === 'returned') && inspectorPolicy.canReport(actor, r),
      verify: r.status === 'submitted' && inspectorPolicy.canVerify(actor, r),
    },
  };
}

const opinionStateError = (zh: string, en: string) => conflict('OPINION_STATE', { zh, en });

/** Issues the 督导意见书 of a visit: numbered per bureau and year, listing the visit's findings. */
export async function createOpinion(
  ctx: AppContext,
  actor: Actor,
  visitId: string,
  input: OpinionCreate,
  origin: AuditOrigin,
): Promise<OpinionDetail> {
  const visit = await repo.findVisit(ctx.db, actor, visitId);
  if (!visit) throw notFound(VISIT);
  if (!inspectorPolicy.canIssueOpinion(actor, visit)) throw forbidden();
  if (visit.opinion_id)
    throw conflict('OPINION_EXISTS', {
      zh: `该次督导已下达督导意见书（${visit.opinion_no ?? ''}）`,
      en: `An opinion was already issued for this visit (${visit.opinion_no ?? ''})`,
    });
  const today = chinaToday();
  if (input.deadline < today)
    throw badRequest(
      'OPINION_DEADLINE_PAST',
      { zh: '整改期限不能早于今天', en: 'The deadline cannot be in the past' },
      [{ path: 'body/deadline', message: 'OPINION_DEADLINE_PAST' }],
    );
  const visitFindings = await repo.findingsOfSource(ctx.db, VISIT_SOURCE_TYPE, visit.id);
  let findingIds: string[];
  if (input.findingIds) {
    const known = new Set(visitFindings.map((f) => f.id));
    findingIds = [...new Set(input.findingIds)];
    if (findingIds.some((id) => !known.has(id)))
      throw badRequest(
        'OPINION_FINDING_UNKNOWN',
        { zh: '只能列入本次督导发现的问题', en: "Only this visit's findings can be listed" },
        [{ path: 'body/findingIds', message: 'OPINION_FINDING_UNKNOWN' }],
      );
  } else {
    findingIds = visitFindings.filter((f) => f.status !== 'closed').map((f) => f.id);
  }
  const [bureau] = await repo.unitsById(ctx.db, [visit.bureau_id]);
  const year = Number(today.slice(0, 4));
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const seq = await repo.nextDocNumber(trx, visit.bureau_id, OPINION_DOC_KIND, year);
    const no = opinionNo(bureau!, year, seq);
    await repo.insertOpinion(
      trx,
      {
        id,
        no,
        bureau_id: visit.bureau_id,
        year,
        seq,
        visit_id: visit.id,
        school_id: visit.school_id,
        inspector_id: visit.inspector_id,
        issued_on: today,
        deadline: input.deadline,
        content: input.content,
        requirements: input.requirements || null,
        status: 'issued',
      },
      findingIds,
    );
    await repo.insertOpinionEvent(trx, {
      id: timeOrderedId(),
      opinion_id: id,
      kind: 'issue',
      actor_id: actor.userId,
      actor_name: actor.displayName,
      note: null,
      file_ids: [],
    });
    await recordAudit(trx, origin, {
      action: 'inspector.opinion.issue',
      objectType: 'inspector_opinion',
      objectId: id,
      unitId: visit.school_id,
      after: { no, visitId: visit.id, deadline: input.deadline, findingIds },
    });
    await notifyUnit(trx, visit.school_id, ['school_admin'], {
      kind: 'inspector.opinion',
      title: `督导意见书 ${no}`,
      body: `请于 ${input.deadline} 前提交整改报告`,
      link: `/inspectors/opinions/${id}`,
      objectType: 'inspector_opinion',
      objectId: id,
    });
  });
  return getOpinion(ctx, actor, id);
}

/** The school's 整改报告 on an opinion (again after a return); it goes to the inspector for verification. */
export async function submitReport(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { text: string; fileIds?: string[] },
  origin: AuditOrigin,
): Promise<OpinionDetail> {
  const r = await loadOpinion(ctx, actor, id);
  if (!inspectorPolicy.canReport(actor, r)) throw forbidden();
  const files = await assertFiles(ctx.db, actor, input.fileIds, r.school_id);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockOpinion(trx, id);
    if (locked.status !== 'issued' && locked.status !== 'returned')
      throw opinionStateError('该意见书现在不需要提交整改报告', 'This opinion is not waiting for a report');
    await repo.updateOpinion(trx, id, {
      status: 'submitted',
      report_text: input.text,
      report_file_ids: files,
      report_submitted_at: new Date(),
      report_submitted_by: actor.userId,
    });
    await repo.insertOpinionEvent(trx, {
      id: timeOrderedId(),
      opinion_id: id,
      kind: 'report',
      actor_id: actor.userId,
      actor_name: actor.displayName,
      note: input.text,
      file_ids: files,
    });
    await recordAudit(trx, origin, {
      action: 'inspector.opinion.report',
      objectType: 'inspector_opinion',
      objectId: id,
      unitId: r.school_id,
      before: { status: locked.status },
      after: { status: 'submitted', text: input.text, fileIds: files },
    });
    await notifyUsers(trx, [r.inspector_id], {
      kind: 'inspector.opinion.report',
      title: `${r.school_name}提交了整改报告（${r.no}）`,
      link: `/inspectors/opinions/${id}`,
      objectType: 'inspector_opinion',
      objectId: id,
    });
  });
  return getOpinion(ctx, actor, id);
}

/** The inspector (or their bureau) accepts the report, or returns it with the reason. */
export async function verifyReport(
  ctx: AppContext,
  actor: Actor,
  id: string,
  decision: { accept: true; note?: string } | { accept: false; reason: string },
  origin: AuditOrigin,
): Promise<OpinionDetail> {
  const r = await loadOpinion(ctx, actor, id);
  if (!inspectorPolicy.canVerify(actor, r)) throw forbidden();
  const note = decision.accept ? (decision.note ?? null) : decision.reason;
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockOpinion(trx, id);
    if (locked.status !== 'submitted')
      throw opinionStateError(
        '该意见书没有待验收的整改报告',
        'This opinion has no report waiting for verification',
      );
    await repo.updateOpinion(
      trx,
      id,
      decision.accept
        ? { status: 'accepted', verified_at: new Date(), verified_by: actor.userId, verify_note: note }
        : { status: 'returned', verify_note: note, return_count: r.return_count + 1 },
    );
    await repo.insertOpinionEvent(trx, {
      id: timeOrderedId(),
      opinion_id: id,
      kind: decision.accept ? 'accept' : 'return',
      actor_id: actor.userId,
      actor_name: actor.displayName,
      note,
      file_ids: [],
    });
    await recordAudit(trx, origin, {
      action: decision.accept ? 'inspector.opinion.accept' : 'inspector.opinion.return',
      objectType: 'inspector_opinion',
      objectId: id,
      unitId: r.school_id,
      before: { status: 'submitted' },
      after: { status: decision.accept ? 'accepted' : 'returned', note },
    });
    await notifyUnit(trx, r.school_id, ['school_admin'], {
      kind: decision.accept ? 'inspector.opinion.accept' : 'inspector.opinion.return',
      title: decision.accept ? `整改报告已验收通过（${r.no}）` : `整改报告被退回，请重新整改（${r.no}）`,
      body: note,
      link: `/inspectors/opinions/${id}`,
      objectType: 'inspector_opinion',
      objectId: id,
    });
  });
  return getOpinion(ctx, actor, id);
}
