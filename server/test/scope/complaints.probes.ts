/** Cross-scope probes of the complaints routes (see ./probe.ts). */
import { systemActor } from '../../src/platform/access/actor.js';
import {
  acceptComplaint,
  replyComplaint,
  routeComplaint,
} from '../../src/modules/complaints/complaints.loop.js';
import { insertComplaint } from '../../src/modules/complaints/complaints.service.js';
import type { ModuleProbes } from './probe.js';

const complaints: ModuleProbes = {
  async setup(ctx, world, school) {
    const origin = { actor: systemActor('test'), ip: null, requestId: null };
    const county = await ctx.db
      .selectFrom('unit')
      .select(['id', 'path'])
      .where('id', '=', world.countyA.id)
      .executeTakeFirstOrThrow();
    const make = async (title: string, stage: 'routed' | 'accepted' | 'replied') => {
      const { id } = await ctx.db.transaction().execute((trx) =>
        insertComplaint(trx, ctx, origin, {
          deskUnitId: county.id,
          deskPath: county.path,
          channel: 'phone',
          category: 'fees',
          title: `${title}${school.tag}`,
          content: '学校要求家长统一购买教辅资料，每人 120 元。',
          schoolId: school.id,
          phone: `1390000${school.tag}234`,
          receivedOn: '2026-11-02',
        }),
      );
      await routeComplaint(ctx, origin.actor, id, school.id, undefined, origin);
      if (stage !== 'routed') await acceptComplaint(ctx, origin.actor, id, origin);
      if (stage === 'replied')
        await replyComplaint(ctx, origin.actor, id, '经核查，已责令学校停止代购并退还费用。', origin);
      return id;
    };
    return {
      complaint: await make('探针诉求', 'accepted'),
      complaintToAccept: await make('待签收诉求', 'routed'),
      complaintToReply: await make('待答复诉求', 'accepted'),
      complaintToReturn: await make('待退回诉求', 'routed'),
      complaintToClose: await make('待办结诉求', 'replied'),
      complaintToMerge: await make('重复诉求', 'routed'),
      complaintMergeInto: await make('主诉求', 'accepted'),
    };
  },
  probes: {
    'GET /api/complaints': { request: (t) => ({ url: `/api/complaints?under=${t.school}` }), outsider: 404 },
    'GET /api/complaints/stats': {
      request: (t) => ({ url: `/api/complaints/stats?under=${t.school}` }),
      outsider: 404,
    },
    'GET /api/complaints/export': {
      request: (t) => ({ url: `/api/complaints/export?under=${t.school}` }),
      outsider: 404,
    },
    'GET /api/complaints/settings': {
      request: (t) => ({ url: `/api/complaints/settings?unitId=${t.county}` }),
      outsider: 404,
    },
    'PUT /api/complaints/settings': {
      request: (t) => ({ url: '/api/complaints/settings', body: { unitId: t.county, replyDays: 10 } }),
      outsider: 404,
    },
    'POST /api/complaints': {
      request: (t) => ({
        url: '/api/complaints',
        body: {
          unitId: t.county,
          channel: 'petition',
          category: 'ethics',
          title: '探针来信',
          content: '反映教师有偿补课问题。',
          schoolId: t.school,
          routeTo: t.school,
        },
      }),
      outsider: 404,
    },
    'POST /api/complaints/hotline': {
      request: (t) => ({
        url: '/api/complaints/hotline',
        body: {
          unitId: t.county,
          workOrderNo: `PROBE-${t.school!.slice(0, 8)}`,
          receivedOn: '2026-11-03',
          content: '反映某培训机构退费难。',
        },
      }),
      outsider: 404,
    },
    'POST /api/complaints/hotline/import': {
      request: (t) => ({
        url: `/api/complaints/hotline/import?unitId=${t.county}`,
        body: Buffer.from(
          `工单编号,受理时间,诉求内容\r\nIMP-${t.school!.slice(0, 8)},2026-11-04,反映学校收取资料费\r\n`,
        ),
        headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'probe.csv' },
      }),
      outsider: 404,
    },
    'GET /api/complaints/:id': { request: (t) => ({ url: `/api/complaints/${t.complaint}` }), outsider: 404 },
    'POST /api/complaints/:id/route': {
      request: (t) => ({ url: `/api/complaints/${t.complaint}/route`, body: { unitId: t.school } }),
      outsider: 404,
    },
    'POST /api/complaints/:id/accept': {
      request: (t) => ({ url: `/api/complaints/${t.complaintToAccept}/accept`, body: {} }),
      outsider: 404,
    },
    'POST /api/complaints/:id/reply': {
      request: (t) => ({
        url: `/api/complaints/${t.complaintToReply}/reply`,
        body: { reply: '已核实并责令整改，感谢监督。' },
      }),
      outsider: 404,
    },
    'POST /api/complaints/:id/return': {
      request: (t) => ({
        url: `/api/complaints/${t.complaintToReturn}/return`,
        body: { note: '非本校事项' },
      }),
      outsider: 404,
    },
    'POST /api/complaints/:id/close': {
      request: (t) => ({ url: `/api/complaints/${t.complaintToClose}/close`, body: {} }),
      outsider: 404,
    },
    'POST /api/complaints/:id/merge': {
      request: (t) => ({
        url: `/api/complaints/${t.complaintToMerge}/merge`,
        body: { intoId: t.complaintMergeInto },
      }),
      outsider: 404,
    },
    'POST /api/complaints/:id/finding': {
      request: (t) => ({
        url: `/api/complaints/${t.complaint}/finding`,
        body: { severity: 'general', title: '违规代购教辅资料' },
      }),
      outsider: 404,
    },
    'POST /api/complaints/:id/note': {
      request: (t) => ({ url: `/api/complaints/${t.complaint}/note`, body: { note: '已电话联系家长' } }),
      outsider: 404,
    },
    'POST /api/complaints/:id/reveal-phone': {
      request: (t) => ({ url: `/api/complaints/${t.complaint}/reveal-phone` }),
      outsider: 404,
    },
  },
  openLists: ['/api/complaints?pageSize=500'],
};
export default complaints;
