// Streaming CSV and .xlsx writers for exporting any list, with bounded memory: rows arrive in batches
// from an async source (a database cursor), are written and forgotten; the writer waits whenever the
// destination (an HTTP response, a file) is behind, so a slow download does not pile rows up in memory.
//
// Every cell string is neutralised against formula injection (ASVS 5 V1.2.10, OWASP “CSV injection”): a
// text beginning with = + - @ tab or CR would be run as a formula by Excel or WPS when the file is opened
// (or, in .xlsx, when the cell is edited), so it gets a leading apostrophe. Numbers are written as numbers
// and plain negative numbers (“-12.5”) are left alone: they are values, not formulas.
import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

/** Prefixes an apostrophe to text that a spreadsheet would take for a formula. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) && !NEGATIVE_NUMBER.test(text) ? `'${text}` : text;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

// Timestamps are shown in China time whatever the server's zone; callers pass calendar dates as strings.
function chinaTime(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3_600_000);
  return (
    `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())} ` +
    `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`
  );
}

/** The exported form of a value: finite numbers stay numbers, everything else becomes neutralised text. */
export function exportValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : chinaTime(value);
  if (typeof value === 'string') return neutralizeFormula(value);
  if (typeof value === 'bigint') return value.toString();
  return neutralizeFormula(JSON.stringify(value) ?? '');
}

// Waits while the destination's buffer is full (a slow download).
// A destination destroyed meanwhile (a client hanging up) never drains: 'close' ends the wait too, and
// the writers then stop with an error instead of waiting for ever.
async function waitForDestination(out: Writable): Promise<void> {
  while (out.writableNeedDrain && !out.destroyed) {
    // The listener of the event that did not happen is removed, or every wait would leave one behind.
    const done = new AbortController();
    await Promise.race([
      once(out, 'drain', { signal: done.signal }),
      once(out, 'close', { signal: done.signal }),
    ]).finally(() => done.abort());
  }
  if (out.destroyed) throw new Error('the destination was closed before the export finished');
}

/** What exceljs 4.4.0 keeps of a streaming worksheet: the buffer archiver reads the sheet XML through. */
interface SheetInternals {
  stream?: { pipes?: { _writableState?: { length?: number } }[] };
}

const SHEET_BACKLOG_LIMIT = 1024 * 1024;

// exceljs serialises committed rows at once into a buffer that archiver deflates on the thread pool, one
// 16 KB chunk per event-loop turn, and nothing slows the rows down: measured, 1M rows left ~260 MB of
// sheet XML waiting there. So between batches, wait until archiver has taken all but 1 MB of it. (The
// buffer is an exceljs internal; if it is not found the writer only paces on the destination, and the
// bounded-memory test in stream-writers.test.ts shows the growth.)
async function waitForZip(ws: ExcelJS.Worksheet, out: Writable): Promise<void> {
  const intake = (ws as unknown as SheetInternals).stream?.pipes?.[0];
  const backlog = () => intake?._writableState?.length ?? 0;
  // Polled once per event-loop turn (the zlib callbacks run in between): resuming as soon as the backlog is
  // under the limit keeps archiver busy while the next batch is serialised.
  while (intake && backlog() > SHEET_BACKLOG_LIMIT) {
    if (out.destroyed) throw new Error('the destination was closed before the export finished');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Options of writeCsvStream. */
export interface CsvWriteOptions {
  header?: readonly string[];
  /** A UTF-8 byte-order mark, so Excel opens the file as UTF-8 rather than GBK. Default true. */
  bom?: boolean;
}

const CSV_NEEDS_QUOTES = /[",\r\n]/;

function csvField(value: unknown): string {
  const v = exportValue(value);
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return CSV_NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Writes batches of rows as CSV (RFC 4180: quoted when needed, CRLF) to out, UTF-8 with a BOM by default,
 * then ends out; resolves with the number of data rows once everything is flushed.
 */
export async function writeCsvStream(
  rows: AsyncIterable<readonly (readonly unknown[])[]> | Iterable<readonly (readonly unknown[])[]>,
  out: Writable,
  opts: CsvWriteOptions = {},
): Promise<{ rows: number }> {
  let count = 0;
  try {
    const write = async (text: string) => {
      if (!out.write(text)) await waitForDestination(out);
    };
    let head = opts.bom === false ? '' : '\uFEFF';
    if (opts.header) head += `${opts.header.map(csvField).join(',')}\r\n`;
    if (head) await write(head);
    for await (const batch of rows) {
      // One write per batch: fewer, larger chunks for the destination.
      let text = '';
      for (const row of batch) text += `${row.map(csvField).join(',')}\r\n`;
      count += batch.length;
      if (text) await write(text);
    }
    out.end();
    await finished(out);
    return { rows: count };
  } catch (e) {
    // A half-written export must not look complete: abort the destination.
    out.destroy(e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
}

/** Options of writeXlsxStream. */
export interface XlsxWriteOptions {
  header: readonly string[];
  /** A merged, bold title line above the table, e.g. 铁西区学生名册. */
  title?: string;
  /** A second line: who exported what and when. */
  subtitle?: string;
  sheetName?: string;
  /** Column widths in characters (a CJK character counts as 2); default from the header texts. */
  widths?: readonly number[];
  /** Set up for printing on A4 in this orientation: fitted to the page width, the header row repeated. */
  print?: 'landscape' | 'portrait';
}

function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1;
  return w;
}

// Excel refuses sheet names with []:*?/\ or over 31 characters.
function safeSheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1';
}

const THIN = { style: 'thin' as const, color: { argb: 'FF999999' } };

/**
 * Writes batches of rows as an .xlsx workbook to out with exceljs's streaming writer: each row is committed
 * (serialised and dropped) as it arrives. Title and subtitle lines are merged across the table, the
 * header is bold, framed and frozen. Ends out; resolves with the number of data rows.
 */
export async function writeXlsxStream(
  rows: AsyncIterable<readonly (readonly unknown[])[]> | Iterable<readonly (readonly unknown[])[]>,
  out: Writable,
  opts: XlsxWriteOptions,
): Promise<{ rows: number }> {
  let count = 0;
  try {
    const n = Math.max(opts.header.length, 1);
    const lead = (opts.title ? 1 : 0) + (opts.subtitle ? 1 : 0);
    // Shared strings would keep every distinct string in memory until the end: inline strings instead.
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    wb.creator = '督导 Dudao';
    const ws = wb.addWorksheet(safeSheetName(opts.sheetName ?? 'Sheet1'), {
      views: [{ state: 'frozen', ySplit: lead + 1 }],
      ...(opts.print
        ? {
            pageSetup: {
              paperSize: 9,
              orientation: opts.print,
              fitToPage: true,
              fitToWidth: 1,
              fitToHeight: 0,
              printTitlesRow: `${lead + 1}:${lead + 1}`,
            },
          }
        : {}),
    });
    ws.columns = opts.header.map((h, i) => ({
      width: opts.widths?.[i] ?? Math.min(Math.max(displayWidth(h) + 4, 10), 60),
    }));

    let r = 0;
    const banner = (text: string, font: Partial<ExcelJS.Font>, horizontal: 'center' | 'right') => {
      r++;
      const row = ws.addRow([exportValue(text)]);
      if (n > 1) ws.mergeCells(r, 1, r, n);
      const cell = row.getCell(1);
      cell.font = font;
      cell.alignment = { horizontal, vertical: 'middle' };
      row.commit();
    };
    if (opts.title) banner(opts.title, { name: '宋体', size: 16, bold: true }, 'center');
    if (opts.subtitle)
      banner(opts.subtitle, { name: '宋体', size: 10, color: { argb: 'FF666666' } }, 'right');
    const header = ws.addRow(opts.header.map(exportValue));
    header.eachCell((cell) => {
      cell.font = { name: '宋体', size: 11, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
      cell.border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
    });
    header.commit();

    for await (const batch of rows) {
      for (const row of batch) ws.addRow(row.map(exportValue)).commit();
      count += batch.length;
      await waitForZip(ws, out);
      await waitForDestination(out);
    }
    ws.commit();
    // Finalises the zip and resolves when out has finished.
    await wb.commit();
    return { rows: count };
  } catch (e) {
    out.destroy(e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
}

/**
 * An .xlsx export as an HTTP response body: the rows go through writeXlsxStream as the client reads, and the
 * body ends only once `recorded` (the export's audit) has run, so a download that completes has been
 * recorded. A failure destroys the body (a broken download, never a short file that looks complete) and is
 * told to `onError`; a client that goes away stops the writer's waits (whatever it still flushes is dropped).
 */
export function xlsxBody(
  rows: AsyncIterable<readonly (readonly unknown[])[]> | Iterable<readonly (readonly unknown[])[]>,
  opts: XlsxWriteOptions,
  recorded: (rows: number) => Promise<void>,
  onError: (e: unknown) => void = () => undefined,
): Readable {
  const sink = new PassThrough();
  const body = new PassThrough();
  let completed = false;
  sink.on('error', () => undefined);
  sink.pipe(body, { end: false });
  body.on('close', () => {
    if (completed) return;
    sink.unpipe(body);
    sink.resume();
  });
  writeXlsxStream(rows, sink, opts)
    .then(async ({ rows: n }) => {
      await recorded(n);
      completed = true;
      if (!body.destroyed) body.end();
    })
    .catch((e: unknown) => {
      onError(e);
      body.destroy(e instanceof Error ? e : new Error(String(e)));
    });
  return body;
}
