// Streaming .xlsx reader: exceljs parses the XML, we feed it.
//
// Why not exceljs's WorkbookReader on the file directly: its SAX layer (lib/utils/parse-sax.js) turns each
// inflated chunk into a string with a shared TextDecoder called without {stream: true}, so a CJK character
// whose three UTF-8 bytes straddle a zlib chunk boundary becomes U+FFFD (exceljs issues #2063, #2084,
// #2316) — dozens of corrupted names per 100k rows. Its decoder passes strings through untouched, so we
// inflate each part ourselves and hand exceljs streams with setEncoding('utf8'), whose StringDecoder
// carries partial characters over to the next chunk. Inflating through the zip's central directory
// (yauzl) also gives random access (styles and shared strings before the sheet, no temp files, unread
// sheets skipped) and enforces the declared entry sizes checked against the zip-bomb limits.
//
// The WorkbookReader methods used here (_parseRels, _parseWorkbook, _parseStyles, _parseSharedStrings,
// _parseWorksheet) are exceljs 4.4.0 internals; the version is pinned and xlsx-reader.test.ts exercises
// every one of them, so an upgrade that changes them fails the tests rather than the users.
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError, badRequest } from '../errors.js';
import { openZip, zipError, type ZipPackage } from './zip.js';

/** A sheet of a workbook, in the order of the workbook's tabs. */
export interface SheetInfo {
  /** 0-based position among the workbook's sheets (what `sheet: number` selects). */
  index: number;
  name: string;
  hidden: boolean;
}

/** Options of readXlsxRows. */
export interface XlsxReadOptions {
  /** Sheet name or 0-based index; default: the first visible sheet. */
  sheet?: string | number;
  /** Rows per yielded batch. */
  batchSize?: number;
  /** Told how far through the sheet's XML the reader is (inflated bytes read, of total), for progress. */
  onProgress?: (read: number, total: number) => void;
}

interface Relationship {
  Id: string;
  Type: string;
  Target: string;
}

interface SheetModel {
  name: string;
  id: number;
  rId: string;
  state?: string;
}

/** The parts of exceljs's WorkbookReader this module drives (exceljs 4.4.0 internals, see above). */
interface WorkbookReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(
    iterator: Readable,
    sheetNo: string,
  ): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
  workbookRels?: Relationship[];
  model?: { sheets?: SheetModel[] };
  properties?: { model?: { date1904?: boolean } };
  styles: { index?: { numFmt: Record<number, string> } };
}

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_STYLES = /\/styles$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;

// Built-in number formats 27–36 and 50–58 are the East Asian date and time formats. Files never spell
// them out (Chinese Excel's “2015年9月1日” is id 31), and exceljs knows only their per-locale variants, so
// without these a date cell so formatted would read as a serial number such as 42248.
// prettier-ignore
const CJK_BUILTIN_FORMATS: Record<number, string> = {
  27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: 'm-d-yy', 31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
  54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
};

// Merged ranges wider than this are clamped when filled: no roster has more columns, and a crafted range
// of A1:XFD1048576 must not become 16k strings in every row.
const MAX_MERGE_COLUMNS = 1024;

// A stream that exceljs will decode correctly: strings, split only between characters.
async function openText(pkg: ZipPackage, name: string): Promise<Readable> {
  const stream = await pkg.open(name);
  stream.setEncoding('utf8');
  return stream;
}

function resolveTarget(baseDir: string, target: string): string {
  // Targets are relative to the part's folder, or absolute from the package root (“/xl/worksheets/…”).
  return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(baseDir, target));
}

interface OpenedWorkbook {
  pkg: ZipPackage;
  reader: WorkbookReaderInternals;
  sheets: (SheetInfo & { path: string })[];
  stylesPath: string | undefined;
  sharedStringsPath: string | undefined;
}

// Reads the package's relationships and workbook part: sheet names, order, visibility and part paths.
async function openWorkbook(path: string): Promise<OpenedWorkbook> {
  const pkg = await openZip(path);
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as unknown as WorkbookReaderInternals;

    let workbookPath = 'xl/workbook.xml';
    if (pkg.entries.has('_rels/.rels')) {
      await reader._parseRels(await openText(pkg, '_rels/.rels'));
      const doc = reader.workbookRels?.find((r) => REL_OFFICE_DOCUMENT.test(r.Type));
      if (doc) workbookPath = resolveTarget('', doc.Target);
    }
    if (!pkg.entries.has(workbookPath)) throw zipError('XLSX_CORRUPT');
    const dir = posix.dirname(workbookPath);
    const relsPath = posix.join(dir, '_rels', `${posix.basename(workbookPath)}.rels`);
    reader.workbookRels = [];
    if (pkg.entries.has(relsPath)) await reader._parseRels(await openText(pkg, relsPath));
    await reader._parseWorkbook(await openText(pkg, workbookPath));

    const rels = reader.workbookRels ?? [];
    const partOf = (re: RegExp): string | undefined => {
      const rel = rels.find((r) => re.test(r.Type));
      const p = rel && resolveTarget(dir, rel.Target);
      return p && pkg.entries.has(p) ? p : undefined;
    };
    const sheets: OpenedWorkbook['sheets'] = [];
    for (const s of reader.model?.sheets ?? []) {
      const rel = rels.find((r) => r.Id === s.rId);
      const sheetPath = rel && resolveTarget(dir, rel.Target);
      // Chart sheets and dialog sheets have no cells; only worksheets that exist in the package count.
      if (!sheetPath || !pkg.entries.has(sheetPath) || !/\/worksheets\//.test(sheetPath)) continue;
      sheets.push({
        index: sheets.length,
        name: s.name,
        hidden: (s.state ?? 'visible') !== 'visible',
        path: sheetPath,
      });
    }
    return {
      pkg,
      reader,
      sheets,
      stylesPath: partOf(REL_STYLES),
      sharedStringsPath: partOf(REL_SHARED_STRINGS),
    };
  } catch (e) {
    pkg.close();
    throw asXlsxError(e);
  }
}

// Anything that goes wrong inside the package (bad XML, an entry inflating past its declared size) is the
// file's fault: a 400 with a clear message, never a 500.
function asXlsxError(e: unknown): AppError {
  return e instanceof AppError ? e : zipError('XLSX_CORRUPT');
}

/** Lists a workbook's sheets in tab order (hidden ones included and marked). */
export async function listSheets(path: string): Promise<SheetInfo[]> {
  const wb = await openWorkbook(path);
  wb.pkg.close();
  return wb.sheets.map(({ index, name, hidden }) => ({ index, name, hidden }));
}

interface Merge {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

function decodeRef(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m?.[1] || !m[2]) return null;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

// <mergeCells> follows <sheetData>, so a streaming parse learns of merged header cells only after the last
// row. One inflate-only pass (no XML parsing; the refs are ASCII, so bytes are read as latin1) finds them
// first; it costs a fraction of the real parse.
async function scanMerges(pkg: ZipPackage, sheetPath: string): Promise<Merge[]> {
  const merges: Merge[] = [];
  const re = /<(?:\w+:)?mergeCell\b[^>]*?\bref="([^"]+)"/g;
  const collect = (text: string) => {
    for (const m of text.matchAll(re)) {
      const [a, b] = (m[1] ?? '').split(':');
      const from = a ? decodeRef(a) : null;
      const to = b ? decodeRef(b) : from;
      if (!from || !to) continue;
      const merge = {
        r1: Math.min(from.row, to.row),
        c1: Math.min(from.col, to.col),
        r2: Math.max(from.row, to.row),
        c2: Math.max(from.col, to.col),
      };
      if (merge.r1 !== merge.r2 || merge.c1 !== merge.c2) merges.push(merge);
    }
  };
  let carry = '';
  const stream = await pkg.open(sheetPath);
  stream.setEncoding('latin1');
  for await (const chunk of stream as AsyncIterable<string>) {
    // Complete tags end before the last '<'; the tag that starts there may be cut, so it waits.
    const text = carry + chunk;
    const cut = text.lastIndexOf('<');
    collect(text.slice(0, Math.max(cut, 0)));
    carry = cut >= 0 ? text.slice(cut) : '';
    if (carry.length > 1 << 20) carry = ''; // no tag is a megabyte long: not XML we understand
  }
  collect(carry);
  return merges.sort((x, y) => x.r1 - y.r1 || x.c1 - y.c1);
}

// Repeats each merged range's top-left value over the whole range, as a reader of the sheet sees it.
class MergeFiller {
  private next = 0;
  private active: (Merge & { value: string })[] = [];
  constructor(private readonly merges: Merge[]) {}

  apply(rowNumber: number, cells: string[]): void {
    while (this.next < this.merges.length && (this.merges[this.next]?.r1 ?? Infinity) <= rowNumber) {
      const m = this.merges[this.next++];
      if (m) this.active.push({ ...m, value: '' });
    }
    if (this.active.length === 0) return;
    this.active = this.active.filter((m) => m.r2 >= rowNumber);
    for (const m of this.active) {
      if (m.r1 === rowNumber) m.value = cells[m.c1 - 1] ?? '';
      const last = Math.min(m.c2, m.c1 + MAX_MERGE_COLUMNS - 1);
      for (let c = m.c1; c <= last; c++) cells[c - 1] = m.value;
    }
  }
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

// exceljs builds dates as UTC midnight + the serial's days (excelToDate), so UTC fields are the cell's.
function dateText(d: Date): string {
  const t = Math.round(d.getTime() / 1000) * 1000;
  const x = new Date(t);
  const date = `${x.getUTCFullYear()}-${pad2(x.getUTCMonth() + 1)}-${pad2(x.getUTCDate())}`;
  const secondsOfDay = (((t / 1000) % 86_400) + 86_400) % 86_400;
  if (secondsOfDay === 0) return date;
  const time = `${pad2(x.getUTCHours())}:${pad2(x.getUTCMinutes())}:${pad2(x.getUTCSeconds())}`;
  // A serial below 1 is a time of day with no date (format h:mm).
  return date === '1899-12-30' ? time : `${date} ${time}`;
}

function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  // Literal text ("年"), escapes (\-), and [..] sections (colours, locales, elapsed [h]) are not date codes.
  const codes = fmt
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*]/g, '');
  return /[ymdhs]/i.test(codes) && !/^general$/i.test(codes.trim());
}

// Serial day numbers count from 1899-12-30, or from 1904-01-01 in workbooks made on old Macs (date1904).
function serialToDate(serial: number, date1904 = false): Date {
  return new Date(Math.round((serial - 25_569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) {
    if (Math.abs(n) < 1e15) return String(n);
    // 16+ digits: Excel kept only 15 significant digits and shows the number as, e.g., 4.40882E+17; say
    // what the user sees so the value parsers can explain the lost digits.
    const [mantissa = '', exp = '0'] = n.toExponential(5).split('e');
    return `${mantissa.replace(/\.?0+$/, '')}E${Number(exp) >= 0 ? '+' : '-'}${Math.abs(Number(exp))}`;
  }
  // Excel stores 15 significant digits; dropping binary noise (0.30000000000000004) shows what it shows.
  return String(Number(n.toPrecision(15)));
}

/** The text a cell shows, from an exceljs cell value and its number format. */
export function cellText(value: ExcelJS.CellValue | undefined, numFmt?: string, date1904 = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    return isDateFormat(numFmt) ? dateText(serialToDate(value, date1904)) : numberText(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text ?? '').join('');
  // Formula results: exceljs leaves date-formatted results as serial numbers, hence numFmt again.
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result !== null && typeof result === 'object' && 'error' in result) return String(result.error);
    return cellText(result as ExcelJS.CellValue | undefined, numFmt, date1904);
  }
  if ('error' in value) return String(value.error);
  if ('text' in value) return cellText(value.text, numFmt, date1904);
  return '';
}

function rowCells(row: ExcelJS.Row, date1904: boolean): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    cells[col - 1] = cellText(cell.value, cell.numFmt, date1904);
  });
  for (let i = 0; i < cells.length; i++) cells[i] ??= '';
  return cells;
}

function pickSheet(sheets: OpenedWorkbook['sheets'], wanted: string | number | undefined) {
  if (typeof wanted === 'number') return sheets[wanted];
  if (typeof wanted === 'string') {
    const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();
    return sheets.find((s) => s.name === wanted) ?? sheets.find((s) => norm(s.name) === norm(wanted));
  }
  return sheets.find((s) => !s.hidden) ?? sheets[0];
}

/**
 * Streams one sheet of an .xlsx file as batches of rows of cell texts, exactly as a user sees them: row i
 * of the sheet (1-based) is element i-1 of the concatenated batches (blank rows come out as []), merged
 * ranges repeat their top-left value, dates come out as YYYY-MM-DD, large integers without exponent.
 */
export async function* readXlsxRows(path: string, opts: XlsxReadOptions = {}): AsyncGenerator<string[][]> {
  const batchSize = opts.batchSize ?? 5000;
  const wb = await openWorkbook(path);
  let sheetStream: Readable | undefined;
  try {
    const sheet = pickSheet(wb.sheets, opts.sheet);
    if (!sheet) {
      throw badRequest('XLSX_SHEET_NOT_FOUND', {
        zh: `工作簿中找不到工作表“${String(opts.sheet ?? '')}”`,
        en: `The workbook has no sheet “${String(opts.sheet ?? '')}”`,
      });
    }
    const { reader, pkg } = wb;
    let filler: MergeFiller;
    try {
      if (wb.stylesPath) {
        await reader._parseStyles(await openText(pkg, wb.stylesPath));
        const numFmt = reader.styles.index?.numFmt;
        if (numFmt) for (const [id, fmt] of Object.entries(CJK_BUILTIN_FORMATS)) numFmt[Number(id)] ??= fmt;
      }
      if (wb.sharedStringsPath) {
        for await (const _ of reader._parseSharedStrings(await openText(pkg, wb.sharedStringsPath))) {
          // 'cache' mode: the strings are kept on the reader; nothing is yielded.
        }
      }
      filler = new MergeFiller(await scanMerges(pkg, sheet.path));
    } catch (e) {
      throw asXlsxError(e);
    }

    sheetStream = await openText(pkg, sheet.path);
    if (opts.onProgress) {
      const total = pkg.entries.get(sheet.path)?.uncompressedSize ?? 0;
      const report = opts.onProgress;
      let read = 0;
      // A 'data' listener would switch the stream to flowing mode under exceljs: count as exceljs reads.
      const inner = sheetStream;
      const push = inner.push.bind(inner);
      inner.push = (chunk: unknown, encoding?: BufferEncoding) => {
        if (typeof chunk === 'string') read += Buffer.byteLength(chunk);
        else if (chunk instanceof Uint8Array) read += chunk.length;
        report(read, total);
        return push(chunk, encoding);
      };
    }
    const [event] = reader._parseWorksheet(sheetStream, String(sheet.index + 1));
    if (!event) throw zipError('XLSX_CORRUPT');

    const date1904 = reader.properties?.model?.date1904 === true;
    let batch: string[][] = [];
    let nextRow = 1;
    const rows = event.value[Symbol.asyncIterator]();
    for (;;) {
      let step: IteratorResult<ExcelJS.Row>;
      try {
        step = await rows.next();
      } catch (e) {
        throw asXlsxError(e);
      }
      if (step.done) break;
      const row = step.value;
      // Rows absent from the XML are blank; emitting them keeps positions equal to Excel's row numbers.
      for (; nextRow < row.number; nextRow++) {
        const blank: string[] = [];
        filler.apply(nextRow, blank);
        batch.push(blank);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (row.number < nextRow) continue; // out of order or repeated row numbers: keep the first
      const cells = rowCells(row, date1904);
      filler.apply(nextRow++, cells);
      batch.push(cells);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    sheetStream?.destroy();
    wb.pkg.close();
  }
}
