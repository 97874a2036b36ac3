/** Cross-scope probes of the safety routes (see ./probe.ts). */
import { randomUUID } from 'node:crypto';
import { systemActor } from '../../src/platform/access/actor.js';
import { createGrid } from '../../src/modules/safety/safety.grids.service.js';
import { saveInspection } from '../../src/modules/safety/safety.inspections.service.js';
import { createCampaign, createTemplate, updateTemplate } from '../../src/modules/safety/safety.service.js';
import { chinaToday } from '../../src/platform/dates.js';
import type { ModuleProbes } from './probe.js';

/** The id the probe's new inspection is created under (by the city admin, once). */
const PROBE_INSPECTION_ID = '0b7c9a52-3f1e-4c8a-9d2b-5e6f7a8b9c0d';
const month = () => chinaToday().slice(0, 7);
const items = [
  { area: 'fire' as const, text: '疏散通道畅通', defaultSeverity: 'major' as const },
  { area: 'food' as const, text: '食品留样记录完整', defaultSeverity: 'general' as const },
  { area: 'security' as const, text: '门卫登记制度落实', defaultSeverity: 'general' as const },
];

const safety: ModuleProbes = {
  async setup(ctx, world, school) {
    const sys = systemActor('test');
    const origin = { actor: sys, ip: null, requestId: null };
    const today = chinaToday();
    // A template of county A (published v1, a draft v2 being edited) and a campaign over county A.
    const t = await createTemplate(
      ctx,
      sys,
      { ownerUnitId: world.countyA.id, name: `探针检查表${school.tag}`, items, publish: true },
      origin,
    );
    const v1 = t.current!.id;
    await updateTemplate(ctx, sys, t.id, { items: [...items, { ...items[0]!, text: '新增检查项' }] }, origin);
    const c = await createCampaign(
      ctx,
      sys,
      {
        ownerUnitId: world.countyA.id,
        name: `探针专项整治${school.tag}`,
        startsOn: today,
        endsOn: today,
        templateVersionId: v1,
        groups: [
          { name: '第一组', leader: '王组长', members: ['李组员'] },
          { name: '待删组', leader: '赵组长', members: [] },
        ],
      },
      origin,
    );
    const grid = await createGrid(ctx, sys, { schoolId: school.id, name: `探针网格${school.tag}` }, origin);
    const gridToDelete = await createGrid(
      ctx,
      sys,
      { schoolId: school.id, name: `待删网格${school.tag}` },
      origin,
    );
    const checklist = t.items;
    const inspection = await saveInspection(
      ctx,
      sys,
      {
        id: randomUUID(),
        kind: 'campaign',
        schoolId: school.id,
        campaignId: c.id,
        groupId: c.groups[0]!.id,
        inspectedOn: today,
        people: ['王组长', '李组员'],
        items: checklist.map((it, n) => ({
          itemId: it.id,
          result: n === 0 ? 'fail' : 'pass',
          fileIds: [],
          rectifiedOnSite: false,
          ...(n === 0 ? { gridId: grid.id, note: '二楼东侧通道堆放杂物' } : {}),
        })),
        submit: true,
      },
      origin,
    );
    const draft = await saveInspection(
      ctx,
      sys,
      {
        id: randomUUID(),
        kind: 'self_check',
        schoolId: school.id,
        templateVersionId: v1,
        inspectedOn: today,
        month: month(),
        people: [],
        items: [],
        submit: false,
      },
      origin,
    );
    return {
      safetyTemplate: t.id,
      safetyVersion: v1,
      safetyCampaign: c.id,
      safetyGroup: c.groups[0]!.id,
      safetyGroupToDelete: c.groups[1]!.id,
      safetyGrid: grid.id,
      safetyGridToDelete: gridToDelete.id,
      safetyInspection: inspection.inspection.id,
      safetyDraft: draft.inspection.id,
    };
  },
  probes: {
    'GET /api/safety/templates': {
      request: () => ({ url: '/api/safety/templates' }),
      outsider: 'list-without-targets',
    },
    'GET /api/safety/templates/:id': {
      request: (t) => ({ url: `/api/safety/templates/${t.safetyTemplate}` }),
      outsider: 404,
    },
    'POST /api/safety/templates': {
      request: (t) => ({
        url: '/api/safety/templates',
        body: { ownerUnitId: t.county, name: '探针新检查表', items: [{ area: 'fire', text: '探针检查项' }] },
      }),
      outsider: 404,
    },
    'PATCH /api/safety/templates/:id': {
      request: (t) => ({
        url: `/api/safety/templates/${t.safetyTemplate}`,
        body: { name: '探针改名检查表' },
      }),
      outsider: 404,
    },
    'POST /api/safety/templates/:id/publish': {
      request: (t) => ({
        url: `/api/safety/templates/${t.safetyTemplate}/publish`,
        body: { note: '探针发布' },
      }),
      outsider: 404,
    },
    'GET /api/safety/campaigns': {
      request: () => ({ url: '/api/safety/campaigns?pageSize=100' }),
      outsider: 'list-without-targets',
    },
    'GET /api/safety/campaigns/:id': {
      request: (t) => ({ url: `/api/safety/campaigns/${t.safetyCampaign}` }),
      outsider: 404,
    },
    'GET /api/safety/campaigns/:id/report': {
      request: (t) => ({ url: `/api/safety/campaigns/${t.safetyCampaign}/report` }),
      outsider: 404,
    },
    'POST /api/safety/campaigns': {
      request: (t) => ({
        url: '/api/safety/campaigns',
        body: {
          ownerUnitId: t.county,
          name: '探针新整治',
          startsOn: '2026-01-01',
          endsOn: '2026-12-31',
          templateVersionId: t.safetyVersion,
        },
      }),
      outsider: 404,
    },
    'PATCH /api/safety/campaigns/:id': {
      request: (t) => ({ url: `/api/safety/campaigns/${t.safetyCampaign}`, body: { name: '探针改名整治' } }),
      outsider: 404,
    },
    'POST /api/safety/campaigns/:id/groups': {
      request: (t) => ({
        url: `/api/safety/campaigns/${t.safetyCampaign}/groups`,
        body: { name: '探针组', leader: '探针组长' },
      }),
      outsider: 404,
    },
    'PATCH /api/safety/campaign-groups/:id': {
      request: (t) => ({ url: `/api/safety/campaign-groups/${t.safetyGroup}`, body: { people: 6 } }),
      outsider: 404,
    },
    'DELETE /api/safety/campaign-groups/:id': {
      request: (t) => ({ url: `/api/safety/campaign-groups/${t.safetyGroupToDelete}` }),
      outsider: 404,
    },
    'GET /api/safety/inspect/options': {
      request: (t) => ({ url: `/api/safety/inspect/options?schoolId=${t.school}` }),
      outsider: 404,
    },
    'GET /api/safety/inspections': {
      request: (t) => ({ url: `/api/safety/inspections?schoolId=${t.school}` }),
      outsider: 404,
    },
    'GET /api/safety/inspections/:id': {
      request: (t) => ({ url: `/api/safety/inspections/${t.safetyInspection}` }),
      outsider: 404,
    },
    'POST /api/safety/inspections': {
      request: (t) => ({
        url: '/api/safety/inspections',
        body: {
          id: PROBE_INSPECTION_ID,
          kind: 'visit',
          schoolId: t.school,
          templateVersionId: t.safetyVersion,
          inspectedOn: chinaToday(),
          submit: false,
        },
      }),
      outsider: 404,
    },
    'DELETE /api/safety/inspections/:id': {
      request: (t) => ({ url: `/api/safety/inspections/${t.safetyDraft}` }),
      outsider: 404,
    },
    'GET /api/safety/self-checks/status': {
      request: (t) => ({ url: `/api/safety/self-checks/status?month=${month()}&under=${t.county}` }),
      outsider: 404,
    },
    'POST /api/safety/self-checks/remind': {
      request: (t) => ({ url: '/api/safety/self-checks/remind', body: { month: month(), under: t.county } }),
      outsider: 404,
    },
    'GET /api/safety/grids': {
      request: (t) => ({ url: `/api/safety/grids?schoolId=${t.school}` }),
      outsider: 404,
    },
    'GET /api/safety/grids/coverage': {
      request: (t) => ({ url: `/api/safety/grids/coverage?under=${t.county}` }),
      outsider: 404,
    },
    'POST /api/safety/grids': {
      request: (t) => ({ url: '/api/safety/grids', body: { schoolId: t.school, name: '探针新网格' } }),
      outsider: 404,
    },
    'PATCH /api/safety/grids/:id': {
      request: (t) => ({ url: `/api/safety/grids/${t.safetyGrid}`, body: { personName: '探针责任人' } }),
      outsider: 404,
    },
    'DELETE /api/safety/grids/:id': {
      request: (t) => ({ url: `/api/safety/grids/${t.safetyGridToDelete}` }),
      outsider: 404,
    },
  },
  openLists: [
    '/api/safety/templates',
    '/api/safety/campaigns?pageSize=100',
    '/api/safety/inspections?pageSize=100',
  ],
};
export default safety;
