// One batch of rows through a row parser: the staged rows (as COPY text for PostgreSQL, or as value arrays for
// the embedded database), the refused rows with their reasons, and the notes of staged rows. The same function
// runs in the reading workers (read-worker.ts) and, for a file too small to be worth a worker, in the calling
// thread (parse-upload.ts), so both give the same result.
import { copyText, type BulkValue } from '../db/bulk.js';
import type { RowError, RowParser } from './kinds.js';
import { isBlankRow } from './upload-rows.js';

/** A batch of parsed rows, as the reading workers send it. */
export interface ParsedBatch {
  copy: string | null;
  rows: BulkValue[][] | null;
  /** Data rows read (not blank, not skipped by the parser), rows staged. */
  read: number;
  staged: number;
  rejects: { rowNo: number; errors: RowError[] }[];
  /** Staged rows the parser noted something about (RowParseResult's notes). */
  notes: { rowNo: number; errors: RowError[] }[];
  /** How far through the file the reader is. */
  bytes: number;
}

/**
 * A function that parses a batch whose first row is the file's 1-based row `firstRowNo`; each staged row is
 * `[stageId, rowNo, ...values]`.
 */
export function batchParser(
  parse: RowParser,
  stageId: string,
  output: 'copy' | 'rows',
): (batch: readonly string[][], firstRowNo: number, bytes: number) => ParsedBatch {
  return (batch, firstRowNo, bytes) => {
    const staged: BulkValue[][] = [];
    const rejects: ParsedBatch['rejects'] = [];
    const notes: ParsedBatch['notes'] = [];
    let read = 0;
    for (let i = 0; i < batch.length; i++) {
      const cells = batch[i]!;
      if (isBlankRow(cells)) continue;
      const rowNo = firstRowNo + i;
      const r = parse(cells);
      if (r === null) continue;
      read++;
      if ('values' in r) {
        staged.push([stageId, rowNo, ...r.values]);
        if (r.notes?.length) notes.push({ rowNo, errors: r.notes });
      } else rejects.push({ rowNo, errors: r.errors });
    }
    const copy = output === 'copy' ? copyText(staged) : null;
    return { copy, rows: copy === null ? staged : null, read, staged: staged.length, rejects, notes, bytes };
  };
}
