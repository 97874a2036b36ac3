/**
 * Responsibility agreements (目标管理责任书, 安全稳定目标责任书, 承诺书 …): which unit signed which agreement for
 * which year, with the signed document. A bureau issues a round (one kind, one year) to its counties or
 * schools; each unit uploads its signed document (PDF or image, through the file service's `storeFile`, its
 * type sniffed from the bytes) with the date and the signer; the issuer may return it with a reason, and the
 * unit uploads again. Scope: a round is seen by the issuer's side whole, and by each unit in it with its own
 * rows only; a signing by whoever covers its unit or the issuer.
 */
import type {
  AgreementKind,
  AgreementKindCreate,
  AgreementKindUpdate,
  AgreementRound,
  AgreementRoundCreate,
  AgreementRoundDetail,
  AgreementSigning,
  AgreementSignQuery,
  AgreementStatus,
} from '@dudao/contracts';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Readable } from 'node:stream';
import type { Actor } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { recordExport, writeXlsx } from '../../platform/exports/xlsx.js';
import { storeFile } from '../../platform/files/files.service.js';
import { notifyUnit } from '../../platform/notifications/notifications.service.js';
import { planPolicy, UNIT_ROLES } from './plans.policy.js';
import * as repo from './plans.repository.js';

const KIND = { zh: '责任书类型', en: 'Agreement kind' };
const ROUND = { zh: '责任书签订', en: 'Agreement round' };
const SIGNING = { zh: '责任书签订记录', en: 'Signing record' };
const UNIT = { zh: '单位', en: 'Unit' };
const STATUS_ZH: Record<AgreementStatus, string> = { pending: '未签', signed: '已签', returned: '已退回' };

// ---------- kinds ----------

function kindQuery(db: repo.Db, actor: Actor) {
  return db
    .selectFrom('agreement_kind as k')
    .leftJoin('unit as o', 'o.id', 'k.owner_unit_id')
    .selectAll('k')
    .select(['o.name as owner_name', 'o.code as owner_code', 'o.path as owner_path'])
    .where((eb) =>
      eb.or([eb('k.owner_unit_id', 'is', null), pathInScope(actor, 'plan.read', sql.ref('o.path'))]),
    );
}
type KindRow = Awaited<ReturnType<ReturnType<typeof kindQuery>['execute']>>[number];

function toKind(actor: Actor, k: KindRow): AgreementKind {
  return {
    id: k.id,
    ownerUnit: k.owner_unit_id
      ? { id: k.owner_unit_id, name: k.owner_name ?? '', code: k.owner_code ?? '' }
      : null,
    code: k.code,
    name: k.name,
    description: k.description,
    active: k.active,
    canManage: k.owner_path !== null && planPolicy.canManage(actor, { path: k.owner_path }),
  };
}

/** The built-in kinds and those of the bureaus in the reader's scope. */
export async function listKinds(ctx: AppContext, actor: Actor): Promise<{ items: AgreementKind[] }> {
  const rows = await kindQuery(ctx.db, actor)
    .orderBy(sql`k.owner_unit_id is not null`)
    .orderBy('k.created_at')
    .orderBy('k.id')
    .limit(500)
    .execute();
  return { items: rows.map((k) => toKind(actor, k)) };
}

async function managedBureau(ctx: AppContext, actor: Actor, unitId: string) {
  const unit = await repo.findUnit(ctx.db, actor, unitId, 'plan.read');
  if (!unit) throw notFound(UNIT);
  if (unit.kind === 'school')
    throw badRequest('AGREEMENT_ISSUER_KIND', {
      zh: '责任书由市、县教育局下发',
      en: 'Agreements are issued by a city or county bureau',
    });
  if (!planPolicy.canManage(actor, unit)) throw forbidden();
  return unit;
}

const nameTaken = (name: string) =>
  conflict('AGREEMENT_KIND_EXISTS', {
    zh: `责任书类型“${name}”已存在`,
    en: `Agreement kind “${name}” exists`,
  });

export async function createKind(
  ctx: AppContext,
  actor: Actor,
  input: AgreementKindCreate,
  origin: AuditOrigin,
): Promise<AgreementKind> {
  const owner = await managedBureau(ctx, actor, input.ownerUnitId);
  const id = timeOrderedId();
  await ctx.db.transaction().execute(async (trx) => {
    const dup = await trx
      .selectFrom('agreement_kind')
      .select('id')
      .where('name', '=', input.name)
      .where((eb) => eb.or([eb('owner_unit_id', 'is', null), eb('owner_unit_id', '=', owner.id)]))
      .executeTakeFirst();
    if (dup) throw nameTaken(input.name);
    await trx
      .insertInto('agreement_kind')
      .values({
        id,
        owner_unit_id: owner.id,
        code: null,
        name: input.name,
        description: input.description ?? null,
      })
      .execute();
    await recordAudit(trx, origin, {
      action: 'agreement.kind.create',
      objectType: 'agreement_kind',
      objectId: id,
      unitId: owner.id,
      after: input,
    });
  });
  const row = await kindQuery(ctx.db, actor).where('k.id', '=', id).executeTakeFirstOrThrow();
  return toKind(actor, row);
}

/** Renames, describes, or retires a bureau's own kind (the built-in kinds are the same for all and fixed). */
export async function updateKind(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: AgreementKindUpdate,
  origin: AuditOrigin,
): Promise<AgreementKind> {
  const k = await kindQuery(ctx.db, actor).where('k.id', '=', id).executeTakeFirst();
  if (!k) throw notFound(KIND);
  if (!k.owner_unit_id || !k.owner_path)
    throw badRequest('AGREEMENT_KIND_BUILTIN', {
      zh: '内置的责任书类型不能修改，可新增本单位的类型',
      en: 'Built-in kinds are fixed; add a kind of your own',
    });
  if (!planPolicy.canManage(actor, { path: k.owner_path })) throw forbidden();
  const ownerId = k.owner_unit_id;
  await ctx.db.transaction().execute(async (trx) => {
    if (input.name !== undefined && input.name !== k.name) {
      const dup = await trx
        .selectFrom('agreement_kind')
        .select('id')
        .where('name', '=', input.name)
        .where('id', '<>', id)
        .where((eb) => eb.or([eb('owner_unit_id', 'is', null), eb('owner_unit_id', '=', ownerId)]))
        .executeTakeFirst();
      if (dup) throw nameTaken(input.name);
    }
    await trx
      .updateTable('agreement_kind')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description || null } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, origin, {
      action: 'agreement.kind.update',
      objectType: 'agreement_kind',
      objectId: id,
      unitId: ownerId,
      before: { name: k.name, description: k.description, active: k.active },
      after: input,
    });
  });
  const row = await kindQuery(ctx.db, actor).where('k.id', '=', id).executeTakeFirstOrThrow();
  return toKind(actor, row);
}

// ---------- rounds ----------

/** Round r (issuer 'o') seen by the issuer's side, or by a unit that has a signing in it. */
function roundQuery(db: repo.Db, actor: Actor) {
  const issuerSide = pathInScope(actor, 'plan.read', sql.ref('o.path'));
  const own = pathInScope(actor, 'plan.read', sql.ref('su.path'));
  const count = (status?: AgreementStatus) =>
    sql<number>`(select count(*)::int from agreement_signing cs join unit su on su.id = cs.unit_id
      where cs.round_id = r.id and (${issuerSide} or ${own})${status ? sql` and cs.status = ${status}` : sql``})`;
  return db
    .selectFrom('agreement_round as r')
    .innerJoin('unit as o', 'o.id', 'r.issuer_unit_id')
    .innerJoin('agreement_kind as k', 'k.id', 'r.kind_id')
    .selectAll('r')
    .select([
      'o.name as issuer_name',
      'o.code as issuer_code',
      'o.path as issuer_path',
      'k.name as kind_name',
      count().as('n_total'),
      count('signed').as('n_signed'),
      count('pending').as('n_pending'),
      count('returned').as('n_returned'),
    ])
    .where(
      sql<SqlBool>`(${issuerSide} or exists (select 1 from agreement_signing vs join unit su on su.id = vs.unit_id
        where vs.round_id = r.id and ${own}))`,
    );
}
type RoundRow = Awaited<ReturnType<ReturnType<typeof roundQuery>['execute']>>[number];

function toRound(actor: Actor, r: RoundRow): AgreementRound {
  return {
    id: r.id,
    issuerUnit: { id: r.issuer_unit_id, name: r.issuer_name, code: r.issuer_code },
    kind: { id: r.kind_id, name: r.kind_name },
    year: r.year,
    title: r.title,
    unitKind: r.unit_kind,
    dueOn: r.due_on,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    counts: { total: r.n_total, signed: r.n_signed, pending: r.n_pending, returned: r.n_returned },
    canManage: planPolicy.canManage(actor, { path: r.issuer_path }),
  };
}

export async function listRounds(
  ctx: AppContext,
  actor: Actor,
  q: { year?: number; kindId?: string },
): Promise<{ items: AgreementRound[] }> {
  let query = roundQuery(ctx.db, actor);
  if (q.year) query = query.where('r.year', '=', q.year);
  if (q.kindId) query = query.where('r.kind_id', '=', q.kindId);
  const rows = await query.orderBy('r.year', 'desc').orderBy('r.created_at', 'desc').limit(200).execute();
  return { items: rows.map((r) => toRound(actor, r)) };
}

// ---------- signings ----------

/** Signing s (unit 'u', round 'r', issuer 'o') seen by whoever covers its unit or the issuer. */
function signingVisible(actor: Actor): Expression<SqlBool> {
  return sql<SqlBool>`(${pathInScope(actor, 'plan.read', sql.ref('u.path'))} or ${pathInScope(
    actor,
    'plan.read',
    sql.ref('o.path'),
  )})`;
}

function signingQuery(db: repo.Db, actor: Actor) {
  return db
    .selectFrom('agreement_signing as s')
    .innerJoin('agreement_round as r', 'r.id', 's.round_id')
    .innerJoin('agreement_kind as k', 'k.id', 'r.kind_id')
    .innerJoin('unit as u', 'u.id', 's.unit_id')
    .innerJoin('unit as o', 'o.id', 'r.issuer_unit_id')
    .leftJoin('stored_file as f', 'f.id', 's.file_id')
    .selectAll('s')
    .select([
      'r.title as round_title',
      'r.year',
      'r.due_on',
      'k.name as kind_name',
      'u.name as unit_name',
      'u.code as unit_code',
      'u.path as unit_path',
      'o.id as issuer_id',
      'o.name as issuer_name',
      'o.code as issuer_code',
      'o.path as issuer_path',
      'f.name as file_name',
      'f.size as file_size',
    ])
    .where(signingVisible(actor));
}
type SigningRow = Awaited<ReturnType<ReturnType<typeof signingQuery>['execute']>>[number];

function toSigning(actor: Actor, s: SigningRow): AgreementSigning {
  return {
    id: s.id,
    roundId: s.round_id,
    roundTitle: s.round_title,
    kindName: s.kind_name,
    year: s.year,
    issuerUnit: { id: s.issuer_id, name: s.issuer_name, code: s.issuer_code },
    unit: { id: s.unit_id, name: s.unit_name, code: s.unit_code },
    status: s.status,
    signedOn: s.signed_on,
    signerName: s.signer_name,
    signerRole: s.signer_role,
    file:
      s.file_id && s.file_type
        ? { id: s.file_id, name: s.file_name ?? '', contentType: s.file_type, size: s.file_size ?? 0 }
        : null,
    submittedAt: s.submitted_at?.toISOString() ?? null,
    submittedByName: s.submitted_by_name,
    returnedReason: s.returned_reason,
    returnedAt: s.returned_at?.toISOString() ?? null,
    dueOn: s.due_on,
    canSign: s.status !== 'signed' && planPolicy.canReport(actor, { path: s.unit_path }),
    canReturn: s.status === 'signed' && planPolicy.canManage(actor, { path: s.issuer_path }),
  };
}

export async function getRound(ctx: AppContext, actor: Actor, id: string): Promise<AgreementRoundDetail> {
  const r = await roundQuery(ctx.db, actor).where('r.id', '=', id).executeTakeFirst();
  if (!r) throw notFound(ROUND);
  const signings = await signingQuery(ctx.db, actor).where('s.round_id', '=', id).orderBy('u.code').execute();
  return { ...toRound(actor, r), signings: signings.map((s) => toSigning(actor, s)) };
}

/**
 * The signings of the units the actor holds a role at (“本单位责任书”): what it has to sign, across the rounds
 * of every bureau above it.
 */
export async function listSignings(
  ctx: AppContext,
  actor: Actor,
  q: { status?: AgreementStatus },
): Promise<{ items: AgreementSigning[] }> {
  const own = [...new Set(actor.grants.map((g) => g.unitId))];
  let query = signingQuery(ctx.db, actor).where(pathInScope(actor, 'plan.report', sql.ref('u.path')));
  if (actor.via !== 'system') query = query.where('s.unit_id', 'in', own.length ? own : [ZERO]);
  if (q.status) query = query.where('s.status', '=', q.status);
  const rows = await query.orderBy('r.year', 'desc').orderBy('r.created_at', 'desc').limit(500).execute();
  return { items: rows.map((s) => toSigning(actor, s)) };
}
const ZERO = '00000000-0000-0000-0000-000000000000';

/** Issues a round: one signing record per unit in scope, each unit told. */
export async function createRound(
  ctx: AppContext,
  actor: Actor,
  input: AgreementRoundCreate,
  origin: AuditOrigin,
): Promise<AgreementRoundDetail> {
  const issuer = await managedBureau(ctx, actor, input.issuerUnitId);
  const kind = await ctx.db
    .selectFrom('agreement_kind as k')
    .leftJoin('unit as ko', 'ko.id', 'k.owner_unit_id')
    .select(['k.id', 'k.name', 'k.active', 'ko.path as owner_path'])
    .where('k.id', '=', input.kindId)
    .executeTakeFirst();
  // A kind is usable by its own bureau and the bureaus under it, and the built-in ones by all.
  if (!kind || !kind.active || (kind.owner_path !== null && !issuer.path.startsWith(kind.owner_path)))
    throw badRequest('AGREEMENT_KIND', {
      zh: '所选责任书类型不存在或已停用',
      en: 'The agreement kind does not exist or is retired',
    });
  let units = await ctx.db
    .selectFrom('unit')
    .select(['id', 'name'])
    .where('path', 'like', `${issuer.path}%`)
    .where('id', '<>', issuer.id)
    .where('kind', '=', input.unitKind)
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
  if (input.unitIds) {
    const wanted = new Set(input.unitIds);
    const inScope = units.filter((u) => wanted.has(u.id));
    if (inScope.length !== wanted.size)
      throw badRequest('AGREEMENT_UNIT_OUTSIDE', {
        zh: '签订单位须为本单位所辖的县区或学校',
        en: 'The units must lie within the issuer’s area and be of the chosen kind',
      });
    units = inScope;
  }
  if (units.length === 0)
    throw badRequest('AGREEMENT_NO_UNITS', {
      zh: '所辖范围内没有该类单位',
      en: 'There are no units of that kind in the issuer’s area',
    });
  const dup = await ctx.db
    .selectFrom('agreement_round')
    .select('id')
    .where('issuer_unit_id', '=', issuer.id)
    .where('kind_id', '=', kind.id)
    .where('year', '=', input.year)
    .where('unit_kind', '=', input.unitKind)
    .executeTakeFirst();
  if (dup)
    throw conflict('AGREEMENT_ROUND_EXISTS', {
      zh: `${input.year} 年度的“${kind.name}”已下发`,
      en: `This year's “${kind.name}” has been issued already`,
    });
  const id = timeOrderedId();
  const title = input.title ?? `${input.year}年度${kind.name}`;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('agreement_round')
      .values({
        id,
        issuer_unit_id: issuer.id,
        kind_id: kind.id,
        year: input.year,
        title,
        unit_kind: input.unitKind,
        due_on: input.dueOn ?? null,
        note: input.note ?? null,
        created_by: actor.userId,
      })
      .execute();
    const rows = units.map((u) => ({ id: timeOrderedId(), round_id: id, unit_id: u.id }));
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('agreement_signing')
        .values(rows.slice(i, i + 500))
        .execute();
    for (const [i, u] of units.entries())
      await notifyUnit(trx, u.id, UNIT_ROLES, {
        kind: 'agreement.issued',
        title: `请签订：${title}`,
        body: `${issuer.name}下发${input.dueOn ? `，请于 ${input.dueOn} 前上传签订文本` : '，请上传签订文本'}`,
        link: `/agreements/mine`,
        objectType: 'agreement_signing',
        objectId: rows[i]!.id,
      });
    await recordAudit(trx, origin, {
      action: 'agreement.round.create',
      objectType: 'agreement_round',
      objectId: id,
      unitId: issuer.id,
      after: { ...input, title, units: units.length },
    });
  });
  return getRound(ctx, actor, id);
}

async function findSigning(ctx: AppContext, actor: Actor, id: string) {
  const s = await signingQuery(ctx.db, actor).where('s.id', '=', id).executeTakeFirst();
  if (!s) throw notFound(SIGNING);
  return s;
}

/**
 * A unit uploads its signed document (the raw request body, stored by `storeFile`: PDF or image, sniffed)
 * with the date it was signed and the signer. Allowed while not signed (pending or returned).
 */
export async function signAgreement(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: AgreementSignQuery,
  upload: { source: Readable | null; fileName: string; declaredLength?: number },
  origin: AuditOrigin,
  today = chinaToday(),
): Promise<AgreementSigning> {
  const drain = () => upload.source?.resume();
  const s = await findSigning(ctx, actor, id).catch((err: unknown) => {
    drain();
    throw err;
  });
  if (!planPolicy.canReport(actor, { path: s.unit_path })) {
    drain();
    throw forbidden();
  }
  if (s.status === 'signed') {
    drain();
    throw conflict('AGREEMENT_SIGNED', {
      zh: '已上传签订文本；如需更换，请下发单位先退回',
      en: 'Already signed; the issuer must return it before another upload',
    });
  }
  if (input.signedOn > today) {
    drain();
    throw badRequest('AGREEMENT_SIGNED_ON', {
      zh: '签订日期不能晚于今天',
      en: 'The signing date cannot be in the future',
    });
  }
  const file = await storeFile(
    ctx,
    actor,
    {
      unitId: s.unit_id,
      fileName: upload.fileName,
      source: upload.source,
      declaredLength: upload.declaredLength,
    },
    origin,
  );
  await ctx.db.transaction().execute(async (trx) => {
    const upd = await trx
      .updateTable('agreement_signing')
      .set({
        status: 'signed',
        signed_on: input.signedOn,
        signer_name: input.signerName,
        signer_role: input.signerRole || null,
        file_id: file.id,
        file_type: file.contentType,
        submitted_at: new Date(),
        submitted_by_name: actor.displayName,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('status', '<>', 'signed')
      .executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1)
      throw conflict('AGREEMENT_SIGNED', {
        zh: '已上传签订文本；如需更换，请下发单位先退回',
        en: 'Already signed; the issuer must return it before another upload',
      });
    await recordAudit(trx, origin, {
      action: 'agreement.sign',
      objectType: 'agreement_signing',
      objectId: id,
      unitId: s.unit_id,
      before: { status: s.status, fileId: s.file_id, returnedReason: s.returned_reason },
      after: { status: 'signed', ...input, fileId: file.id, contentType: file.contentType },
    });
  });
  return toSigning(actor, await findSigning(ctx, actor, id));
}

/** The issuer returns a signed document (wrong version, missing seal …) with the reason; the unit is told. */
export async function returnSigning(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
  origin: AuditOrigin,
): Promise<AgreementSigning> {
  const s = await findSigning(ctx, actor, id);
  if (!planPolicy.canManage(actor, { path: s.issuer_path })) throw forbidden();
  if (s.status !== 'signed')
    throw conflict('AGREEMENT_NOT_SIGNED', {
      zh: '只能退回已签订的责任书',
      en: 'Only a signed agreement can be returned',
    });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('agreement_signing')
      .set({
        status: 'returned',
        returned_reason: reason,
        returned_at: new Date(),
        returned_by_name: actor.displayName,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await notifyUnit(trx, s.unit_id, UNIT_ROLES, {
      kind: 'agreement.returned',
      title: `责任书被退回：${s.round_title}`,
      body: reason,
      link: `/agreements/mine`,
      objectType: 'agreement_signing',
      objectId: id,
    });
    await recordAudit(trx, origin, {
      action: 'agreement.return',
      objectType: 'agreement_signing',
      objectId: id,
      unitId: s.unit_id,
      before: { status: s.status, signedOn: s.signed_on, fileId: s.file_id },
      after: { status: 'returned', reason },
    });
  });
  return toSigning(actor, await findSigning(ctx, actor, id));
}

interface XRow {
  s: AgreementSigning;
}

/** The round as a framed A4 sheet: every unit the reader may see, its status, date, signer and document. */
export async function exportRound(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: AuditOrigin,
): Promise<{ buffer: Buffer; fileName: string }> {
  const r = await getRound(ctx, actor, id);
  const rows: XRow[] = r.signings.map((s) => ({ s }));
  const buffer = await writeXlsx<XRow>({
    title: `${r.title}签订情况`,
    subtitle: `${r.issuerUnit.name}\u3000共 ${r.counts.total} 个单位，已签 ${r.counts.signed}，未签 ${r.counts.pending}，已退回 ${r.counts.returned}\u3000导出于 ${chinaToday()}`,
    sheetName: '签订情况',
    columns: [
      { header: '序号', width: 6, value: (_, i) => i + 1 },
      { header: '单位代码', width: 14, value: ({ s }) => s.unit.code },
      { header: '单位', width: 28, value: ({ s }) => s.unit.name },
      { header: '状态', width: 8, value: ({ s }) => STATUS_ZH[s.status] },
      { header: '签订日期', width: 12, value: ({ s }) => s.signedOn },
      { header: '签订人', width: 12, value: ({ s }) => s.signerName },
      { header: '职务', width: 14, value: ({ s }) => s.signerRole },
      { header: '签订文本', width: 30, value: ({ s }) => s.file?.name ?? null },
      { header: '退回原因', width: 30, value: ({ s }) => s.returnedReason },
    ],
    rows,
  });
  await recordExport(ctx, origin, {
    what: 'agreement_round',
    unitId: r.issuerUnit.id,
    rows: rows.length,
    filter: { id },
  });
  return { buffer, fileName: `${r.title}签订情况.xlsx` };
}
