import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse as parseSync } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { readCsvRows, type CsvEncoding, type CsvReadOptions } from './csv-reader.js';
import { chineseName, encodeGb18030, tempDir } from './test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

// A roster as other systems export it: a title row, a header, quoted fields with commas, doubled quotes
// and line breaks, CRLF, a name with a CJK Extension A character (李䶮: four bytes in GB18030).
function roster(n: number): { text: string; rows: string[][] } {
  const rows: string[][] = [['某某区实验小学学生名单'], ['姓名', '性别', '身份证号', '住址', '备注']];
  for (let i = 0; i < n; i++) {
    const name = i === 5 ? '李䶮' : chineseName(i);
    const note = i % 97 === 0 ? '转入，"复学"\r\n待核实' : i % 11 === 0 ? '' : `第${i}号`;
    rows.push([
      name,
      i % 2 ? '男' : '女',
      `4408822015090${String(i % 1000).padStart(4, '0')}`,
      `湛江市霞山区${i}号, 3栋`,
      note,
    ]);
  }
  const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return { text: rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n', rows };
}

async function readAll(path: string, opts: CsvReadOptions & { highWaterMark?: number } = {}) {
  const batches: string[][][] = [];
  let encoding: CsvEncoding | undefined;
  const stream = createReadStream(path, { highWaterMark: opts.highWaterMark ?? 64 * 1024 });
  for await (const b of readCsvRows(stream, { ...opts, onEncoding: (e) => (encoding = e) })) batches.push(b);
  return { rows: batches.flat(), batches, encoding };
}

describe('readCsvRows', () => {
  const { text, rows } = roster(1000);
  const cases: [string, Buffer, CsvEncoding][] = [
    ['UTF-8', Buffer.from(text, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'utf-8'],
    ['GB18030', encodeGb18030(text), 'gb18030'],
  ];

  for (const [label, bytes, expected] of cases) {
    it(`reads ${label} read in 7-byte chunks, so characters cross chunk boundaries`, async () => {
      const path = join(dir, `${label}.csv`);
      await writeFile(path, bytes);
      // 7 is coprime with 2, 3 and 4: every multi-byte character gets split somewhere in the file.
      const { rows: got, encoding } = await readAll(path, { highWaterMark: 7 });
      expect(encoding).toBe(expected);
      expect(got.length).toBe(rows.length);
      expect(got).toEqual(rows);
      expect(got.flat().join('')).not.toContain('\uFFFD');
    });
  }

  it('yields batches of the requested size', async () => {
    const path = join(dir, 'batches.csv');
    await writeFile(path, encodeGb18030(roster(12_000).text));
    const { batches } = await readAll(path, { batchSize: 5000 });
    expect(batches.map((b) => b.length)).toEqual([5000, 5000, 2002]);
  });

  it('detects GB18030 after a long ASCII-only prefix', async () => {
    // 100 KB of ASCII rows first: the guess must wait for the first Chinese bytes.
    const ascii = Array.from({ length: 4000 }, (_, i) => `ID${i},${i * 7},x`).join('\r\n');
    const path = join(dir, 'ascii-first.csv');
    await writeFile(path, encodeGb18030(`code,count,name\r\n${ascii}\r\nZ1,1,张三丰\r\n`));
    const { rows: got, encoding } = await readAll(path, { highWaterMark: 1000 });
    expect(encoding).toBe('gb18030');
    expect(got.at(-1)).toEqual(['Z1', '1', '张三丰']);
    expect(got.length).toBe(4002);
  });

  it('reads pure ASCII as UTF-8, and tiny files', async () => {
    const path = join(dir, 'ascii.csv');
    await writeFile(path, 'a,b\n1,2\n');
    expect(await readAll(path)).toMatchObject({
      encoding: 'utf-8',
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
    });
    await writeFile(path, '张');
    expect(await readAll(path)).toMatchObject({ encoding: 'utf-8', rows: [['张']] });
    await writeFile(path, '');
    expect(await readAll(path)).toMatchObject({ rows: [] });
  });

  it('reads UTF-16 with a BOM (Excel “Unicode text”), tab-separated', async () => {
    const path = join(dir, 'utf16.csv');
    const body = Buffer.from('姓名\t性别\r\n张三\t男\r\n', 'utf16le');
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), body]));
    expect(await readAll(path, { highWaterMark: 3 })).toMatchObject({
      encoding: 'utf-16le',
      rows: [
        ['姓名', '性别'],
        ['张三', '男'],
      ],
    });
  });

  it('guesses tab and semicolon separators, and keeps stray quotes in unquoted fields', async () => {
    const path = join(dir, 'tabs.csv');
    await writeFile(path, '学生名单\n姓名\t身高\t备注\n张三\t5"3\t"a\tb"\n');
    expect((await readAll(path)).rows).toEqual([
      ['学生名单'],
      ['姓名', '身高', '备注'],
      ['张三', '5"3', 'a\tb'],
    ]);
    await writeFile(path, '姓名;性别\n张三;男\n');
    expect((await readAll(path)).rows).toEqual([
      ['姓名', '性别'],
      ['张三', '男'],
    ]);
  });

  it('refuses a file that switches encoding after the sample (mixed UTF-8 and GBK)', async () => {
    const path = join(dir, 'mixed.csv');
    const utf8 = Buffer.from(`姓名,性别\r\n${'张三,男\r\n'.repeat(10_000)}`, 'utf8');
    await writeFile(path, Buffer.concat([utf8, encodeGb18030('李四,女\r\n')]));
    const err = await readAll(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'CSV_ENCODING', status: 400 });
  });

  it('honours an explicit encoding and reads from any Readable', async () => {
    const chunks = [...encodeGb18030('姓名\r\n张三\r\n')].map((b) => Buffer.from([b]));
    const rows: string[][] = [];
    for await (const b of readCsvRows(Readable.from(chunks), { encoding: 'gb18030' })) rows.push(...b);
    expect(rows).toEqual([['姓名'], ['张三']]);
  });

  // Quote-free text is split by the reader itself, anything else by csv-parse: both must give the records
  // csv-parse gives for the whole text — whatever the chunking, line endings, blank lines, final newline, and
  // wherever the first quote or lone carriage return appears.
  it('splits quote-free text into the same records csv-parse gives, and hands over at the first quote', async () => {
    const body = Array.from({ length: 300 }, (_, i) =>
      i % 13 === 0
        ? ''
        : [chineseName(i), i % 2 ? '男' : '女', `4408822015090${i}`, i % 7 ? '' : '备注'].join(','),
    );
    const variants: Record<string, string> = {
      lf: `${body.join('\n')}\n`,
      crlf: `${body.join('\r\n')}\r\n`,
      noFinalNewline: body.join('\r\n'),
      bom: `\ufeff${body.join('\r\n')}\r\n`,
      lateQuote: `${body.join('\r\n')}\r\n"王""五",男,"1,2"\r\n${body.slice(0, 20).join('\r\n')}\r\n`,
      lateLoneCr: `${body.join('\n')}\n赵六,女\r钱七,男\n${body.slice(0, 20).join('\n')}\n`,
      crlfWithLoneLf: `${body.join('\r\n')}\r\n赵六,女\n钱七,男\r\n${body.slice(0, 20).join('\r\n')}\r\n`,
      crOnly: `${body.join('\r')}\r`,
    };
    for (const [name, text] of Object.entries(variants)) {
      const expected: string[][] = parseSync(text, {
        delimiter: ',',
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: false,
        bom: true,
      });
      for (const size of [7, 64, 4096]) {
        const bytes = Buffer.from(text, 'utf8');
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
        const rows: string[][] = [];
        for await (const b of readCsvRows(Readable.from(chunks), { encoding: 'utf-8', batchSize: 50 }))
          rows.push(...b);
        expect({ name, size, rows }).toEqual({ name, size, rows: expected });
      }
    }
    // The late quote's record really went through csv-parse.
    const late: string[][] = parseSync(variants.lateQuote!, { relax_column_count: true, bom: true });
    expect(late).toContainEqual(['王"五', '男', '1,2']);
  });
});
