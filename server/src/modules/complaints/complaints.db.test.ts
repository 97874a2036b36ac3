import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplaintDetail, ComplaintStats, PublicComplaintView } from '@dudao/contracts';
import { systemActor } from '../../platform/access/actor.js';
import { issueApiToken } from '../../platform/auth/api-tokens.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { addWorkingDays } from './complaints.deadline.js';
import { issueCaptcha } from './complaints.public.js';
import { escalateOverdueComplaints } from './complaints.service.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let county: Client;
let school: Client;
let leader: Client;
let city: Client;
const sys = { actor: systemActor('test'), ip: null, requestId: null };
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let ipSeq = 1;
/** Each public call from its own address unless told, so the per-IP limits only bite where a test means them. */
const pub = (method: InjectOptions['method'], url: string, payload?: unknown, ip?: string, headers = {}) =>
  app.inject({
    method,
    url,
    remoteAddress: ip ?? `10.0.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`,
    headers,
    ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}),
  });

const form = (extra: Record<string, unknown> = {}) => {
  const c = issueCaptcha(t.ctx);
  return {
    category: 'fees',
    unitId: world.schoolA1.id,
    title: '学校强制购买教辅',
    content: '班主任要求每位学生购买指定教辅资料，每套 168 元，不买的学生被点名批评。',
    phone: '13912345678',
    name: '王小明',
    captchaToken: c.token,
    captchaAnswer: c.answer,
    ...extra,
  };
};

async function submit(extra: Record<string, unknown> = {}) {
  const res = await pub('POST', '/api/public/complaints', form(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ trackingNo: string; deadline: string }>();
}
const idOf = async (trackingNo: string) =>
  (
    await t.ctx.db
      .selectFrom('complaint')
      .select('id')
      .where('tracking_no', '=', trackingNo)
      .executeTakeFirstOrThrow()
  ).id;
const detail = async (c: Client, id: string) => {
  const res = await c.get(`/api/complaints/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ComplaintDetail>();
};
const track = (trackingNo: string, phoneLast4 = '5678', ip?: string) =>
  pub('POST', '/api/public/complaints/track', { trackingNo, phoneLast4 }, ip);

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  county = await loginAs(app, world.users.adminA.username, PASSWORD);
  school = await loginAs(app, world.users.schoolAdminA1.username, PASSWORD);
  leader = await loginAs(app, world.users.leaderA.username, PASSWORD);
  city = await loginAs(app, world.users.cityAdmin.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

describe('the public form', () => {
  it('files a complaint at the school’s county desk with a deadline in working days', async () => {
    const receipt = await submit();
    expect(receipt.trackingNo).toMatch(/^TS\d{8}-[0-9A-Z]{10}$/);
    expect(receipt.deadline).toBe(addWorkingDays(chinaToday(), 15));
    const c = await detail(county, await idOf(receipt.trackingNo));
    expect(c).toMatchObject({
      status: 'received',
      channel: 'web',
      unitId: world.countyA.id,
      schoolId: world.schoolA1.id,
    });
    expect(c.phoneMasked).toBe('139****5678');
    expect(c.complainantMasked).toBe('王**');
    const row = await t.ctx.db
      .selectFrom('complaint')
      .selectAll()
      .where('tracking_no', '=', receipt.trackingNo)
      .executeTakeFirstOrThrow();
    expect(row.phone_enc).not.toContain('13912345678');
    expect(row.complainant_enc).not.toContain('王小明');
  });

  it('refuses a wrong, an expired and a reused captcha, and a filled honeypot, writing nothing', async () => {
    const before = (await t.ctx.db.selectFrom('complaint').select('id').execute()).length;
    const wrong = form();
    wrong.captchaAnswer = String(Number(wrong.captchaAnswer) + 1);
    expect((await pub('POST', '/api/public/complaints', wrong)).json()).toMatchObject({
      code: 'CAPTCHA_WRONG',
    });
    const old = issueCaptcha(t.ctx, Date.now() - 11 * 60_000);
    const expired = await pub(
      'POST',
      '/api/public/complaints',
      form({ captchaToken: old.token, captchaAnswer: old.answer }),
    );
    expect(expired.json()).toMatchObject({ code: 'CAPTCHA_EXPIRED' });
    const tampered = issueCaptcha(t.ctx);
    const [n, , sig] = tampered.token.split('.');
    const later = `${n}.${Math.floor(Date.now() / 1000) + 9000}.${sig}`;
    expect(
      (
        await pub(
          'POST',
          '/api/public/complaints',
          form({ captchaToken: later, captchaAnswer: tampered.answer }),
        )
      ).json(),
    ).toMatchObject({
      code: 'CAPTCHA_WRONG',
    });
    const bot = await pub('POST', '/api/public/complaints', form({ website: 'http://spam.example' }));
    expect(bot.statusCode).toBe(400);
    expect(bot.json()).toMatchObject({ code: 'COMPLAINT_REJECTED' });
    expect((await t.ctx.db.selectFrom('complaint').select('id').execute()).length).toBe(before);

    const once = form();
    expect((await pub('POST', '/api/public/complaints', once)).statusCode).toBe(201);
    const again = await pub('POST', '/api/public/complaints', once);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'CAPTCHA_USED' });
    expect((await t.ctx.db.selectFrom('complaint').select('id').execute()).length).toBe(before + 1);
  });

  it('limits submissions per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push((await pub('POST', '/api/public/complaints', form(), '10.9.9.9')).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect((await pub('POST', '/api/public/complaints', form(), '10.9.9.10')).statusCode).toBe(201);
  });

  it('never sends the captcha’s answer, and takes photos only (≤ 5 MB)', async () => {
    const cap = await pub('GET', '/api/public/complaints/captcha');
    expect(cap.statusCode).toBe(200);
    expect(Object.keys(cap.json<object>()).sort()).toEqual(['expiresInSeconds', 'svg', 'token']);
    const pdf = await pub('POST', '/api/public/complaints/photo', Buffer.from('%PDF-1.4 hello'), undefined, {
      'content-type': 'application/octet-stream',
    });
    expect(pdf.json()).toMatchObject({ code: 'FILE_TYPE' });
    const big = await pub(
      'POST',
      '/api/public/complaints/photo',
      Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]),
      undefined,
      {
        'content-type': 'application/octet-stream',
      },
    );
    expect(big.statusCode).toBe(413);
    const ok = await pub('POST', '/api/public/complaints/photo', PNG, undefined, {
      'content-type': 'application/octet-stream',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const photoId = ok.json<{ id: string }>().id;
    const receipt = await submit({ photoId });
    const c = await detail(county, await idOf(receipt.trackingNo));
    expect(c.files.map((f) => f.id)).toEqual([photoId]);
    // The photo moved to the desk: the county reads it, the other county does not.
    expect((await county.get(`/api/files/${photoId}`)).statusCode).toBe(200);
    const b = await loginAs(app, world.users.adminB.username, PASSWORD);
    expect((await b.get(`/api/files/${photoId}`)).statusCode).toBe(404);
    // A photo is attached once.
    expect((await pub('POST', '/api/public/complaints', form({ photoId }))).json()).toMatchObject({
      code: 'FILE_UNKNOWN',
    });
  });

  it('finds schools and bureaus by name, with public facts only', async () => {
    const res = await pub('GET', `/api/public/complaint-targets?q=${encodeURIComponent('实验小学')}`);
    const list = res.json<{ id: string; name: string; countyName: string | null }[]>();
    expect(list.map((x) => x.name).sort()).toEqual(['铁东区实验小学', '铁西区实验小学']);
    expect(list.find((x) => x.id === world.schoolA1.id)?.countyName).toBe('铁西区教育局');
    expect(Object.keys(list[0]!).sort()).toEqual(['countyName', 'id', 'kind', 'name']);
  });
});

describe('the handling loop', () => {
  it('routes, accepts, replies; the tracking page shows public steps only; satisfaction closes', async () => {
    const { trackingNo } = await submit();
    const id = await idOf(trackingNo);
    // A school cannot route; the county routes to the school.
    expect((await school.post(`/api/complaints/${id}/route`, { unitId: world.schoolA1.id })).statusCode).toBe(
      404,
    );
    let c = (
      await county.post(`/api/complaints/${id}/route`, { unitId: world.schoolA1.id, note: '请学校核实' })
    ).json<ComplaintDetail>();
    expect(c).toMatchObject({ status: 'routed', unitId: world.schoolA1.id });
    expect(
      (await county.post(`/api/complaints/${id}/note`, { note: '内部：家长情绪激动，注意沟通' })).statusCode,
    ).toBe(200);
    // Reply needs acceptance first or implies it; rating needs a reply.
    expect(
      (
        await pub('POST', '/api/public/complaints/rate', {
          trackingNo,
          phoneLast4: '5678',
          satisfaction: 'satisfied',
        })
      ).statusCode,
    ).toBe(409);
    c = (await school.post(`/api/complaints/${id}/accept`, {})).json<ComplaintDetail>();
    expect(c.status).toBe('accepted');
    expect(c.can.revealPhone).toBe(true);
    c = (
      await school.post(`/api/complaints/${id}/reply`, { reply: '经核查，学校已停止代购教辅并全额退费。' })
    ).json<ComplaintDetail>();
    expect(c).toMatchObject({ status: 'replied', repliedOn: chinaToday() });

    const view = (await track(trackingNo)).json<PublicComplaintView>();
    expect(view).toMatchObject({
      status: 'replied',
      reply: '经核查，学校已停止代购教辅并全额退费。',
      canRate: true,
      unitName: '铁西区实验小学',
    });
    expect(view.timeline.map((e) => e.kind)).toEqual(['receive', 'route', 'accept', 'reply']);
    const body = JSON.stringify(view);
    for (const secret of ['13912345678', '王小明', '内部', '家长情绪', '测试', 'a1.admin', '请学校核实'])
      expect(body).not.toContain(secret);
    // The second factor: a wrong last four digits reads as not found, like an unknown number.
    expect((await track(trackingNo, '0000')).statusCode).toBe(404);
    expect((await track('TS20260101-AAAAAAAAAA')).statusCode).toBe(404);

    const rated = await pub('POST', '/api/public/complaints/rate', {
      trackingNo,
      phoneLast4: '5678',
      satisfaction: 'basic',
    });
    expect(rated.json<PublicComplaintView>()).toMatchObject({
      status: 'closed',
      satisfaction: 'basic',
      canRate: false,
    });
    c = await detail(county, id);
    expect(c.timeline.map((e) => e.kind)).toEqual([
      'receive',
      'route',
      'note',
      'accept',
      'reply',
      'rate',
      'close',
    ]);
    const audit = await t.ctx.db
      .selectFrom('audit_event')
      .select('action')
      .where('object_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'complaint.create',
      'complaint.route',
      'complaint.note',
      'complaint.accept',
      'complaint.reply',
      'complaint.rate',
      'complaint.close',
    ]);
  });

  it('reopens on dissatisfaction with a new working-day limit, and the desk may send back and close', async () => {
    const { trackingNo } = await submit();
    const id = await idOf(trackingNo);
    await county.post(`/api/complaints/${id}/route`, { unitId: world.schoolA1.id });
    // The school sends it back: not its matter; the desk routes it again.
    const back = await school.post(`/api/complaints/${id}/return`, { note: '涉及区教育局统一征订' });
    expect(back.statusCode).toBe(204);
    let c = await detail(county, id);
    expect(c).toMatchObject({ status: 'received', unitId: world.countyA.id });
    expect((await school.get(`/api/complaints/${id}`)).statusCode).toBe(404);
    await county.post(`/api/complaints/${id}/route`, { unitId: world.schoolA1.id });
    await school.post(`/api/complaints/${id}/reply`, { reply: '已向家长解释征订政策。' });
    const r = await pub('POST', '/api/public/complaints/rate', {
      trackingNo,
      phoneLast4: '5678',
      satisfaction: 'dissatisfied',
      note: '没有退费',
    });
    expect(r.json<PublicComplaintView>()).toMatchObject({ status: 'accepted', reply: null, canRate: false });
    c = await detail(county, id);
    expect(c).toMatchObject({
      status: 'accepted',
      reopenCount: 1,
      satisfaction: 'dissatisfied',
      deadline: addWorkingDays(chinaToday(), 15),
    });
    expect((await county.post(`/api/complaints/${id}/close`, {})).statusCode).toBe(409);
    await school.post(`/api/complaints/${id}/reply`, { reply: '已督促学校全额退费。' });
    // The complainant does not answer: the desk closes it; a school may not.
    expect((await school.post(`/api/complaints/${id}/close`, {})).statusCode).toBe(403);
    c = (
      await county.post(`/api/complaints/${id}/close`, { note: '电话回访，家长认可' })
    ).json<ComplaintDetail>();
    expect(c.status).toBe('closed');
  });

  it('merges duplicates: one is kept, the other follows it on the tracking page', async () => {
    const a = await submit();
    const b = await submit({ phone: '13800001111' });
    const [ida, idb] = [await idOf(a.trackingNo), await idOf(b.trackingNo)];
    expect((await county.post(`/api/complaints/${idb}/merge`, { intoId: idb })).statusCode).toBe(400);
    const merged = (
      await county.post(`/api/complaints/${idb}/merge`, { intoId: ida, note: '同一事项' })
    ).json<ComplaintDetail>();
    expect(merged).toMatchObject({ status: 'merged', mergedIntoId: ida });
    expect((await detail(county, ida)).duplicates.map((d) => d.id)).toEqual([idb]);
    await county.post(`/api/complaints/${ida}/route`, { unitId: world.schoolA1.id });
    await school.post(`/api/complaints/${ida}/reply`, { reply: '已责令整改。' });
    const view = (await track(b.trackingNo, '1111')).json<PublicComplaintView>();
    expect(view).toMatchObject({
      trackingNo: b.trackingNo,
      merged: true,
      status: 'replied',
      reply: '已责令整改。',
      canRate: false,
    });
    expect(JSON.stringify(view)).not.toContain(a.trackingNo);
    expect((await county.post(`/api/complaints/${ida}/merge`, { intoId: idb })).statusCode).toBe(409);
  });

  it('raises a finding in the ledger from a complaint', async () => {
    const { trackingNo } = await submit();
    const id = await idOf(trackingNo);
    await county.post(`/api/complaints/${id}/route`, { unitId: world.schoolA1.id });
    const c = (
      await county.post(`/api/complaints/${id}/finding`, { severity: 'major', title: '违规代购教辅' })
    ).json<ComplaintDetail>();
    expect(c.findingIds).toHaveLength(1);
    const f = await t.ctx.db
      .selectFrom('finding')
      .selectAll()
      .where('id', '=', c.findingIds[0]!)
      .executeTakeFirstOrThrow();
    expect(f).toMatchObject({
      source: 'complaint',
      source_type: 'complaint',
      source_id: id,
      unit_id: world.schoolA1.id,
      category: 'enrolment_fees',
    });
    expect(c.timeline.at(-1)?.kind).toBe('finding');
  });

  it('escalates overdue complaints once to the parent unit and tells its administrators', async () => {
    const { trackingNo } = await submit();
    const id = await idOf(trackingNo);
    await county.post(`/api/complaints/${id}/route`, { unitId: world.schoolA1.id });
    const deadline = (await detail(county, id)).deadline;
    expect(await escalateOverdueComplaints(t.ctx, sys, deadline)).toBe(0);
    const n = await escalateOverdueComplaints(t.ctx, sys, addDays(deadline, 1));
    expect(n).toBeGreaterThanOrEqual(1);
    const row = await t.ctx.db
      .selectFrom('complaint')
      .select(['escalated_to_unit_id', 'escalated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.escalated_to_unit_id).toBe(world.countyA.id);
    expect(await escalateOverdueComplaints(t.ctx, sys, addDays(deadline, 1))).toBe(0);
    const notes = await t.ctx.db
      .selectFrom('notification')
      .select(['user_id', 'kind'])
      .where('kind', '=', 'complaint.escalated')
      .execute();
    expect(notes.map((x) => x.user_id)).toContain(world.users.adminA.id);
    expect((await detail(county, id)).timeline.some((e) => e.kind === 'escalate' && !e.public)).toBe(true);
  });
});

describe('personal data', () => {
  it('masks the phone for a leader, reveals it to the handler and to person.reveal holders, each reveal audited', async () => {
    const { trackingNo } = await submit({ phone: '13655557777' });
    const id = await idOf(trackingNo);
    await county.post(`/api/complaints/${id}/route`, { unitId: world.schoolA1.id });
    const seen = await detail(leader, id);
    expect(seen.phoneMasked).toBe('136****7777');
    expect(seen.can.revealPhone).toBe(false);
    expect((await leader.post(`/api/complaints/${id}/reveal-phone`)).statusCode).toBe(403);
    const list = await leader.get(`/api/complaints?q=13655557777`);
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([id]);
    expect(list.body).not.toContain('13655557777');
    const before = await t.ctx.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'person.reveal')
      .execute();
    const res = await school.post(`/api/complaints/${id}/reveal-phone`);
    expect(res.json()).toEqual({ phone: '13655557777', complainantName: '王小明' });
    const after = await t.ctx.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'person.reveal')
      .orderBy('id', 'desc')
      .execute();
    expect(after.length).toBe(before.length + 1);
    expect(after[0]).toMatchObject({ object_id: id, actor_user_id: world.users.schoolAdminA1.id });
    expect(JSON.stringify(after[0]!.after)).not.toContain('13655557777');
  });
});

describe('12345 transfers', () => {
  it('imports a hotline export keeping the work-order number, deduplicated across file and database', async () => {
    const csv = [
      '市12345政务服务便民热线转办工单',
      '工单编号,来电时间,来电人,来电号码,问题分类,诉求内容,被反映单位',
      'GD202611010001,2026-11-01 09:12:00,李女士,13700001111,教育培训,某培训机构收费后跑路，要求退费,启航培训学校',
      'GD202611010002,2026/11/2,张先生,13700002222,教育收费,学校收取校服费过高,铁西区第二小学',
      'GD202611010001,2026-11-01,李女士,13700001111,教育培训,重复行,',
      'GD202611010003,明天,王某,137,其他,内容,',
      ',2026-11-02,赵某,,其他,没有工单号,',
    ].join('\r\n');
    const upload = () =>
      county.request('POST', `/api/complaints/hotline/import?unitId=${world.countyA.id}`, Buffer.from(csv), {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent('12345工单.csv'),
      });
    const res = await upload();
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<{
      rows: number;
      inserted: number;
      duplicates: { row: number }[];
      errors: { row: number; column: string }[];
    }>();
    expect(r).toMatchObject({ rows: 5, inserted: 2 });
    expect(r.duplicates.map((d) => d.row)).toEqual([5]);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [6, '受理时间'],
      [7, '工单编号'],
    ]);
    const rows = await t.ctx.db
      .selectFrom('complaint')
      .select(['hotline_no', 'category', 'channel', 'received_on'])
      .where('hotline_no', 'like', 'GD2026%')
      .orderBy('hotline_no')
      .execute();
    expect(rows).toEqual([
      {
        hotline_no: 'GD202611010001',
        category: 'training',
        channel: 'hotline12345',
        received_on: '2026-11-01',
      },
      { hotline_no: 'GD202611010002', category: 'fees', channel: 'hotline12345', received_on: '2026-11-02' },
    ]);
    const second = (await upload()).json<{ inserted: number; duplicates: unknown[] }>();
    expect(second.inserted).toBe(0);
    expect(second.duplicates).toHaveLength(3);
  });

  it('takes work orders through the API with a token, idempotent on the work-order number', async () => {
    const { token } = await issueApiToken(t.ctx.db, {
      userId: world.users.adminA.id,
      name: '12345 对接',
      days: null,
      createdBy: world.users.adminA.id,
    });
    const send = (body: object) =>
      app.inject({
        method: 'POST',
        url: '/api/complaints/hotline',
        headers: { authorization: `Bearer ${token}` },
        payload: body,
      });
    const order = {
      unitId: world.countyA.id,
      workOrderNo: 'API-0001',
      receivedOn: '2026-11-05',
      content: '反映学校课后服务收费。',
      phone: '13711112222',
    };
    const first = await send(order);
    expect(first.statusCode, first.body).toBe(201);
    const again = await send(order);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json<{ id: string }>().id, duplicate: true });
    // Another county's token may not file at county A.
    const { token: tokenB } = await issueApiToken(t.ctx.db, {
      userId: world.users.adminB.id,
      name: 'B',
      days: null,
      createdBy: world.users.adminB.id,
    });
    const other = await app.inject({
      method: 'POST',
      url: '/api/complaints/hotline',
      headers: { authorization: `Bearer ${tokenB}` },
      payload: { ...order, unitId: world.countyB.id },
    });
    expect(other.statusCode).toBe(409);
    expect(other.body).not.toContain(first.json<{ id: string }>().id);
  });
});

describe('statistics', () => {
  it('computes received, in time, 办结率 and 满意率 per definition, and each figure drills down', async () => {
    const res = await city.get(`/api/complaints/stats?under=${world.countyA.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json<ComplaintStats>();
    const all = await t.ctx.db.selectFrom('complaint').selectAll().where('status', '<>', 'merged').execute();
    const expectTotal = {
      received: all.length,
      replied: all.filter((c) => c.replied_on).length,
      inTime: all.filter((c) => c.replied_on && c.replied_on <= c.deadline).length,
      closed: all.filter((c) => c.status === 'closed').length,
      rated: all.filter((c) => c.satisfaction).length,
      satisfied: all.filter((c) => c.satisfaction === 'satisfied' || c.satisfaction === 'basic').length,
    };
    expect(s.total).toMatchObject(expectTotal);
    expect(s.total.closeRate).toBe(Math.round((expectTotal.closed / expectTotal.received) * 1000) / 10);
    expect(s.total.satisfactionRate).toBe(
      Math.round((expectTotal.satisfied / expectTotal.rated) * 1000) / 10,
    );
    expect(s.sentence).toContain(`受理群众诉求${expectTotal.received}件，已办结${expectTotal.closed}件`);
    expect(s.byChannel.reduce((n, c) => n + c.received, 0)).toBe(expectTotal.received);
    expect(s.byCategory.reduce((n, c) => n + c.received, 0)).toBe(expectTotal.received);
    expect(s.byUnit.map((u) => u.unitId).sort()).toEqual([world.countyA.id, world.schoolA1.id].sort());
    for (const [state, n] of [
      ['closed', expectTotal.closed],
      ['satisfied', expectTotal.satisfied],
      ['inTime', expectTotal.inTime],
    ] as const) {
      const list = await city.get(`/api/complaints?under=${world.countyA.id}&state=${state}&pageSize=500`);
      expect(list.json<{ total: number }>().total, state).toBe(n);
    }
    const school1 = s.byUnit.find((u) => u.unitId === world.schoolA1.id)!;
    const drill = await city.get(`/api/complaints?under=${world.schoolA1.id}&pageSize=500`);
    expect(
      drill.json<{ items: { status: string }[] }>().items.filter((i) => i.status !== 'merged'),
    ).toHaveLength(school1.received);
  });

  it('exports the ledger as xlsx, phones masked, audited', async () => {
    const res = await county.get(`/api/complaints/export?under=${world.countyA.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const ev = await t.ctx.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'export')
      .where('object_type', '=', 'complaint')
      .executeTakeFirst();
    expect(ev).toBeDefined();
  });

  it('uses a bureau’s own reply limit for new complaints', async () => {
    const put = await county.request('PUT', '/api/complaints/settings', {
      unitId: world.countyA.id,
      replyDays: 5,
    });
    expect(put.json()).toMatchObject({ replyDays: 5, own: true });
    expect(
      (await school.request('PUT', '/api/complaints/settings', { unitId: world.schoolA1.id, replyDays: 3 }))
        .statusCode,
    ).toBe(403);
    const { deadline } = await submit();
    expect(deadline).toBe(addWorkingDays(chinaToday(), 5));
    expect((await school.get(`/api/complaints/settings?unitId=${world.schoolA1.id}`)).json()).toMatchObject({
      replyDays: 5,
      own: false,
    });
  });
});
