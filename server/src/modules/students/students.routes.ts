import {
  ClassCreate,
  ClassListQuery,
  ClassRoster,
  ErrorBody,
  SchoolClass,
  StudentCheckPage,
  StudentCheckQuery,
  StudentCreate,
  StudentDetail,
  StudentExportQuery,
  StudentListQuery,
  StudentPage,
  StudentReveal,
  StudentStatusChange,
  StudentUpdate,
  Transfer,
  TransferCancel,
  TransferConfirm,
  TransferCreate,
  TransferListQuery,
  TransferPage,
  TransferReject,
} from '@dudao/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { attachment } from '../../platform/exports/xlsx.js';
import { requestMeta } from '../../platform/http/auth-hook.js';
import { typed } from '../../platform/http/route-kit.js';
import { actorOf } from '../../platform/http/types.js';
import { EXPORT_CONTENT_TYPES, exportStream, prepareStudentExport } from './students.export.service.js';
import * as students from './students.service.js';

const tags = ['students 学籍'];
const IdParams = z.strictObject({ id: z.uuid() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const origin = (req: FastifyRequest) => ({ actor: actorOf(req), ...requestMeta(req) });
// Students, classes and transfers belong to schools: the unit scope filter decides who sees them.
const config = { scope: 'unit' as const };

/** The student registry: students, status changes, classes, transfers and the consistency report. */
export function studentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = typed(app);

  r.get(
    '/api/students',
    {
      schema: {
        tags,
        summary: '学生列表与查询 List and search students',
        querystring: StudentListQuery,
        response: { 200: StudentPage, ...errors },
      },
      config,
    },
    (req) => students.listStudents(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/students/checks',
    {
      schema: {
        tags,
        summary: '学籍数据一致性核查 Consistency report',
        querystring: StudentCheckQuery,
        response: { 200: StudentCheckPage, ...errors },
      },
      config,
    },
    (req) => students.studentChecks(ctx, actorOf(req), req.query),
  );
  r.get(
    '/api/students/:id',
    {
      schema: {
        tags,
        summary: '学生详情（含监护人、学籍变动记录、转学）Student details',
        params: IdParams,
        response: { 200: StudentDetail, ...errors },
      },
      config,
    },
    (req) => students.getStudent(ctx, actorOf(req), req.params.id),
  );
  r.post(
    '/api/students',
    {
      schema: {
        tags,
        summary: '建立学籍 Enrol a student',
        body: StudentCreate,
        response: { 201: StudentDetail, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply.code(201).send(await students.createStudent(ctx, actorOf(req), req.body, origin(req))),
  );
  r.patch(
    '/api/students/:id',
    {
      schema: {
        tags,
        summary: '更正学籍信息（审计）Correct a student record (audited)',
        params: IdParams,
        body: StudentUpdate,
        response: { 200: StudentDetail, ...errors },
      },
      config,
    },
    (req) => students.updateStudent(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/students/:id/status',
    {
      schema: {
        tags,
        summary: '学籍变动：休学、复学、毕业、死亡、转出（系统外）Change status',
        params: IdParams,
        body: StudentStatusChange,
        response: { 200: StudentDetail, ...errors },
      },
      config,
    },
    (req) => students.changeStatus(ctx, actorOf(req), req.params.id, req.body, origin(req)),
  );
  r.post(
    '/api/students/:id/reveal-id',
    {
      schema: {
        tags,
        summary: '查看完整身份证号（审计）Reveal ID number (audited)',
        params: IdParams,
        response: { 200: StudentReveal, ...errors },
      },
      config,
    },
    (req) => students.revealIdNumber(ctx, actorOf(req), req.params.id, origin(req)),
  );

  r.get(
    '/api/classes',
    {
      schema: {
        tags,
        summary: '班级列表 Classes of a school',
        querystring: ClassListQuery,
        response: { 200: z.array(SchoolClass), ...errors },
      },
      config,
    },
    (req) => students.listClasses(ctx, actorOf(req), req.query.schoolId, req.query.schoolYear),
  );
  r.post(
    '/api/classes',
    {
      schema: {
        tags,
        summary: '新建班级 Create a class',
        body: ClassCreate,
        response: { 201: SchoolClass, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply.code(201).send(await students.createClass(ctx, actorOf(req), req.body, origin(req))),
  );
  r.get(
    '/api/classes/:id/roster',
    {
      schema: {
        tags,
        summary: '班级花名册 Class roster',
        params: IdParams,
        response: { 200: ClassRoster, ...errors },
      },
      config,
    },
    (req) => students.classRoster(ctx, actorOf(req), req.params.id),
  );

  r.get(
    '/api/transfers',
    {
      schema: {
        tags,
        summary: '转学申请（转出与转入）Transfers from and to one’s schools',
        querystring: TransferListQuery,
        response: { 200: TransferPage, ...errors },
      },
      config,
    },
    (req) => students.listTransfers(ctx, actorOf(req), req.query),
  );
  r.post(
    '/api/transfers',
    {
      schema: {
        tags,
        summary: '申请转学（转出学校发起）Request a transfer (leaving school)',
        body: TransferCreate,
        response: { 201: Transfer, ...errors },
      },
      config,
    },
    async (req, reply) =>
      reply.code(201).send(await students.requestTransfer(ctx, actorOf(req), req.body, origin(req))),
  );
  const decisions = [
    ['confirm', TransferConfirm, '接收转学（接收学校）Confirm (receiving school)'],
    ['reject', TransferReject, '退回转学申请（接收学校）Reject (receiving school)'],
    ['cancel', TransferCancel, '撤销转学申请（转出学校）Cancel (leaving school)'],
  ] as const;
  for (const [decision, body, summary] of decisions) {
    r.post(
      `/api/transfers/:id/${decision}`,
      {
        schema: { tags, summary, params: IdParams, body, response: { 200: Transfer, ...errors } },
        config,
      },
      (req) =>
        students.decideTransfer(ctx, actorOf(req), req.params.id, decision, req.body?.reason, origin(req)),
    );
  }

  r.get(
    '/api/students/export',
    {
      schema: {
        tags,
        summary:
          '导出学生名册（xlsx/csv，流式，按权限脱敏，审计）Export the roster (streamed, masked, audited)',
        querystring: StudentExportQuery,
        produces: Object.values(EXPORT_CONTENT_TYPES),
        response: errors,
      },
      config,
      // A HEAD request would read and audit the whole export only to drop it.
      exposeHeadRoute: false,
    },
    async (req, reply) => {
      // Access (404 for a filter out of scope, 403 for a reveal not allowed) is settled before anything is sent.
      const exp = await prepareStudentExport(ctx, actorOf(req), req.query, origin(req));
      const body = exportStream(exp, (e) => req.log.error({ err: e }, 'student export failed'));
      // A stream of bytes, not one of the JSON shapes the typed reply knows.
      const raw: FastifyReply = reply;
      return raw
        .header('content-type', exp.contentType)
        .header('content-disposition', attachment(exp.fileName, exp.fallbackName))
        .send(body);
    },
  );
}
