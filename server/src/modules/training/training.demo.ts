/**
 * The demo's off-campus training institutions: 10–20 per county bureau (about 70–80 in the 四平 demo),
 * mostly non-subject (arts, sports, science) with a few non-profit subject schools; most operating and
 * compliant (white list), some with flaws, a few rectifying, suspended, closed, banned (black list) or
 * converted (学转非) over the past months; prepaid orders with some violations raised as findings by the
 * check; a few joint inspections. Institutions are registered and changed through the services (scope,
 * audit); their venues, staff and documents are written directly for speed. A no-op once done.
 */
import { addDays, chinaToday } from '../../platform/dates.js';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { seededRng } from '../../demo/rng.js';
import { buildInstitution, type Flaw } from './training.fixtures.js';
import { checkInstitution } from './training.prepaid.js';
import { recordInspection } from './training.reports.js';
import { applyBlacklist, applyStatus } from './training.lifecycle.js';
import type { TrainingSubType } from '@dudao/contracts';

const BRANDS = [
  '启航',
  '博雅',
  '智慧树',
  '小天鹅',
  '星火',
  '童心',
  '乐学',
  '卓越',
  '朗思',
  '青苗',
  '金话筒',
  '墨香',
  '跃动',
  '飞鹰',
  '未来星',
  '思维树',
  '创客',
  '彩虹',
  '小画家',
  '琴韵',
  '翰林',
  '晨曦',
  '蓝天',
  '同心',
  '明德',
  '新苗',
];
const KINDS: { sub: TrainingSubType; words: string[] }[] = [
  { sub: 'arts', words: ['美术', '舞蹈', '钢琴', '书法', '声乐', '口才', '围棋'] },
  { sub: 'sports', words: ['跆拳道', '篮球', '游泳', '轮滑', '乒乓球', '足球'] },
  { sub: 'tech', words: ['编程', '机器人', '科学实验', '航模'] },
  { sub: 'research', words: ['研学'] },
];
const SUFFIX = ['培训学校', '培训中心', '艺术学校', '俱乐部', '教育中心'];
const STREETS = [
  '中央东路',
  '英雄大街',
  '北二马路',
  '南一纬路',
  '紫气大路',
  '海丰大街',
  '新华路',
  '平东大街',
];

export async function seedTrainingDemo(
  ctx: AppContext,
  opts: { seed: number; scale: 'small' | 'city' | 'province' },
): Promise<void> {
  if (await ctx.db.selectFrom('training_institution').select('id').limit(1).executeTakeFirst()) return;
  const counties = await ctx.db
    .selectFrom('unit')
    .select(['id', 'code', 'name'])
    .where('kind', '=', 'county_bureau')
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
  if (counties.length === 0) return;
  const rng = seededRng(opts.seed * 7919 + 7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
  const sys = systemActor('demo');
  const origin = { actor: sys, ip: null, requestId: null };
  const today = chinaToday();
  const perCounty = Math.max(10, Math.min(20, Math.round(72 / counties.length)));
  let serial = 1000;
  const used = new Set<string>();
  const made: { id: string; unitId: string; fate: string; subject: boolean }[] = [];

  for (const county of counties) {
    const short = county.name.replace(/教育局$/, '');
    for (let n = 0; n < perCounty; n++) {
      serial++;
      const subject = n === 3 || rng() < 0.12;
      const kind = pick(KINDS);
      const word = subject ? pick(['数学', '英语', '语文', '物理']) : pick(kind.words);
      let name = '';
      for (let tries = 0; tries < 5 && (!name || used.has(name)); tries++)
        name = subject
          ? `${short}${pick(BRANDS)}${word}学科培训学校`
          : `${short}${pick(BRANDS)}${word}${pick(SUFFIX)}`;
      if (used.has(name)) name = `${name}（${n + 1}分校）`;
      used.add(name);
      const r = rng();
      // Each county closed, banned and converted at least one over the past months; the rest at random.
      const fixed = n === 1 ? 'closed' : n === 2 ? 'banned' : n === 3 ? 'converted' : null;
      const fate =
        fixed ??
        (r < 0.06
          ? 'applied'
          : r < 0.1
            ? 'approved'
            : r < 0.16
              ? 'rectifying'
              : r < 0.19
                ? 'suspended'
                : r < 0.23
                  ? 'closed'
                  : r < 0.26
                    ? 'banned'
                    : subject && r < 0.4
                      ? 'converted'
                      : 'operating');
      const flaws: Flaw[] = [];
      if (rng() < 0.22 || fate === 'rectifying' || fate === 'suspended')
        flaws.push(pick(['venue', 'staff', 'docs', 'licence', 'funds'] as const));
      if (rng() < 0.08) flaws.push(pick(['venue', 'staff', 'docs'] as const));
      const id = await buildInstitution(ctx, sys, origin, {
        unitId: county.id,
        divisionCode: county.code,
        name,
        serial,
        category: subject ? 'subject' : 'non_subject',
        subType: subject ? 'k12' : kind.sub,
        flaws,
        status: fate === 'applied' ? 'applied' : fate === 'approved' ? 'approved' : 'operating',
        address: `${short}${pick(STREETS)}${Math.floor(rng() * 300) + 1}号${Math.floor(rng() * 4) + 1}楼`,
        students: 20 + Math.floor(rng() * 120),
        pricePerHour: subject ? 60 + Math.floor(rng() * 5) * 10 : 50 + Math.floor(rng() * 10) * 10,
        teachers: 2,
        idNumberOf: (k) =>
          k < 2
            ? generateIdNumber(
                county.code,
                `19${85 + Math.floor(rng() * 14)}-0${1 + Math.floor(rng() * 9)}-1${Math.floor(rng() * 9)}`,
                rng() < 0.6 ? 'F' : 'M',
                Math.floor(rng() * 400),
              )
            : null,
      });
      made.push({ id, unitId: county.id, fate, subject });
    }
  }

  // Lifecycle over the past months, through the service (dates and reasons, audited).
  const reasons: Record<string, string> = {
    rectifying: '检查发现问题，责令限期整改',
    suspended: '消防安全隐患未整改，责令停业整顿',
    closed: '办学许可证到期未续办，依法关停',
    banned: '无证违规开展学科类培训，联合执法依法取缔',
    converted: '义务教育阶段学科类机构转为非学科类（学转非）',
  };
  for (const m of made) {
    if (m.fate === 'applied' || m.fate === 'approved' || m.fate === 'operating') continue;
    const on = addDays(today, -Math.floor(rng() * 200));
    if (m.fate === 'suspended')
      await applyStatus(
        ctx,
        sys,
        m.id,
        { to: 'rectifying', on: addDays(on, -20), reason: reasons.rectifying! },
        origin,
      );
    await applyStatus(ctx, sys, m.id, { to: m.fate as 'closed', on, reason: reasons[m.fate]! }, origin);
    if (m.fate === 'banned')
      await applyBlacklist(ctx, sys, m.id, { on, reason: '无证无照违规办学，已依法取缔' }, true, origin);
  }
  // Two operating institutions black-listed for false advertising.
  for (const m of made.filter((x) => x.fate === 'operating').slice(3, 5))
    await applyBlacklist(
      ctx,
      sys,
      m.id,
      { on: addDays(today, -30), reason: '虚假宣传、诱导超期预收费' },
      true,
      origin,
    );

  // Prepaid orders at about half the operating institutions; a few break the rules.
  const paying = made.filter((m) => m.fate === 'operating' && rng() < 0.5);
  const orders: {
    id: string;
    institution_id: string;
    order_no: string;
    paid_on: string;
    amount_cents: number;
    class_hours: number;
    covers_months: number;
    hours_taught: number;
    refunded: boolean;
    source: 'import';
  }[] = [];
  let no = 0;
  for (const m of paying) {
    const count = 3 + Math.floor(rng() * 6);
    const bad = rng() < 0.25;
    for (let k = 0; k < count; k++) {
      const hours = bad && k === 0 ? 96 : pick([10, 20, 24, 30, 40, 48]);
      const price = 6000 + Math.floor(rng() * 6) * 1000;
      orders.push({
        id: timeOrderedId(),
        institution_id: m.id,
        order_no: `DD${today.slice(0, 4)}${String(++no).padStart(5, '0')}`,
        paid_on: addDays(today, -Math.floor(rng() * 80) - 1),
        amount_cents: hours * price,
        class_hours: hours,
        covers_months: bad && k === 0 ? 12 : hours > 30 ? 3 : 2,
        hours_taught: Math.floor(hours * rng() * 0.8),
        refunded: false,
        source: 'import',
      });
    }
  }
  if (orders.length > 0) await ctx.db.insertInto('training_order').values(orders).execute();
  await ctx.db.transaction().execute(async (trx) => {
    for (const m of paying) await checkInstitution(trx, origin, m.id);
  });

  // Joint enforcement at a few institutions with problems.
  const flawed = made.filter((m) => m.fate === 'rectifying').slice(0, 4);
  for (const [k, m] of flawed.entries())
    await recordInspection(
      ctx,
      sys,
      m.id,
      {
        kind: k % 2 === 0 ? 'joint' : 'unannounced',
        inspectedOn: addDays(today, -10 - k * 7),
        agencies: k % 2 === 0 ? ['市场监管局', '消防救援大队'] : [],
        people: ['王科长', '刘干事'],
        summary: k % 2 === 0 ? '“双减”联合执法检查' : '暗访发现问题',
        findings: [
          {
            title: pick(['未公示收费项目及标准', '消防通道堆放杂物', '教师未完成背景审查', '超范围开展培训']),
            severity: 'general',
            deadline: addDays(today, 5 + k * 3),
          },
        ],
      },
      { ...origin },
    );
}
