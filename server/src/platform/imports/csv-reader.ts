// Streaming CSV reader with automatic encoding detection.
//
// Rosters arrive as CSV from other systems in UTF-8 (with or without the BOM Excel writes) or in GBK /
// GB18030 (Excel and WPS on Chinese Windows, most older government systems). Nothing in the file says
// which, so the first non-ASCII bytes decide: if they are valid UTF-8 the file is UTF-8, otherwise
// GB18030 (a superset of GBK and GB2312). The sample is taken after any ASCII prefix (which reads the
// same in every candidate), so an English header or long ASCII columns cannot fool the guess. Decoding
// uses WHATWG TextDecoders in streaming mode, so a character split across two chunks is carried over,
// never turned into U+FFFD; the decoders are fatal, so a file that mixes encodings is refused with a clear
// message rather than imported with garbled names.
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';
import { badRequest } from '../errors.js';

/** Encodings the CSV reader understands. */
export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** Options of readCsvRows. */
export interface CsvReadOptions {
  /** Rows per yielded batch. */
  batchSize?: number;
  /** Skip detection and decode with this encoding. */
  encoding?: CsvEncoding;
  /** Field separator; default: guessed from the first lines among , tab ; | */
  delimiter?: string;
  /** Told the encoding once it is known (an error report is written back in the same encoding). */
  onEncoding?: (encoding: CsvEncoding) => void;
}

// Bytes examined after the first non-ASCII byte before deciding. Every Chinese row has non-ASCII names,
// and 64 KB of GBK text that happens to be valid UTF-8 does not occur.
const LOOKAHEAD = 64 * 1024;

function encodingError(encoding: CsvEncoding) {
  return badRequest('CSV_ENCODING', {
    zh: `文件中有无法按 ${encoding.toUpperCase()} 编码识别的内容（可能混用了多种编码或文件已损坏），请用 Excel 或 WPS 打开后另存为“CSV UTF-8”或 .xlsx 再上传`,
    en: `The file contains bytes that are not valid ${encoding.toUpperCase()} (mixed encodings or a damaged file); save it as “CSV UTF-8” or .xlsx and upload it again`,
  });
}

function isValidUtf8Prefix(bytes: Buffer, final: boolean): boolean {
  try {
    // stream: true accepts a sequence cut at the end of the sample; final insists it is complete.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !final });
    return true;
  } catch {
    return false;
  }
}

function firstNonAscii(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] ?? 0) >= 0x80) return i;
  return -1;
}

/** Decodes a byte stream to text, detecting the encoding from BOM or content. */
export async function* decodeText(
  source: AsyncIterable<Buffer | string>,
  opts: { encoding?: CsvEncoding; onEncoding?: (encoding: CsvEncoding) => void } = {},
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let chosen: CsvEncoding = 'utf-8';
  let head: Buffer | undefined = Buffer.alloc(0); // the first bytes, until a BOM can be ruled out
  const held: Buffer[] = []; // bytes from the first non-ASCII byte on, until the sample suffices
  let heldBytes = 0;

  const choose = (encoding: CsvEncoding) => {
    chosen = encoding;
    // ignoreBOM: false means the decoder drops a leading BOM of its own encoding.
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
    opts.onEncoding?.(encoding);
  };
  const decode = (bytes: Buffer, final: boolean): string => {
    try {
      return decoder?.decode(bytes, { stream: !final }) ?? '';
    } catch {
      throw encodingError(chosen);
    }
  };
  if (opts.encoding) choose(opts.encoding);

  // Takes the next bytes (final: the stream has ended) and returns the text they release.
  const feed = (bytes: Buffer, final: boolean): string => {
    if (decoder) return decode(bytes, final);
    if (head) {
      head = Buffer.concat([head, bytes]);
      if (head.length < 3 && !final) return '';
      bytes = head;
      head = undefined;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) choose('utf-8');
      else if (bytes[0] === 0xff && bytes[1] === 0xfe) choose('utf-16le');
      else if (bytes[0] === 0xfe && bytes[1] === 0xff) choose('utf-16be');
      if (decoder) return decode(bytes, final);
    }
    let released = '';
    if (heldBytes === 0) {
      // ASCII reads the same in UTF-8 and GB18030: pass it on and keep nothing.
      const i = firstNonAscii(bytes);
      released = bytes.toString('latin1', 0, i < 0 ? bytes.length : i);
      bytes = i < 0 ? Buffer.alloc(0) : bytes.subarray(i);
    }
    if (bytes.length > 0) {
      held.push(bytes);
      heldBytes += bytes.length;
    }
    if (heldBytes >= LOOKAHEAD || final) {
      const sample = Buffer.concat(held);
      held.length = 0;
      choose(
        isValidUtf8Prefix(sample.subarray(0, LOOKAHEAD), final && sample.length <= LOOKAHEAD)
          ? 'utf-8'
          : 'gb18030',
      );
      released += decode(sample, final);
    }
    return released;
  };

  for await (const chunk of source) {
    const text = feed(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk, false);
    if (text) yield text;
  }
  const tail = feed(Buffer.alloc(0), true);
  if (tail) yield tail;
}

// Guesses the separator from the first lines: the candidate that occurs most often outside quotes.
// Title rows have none, header and data rows have many; a tab-separated “xls” from an old system is common.
function guessDelimiter(sample: string): string {
  const lines = sample.split(/\r?\n/, 20);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    let count = 0;
    for (const line of lines) count += line.replace(/"[^"]*"/g, '').split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Streams a CSV file as batches of raw rows (string[][]; fields not trimmed). Quoted fields, embedded
 * newlines, doubled quotes and CRLF are handled by csv-parse; record i (0-based over all batches) is the
 * line a spreadsheet program would show as row i+1. The encoding is detected (see above).
 *
 * Most exports have no quote at all (what registries and population systems write): as long as the text read
 * has no double quote, records are split here — the same records csv-parse gives, at a seventh of its cost
 * (csv-parse: about 17 µs a row of a 26-column roster). From the first chunk with a quote, the rest of the
 * file (with the record begun) goes through csv-parse, told the line ending the split found.
 */
export async function* readCsvRows(stream: Readable, opts: CsvReadOptions = {}): AsyncGenerator<string[][]> {
  const batchSize = opts.batchSize ?? 5000;
  const text = decodeText(stream as AsyncIterable<Buffer | string>, opts);

  // The first decoded text decides the delimiter; it is then replayed into the parser.
  let head = '';
  let headDone = false;
  const first: string[] = [];
  while (head.length < 16 * 1024) {
    const step = await text.next();
    if (step.done) {
      headDone = true;
      break;
    }
    first.push(step.value);
    head += step.value;
  }
  async function* replay(): AsyncGenerator<string> {
    yield* first;
    if (!headDone) yield* text;
  }
  const delimiter = opts.delimiter ?? guessDelimiter(head);
  const chunks = replay();

  // The quote-free part: whole records split at the delimiter; `carry` is the record begun at a chunk's end.
  // Records end as csv-parse would end them: at the first line ending of the file (\r\n or \n), every other
  // CR or LF being a character of its field; a file whose first line ends in a lone \r goes to csv-parse.
  let carry = '';
  let begun = true;
  let eol: '\n' | '\r\n' | null = null;
  const fast: string[][] = [];
  let plain = true;
  let pending: string | null = null; // the chunk that ended the quote-free part
  for (;;) {
    const step = await chunks.next();
    if (step.done) break;
    let chunk = step.value;
    if (begun) {
      begun = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (chunk.includes('"')) {
      plain = false;
      pending = chunk;
      break;
    }
    const text = carry + chunk;
    if (eol === null) {
      const at = text.search(/[\r\n]/);
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (at < 0 || (text[at] === '\r' && at === text.length - 1)) {
        carry = text;
        continue;
      }
      if (text[at] === '\n') eol = '\n';
      else if (text[at + 1] === '\n') eol = '\r\n';
      else {
        plain = false;
        pending = text;
        carry = '';
        break;
      }
    }
    const lines = text.split(eol);
    carry = lines.pop()!;
    for (const line of lines) fast.push(line.split(delimiter));
    while (fast.length >= batchSize) yield fast.splice(0, batchSize);
  }
  if (plain) {
    if (eol === null && carry.endsWith('\r')) {
      // The only line ending is a final lone CR: csv-parse's reading of it.
      plain = false;
      pending = carry;
      carry = '';
    } else {
      if (carry !== '') fast.push(carry.split(delimiter));
      while (fast.length > 0) yield fast.splice(0, batchSize);
      return;
    }
  }
  async function* rest(): AsyncGenerator<string> {
    yield carry + pending!;
    yield* chunks;
  }

  // Records are taken from on_record and never pushed through the parser's readable side: iterating a stream
  // costs an await per record, which at a million rows is most of the parsing time. csv-parse 7 also expects
  // every record to be as long as the first and, with relax_column_count, still builds a CsvError (stack trace
  // and all) for each one that is not — with a title row first, for every row: measured, 50 µs a row. So each
  // record sets the length the next is compared with, and only a change of length costs an error object.
  // (`state` is the parser's own; the tests cover both.)
  const batch: string[][] = fast;
  const parser = parse({
    delimiter,
    // The line ending the quote-free part found (else csv-parse finds it in the first line, as it would have).
    ...(eol ? { record_delimiter: eol } : {}),
    // Rows of a roster differ in length (title rows, trailing empty cells) and hand-edited files carry
    // stray quotes inside unquoted fields (身高5"3); neither should stop an import.
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
    on_record: (record: string[]) => {
      (parser as unknown as { state: { expectedRecordLength: number } }).state.expectedRecordLength =
        record.length;
      batch.push(record);
      return null;
    },
  });
  const write = (chunk: string) =>
    new Promise<void>((resolve, reject) => parser.write(chunk, (err) => (err ? reject(err) : resolve())));
  let failure: Error | null = null;
  parser.on('error', (e: Error) => (failure ??= e));
  parser.resume(); // nothing is pushed; keep the readable side flowing so the stream can end
  for await (const chunk of rest()) {
    await write(chunk);
    if (failure) throw failure;
    while (batch.length >= batchSize) yield batch.splice(0, batchSize);
  }
  await new Promise<void>((resolve, reject) => {
    parser.once('error', reject);
    parser.end(() => resolve());
  });
  if (failure) throw failure;
  while (batch.length > 0) yield batch.splice(0, batchSize);
}
