/**
 * Browser test of the import wizard (students): a school admin downloads the templates, uploads a CSV of a
 * few hundred students with some bad rows, follows the progress to the dry run, checks the counts and the
 * error report, imports the valid rows and finds them in the registry; the same file again is recognised;
 * a column under an unknown name is mapped and remembered; the wizard works on a phone; a larger file shows
 * its progress. Debian's Chromium driven by playwright-core (never a downloaded browser). Screenshots land
 * in .tmp/screens/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdNumber } from '../server/src/platform/crypto/id-number.js';
import * as h from './harness.js';

const { shots, apiGet } = h;

let e: h.E2e;
let base: string;
let browser: Browser;
let admin: h.DemoAccount;

beforeAll(async () => {
  e = await h.startE2e('imports');
  ({ base, browser } = e);
  admin = h.account(e, 'school_admin');
});
afterAll(async () => {
  await e?.close();
});

const login = (page: Page) => h.login(e, page, admin);

// ---------- the file ----------

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'];
const GIVEN = [...'子涵浩然欣怡梓萱宇轩雨桐思远佳琪一诺俊杰明轩诗雨嘉怡博文若曦家豪晨阳语嫣'];
const GRADE_NAMES = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级'];
/** A county code that no longer exists (公主岭市 moved to 220184 in 2020): the demo city never uses it. */
const REGION = '220381';

/** The school year now running starts in September of this year (or of the last one before September). */
function schoolYearStart(): number {
  const now = new Date();
  return now.getMonth() >= 8 ? now.getFullYear() : now.getFullYear() - 1;
}

interface Person {
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  idNumber: string;
  grade: string;
}

function person(i: number): Person {
  const g = i % 6; // 0 = 一年级
  const year = schoolYearStart() - 6 - g;
  const birthDate = `${year}-${String((i % 8) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
  const sex = i % 2 === 0 ? 'M' : 'F';
  const name =
    SURNAMES[i % SURNAMES.length]! +
    GIVEN[Math.floor(i / 12) % GIVEN.length]! +
    GIVEN[(i * 7) % GIVEN.length]!;
  return {
    name,
    sex,
    birthDate,
    idNumber: generateIdNumber(REGION, birthDate, sex, i % 499),
    grade: GRADE_NAMES[g]!,
  };
}

const GOOD = 300;
/** Rows of the file whose progress is watched. */
const LARGE = 20_000;
const MARKER = '欧阳导入';

interface Roster {
  csv: string;
  good: Person[];
  /** The bad rows' names as written (an empty name stays empty) and why they are bad. */
  bad: { person: Person; why: 'checksum' | 'name' | 'grade' }[];
}

/** A roster in the template's column names: GOOD students and ten bad rows among them. */
function roster(headers: { name: string; sex: string; birthDate: string; idNumber: string; grade: string }) {
  const good = Array.from({ length: GOOD }, (_, i) => person(i));
  good[0] = { ...good[0]!, name: MARKER };
  const bad: Roster['bad'] = [];
  for (let k = 0; k < 10; k++) {
    const p = person(400 + k);
    if (k < 4) {
      // A typo in the last character: the check character no longer matches.
      const last = p.idNumber.at(-1) === '1' ? '2' : '1';
      bad.push({ person: { ...p, idNumber: p.idNumber.slice(0, 17) + last }, why: 'checksum' });
    } else if (k < 7) bad.push({ person: { ...p, name: '' }, why: 'name' });
    else bad.push({ person: { ...p, grade: '十五年级' }, why: 'grade' });
  }
  const rows: Person[] = [];
  good.forEach((p, i) => {
    rows.push(p);
    if (i % 30 === 29) rows.push(bad[Math.floor(i / 30)]!.person);
  });
  const line = (cells: string[]) => cells.join(',');
  const csv = [
    line([headers.name, headers.sex, headers.birthDate, headers.idNumber, headers.grade]),
    ...rows.map((p) => line([p.name, p.sex === 'M' ? '男' : '女', p.birthDate, p.idNumber, p.grade])),
  ].join('\r\n');
  return { csv: `${csv}\r\n`, good, bad } satisfies Roster;
}

/** GB18030 through iconv-lite when it is installed; UTF-8 with a BOM (Excel's "CSV UTF-8") otherwise. */
function encode(text: string): { bytes: Buffer; encoding: string } {
  try {
    const require = createRequire(import.meta.url);
    const iconv = require('iconv-lite') as { encode: (s: string, enc: string) => Buffer };
    return { bytes: iconv.encode(text, 'gb18030'), encoding: 'gb18030' };
  } catch {
    return {
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
      encoding: 'utf-8',
    };
  }
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Decodes a downloaded CSV: UTF-8 (with or without a BOM), else GB18030. */
function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).first().click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

const countOf = async (page: Page, key: string) =>
  Number(
    (await page.getByTestId(`import-count-${key}`).locator('.ant-statistic-content').innerText()).replace(
      /\D/g,
      '',
    ),
  );

async function upload(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page
    .locator('.import-file-step input[type=file]')
    .setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });
}

describe('the import wizard in the browser', () => {
  let committedJobId = '';
  let sameFileJobId = '';

  it('a school admin checks a roster, reads the errors, imports the valid rows and finds them', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await login(page);
    await page.goto(`${base}/students/import`);
    await page.getByTestId('import-wizard').waitFor();
    await expect.poll(() => page.locator('.page-title').innerText()).toBe('学生学籍导入');

    // The recognised columns, from the fields endpoint, in the collapsible panel.
    const fields = await apiGet<{ fields: { key: string; label: string; required: boolean }[] }>(
      page,
      '/api/imports/fields/students',
    );
    const labelOf = (key: string) => fields.fields.find((f) => f.key === key)?.label ?? '';
    await page.getByTestId('import-fields').getByText('可识别的列').click();
    await expect
      .poll(() => page.getByTestId('import-fields-table').innerText())
      .toContain(labelOf('idNumber'));
    await page.screenshot({ path: join(shots, 'import-01-file-1366.png'), fullPage: true });

    // The official templates: an xlsx (a zip) and a CSV whose header holds the template's columns.
    const xlsx = await download(page, 'import-template-xlsx');
    expect(xlsx.name).toMatch(/\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const csvTemplate = await download(page, 'import-template-csv');
    expect(csvTemplate.name).toMatch(/\.csv$/);
    // Required columns are marked with an asterisk (“*姓名”).
    const templateRows = parseCsv(decodeCsv(csvTemplate.bytes)).map((r) =>
      r.map((c) => c.replace(/^\*/, '')),
    );
    const templateHeader = templateRows.find((r) => r.includes(labelOf('name')));
    expect(templateHeader).toBeDefined();
    for (const key of ['name', 'sex', 'birthDate', 'idNumber', 'grade']) {
      expect(templateHeader).toContain(labelOf(key));
    }

    const before = await apiGet<{ total: number }>(page, '/api/students?pageSize=1');
    const file = roster({
      name: labelOf('name'),
      sex: labelOf('sex'),
      birthDate: labelOf('birthDate'),
      idNumber: labelOf('idNumber'),
      grade: labelOf('grade'),
    });
    const { bytes, encoding } = encode(file.csv);

    // What the wizard shows between choosing the file and the result is recorded: the upload's progress, and
    // the check's while it runs (a small file may be checked before the upload's answer arrives).
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { seenPanels: Set<string> }).seenPanels = seen;
      new MutationObserver(() => {
        document
          .querySelectorAll('[data-testid=import-upload], [data-testid=import-job-progress]')
          .forEach((el) => seen.add(el.getAttribute('data-testid') ?? ''));
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await upload(page, '2025级学生名册.csv', bytes);
    await page.getByTestId('import-result').waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => [
      ...(window as unknown as { seenPanels: Set<string> }).seenPanels,
    ]);
    expect(seen).toContain('import-upload');
    await expect
      .poll(() => page.getByTestId('import-file-facts').innerText())
      .toContain(encoding.toUpperCase());

    // The dry run's counts.
    expect(await countOf(page, 'rows')).toBe(GOOD + 10);
    expect(await countOf(page, 'valid')).toBe(GOOD);
    expect(await countOf(page, 'rejected')).toBe(10);
    expect(await countOf(page, 'inserted')).toBe(GOOD);
    expect(await countOf(page, 'updated')).toBe(0);
    expect(await countOf(page, 'unchanged')).toBe(0);
    expect(await page.getByTestId('import-same-file').count()).toBe(0);

    // The first errors: row numbers as a spreadsheet shows them (header = row 1).
    const errorTable = await page.getByTestId('import-error-table').innerText();
    expect(errorTable).toContain(labelOf('idNumber'));
    const firstBad = 1 + 30 + 1; // header, 30 good rows, then the first bad one
    expect(errorTable).toMatch(new RegExp(`(^|\\s)${firstBad}\\s`));
    await page.screenshot({ path: join(shots, 'import-02-result-1366.png'), fullPage: true });

    // The error report: the rejected rows, as uploaded, with a reason column.
    const report = await download(page, 'import-error-report');
    expect(report.name).toMatch(/\.csv$/);
    const reportRows = parseCsv(decodeCsv(report.bytes)).filter((r) => r.some((c) => c.trim() !== ''));
    const reportHeaderAt = reportRows.findIndex((r) => r.includes(labelOf('idNumber')));
    const reportHeader = reportRows[reportHeaderAt]!;
    expect(reportHeader.at(-1)).toBe('错误原因');
    const reportBody = reportRows.slice(reportHeaderAt + 1);
    expect(reportBody).toHaveLength(10);
    const idColumn = reportHeader.indexOf(labelOf('idNumber'));
    expect(reportBody.map((r) => r[idColumn]).sort()).toEqual(file.bad.map((b) => b.person.idNumber).sort());
    for (const r of reportBody) expect(r.at(-1)!.length).toBeGreaterThan(0);

    // 全部导入 is not possible with errors; 仅导入正确的行 is chosen.
    await expect.poll(() => page.getByTestId('import-decision').innerText()).toContain('不能全部导入');
    expect(await page.locator('[data-testid=import-decision] input[value=all]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid=import-decision] input[value=valid-only]').isChecked()).toBe(
      true,
    );
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    expect(await countOf(page, 'inserted')).toBe(GOOD);
    expect(await countOf(page, 'rejected')).toBe(10);
    committedJobId = new URL(page.url()).searchParams.get('job')!;
    expect(committedJobId).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('import-history').innerText()).toContain('已导入');
    await page.screenshot({ path: join(shots, 'import-03-done-1366.png'), fullPage: true });

    // The registry has them.
    const after = await apiGet<{ total: number }>(page, '/api/students?pageSize=1');
    expect(after.total - before.total).toBe(GOOD);
    const found = await apiGet<{ items: { name: string; idNumberMasked: string | null; grade: number }[] }>(
      page,
      `/api/students?q=${encodeURIComponent(MARKER)}`,
    );
    expect(found.items).toHaveLength(1);
    expect(found.items[0]!.idNumberMasked).toBe(`${REGION}********${file.good[0]!.idNumber.slice(14)}`);
    expect(found.items[0]!.grade).toBe(1);

    // The same file again: recognised, and nothing would change.
    await page.getByTestId('import-another').click();
    await upload(page, '2025级学生名册（再次）.csv', bytes);
    await page.getByTestId('import-result').waitFor({ timeout: 120_000 });
    await expect
      .poll(() => page.getByTestId('import-same-file').innerText())
      .toContain('再次导入不会产生变化');
    expect(await countOf(page, 'unchanged')).toBe(GOOD);
    expect(await countOf(page, 'inserted')).toBe(0);
    sameFileJobId = new URL(page.url()).searchParams.get('job')!;
    await page.screenshot({ path: join(shots, 'import-04-same-file-1366.png'), fullPage: true });
    await page.close();
  }, 420_000);

  it('a column under an unknown name is mapped once, then recognised in later uploads', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await login(page);
    await page.goto(`${base}/students/import`);
    // 在读年级 is no name of 年级 the platform knows; 备注 is no field at all.
    const csv = Buffer.from(
      '姓名,性别,出生日期,在读年级,备注\r\n张小明,男,2017-03-04,二年级,转入\r\n',
      'utf8',
    );
    await upload(page, '自编名单.csv', csv);
    await page.getByTestId('import-failure').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('import-failure').innerText()).toContain('缺少必填列');
    expect(await page.getByTestId('import-retry').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'import-05-missing-column-1366.png'), fullPage: true });
    await h.pickOption(page, page.getByTestId('import-mapper-select').first(), '年级（必填）');
    await page.getByTestId('import-mapper-apply').click();
    await page.getByTestId('import-result').waitFor({ timeout: 120_000 });
    expect(await countOf(page, 'valid')).toBe(1);
    await expect.poll(() => page.getByTestId('import-unknown').innerText()).toContain('备注');
    await page.getByTestId('import-cancel').click();
    await page.locator('.ant-popconfirm .ant-btn-dangerous').click();

    // The next upload with that header is understood at once.
    await page.locator('.import-file-step').waitFor();
    await upload(page, '自编名单（二）.csv', csv);
    await page.getByTestId('import-result').waitFor({ timeout: 120_000 });
    await page.getByText('列对应关系').click();
    await expect.poll(() => page.getByTestId('import-mapping-table').innerText()).toMatch(/在读年级\s+年级/);
    await page.getByTestId('import-cancel').click();
    await page.locator('.ant-popconfirm .ant-btn-dangerous').click();
    await page.locator('.import-file-step').waitFor();
    await page.close();
  }, 420_000);

  it('works on a phone: the file step and the result of a check', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    await login(page);
    await page.goto(`${base}/students/import`);
    await page.locator('.import-file-step').waitFor();
    await page.screenshot({ path: join(shots, 'import-06-file-390.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.goto(`${base}/students/import?job=${sameFileJobId}`);
    await page.getByTestId('import-result').waitFor();
    await page.screenshot({ path: join(shots, 'import-07-result-390.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByTestId('import-cancel').click();
    await page.locator('.ant-popconfirm .ant-btn-dangerous').click();
    await page.locator('.import-file-step').waitFor();

    await page.goto(`${base}/students/import?job=${committedJobId}`);
    await page.getByTestId('import-done').waitFor();
    await page.screenshot({ path: join(shots, 'import-08-done-390.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });
  // Last: the server is busy while it checks a large file.
  it('a larger file shows its progress, and a checked import can be cancelled', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await login(page);
    await page.goto(`${base}/students/import`);
    const fields = await apiGet<{ fields: { key: string; label: string }[] }>(
      page,
      '/api/imports/fields/students',
    );
    const labelOf = (key: string) => fields.fields.find((f) => f.key === key)!.label;
    const lines = [[labelOf('name'), labelOf('sex'), labelOf('birthDate'), labelOf('grade')].join(',')];
    for (let i = 0; i < LARGE; i++) {
      const p = person(i);
      lines.push(
        [`${p.name}${GIVEN[i % GIVEN.length]}`, p.sex === 'M' ? '男' : '女', p.birthDate, p.grade].join(','),
      );
    }
    await upload(page, '全区学生（大文件）.csv', Buffer.from(lines.join('\r\n'), 'utf8'));
    const bar = page.getByTestId('import-progress-bar');
    await bar.waitFor({ timeout: 30_000 });
    // The bar moves: a share done and some rows read are shown before the check ends.
    await expect
      .poll(() => page.getByTestId('import-job-progress').innerText(), { timeout: 120_000 })
      .toMatch(/[1-9]\d*%[\s\S]*已处理 [1-9][\d,]* 行/);
    await page.screenshot({ path: join(shots, 'import-09-progress-1366.png') });
    // A running check cannot be stopped; once checked, the job is cancelled instead of imported.
    await page.getByTestId('import-result').waitFor({ timeout: 360_000 });
    await page.getByTestId('import-cancel').click();
    await page.locator('.ant-popconfirm .ant-btn-dangerous').click();
    await page.locator('.import-file-step').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-history').innerText(), { timeout: 15_000 })
      .toContain('已取消');
    await page.close();
  }, 420_000);
});
