/**
 * 12345 transfers (市民热线转办): work orders arrive as the hotline's export (xlsx or CSV, read with the
 * import engine's readers and header matching) or one by one through the API (an API token of a desk
 * account). The work-order number is kept and is unique: an order already registered is reported as a
 * duplicate and left as it is, so the same file or call can be sent twice.
 */
import type { ComplaintCategory, HotlineImportResult, HotlineTransfer } from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { chinaToday } from '../../platform/dates.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { mapHeader, type FieldSpec } from '../../platform/imports/header.js';
import { readSmallTable } from '../../platform/imports/small-table.js';
import { parseDate, parsePhone } from '../../platform/imports/values.js';
import { insertComplaint } from './complaints.service.js';
import { complaintPolicy as policy } from './complaints.policy.js';
import * as repo from './complaints.repository.js';

/** A month of a county's 12345 education orders is hundreds of rows; more is not a transfer list. */
export const HOTLINE_MAX_ROWS = 5000;
const UNIT = { zh: '单位', en: 'Unit' };

type Field = 'workOrderNo' | 'receivedOn' | 'content' | 'title' | 'category' | 'subject' | 'name' | 'phone';

/** The columns of a 12345 export, with the names the hotline systems use. */
export const HOTLINE_FIELDS: FieldSpec<Field>[] = [
  {
    key: 'workOrderNo',
    label: '工单编号',
    synonyms: ['工单号', '12345工单号', '工单流水号', '编号', '工单编码'],
    required: true,
  },
  {
    key: 'receivedOn',
    label: '受理时间',
    synonyms: ['来电时间', '登记时间', '受理日期', '派单时间', '创建时间', '来电日期'],
    required: true,
  },
  {
    key: 'content',
    label: '诉求内容',
    synonyms: ['来电内容', '问题描述', '反映内容', '诉求描述', '内容', '事项内容'],
    required: true,
  },
  { key: 'title', label: '诉求标题', synonyms: ['标题', '主题', '事项标题', '工单标题'] },
  {
    key: 'category',
    label: '诉求分类',
    synonyms: ['问题分类', '类别', '分类', '诉求类型', '事项分类', '业务类别'],
  },
  {
    key: 'subject',
    label: '被反映对象',
    synonyms: ['涉及单位', '被反映单位', '反映对象', '涉事单位', '被投诉单位'],
  },
  { key: 'name', label: '诉求人', synonyms: ['来电人', '姓名', '市民姓名', '来电人姓名', '联系人'] },
  { key: 'phone', label: '联系电话', synonyms: ['来电号码', '电话', '手机号码', '联系方式', '手机号'] },
];

const CATEGORY_WORDS: [ComplaintCategory, RegExp][] = [
  ['training', /培训|补习|辅导班|托管/],
  ['fees', /收费|乱收|费用|退费|资料费|校服/],
  ['ethics', /师德|体罚|辱骂|有偿补课|收礼/],
  ['safety', /安全|欺凌|食堂|校车|溺水|伤害/],
  ['enrolment', /招生|入学|学位|择校|转学|划片/],
  ['aid', /资助|助学|补助|贫困|营养餐/],
  ['burden', /作业|课后服务|负担|延时|放学/],
];

/** The hotline's category text (or the content when it says nothing) → one of the desk's categories. */
export function categoryOf(text: string): ComplaintCategory {
  for (const [c, re] of CATEGORY_WORDS) if (re.test(text)) return c;
  return 'other';
}

async function desk(ctx: AppContext, actor: Actor, unitId: string) {
  const u = await repo.unitInScope(ctx.db, actor, unitId);
  if (!u) throw notFound(UNIT);
  if (!policy.canManage(actor, u.path)) throw forbidden();
  return u;
}

const trimTitle = (content: string) => {
  const first = content.split(/[。！？\n]/)[0] ?? content;
  return (first.length > 30 ? first.slice(0, 30) + '…' : first).trim() || '12345转办件';
};

/** Imports a 12345 export at a desk: valid new orders are registered, duplicates and bad rows reported. */
export async function importHotline(
  ctx: AppContext,
  actor: Actor,
  unitId: string,
  path: string,
  fileName: string,
  origin: AuditOrigin,
): Promise<HotlineImportResult> {
  const u = await desk(ctx, actor, unitId);
  const rows = await readSmallTable(path, fileName, {
    maxRows: HOTLINE_MAX_ROWS + 30,
    code: 'HOTLINE_TOO_MANY_ROWS',
    message: {
      zh: `表格超过 ${HOTLINE_MAX_ROWS} 行，请分批导入`,
      en: `More than ${HOTLINE_MAX_ROWS} rows; import in parts`,
    },
  });
  const mapping = mapHeader(rows, HOTLINE_FIELDS, { minMatches: 3 });
  if (mapping.headerRow < 0 || mapping.missingRequired.length > 0)
    throw badRequest('HOTLINE_HEADER', {
      zh: `找不到表头或缺少必需的列：${(mapping.missingRequired.length ? mapping.missingRequired : ['工单编号', '受理时间', '诉求内容']).join('、')}`,
      en: `No header, or required columns missing: ${(mapping.missingRequired.length ? mapping.missingRequired : ['工单编号', '受理时间', '诉求内容']).join(', ')}`,
    });
  const cols = mapping.columns;
  const today = chinaToday();
  const errors: HotlineImportResult['errors'] = [];
  const duplicates: HotlineImportResult['duplicates'] = [];
  const valid: (HotlineTransfer & { row: number })[] = [];
  const seen = new Set<string>();
  let count = 0;
  for (let i = mapping.dataRow; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (cells.every((c) => (c ?? '').trim() === '')) continue;
    count++;
    const row = i + 1;
    const cell = (f: Field) => (cols[f] === undefined ? '' : (cells[cols[f]] ?? '').trim());
    const fail = (column: string, message: string) => errors.push({ row, column, message });
    const no = cell('workOrderNo');
    if (!/^[0-9A-Za-z-]{4,40}$/.test(no)) {
      fail('工单编号', no ? `工单编号“${no}”格式不正确` : '工单编号未填写');
      continue;
    }
    const date = parseDate(cell('receivedOn'), { max: today });
    if (!date.ok) {
      fail('受理时间', date.message.zh);
      continue;
    }
    const content = cell('content');
    if (content.length < 2 || /[<>]/.test(content)) {
      fail('诉求内容', content ? '诉求内容不能包含 < >' : '诉求内容未填写');
      continue;
    }
    let phone: string | undefined;
    if (cell('phone')) {
      const p = parsePhone(cell('phone'));
      if (!p.ok) {
        fail('联系电话', p.message.zh);
        continue;
      }
      phone = p.value;
    }
    if (seen.has(no)) {
      duplicates.push({ row, workOrderNo: no });
      continue;
    }
    seen.add(no);
    const name = cell('name').replace(/[<>]/g, '').slice(0, 32);
    valid.push({
      row,
      unitId,
      workOrderNo: no,
      receivedOn: date.value,
      content: content.slice(0, 4000),
      title: (cell('title') || trimTitle(content)).replace(/[<>]/g, '').slice(0, 100),
      category: categoryOf(`${cell('category')} ${content}`),
      subjectName: cell('subject').replace(/[<>]/g, '').slice(0, 100) || undefined,
      complainantName: name || undefined,
      phone,
    });
  }
  let inserted = 0;
  await ctx.db.transaction().execute(async (trx) => {
    const known = valid.length
      ? new Set(
          (
            await trx
              .selectFrom('complaint')
              .select('hotline_no')
              .where(
                'hotline_no',
                'in',
                valid.map((v) => v.workOrderNo),
              )
              .execute()
          ).map((r) => r.hotline_no),
        )
      : new Set<string | null>();
    for (const v of valid) {
      if (known.has(v.workOrderNo)) {
        duplicates.push({ row: v.row, workOrderNo: v.workOrderNo });
        continue;
      }
      await insertTransfer(trx, ctx, origin, u, v);
      inserted++;
    }
    await recordAudit(trx, origin, {
      action: 'complaint.import',
      objectType: 'complaint',
      unitId,
      after: { file: fileName, rows: count, inserted, duplicates: duplicates.length, errors: errors.length },
    });
  });
  duplicates.sort((a, b) => a.row - b.row);
  return { rows: count, inserted, duplicates, errors: errors.slice(0, 200) };
}

function insertTransfer(
  trx: Parameters<typeof insertComplaint>[0],
  ctx: AppContext,
  origin: AuditOrigin,
  u: { id: string; path: string },
  v: HotlineTransfer,
) {
  return insertComplaint(trx, ctx, origin, {
    deskUnitId: u.id,
    deskPath: u.path,
    channel: 'hotline12345',
    category: v.category ?? categoryOf(`${v.categoryText ?? ''} ${v.content}`),
    title: v.title || trimTitle(v.content),
    content: v.content,
    subjectName: v.subjectName ?? null,
    complainantName: v.complainantName ?? null,
    phone: v.phone ?? null,
    hotlineNo: v.workOrderNo,
    receivedOn: v.receivedOn,
  });
}

/** One work order from the hotline's system; sending it again answers the existing complaint. */
export async function receiveTransfer(
  ctx: AppContext,
  actor: Actor,
  input: HotlineTransfer,
  origin: AuditOrigin,
) {
  const u = await desk(ctx, actor, input.unitId);
  if (input.receivedOn > chinaToday())
    throw badRequest('COMPLAINT_RECEIVED_FUTURE', {
      zh: '受理日期不能晚于今天',
      en: 'The date of receipt is in the future',
    });
  return ctx.db.transaction().execute(async (trx) => {
    // Serialises two deliveries of the same order.
    const existing = await trx
      .selectFrom('complaint')
      .select(['id', 'tracking_no'])
      .where('hotline_no', '=', input.workOrderNo)
      .executeTakeFirst();
    if (existing) {
      // Another desk's order is not this caller's to see: say it is taken, name nothing.
      if (!(await repo.findVisible(trx, actor, existing.id)))
        throw conflict('COMPLAINT_HOTLINE_DUPLICATE', {
          zh: `12345 工单 ${input.workOrderNo} 已由其他单位登记`,
          en: `12345 work order ${input.workOrderNo} is registered by another unit`,
        });
      return { id: existing.id, trackingNo: existing.tracking_no, duplicate: true };
    }
    const made = await insertTransfer(trx, ctx, origin, u, input);
    return { id: made.id, trackingNo: made.trackingNo, duplicate: false };
  });
}
