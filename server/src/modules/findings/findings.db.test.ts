import type { FindingDetail, FindingPage, FindingStats, Notice, NotificationList } from '@dudao/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { auditEvents, expectError, expectUnchanged } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { escalateOverdue } from './findings.escalation.js';
import { raiseFindings } from './findings.service.js';
import { statsSentence } from './findings.stats.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let inspector: Client;
let schoolA1: Client;
let schoolA2: Client;
let teacherA1: Client;

const today = chinaToday();
const inDays = (n: number) => addDays(today, n);
/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  city = await loginAs(app, u.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  inspector = await loginAs(app, u.inspectorA.username, PASSWORD);
  schoolA1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  schoolA2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  teacherA1 = await loginAs(app, u.teacherA1.username, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

async function upload(client: Client, unitId: string, body: Buffer = PNG, name = '现场照片.png') {
  return client.request('POST', `/api/files?unitId=${unitId}`, body, {
    'content-type': 'application/octet-stream',
    'x-file-name': encodeURIComponent(name),
  });
}

async function raise(client: Client, body: Record<string, unknown>): Promise<FindingDetail> {
  const res = await client.post('/api/findings', {
    unitId: world.schoolA1.id,
    category: 'fire',
    severity: 'general',
    title: '消防通道堆放杂物',
    deadline: inDays(10),
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<FindingDetail>();
}

describe('the rectification loop', () => {
  it('goes raised → notified → rectifying → submitted → returned → submitted → closed, each step in the timeline and the audit trail', async () => {
    const photo = (await upload(adminA, world.schoolA1.id)).json<{ id: string }>();
    const f = await raise(adminA, {
      title: '实验楼灭火器过期',
      description: '二楼走廊 3 具灭火器压力不足',
      location: '实验楼二楼',
      basis: '《中华人民共和国消防法》第十六条',
      fileIds: [photo.id],
      notify: false,
    });
    expect(f).toMatchObject({
      status: 'raised',
      source: 'manual',
      unitId: world.schoolA1.id,
      raisedByUnitId: world.countyA.id,
      noticeNo: null,
      files: [{ id: photo.id, contentType: 'image/png' }],
    });
    expect(f.no).toMatch(/^220302-\d{4}-\d{4}$/);
    // Not yet sent: the school does not see it; the county does.
    expectError(await schoolA1.get(`/api/findings/${f.id}`), 404, 'NOT_FOUND');
    expect((await adminA.get(`/api/findings/${f.id}`)).json<FindingDetail>().can.notify).toBe(true);

    const noticeRes = await adminA.post('/api/findings/notices', { findingIds: [f.id], note: '请认真整改' });
    expect(noticeRes.statusCode, noticeRes.body).toBe(201);
    const notice = noticeRes.json<Notice>();
    expect(notice).toMatchObject({
      issuer: { id: world.countyA.id, name: '铁西区教育局' },
      recipient: { id: world.schoolA1.id, name: '铁西区实验小学', code: '1220200001' },
      deadline: inDays(10),
      items: [{ findingId: f.id, title: '实验楼灭火器过期', basis: '《中华人民共和国消防法》第十六条' }],
    });
    expect(notice.no).toBe(`铁西区整改〔${today.slice(0, 4)}〕1号`);
    // The school sees it now, with the notice, and was told.
    const seen = (await schoolA1.get(`/api/findings/${f.id}`)).json<FindingDetail>();
    expect(seen).toMatchObject({
      status: 'notified',
      noticeNo: notice.no,
      can: { start: true, verify: false },
    });
    const note = (await schoolA1.get('/api/notifications')).json<NotificationList>();
    expect(note.items[0]).toMatchObject({ kind: 'finding.notified', link: `/findings/notices/${notice.id}` });
    expect((await schoolA1.get(`/api/findings/notices/${notice.id}`)).json<Notice>().no).toBe(notice.no);

    // The raising side cannot rectify; the school cannot verify.
    expectError(await adminB.post(`/api/findings/${f.id}/start`, { measures: '更换' }), 404, 'NOT_FOUND');
    expectError(await schoolA1.post(`/api/findings/${f.id}/verify`, {}), 403, 'FORBIDDEN');
    expectError(await teacherA1.post(`/api/findings/${f.id}/start`, { measures: '更换' }), 403, 'FORBIDDEN');
    // A report before measures is allowed (the loop does not force the middle step), but not in the future.
    expectError(
      await schoolA1.post(`/api/findings/${f.id}/submit`, { report: '已更换', completedOn: inDays(1) }),
      400,
      'FINDING_COMPLETED_FUTURE',
    );

    const started = await schoolA1.post(`/api/findings/${f.id}/start`, {
      measures: '联系消防器材公司更换灭火器',
    });
    expect(started.json<FindingDetail>().status).toBe('rectifying');
    const evidence = (await upload(schoolA1, world.schoolA1.id, PNG, '整改后.png')).json<{ id: string }>();
    const submitted = await schoolA1.post(`/api/findings/${f.id}/submit`, {
      report: '已更换 3 具灭火器。\n经复查压力正常。',
      completedOn: today,
      fileIds: [evidence.id],
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json<FindingDetail>()).toMatchObject({ status: 'submitted', can: { submit: false } });
    // The raiser (the county admin) hears of the report.
    const adminNotes = (await adminA.get('/api/notifications')).json<NotificationList>();
    expect(
      adminNotes.items.some((n) => n.kind === 'finding.submitted' && n.link === `/findings/${f.id}`),
    ).toBe(true);

    expectError(await adminA.post(`/api/findings/${f.id}/return`, {}), 400, 'VALIDATION');
    const returned = await adminA.post(`/api/findings/${f.id}/return`, {
      reason: '未提供更换后的检验标签照片',
    });
    expect(returned.json<FindingDetail>()).toMatchObject({ status: 'rectifying', returnCount: 1 });
    await schoolA1.post(`/api/findings/${f.id}/submit`, { report: '补充检验标签照片', completedOn: today });
    const closed = await adminA.post(`/api/findings/${f.id}/verify`, { note: '现场复查合格' });
    expect(closed.json<FindingDetail>()).toMatchObject({ status: 'closed', closedOn: today });
    // Closed is final.
    expectError(await adminA.post(`/api/findings/${f.id}/verify`, {}), 409, 'FINDING_STATE');
    expectError(await schoolA1.post(`/api/findings/${f.id}/start`, { measures: 'x' }), 409, 'FINDING_STATE');

    const detail = (await city.get(`/api/findings/${f.id}`)).json<FindingDetail>();
    expect(detail.events.map((e) => e.kind)).toEqual([
      'raise',
      'notify',
      'start',
      'submit',
      'return',
      'submit',
      'close',
    ]);
    expect(detail.events[3]!.files.map((x) => x.id)).toEqual([evidence.id]);
    expect(detail.events[4]!.note).toBe('未提供更换后的检验标签照片');
    const actions = (await auditEvents(t.ctx))
      .filter((e) => e.object_id === f.id || e.object_id === notice.id)
      .map((e) => e.action);
    expect(actions).toEqual([
      'finding.raise',
      'finding.notify',
      'finding.start',
      'finding.submit',
      'finding.return',
      'finding.submit',
      'finding.verify',
    ]);
  });

  it('lets an inspector close what they raised at their school, and not a finding the county raised', async () => {
    const mine = await raise(inspector, { category: 'ethos', title: '课间操组织松散' });
    expect(mine.raisedByUnitId).toBe(world.countyA.id);
    expect(mine.status).toBe('notified');
    const county = await raise(adminA, { title: '配电室未上锁' });
    for (const f of [mine, county])
      await schoolA1.post(`/api/findings/${f.id}/submit`, { report: '已整改', completedOn: today });
    expect((await inspector.post(`/api/findings/${mine.id}/verify`, {})).json<FindingDetail>().status).toBe(
      'closed',
    );
    expectError(await inspector.post(`/api/findings/${county.id}/verify`, {}), 403, 'FORBIDDEN');
    // An inspector sees only assigned schools.
    const a2 = await raise(adminA, { unitId: world.schoolA2.id, title: '围墙破损' });
    expectError(await inspector.get(`/api/findings/${a2.id}`), 404, 'NOT_FOUND');
    expectError(
      await inspector.post('/api/findings', {
        unitId: world.schoolA2.id,
        category: 'fire',
        title: '探针',
        deadline: inDays(3),
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('requires interim controls before work starts on a serious hazard', async () => {
    const f = await raise(adminA, { severity: 'serious', title: '教学楼外墙瓷砖脱落', deadline: inDays(5) });
    expectError(
      await schoolA1.post(`/api/findings/${f.id}/start`, { measures: '联系施工单位' }),
      400,
      'FINDING_INTERIM_CONTROLS',
    );
    const ok = await schoolA1.post(`/api/findings/${f.id}/start`, {
      measures: '联系施工单位',
      interimControls: '拉设警戒线，学生改走西侧通道',
    });
    expect(ok.json<FindingDetail>()).toMatchObject({ interimControls: '拉设警戒线，学生改走西侧通道' });
  });

  it('records 立行立改 findings closed, and a school’s self-inspection without a notice', async () => {
    const onSite = await raise(adminA, { title: '安全出口指示灯不亮', rectifiedOnSite: true });
    expect(onSite).toMatchObject({ status: 'closed', closedOn: today });
    const self = await raise(schoolA1, { source: 'self_check', title: '食堂留样记录不全', category: 'food' });
    expect(self).toMatchObject({
      status: 'notified',
      source: 'self_check',
      noticeNo: null,
      raisedByUnitId: world.schoolA1.id,
    });
    await schoolA1.post(`/api/findings/${self.id}/submit`, { report: '已补记', completedOn: today });
    // The school raised it, so the school verifies it; the county (above the raiser) may too.
    expect((await schoolA1.post(`/api/findings/${self.id}/verify`, {})).json<FindingDetail>().status).toBe(
      'closed',
    );
  });

  it('refuses bad input with a code and changes nothing', async () => {
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminA.post('/api/findings', { unitId: world.schoolA1.id, title: 'x' }),
        400,
        'VALIDATION',
      );
      expectError(
        await adminA.post('/api/findings', {
          unitId: world.schoolA1.id,
          category: 'fire',
          title: '过期',
          deadline: addDays(today, -1),
        }),
        400,
        'FINDING_DEADLINE_PAST',
      );
      expectError(
        await adminA.post('/api/findings', {
          unitId: world.schoolA1.id,
          category: 'nonsense',
          title: '类别错误',
          deadline: inDays(3),
        }),
        400,
        'VALIDATION',
      );
    });
    // A photo of another school cannot be attached.
    const other = (await upload(adminA, world.schoolA2.id)).json<{ id: string }>();
    const gridA2 = (
      await t.ctx.db
        .insertInto('safety_grid')
        .values({ id: crypto.randomUUID(), unit_id: world.schoolA2.id, name: '操场' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await expectUnchanged(t.ctx, async () => {
      expectError(
        await adminA.post('/api/findings', {
          unitId: world.schoolA1.id,
          category: 'fire',
          title: '错配照片',
          deadline: inDays(3),
          fileIds: [other.id],
        }),
        400,
        'FILE_UNKNOWN',
      );
      expectError(
        await adminA.post('/api/findings', {
          unitId: world.schoolA1.id,
          category: 'fire',
          title: '别校网格',
          deadline: inDays(3),
          gridId: gridA2,
        }),
        400,
        'FINDING_GRID',
      );
      expectError(
        await upload(adminA, world.schoolA1.id, Buffer.from('<html>not an image</html>')),
        400,
        'FILE_TYPE',
      );
      expectError(await upload(adminA, world.schoolA1.id, Buffer.alloc(0)), 400, 'FILE_EMPTY');
      expectError(await upload(adminB, world.schoolA1.id), 404, 'NOT_FOUND');
      expectError(await upload(teacherA1, world.schoolA1.id), 403, 'FORBIDDEN');
    });
  });
});

describe('files', () => {
  it('serves a file to those who may read the unit’s findings, with its sniffed type', async () => {
    const up = await upload(schoolA1, world.schoolA1.id, PNG, '../../etc/passwd.jpg');
    expect(up.statusCode, up.body).toBe(201);
    const f = up.json<{ id: string; name: string; contentType: string; size: number }>();
    expect(f).toMatchObject({ name: '.._.._etc_passwd.jpg', contentType: 'image/png', size: PNG.length });
    const got = await adminA.get(`/api/files/${f.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(PNG)).toBe(true);
    expectError(await schoolA2.get(`/api/files/${f.id}`), 404, 'NOT_FOUND');
    expectError(await adminB.get(`/api/files/${f.id}`), 404, 'NOT_FOUND');
  });
});

describe('escalation', () => {
  it('escalates an open finding past its deadline to the parent unit once, shows it red, and a new deadline lifts it', async () => {
    const f = await raise(adminA, { title: '校门口减速带缺失', category: 'traffic', deadline: inDays(2) });
    const sys = { actor: systemActor('escalation'), ip: null, requestId: null };
    // Not yet due.
    expect(await escalateOverdue(t.ctx, sys, inDays(2))).toBe(0);
    const n = await escalateOverdue(t.ctx, sys, inDays(3));
    expect(n).toBeGreaterThanOrEqual(1);
    expect(await escalateOverdue(t.ctx, sys, inDays(3))).toBe(0);
    const row = await t.ctx.db
      .selectFrom('finding')
      .selectAll()
      .where('id', '=', f.id)
      .executeTakeFirstOrThrow();
    expect(row.escalated_to_unit_id).toBe(world.countyA.id);
    const d = (await adminA.get(`/api/findings/${f.id}`)).json<FindingDetail>();
    expect(d.events.at(-1)).toMatchObject({ kind: 'escalate', unitName: '铁西区教育局' });
    expect(d.escalatedToName).toBe('铁西区教育局');
    const notes = (await adminA.get('/api/notifications')).json<NotificationList>();
    expect(notes.items.some((x) => x.kind === 'finding.escalated')).toBe(true);
    expect((await auditEvents(t.ctx, 'finding.escalate')).some((e) => e.object_id === f.id)).toBe(true);

    // The deadline really passing makes it overdue (red) in lists and counts.
    await t.ctx.db
      .updateTable('finding')
      .set({ deadline: addDays(today, -1) })
      .where('id', '=', f.id)
      .execute();
    const list = (await adminA.get(`/api/findings?state=overdue&pageSize=100`)).json<FindingPage>();
    expect(list.items.find((x) => x.id === f.id)).toMatchObject({ overdue: true });
    const escalated = (await adminA.get(`/api/findings?state=escalated&pageSize=100`)).json<FindingPage>();
    expect(escalated.items.map((x) => x.id)).toContain(f.id);

    expectError(
      await adminA.post(`/api/findings/${f.id}/extend`, { deadline: addDays(today, -2), reason: '施工' }),
      400,
      'FINDING_EXTEND_DATE',
    );
    const ext = await adminA.post(`/api/findings/${f.id}/extend`, {
      deadline: inDays(20),
      reason: '需等待交通部门施工',
    });
    expect(ext.json<FindingDetail>()).toMatchObject({
      overdue: false,
      escalatedAt: null,
      deadline: inDays(20),
    });
    expectError(
      await schoolA1.post(`/api/findings/${f.id}/extend`, { deadline: inDays(30), reason: '自延' }),
      403,
      'FORBIDDEN',
    );
    // A submitted report is not overdue: it waits on the raising side.
    await schoolA1.post(`/api/findings/${f.id}/submit`, { report: '已安装', completedOn: today });
    await t.ctx.db
      .updateTable('finding')
      .set({ deadline: addDays(today, -1) })
      .where('id', '=', f.id)
      .execute();
    expect((await adminA.get(`/api/findings/${f.id}`)).json<FindingDetail>().overdue).toBe(false);
  });
});

describe('statistics', () => {
  it('reconcile with the ledger rows, per scope, source and unit, and say so in a sentence', async () => {
    // A fresh county-B set with known numbers: 4 found, 1 closed, 1 overdue.
    const sys = { actor: systemActor('test'), ip: null, requestId: null };
    const ids = await t.ctx.db.transaction().execute((trx) =>
      raiseFindings(
        trx,
        t.ctx,
        sys,
        ['消防栓无水', '电线裸露', '楼梯扶手松动', '食堂无纱窗'].map((title, i) => ({
          unitId: world.schoolB1.id,
          source: 'inspection' as const,
          sourceType: 'safety_inspection',
          sourceId: 'probe-inspection',
          category: i === 3 ? ('food' as const) : ('fire' as const),
          severity: 'general' as const,
          title,
          deadline: inDays(5),
        })),
        { raisedByUnitId: world.countyB.id },
      ),
    );
    expect(ids.noticeIds).toHaveLength(1);
    const [a, b] = ids.findingIds as [string, string];
    await t.ctx.db
      .updateTable('finding')
      .set({ status: 'closed', closed_on: today })
      .where('id', '=', a)
      .execute();
    await t.ctx.db
      .updateTable('finding')
      .set({ deadline: addDays(today, -3) })
      .where('id', '=', b)
      .execute();

    const s = (await adminB.get('/api/findings/stats')).json<FindingStats>();
    expect(s).toMatchObject({ found: 4, rectified: 1, open: 3, overdue: 1, rate: 0.25 });
    expect(s.sentence.zh).toBe('发现问题4个，已整改1个，整改率25%，逾期未整改1个');
    const hazards = (await adminB.get('/api/findings/stats?source=inspection')).json<FindingStats>();
    expect(hazards.sentence.zh).toBe('发现隐患4处，已整改1处，整改率25%，逾期未整改1处');
    expect(s.byCategory).toEqual(
      expect.arrayContaining([
        { category: 'fire', found: 3, rectified: 1, open: 2, overdue: 1, rate: 1 / 3 },
        { category: 'food', found: 1, rectified: 0, open: 1, overdue: 0, rate: 0 },
      ]),
    );
    expect(s.byUnit).toEqual([
      {
        unitId: world.schoolB1.id,
        unitName: '铁东区实验小学',
        found: 4,
        rectified: 1,
        open: 3,
        overdue: 1,
        rate: 0.25,
      },
    ]);

    // The city's figures are the ledger's rows, counted independently here.
    const cityStats = (await city.get('/api/findings/stats')).json<FindingStats>();
    const rows = await t.ctx.db.selectFrom('finding').select(['status', 'deadline']).execute();
    const overdue = rows.filter(
      (r) => ['raised', 'notified', 'rectifying'].includes(r.status) && r.deadline < today,
    );
    expect(cityStats).toMatchObject({
      found: rows.length,
      rectified: rows.filter((r) => r.status === 'closed').length,
      open: rows.filter((r) => r.status !== 'closed').length,
      overdue: overdue.length,
    });
    // Per county, adding up to the city.
    expect(cityStats.byUnit.map((u) => u.unitName)).toEqual(['铁西区教育局', '铁东区教育局']);
    expect(cityStats.byUnit.reduce((n, u) => n + u.found, 0)).toBe(cityStats.found);
    // The drill-down lists exactly the counted rows.
    const drill = (await adminB.get('/api/findings?state=overdue&pageSize=100')).json<FindingPage>();
    expect(drill.items.map((x) => x.id)).toEqual([b]);
    const bySource = (
      await adminB.get('/api/findings?sourceType=safety_inspection&sourceId=probe-inspection')
    ).json<FindingPage>();
    expect(bySource.total).toBe(4);
    // Another county's figures are not visible.
    expect((await adminA.get(`/api/findings/stats?under=${world.countyB.id}`)).statusCode).toBe(404);
    // An inspector's figures cover the assigned school only.
    const insp = (await inspector.get('/api/findings/stats')).json<FindingStats>();
    expect(insp.byUnit.map((u) => u.unitId)).toEqual([world.schoolA1.id]);
  });

  it('formats the sentence with a trimmed percentage', () => {
    expect(statsSentence({ found: 830, rectified: 830, open: 0, overdue: 0, rate: 1 }, 'inspection').zh).toBe(
      '发现隐患830处，已整改830处，整改率100%',
    );
    expect(statsSentence({ found: 3, rectified: 2, open: 1, overdue: 0, rate: 2 / 3 }).zh).toBe(
      '发现问题3个，已整改2个，整改率66.7%',
    );
    expect(statsSentence({ found: 0, rectified: 0, open: 0, overdue: 0, rate: null }).zh).toBe(
      '发现问题0个，已整改0个，整改率—',
    );
    expect(
      statsSentence({ found: 2, rectified: 1, open: 1, overdue: 0, rate: 0.5 }, undefined, 'fire').zh,
    ).toBe('发现隐患2处，已整改1处，整改率50%');
  });
});

describe('export and notifications', () => {
  it('exports the ledger as xlsx and csv, within scope, audited, formula-safe', async () => {
    await raise(adminA, { title: '=HYPERLINK("http://x")' });
    const csv = await adminA.get('/api/findings/export?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('台账编号');
    expect(csv.body).toContain("'=HYPERLINK");
    expect(csv.body).not.toContain('铁东区实验小学');
    const xlsx = await adminA.get('/api/findings/export?format=xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await auditEvents(t.ctx, 'export')).filter((e) => e.object_type === 'finding')).toHaveLength(2);
    expectError(await adminB.get(`/api/findings/export?under=${world.countyA.id}`), 404, 'NOT_FOUND');
  });

  it('marks one’s own notifications read, and not someone else’s', async () => {
    const mine = (await schoolA1.get('/api/notifications')).json<NotificationList>();
    expect(mine.unread).toBeGreaterThan(0);
    const id = mine.items[0]!.id;
    expectError(await schoolA2.post(`/api/notifications/${id}/read`), 404, 'NOT_FOUND');
    expect((await schoolA1.post(`/api/notifications/${id}/read`)).statusCode).toBe(204);
    const after = (await schoolA1.get('/api/notifications')).json<NotificationList>();
    expect(after.unread).toBe(mine.unread - 1);
    expect((await schoolA1.post('/api/notifications/read-all')).json<{ read: number }>().read).toBe(
      after.unread,
    );
    expect((await schoolA1.get('/api/notifications')).json<NotificationList>().unread).toBe(0);
  });
});
