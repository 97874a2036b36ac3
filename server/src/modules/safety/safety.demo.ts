/**
 * The built-in city checklist (学校安全隐患排查表) and the demo's safety data: the checklist, a city campaign
 * with its inspection groups, grids at most schools, campaign visits and last month's self-inspections, all
 * made through the module's services so the findings are real ledger entries.
 */
import { SafetyInspectionSave, type ChecklistItemInput } from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { seededRng } from '../../demo/rng.js';
import { saveInspection } from './safety.inspections.service.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { createCampaign, createTemplate } from './safety.service.js';
import { rootUnit } from '../../platform/access/scope.js';

const 办法 = '《中小学幼儿园安全管理办法》';

/** The city bureau's built-in checklist: 40 items over the nine areas and other, with their legal basis. */
export function builtinChecklistItems(): ChecklistItemInput[] {
  const i = (
    area: ChecklistItemInput['area'],
    text: string,
    basis?: string,
    defaultSeverity: ChecklistItemInput['defaultSeverity'] = 'general',
  ): ChecklistItemInput => ({ area, text, ...(basis ? { basis } : {}), defaultSeverity });
  return [
    // 消防安全
    i('fire', '消防安全责任制落实，明确消防安全责任人、管理人，建立防火巡查、检查记录', `${办法}第十五条`),
    i(
      'fire',
      '灭火器、消火栓等消防器材配备齐全、在有效期内，定期检查并有记录',
      '《中华人民共和国消防法》第十六条',
    ),
    i('fire', '疏散通道、安全出口畅通，无锁闭、堵塞、占用', '《中华人民共和国消防法》第二十八条', 'major'),
    i('fire', '应急照明、疏散指示标志完好有效'),
    i('fire', '电气线路无私拉乱接，无超负荷用电，配电室整洁上锁', `${办法}第十六条`),
    i('fire', '每学期至少开展一次消防应急疏散演练，有方案、有记录'),
    // 食品安全
    i(
      'food',
      '食堂取得食品经营许可证，从业人员持有效健康证明上岗',
      '《中华人民共和国食品安全法》第四十五条',
      'major',
    ),
    i('food', '落实食材定点采购和索证索票、进货查验记录制度', `${办法}第十八条`),
    i(
      'food',
      '食品留样：每餐次每品种留样不少于125克，冷藏48小时以上，有记录',
      '《学校食品安全与营养健康管理规定》',
    ),
    i('food', '落实集中用餐陪餐制度，学校负责人陪餐有记录', '《学校食品安全与营养健康管理规定》'),
    i('food', '后厨生熟分开，餐用具清洗消毒到位，防鼠、防蝇、防尘设施完好'),
    i('food', '饮用水设施定期清洗消毒，水质检测合格'),
    // 校舍安全
    i(
      'building',
      '建立校舍安全定期检查和危房报告制度，无使用中的危房（C、D级）',
      `${办法}第十四条`,
      'serious',
    ),
    i('building', '围墙、护栏、楼梯扶手、门窗玻璃牢固，无松动破损', undefined, 'major'),
    i('building', '体育器材、游乐设施安装牢固，定期检查维护有记录'),
    i('building', '教学楼楼梯间、走廊照明充足，课间楼梯口有教师值守'),
    // 交通安全
    i('traffic', '校车取得使用许可，驾驶人资质合格，随车照管人员在岗', '《校车安全管理条例》', 'major'),
    i('traffic', '校门口交通标志、标线、减速设施齐全，上下学时段有护学岗'),
    i('traffic', '开展交通安全教育，掌握学生上下学交通方式，无乘坐“三无”车辆情况'),
    // 防溺水
    i(
      'drowning',
      '开展防溺水专题教育，假期前发放《致家长的一封信》并回收回执',
      '教育部预防中小学生溺水工作通知',
    ),
    i('drowning', '排查学校周边危险水域，设置警示标志，落实巡查责任人'),
    i('drowning', '落实“六不”要求宣传到每名学生，建立重点学生台账'),
    // 危化品管理
    i(
      'chemicals',
      '危险化学品专柜存放、双人双锁管理，购买、领用、归还登记完整',
      `${办法}第十九条`,
      'serious',
    ),
    i('chemicals', '实验室安全管理制度和操作规程上墙，废液、废弃物分类处置'),
    i('chemicals', '实验室配备通风、洗眼、灭火等安全设施并完好'),
    // 防欺凌
    i(
      'bullying',
      '成立学生欺凌治理委员会，制定欺凌防治工作制度和处置流程',
      '《未成年人学校保护规定》第二十二条',
    ),
    i('bullying', '开展防欺凌专题教育，设立并公布举报电话或信箱'),
    i('bullying', '定期排查学生欺凌隐患，对疑似事件及时处置并有记录'),
    i('bullying', '心理健康教育教师配备到位，建立学生心理健康档案'),
    // 周边环境
    i('surroundings', '学校周边200米内无网吧、歌舞娱乐场所，无销售烟酒给未成年人的情况'),
    i('surroundings', '校门口无占道经营、无流动摊贩聚集，与属地部门建立联动机制'),
    i('surroundings', '学校周边无施工、高压线、危险物品存放等安全隐患'),
    // 人防物防技防
    i(
      'security',
      '专职保安员配备数量达标、持证上岗，配齐防暴器械',
      '《中小学幼儿园安全防范工作规范（试行）》',
      'major',
    ),
    i('security', '落实门卫制度，外来人员、车辆登记核实后入校', `${办法}第十三条`),
    i(
      'security',
      '校园视频监控覆盖重点部位，图像保存不少于30天，与公安联网',
      '《中小学幼儿园安全防范工作规范（试行）》',
    ),
    i('security', '校门口设置防冲撞设施，一键式紧急报警装置完好'),
    i('security', '上下学时段“护学岗”到位，实行封闭化管理'),
    // 其他
    i('other', '安全工作领导机构健全，签订安全责任书，岗位安全职责明确', `${办法}第十二条`),
    i('other', '建立安全工作档案，突发事件应急预案完备并定期演练'),
    i('other', '寄宿制学校落实宿舍管理制度和夜间值班巡查', `${办法}第二十五条`),
  ];
}

export const BUILTIN_TEMPLATE_NAME = '学校安全隐患排查整治检查表（市级通用）';

/** Creates the built-in checklist at the city bureau, published as version 1. */
export async function seedBuiltinTemplate(ctx: AppContext, cityId: string) {
  const sys = systemActor('dudao demo');
  const t = await createTemplate(
    ctx,
    sys,
    {
      ownerUnitId: cityId,
      name: BUILTIN_TEMPLATE_NAME,
      description:
        '依据《中小学幼儿园安全管理办法》等编制，覆盖消防、食品、校舍、交通、防溺水、危化品、防欺凌、周边环境、人防物防技防。',
      items: builtinChecklistItems().map((x) => ({ ...x, defaultSeverity: x.defaultSeverity ?? 'general' })),
      publish: true,
    },
    { actor: sys, ip: null, requestId: null },
  );
  return { templateId: t.id, versionId: t.current!.id, items: t.items };
}

const LOCATIONS = [
  ['教学楼一层', '教学楼一层走廊及教室'],
  ['教学楼二层', '教学楼二层走廊及教室'],
  ['食堂', '食堂操作间、库房、就餐区'],
  ['操场', '操场、体育器材区'],
  ['校门', '校门口及门卫室'],
  ['实验室', '理化生实验室及危化品库'],
] as const;
const PEOPLE = ['王建国', '李淑芬', '张立新', '刘海燕', '陈志强', '赵丽华', '孙宏伟', '周敏'];

/**
 * Safety data for the demo city, once (a second run finds the checklist and does nothing): the checklist, a
 * city campaign with two groups per county, grids, visits to a sample of schools and last month's
 * self-inspections at most schools.
 */
export async function seedSafetyDemo(
  ctx: AppContext,
  opts: { seed: number; maxSchools?: number },
): Promise<void> {
  const exists = await ctx.db
    .selectFrom('safety_template')
    .select('id')
    .where('name', '=', BUILTIN_TEMPLATE_NAME)
    .executeTakeFirst();
  if (exists) return;
  const city = await rootUnit(ctx.db);
  if (!city) return;
  const rng = seededRng(opts.seed + 5);
  const sys = systemActor('dudao demo');
  const origin = { actor: sys, ip: null, requestId: null };
  const { versionId, items } = await seedBuiltinTemplate(ctx, city.id);
  const counties = await ctx.db
    .selectFrom('unit')
    .select(['id', 'name'])
    .where('parent_id', '=', city.id)
    .where('kind', '=', 'county_bureau')
    .orderBy('code')
    .execute();
  const today = chinaToday();
  const campaign = await createCampaign(
    ctx,
    sys,
    {
      ownerUnitId: city.id,
      name: `${today.slice(0, 4)}年秋季学校安全隐患排查整治专项行动`,
      description: '对全市中小学校、幼儿园开展拉网式安全隐患排查，形成问题清单，督促整改，逐项销号。',
      startsOn: addDays(today, -20),
      endsOn: addDays(today, 40),
      templateVersionId: versionId,
      groups: counties.flatMap((c, n) =>
        [1, 2].map((g) => ({
          name: `${c.name.replace(/教育局$/, '')}第${g}检查组`,
          leader: PEOPLE[(n * 2 + g) % PEOPLE.length]!,
          members: [PEOPLE[(n + g + 3) % PEOPLE.length]!],
          people: 4 + g,
        })),
      ),
    },
    origin,
  );
  const schools = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path'])
    .where('kind', '=', 'school')
    .where('status', '=', 'active')
    .orderBy('code')
    .limit(opts.maxSchools ?? 400)
    .execute();
  const lastMonth = addDays(`${today.slice(0, 7)}-01`, -1);
  for (const [n, s] of schools.entries()) {
    // Grids at four schools in five, some without a named person yet (inserted in one statement: the demo's
    // own audit event covers them, as it covers the units and accounts).
    const grids = (rng() < 0.8 ? LOCATIONS.slice(0, 3 + Math.floor(rng() * 4)) : []).map(
      ([name, location], k) => {
        const named = rng() < 0.85;
        return {
          id: randomUUID(),
          unit_id: s.id,
          name,
          location,
          person_name: named ? PEOPLE[Math.floor(rng() * PEOPLE.length)]! : null,
          person_phone: named ? `139${String(4310000 + n * 7 + k).padStart(8, '0')}` : null,
          user_id: null,
          seq: k + 1,
        };
      },
    );
    if (grids.length) await ctx.db.insertInto('safety_grid').values(grids).execute();
    const gridIds = grids.map((g) => g.id);
    const answers = (failRate: number) =>
      items.map((it) => {
        const fail = rng() < failRate;
        return {
          itemId: it.id,
          result: fail ? 'fail' : rng() < 0.05 ? 'na' : 'pass',
          ...(fail
            ? { note: `${it.text.slice(0, 12)}……存在问题，需整改`, rectifiedOnSite: rng() < 0.3 }
            : {}),
          ...(fail && gridIds.length ? { gridId: gridIds[Math.floor(rng() * gridIds.length)]! } : {}),
        };
      });
    // Last month's self-inspection at most schools.
    if (rng() < 0.85) {
      const date = addDays(lastMonth, -Math.floor(rng() * 20));
      await saveInspection(
        ctx,
        sys,
        SafetyInspectionSave.parse({
          id: randomUUID(),
          kind: 'self_check',
          schoolId: s.id,
          templateVersionId: versionId,
          inspectedOn: date,
          month: lastMonth.slice(0, 7),
          people: [PEOPLE[n % PEOPLE.length]!],
          peopleCount: 3,
          summary: '按月度自查要求完成排查。',
          items: answers(0.03),
          submit: true,
        }),
        origin,
      );
    }
    // Campaign visits at about a third of the schools.
    const county = counties.findIndex((c) => s.path.includes(c.id));
    if (county >= 0 && rng() < 0.35) {
      const prefix = counties[county]!.name.replace(/教育局$/, '');
      const mine = campaign.groups.filter((g) => g.name.startsWith(prefix));
      const group = mine[Math.floor(rng() * mine.length)]!;
      await saveInspection(
        ctx,
        sys,
        SafetyInspectionSave.parse({
          id: randomUUID(),
          kind: 'campaign',
          schoolId: s.id,
          campaignId: campaign.id,
          groupId: group.id,
          inspectedOn: addDays(today, -Math.floor(rng() * 15)),
          people: [group.leader, ...group.members],
          peopleCount: group.people,
          summary: '现场查看、查阅资料、询问师生，发现问题当场反馈，限期整改。',
          items: answers(0.08),
          submit: true,
        }),
        origin,
      );
    }
  }
}
