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
    // The second slice: a case to confirm, one to dismiss, one in 劝返 (step 1), one awaiting verification,
    // and a population list of the school's county.
    const more = async (label: string, status: string, extra: Record<string, unknown> = {}) => {
      const st = await createStudent(
        ctx,
        origin.actor,
        {
          schoolId: school.id,
          classId: cls.id,
          name: `个案探针${label}${school.tag}`,
          sex: 'F',
          birthDate: '2016-05-0' + school.tag,
        },
        origin,
      );
      const id = randomUUID();
      await ctx.db
        .insertInto('dropout_case')
        .values({
          id,
          student_id: st.id,
          school_id: school.id,
          county_code: '220302',
          class_id: cls.id,
          reason: 'consecutiveAbsence',
          detected_on: DAY,
          status,
          ...extra,
        })
        .execute();
      return id;
    };
    const caseToConfirm = await more('确认', 'suspected');
    const caseToDismiss = await more('排除', 'suspected');
    const caseInWork = await more('劝返', 'dropout', {
      step: 1,
      confirmed_on: DAY,
      step_started_on: DAY,
      step_due_on: '2099-01-01',
    });
    const caseToVerify = await more('核销', 'verifying', {
      step: 1,
      confirmed_on: DAY,
      outcome: 'exempt',
      outcome_on: DAY,
      outcome_note: '探针',
    });
    const list = randomUUID();
    await ctx.db
      .insertInto('population_list')
      .values({
        id: list,
        unit_id: school.id,
        kind: 'hukou',
        file_name: 'probe.csv',
        sha256: 'x',
        as_of: DAY,
        age_min: 6,
        age_max: 15,
        counts: JSON.stringify({
          counts: {
            listed: 0,
            enrolledHere: 0,
            enrolledElsewhere: 0,
            exempt: 0,
            outOfSchool: 0,
            dropout: 0,
            povertyDropout: 0,
            unmatched: 0,
          },
          counties: [],
          rowErrors: [],
        }),
      })
      .execute();
    void world;
    return {
      caseToConfirm,
      caseToDismiss,
      caseInWork,
      caseToVerify,
      populationList: list,
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
    'GET /api/dropout/board': {
      request: () => ({ url: '/api/dropout/board?pageSize=500' }),
      outsider: 'list-without-targets',
    },
    'GET /api/dropout/cases/:id': {
      request: (t) => ({ url: `/api/dropout/cases/${t.caseInWork}` }),
      outsider: 404,
    },
    'POST /api/dropout/cases/:id/confirm': {
      request: (t) => ({ url: `/api/dropout/cases/${t.caseToConfirm}/confirm`, body: { on: DAY } }),
      outsider: 404,
    },
    'POST /api/dropout/cases/:id/dismiss': {
      request: (t) => ({
        url: `/api/dropout/cases/${t.caseToDismiss}/dismiss`,
        body: { reason: '探针：病假已补' },
      }),
      outsider: 404,
    },
    'PUT /api/dropout/cases/:id/lines': {
      request: (t) => ({
        url: `/api/dropout/cases/${t.caseInWork}/lines`,
        body: {
          edu: [{ level: 'school', name: '探针校长' }],
          gov: [{ level: 'village', name: '探针村干部' }],
        },
      }),
      outsider: 404,
    },
    'POST /api/dropout/cases/:id/steps': {
      request: (t) => ({
        url: `/api/dropout/cases/${t.caseInWork}/steps`,
        body: { actedOn: DAY, people: '探针校长', action: '入户劝返' },
      }),
      outsider: 404,
    },
    'POST /api/dropout/cases/:id/outcome': {
      request: (t) => ({
        url: `/api/dropout/cases/${t.caseInWork}/outcome`,
        body: { outcome: 'movedAway', on: DAY, note: '随父母迁居', destinationCode: '110101' },
      }),
      outsider: 404,
    },
    'POST /api/dropout/cases/:id/verify': {
      request: (t) => ({ url: `/api/dropout/cases/${t.caseToVerify}/verify`, body: { approve: true } }),
      outsider: 404,
    },
    'GET /api/dropout/ledgers/:kind': {
      request: (t) => ({ url: `/api/dropout/ledgers/dropout?under=${t.school}` }),
      outsider: 404,
    },
    'GET /api/dropout/reports': {
      request: (t) => ({ url: `/api/dropout/reports?under=${t.school}&period=2026-10` }),
      outsider: 404,
    },
    'POST /api/dropout/reports': {
      request: (t) => ({
        url: '/api/dropout/reports',
        body: { unitId: t.school, period: '2026-10', figures: { sheets: 1, unexcused: 0, dropouts: 0 } },
      }),
      outsider: 404,
    },
    'GET /api/dropout/dashboard': {
      request: (t) => ({ url: `/api/dropout/dashboard?under=${t.school}&date=${DAY}` }),
      outsider: 404,
    },
    'POST /api/dropout/crosscheck': {
      request: (t) => ({
        url: `/api/dropout/crosscheck?unitId=${t.county}&dryRun=true&asOf=${DAY}`,
        body: Buffer.from('姓名,身份证号\n探针,220302201609090012\n'),
        headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'probe.csv' },
      }),
      outsider: 404,
    },
    'GET /api/dropout/population-lists': {
      request: () => ({ url: '/api/dropout/population-lists' }),
      outsider: 'list-without-targets',
    },
    'GET /api/dropout/population-lists/:id': {
      request: (t) => ({ url: `/api/dropout/population-lists/${t.populationList}` }),
      outsider: 404,
    },
    'GET /api/dropout/population-lists/:id/persons': {
      request: (t) => ({ url: `/api/dropout/population-lists/${t.populationList}/persons` }),
      outsider: 404,
    },
  },
  openLists: [
    '/api/dropout/cases?pageSize=500',
    '/api/dropout/risk?limit=500',
    '/api/dropout/board?pageSize=500',
    '/api/dropout/population-lists',
    `/api/attendance/missing?date=${DAY}`,
  ],
};
export default dropout;
