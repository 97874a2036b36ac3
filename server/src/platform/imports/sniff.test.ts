import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkZipLimits, SNIFF_BYTES, sniffUpload } from './sniff.js';
import { encodeGb18030, makeZip, minimalXlsx, tempDir } from './test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let xlsxPath: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  xlsxPath = join(dir, 'roster.xlsx');
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('学生').addRows([
    ['姓名', '性别'],
    ['张三', '男'],
  ]);
  await wb.xlsx.writeFile(xlsxPath);
});
afterAll(() => cleanup());

const kindOf = (bytes: Buffer, name = 'upload.bin') => {
  const r = sniffUpload(bytes, name);
  return 'kind' in r ? r.kind : r.error;
};

describe('sniffUpload', () => {
  it('recognises .xlsx from content, whatever the name says', async () => {
    const head = (await readFile(xlsxPath)).subarray(0, SNIFF_BYTES);
    expect(kindOf(head, '名单.csv')).toBe('xlsx');
    expect(kindOf(minimalXlsx({ sheets: [{ name: 'S', sheetData: '' }] }), 'x.xls')).toBe('xlsx');
  });

  it('refuses .xls (OLE) telling the user to save as .xlsx, and names an encrypted workbook', () => {
    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    const r = sniffUpload(ole, '学生.xls');
    expect(r).toMatchObject({ error: 'XLS_NOT_SUPPORTED' });
    if ('error' in r) {
      expect(r.message.zh).toContain('另存为');
      expect(r.message.zh).toContain('.xlsx');
      expect(r.message.en).toContain('Save As');
    }
    Buffer.from('EncryptedPackage', 'utf16le').copy(ole, 1200);
    expect(kindOf(ole, '学生.xlsx')).toBe('XLSX_ENCRYPTED');
  });

  it('accepts CSV text in UTF-8, GB18030 and UTF-16 with BOM', () => {
    expect(kindOf(Buffer.from('姓名,性别\r\n张三,男\r\n'), 'a.xlsx')).toBe('csv');
    expect(kindOf(encodeGb18030('姓名,性别\r\n张三,男\r\n'))).toBe('csv');
    expect(kindOf(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('姓名\t性别\r\n', 'utf16le')]))).toBe(
      'csv',
    );
  });

  it('refuses HTML and XML tables disguised as .xls, other binaries, and empty files', () => {
    expect(kindOf(Buffer.from('\uFEFF  <html><table><tr><td>姓名</td></tr></table></html>'), 'a.xls')).toBe(
      'HTML_NOT_SUPPORTED',
    );
    expect(
      kindOf(
        Buffer.from('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'),
      ),
    ).toBe('HTML_NOT_SUPPORTED');
    expect(kindOf(Buffer.from('MIME-Version: 1.0\r\nContent-Type: multipart/related'))).toBe(
      'HTML_NOT_SUPPORTED',
    );
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    expect(kindOf(png, 'photo.csv')).toBe('UNSUPPORTED_TYPE');
    expect(kindOf(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'a.csv')).toBe('UNSUPPORTED_TYPE');
    expect(kindOf(Buffer.alloc(0), 'empty.csv')).toBe('EMPTY_FILE');
    const controls = Buffer.from('a\x01b\x02c\x03d\x04');
    expect(kindOf(controls)).toBe('UNSUPPORTED_TYPE');
  });

  it('tells OpenDocument, Word packages and plain zip archives apart from workbooks', () => {
    const ods = makeZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true },
      { name: 'content.xml', data: '<office:document-content/>' },
    ]);
    expect(kindOf(ods, 'a.ods')).toBe('ODS_NOT_SUPPORTED');
    const docx = makeZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    expect(kindOf(docx, 'a.xlsx')).toBe('UNSUPPORTED_TYPE');
    expect(kindOf(makeZip([{ name: 'photos/1.jpg', data: 'x' }]), 'a.xlsx')).toBe('UNSUPPORTED_TYPE');
    expect(kindOf(makeZip([]), 'a.xlsx')).toBe('UNSUPPORTED_TYPE');
  });
});

describe('checkZipLimits', () => {
  it('accepts a real workbook and reports its size', async () => {
    const r = await checkZipLimits(xlsxPath);
    expect(r).toMatchObject({ entries: expect.any(Number) as number });
    if ('entries' in r) expect(r.uncompressedBytes).toBeGreaterThan(1000);
  });

  it('refuses an entry over 10 MB inflating more than 200:1', async () => {
    const path = join(dir, 'ratio.xlsx');
    await writeFile(
      path,
      makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 ** 2) }]),
    );
    expect(await checkZipLimits(path)).toMatchObject({ error: 'XLSX_COMPRESSION_RATIO' });
  });

  it('refuses packages declaring more than 1.5 GB in total', async () => {
    const path = join(dir, 'total.xlsx');
    // Sizes as declared in the central directory: nothing is inflated to refuse the file. Random bytes do
    // not compress, so each entry's ratio (600 MB : 3.2 MB) stays under 200:1 and only the total is wrong.
    const parts = [0, 1, 2].map((i) => ({
      name: `xl/part${i}.bin`,
      data: randomBytes(3.2 * 1024 ** 2),
      declaredSize: 600 * 1024 ** 2,
    }));
    await writeFile(path, makeZip(parts));
    const r = await checkZipLimits(path);
    expect(r).toMatchObject({ error: 'XLSX_TOO_LARGE' });
    if ('error' in r) expect(r.message.zh).toContain('1.5 GB');
  });

  it('refuses more than 10,000 entries', async () => {
    const path = join(dir, 'many.xlsx');
    const entries = Array.from({ length: 10_001 }, (_, i) => ({ name: `xl/${i}`, data: '', store: true }));
    await writeFile(path, makeZip(entries));
    expect(await checkZipLimits(path)).toMatchObject({ error: 'XLSX_TOO_MANY_ENTRIES' });
  });

  it('refuses files that are not zip archives', async () => {
    const path = join(dir, 'garbage.xlsx');
    await writeFile(path, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 7)]));
    expect(await checkZipLimits(path)).toMatchObject({ error: 'XLSX_CORRUPT' });
  });
});
