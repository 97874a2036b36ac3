import {
  AttendanceClass,
  AttendanceClassQuery,
  AttendanceSheet,
  CalendarDay,
  CalendarDaysQuery,
  Closure,
  ClosureCreate,
  ClosureQuery,
  DropoutCasePage,
  CaseListQuery,
  ErrorBody,
  GateEvent,
  GateEventQuery,
  GateEventsPost,
  GateEventsResult,
  HeadTeacher,
  HeadTeacherSet,
  MissingQuery,
  MissingReport,
  RegionTerms,
  RiskList,
  RiskQuery,
  SettingsQuery,
  SettingsUpdate,
  SettingsView,
  SheetQuery,
  SheetResult,
  SheetSubmit,
  TermQuery,
  TermsUpdate,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { systemActor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import * as attendance from './attendance.service.js';
import * as calendar from './dropout.calendar.service.js';
import * as dropout from './dropout.service.js';
import { dropoutCaseRoutes } from './cases.routes.js';

const tags = ['dropout 控辍保学'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
// Calendars, sheets, events and cases belong to schools and bureaus: the unit scope filter decides.
const config = { scope: 'unit' as const };
const DAY_MS = 24 * 60 * 60 * 1000;

/** 控辍保学: the school calendar, attendance, not-submitted classes, detection settings, cases, risk list. */
export function dropoutRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);

  // The detection runs at start-up and then once a day.
  let daily: NodeJS.Timeout | undefined;
  const runScan = () =>
    dropout
      .scan(ctx, { actor: systemActor('dropout-scan'), ip: null, requestId: null })
      .catch((err: unknown) => app.log.error({ err }, 'dropout scan failed'));
  app.addHook('onReady', async () => {
    await runScan();
    daily = setInterval(() => void runScan(), DAY_MS);
    daily.unref();
  });
  app.addHook('onClose', () => clearInterval(daily));
  dropoutCaseRoutes(app, ctx);

  // ---------- calendar ----------
  r.get(
    '/api/calendar/terms',
    {
      schema: {
        tags,
        summary: '区域学期日期 Terms of a region',
        querystring: TermQuery,
        response: { 200: RegionTerms, ...errors },
      },
      config,
    },
    (req) => calendar.getTerms(ctx, actorOf(req), req.query.unitId, req.query.schoolYear),
  );
  r.put(
    '/api/calendar/terms',
    {
      schema: {
        tags,
        summary: '设置学期日期（审计）Set a region’s terms',
        body: TermsUpdate,
        response: { 200: RegionTerms, ...errors },
      },
      config,
    },
    (req) => calendar.setTerms(ctx, actorOf(req), req.body, origin(req)),
  );
  r.get(
    '/api/calendar/closures',
    {
      schema: {
        tags,
        summary: '停课安排 Closures',
        querystring: ClosureQuery,
        response: { 200: z.array(Closure), ...errors },
      },
      config,
    },
    (req) => calendar.listClosures(ctx, actorOf(req), req.query),
  );
  r.post(
    '/api/calendar/closures',
    {
      schema: {
        tags,
        summary: '登记停课（审计）Add a closure',
        body: ClosureCreate,
        response: { 201: Closure, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply.code(201).send(await calendar.createClosure(ctx, actorOf(req), req.body, origin(req))),
  );
  r.delete(
    '/api/calendar/closures/:id',
    {
      schema: {
        tags,
        summary: '撤销停课（审计）Remove a closure',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
      config,
    },
    async (req, reply) => {
      await calendar.deleteClosure(ctx, actorOf(req), req.params.id, origin(req));
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/api/calendar/days',
    {
      schema: {
        tags,
        summary: '学校校历（每天是否上课及原因）School days of a school',
        querystring: CalendarDaysQuery,
        response: { 200: z.array(CalendarDay), ...errors },
      },
      config,
    },
    (req) => calendar.calendarDays(ctx, actorOf(req), req.query),
  );

  // ---------- head teachers ----------
  r.put(
    '/api/classes/:id/head-teacher',
    {
      schema: {
        tags,
        summary: '设置班主任（审计）Set a class’s head teacher',
        params: IdParams,
        body: HeadTeacherSet,
        response: { 200: HeadTeacher, ...errors },
      },
      config,
    },
    (req) => calendar.setHeadTeacher(ctx, actorOf(req), req.params.id, req.body.userId, origin(req)),
  );

  // ---------- attendance ----------
  r.get(
    '/api/attendance/classes',
    {
      schema: {
        tags,
        summary: '可考勤的班级（班主任：本人班级）Classes to take attendance for',
        querystring: AttendanceClassQuery,
        response: { 200: z.array(AttendanceClass), ...errors },
      },
      config,
    },
    (req) => attendance.listAttendanceClasses(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/attendance/sheet',
    {
      schema: {
        tags,
        summary: '班级考勤表 A class’s sheet for a day',
        querystring: SheetQuery,
        response: { 200: AttendanceSheet, ...errors },
      },
      config,
    },
    (req) => attendance.getSheet(ctx, actorOf(req), req.query.classId, req.query.date),
  );
  r.put(
    '/api/attendance/sheet',
    {
      schema: {
        tags,
        summary: '提交考勤（重复提交即替换当天记录，审计）Submit or replace a day’s sheet',
        body: SheetSubmit,
        response: { 200: SheetResult, ...errors },
      },
      config,
    },
    (req) => attendance.submitSheet(ctx, actorOf(req), req.body, origin(req)),
  );
  r.get(
    '/api/attendance/missing',
    {
      schema: {
        tags,
        summary: '未报送考勤的班级（按区县、学校）Classes that have not submitted',
        querystring: MissingQuery,
        response: { 200: MissingReport, ...errors },
      },
      config,
    },
    (req) => attendance.missingReport(ctx, actorOf(req), req.query),
  );
  r.post(
    '/api/attendance/gate-events',
    {
      schema: {
        tags,
        summary: '门禁进出记录（API 令牌）Gate events from access-control systems',
        body: GateEventsPost,
        response: { 200: GateEventsResult, ...errors },
      },
      config,
    },
    (req) => attendance.postGateEvents(ctx, actorOf(req), req.body, origin(req)),
  );
  r.get(
    '/api/attendance/gate-events',
    {
      schema: {
        tags,
        summary: '门禁进出记录 Gate events of a school and day',
        querystring: GateEventQuery,
        response: { 200: z.array(GateEvent), ...errors },
      },
      config,
    },
    (req) => attendance.listGateEvents(ctx, actorOf(req), req.query),
  );

  // ---------- detection ----------
  r.get(
    '/api/dropout/settings',
    {
      schema: {
        tags,
        summary: '预警参数 Detection settings',
        querystring: SettingsQuery,
        response: { 200: SettingsView, ...errors },
      },
      config,
    },
    (req) => calendar.getSettings(ctx, actorOf(req), req.query.unitId),
  );
  r.put(
    '/api/dropout/settings',
    {
      schema: {
        tags,
        summary: '修改预警参数（审计）Change detection settings',
        body: SettingsUpdate,
        response: { 200: SettingsView, ...errors },
      },
      config,
    },
    (req) => calendar.setSettings(ctx, actorOf(req), req.body, origin(req)),
  );
  r.get(
    '/api/dropout/cases',
    {
      schema: {
        tags,
        summary: '疑似辍学名单 Suspected dropouts',
        querystring: CaseListQuery,
        response: { 200: DropoutCasePage, ...errors },
      },
      config,
    },
    (req) => dropout.listCases(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/dropout/risk',
    {
      schema: {
        tags,
        summary: '辍学风险预警名单 Risk list',
        querystring: RiskQuery,
        response: { 200: RiskList, ...errors },
      },
      config,
    },
    (req) => dropout.riskList(ctx, actorOf(req), req.query),
  );
}
