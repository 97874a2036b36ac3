/**
 * Small tables read whole — a plan's task list, a batch of 12345 work orders, an institution's orders, a
 * balance table, a population list, a form's figures. The import engine's jobs (staging, dry run, error
 * report) are for registries of a million rows; these uploads are answered in the request. Both share the
 * same readers, the same sniffing (sniffFile, with the zip limits) and the same size refusal (fileTooLarge,
 * with the jobs' own code); this module is the one way a module spools an
 * upload to disk and reads it: its first sheet (readSmallTable) or, for a table spread over several sheets,
 * every visible sheet (readSmallSheets).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, badRequest, type Message } from '../errors.js';
import { readCsvRows } from './csv-reader.js';
import { checkZipLimits, SNIFF_BYTES, sniffUpload, type UploadKind } from './sniff.js';
import { listSheets, readXlsxRows } from './xlsx-reader.js';
import { openZip } from './zip.js';

/** A caller's own refusal of a file over the limit: its code, and its message given the limit in MB. */
export interface TooLargeRefusal {
  code: string;
  message: (mb: number) => Message;
}

/**
 * 413 FILE_TOO_LARGE (or the caller's own code and message), closing the connection: the rest of the body is
 * never read, and a client left sending into a socket nobody reads would hold the server's shutdown open.
 */
export function fileTooLarge(maxBytes: number, refusal?: TooLargeRefusal): AppError {
  const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return new AppError(
    413,
    refusal?.code ?? 'FILE_TOO_LARGE',
    refusal?.message(mb) ?? { zh: `文件不能超过 ${mb} MB`, en: `Files may not exceed ${mb} MB` },
    undefined,
    { connection: 'close' },
  );
}

/**
 * Spools the body to a file in a fresh temporary folder, refusing more than `maxBytes` (also when the
 * declared Content-Length already says so), runs `fn` on the file and removes the folder whatever happens.
 */
export async function withUpload<T>(
  body: Readable,
  maxBytes: number,
  fn: (path: string) => Promise<T>,
  declaredLength?: number,
): Promise<T> {
  if (declaredLength !== undefined && Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    body.resume();
    throw fileTooLarge(maxBytes);
  }
  const dir = await mkdtemp(join(tmpdir(), 'dudao-upload-'));
  try {
    const path = join(dir, 'upload');
    let size = 0;
    await pipeline(
      body,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > maxBytes) throw fileTooLarge(maxBytes);
          yield chunk;
        }
      },
      createWriteStream(path),
    );
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What the file is, from its first bytes (names lie); an xlsx must also pass the zip-bomb limits and hold a
 * workbook (xl/ parts). Import jobs and small tables share it.
 */
export async function sniffFile(path: string, fileName: string): Promise<UploadKind> {
  const fh = await open(path, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const sniffed = sniffUpload(head, fileName);
  if ('error' in sniffed) throw badRequest(sniffed.error, sniffed.message);
  if (sniffed.kind === 'xlsx') {
    const zip = await checkZipLimits(path);
    if ('error' in zip) throw badRequest(zip.error, zip.message);
    await requireWorkbookParts(path, fileName);
  }
  return sniffed.kind;
}

// The first bytes may not reach the xl/ parts (or hide them behind data descriptors); the central directory
// names every part: only a package with a workbook is a workbook.
async function requireWorkbookParts(path: string, fileName: string): Promise<void> {
  const pkg = await openZip(path);
  const names = [...pkg.entries.keys()];
  pkg.close();
  if (names.some((n) => n.startsWith('xl/'))) return;
  const ods = names.includes('mimetype') && names.includes('content.xml');
  throw badRequest(
    ods ? 'ODS_NOT_SUPPORTED' : 'UNSUPPORTED_TYPE',
    ods
      ? {
          zh: `文件“${fileName}”是 OpenDocument 表格（.ods），请另存为 .xlsx 再上传`,
          en: `“${fileName}” is an OpenDocument spreadsheet (.ods); save it as .xlsx and upload that`,
        }
      : {
          zh: `文件“${fileName}”不是 Excel 工作簿（.xlsx）或 CSV 文件，无法导入`,
          en: `“${fileName}” is neither an Excel workbook (.xlsx) nor a CSV file and cannot be imported`,
        },
  );
}

/** The most rows a table (or each sheet) may have, and the module's own code and message beyond that. */
export interface RowLimit {
  maxRows: number;
  code: string;
  message: Message;
}

async function collectRows(batches: AsyncIterable<string[][]>, limit: RowLimit): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const batch of batches) {
    rows.push(...batch);
    if (rows.length > limit.maxRows) throw badRequest(limit.code, limit.message);
  }
  return rows;
}

/**
 * Every row of the file's first visible sheet (xlsx) or of the CSV, as text. More than `maxRows` rows is
 * refused with the module's own code and message (title and header rows are counted: allow for them in
 * `maxRows`).
 */
export async function readSmallTable(path: string, fileName: string, limit: RowLimit): Promise<string[][]> {
  const kind = await sniffFile(path, fileName);
  return collectRows(
    kind === 'xlsx'
      ? readXlsxRows(path, { batchSize: 1000 })
      : readCsvRows(createReadStream(path), { batchSize: 1000 }),
    limit,
  );
}

/** A sheet read by readSmallSheets: its tab name (null for a CSV) and its rows. */
export interface SmallSheet {
  name: string | null;
  rows: string[][];
}

/**
 * Every visible sheet of an xlsx in tab order, or the CSV as one unnamed sheet, as text — for a table
 * spread over several sheets. Sheets named in `skipSheets` (a template's 填写说明) are not read; the row
 * limit applies to each sheet.
 */
export async function readSmallSheets(
  path: string,
  fileName: string,
  limit: RowLimit,
  opts: { skipSheets?: readonly string[] } = {},
): Promise<SmallSheet[]> {
  const kind = await sniffFile(path, fileName);
  if (kind === 'csv')
    return [
      {
        name: null,
        rows: await collectRows(readCsvRows(createReadStream(path), { batchSize: 1000 }), limit),
      },
    ];
  const skip = new Set(opts.skipSheets ?? []);
  const out: SmallSheet[] = [];
  for (const s of await listSheets(path)) {
    if (s.hidden || skip.has(s.name)) continue;
    out.push({
      name: s.name,
      rows: await collectRows(readXlsxRows(path, { sheet: s.index, batchSize: 1000 }), limit),
    });
  }
  return out;
}
