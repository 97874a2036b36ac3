// What an upload really is, decided from its bytes. File names lie: systems export HTML tables named
// .xls, users rename .xls to .xlsx, and a .csv may be anything. Only .xlsx and CSV text are read.
import { AppError, type Message } from '../errors.js';
import { DEFAULT_ZIP_LIMITS, openZip, zipErrorMessages, type ZipErrorCode, type ZipLimits } from './zip.js';

/** The formats the import engine reads. */
export type UploadKind = 'xlsx' | 'csv';

/** Why an upload was refused; stable codes for API errors and i18n. */
export type SniffErrorCode =
  | 'EMPTY_FILE'
  | 'XLS_NOT_SUPPORTED'
  | 'XLSX_ENCRYPTED'
  | 'ODS_NOT_SUPPORTED'
  | 'HTML_NOT_SUPPORTED'
  | 'UNSUPPORTED_TYPE';

/** Result of sniffUpload. */
export type SniffResult = { kind: UploadKind } | { error: SniffErrorCode; message: Message };

/** How many leading bytes sniffUpload should be given (fewer when the file is shorter). */
export const SNIFF_BYTES = 64 * 1024;

const SAVE_AS_XLSX_ZH = '请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再上传';
const SAVE_AS_XLSX_EN =
  'open it in Excel or WPS, use “Save As” to save it as an Excel workbook (.xlsx) and upload that';

function refuse(error: SniffErrorCode, fileName: string): SniffResult {
  const name = fileName || '（未命名）';
  const messages: Record<SniffErrorCode, Message> = {
    EMPTY_FILE: { zh: `文件“${name}”是空的`, en: `The file “${name}” is empty` },
    XLS_NOT_SUPPORTED: {
      zh: `文件“${name}”是 Excel 97-2003 格式（.xls），不支持导入，${SAVE_AS_XLSX_ZH}`,
      en: `The file “${name}” is in the Excel 97-2003 format (.xls), which cannot be imported; ${SAVE_AS_XLSX_EN}`,
    },
    XLSX_ENCRYPTED: zipErrorMessages.XLSX_ENCRYPTED,
    ODS_NOT_SUPPORTED: {
      zh: `文件“${name}”是 OpenDocument 表格（.ods），${SAVE_AS_XLSX_ZH}`,
      en: `The file “${name}” is an OpenDocument spreadsheet (.ods); ${SAVE_AS_XLSX_EN}`,
    },
    HTML_NOT_SUPPORTED: {
      zh: `文件“${name}”实际是网页或 XML 格式（常见于其他系统导出的“xls”文件），${SAVE_AS_XLSX_ZH}`,
      en: `The file “${name}” is really a web page or XML file (as some systems export “xls” files); ${SAVE_AS_XLSX_EN}`,
    },
    UNSUPPORTED_TYPE: {
      zh: `文件“${name}”不是 Excel 工作簿（.xlsx）或 CSV 文件，无法导入`,
      en: `The file “${name}” is neither an Excel workbook (.xlsx) nor a CSV file and cannot be imported`,
    },
  };
  return { error, message: messages[error] };
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_LOCAL = 0x04034b50;
const ZIP_EOCD = 0x06054b50;

// Entry names of the leading local file headers. Excel, WPS, LibreOffice and exceljs all put
// [Content_Types].xml and _rels first and xl/ soon after, so the first 64 KB name the package. A header
// that uses a data descriptor hides its size, and the walk stops there.
function zipEntryNames(buf: Buffer): string[] & { truncated?: boolean } {
  const names: string[] & { truncated?: boolean } = [];
  let off = 0;
  while (off + 30 <= buf.length && buf.readUInt32LE(off) === ZIP_LOCAL) {
    const flags = buf.readUInt16LE(off + 6);
    const compressed = buf.readUInt32LE(off + 18);
    const nameLen = buf.readUInt16LE(off + 26);
    const extraLen = buf.readUInt16LE(off + 28);
    if (off + 30 + nameLen > buf.length) break;
    names.push(buf.toString('utf8', off + 30, off + 30 + nameLen));
    if (flags & 0x08 || compressed === 0xffffffff) {
      names.truncated = true;
      break;
    }
    off += 30 + nameLen + extraLen + compressed;
  }
  return names;
}

function sniffZip(buf: Buffer, fileName: string): SniffResult {
  const names = zipEntryNames(buf);
  if (names.some((n) => n.startsWith('xl/'))) return { kind: 'xlsx' };
  if (names[0] === 'mimetype') {
    const odf = buf.toString('latin1', 0, Math.min(buf.length, 200));
    return refuse(
      odf.includes('opendocument.spreadsheet') ? 'ODS_NOT_SUPPORTED' : 'UNSUPPORTED_TYPE',
      fileName,
    );
  }
  // Word and PowerPoint packages share [Content_Types].xml; only xl/ makes a workbook.
  if (names.some((n) => n.startsWith('word/') || n.startsWith('ppt/')))
    return refuse('UNSUPPORTED_TYPE', fileName);
  // An OOXML package whose xl/ parts lie beyond the sniffed bytes, or one whose first entries hide their
  // sizes behind data descriptors (LibreOffice writes _rels/.rels so): the caller checks the central directory.
  if (names.includes('[Content_Types].xml') || names.truncated) return { kind: 'xlsx' };
  return refuse('UNSUPPORTED_TYPE', fileName);
}

function sniffText(buf: Buffer, fileName: string): SniffResult {
  // UTF-16 text (Excel's “Unicode text”) has NULs in every other byte but carries a BOM.
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) return { kind: 'csv' };
  let controls = 0;
  for (const b of buf) {
    if (b === 0) return refuse('UNSUPPORTED_TYPE', fileName);
    // Tab, LF, VT, FF, CR and DOS's end-of-file mark occur in real text exports; other C0 bytes do not.
    if (b < 0x20 && (b < 0x09 || b > 0x0d) && b !== 0x1a) controls++;
  }
  if (controls > buf.length / 100) return refuse('UNSUPPORTED_TYPE', fileName);
  const head = buf
    .toString('latin1', 0, Math.min(buf.length, 512))
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart();
  if (head.startsWith('%PDF-')) return refuse('UNSUPPORTED_TYPE', fileName);
  // HTML tables and SpreadsheetML 2003 saved as “.xls”, and MHT web archives: tables, not CSV.
  if (head.startsWith('<') || /^mime-version:/i.test(head)) return refuse('HTML_NOT_SUPPORTED', fileName);
  return { kind: 'csv' };
}

/**
 * Decides from the first bytes of an upload (give it SNIFF_BYTES, or the whole file when shorter) whether
 * it is an .xlsx package or CSV text; the file name only appears in the messages.
 */
export function sniffUpload(firstBytes: Buffer, fileName: string): SniffResult {
  if (firstBytes.length === 0) return refuse('EMPTY_FILE', fileName);
  if (firstBytes.length >= 4 && firstBytes.readUInt32LE(0) === ZIP_LOCAL)
    return sniffZip(firstBytes, fileName);
  // An empty zip archive is only its end record.
  if (firstBytes.length >= 4 && firstBytes.readUInt32LE(0) === ZIP_EOCD)
    return refuse('UNSUPPORTED_TYPE', fileName);
  if (firstBytes.subarray(0, 8).equals(OLE_MAGIC)) {
    // A password-protected .xlsx is an OLE container holding an “EncryptedPackage” stream, not an .xls;
    // telling its owner to “save as .xlsx” would not help, so say what is wrong when the name is visible.
    const encrypted = firstBytes.includes(Buffer.from('EncryptedPackage', 'utf16le'));
    return refuse(encrypted ? 'XLSX_ENCRYPTED' : 'XLS_NOT_SUPPORTED', fileName);
  }
  return sniffText(firstBytes, fileName);
}

/** Result of checkZipLimits: the package's size, or why it was refused. */
export type ZipCheck =
  { entries: number; uncompressedBytes: number } | { error: ZipErrorCode; message: Message };

/**
 * Reads an .xlsx package's central directory and refuses zip bombs (declared total > 1.5 GB, an entry over
 * 10 MB inflating more than 200:1, more than 10,000 entries), encrypted entries and unreadable archives.
 * The reader enforces the same declared sizes while inflating, so a directory that lies is caught there.
 */
export async function checkZipLimits(
  path: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ZipCheck> {
  try {
    const pkg = await openZip(path, limits);
    let uncompressedBytes = 0;
    for (const e of pkg.entries.values()) uncompressedBytes += e.uncompressedSize;
    pkg.close();
    return { entries: pkg.entries.size, uncompressedBytes };
  } catch (e) {
    if (e instanceof AppError && e.code in zipErrorMessages) {
      const code = e.code as ZipErrorCode;
      return { error: code, message: zipErrorMessages[code] };
    }
    throw e;
  }
}
