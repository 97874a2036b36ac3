/** Cross-scope probes of the inspectors routes (see ./probe.ts). */
import { addDays, chinaToday } from '../../src/platform/dates.js';
import { makeInspector, makeOpinion, makeVisit } from '../../src/modules/inspectors/inspectors.fixtures.js';
import { PASSWORD } from '../fixtures.js';
import type { ModuleProbes } from './probe.js';

const today = chinaToday();

const inspectors: ModuleProbes = {
  // At each school: an inspector of county A assigned to it (with a profile and photo), visits, and opinions
  // waiting for a report, for verification (twice: accept and return).
  async setup(ctx, world, school) {
    const inspUser = await makeInspector(
      ctx,
      `probe.insp${school.tag}`,
      world.countyA.id,
      [school.id],
      PASSWORD,
    );
    const inspVisit = await makeVisit(ctx, school.id, inspUser, { problem: true });
    const inspVisitNoOpinion = await makeVisit(ctx, school.id, inspUser, { problem: true });
    const inspOpinion = await makeOpinion(ctx, inspVisit);
    const inspOpinionToAccept = await makeOpinion(ctx, await makeVisit(ctx, school.id, inspUser), {
      reported: true,
    });
    const inspOpinionToReturn = await makeOpinion(ctx, await makeVisit(ctx, school.id, inspUser), {
      reported: true,
    });
    return { inspUser, inspVisit, inspVisitNoOpinion, inspOpinion, inspOpinionToAccept, inspOpinionToReturn };
  },
  probes: {
    'GET /api/inspectors/settings': {
      request: (t) => ({ url: `/api/inspectors/settings?unitId=${t.county}` }),
      outsider: 404,
    },
    'PUT /api/inspectors/settings': {
      request: (t) => ({
        url: '/api/inspectors/settings',
        body: { unitId: t.county, visitsPerTerm: 3, maxSchools: 6, hotline: '0434-3222222' },
      }),
      outsider: 404,
    },
    'GET /api/inspectors/coverage': {
      request: (t) => ({ url: `/api/inspectors/coverage?under=${t.county}` }),
      outsider: 404,
    },
    'GET /api/inspectors/plaque/:schoolId': {
      request: (t) => ({ url: `/api/inspectors/plaque/${t.school}` }),
      outsider: 404,
    },
    'GET /api/inspectors/plaque/:schoolId/photo/:userId': {
      request: (t) => ({ url: `/api/inspectors/plaque/${t.school}/photo/${t.inspUser}` }),
      outsider: 404,
    },
    'GET /api/inspectors/visits': {
      request: (t) => ({ url: `/api/inspectors/visits?schoolId=${t.school}` }),
      outsider: 404,
    },
    'GET /api/inspectors/visits/:id': {
      request: (t) => ({ url: `/api/inspectors/visits/${t.inspVisit}` }),
      outsider: 404,
    },
    'POST /api/inspectors/visits': {
      request: (t) => ({
        url: '/api/inspectors/visits',
        body: {
          id: '0b9f3c52-6f0e-4d43-9d0a-6a1f2b7c8d90',
          schoolId: t.school,
          visitDate: today,
          items: [{ item: 'ethos', result: 'ok' }],
          methods: ['interviews'],
          summary: '探针督导',
        },
      }),
      outsider: 404,
    },
    'POST /api/inspectors/visits/:id/opinion': {
      request: (t) => ({
        url: `/api/inspectors/visits/${t.inspVisitNoOpinion}/opinion`,
        body: { content: '探针意见', deadline: addDays(today, 30) },
      }),
      outsider: 404,
    },
    'GET /api/inspectors/opinions': {
      request: (t) => ({ url: `/api/inspectors/opinions?schoolId=${t.school}` }),
      outsider: 404,
    },
    'GET /api/inspectors/opinions/:id': {
      request: (t) => ({ url: `/api/inspectors/opinions/${t.inspOpinion}` }),
      outsider: 404,
    },
    'POST /api/inspectors/opinions/:id/report': {
      request: (t) => ({
        url: `/api/inspectors/opinions/${t.inspOpinion}/report`,
        body: { text: '探针整改报告' },
      }),
      outsider: 404,
    },
    'POST /api/inspectors/opinions/:id/accept': {
      request: (t) => ({ url: `/api/inspectors/opinions/${t.inspOpinionToAccept}/accept`, body: {} }),
      outsider: 404,
    },
    'POST /api/inspectors/opinions/:id/return': {
      request: (t) => ({
        url: `/api/inspectors/opinions/${t.inspOpinionToReturn}/return`,
        body: { reason: '探针退回' },
      }),
      outsider: 404,
    },
    'GET /api/inspectors': {
      request: () => ({ url: '/api/inspectors?pageSize=100' }),
      outsider: 'list-without-targets',
    },
    'GET /api/inspectors/:userId': {
      request: (t) => ({ url: `/api/inspectors/${t.inspUser}` }),
      outsider: 404,
    },
    'PUT /api/inspectors/:userId/profile': {
      request: (t) => ({
        url: `/api/inspectors/${t.inspUser}/profile`,
        body: { employment: 'full_time', title: '探针职务' },
      }),
      outsider: 404,
    },
    'PUT /api/inspectors/:userId/schools': {
      request: (t) => ({ url: `/api/inspectors/${t.inspUser}/schools`, body: { schoolIds: [t.school] } }),
      outsider: 404,
    },
  },
  openLists: [
    '/api/inspectors?pageSize=100',
    '/api/inspectors/visits?pageSize=100',
    '/api/inspectors/opinions?pageSize=100',
    '/api/inspectors/coverage',
  ],
};
export default inspectors;
