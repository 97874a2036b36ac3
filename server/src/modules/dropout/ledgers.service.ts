/**
 * The three ledgers (适龄儿童台账, 疑似辍学学生台账, 辍学学生台账) as bureau-style xlsx (title, unit and date,
 * framed, A4 landscape), and the reporting rhythm 学校一月一报告、县区一季度一复核: who reports which period,
 * by when, who has not, and what their own rows add up to.
 */
import {
  caseOutcomeLabels,
  caseStepLabels,
  crosscheckCategoryLabels,
  dropoutCaseStatusLabels,
  dropoutReasonLabels,
  ledgerKindLabels,
  placementLabels,
  type CrosscheckCategory,
  type LedgerKind,
  type ReportStatus,
  type ReportSubmit,
} from '@dudao/contracts';
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { can } from '../../platform/access/actor.js';
import { pathInScope, rootUnit } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { maskIdNumber } from '../../platform/crypto/id-number.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { recordExport, writeXlsx, type ExportColumn } from '../../platform/exports/xlsx.js';
import { maskPhone } from '../students/students.export.service.js';

const UNIT = { zh: '单位', en: 'Unit' };
const MAX_ROWS = 100_000;

async function areaOf(ctx: AppContext, actor: Actor, under?: string) {
  const q = ctx.db.selectFrom('unit').select(['id', 'name', 'kind', 'path']);
  const u = under
    ? await q
        .where('id', '=', under)
        .where(pathInScope(actor, 'dropout.read', sql.ref('unit.path')))
        .executeTakeFirst()
    : actor.unitId
      ? await q.where('id', '=', actor.unitId).executeTakeFirst()
      : await rootUnit(ctx.db);
  if (!u) throw notFound(UNIT);
  return u;
}

const sexText = (s: string) => (s === 'M' ? '男' : '女');
type Line = { level: string; name: string; role?: string; phone?: string };
const lineText = (xs: unknown) =>
  ((xs ?? []) as Line[])
    .map((p) => [p.name, p.role, maskPhone(p.phone ?? null)].filter(Boolean).join(' '))
    .join('；');

export async function exportLedger(
  ctx: AppContext,
  actor: Actor,
  kind: LedgerKind,
  q: { under?: string | undefined; listId?: string | undefined },
  origin: AuditOrigin,
): Promise<{ file: Buffer; fileName: string }> {
  const area = await areaOf(ctx, actor, q.under);
  const title = `${area.name}${ledgerKindLabels[kind].zh}`;
  const subtitle = `填报单位：${area.name}    导出：${actor.displayName}    日期：${chinaToday()}`;
  let file: Buffer;
  let rows = 0;
  if (kind === 'schoolAge') {
    let lq = ctx.db
      .selectFrom('population_list as l')
      .innerJoin('unit as u', 'u.id', 'l.unit_id')
      .select(['l.id', 'l.as_of'])
      .where(pathInScope(actor, 'dropout.manage', sql.ref('u.path')))
      .where(sql<boolean>`l.counts ? 'counts'`)
      .where('u.path', 'like', `${area.path}%`);
    lq = q.listId ? lq.where('l.id', '=', q.listId) : lq.where('l.kind', '=', 'hukou');
    const list = await lq.orderBy('l.created_at', 'desc').executeTakeFirst();
    if (!list)
      throw badRequest('NO_POPULATION_LIST', {
        zh: '该区域尚未导入户籍适龄人口名单（四查三比对）',
        en: 'No population list has been imported for this area yet',
      });
    const persons = await ctx.db
      .selectFrom('population_person as p')
      .leftJoin('unit as sch', 'sch.id', 'p.school_id')
      .select([
        'p.name',
        'p.id_number_enc',
        'p.id_number_masked',
        'p.birth_date',
        'p.town_name',
        'p.poverty',
        'p.category',
        'p.note',
        'sch.name as school_name',
      ])
      .where('p.list_id', '=', list.id)
      .orderBy('p.row_no')
      .limit(MAX_ROWS)
      .execute();
    type P = (typeof persons)[number];
    const columns: ExportColumn<P>[] = [
      { header: '序号', width: 6, value: (_, i) => i + 1 },
      { header: '姓名', width: 10, value: (p) => p.name },
      {
        header: '身份证号',
        width: 22,
        value: (p) =>
          p.id_number_masked ?? (p.id_number_enc ? maskIdNumber(ctx.vault.decrypt(p.id_number_enc)) : '无效'),
      },
      { header: '出生日期', width: 12, value: (p) => p.birth_date },
      { header: '乡镇（街道）', width: 14, value: (p) => p.town_name },
      { header: '脱贫户', width: 8, value: (p) => (p.poverty ? '是' : '否') },
      {
        header: '比对结果',
        width: 22,
        value: (p) => crosscheckCategoryLabels[p.category as CrosscheckCategory]?.zh ?? p.category,
      },
      { header: '就读学校', width: 22, value: (p) => p.school_name },
      { header: '备注', width: 18, value: (p) => p.note },
    ];
    file = await writeXlsx({
      title,
      subtitle: `${subtitle}    名单日期：${list.as_of}`,
      sheetName: '适龄儿童台账',
      columns,
      rows: persons,
    });
    rows = persons.length;
  } else {
    const cases = await ctx.db
      .selectFrom('dropout_case as dc')
      .innerJoin('student as s', 's.id', 'dc.student_id')
      .innerJoin('unit as sch', 'sch.id', 'dc.school_id')
      .leftJoin('school_class as c', 'c.id', 'dc.class_id')
      .select([
        'sch.name as school_name',
        'c.name as class_name',
        's.name',
        's.sex',
        's.birth_date',
        's.grade',
        's.poverty_household',
        'dc.reason',
        'dc.evidence',
        'dc.status',
        'dc.detected_on',
        'dc.confirmed_on',
        'dc.step',
        'dc.step_due_on',
        'dc.edu_line',
        'dc.gov_line',
        'dc.outcome',
        'dc.placement',
        'dc.closed_on',
        'dc.close_reason',
      ])
      .where(pathInScope(actor, 'dropout.read', sql.ref('sch.path')))
      .where('sch.path', 'like', `${area.path}%`)
      .$call((qb) =>
        kind === 'dropout'
          ? qb.where('dc.confirmed_on', 'is not', null)
          : qb.where('dc.confirmed_on', 'is', null),
      )
      .orderBy('sch.code')
      .orderBy('dc.detected_on')
      .orderBy('s.name')
      .limit(MAX_ROWS)
      .execute();
    type C = (typeof cases)[number];
    const common: ExportColumn<C>[] = [
      { header: '序号', width: 6, value: (_, i) => i + 1 },
      { header: '学校', width: 22, value: (c) => c.school_name },
      { header: '班级', width: 10, value: (c) => c.class_name },
      { header: '姓名', width: 10, value: (c) => c.name },
      { header: '性别', width: 6, value: (c) => sexText(c.sex) },
      { header: '出生日期', width: 12, value: (c) => c.birth_date },
      { header: '脱贫户', width: 8, value: (c) => (c.poverty_household ? '是' : '否') },
    ];
    const status = (c: C) => dropoutCaseStatusLabels[c.status as 'suspected']?.zh ?? c.status;
    const columns: ExportColumn<C>[] =
      kind === 'suspected'
        ? [
            ...common,
            { header: '发现日期', width: 12, value: (c) => c.detected_on },
            {
              header: '疑似原因',
              width: 18,
              value: (c) => dropoutReasonLabels[c.reason as 'consecutiveAbsence']?.zh ?? c.reason,
            },
            { header: '状态', width: 12, value: status },
            {
              header: '核查结果',
              width: 16,
              value: (c) =>
                c.close_reason === 'closedByReturn'
                  ? '已返校'
                  : c.close_reason === 'dismissed'
                    ? '排除疑似'
                    : '核查中',
            },
            { header: '销号日期', width: 12, value: (c) => c.closed_on },
          ]
        : [
            ...common,
            { header: '确认辍学日期', width: 12, value: (c) => c.confirmed_on },
            { header: '当前步骤', width: 14, value: (c) => (c.step ? caseStepLabels[c.step]!.zh : '') },
            { header: '步骤期限', width: 12, value: (c) => c.step_due_on },
            { header: '教育线责任人', width: 30, value: (c) => lineText(c.edu_line) },
            { header: '政府线责任人', width: 30, value: (c) => lineText(c.gov_line) },
            { header: '状态', width: 12, value: status },
            {
              header: '劝返结果',
              width: 16,
              value: (c) => (c.outcome ? caseOutcomeLabels[c.outcome as 'returned'].zh : ''),
            },
            {
              header: '安置方式',
              width: 12,
              value: (c) => (c.placement ? placementLabels[c.placement as 'inclusive'].zh : ''),
            },
            { header: '销号日期', width: 12, value: (c) => c.closed_on },
          ];
    file = await writeXlsx({ title, subtitle, sheetName: ledgerKindLabels[kind].zh, columns, rows: cases });
    rows = cases.length;
  }
  await recordExport(ctx, origin, { what: `dropout_ledger.${kind}`, unitId: area.id, rows, filter: q });
  return { file, fileName: `${title}（${chinaToday()}）.xlsx` };
}

// ---------- scheduled reports ----------

/** The due date and the date range of a period: YYYY-MM (schools), YYYY-Qn (counties). */
export function periodOf(period: string): {
  from: string;
  to: string;
  dueOn: string;
  level: 'school' | 'county';
} {
  const y = Number(period.slice(0, 4));
  const q = /Q([1-4])$/.exec(period);
  const startMonth = q ? (Number(q[1]) - 1) * 3 + 1 : Number(period.slice(5, 7));
  const months = q ? 3 : 1;
  const from = `${y}-${String(startMonth).padStart(2, '0')}-01`;
  const endMonth = startMonth + months; // first month after
  const next = endMonth > 12 ? `${y + 1}-01-01` : `${y}-${String(endMonth).padStart(2, '0')}-01`;
  return { from, to: addDays(next, -1), dueOn: addDays(next, q ? 9 : 4), level: q ? 'county' : 'school' };
}

async function computed(ctx: AppContext, unitPath: string, from: string, to: string) {
  const { rows } = await sql<{ sheets: number; unexcused: number; dropouts: number }>`
    select
      (select count(*)::int from attendance_sheet sh join unit u on u.id = sh.school_id
        where u.path like ${unitPath + '%'} and sh.day between ${from} and ${to}) as sheets,
      (select coalesce(sum(sh.unexcused), 0)::int from attendance_sheet sh join unit u on u.id = sh.school_id
        where u.path like ${unitPath + '%'} and sh.day between ${from} and ${to}) as unexcused,
      (select count(*)::int from dropout_case dc join unit u on u.id = dc.school_id
        where u.path like ${unitPath + '%'} and dc.confirmed_on <= ${to}
          and (dc.closed_on is null or dc.closed_on > ${to})) as dropouts`.execute(ctx.db);
  return rows[0]!;
}

export async function reportStatus(
  ctx: AppContext,
  actor: Actor,
  q: { under?: string | undefined; period: string },
): Promise<ReportStatus> {
  const area = await areaOf(ctx, actor, q.under);
  const p = periodOf(q.period);
  const units = await ctx.db
    .selectFrom('unit')
    .leftJoin('dropout_report as r', (j) =>
      j.onRef('r.unit_id', '=', 'unit.id').on('r.period', '=', q.period),
    )
    .select(['unit.id', 'unit.name', 'unit.path', 'r.figures', 'r.submitted_at'])
    .where('unit.kind', '=', p.level === 'school' ? 'school' : 'county_bureau')
    .where('unit.status', '=', 'active')
    .where('unit.path', 'like', `${area.path}%`)
    .where(pathInScope(actor, 'dropout.read', sql.ref('unit.path')))
    .orderBy('unit.code')
    .limit(5000)
    .execute();
  const today = chinaToday();
  const out: ReportStatus['units'] = [];
  for (const u of units)
    out.push({
      unitId: u.id,
      name: u.name,
      reported: u.submitted_at !== null,
      overdue: u.submitted_at === null && today > p.dueOn,
      submittedAt: u.submitted_at?.toISOString() ?? null,
      figures: (u.figures as Record<string, unknown> | null) ?? null,
      computed: await computed(ctx, u.path, p.from, p.to),
    });
  return { period: q.period, dueOn: p.dueOn, units: out };
}

/** A school files its monthly report, a county its quarterly review; filing again replaces it (audited). */
export async function submitReport(
  ctx: AppContext,
  actor: Actor,
  input: ReportSubmit,
  origin: AuditOrigin,
): Promise<ReportStatus> {
  const unit = await ctx.db
    .selectFrom('unit')
    .select(['id', 'kind', 'path'])
    .where('id', '=', input.unitId)
    .where(pathInScope(actor, 'dropout.read', sql.ref('unit.path')))
    .executeTakeFirst();
  if (!unit) throw notFound(UNIT);
  if (!can(actor, 'dropout.manage', unit.path)) throw forbidden();
  const p = periodOf(input.period);
  if ((p.level === 'school') !== (unit.kind === 'school'))
    throw badRequest('REPORT_PERIOD_KIND', {
      zh: '学校按月报告（YYYY-MM），县区按季度复核（YYYY-Qn）',
      en: 'Schools report monthly (YYYY-MM), counties quarterly (YYYY-Qn)',
    });
  if (p.from > chinaToday())
    throw badRequest('REPORT_PERIOD_FUTURE', { zh: '报告期尚未开始', en: 'The period has not begun' });
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('dropout_report')
      .select('figures')
      .where('unit_id', '=', unit.id)
      .where('period', '=', input.period)
      .executeTakeFirst();
    await trx
      .insertInto('dropout_report')
      .values({
        unit_id: unit.id,
        period: input.period,
        due_on: p.dueOn,
        figures: JSON.stringify(input.figures),
        submitted_by: actor.userId,
      })
      .onConflict((oc) =>
        oc.columns(['unit_id', 'period']).doUpdateSet({
          figures: JSON.stringify(input.figures),
          submitted_by: actor.userId,
          submitted_at: new Date(),
        }),
      )
      .execute();
    await recordAudit(trx, origin, {
      action: 'dropout.report',
      objectType: 'dropout_report',
      unitId: unit.id,
      before: before ? { figures: before.figures } : null,
      after: { period: input.period, figures: input.figures },
    });
  });
  return reportStatus(ctx, actor, { under: unit.id, period: input.period });
}
