import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvRows } from '../imports/csv-reader.js';
import { chineseName, tempDir } from '../imports/test-helpers.js';
import { readXlsxRows } from '../imports/xlsx-reader.js';
import { exportValue, neutralizeFormula, writeCsvStream, writeXlsxStream } from './stream-writers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

function* batches<T>(rows: T[], size = 1000): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function readCsvFile(path: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const b of readCsvRows(createReadStream(path))) rows.push(...b);
  return rows;
}

async function readXlsxFile(path: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const b of readXlsxRows(path)) rows.push(...b);
  return rows;
}

// Cells an attacker could plant in a name or address field, and what must come out.
const INJECTION: [unknown, string][] = [
  ['=1+2', "'=1+2"],
  ['=HYPERLINK("http://evil.example","点我")', '\'=HYPERLINK("http://evil.example","点我")'],
  ['+86 138', "'+86 138"],
  ['-2+3', "'-2+3"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\t=cmd', "'\t=cmd"],
  ['\r=cmd', "'\r=cmd"],
  ['-5', '-5'],
  ['-12.5', '-12.5'],
  [-7, '-7'],
  ['张三', '张三'],
  ['a=b', 'a=b'],
];

describe('neutralizeFormula', () => {
  it('prefixes an apostrophe to = + - @ tab and CR, but leaves plain negative numbers and other text', () => {
    for (const [input, expected] of INJECTION) {
      if (typeof input === 'string') expect(neutralizeFormula(input), JSON.stringify(input)).toBe(expected);
    }
  });

  it('keeps numbers as numbers and renders other values as text', () => {
    expect(exportValue(-7)).toBe(-7);
    expect(exportValue(Number.NaN)).toBeNull();
    expect(exportValue(null)).toBeNull();
    expect(exportValue(true)).toBe('是');
    expect(exportValue(new Date('2024-09-01T00:30:00Z'))).toBe('2024-09-01 08:30:00');
    expect(exportValue(12345678901234567890n)).toBe('12345678901234567890');
  });
});

describe('writeCsvStream', () => {
  it('writes UTF-8 with a BOM, quotes when needed, CRLF, and neutralises formulas', async () => {
    const path = join(dir, 'out.csv');
    const rows: unknown[][] = [
      ['张三', '440882201509011234', 'a,b', '他说"好"', '两行\n文本', null, 3.5],
      ...INJECTION.map(([v]) => [v]),
    ];
    const result = await writeCsvStream(batches(rows, 4), createWriteStream(path), {
      header: ['姓名', '身份证号', '=备注'],
    });
    expect(result.rows).toBe(rows.length);
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('\r\n张三,440882201509011234,"a,b","他说""好""","两行\n文本",,3.5\r\n');
    expect(text).toContain('\r\n"\'\r=cmd"\r\n');
    const back = await readCsvFile(path);
    expect(back[0]).toEqual(['姓名', '身份证号', "'=备注"]);
    expect(back.slice(2).map((r) => r[0])).toEqual(INJECTION.map(([, out]) => out));
  });

  it('waits for a slow destination without piling up listeners, and stops when it is destroyed', async () => {
    let chunks = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, done) {
        chunks++;
        setImmediate(done);
      },
    });
    const batches = Array.from({ length: 200 }, (_, i) => [[`行${i}`, 'x'.repeat(64)]]);
    await writeCsvStream(batches, slow);
    expect(chunks).toBeGreaterThan(200);
    expect(slow.listenerCount('close')).toBeLessThan(3);
    expect(slow.listenerCount('drain')).toBe(0);

    const hangsUp = new Writable({ highWaterMark: 16, write: () => undefined }); // never drains
    const endless = (function* () {
      for (;;) yield [['x'.repeat(64)]];
    })();
    const writing = writeCsvStream(endless, hangsUp);
    setTimeout(() => hangsUp.destroy(), 20);
    await expect(writing).rejects.toThrow();
  });

  it('writes without BOM when asked', async () => {
    const path = join(dir, 'nobom.csv');
    await writeCsvStream(batches([[1, 2]]), createWriteStream(path), { bom: false });
    expect(await readFile(path, 'utf8')).toBe('1,2\r\n');
  });
});

describe('writeXlsxStream', () => {
  it('writes title, subtitle, header and rows; neutralises formulas; numbers stay numbers', async () => {
    const path = join(dir, 'out.xlsx');
    const rows: unknown[][] = [['张三', '440882201509011234', -5, 0.5], ...INJECTION.map(([v]) => [v])];
    const result = await writeXlsxStream(batches(rows, 3), createWriteStream(path), {
      title: '某某区学生名册',
      subtitle: '导出人：管理员　2024-09-01',
      header: ['姓名', '身份证号', '分数', '比例'],
      sheetName: '学生/名册',
      widths: [12, 24],
    });
    expect(result.rows).toBe(rows.length);
    const back = await readXlsxFile(path);
    expect(back[0]).toEqual(Array<string>(4).fill('某某区学生名册'));
    expect(back[1]?.[0]).toBe('导出人：管理员　2024-09-01');
    expect(back[2]).toEqual(['姓名', '身份证号', '分数', '比例']);
    expect(back[3]).toEqual(['张三', '440882201509011234', '-5', '0.5']);
    // XML turns a bare CR in text into LF when read (exceljs does not escape it as &#13;); still neutralised.
    expect(back.slice(4).map((r) => r[0])).toEqual(INJECTION.map(([, out]) => out.replace('\r', '\n')));
  });
});

// JavaScript heap plus Buffers (zip and zlib output lives outside the heap).
function memoryInUse(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

// Memory in use after a full collection (the collector is exposed on demand).
function settledMemory(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
  return memoryInUse();
}

// A destination that consumes slowly (every write completes on a later turn of the event loop), so the
// writers must wait for it rather than buffer the whole export.
function slowSink(): Writable & { bytes: number } {
  const sink = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, done) {
      sink.bytes += chunk.length;
      setImmediate(done);
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

describe('bounded memory', () => {
  const N = 200_000;
  // Rows are generated as they are pulled, like a database cursor: nothing is kept between batches.
  async function* source(peak: { heap: number }): AsyncGenerator<unknown[][]> {
    for (let i = 0; i < N; i += 2000) {
      const batch: unknown[][] = [];
      for (let j = i; j < i + 2000; j++) {
        batch.push([
          chineseName(j),
          `44088220150901${String(j % 10000).padStart(4, '0')}`,
          j % 2 ? '男' : '女',
          j,
          '湛江市霞山区人民大道南',
        ]);
      }
      if (i % 20_000 === 0) peak.heap = Math.max(peak.heap, memoryInUse());
      await new Promise((resolve) => setImmediate(resolve)); // a cursor's round trip
      yield batch;
    }
  }

  it('writes 200,000 rows of xlsx with small memory growth', { timeout: 120_000 }, async () => {
    const before = settledMemory();
    const peak = { heap: before };
    const sink = slowSink();
    const result = await writeXlsxStream(source(peak), sink, {
      header: ['姓名', '身份证号', '性别', '序号', '住址'],
    });
    const growth = (peak.heap - before) / 1024 ** 2;
    console.info(
      `xlsx: ${result.rows} rows, ${(sink.bytes / 1024 ** 2).toFixed(1)} MB written, peak memory growth ${growth.toFixed(1)} MB`,
    );
    expect(result.rows).toBe(N);
    expect(growth).toBeLessThan(200);
  });

  it('writes 200,000 rows of csv with small memory growth', { timeout: 60_000 }, async () => {
    const before = settledMemory();
    const peak = { heap: before };
    const sink = slowSink();
    const result = await writeCsvStream(source(peak), sink, {
      header: ['姓名', '身份证号', '性别', '序号', '住址'],
    });
    const growth = (peak.heap - before) / 1024 ** 2;
    console.info(
      `csv: ${result.rows} rows, ${(sink.bytes / 1024 ** 2).toFixed(1)} MB written, peak memory growth ${growth.toFixed(1)} MB`,
    );
    expect(result.rows).toBe(N);
    expect(growth).toBeLessThan(200);
  });
});
