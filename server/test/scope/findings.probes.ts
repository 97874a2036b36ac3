/** Cross-scope probes of the findings ledger and of stored files (see ./probe.ts). */
import { systemActor } from '../../src/platform/access/actor.js';
import { addDays, chinaToday } from '../../src/platform/dates.js';
import { raiseFindings } from '../../src/modules/findings/findings.service.js';
import type { ModuleProbes } from './probe.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

const findings: ModuleProbes = {
  async setup(ctx, world, school) {
    const origin = { actor: systemActor('test'), ip: null, requestId: null };
    const deadline = addDays(chinaToday(), 10);
    const make = (title: string, notify = true) =>
      ctx.db
        .transaction()
        .execute((trx) =>
          raiseFindings(
            trx,
            ctx,
            origin,
            [{ unitId: school.id, source: 'manual', category: 'fire', severity: 'general', title, deadline }],
            { notify, raisedByUnitId: world.countyA.id },
          ),
        );
    const submitted = async (title: string) => {
      const r = await make(title);
      await ctx.db
        .updateTable('finding')
        .set({ status: 'submitted' })
        .where('id', '=', r.findingIds[0]!)
        .execute();
      return r.findingIds[0]!;
    };
    const notified = await make(`探针问题${school.tag}`);
    const file = await ctx.db
      .insertInto('stored_file')
      .values({
        id: crypto.randomUUID(),
        unit_id: school.id,
        name: 'probe.png',
        content_type: 'image/png',
        size: PNG.length,
        sha256: 'probe',
        data: PNG,
        uploaded_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      finding: notified.findingIds[0]!,
      notice: notified.noticeIds[0]!,
      findingToStart: (await make(`待整改${school.tag}`)).findingIds[0]!,
      findingToSubmit: (await make(`待报告${school.tag}`)).findingIds[0]!,
      findingToVerify: await submitted(`待验收${school.tag}`),
      findingToReturn: await submitted(`待退回${school.tag}`),
      findingToExtend: (await make(`待延期${school.tag}`)).findingIds[0]!,
      findingToComment: (await make(`待备注${school.tag}`)).findingIds[0]!,
      findingToNotify: (await make(`待下发${school.tag}`, false)).findingIds[0]!,
      file: file.id,
    };
  },
  probes: {
    'GET /api/findings': {
      request: () => ({ url: '/api/findings?pageSize=500' }),
      outsider: 'list-without-targets',
    },
    'GET /api/findings/stats': {
      request: (t) => ({ url: `/api/findings/stats?under=${t.school}` }),
      outsider: 404,
    },
    'GET /api/findings/export': {
      request: (t) => ({ url: `/api/findings/export?under=${t.school}&format=csv` }),
      outsider: 404,
    },
    'GET /api/findings/:id': { request: (t) => ({ url: `/api/findings/${t.finding}` }), outsider: 404 },
    'GET /api/findings/notices/:id': {
      request: (t) => ({ url: `/api/findings/notices/${t.notice}` }),
      outsider: 404,
    },
    'POST /api/findings': {
      request: (t) => ({
        url: '/api/findings',
        body: {
          unitId: t.school,
          category: 'fire',
          title: '探针登记',
          deadline: addDays(chinaToday(), 5),
        },
      }),
      outsider: 404,
    },
    'POST /api/findings/notices': {
      request: (t) => ({ url: '/api/findings/notices', body: { findingIds: [t.findingToNotify] } }),
      outsider: 404,
    },
    'POST /api/findings/:id/start': {
      request: (t) => ({ url: `/api/findings/${t.findingToStart}/start`, body: { measures: '探针措施' } }),
      outsider: 404,
    },
    'POST /api/findings/:id/submit': {
      request: (t) => ({
        url: `/api/findings/${t.findingToSubmit}/submit`,
        body: { report: '探针报告', completedOn: chinaToday() },
      }),
      outsider: 404,
    },
    'POST /api/findings/:id/verify': {
      request: (t) => ({ url: `/api/findings/${t.findingToVerify}/verify`, body: {} }),
      outsider: 404,
    },
    'POST /api/findings/:id/return': {
      request: (t) => ({ url: `/api/findings/${t.findingToReturn}/return`, body: { reason: '探针退回' } }),
      outsider: 404,
    },
    'POST /api/findings/:id/extend': {
      request: (t) => ({
        url: `/api/findings/${t.findingToExtend}/extend`,
        body: { deadline: addDays(chinaToday(), 40), reason: '探针延期' },
      }),
      outsider: 404,
    },
    'POST /api/findings/:id/comment': {
      request: (t) => ({ url: `/api/findings/${t.findingToComment}/comment`, body: { note: '探针备注' } }),
      outsider: 404,
    },
    'POST /api/files': {
      request: (t) => ({
        url: `/api/files?unitId=${t.school}`,
        body: PNG,
        headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'probe.png' },
      }),
      outsider: 404,
    },
    'GET /api/files/:id': { request: (t) => ({ url: `/api/files/${t.file}` }), outsider: 404 },
  },
  openLists: ['/api/findings?pageSize=500'],
};
export default findings;
