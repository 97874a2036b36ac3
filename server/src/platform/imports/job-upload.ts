// Receiving an import job's upload: streamed to the job's file on disk, hashed (SHA-256) and held to the size
// limit on the way, then its type sniffed from the content (names lie) and an xlsx held to the zip limits.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../context.js';
import { AppError, badRequest } from '../errors.js';
import { importsDir, uploadPath } from './job-record.js';
import { fileTooLarge, sniffFile, type TooLargeRefusal } from './small-table.js';
import type { UploadKind } from './sniff.js';

// An import over the limit is a registry too large for one file: say so, and how to go on.
const IMPORT_TOO_LARGE: TooLargeRefusal = {
  code: 'IMPORT_TOO_LARGE',
  message: (mb) => ({
    zh: `文件超过 ${mb} MB 的上限，请拆分后分批导入`,
    en: `The file exceeds the ${mb} MB limit; split it and import the parts`,
  }),
};

/**
 * Stores the upload as job `id`'s file and says what it is; a file refused (too large, interrupted, not a
 * readable .xlsx or CSV) is not kept.
 */
export async function storeUpload(
  ctx: AppContext,
  id: string,
  source: Readable,
  fileName: string,
): Promise<{ size: number; sha256: string; format: UploadKind }> {
  const { size, sha256 } = await receive(ctx, id, source);
  try {
    return { size, sha256, format: await sniffFile(uploadPath(ctx, id), fileName) };
  } catch (e) {
    await rm(uploadPath(ctx, id), { force: true });
    throw e;
  }
}

// Streams the upload to disk, hashing it and enforcing the size limit on the way.
async function receive(
  ctx: AppContext,
  id: string,
  source: Readable,
): Promise<{ size: number; sha256: string }> {
  await mkdir(importsDir(ctx), { recursive: true });
  const part = `${uploadPath(ctx, id)}.part`;
  const hash = createHash('sha256');
  const limit = ctx.config.importMaxBytes;
  let size = 0;
  try {
    await pipeline(
      source,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > limit) return done(fileTooLarge(limit, IMPORT_TOO_LARGE));
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(part),
    );
  } catch (e) {
    await rm(part, { force: true });
    if (e instanceof AppError) throw e;
    throw badRequest('IMPORT_UPLOAD_FAILED', {
      zh: '文件上传中断，请重试',
      en: 'The upload was interrupted; try again',
    });
  }
  await rename(part, uploadPath(ctx, id));
  return { size, sha256: hash.digest('hex') };
}
