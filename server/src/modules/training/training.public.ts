/**
 * The public portal's reads (no login): institutions under supervision and black-listed ones that were
 * closed or banned, with public fields only — never staff, ID numbers, phones, addresses of unapproved
 * venues, money figures, or institutions still applying. The portal is rate-limited per IP (routes).
 */
import {
  type PublicCounty,
  type PublicInstitution,
  type PublicInstitutionPage,
  type TrainingStatus,
} from '@dudao/contracts';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { notFound } from '../../platform/errors.js';
import { fundsSupervised, toSummary } from './training.compliance.js';
import { isPublished, withFacts, type FactRow } from './training.repository.js';

const INSTITUTION = { zh: '培训机构', en: 'Institution' };

const isPublic = isPublished;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

function toPublic(
  r: FactRow,
  venues: { institution_id: string; address: string }[],
  today: string,
): PublicInstitution {
  const s = toSummary(r, today);
  return {
    id: r.id,
    name: r.name,
    creditCode: r.credit_code,
    category: r.category,
    subType: r.sub_type,
    county: r.unit_name,
    list: s.list,
    blacklistReason: r.blacklisted ? r.blacklist_reason : null,
    blacklistedOn: r.blacklisted ? r.blacklisted_on : null,
    status: r.status as TrainingStatus,
    licenceNo: r.licence_no,
    licenceFrom: r.licence_from,
    licenceTo: r.licence_to,
    licenceValid:
      !!r.licence_no &&
      !!r.licence_to &&
      r.licence_to >= today &&
      (!r.licence_from || r.licence_from <= today),
    venues: venues.filter((v) => v.institution_id === r.id).map((v) => ({ address: v.address })),
    prepaidSupervised: fundsSupervised(r),
    complaintChannel: { bureau: r.unit_name, url: `/portal/complaint?institution=${r.id}` },
  };
}

async function approvedVenues(ctx: AppContext, ids: string[]) {
  if (ids.length === 0) return [];
  return ctx.db
    .selectFrom('training_venue')
    .select(['institution_id', 'address'])
    .where('institution_id', 'in', ids)
    .where('approved', '=', true)
    .orderBy('created_at')
    .execute();
}

export async function searchPublic(
  ctx: AppContext,
  q: {
    q?: string;
    county?: string;
    category?: 'subject' | 'non_subject';
    list?: 'white' | 'black';
    page: number;
    pageSize: number;
  },
): Promise<PublicInstitutionPage> {
  const today = chinaToday();
  let query = withFacts(ctx.db, today).where(isPublic);
  const text = q.q?.trim();
  if (text) {
    const like = '%' + escapeLike(text) + '%';
    query = query.where((eb) =>
      eb.or([eb('i.name', 'like', like), eb('i.credit_code', '=', text.toUpperCase())]),
    );
  }
  if (q.county) query = query.where('i.unit_id', '=', q.county);
  if (q.category) query = query.where('i.category', '=', q.category);
  if (q.list === 'black') query = query.where('i.blacklisted', '=', true);
  const rows = await query.orderBy('u.code').orderBy('i.name').orderBy('i.id').execute();
  let list = rows.map((r) => ({ r, s: toSummary(r, today) }));
  if (q.list === 'white') list = list.filter((x) => x.s.list === 'white');
  const start = (q.page - 1) * q.pageSize;
  const page = list.slice(start, start + q.pageSize).map((x) => x.r);
  const venues = await approvedVenues(
    ctx,
    page.map((r) => r.id),
  );
  return {
    items: page.map((r) => toPublic(r, venues, today)),
    total: list.length,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getPublic(ctx: AppContext, id: string): Promise<PublicInstitution> {
  const today = chinaToday();
  const r = await withFacts(ctx.db, today).where('i.id', '=', id).where(isPublic).executeTakeFirst();
  if (!r) throw notFound(INSTITUTION);
  return toPublic(r, await approvedVenues(ctx, [id]), today);
}

/** The county bureaus that supervise public institutions, with their list counts. */
export async function publicCounties(ctx: AppContext): Promise<PublicCounty[]> {
  const today = chinaToday();
  const rows = await withFacts(ctx.db, today).where(isPublic).execute();
  const by = new Map<string, PublicCounty & { code: string }>();
  const codes = new Map(
    (
      await ctx.db.selectFrom('unit').select(['id', 'code']).where('kind', '=', 'county_bureau').execute()
    ).map((u) => [u.id, u.code]),
  );
  for (const r of rows) {
    const c = by.get(r.unit_id) ?? {
      id: r.unit_id,
      name: r.unit_name,
      white: 0,
      black: 0,
      code: codes.get(r.unit_id) ?? '',
    };
    const l = toSummary(r, today).list;
    if (l === 'white') c.white++;
    if (l === 'black') c.black++;
    by.set(r.unit_id, c);
  }
  return [...by.values()].sort((a, b) => a.code.localeCompare(b.code)).map(({ code: _c, ...c }) => c);
}
