// The rows of a stored upload, batch by batch: the one reader the validation (in a worker thread or not), the
// error report and the tests share.
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { readCsvRows, type CsvEncoding } from './csv-reader.js';
import { readXlsxRows } from './xlsx-reader.js';

export interface UploadSource {
  path: string;
  format: 'csv' | 'xlsx';
  sheet: string | null;
  /** The file's size (an xlsx reports progress through its sheet XML; scaled to the file's bytes). */
  fileSize: number;
}

/** Streams the rows of an upload; onBytes is told how far through the file the reader is. */
export async function* readUploadRows(
  src: UploadSource,
  batchSize: number,
  onBytes: (n: number) => void,
  onEncoding: (e: CsvEncoding) => void,
): AsyncGenerator<string[][]> {
  if (src.format === 'xlsx') {
    yield* readXlsxRows(src.path, {
      sheet: src.sheet ?? undefined,
      batchSize,
      onProgress: (read, total) => onBytes(total > 0 ? Math.round((read / total) * src.fileSize) : 0),
    });
    return;
  }
  let read = 0;
  const counted = createReadStream(src.path, { highWaterMark: 256 * 1024 }).pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        read += chunk.length;
        onBytes(read);
        done(null, chunk);
      },
    }),
  );
  yield* readCsvRows(counted, { batchSize, onEncoding });
}

export function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c !== undefined && c.trim() !== '') return false;
  return true;
}
