/**
 * Stored files: photos of hazards, rectification evidence, inspectors' photos. Kept in the database (bytea)
 * so a backup, a transaction and the scope filter cover them like any other row; each belongs to a unit and
 * is seen by whoever may read findings there. Sizes are small: photos are shrunk on the phone before upload.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { StoredFile } from '@dudao/contracts';
import { can, type Actor } from '../access/actor.js';
import { pathInScope } from '../access/scope.js';
import type { AuditOrigin } from '../audit/audit.js';
import { recordAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { DB } from '../db/schema.js';
import { timeOrderedId } from '../db/ids.js';
import { AppError, badRequest, forbidden, notFound } from '../errors.js';

export const FILE_MAX_BYTES = 10 * 1024 * 1024;

const FILE = { zh: '文件', en: 'File' };
const UNIT = { zh: '单位', en: 'Unit' };

/** The types accepted, recognised by their first bytes (the name and the client's Content-Type are ignored). */
export function sniffFileType(head: Buffer): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && head.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return null;
}

const tooLarge = () =>
  new AppError(
    413,
    'FILE_TOO_LARGE',
    {
      zh: `文件不能超过 ${FILE_MAX_BYTES / 1024 / 1024} MB`,
      en: `Files may not exceed ${FILE_MAX_BYTES / 1024 / 1024} MB`,
    },
    undefined,
    { connection: 'close' },
  );

async function readLimited(source: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > FILE_MAX_BYTES) {
      source.destroy();
      throw tooLarge();
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Stores an uploaded file for a unit the actor may raise or rectify findings at. */
export async function storeFile(
  ctx: AppContext,
  actor: Actor,
  input: { unitId: string; fileName: string; source: Readable | null; declaredLength?: number },
  origin: AuditOrigin,
): Promise<StoredFile> {
  const unit = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path'])
    .where('id', '=', input.unitId)
    .where(pathInScope(actor, 'finding.read', sql.ref('unit.path')))
    .executeTakeFirst();
  if (!unit) throw notFound(UNIT);
  const mayUpload = [
    'finding.raise',
    'finding.rectify',
    'safety.inspect',
    'inspector.visit',
    'inspector.manage',
  ] as const;
  if (!mayUpload.some((p) => can(actor, p, unit.path))) throw forbidden();
  if (!input.source)
    throw badRequest('UPLOAD_BODY', {
      zh: '请以 application/octet-stream 上传文件内容',
      en: 'Send the file as the application/octet-stream body',
    });
  if (input.declaredLength !== undefined && input.declaredLength > FILE_MAX_BYTES) {
    input.source.resume();
    throw tooLarge();
  }
  const data = await readLimited(input.source);
  if (data.length === 0) throw badRequest('FILE_EMPTY', { zh: '文件为空', en: 'The file is empty' });
  const contentType = sniffFileType(data.subarray(0, 16));
  if (!contentType)
    throw badRequest('FILE_TYPE', {
      zh: '只能上传图片（JPEG、PNG、WebP、GIF）或 PDF 文件',
      en: 'Only images (JPEG, PNG, WebP, GIF) and PDF files can be uploaded',
    });
  const id = timeOrderedId();
  const sha256 = createHash('sha256').update(data).digest('hex');
  const row = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('stored_file')
      .values({
        id,
        unit_id: unit.id,
        name: input.fileName,
        content_type: contentType,
        size: data.length,
        sha256,
        data,
        uploaded_by: actor.userId,
      })
      .returning(['id', 'name', 'content_type', 'size', 'created_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, origin, {
      action: 'file.upload',
      objectType: 'stored_file',
      objectId: id,
      unitId: unit.id,
      after: { name: input.fileName, contentType, size: data.length, sha256 },
    });
    return inserted;
  });
  return toStoredFile(row);
}

export function toStoredFile(r: {
  id: string;
  name: string;
  content_type: string;
  size: number;
  created_at: Date;
}): StoredFile {
  return {
    id: r.id,
    name: r.name,
    contentType: r.content_type,
    size: r.size,
    createdAt: r.created_at.toISOString(),
  };
}

/** A file's bytes, when its unit lies in the actor's scope for reading findings. */
export async function readFile(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ name: string; contentType: string; data: Buffer; sha256: string }> {
  const row = await ctx.db
    .selectFrom('stored_file as f')
    .innerJoin('unit', 'unit.id', 'f.unit_id')
    .select(['f.name', 'f.content_type', 'f.data', 'f.sha256'])
    .where('f.id', '=', id)
    .where(pathInScope(actor, 'finding.read', sql.ref('unit.path')))
    .executeTakeFirst();
  if (!row) throw notFound(FILE);
  return { name: row.name, contentType: row.content_type, data: row.data, sha256: row.sha256 };
}

/** Metadata of files, in the order of `ids` (missing ones left out). */
export async function fileInfos(db: Kysely<DB>, ids: readonly string[]): Promise<StoredFile[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('stored_file')
    .select(['id', 'name', 'content_type', 'size', 'created_at'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, toStoredFile(r)]));
  return ids.map((id) => byId.get(id)).filter((f): f is StoredFile => f !== undefined);
}

/**
 * Files named in a request must exist and belong to the unit the record is about (or one of `unitIds`), so a
 * form cannot attach another school's photo.
 */
export async function assertFiles(
  db: Kysely<DB>,
  _actor: Actor,
  fileIds: readonly string[] | undefined,
  unitId: string | readonly string[],
): Promise<string[]> {
  const ids = [...new Set(fileIds ?? [])];
  if (ids.length === 0) return [];
  const units = typeof unitId === 'string' ? [unitId] : [...unitId];
  const rows = await db
    .selectFrom('stored_file')
    .select('id')
    .where('id', 'in', ids)
    .where('unit_id', 'in', units)
    .execute();
  if (rows.length !== ids.length)
    throw badRequest('FILE_UNKNOWN', {
      zh: '附件不存在或不属于该单位，请重新上传',
      en: 'An attached file does not exist or belongs to another unit; upload it again',
    });
  return ids;
}
