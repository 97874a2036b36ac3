/**
 * Importing a plan from a sheet (xlsx or CSV in UTF-8/GB18030) with the import engine's readers and header
 * matching: columns 章节 / 序号 / 任务 / 牵头科室 / 责任单位 / 完成时限 / 目标 (and optionally 配合科室,
 * 报送周期, 任务内容). Rows with errors are rejected with their reasons; the others are imported in one
 * transaction as a new plan.
 */
import type { Readable } from 'node:stream';
import type { PlanImportResult, PlanKind, ReportCycle } from '@dudao/contracts';
import { PlanTaskCreate } from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { mapHeader, normalizeHeader, type FieldSpec } from '../../platform/imports/header.js';
import { readSmallTable, withUpload } from '../../platform/imports/small-table.js';
import { parseDate } from '../../platform/imports/values.js';
import { planPolicy } from './plans.policy.js';
import * as repo from './plans.repository.js';
import { insertTask } from './plans.service.js';
import { parseTarget } from './plans.status.js';

export const PLAN_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 2000;

type Field =
  'chapter' | 'seq' | 'title' | 'lead' | 'co' | 'units' | 'due' | 'target' | 'cycle' | 'description';
export const PLAN_IMPORT_FIELDS: FieldSpec<Field>[] = [
  { key: 'chapter', label: '章节', synonyms: ['章', '篇章', '工作板块', '板块', '类别'], required: true },
  { key: 'seq', label: '序号', synonyms: ['编号', '任务序号', '任务编号', '序'], required: true },
  {
    key: 'title',
    label: '任务',
    synonyms: ['任务名称', '工作任务', '重点任务', '工作内容', '任务事项'],
    required: true,
  },
  {
    key: 'lead',
    label: '牵头科室',
    synonyms: ['牵头单位', '牵头处室', '责任科室', '牵头部门'],
    required: true,
  },
  { key: 'co', label: '配合科室', synonyms: ['协办科室', '配合单位', '协同科室', '配合处室'] },
  { key: 'units', label: '责任单位', synonyms: ['落实单位', '承办单位', '责任主体'] },
  { key: 'due', label: '完成时限', synonyms: ['完成时间', '时限', '截止日期', '完成期限'], required: true },
  { key: 'target', label: '目标', synonyms: ['目标值', '量化目标', '考核指标', '预期目标', '指标'] },
  { key: 'cycle', label: '报送周期', synonyms: ['调度频次', '报送频次'] },
  { key: 'description', label: '任务内容', synonyms: ['具体内容', '工作措施', '主要措施'] },
];

/** All rows of an .xlsx or CSV file (the type decided by its bytes). */
export function readRows(path: string, fileName: string): Promise<string[][]> {
  return readSmallTable(path, fileName, {
    maxRows: MAX_ROWS,
    code: 'PLAN_IMPORT_TOO_MANY_ROWS',
    message: { zh: `超过 ${MAX_ROWS} 行`, en: `More than ${MAX_ROWS} rows` },
  });
}

const CYCLES: Record<string, ReportCycle> = {
  每月: 'monthly',
  月报: 'monthly',
  按月: 'monthly',
  每季度: 'quarterly',
  季报: 'quarterly',
  按季度: 'quarterly',
  按节点: 'milestone',
  节点: 'milestone',
};

/** 完成时限 as written: a date, 2026年6月 / 2026年6月底 (the month's end), 年底 / 全年 / 长期 (the plan's end). */
export function parseDue(text: string, year: number, planEnd: string): string | null {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  if (/^(全年|长期|持续推进|常态化|年底|年内|年末|\d{4}年(底|末))$/.test(t)) return planEnd;
  let m = /^(?:(\d{4})年)?(\d{1,2})月(?:底|末|份)?(?:前)?$/.exec(t);
  if (m) {
    const y = m[1] ? Number(m[1]) : year;
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return `${y}-${String(mo).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
  }
  m = /^(.*?)(前)?$/.exec(t);
  const r = parseDate(m![1]!);
  return r.ok ? r.value : null;
}

const chapterTitle = (s: string) => s.replace(/^[一二三四五六七八九十]+[、.．]\s*/, '').trim();

export interface ImportInput {
  ownerUnitId: string;
  title: string;
  year: number;
  kind: PlanKind;
}

/** Parses the rows, rejects the bad ones with reasons, imports the rest as a new plan in one transaction. */
export async function importPlanRows(
  ctx: AppContext,
  actor: Actor,
  rows: string[][],
  input: ImportInput,
  origin: AuditOrigin,
): Promise<PlanImportResult> {
  const owner = await repo.findUnit(ctx.db, actor, input.ownerUnitId, 'plan.read');
  if (!owner) throw notFound({ zh: '单位', en: 'Unit' });
  if (owner.kind === 'school')
    throw badRequest('PLAN_OWNER_KIND', {
      zh: '工作计划由市、县教育局制定',
      en: 'Plans belong to a city or county bureau',
    });
  if (!planPolicy.canManage(actor, owner)) throw forbidden();
  const mapping = mapHeader(rows, PLAN_IMPORT_FIELDS, { minMatches: 3 });
  if (mapping.headerRow < 0 || mapping.missingRequired.length > 0)
    throw badRequest('PLAN_IMPORT_HEADER', {
      zh: `找不到表头或缺少必需的列：${mapping.missingRequired.join('、') || '章节、序号、任务、牵头科室、完成时限'}`,
      en: `No header, or required columns missing: ${mapping.missingRequired.join(', ') || '章节, 序号, 任务, 牵头科室, 完成时限'}`,
    });
  const startsOn = `${input.year}-01-01`;
  const endsOn = `${input.year}-12-31`;
  // Units a row may name: the owner's subtree, by name, short name or code.
  const units = await ctx.db
    .selectFrom('unit')
    .select(['id', 'name', 'code', 'kind', 'parent_id'])
    .where('path', 'like', `${owner.path}%`)
    .where('status', '=', 'active')
    .execute();
  const byName = new Map<string, string>();
  for (const u of units) {
    byName.set(normalizeHeader(u.name), u.id);
    byName.set(normalizeHeader(u.name.replace(/(教育局|教育和体育局|教育体育局)$/, '')), u.id);
    byName.set(u.code, u.id);
  }
  const counties = units
    .filter((u) => u.kind === 'county_bureau' && u.parent_id === owner.id)
    .map((u) => u.id);
  const c = mapping.columns;
  const rejected: PlanImportResult['rejected'] = [];
  const good: {
    row: number;
    chapter: string;
    seq: number;
    task: ReturnType<typeof PlanTaskCreate.parse>;
    target: ReturnType<typeof parseTarget>;
  }[] = [];
  const seqs = new Set<number>();
  let lastChapter = '';
  for (let i = mapping.dataRow; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (cells.every((x) => (x ?? '').trim() === '')) continue;
    const cell = (k: Field) => (c[k] === undefined ? '' : (cells[c[k]] ?? '').trim());
    const reasons: string[] = [];
    // A chapter cell left blank under a merged cell continues the chapter above.
    const chapter = chapterTitle(cell('chapter')) || lastChapter;
    if (!chapter) reasons.push('章节未填写');
    else lastChapter = chapter;
    const seqText = cell('seq').replace(/[.、．]$/, '');
    const seq = Number(seqText);
    if (!/^\d{1,3}$/.test(seqText) || seq < 1) reasons.push(`序号“${cell('seq')}”应为正整数`);
    else if (seqs.has(seq)) reasons.push(`序号 ${seq} 重复`);
    const title = cell('title');
    if (!title) reasons.push('任务未填写');
    else if (title.length > 200) reasons.push('任务超过 200 字');
    const lead = cell('lead');
    if (!lead) reasons.push('牵头科室未填写');
    const due = cell('due') ? parseDue(cell('due'), input.year, endsOn) : null;
    if (!cell('due')) reasons.push('完成时限未填写');
    else if (!due) reasons.push(`完成时限“${cell('due')}”无法识别`);
    else if (due < startsOn) reasons.push(`完成时限 ${due} 早于计划开始`);
    const target = cell('target') ? parseTarget(cell('target')) : null;
    if (cell('target') && !target) reasons.push(`目标“${cell('target')}”中没有数值（如“≥93%”“182所”）`);
    const unitIds: string[] = [];
    for (const name of cell('units')
      .split(/[、,，;；/\s]+/)
      .filter(Boolean)) {
      if (/^各(县|区|县（市）区|县\(市\)区|县市区|地)/.test(name.normalize('NFKC')))
        unitIds.push(...counties);
      else {
        const id = byName.get(normalizeHeader(name));
        if (id) unitIds.push(id);
        else reasons.push(`责任单位“${name}”不在本单位辖区内`);
      }
    }
    const cycle = CYCLES[cell('cycle')] ?? 'monthly';
    const parsed = PlanTaskCreate.safeParse({
      chapterId: '00000000-0000-4000-8000-000000000000',
      seq: Number.isFinite(seq) && seq >= 1 && seq <= 999 ? seq : 1,
      title: title || '-',
      description: cell('description') || undefined,
      leadOffice: lead || '-',
      coOffices: cell('co')
        ? cell('co')
            .split(/[、,，;；]+/)
            .filter(Boolean)
        : undefined,
      startsOn,
      dueOn: due ?? endsOn,
      reportCycle: cycle,
      unitIds: [...new Set(unitIds)],
    });
    if (!parsed.success)
      reasons.push(...parsed.error.issues.map((x) => `${x.path.join('.')}：内容不合规（${x.message}）`));
    if (reasons.length > 0) {
      rejected.push({ row: i + 1, reasons });
      continue;
    }
    seqs.add(seq);
    good.push({ row: i + 1, chapter, seq, task: parsed.data!, target });
  }
  const planId = timeOrderedId();
  let assignments = 0;
  const chapterIds = new Map<string, string>();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('plan')
      .values({
        id: planId,
        owner_unit_id: owner.id,
        title: input.title,
        kind: input.kind,
        year: input.year,
        starts_on: startsOn,
        ends_on: endsOn,
        created_by: actor.userId,
      })
      .execute();
    for (const g of good) {
      let chapterId = chapterIds.get(g.chapter);
      if (!chapterId) {
        chapterId = timeOrderedId();
        chapterIds.set(g.chapter, chapterId);
        await trx
          .insertInto('plan_chapter')
          .values({ id: chapterId, plan_id: planId, seq: chapterIds.size, title: g.chapter })
          .execute();
      }
      const r = await insertTask(
        trx,
        { id: planId, owner_unit_id: owner.id, owner_path: owner.path, starts_on: startsOn },
        { ...g.task, chapterId },
        g.target,
      );
      assignments += r.assignments.length;
    }
    await recordAudit(trx, origin, {
      action: 'plan.import',
      objectType: 'plan',
      objectId: planId,
      unitId: owner.id,
      after: { title: input.title, tasks: good.length, rejected: rejected.length },
    });
  });
  return { planId, chapters: chapterIds.size, tasks: good.length, assignments, rejected };
}

/** Saves an upload to a temporary file, reads it and imports it. */
export async function importPlanUpload(
  ctx: AppContext,
  actor: Actor,
  source: Readable,
  fileName: string,
  input: ImportInput,
  origin: AuditOrigin,
): Promise<PlanImportResult> {
  return withUpload(source, PLAN_IMPORT_MAX_BYTES, async (path) =>
    importPlanRows(ctx, actor, await readRows(path, fileName), input, origin),
  );
}
