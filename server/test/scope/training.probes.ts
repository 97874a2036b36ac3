/** Cross-scope probes of the training routes (see ./probe.ts): every object belongs to county A's bureau. */
import { systemActor } from '../../src/platform/access/actor.js';
import { addDays, chinaToday } from '../../src/platform/dates.js';
import { buildInstitution } from '../../src/modules/training/training.fixtures.js';
import { setBlacklist } from '../../src/modules/training/training.lifecycle.js';
import type { ModuleProbes } from './probe.js';

const csv = '订单号,缴费日期,金额（元）,课时数,覆盖月数\n探针导入-1,2025-09-01,800,10,1\n';

const training: ModuleProbes = {
  async setup(ctx, world, school) {
    const sys = systemActor('test');
    const origin = { actor: sys, ip: null, requestId: null };
    const base = school.tag === '1' ? 100 : 200;
    const make = (n: number, name: string) =>
      buildInstitution(ctx, sys, origin, {
        unitId: world.countyA.id,
        divisionCode: '220302',
        name: `${name}${school.tag}`,
        serial: base + n,
      });
    const inst = await make(1, '探针培训学校');
    const black = await make(2, '探针黑名单机构');
    await setBlacklist(ctx, sys, black, { reason: '无证办学' }, true, origin);
    const ids = async (table: 'training_venue' | 'training_staff' | 'training_course') =>
      (
        await ctx.db.selectFrom(table).select('id').where('institution_id', '=', inst).orderBy('id').execute()
      ).map((r) => r.id);
    const venues = await ids('training_venue');
    const staff = await ids('training_staff');
    const courses = await ids('training_course');
    // A second venue and course to delete (the first ones are read and edited).
    const other = await make(3, '探针待删机构');
    return {
      trainingInst: inst,
      trainingBlack: black,
      trainingVenue: venues[0]!,
      trainingStaff: staff[0]!,
      trainingCourse: courses[0]!,
      trainingVenueToDelete: (
        await ctx.db
          .selectFrom('training_venue')
          .select('id')
          .where('institution_id', '=', other)
          .executeTakeFirstOrThrow()
      ).id,
      trainingStaffToDelete: staff[1]!,
      trainingCourseToDelete: (
        await ctx.db
          .selectFrom('training_course')
          .select('id')
          .where('institution_id', '=', other)
          .executeTakeFirstOrThrow()
      ).id,
    };
  },
  probes: {
    'GET /api/training/institutions': {
      request: () => ({ url: '/api/training/institutions?pageSize=500' }),
      outsider: 'list-without-targets',
    },
    'GET /api/training/institutions/:id': {
      request: (t) => ({ url: `/api/training/institutions/${t.trainingInst}` }),
      outsider: 404,
    },
    'POST /api/training/institutions': {
      request: (t) => ({
        url: '/api/training/institutions',
        body: { unitId: t.county, name: '探针新机构', category: 'non_subject', legalForm: 'company' },
      }),
      outsider: 404,
    },
    'PATCH /api/training/institutions/:id': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}`,
        body: { address: '探针新地址' },
      }),
      outsider: 404,
    },
    'POST /api/training/institutions/:id/status': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/status`,
        body: { to: 'rectifying', on: chinaToday(), reason: '探针整改' },
      }),
      outsider: 404,
    },
    'POST /api/training/institutions/:id/blacklist': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/blacklist`,
        body: { on: chinaToday(), reason: '探针拉黑' },
      }),
      outsider: 404,
    },
    'POST /api/training/institutions/:id/unblacklist': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingBlack}/unblacklist`,
        body: { reason: '探针移出' },
      }),
      outsider: 404,
    },
    'POST /api/training/institutions/:id/venues': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/venues`,
        body: { address: '探针场所', areaM2: 120 },
      }),
      outsider: 404,
    },
    'PATCH /api/training/venues/:id': {
      request: (t) => ({ url: `/api/training/venues/${t.trainingVenue}`, body: { areaM2: 130 } }),
      outsider: 404,
    },
    'DELETE /api/training/venues/:id': {
      request: (t) => ({ url: `/api/training/venues/${t.trainingVenueToDelete}` }),
      outsider: 404,
    },
    'POST /api/training/institutions/:id/staff': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/staff`,
        body: { name: '探针教师', role: 'teacher' },
      }),
      outsider: 404,
    },
    'PATCH /api/training/staff/:id': {
      request: (t) => ({ url: `/api/training/staff/${t.trainingStaff}`, body: { backgroundChecked: true } }),
      outsider: 404,
    },
    'DELETE /api/training/staff/:id': {
      request: (t) => ({ url: `/api/training/staff/${t.trainingStaffToDelete}` }),
      outsider: 404,
    },
    'POST /api/training/staff/:id/reveal-id': {
      request: (t) => ({ url: `/api/training/staff/${t.trainingStaff}/reveal-id` }),
      outsider: 404,
    },
    'PUT /api/training/institutions/:id/documents/:kind': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/documents/fee_publicity`,
        body: { number: '探针公示' },
      }),
      outsider: 404,
    },
    'DELETE /api/training/institutions/:id/documents/:kind': {
      request: (t) => ({ url: `/api/training/institutions/${t.trainingInst}/documents/charter` }),
      outsider: 404,
    },
    'POST /api/training/institutions/:id/courses': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/courses`,
        body: { name: '探针课程', pricePerHour: 50, hoursPerPeriod: 10, periodMonths: 1 },
      }),
      outsider: 404,
    },
    'PATCH /api/training/courses/:id': {
      request: (t) => ({ url: `/api/training/courses/${t.trainingCourse}`, body: { currentStudents: 41 } }),
      outsider: 404,
    },
    'DELETE /api/training/courses/:id': {
      request: (t) => ({ url: `/api/training/courses/${t.trainingCourseToDelete}` }),
      outsider: 404,
    },
    'PUT /api/training/institutions/:id/funds': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/funds`,
        body: { custodyBalance: 1000 },
      }),
      outsider: 404,
    },
    'GET /api/training/institutions/:id/orders': {
      request: (t) => ({ url: `/api/training/institutions/${t.trainingInst}/orders` }),
      outsider: 404,
    },
    'POST /api/training/institutions/:id/orders': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/orders`,
        body: {
          orders: [{ orderNo: '探针-1', paidOn: '2025-09-01', amount: 600, classHours: 10, coversMonths: 1 }],
        },
      }),
      outsider: 404,
    },
    'POST /api/training/institutions/:id/orders/import': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/orders/import`,
        body: csv,
        headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'orders.csv' },
      }),
      outsider: 404,
    },
    'POST /api/training/institutions/:id/inspections': {
      request: (t) => ({
        url: `/api/training/institutions/${t.trainingInst}/inspections`,
        body: {
          kind: 'unannounced',
          inspectedOn: chinaToday(),
          findings: [{ title: '探针问题', deadline: addDays(chinaToday(), 15) }],
        },
      }),
      outsider: 404,
    },
    'GET /api/training/rules': {
      request: (t) => ({ url: `/api/training/rules?unitId=${t.county}` }),
      outsider: 404,
    },
    'PUT /api/training/rules': {
      request: (t) => ({
        url: '/api/training/rules',
        body: { unitId: t.county, maxMonths: 3, maxHours: 60, maxNonSubject: 5000, warnDays: 45 },
      }),
      outsider: 404,
    },
    'GET /api/training/prepaid/violations': {
      request: (t) => ({ url: `/api/training/prepaid/violations?unitId=${t.county}` }),
      outsider: 404,
    },
    'POST /api/training/prepaid/check': {
      request: (t) => ({ url: '/api/training/prepaid/check', body: { unitId: t.county } }),
      outsider: 404,
    },
    'GET /api/training/compliance': {
      request: (t) => ({ url: `/api/training/compliance?unitId=${t.county}` }),
      outsider: 404,
    },
    'GET /api/training/lifecycle': {
      request: (t) => ({
        url: `/api/training/lifecycle?unitId=${t.county}&from=2025-01-01&to=${chinaToday()}`,
      }),
      outsider: 404,
    },
    'GET /api/training/institutions/export': {
      request: (t) => ({ url: `/api/training/institutions/export?unitId=${t.county}&sheet=black` }),
      outsider: 404,
    },
    'GET /api/training/compliance/export': {
      request: (t) => ({ url: `/api/training/compliance/export?unitId=${t.county}` }),
      outsider: 404,
    },
    'GET /api/training/lifecycle/export': {
      request: (t) => ({
        url: `/api/training/lifecycle/export?unitId=${t.county}&from=2025-01-01&to=${chinaToday()}`,
      }),
      outsider: 404,
    },
  },
  openLists: [
    '/api/training/institutions?pageSize=500',
    '/api/training/prepaid/violations',
    '/api/training/compliance',
  ],
};
export default training;
