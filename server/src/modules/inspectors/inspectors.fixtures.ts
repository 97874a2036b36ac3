/**
 * Objects of the inspectors module for tests (the scope probes and the module's own tests), made through the
 * real services as the system.
 */
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { storeFile } from '../../platform/files/files.service.js';
import { createUser } from '../users/users.service.js';
import * as inspectors from './inspectors.service.js';
import * as opinionService from './inspectors.opinions.service.js';

const sys = systemActor('test');
const origin = { actor: sys, ip: null, requestId: null };

/** A 1×1 PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export async function storePng(ctx: AppContext, unitId: string, name = 'photo.png'): Promise<string> {
  const f = await storeFile(ctx, sys, { unitId, fileName: name, source: Readable.from([TINY_PNG]) }, origin);
  return f.id;
}

/** An inspector account at a bureau, assigned these schools, with a profile and a photo. */
export async function makeInspector(
  ctx: AppContext,
  username: string,
  bureauId: string,
  schoolIds: string[],
  password: string,
): Promise<string> {
  const { user } = await createUser(
    ctx,
    sys,
    {
      username,
      displayName: `督学${username.replace(/[^a-z0-9]/gi, '')}`.slice(0, 30),
      unitId: bureauId,
      roles: [{ role: 'inspector', unitId: bureauId }],
      inspectorSchoolIds: schoolIds,
    },
    origin,
    { password, mustChangePassword: false },
  );
  const photo = await storePng(ctx, bureauId);
  await inspectors.updateProfile(
    ctx,
    sys,
    user.id,
    {
      employment: 'part_time',
      title: '退休校长',
      employer: '铁西区教师进修学校',
      phone: '13900001111',
      photoFileId: photo,
      certificateNo: `DX2026${username.length}`,
      appointedOn: '2024-09-01',
    },
    origin,
  );
  return user.id;
}

/** A visit by that inspector at the school today; `problem` adds a 校务管理 problem (a finding). */
export async function makeVisit(
  ctx: AppContext,
  schoolId: string,
  inspectorId: string,
  opts: { problem?: boolean; visitDate?: string } = {},
): Promise<string> {
  const id = randomUUID();
  await inspectors.createVisit(
    ctx,
    sys,
    {
      id,
      schoolId,
      inspectorId,
      visitDate: opts.visitDate ?? chinaToday(),
      items: [
        { item: 'curriculum', result: 'ok' },
        opts.problem
          ? { item: 'school_affairs', result: 'problem', notes: '校务公开栏信息未及时更新' }
          : { item: 'school_affairs', result: 'ok' },
      ],
      methods: ['document_review', 'site_inspection'],
      summary: '按计划开展经常性督导。',
    },
    origin,
  );
  return id;
}

/** An opinion on the visit, optionally with the school's report already in. */
export async function makeOpinion(ctx: AppContext, visitId: string, opts: { reported?: boolean } = {}) {
  const o = await opinionService.createOpinion(
    ctx,
    sys,
    visitId,
    { content: '请学校及时更新校务公开栏。', deadline: addDays(chinaToday(), 30) },
    origin,
  );
  if (opts.reported) await opinionService.submitReport(ctx, sys, o.id, { text: '已完成整改。' }, origin);
  return o.id;
}
