// Reading .xlsx packages through their central directory (yauzl). The central directory is the one
// authoritative list of entries: reading every entry through it (never by scanning local headers, as a
// streaming unzip does) means the entries we check for zip-bomb limits are exactly the entries we inflate,
// and yauzl stops any entry that inflates to more bytes than the directory declared.
import type { Readable } from 'node:stream';
import { openPromise, type Entry, type ZipFile } from 'yauzl';
import { badRequest, type AppError, type Message } from '../errors.js';

/** Limits that reject zip bombs before anything is inflated. */
export interface ZipLimits {
  /** Sum of the declared uncompressed sizes of all entries, in bytes. */
  maxTotalUncompressed: number;
  /** Highest uncompressed:compressed ratio allowed for an entry larger than ratioMinBytes. */
  maxRatio: number;
  ratioMinBytes: number;
  maxEntries: number;
}

/** 1.5 GB in total, 200:1 for entries over 10 MB, 10,000 entries: a 1M-row roster is ~300 MB at ~8:1. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalUncompressed: 1.5 * 1024 ** 3,
  maxRatio: 200,
  ratioMinBytes: 10 * 1024 ** 2,
  maxEntries: 10_000,
};

/** Codes of rejected or unreadable packages. */
export type ZipErrorCode =
  'XLSX_CORRUPT' | 'XLSX_ENCRYPTED' | 'XLSX_TOO_MANY_ENTRIES' | 'XLSX_TOO_LARGE' | 'XLSX_COMPRESSION_RATIO';

/** User-facing messages for each ZipErrorCode. */
export const zipErrorMessages: Record<ZipErrorCode, Message> = {
  XLSX_CORRUPT: {
    zh: '文件已损坏或不是有效的 Excel 工作簿（.xlsx），请用 Excel 或 WPS 打开后重新保存再上传',
    en: 'The file is damaged or not a valid Excel workbook (.xlsx); open it in Excel or WPS, save it again and re-upload',
  },
  XLSX_ENCRYPTED: {
    zh: '文件设置了密码，请先取消密码保护再上传',
    en: 'The workbook is password-protected; remove the password and upload it again',
  },
  XLSX_TOO_MANY_ENTRIES: {
    zh: '文件内部结构异常（包含的部件过多），已拒绝处理',
    en: 'The workbook has an abnormal structure (too many parts) and was rejected',
  },
  XLSX_TOO_LARGE: {
    zh: '文件解压后过大（超过 1.5 GB），请拆分为多个文件后上传',
    en: 'The workbook is too large once decompressed (over 1.5 GB); split it into several files',
  },
  XLSX_COMPRESSION_RATIO: {
    zh: '文件压缩比异常，疑似压缩炸弹，已拒绝处理',
    en: 'The workbook has an abnormal compression ratio (a possible zip bomb) and was rejected',
  },
};

/** Builds the 400 error for a ZipErrorCode. */
export function zipError(code: ZipErrorCode): AppError {
  return badRequest(code, zipErrorMessages[code]);
}

/** An opened package: its entries by name, and a way to inflate one. Close it when done. */
export interface ZipPackage {
  entries: Map<string, Entry>;
  open(name: string): Promise<Readable>;
  close(): void;
}

/** Checks declared sizes against the limits; null when the package is acceptable. */
export function zipLimitViolation(entries: Iterable<Entry>, limits: ZipLimits): ZipErrorCode | null {
  let total = 0;
  let count = 0;
  for (const e of entries) {
    count++;
    if (count > limits.maxEntries) return 'XLSX_TOO_MANY_ENTRIES';
    if (e.isEncrypted()) return 'XLSX_ENCRYPTED';
    total += e.uncompressedSize;
    if (total > limits.maxTotalUncompressed) return 'XLSX_TOO_LARGE';
    // A stored entry cannot be a bomb (its size is its size); an entry claiming more than it could
    // hold compressed is caught by the ratio, and a compressed size of 0 makes the ratio infinite.
    if (
      e.uncompressedSize > limits.ratioMinBytes &&
      e.uncompressedSize > limits.maxRatio * e.compressedSize
    ) {
      return 'XLSX_COMPRESSION_RATIO';
    }
  }
  return null;
}

/**
 * Opens a package, reads its central directory and applies the limits; throws an AppError (400) when the
 * file is not a readable zip or breaks a limit, so nothing of a bomb is ever inflated.
 */
export async function openZip(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipPackage> {
  let zip: ZipFile;
  try {
    zip = await openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch {
    throw zipError('XLSX_CORRUPT');
  }
  try {
    // The entry count is in the end-of-central-directory record: refuse before reading any entry.
    if (zip.entryCount > limits.maxEntries) throw zipError('XLSX_TOO_MANY_ENTRIES');
    const entries = new Map<string, Entry>();
    try {
      for await (const e of zip.eachEntry()) entries.set(e.fileName, e);
    } catch {
      throw zipError('XLSX_CORRUPT');
    }
    const violation = zipLimitViolation(entries.values(), limits);
    if (violation) throw zipError(violation);
    return {
      entries,
      async open(name) {
        const entry = entries.get(name);
        if (!entry) throw zipError('XLSX_CORRUPT');
        try {
          return await zip.openReadStreamPromise(entry);
        } catch {
          throw zipError('XLSX_CORRUPT');
        }
      },
      close: () => zip.close(),
    };
  } catch (e) {
    zip.close();
    throw e;
  }
}
