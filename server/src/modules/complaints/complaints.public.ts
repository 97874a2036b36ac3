/**
 * The public portal's side of the desk (no login): a captcha, the complaint form with an optional photo,
 * the tracking page (tracking number + last four digits of the phone) and the complainant's satisfaction.
 * Nothing here returns personal data, staff names or internal notes.
 *
 * The captcha is an arithmetic question generated here, stateless: the token carries a nonce and an
 * expiry and is signed with an HMAC over the answer (the platform vault's keyed hash), so the server keeps
 * nothing until it is answered; an answered nonce is remembered until it expires, so a token is good once.
 * It is a speed bump against scripts posting the form blindly, not a wall: the per-IP rate limits and the
 * honeypot field are the other two layers, and every complaint is read by a person at the desk.
 */
import type {
  Captcha,
  PublicComplaintReceipt,
  PublicComplaintSubmit,
  PublicComplaintTarget,
  PublicComplaintView,
  PublicRateRequest,
  PublicTrackRequest,
  Satisfaction,
  ComplaintEventKind,
} from '@dudao/contracts';
import { complaintEventLabels } from '@dudao/contracts';
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { systemActor } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { sniffFileType, storeFile } from '../../platform/files/files.service.js';
import { rateIn } from './complaints.loop.js';
import { COMPLAINT, insertComplaint } from './complaints.service.js';
import * as repo from './complaints.repository.js';
import { rootUnit } from '../../platform/access/scope.js';

export const CAPTCHA_TTL_SECONDS = 600;
export const PUBLIC_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

const sign = (ctx: AppContext, nonce: string, exp: number, answer: string) =>
  ctx.vault.hmac(`complaint-captcha|${nonce}|${exp}|${answer}`);

function escapeXml(s: string) {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A new challenge: `{token, svg}` for the page, and the answer (returned to tests, never sent out). */
export function issueCaptcha(ctx: AppContext, now = Date.now()): Captcha & { answer: string } {
  const plus = randomInt(2) === 0;
  let a = randomInt(2, 20);
  let b = randomInt(1, 10);
  if (!plus && b > a) [a, b] = [b, a];
  const answer = String(plus ? a + b : a - b);
  const nonce = randomBytes(12).toString('base64url');
  const exp = Math.floor(now / 1000) + CAPTCHA_TTL_SECONDS;
  const token = `${nonce}.${exp}.${sign(ctx, nonce, exp, answer)}`;
  const text = `${a} ${plus ? '+' : '−'} ${b} = ?`;
  const chars = [...text]
    .map((ch, i) => {
      const x = 12 + i * 14;
      const y = 30 + randomInt(-4, 5);
      const r = randomInt(-18, 19);
      return `<text x="${x}" y="${y}" transform="rotate(${r} ${x} ${y})">${escapeXml(ch)}</text>`;
    })
    .join('');
  const lines = Array.from({ length: 5 }, () => {
    const [x1, y1, x2, y2] = [randomInt(0, 60), randomInt(0, 44), randomInt(100, 170), randomInt(0, 44)];
    return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#9aa" stroke-width="1"/>`;
  }).join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="170" height="44" viewBox="0 0 170 44" role="img" aria-label="captcha">` +
    `<rect width="170" height="44" fill="#f4f6f8"/>${lines}` +
    `<g font-family="monospace" font-size="22" font-weight="bold" fill="#234">${chars}</g></svg>`;
  return { token, svg, expiresInSeconds: CAPTCHA_TTL_SECONDS, answer };
}

const captchaError = (code: string, zh: string, en: string) => badRequest(code, { zh, en });

/** Checks an answer: the signature, the expiry, and that the token was not used before (then marks it used). */
export async function verifyCaptcha(ctx: AppContext, token: string, answer: string, now = Date.now()) {
  const [nonce, expText, sig] = token.split('.');
  const exp = Number(expText);
  if (!nonce || !sig || !Number.isInteger(exp))
    throw captchaError('CAPTCHA_INVALID', '验证码无效，请刷新后重试', 'Invalid captcha; get a new one');
  if (exp * 1000 < now)
    throw captchaError(
      'CAPTCHA_EXPIRED',
      '验证码已过期，请刷新后重试',
      'The captcha has expired; get a new one',
    );
  const expected = Buffer.from(sign(ctx, nonce, exp, answer.trim()));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw captchaError('CAPTCHA_WRONG', '验证码答案不正确', 'Wrong captcha answer');
  await ctx.db.deleteFrom('complaint_captcha_used').where('expires_at', '<', new Date(now)).execute();
  const used = await ctx.db
    .insertInto('complaint_captcha_used')
    .values({ nonce, expires_at: new Date(exp * 1000) })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .executeTakeFirst();
  if (Number(used.numInsertedOrUpdatedRows ?? 0) === 0)
    throw captchaError(
      'CAPTCHA_USED',
      '验证码已使用，请刷新后重试',
      'The captcha was already used; get a new one',
    );
}

/** Schools and county bureaus whose name contains `q` (public facts only), for the form's picker. */
export async function searchTargets(ctx: AppContext, q: string): Promise<PublicComplaintTarget[]> {
  const like = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  const rows = await ctx.db
    .selectFrom('unit as u')
    .leftJoin('unit as p', 'p.id', 'u.parent_id')
    .select(['u.id', 'u.name', 'u.kind', 'p.name as parent_name', 'p.kind as parent_kind'])
    .where('u.status', '=', 'active')
    .where('u.kind', 'in', ['school', 'county_bureau'])
    .where('u.name', 'ilike', like)
    .orderBy('u.kind')
    .orderBy('u.name')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind as 'school' | 'county_bureau',
    countyName: r.kind === 'school' && r.parent_kind === 'county_bureau' ? r.parent_name : null,
  }));
}

async function deskRoot(ctx: AppContext) {
  const root = await rootUnit(ctx.db);
  if (!root) throw notFound({ zh: '受理单位', en: 'Desk' });
  return root;
}

/**
 * A photo for the public form: images only (sniffed from the bytes), at most 5 MB, stored through the
 * platform's file service as the system, owned by the root bureau until the complaint takes it to its desk.
 */
export async function uploadPublicPhoto(
  ctx: AppContext,
  source: Readable | null,
  fileName: string,
  declaredLength: number | undefined,
  origin: AuditOrigin,
) {
  const tooLarge = () =>
    new AppError(
      413,
      'FILE_TOO_LARGE',
      { zh: '照片不能超过 5 MB', en: 'The photo may not exceed 5 MB' },
      undefined,
      {
        connection: 'close',
      },
    );
  if (!source)
    throw badRequest('UPLOAD_BODY', { zh: '请上传照片', en: 'Send the photo as the request body' });
  if (declaredLength !== undefined && declaredLength > PUBLIC_PHOTO_MAX_BYTES) {
    source.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += (chunk as Buffer).length;
    if (size > PUBLIC_PHOTO_MAX_BYTES) {
      source.destroy();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  const data = Buffer.concat(chunks);
  const type = sniffFileType(data.subarray(0, 16));
  if (!type || !PHOTO_TYPES.has(type))
    throw badRequest('FILE_TYPE', {
      zh: '只能上传照片（JPEG、PNG、WebP、GIF）',
      en: 'Only photos (JPEG, PNG, WebP, GIF) can be uploaded',
    });
  const root = await deskRoot(ctx);
  const safeName = fileName.replace(/[^\p{L}\p{N}._-]/gu, '_').slice(0, 80) || 'photo';
  const stored = await storeFile(
    ctx,
    systemActor('portal'),
    { unitId: root.id, fileName: safeName, source: Readable.from([data]) },
    origin,
  );
  return { id: stored.id, size: stored.size };
}

/** Submits a complaint from the portal; the captcha and honeypot are checked before anything is written. */
export async function submitPublicComplaint(
  ctx: AppContext,
  input: PublicComplaintSubmit,
  origin: AuditOrigin,
): Promise<PublicComplaintReceipt> {
  // A honeypot filled in: a script. Same answer as a wrong captcha would invite probing; say it plainly.
  if (input.website && input.website.trim() !== '')
    throw badRequest('COMPLAINT_REJECTED', {
      zh: '提交未被受理，请刷新页面后重试',
      en: 'Not accepted; reload and try again',
    });
  await verifyCaptcha(ctx, input.captchaToken, input.captchaAnswer);
  const root = await deskRoot(ctx);
  let desk: { id: string; path: string } = root;
  let schoolId: string | null = null;
  if (input.unitId) {
    const u = await ctx.db
      .selectFrom('unit as u')
      .leftJoin('unit as p', 'p.id', 'u.parent_id')
      .select([
        'u.id',
        'u.kind',
        'u.path',
        'p.id as parent_id',
        'p.path as parent_path',
        'p.kind as parent_kind',
      ])
      .where('u.id', '=', input.unitId)
      .where('u.status', '=', 'active')
      .executeTakeFirst();
    if (!u || u.kind === 'city_bureau')
      throw badRequest('COMPLAINT_SCHOOL', {
        zh: '请从列表中选择学校或教育局',
        en: 'Pick a school or bureau from the list',
      });
    if (u.kind === 'school') {
      schoolId = u.id;
      if (u.parent_id && u.parent_kind !== 'school') desk = { id: u.parent_id, path: u.parent_path! };
    } else desk = { id: u.id, path: u.path };
  }
  let institutionName: string | null = null;
  if (input.institutionId) {
    const i = await ctx.db
      .selectFrom('training_institution as i')
      .innerJoin('unit as u', 'u.id', 'i.unit_id')
      .select(['i.id', 'i.name', 'u.id as unit_id', 'u.path'])
      .where('i.id', '=', input.institutionId)
      .executeTakeFirst();
    if (!i)
      throw badRequest('COMPLAINT_INSTITUTION', {
        zh: '所选培训机构不存在',
        en: 'Unknown training institution',
      });
    institutionName = i.name;
    if (!input.unitId) desk = { id: i.unit_id, path: i.path };
  }
  const receivedOn = chinaToday();
  return ctx.db.transaction().execute(async (trx) => {
    let fileIds: string[] = [];
    if (input.photoId) {
      // Only a photo uploaded through the portal in the last two hours and not yet attached to anything.
      const f = await trx
        .selectFrom('stored_file')
        .select('id')
        .where('id', '=', input.photoId)
        .where('uploaded_by', 'is', null)
        .where('unit_id', '=', root.id)
        .where('created_at', '>', new Date(Date.now() - 2 * 3600_000))
        .where(
          sql<boolean>`not exists (select 1 from complaint x where ${input.photoId}::uuid = any(x.file_ids))`,
        )
        .executeTakeFirst();
      if (!f)
        throw badRequest('FILE_UNKNOWN', {
          zh: '照片已失效，请重新上传',
          en: 'The photo has expired; upload it again',
        });
      await trx.updateTable('stored_file').set({ unit_id: desk.id }).where('id', '=', f.id).execute();
      fileIds = [f.id];
    }
    const made = await insertComplaint(trx, ctx, origin, {
      deskUnitId: desk.id,
      deskPath: desk.path,
      channel: 'web',
      category: input.category,
      title: input.title,
      content: input.content,
      schoolId,
      institutionId: input.institutionId ?? null,
      subjectName: input.subjectName ?? institutionName,
      complainantName: input.name ?? null,
      phone: input.phone,
      receivedOn,
      fileIds,
    });
    return { trackingNo: made.trackingNo, deadline: made.deadline };
  });
}

const NOT_FOUND_TRACK = () =>
  new AppError(404, 'COMPLAINT_NOT_FOUND', {
    zh: '未找到该受理编号，或手机号后四位不符',
    en: 'No complaint with that tracking number and phone',
  });

/** The complaint a tracking number names, when the phone's last four digits match (else a 404 either way). */
async function findTracked(
  ctx: AppContext,
  trx: Parameters<typeof repo.lockVisible>[0] | null,
  req: PublicTrackRequest,
) {
  const db = trx ?? ctx.db;
  const row = await db
    .selectFrom('complaint')
    .select(['id', 'phone_enc'])
    .where('tracking_no', '=', req.trackingNo)
    .executeTakeFirst();
  const phone = row?.phone_enc ? ctx.vault.decrypt(row.phone_enc) : null;
  const last4 = phone ? phone.replace(/\D/g, '').slice(-4) : '';
  const a = Buffer.from(last4.padEnd(4, 'x'));
  const b = Buffer.from(req.phoneLast4);
  if (!row || !phone || a.length !== b.length || !timingSafeEqual(a, b)) throw NOT_FOUND_TRACK();
  return row.id;
}

const PUBLIC_TEXT: Partial<Record<ComplaintEventKind, string>> = {
  receive: '诉求已受理',
  route: '已转交责任单位办理',
  accept: '责任单位已签收，正在办理',
  reply: '责任单位已答复',
  rate: '您已评价',
  reopen: '您对答复不满意，已重新交办',
  close: '诉求已办结',
  merge: '与同一事项的其他诉求合并办理',
};

/** What the complainant sees on the tracking page. */
export async function trackComplaint(ctx: AppContext, req: PublicTrackRequest): Promise<PublicComplaintView> {
  const ownId = await findTracked(ctx, null, req);
  const own = await ctx.db
    .selectFrom('complaint')
    .select(['tracking_no', 'merged_into'])
    .where('id', '=', ownId)
    .executeTakeFirstOrThrow();
  // A merged duplicate follows its primary: status, reply and steps are the primary's.
  const id = own.merged_into ?? ownId;
  const c = await ctx.db
    .selectFrom('complaint as c')
    .innerJoin('unit as u', 'u.id', 'c.unit_id')
    .select([
      'c.category',
      'c.title',
      'c.status',
      'c.received_on',
      'c.deadline',
      'c.reply',
      'c.replied_on',
      'c.satisfaction',
      'u.name as unit_name',
    ])
    .where('c.id', '=', id)
    .executeTakeFirstOrThrow();
  const events = await ctx.db
    .selectFrom('complaint_event as e')
    .leftJoin('unit', 'unit.id', 'e.unit_id')
    .select(['e.kind', 'e.created_at', 'e.data', 'unit.name as unit_name'])
    .where('e.complaint_id', 'in', [...new Set([ownId, id])])
    .where('e.public', '=', true)
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute();
  const merged = own.merged_into !== null;
  return {
    trackingNo: own.tracking_no,
    category: c.category as PublicComplaintView['category'],
    title: c.title,
    status: c.status as PublicComplaintView['status'],
    receivedOn: c.received_on,
    deadline: c.deadline,
    unitName: c.status === 'received' ? null : c.unit_name,
    reply: c.reply,
    repliedOn: c.replied_on,
    satisfaction: c.satisfaction as Satisfaction | null,
    canRate: !merged && c.status === 'replied',
    merged,
    timeline: events.map((e) => {
      const kind = e.kind as ComplaintEventKind;
      let text = PUBLIC_TEXT[kind] ?? complaintEventLabels[kind].zh;
      if (kind === 'route' && e.unit_name) text = `已转交${e.unit_name}办理`;
      if (kind === 'rate') {
        const s = (e.data as { satisfaction?: string } | null)?.satisfaction;
        text = `您的评价：${s === 'satisfied' ? '满意' : s === 'basic' ? '基本满意' : '不满意'}`;
      }
      return { kind, at: e.created_at.toISOString(), text };
    }),
  };
}

/** The complainant's opinion of the reply. */
export async function rateFromPortal(ctx: AppContext, req: PublicRateRequest, origin: AuditOrigin) {
  await ctx.db.transaction().execute(async (trx) => {
    const id = await findTracked(ctx, trx, req);
    const c = await repo.lockVisible(trx, systemActor('portal'), id);
    if (!c) throw notFound(COMPLAINT);
    if (c.status !== 'replied')
      throw conflict('COMPLAINT_STATE', {
        zh: '该诉求当前不能评价',
        en: 'The complaint cannot be rated now',
      });
    await rateIn(trx, c, req.satisfaction, req.note ?? null, origin);
  });
  return trackComplaint(ctx, req);
}
