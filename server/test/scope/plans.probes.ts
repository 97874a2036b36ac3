/**
 * Cross-scope probes of the plans routes: plans, assignments, 督办单, 调度会, responsibility agreements,
 * assessment, briefings (see ./probe.ts).
 */
import { Readable } from 'node:stream';
import { systemActor } from '../../src/platform/access/actor.js';
import { addDays, chinaToday } from '../../src/platform/dates.js';
import { approvePeriod, createPeriod, createScheme } from '../../src/modules/plans/plans.assess.js';
import { createKind, createRound, signAgreement } from '../../src/modules/plans/plans.agreements.js';
import { createBriefing } from '../../src/modules/plans/plans.briefings.js';
import { answerNotice, createNotice } from '../../src/modules/plans/plans.notices.js';
import { addReport } from '../../src/modules/plans/plans.assignments.js';
import { createPlan, createTask } from '../../src/modules/plans/plans.service.js';
import type { ModuleProbes } from './probe.js';

const today = chinaToday();
const year = Number(today.slice(0, 4));

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

const plans: ModuleProbes = {
  async setup(ctx, world, school) {
    const sys = systemActor('test');
    const origin = { actor: sys, ip: null, requestId: null };
    // A plan of county A with a task of the school; a plan of the city with a task of county A (to split).
    const plan = await createPlan(
      ctx,
      sys,
      {
        ownerUnitId: world.countyA.id,
        title: `铁西区探针计划${school.tag}`,
        kind: 'annual',
        year,
        startsOn: `${year}-01-01`,
        endsOn: `${year}-12-31`,
        chapters: ['探针章节'],
      },
      origin,
    );
    const withTask = await createTask(
      ctx,
      sys,
      plan.id,
      {
        chapterId: plan.chapters[0]!.id,
        title: '探针任务',
        leadOffice: '办公室',
        dueOn: `${year}-12-31`,
        unitIds: [school.id],
      },
      origin,
    );
    const assignment = withTask.taskList[0]!.assignments[0]!.id;
    await addReport(ctx, sys, assignment, { text: '探针进度' }, origin);
    const notice = await createNotice(
      ctx,
      sys,
      { assignmentId: assignment, requirement: '探针督办', deadline: addDays(today, 10) },
      origin,
    );
    const answered = await createNotice(
      ctx,
      sys,
      { assignmentId: assignment, requirement: '探针督办二', deadline: addDays(today, 10) },
      origin,
    );
    await answerNotice(ctx, sys, answered.id, { answer: '已落实' }, origin);
    const cityPlan = await createPlan(
      ctx,
      sys,
      {
        ownerUnitId: world.city.id,
        title: `全市探针计划${school.tag}`,
        kind: 'campaign',
        year,
        startsOn: `${year}-01-01`,
        endsOn: `${year}-12-31`,
        chapters: ['探针'],
      },
      origin,
    );
    const cityTask = await createTask(
      ctx,
      sys,
      cityPlan.id,
      {
        chapterId: cityPlan.chapters[0]!.id,
        title: '探针县级任务',
        leadOffice: '基教科',
        dueOn: `${year}-12-31`,
        unitIds: [world.countyA.id],
      },
      origin,
    );
    const scheme = await createScheme(
      ctx,
      sys,
      {
        ownerUnitId: world.countyA.id,
        year,
        unitKind: 'school',
        name: `探针考评${school.tag}`,
        items: [
          { kind: 'task_completion', name: '任务完成', weight: 80 },
          { kind: 'manual', name: '综合评价', weight: 20 },
        ],
      },
      origin,
    );
    const withPeriod = await createPeriod(
      ctx,
      sys,
      {
        schemeId: scheme.id,
        planId: plan.id,
        label: `${year}年度`,
        startsOn: `${year}-01-01`,
        endsOn: `${year}-12-31`,
      },
      origin,
    );
    const period = withPeriod.periods[0]!.id;
    const briefing = await createBriefing(ctx, sys, { periodId: period }, origin);
    // An approved period of its own (the approval probe needs an open one).
    const scheme2 = await createScheme(
      ctx,
      sys,
      {
        ownerUnitId: world.countyA.id,
        year,
        unitKind: 'school',
        name: `探针考评审定${school.tag}`,
        items: [{ kind: 'manual', name: '综合', weight: 100 }],
      },
      origin,
    );
    const approved = (
      await createPeriod(
        ctx,
        sys,
        { schemeId: scheme2.id, label: '上半年', startsOn: `${year}-01-01`, endsOn: `${year}-06-30` },
        origin,
      )
    ).periods[0]!.id;
    await approvePeriod(ctx, sys, approved, origin);
    // Agreements: county A's own kind and its round to this school only; the city's round to the counties,
    // county A's copy signed (to be returned).
    const kind = await createKind(
      ctx,
      sys,
      { ownerUnitId: world.countyA.id, name: `探针责任书${school.tag}` },
      origin,
    );
    const round = await createRound(
      ctx,
      sys,
      { issuerUnitId: world.countyA.id, kindId: kind.id, year, unitKind: 'school', unitIds: [school.id] },
      origin,
    );
    const cityKind = await createKind(
      ctx,
      sys,
      { ownerUnitId: world.city.id, name: `全市探针责任书${school.tag}` },
      origin,
    );
    const cityRound = await createRound(
      ctx,
      sys,
      { issuerUnitId: world.city.id, kindId: cityKind.id, year, unitKind: 'county_bureau' },
      origin,
    );
    const countySigning = cityRound.signings.find((x) => x.unit.id === world.countyA.id)!.id;
    await signAgreement(
      ctx,
      sys,
      countySigning,
      { signedOn: today, signerName: '探针局长' },
      { source: Readable.from([PDF]), fileName: '探针.pdf' },
      origin,
    );
    return {
      planAgreementKind: kind.id,
      planAgreementRound: round.id,
      planAgreementSigning: round.signings[0]!.id,
      planAgreementCountySigning: countySigning,
      planPlan: plan.id,
      planChapter: plan.chapters[0]!.id,
      planTask: withTask.taskList[0]!.id,
      planAssignment: assignment,
      planCountyAssignment: cityTask.taskList[0]!.assignments[0]!.id,
      planNotice: notice.id,
      planNoticeAnswered: answered.id,
      planScheme: scheme.id,
      planManualItem: scheme.items[1]!.id,
      planPeriod: period,
      planApprovedPeriod: approved,
      planApprovedItem: scheme2.items[0]!.id,
      planBriefing: briefing.id,
    };
  },
  probes: {
    'GET /api/plans': { request: () => ({ url: '/api/plans' }), outsider: 'list-without-targets' },
    'POST /api/plans': {
      request: (t) => ({
        url: '/api/plans',
        body: {
          ownerUnitId: t.county,
          title: '探针新计划',
          kind: 'annual',
          year,
          startsOn: `${year}-01-01`,
          endsOn: `${year}-12-31`,
        },
      }),
      outsider: 404,
    },
    'POST /api/plans/import': {
      request: (t) => ({
        url: `/api/plans/import?ownerUnitId=${t.county}&title=${encodeURIComponent('探针导入')}&year=${year}`,
        body: Buffer.from(
          `章节,序号,任务,牵头科室,责任单位,完成时限,目标\r\n一、探针,1,探针任务,办公室,,${year}-12-31,≥90%\r\n`,
        ),
        headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'plan.csv' },
      }),
      outsider: 404,
    },
    'GET /api/plans/:id': { request: (t) => ({ url: `/api/plans/${t.planPlan}` }), outsider: 404 },
    'POST /api/plans/:id/chapters': {
      request: (t) => ({ url: `/api/plans/${t.planPlan}/chapters`, body: { title: '探针新章' } }),
      outsider: 404,
    },
    'POST /api/plans/:id/tasks': {
      request: (t) => ({
        url: `/api/plans/${t.planPlan}/tasks`,
        body: {
          chapterId: t.planChapter,
          title: '探针新任务',
          leadOffice: '办公室',
          dueOn: `${year}-12-31`,
          unitIds: [t.school],
        },
      }),
      outsider: 404,
    },
    'GET /api/plans/:id/dispatch': {
      request: (t) => ({ url: `/api/plans/${t.planPlan}/dispatch` }),
      outsider: 404,
    },
    'POST /api/plans/:id/meetings': {
      request: (t) => ({
        url: `/api/plans/${t.planPlan}/meetings`,
        body: { heldOn: today, title: '探针调度会' },
      }),
      outsider: 404,
    },
    'GET /api/plan-assignments': {
      request: () => ({ url: '/api/plan-assignments' }),
      outsider: 'list-without-targets',
    },
    'GET /api/plan-assignments/:id': {
      request: (t) => ({ url: `/api/plan-assignments/${t.planAssignment}` }),
      outsider: 404,
    },
    'POST /api/plan-assignments/:id/split': {
      request: (t) => ({
        url: `/api/plan-assignments/${t.planCountyAssignment}/split`,
        body: { unitIds: [t.school] },
      }),
      outsider: 404,
    },
    'PUT /api/plan-assignments/:id/person': {
      request: (t) => ({ url: `/api/plan-assignments/${t.planAssignment}/person`, body: { userId: null } }),
      outsider: 404,
    },
    'POST /api/plan-assignments/:id/reports': {
      request: (t) => ({
        url: `/api/plan-assignments/${t.planAssignment}/reports`,
        body: { text: '探针报送', value: 10 },
      }),
      outsider: 404,
    },
    'GET /api/plan-notices': {
      request: () => ({ url: '/api/plan-notices' }),
      outsider: 'list-without-targets',
    },
    'POST /api/plan-notices': {
      request: (t) => ({
        url: '/api/plan-notices',
        body: { assignmentId: t.planAssignment, requirement: '探针督办', deadline: addDays(today, 5) },
      }),
      outsider: 404,
    },
    'GET /api/plan-notices/:id': {
      request: (t) => ({ url: `/api/plan-notices/${t.planNotice}` }),
      outsider: 404,
    },
    'POST /api/plan-notices/:id/answer': {
      request: (t) => ({ url: `/api/plan-notices/${t.planNotice}/answer`, body: { answer: '探针回复' } }),
      outsider: 404,
    },
    'POST /api/plan-notices/:id/close': {
      request: (t) => ({ url: `/api/plan-notices/${t.planNoticeAnswered}/close` }),
      outsider: 404,
    },
    'GET /api/assess/schemes': {
      request: () => ({ url: '/api/assess/schemes' }),
      outsider: 'list-without-targets',
    },
    'POST /api/assess/schemes': {
      request: (t) => ({
        url: '/api/assess/schemes',
        body: {
          ownerUnitId: t.county,
          year,
          unitKind: 'school',
          name: '探针新方案',
          items: [{ kind: 'manual', name: '综合', weight: 100 }],
        },
      }),
      outsider: 404,
    },
    'GET /api/assess/schemes/:id': {
      request: (t) => ({ url: `/api/assess/schemes/${t.planScheme}` }),
      outsider: 404,
    },
    'POST /api/assess/periods': {
      request: (t) => ({
        url: '/api/assess/periods',
        body: {
          schemeId: t.planScheme,
          label: '探针周期',
          startsOn: `${year}-01-01`,
          endsOn: `${year}-03-31`,
        },
      }),
      outsider: 404,
    },
    'GET /api/assess/periods/:id/results': {
      request: (t) => ({ url: `/api/assess/periods/${t.planPeriod}/results` }),
      outsider: 404,
    },
    'PUT /api/assess/periods/:id/entries': {
      request: (t) => ({
        url: `/api/assess/periods/${t.planApprovedPeriod}/entries`,
        body: { unitId: t.school, itemId: t.planApprovedItem, points: 90, reason: '探针复核调整' },
      }),
      outsider: 404,
    },
    'POST /api/assess/periods/:id/approve': {
      request: (t) => ({ url: `/api/assess/periods/${t.planPeriod}/approve`, body: {} }),
      outsider: 404,
    },
    'GET /api/agreement-kinds': {
      request: () => ({ url: '/api/agreement-kinds' }),
      outsider: 'list-without-targets',
    },
    'POST /api/agreement-kinds': {
      request: (t) => ({ url: '/api/agreement-kinds', body: { ownerUnitId: t.county, name: '探针新类型' } }),
      outsider: 404,
    },
    'PUT /api/agreement-kinds/:id': {
      request: (t) => ({ url: `/api/agreement-kinds/${t.planAgreementKind}`, body: { active: true } }),
      outsider: 404,
    },
    'GET /api/agreement-rounds': {
      request: () => ({ url: '/api/agreement-rounds' }),
      outsider: 'list-without-targets',
    },
    'POST /api/agreement-rounds': {
      request: (t) => ({
        url: '/api/agreement-rounds',
        body: {
          issuerUnitId: t.county,
          kindId: '00000000-0000-7000-8000-00000000a006',
          year,
          unitKind: 'school',
          unitIds: [t.school],
        },
      }),
      outsider: 404,
    },
    'GET /api/agreement-rounds/:id': {
      request: (t) => ({ url: `/api/agreement-rounds/${t.planAgreementRound}` }),
      outsider: 404,
    },
    'GET /api/agreement-rounds/:id/export': {
      request: (t) => ({ url: `/api/agreement-rounds/${t.planAgreementRound}/export` }),
      outsider: 404,
    },
    'GET /api/agreement-signings': {
      request: () => ({ url: '/api/agreement-signings' }),
      outsider: 'list-without-targets',
    },
    'POST /api/agreement-signings/:id/document': {
      request: (t) => ({
        url: `/api/agreement-signings/${t.planAgreementSigning}/document?signedOn=${today}&signerName=${encodeURIComponent('探针校长')}`,
        body: PDF,
        headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'agreement.pdf' },
      }),
      outsider: 404,
    },
    'POST /api/agreement-signings/:id/return': {
      request: (t) => ({
        url: `/api/agreement-signings/${t.planAgreementCountySigning}/return`,
        body: { reason: '探针退回' },
      }),
      outsider: 404,
    },
    'GET /api/briefings': { request: () => ({ url: '/api/briefings' }), outsider: 'list-without-targets' },
    'POST /api/briefings': {
      request: (t) => ({ url: '/api/briefings', body: { periodId: t.planPeriod } }),
      outsider: 404,
    },
    'GET /api/briefings/:id': {
      request: (t) => ({ url: `/api/briefings/${t.planBriefing}` }),
      outsider: 404,
    },
    'POST /api/briefings/:id/publish': {
      request: (t) => ({ url: `/api/briefings/${t.planBriefing}/publish` }),
      outsider: 404,
    },
    'GET /api/briefings/:id/export': {
      request: (t) => ({ url: `/api/briefings/${t.planBriefing}/export` }),
      outsider: 404,
    },
  },
  openLists: [
    '/api/plans',
    '/api/plan-assignments',
    '/api/plan-notices',
    '/api/assess/schemes',
    '/api/briefings',
    '/api/agreement-kinds',
    '/api/agreement-rounds',
    '/api/agreement-signings',
  ],
};
export default plans;
