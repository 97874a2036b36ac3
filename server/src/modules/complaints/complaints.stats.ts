/**
 * Statistics of the desk (受理、按期答复、办结率、满意率) by category, channel, unit and month for a scope and a
 * period of receipt, and the ledger export (群众诉求办理台账). Definitions: docs/complaints.md. Each figure is a
 * filter of the list (`state`), so it drills down to its rows.
 */
import {
  complaintCategoryLabels,
  complaintChannelLabels,
  complaintStatusLabels,
  label,
  satisfactionLabels,
  type ComplaintCategory,
  type ComplaintChannel,
  type ComplaintCounts,
  type ComplaintExportQuery,
  type ComplaintStats,
  type ComplaintStatsQuery,
} from '@dudao/contracts';
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { xlsxBody } from '../../platform/exports/stream-writers.js';
import { recordExport, type ExportColumn } from '../../platform/exports/xlsx.js';
import { maskPhone } from '../students/students.export.service.js';
import { complaintPolicy } from './complaints.policy.js';
import { maskName, phoneHmacOf } from './complaints.service.js';
import * as repo from './complaints.repository.js';

const UNIT = { zh: '单位', en: 'Unit' };
export const COMPLAINTS_EXPORT_LIMIT = 50_000;

const pct = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 10);

/** Counts with their three rates: 办结率 closed/received, 按期答复率 inTime/replied, 满意率 satisfied/rated. */
export function withRates(c: Omit<repo.CountRow, 'key'>): ComplaintCounts {
  return {
    received: c.received,
    replied: c.replied,
    inTime: c.in_time,
    closed: c.closed,
    overdue: c.overdue,
    rated: c.rated,
    satisfied: c.satisfied,
    closeRate: pct(c.closed, c.received),
    inTimeRate: pct(c.in_time, c.replied),
    satisfactionRate: pct(c.satisfied, c.rated),
  };
}

const ZERO = { received: 0, replied: 0, in_time: 0, closed: 0, overdue: 0, rated: 0, satisfied: 0 };

/** The sentence bureaus write in their summaries, from the same counts. */
export function statsSentence(t: ComplaintCounts): string {
  const rate = (r: number | null) => (r === null ? '—' : `${r}%`);
  return `受理群众诉求${t.received}件，已办结${t.closed}件，办结率${rate(t.closeRate)}；按期答复率${rate(t.inTimeRate)}，满意率${rate(t.satisfactionRate)}。`;
}

async function rootOf(ctx: AppContext, actor: Actor, under: string | undefined) {
  const id = under ?? actor.unitId;
  const u = id ? await repo.unitInScope(ctx.db, actor, id) : undefined;
  if (u) return u;
  if (under) throw notFound(UNIT);
  // An actor whose own unit is outside its complaint scope (an inspector): the whole tree it may read.
  return { id: null, name: '', path: '/', kind: null };
}

export async function complaintStats(
  ctx: AppContext,
  actor: Actor,
  q: ComplaintStatsQuery,
): Promise<ComplaintStats> {
  const root = await rootOf(ctx, actor, q.under);
  const today = chinaToday();
  const depth = root.path.length;
  const child = sql<string>`coalesce(nullif(split_part(substr(u.path, ${depth + 1}), '/', 1), ''), ${root.id ?? ''})`;
  const [total, byCategory, byChannel, byUnit, byMonth] = await Promise.all([
    repo.counts(ctx.db, actor, q, root.path, today, sql<string>`'all'`),
    repo.counts(ctx.db, actor, q, root.path, today, sql<string>`c.category`),
    repo.counts(ctx.db, actor, q, root.path, today, sql<string>`c.channel`),
    repo.counts(ctx.db, actor, q, root.path, today, child),
    repo.counts(ctx.db, actor, q, root.path, today, sql<string>`to_char(c.received_on, 'YYYY-MM')`),
  ]);
  const unitIds = byUnit.map((u) => u.key).filter((k) => k !== '');
  const names = new Map(
    unitIds.length
      ? (await ctx.db.selectFrom('unit').select(['id', 'name']).where('id', 'in', unitIds).execute()).map(
          (u) => [u.id, u.name],
        )
      : [],
  );
  const t = withRates(total[0] ?? ZERO);
  const strip = ({ key: _k, ...c }: repo.CountRow) => withRates(c);
  return {
    total: t,
    sentence: statsSentence(t),
    byCategory: byCategory
      .map((c) => ({ category: c.key as ComplaintCategory, ...strip(c) }))
      .sort((a, b) => b.received - a.received),
    byChannel: byChannel
      .map((c) => ({ channel: c.key as ComplaintChannel, ...strip(c) }))
      .sort((a, b) => b.received - a.received),
    byUnit: byUnit
      .filter((u) => names.has(u.key))
      .map((u) => ({ unitId: u.key, name: names.get(u.key)!, ...strip(u) }))
      .sort((a, b) => b.received - a.received),
    byMonth: byMonth
      .map((m) => ({ month: m.key, ...strip(m) }))
      .sort((a, b) => a.month.localeCompare(b.month)),
  };
}

type Row = repo.ComplaintRow;

/** Rows per batch handed to the writer. */
const EXPORT_BATCH = 1000;

/**
 * The ledger as bureaus file it (群众诉求办理台账): the list's filters within scope, streamed as xlsx set up for
 * A4 printing; formula-like text neutralised by the writer. The complainant's name and phone are masked, or
 * shown in full with `reveal` on the rows whose phone the actor may see (the handler, person.reveal over the
 * responsible unit; the others stay masked). Audited (rows, filter, how many rows were revealed).
 */
export async function exportComplaints(
  ctx: AppContext,
  actor: Actor,
  q: ComplaintExportQuery,
  origin: AuditOrigin,
) {
  const today = chinaToday();
  const { reveal, ...filter } = q;
  const under = filter.under ? await repo.unitInScope(ctx.db, actor, filter.under) : undefined;
  if (filter.under && !under) throw notFound(UNIT);
  const rows = await repo.exportRows(
    ctx.db,
    actor,
    filter,
    under?.path ?? null,
    today,
    phoneHmacOf(ctx, filter.q),
    COMPLAINTS_EXPORT_LIMIT + 1,
  );
  if (rows.length > COMPLAINTS_EXPORT_LIMIT)
    throw badRequest('EXPORT_TOO_LARGE', {
      zh: `超过 ${COMPLAINTS_EXPORT_LIMIT} 条，请缩小筛选范围后导出`,
      en: `More than ${COMPLAINTS_EXPORT_LIMIT} rows: narrow the filter`,
    });
  let revealed = 0;
  const person = (r: Row) => {
    const full = reveal === true && complaintPolicy.canRevealPhone(actor, r);
    if (full && (r.phone_enc || r.complainant_enc)) revealed++;
    const name = r.complainant_enc ? ctx.vault.decrypt(r.complainant_enc) : null;
    const phone = r.phone_enc ? ctx.vault.decrypt(r.phone_enc) : null;
    return full ? { name, phone } : { name: maskName(name), phone: maskPhone(phone) };
  };
  const columns: ExportColumn<Row>[] = [
    { header: '序号', width: 6, value: (_r, i) => i + 1 },
    { header: '受理编号', width: 24, value: (r) => r.tracking_no },
    { header: '12345工单号', width: 16, value: (r) => r.hotline_no },
    { header: '渠道', width: 10, value: (r) => label(complaintChannelLabels, r.channel, 'zh') },
    { header: '类别', width: 12, value: (r) => label(complaintCategoryLabels, r.category, 'zh') },
    { header: '诉求事项', width: 34, value: (r) => r.title },
    { header: '被反映对象', width: 22, value: (r) => r.subject_name },
    { header: '受理日期', width: 11, value: (r) => r.received_on },
    { header: '责任单位', width: 24, value: (r) => r.unit_name },
    { header: '办理时限', width: 11, value: (r) => r.deadline },
    { header: '答复日期', width: 11, value: (r) => r.replied_on },
    {
      header: '是否按期',
      width: 8,
      value: (r) => (r.replied_on ? (r.replied_on <= r.deadline ? '按期' : '超期') : ''),
    },
    { header: '答复内容', width: 40, value: (r) => r.reply },
    { header: '满意度', width: 9, value: (r) => label(satisfactionLabels, r.satisfaction, 'zh') },
    { header: '状态', width: 8, value: (r) => label(complaintStatusLabels, r.status, 'zh') },
    {
      header: '是否逾期',
      width: 8,
      value: (r) =>
        ['received', 'routed', 'accepted'].includes(r.status) && r.deadline < today ? '逾期' : '',
    },
  ];
  const title = `${under?.name ?? ''}群众诉求办理台账`;
  const now = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  function* batches() {
    for (let i = 0; i < rows.length; i += EXPORT_BATCH)
      yield rows.slice(i, i + EXPORT_BATCH).map((r, k) => {
        const p = person(r);
        const cells = columns.map((c) => c.value(r, i + k));
        // 诉求人 and 联系电话 after 被反映对象.
        cells.splice(7, 0, p.name, p.phone);
        return cells;
      });
  }
  const header = columns.map((c) => c.header);
  header.splice(7, 0, '诉求人', '联系电话');
  const widths = columns.map((c) => c.width);
  widths.splice(7, 0, 10, 14);
  const body = xlsxBody(
    batches(),
    {
      header,
      widths,
      title,
      subtitle:
        `导出人：${actor.displayName}\u3000导出时间：${now}\u3000共 ${rows.length} 条\u3000` +
        (reveal ? '含完整联系方式（已审计）' : '诉求人姓名、电话已部分隐藏'),
      sheetName: '诉求台账',
      print: 'landscape',
    },
    (n) =>
      recordExport(ctx, origin, {
        what: 'complaint',
        unitId: filter.under ?? actor.unitId ?? null,
        rows: n,
        filter: {
          ...filter,
          q: phoneHmacOf(ctx, filter.q) ? maskPhone(filter.q!) : filter.q,
          reveal: reveal === true,
          revealed,
        },
      }),
  );
  return { body, fileName: `${title}.xlsx` };
}
