// The error report of an import: the header and every rejected row as the user wrote them, plus a
// 错误原因 column, in the upload's own format (a GBK CSV comes back as GBK, an .xlsx as .xlsx), so the
// user can correct the rows in place and import the report itself.
import iconv from 'iconv-lite';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { writeCsvStream, writeXlsxStream } from '../exports/stream-writers.js';
import type { CsvEncoding } from './csv-reader.js';
import type { HeaderMapping } from './header.js';

export const REASON_COLUMN = '错误原因';

export interface ErrorReportInput {
  /** The upload's rows again, from the top (a second pass over the file). */
  source: AsyncIterable<string[][]>;
  format: 'csv' | 'xlsx';
  encoding: CsvEncoding;
  mapping: HeaderMapping;
  /** Reason per rejected row number (1-based, as in the file). */
  rejected: ReadonlyMap<number, string>;
  out: string;
}

function pad(cells: readonly string[], width: number): string[] {
  const row = cells.slice(0, width);
  while (row.length < width) row.push('');
  return row;
}

/** Writes the report to `out` (atomically: a half-written report never appears under its name). */
export async function writeErrorReport(input: ErrorReportInput): Promise<void> {
  const { mapping, rejected } = input;
  const headerFrom = mapping.headerRow;
  const headerTo = mapping.dataRow; // exclusive
  const headerRows: string[][] = [];
  let width = 0;

  async function* rows(): AsyncGenerator<string[][]> {
    let rowNo = 1;
    for await (const batch of input.source) {
      const out: string[][] = [];
      for (const cells of batch) {
        if (rowNo >= headerFrom + 1 && rowNo < headerTo + 1) {
          headerRows.push(cells.map((c) => c.trim()));
          width = Math.max(width, cells.length);
        }
        const reason = rejected.get(rowNo);
        if (reason !== undefined) out.push([...pad(cells, width), reason]);
        rowNo++;
      }
      if (out.length > 0) yield out;
    }
  }

  const part = `${input.out}.part`;
  try {
    if (input.format === 'xlsx') {
      // The header (two-level headers joined: 监护人1 + 电话 → 监护人1电话, which the importer reads back).
      const iterator = rows();
      const first = await iterator.next();
      const top = headerRows[0] ?? [];
      const bottom = headerRows[1];
      const header = pad(top, width).map((t, c) => {
        const b = bottom?.[c] ?? '';
        return bottom && b && b !== t ? `${t}${b}` : t || b;
      });
      async function* all(): AsyncGenerator<string[][]> {
        if (!first.done) yield first.value;
        yield* { [Symbol.asyncIterator]: () => iterator };
      }
      await writeXlsxStream(all(), createWriteStream(part), {
        header: [...header, REASON_COLUMN],
        sheetName: '错误报告',
      });
    } else {
      const file = createWriteStream(part);
      let out: Writable = file;
      let bom = true;
      if (input.encoding === 'gb18030') {
        const encoder = iconv.encodeStream('gb18030');
        encoder.pipe(file);
        // iconv-lite's encoder is a Node Transform; its typings predate Writable's newer members.
        out = encoder as unknown as Writable;
        bom = false;
      }
      const iterator = rows();
      const first = await iterator.next();
      async function* all(): AsyncGenerator<string[][]> {
        const head = headerRows.map((h, i) => [
          ...pad(h, width),
          i === headerRows.length - 1 ? REASON_COLUMN : '',
        ]);
        if (head.length > 0) yield head;
        if (!first.done) yield first.value;
        yield* { [Symbol.asyncIterator]: () => iterator };
      }
      const done = new Promise<void>((resolve, reject) => {
        file.on('close', resolve);
        file.on('error', reject);
      });
      await writeCsvStream(all(), out, { bom });
      await done;
    }
    await rename(part, input.out);
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
}
