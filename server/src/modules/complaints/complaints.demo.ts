/**
 * The demo's complaints desk: about 150 complaints over the last five months from every channel, at the
 * county desks, routed to schools (or kept at the bureau), some about the demo's training institutions;
 * most replied and rated, some reopened after 不满意, a few merged, some open past their time limit.
 * Each is registered through the service (tracking number, encrypted phone, working-day deadline,
 * timeline, audit); the later steps are written in bulk with back-dated timeline rows so the demo stays fast.
 */
import type { ComplaintCategory, ComplaintChannel, Satisfaction } from '@dudao/contracts';
import { sql } from 'kysely';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { personName } from '../../demo/names.js';
import { seededRng } from '../../demo/rng.js';
import { addWorkingDays, DEFAULT_REPLY_DAYS, workingDaysBetween } from './complaints.deadline.js';
import { insertComplaint } from './complaints.service.js';

const TEXTS: Record<ComplaintCategory, [string, string][]> = {
  training: [
    ['培训机构预收费超过三个月', '该机构要求一次性缴纳一年学费 9800 元，称不交就没有名额。'],
    ['培训机构停课后拒不退费', '机构突然停课，剩余 36 课时费用至今未退，老板电话打不通。'],
    ['疑似无证开展学科类培训', '小区内有人以托管名义给初中生补习数学、英语，周末也上课。'],
    ['培训机构消防通道堵塞', '机构所在楼层安全出口堆放杂物，孩子上课存在安全隐患。'],
  ],
  fees: [
    ['学校统一征订教辅资料', '班主任要求每位学生购买指定教辅资料，每套 168 元。'],
    ['课后服务费收取标准不清', '学校收取课后服务费，但未公示收费标准和服务内容。'],
    ['校服费用偏高', '学校指定校服每套 420 元，质量一般，家长反映价格过高。'],
  ],
  ethics: [
    ['教师有偿补课', '数学老师在家中给本班学生有偿补课，每节课 150 元。'],
    ['教师言语侮辱学生', '班主任在课堂上用侮辱性语言批评学生，孩子不敢上学。'],
    ['教师收受家长礼品', '教师节期间班主任收受家长购物卡。'],
  ],
  safety: [
    ['校门口上下学交通拥堵', '放学时段校门口车辆乱停，学生过马路存在安全隐患。'],
    ['学生在校被欺凌', '孩子多次被同班同学推搡、索要零花钱，已告知老师但未处理。'],
    ['食堂饭菜质量差', '孩子反映食堂饭菜经常不熟，有异味。'],
  ],
  enrolment: [
    ['学区划片不合理', '小区划入的学校距离较远，要求按就近原则调整。'],
    ['随迁子女入学材料要求过多', '学校要求提供的证明材料超出政策规定。'],
  ],
  aid: [
    ['家庭困难学生资助未落实', '孩子属于低保家庭，本学期未收到国家助学金。'],
    ['营养餐补助发放问题', '学校营养改善计划补助标准与公示不一致。'],
  ],
  burden: [
    ['作业量过大', '小学三年级每天作业要写到晚上十点以后。'],
    ['课后服务变相上新课', '课后服务时间老师集体讲授新课，不参加的学生跟不上。'],
  ],
  other: [['咨询转学政策', '想了解跨区转学需要办理哪些手续。']],
};
const REPLIES = [
  '经调查核实，情况基本属实，已责令整改并对相关责任人进行批评教育，感谢您的监督。',
  '已约谈相关负责人，责令限期整改，并已电话向您反馈处理情况。',
  '经核查，反映问题部分属实，已督促退还相关费用，后续将加强日常监管。',
  '已对相关情况进行说明和政策解释，如有其他诉求请继续反映。',
];
const CHANNELS: [ComplaintChannel, number][] = [
  ['web', 0.35],
  ['hotline12345', 0.3],
  ['phone', 0.2],
  ['petition', 0.1],
  ['opinion', 0.05],
];

/** The demo's complaints; a no-op when the desk already has some. */
export async function seedComplaintDemo(
  ctx: AppContext,
  opts: { seed: number; scale: 'small' | 'city' | 'province' },
): Promise<void> {
  const exists = await ctx.db.selectFrom('complaint').select('id').limit(1).executeTakeFirst();
  if (exists) return;
  const rng = seededRng(opts.seed + 710);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const counties = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path', 'name'])
    .where('kind', '=', 'county_bureau')
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
  if (counties.length === 0) return;
  const schools = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path', 'name', 'parent_id'])
    .where('kind', '=', 'school')
    .where('status', '=', 'active')
    .orderBy('code')
    .limit(400)
    .execute();
  const institutions = await ctx.db
    .selectFrom('training_institution')
    .select(['id', 'name', 'unit_id'])
    .orderBy('id')
    .limit(60)
    .execute();
  const today = chinaToday();
  const origin = { actor: systemActor('demo'), ip: null, requestId: null };
  const total = opts.scale === 'small' ? 150 : 400;
  const at = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);

  await ctx.db.transaction().execute(async (trx) => {
    let hotlineSeq = 1000;
    for (let i = 0; i < total; i++) {
      const r = rng();
      let acc = 0;
      const channel = CHANNELS.find(([, p]) => (acc += p) >= r)?.[0] ?? 'web';
      const aboutTraining = institutions.length > 0 && rng() < 0.25;
      const category: ComplaintCategory = aboutTraining
        ? 'training'
        : pick(['fees', 'ethics', 'safety', 'enrolment', 'aid', 'burden', 'fees', 'other'] as const);
      const inst = aboutTraining ? pick(institutions) : null;
      const school = !aboutTraining && schools.length > 0 ? pick(schools) : null;
      const desk = inst
        ? (counties.find((c) => c.id === inst.unit_id) ?? pick(counties))
        : school
          ? (counties.find((c) => c.id === school.parent_id) ?? pick(counties))
          : pick(counties);
      const [title, content] = pick(TEXTS[category]);
      // Spread over ~150 days, more in recent months.
      const receivedOn = addDays(today, -Math.floor(Math.pow(rng(), 0.8) * 150));
      const sex = rng() < 0.6 ? 'F' : 'M';
      const made = await insertComplaint(trx, ctx, origin, {
        deskUnitId: desk.id,
        deskPath: desk.path,
        channel,
        category,
        title,
        content,
        schoolId: school?.id ?? null,
        institutionId: inst?.id ?? null,
        subjectName: inst?.name ?? school?.name ?? null,
        complainantName: channel === 'opinion' ? null : personName(rng, sex),
        phone:
          channel === 'opinion'
            ? null
            : `13${Math.floor(rng() * 10)}${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`,
        hotlineNo: channel === 'hotline12345' ? `SP${receivedOn.replaceAll('-', '')}${hotlineSeq++}` : null,
        receivedOn,
        replyDays: DEFAULT_REPLY_DAYS,
        receivedAt: at(receivedOn, 8 + Math.floor(rng() * 9)),
        notify: false,
      });
      // Where it goes from here: the older, the further along.
      const age = workingDaysBetween(receivedOn, today);
      const unit = school && rng() < 0.75 ? school.id : desk.id;
      const routedOn = addWorkingDays(receivedOn, 1) > today ? today : addWorkingDays(receivedOn, 1);
      const events: {
        kind: string;
        on: string;
        unit: string;
        note?: string;
        data?: unknown;
        pub: boolean;
      }[] = [];
      const set: Record<string, unknown> = {};
      if (age < 1 && rng() < 0.7) {
        // 待分派 at the desk.
      } else {
        set.unit_id = unit;
        set.status = 'routed';
        events.push({ kind: 'route', on: routedOn, unit, pub: true });
        // A few stay open; those older than their deadline are overdue (the escalation job picks them up).
        const stuck = rng() < (age > 15 ? 0.08 : 0.45);
        if (!stuck) {
          const acceptOn = addWorkingDays(routedOn, 1) > today ? today : addWorkingDays(routedOn, 1);
          set.status = 'accepted';
          set.accepted_at = at(acceptOn, 9);
          events.push({ kind: 'accept', on: acceptOn, unit, pub: true });
          const took = 3 + Math.floor(rng() * (rng() < 0.12 ? 25 : 12));
          const replyOn = addWorkingDays(receivedOn, took);
          if (replyOn <= today) {
            const reply = pick(REPLIES);
            set.status = 'replied';
            set.reply = reply;
            set.replied_on = replyOn;
            events.push({ kind: 'reply', on: replyOn, unit, note: reply, pub: true });
            const rateOn = addDays(replyOn, 2);
            if (rateOn <= today && channel !== 'opinion' && rng() < 0.85) {
              const s: Satisfaction = rng() < 0.72 ? 'satisfied' : rng() < 0.7 ? 'basic' : 'dissatisfied';
              set.satisfaction = s;
              set.rated_at = at(rateOn, 20);
              events.push({ kind: 'rate', on: rateOn, unit, data: { satisfaction: s }, pub: true });
              if (s === 'dissatisfied') {
                const deadline = addWorkingDays(rateOn, DEFAULT_REPLY_DAYS);
                set.status = 'accepted';
                set.reopen_count = 1;
                set.deadline = deadline;
                set.reply = null;
                set.replied_on = null;
                events.push({ kind: 'reopen', on: rateOn, unit, data: { deadline }, pub: true });
                const again = addWorkingDays(rateOn, 6);
                if (again <= today) {
                  const reply2 = '重新调查后，已督促相关单位全额退还费用，并将处理结果电话告知。';
                  set.status = 'closed';
                  set.reply = reply2;
                  set.replied_on = again;
                  set.closed_on = addDays(again, 3) > today ? today : addDays(again, 3);
                  events.push({ kind: 'reply', on: again, unit, note: reply2, pub: true });
                  events.push({
                    kind: 'close',
                    on: set.closed_on as string,
                    unit,
                    note: '电话回访，诉求人认可',
                    pub: true,
                  });
                }
              } else {
                set.status = 'closed';
                set.closed_on = rateOn;
                events.push({ kind: 'close', on: rateOn, unit, pub: true });
              }
            } else if (addDays(replyOn, 10) <= today) {
              set.status = 'closed';
              set.closed_on = addDays(replyOn, 10);
              events.push({
                kind: 'close',
                on: set.closed_on as string,
                unit,
                note: '答复后十日未评价，按期办结',
                pub: true,
              });
            }
          }
        }
      }
      if (Object.keys(set).length > 0)
        await trx
          .updateTable('complaint')
          .set(set as never)
          .where('id', '=', made.id)
          .execute();

      if (events.length > 0)
        await trx
          .insertInto('complaint_event')
          .values(
            events.map((e, k) => ({
              id: timeOrderedId(),
              complaint_id: made.id,
              kind: e.kind,
              public: e.pub,
              actor_id: null,
              actor_name: e.kind === 'rate' ? null : '演示数据',
              unit_id: e.unit,
              note: e.note ?? null,
              data: e.data === undefined ? null : JSON.stringify(e.data),
              created_at: at(e.on, 10 + k),
            })),
          )
          .execute();
    }
    // A few duplicates of the same matter at a desk, merged into the first.
    const dupes = await trx
      .selectFrom('complaint')
      .select(['id', 'unit_id', 'title'])
      .where('status', 'in', ['routed', 'accepted'])
      .orderBy('id')
      .limit(40)
      .execute();
    const byKey = new Map<string, string>();
    for (const d of dupes) {
      const key = `${d.unit_id}|${d.title}`;
      const first = byKey.get(key);
      if (!first) byKey.set(key, d.id);
      else {
        await trx
          .updateTable('complaint')
          .set({ status: 'merged', merged_into: first })
          .where('id', '=', d.id)
          .execute();
        await trx
          .insertInto('complaint_event')
          .values({
            id: timeOrderedId(),
            complaint_id: d.id,
            kind: 'merge',
            public: true,
            actor_id: null,
            actor_name: '演示数据',
            unit_id: d.unit_id,
            note: '同一事项，合并办理',
            data: JSON.stringify({ into: first }),
          })
          .execute();
      }
    }
    await sql`analyze complaint`.execute(trx);
  });
}
