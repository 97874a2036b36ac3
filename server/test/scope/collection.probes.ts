/**
 * Cross-scope probes of the collection (数据填报) routes and GET /api/balance/stored (see ./probe.ts). Each
 * request that changes something works on its own period, so the city admin's run of every probe succeeds in
 * any order: 2031 draft (save, import), 2032 submit, 2033 approve, 2034 return, 2035 reopen; the city's
 * acceptance uses a county-level probe form (its only unit is county A itself, approved for 2036).
 */
import { randomUUID } from 'node:crypto';
import { ensureDefinitions } from '../../src/modules/collection/collection.seed.js';
import type { ModuleProbes } from './probe.js';

const CSV = '学校名称,专任教师数\r\n没有这所学校,5\r\n';

const collection: ModuleProbes = {
  async setup(ctx, world, school) {
    await ensureDefinitions(ctx.db);
    const form = await ctx.db
      .selectFrom('data_form')
      .select('id')
      .where('code', '=', 'SCHOOL_ANNUAL')
      .executeTakeFirstOrThrow();
    let countyForm = await ctx.db
      .selectFrom('data_form')
      .select('id')
      .where('code', '=', 'PROBE_COUNTY')
      .executeTakeFirst();
    if (!countyForm) {
      countyForm = { id: randomUUID() };
      await ctx.db
        .insertInto('data_form')
        .values({
          id: countyForm.id,
          code: 'PROBE_COUNTY',
          name: '探针县级表',
          period_type: 'year',
          targets: JSON.stringify(['county_bureau']),
          sections: JSON.stringify([{ title: '人口', elements: ['POP_3_5'] }]),
        })
        .execute();
      await ctx.db
        .insertInto('data_submission')
        .values({
          id: randomUUID(),
          form_id: countyForm.id,
          unit_id: world.countyA.id,
          period: '2036',
          status: 'approved',
          vals: JSON.stringify({ POP_3_5: 1000 }),
        })
        .execute();
    }
    const sub = async (period: string, status: 'submitted' | 'approved') => {
      const id = randomUUID();
      await ctx.db
        .insertInto('data_submission')
        .values({
          id,
          form_id: form.id,
          unit_id: school.id,
          period,
          status,
          vals: JSON.stringify({ TEACHERS: 10 }),
        })
        .execute();
      return id;
    };
    const indicator = await ctx.db
      .selectFrom('indicator')
      .select('id')
      .where('code', '=', 'BUILDING_AREA_PS')
      .executeTakeFirstOrThrow();
    return {
      collectionForm: form.id,
      collectionCountyForm: countyForm.id,
      collectionIndicator: indicator.id,
      collectionToApprove: await sub('2033', 'submitted'),
      collectionToReturn: await sub('2034', 'submitted'),
      collectionToReopen: await sub('2035', 'approved'),
    };
  },
  probes: {
    'GET /api/collection/entry': {
      request: (t) => ({
        url: `/api/collection/entry?formId=${t.collectionForm}&unitId=${t.school}&period=2031`,
      }),
      outsider: 404,
    },
    'PUT /api/collection/entry': {
      request: (t) => ({
        url: '/api/collection/entry',
        body: { formId: t.collectionForm, unitId: t.school, period: '2031', values: { TEACHERS: 12 } },
      }),
      outsider: 404,
    },
    'POST /api/collection/entry/submit': {
      request: (t) => ({
        url: '/api/collection/entry/submit',
        body: { formId: t.collectionForm, unitId: t.school, period: '2032', values: { TEACHERS: 12 } },
      }),
      outsider: 404,
    },
    'POST /api/collection/submissions/:id/approve': {
      request: (t) => ({ url: `/api/collection/submissions/${t.collectionToApprove}/approve` }),
      outsider: 404,
    },
    'POST /api/collection/submissions/:id/return': {
      request: (t) => ({
        url: `/api/collection/submissions/${t.collectionToReturn}/return`,
        body: { reason: '探针退回' },
      }),
      outsider: 404,
    },
    'POST /api/collection/submissions/:id/reopen': {
      request: (t) => ({
        url: `/api/collection/submissions/${t.collectionToReopen}/reopen`,
        body: { reason: '探针重新打开' },
      }),
      outsider: 404,
    },
    'POST /api/collection/accept': {
      request: (t) => ({
        url: '/api/collection/accept',
        body: { formId: t.collectionCountyForm, countyId: t.county, period: '2036' },
      }),
      outsider: 404,
    },
    'GET /api/collection/progress': {
      request: (t) => ({
        url: `/api/collection/progress?formId=${t.collectionForm}&period=2033&unitId=${t.school}`,
      }),
      outsider: 404,
    },
    'GET /api/collection/violations': {
      request: (t) => ({
        url: `/api/collection/violations?formId=${t.collectionForm}&period=2033&unitId=${t.school}`,
      }),
      outsider: 404,
    },
    'POST /api/collection/validation-runs': {
      request: (t) => ({
        url: '/api/collection/validation-runs',
        body: { formId: t.collectionForm, period: '2033', unitId: t.school },
      }),
      outsider: 404,
    },
    'POST /api/collection/import': {
      request: (t) => ({
        url: `/api/collection/import?formId=${t.collectionForm}&unitId=${t.school}&period=2031`,
        body: CSV,
        headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'probe.csv' },
      }),
      outsider: 404,
    },
    'GET /api/collection/indicator-values': {
      request: (t) => ({
        url: `/api/collection/indicator-values?indicatorId=${t.collectionIndicator}&unitId=${t.school}&period=2033`,
      }),
      outsider: 404,
    },
    'GET /api/balance/stored': {
      request: (t) => ({ url: `/api/balance/stored?countyId=${t.county}&period=2033` }),
      outsider: 404,
    },
  },
};
export default collection;
