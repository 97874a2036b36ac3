/** Cross-scope probes of the dropout-control routes (see ./probe.ts). */
import { randomUUID } from 'node:crypto';
import { systemActor } from '../../src/platform/access/actor.js';
import { createClass, createStudent } from '../../src/modules/students/students.service.js';
import type { ModuleProbes } from './probe.js';

/** A past school day (a Friday in term, after the National Day holiday of 2026). */
const DAY = '2026-10-09';

const dropout: ModuleProbes = {
  async setup(ctx, world, school) {
    const origin = { actor: systemActor('test'), ip: null, requestId: null };
    const cls = await createClass(
      ctx,
      origin.actor,
      { schoolId: school.id, schoolYear: '2026', grade: 4, name: `考勤探针${school.tag}班` },
      origin,
    );
    const student = await createStudent(
      ctx,
      origin.actor,
      {
        schoolId: school.id,
        classId: cls.id,
        name: `考勤探针${school.tag}`,
        sex: 'M',
        birthDate: '2017-04-0' + school.tag,
      },
      origin,
    );
    const closure = randomUUID();
    await ctx.db
      .insertInto('school_closure')
      .values({
        id: closure,
        unit_id: school.id,
        start_on: '2026-11-10',
        end_on: '2026-11-10',
        reason: '探针停课',
      })
      .execute();
    const dropoutCase = randomUUID();
    await ctx.db
      .insertInto('dropout_case')
      .values({
        id: dropoutCase,
        student_id: student.id,
        school_id: school.id,
        county_code: '220302',
        class_id: cls.id,
        reason: 'consecutiveAbsence',
        evidence: JSON.stringify({ consecutiveDays: 3 }),
        detected_on: DAY,
      })
      .execute();
    void world;
    return {
      dropoutClass: cls.id,
      dropoutStudent: student.id,
      dropoutClosure: closure,
      dropoutCase,
    };
  },
  probes: {
    'GET /api/calendar/terms': {
      request: (t) => ({ url: `/api/calendar/terms?unitId=${t.school}` }),
      outsider: 404,
    },
    'PUT /api/calendar/terms': {
      request: (t) => ({
        url: '/api/calendar/terms',
        body: {
          unitId: t.county,
          schoolYear: '2030',
          terms: [
            { no: 1, start: '2030-09-02', end: '2031-01-17' },
            { no: 2, start: '2031-03-03', end: '2031-07-11' },
          ],
        },
      }),
      outsider: 404,
    },
    'GET /api/calendar/closures': {
      request: (t) => ({ url: `/api/calendar/closures?unitId=${t.school}` }),
      outsider: 404,
    },
    'POST /api/calendar/closures': {
      request: (t) => ({
        url: '/api/calendar/closures',
        body: { unitId: t.school, start: '2026-12-01', end: '2026-12-01', reason: '探针停课' },
      }),
      outsider: 404,
    },
    'DELETE /api/calendar/closures/:id': {
      request: (t) => ({ url: `/api/calendar/closures/${t.dropoutClosure}` }),
      outsider: 404,
    },
    'GET /api/calendar/days': {
      request: (t) => ({ url: `/api/calendar/days?schoolId=${t.school}&from=2026-10-01&to=2026-10-31` }),
      outsider: 404,
    },
    'PUT /api/classes/:id/head-teacher': {
      request: (t) => ({ url: `/api/classes/${t.dropoutClass}/head-teacher`, body: { userId: null } }),
      outsider: 404,
    },
    'GET /api/attendance/classes': {
      request: (t) => ({ url: `/api/attendance/classes?schoolId=${t.school}&date=${DAY}` }),
      outsider: 404,
    },
    'GET /api/attendance/sheet': {
      request: (t) => ({ url: `/api/attendance/sheet?classId=${t.dropoutClass}&date=${DAY}` }),
      outsider: 404,
    },
    'PUT /api/attendance/sheet': {
      request: (t) => ({
        url: '/api/attendance/sheet',
        body: { classId: t.dropoutClass, date: DAY, marks: [{ studentId: t.dropoutStudent, kind: 'sick' }] },
      }),
      outsider: 404,
    },
    'GET /api/attendance/missing': {
      request: (t) => ({ url: `/api/attendance/missing?under=${t.school}&date=${DAY}` }),
      outsider: 404,
    },
    // A gate batch is not refused as a whole: events for students out of scope come back rejected, unstored.
    'POST /api/attendance/gate-events': {
      request: (t) => ({
        url: '/api/attendance/gate-events',
        body: { events: [{ studentId: t.dropoutStudent, at: `${DAY}T07:45:00+08:00`, direction: 'in' }] },
      }),
      outsider: 'list-without-targets',
    },
    'GET /api/attendance/gate-events': {
      request: (t) => ({ url: `/api/attendance/gate-events?schoolId=${t.school}&date=${DAY}` }),
      outsider: 404,
    },
    'GET /api/dropout/settings': {
      request: (t) => ({ url: `/api/dropout/settings?unitId=${t.school}` }),
      outsider: 404,
    },
    'PUT /api/dropout/settings': {
      request: (t) => ({
        url: '/api/dropout/settings',
        body: { unitId: t.county, settings: { consecutiveDays: 4 } },
      }),
      outsider: 404,
    },
    'GET /api/dropout/cases': {
      request: () => ({ url: '/api/dropout/cases?pageSize=500' }),
      outsider: 'list-without-targets',
    },
    'GET /api/dropout/risk': {
      request: (t) => ({ url: `/api/dropout/risk?under=${t.school}` }),
      outsider: 404,
    },
  },
  openLists: [
    '/api/dropout/cases?pageSize=500',
    '/api/dropout/risk?limit=500',
    `/api/attendance/missing?date=${DAY}`,
  ],
};
export default dropout;
