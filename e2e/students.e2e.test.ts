/**
 * Browser test of the student registry pages (学籍): a school admin searches the roster by name and by pinyin
 * initials, opens a student, sees the history timeline and the masked ID number and reveals it; a county
 * admin changes a status and settles a transfer through the pages; a teacher only reads; the pages work on
 * a phone. Debian's Chromium driven by playwright-core (never a downloaded browser). Screenshots at
 * 1366×768 and 390×844 land in .tmp/screens/ (gitignored).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialsOf } from '../server/src/modules/students/initials.js';
import * as h from './harness.js';

const { shots, DESKTOP, PHONE, apiGet, isPhone, noSideways } = h;
/** A masked resident ID number: digits 7–14 (the birth date) hidden. */
const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;

interface ListedStudent {
  id: string;
  name: string;
  status: string;
  idNumberMasked: string | null;
  school: { id: string; name: string; code: string };
}

let e: h.E2e;
let base: string;

beforeAll(async () => {
  e = await h.startE2e('students');
  base = e.base;
});
afterAll(async () => {
  await e?.close();
});

const account = (role: string, unitCode: string) => h.account(e, role, unitCode);
const openPage = (viewport: { width: number; height: number }) => h.openPage(e, viewport);
const login = (page: Page, who: h.DemoAccount) => h.login(e, page, who);

/** Runs a search through the roster's one box and returns the names the list then shows. */
async function search(page: Page, q: string): Promise<string[]> {
  const box = page.getByTestId('student-search').locator('input');
  await box.fill(q);
  const answered = page.waitForResponse((r) => {
    const url = new URL(r.url());
    return url.pathname === '/api/students' && url.searchParams.get('q') === q;
  });
  await box.press('Enter');
  await answered;
  await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
  const names = isPhone(page)
    ? page.getByTestId('student-card').locator('.student-card-name')
    : page.getByTestId('student-row-open');
  return (await names.allInnerTexts()).map((n) => n.trim());
}

/** The list entry (row link or card) of a student with exactly this name. */
function entryOf(page: Page, name: string) {
  const exact = new RegExp(`^\\s*${name}\\s*$`);
  return isPhone(page)
    ? page.getByTestId('student-card').filter({ has: page.locator('.student-card-name', { hasText: exact }) })
    : page.getByTestId('student-row-open').filter({ hasText: exact });
}

/**
 * An enrolled student of the caller's area whose pinyin initials pick out at most a handful of students,
 * so that the search's first page surely holds them.
 */
async function distinctiveStudent(page: Page, query: string): Promise<ListedStudent> {
  const list = await apiGet<{ items: ListedStudent[] }>(
    page,
    `/api/students?status=enrolled&pageSize=40&${query}`,
  );
  for (const s of list.items) {
    if ([...s.name].length < 2 || !s.idNumberMasked) continue;
    const hits = await apiGet<{ total: number }>(
      page,
      `/api/students?q=${encodeURIComponent(initialsOf(s.name))}&pageSize=1`,
    );
    if (hits.total <= 5) return s;
  }
  throw new Error('no student with distinctive initials');
}

/** The pages never print a full ID number unless it is revealed. */
async function expectNoFullIdNumber(page: Page): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText);
  expect(text).not.toMatch(/(?<![\d*])\d{17}[\dX](?![\d*])/);
}

describe('student registry pages in the browser', () => {
  it('school admin searches by name and by pinyin initials, opens a student, sees the timeline and the masked ID', async () => {
    const admin = account('school_admin', '1220200001');
    const page = await openPage(DESKTOP);
    await login(page, admin);

    await page.getByTestId('nav-students').first().click();
    await page.waitForURL((url) => url.pathname === '/students');
    await page.getByTestId('student-row-open').first().waitFor();
    const masked = await page.getByTestId('student-id-masked').allInnerTexts();
    expect(masked.length).toBeGreaterThan(0);
    for (const m of masked) expect(m.trim()).toMatch(MASKED_ID);
    await expectNoFullIdNumber(page);
    await expect.poll(() => page.getByTestId('student-create-button').count()).toBe(1);
    await page.screenshot({ path: join(shots, 'students-01-roster-school.png') });

    const student = await distinctiveStudent(page, '');
    // By name: every row answers to it.
    const byName = await search(page, student.name);
    expect(byName).toContain(student.name);
    for (const n of byName) expect(n).toContain(student.name);
    // By pinyin initials: every row's initials begin with them.
    const initials = initialsOf(student.name);
    const byInitials = await search(page, initials);
    expect(byInitials).toContain(student.name);
    for (const n of byInitials) expect(initialsOf(n).startsWith(initials)).toBe(true);
    await page.screenshot({ path: join(shots, 'students-02-search-initials.png') });

    // 导出 links to the export of what the list shows, with the ID numbers masked.
    await page.getByTestId('student-export-button').click();
    const href = await page.getByTestId('student-export-csv').getAttribute('href');
    expect(href).toBe(`/api/students/export?format=csv&q=${initials}`);
    const csv = await page.evaluate(async (h) => {
      const res = await fetch(h);
      return { status: res.status, text: await res.text() };
    }, href!);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(student.name);
    expect(csv.text).not.toMatch(/(?<![\d*])\d{17}[\dX](?![\d*])/);
    await page.keyboard.press('Escape');

    // The detail page: basic information, the masked ID number, the timeline beginning with 建立学籍.
    await entryOf(page, student.name).first().click();
    await page.waitForURL((url) => url.pathname.startsWith('/students/'));
    await page.getByTestId('history-item').first().waitFor();
    expect(await page.getByTestId('student-name').innerText()).toBe(student.name);
    expect((await page.getByTestId('student-id-masked').innerText()).trim()).toMatch(MASKED_ID);
    expect(await page.getByTestId('history-item').first().innerText()).toContain('建立学籍');
    await expectNoFullIdNumber(page);
    await page.screenshot({ path: join(shots, 'students-03-detail.png') });

    // 显示完整身份证号: the full number, matching the masked one, and an audit event of the reveal.
    const shownMasked = (await page.getByTestId('student-id-masked').innerText()).trim();
    await page.getByTestId('student-reveal-id').click();
    const full = (await page.getByTestId('student-revealed-id').innerText()).trim();
    await page.waitForTimeout(500); // the dialog's opening animation, for the screenshot
    expect(full).toMatch(/^\d{17}[\dX]$/);
    expect(`${full.slice(0, 6)}********${full.slice(14)}`).toBe(shownMasked);
    await page.screenshot({ path: join(shots, 'students-04-reveal.png') });
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const events = await apiGet<{ items: { action: string }[] }>(page, `/api/audit?objectId=${id}`);
    expect(events.items.map((e) => e.action)).toContain('person.reveal');

    // The class roster and the classes of the school.
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-classes').first().click();
    await page.getByTestId('class-open').first().waitFor();
    await page.screenshot({ path: join(shots, 'students-05-classes.png') });
    await page.getByTestId('class-open').first().click();
    await page.getByTestId('roster-table').getByTestId('student-row-open').first().waitFor();
    await page.screenshot({ path: join(shots, 'students-06-roster.png') });
    await page.close();
  });

  it('county admin searches the county, changes a status and settles a transfer through the pages', async () => {
    const admin = account('county_admin', '220302');
    const page = await openPage(DESKTOP);
    await login(page, admin);
    await page.getByTestId('nav-students').first().click();
    await page.getByTestId('student-row-open').first().waitFor();
    await page.screenshot({ path: join(shots, 'students-07-roster-county.png') });

    const schools = await apiGet<{ items: { id: string; code: string; name: string }[] }>(
      page,
      '/api/units?kind=school&q=12202000',
    );
    const from = schools.items.find((s) => s.code === '1220200001')!;
    const to = schools.items.find((s) => s.code === '1220200003')!;
    const student = await distinctiveStudent(page, `schoolId=${from.id}`);
    const byInitials = await search(page, initialsOf(student.name));
    expect(byInitials).toContain(student.name);

    await page.goto(`${base}/students/${student.id}`);
    await page.getByTestId('history-item').first().waitFor();
    expect((await page.getByTestId('student-id-masked').innerText()).trim()).toMatch(MASKED_ID);

    // 学籍变动: 休学, then 复学; each lands on the timeline.
    // The newest dialog (a closing one may still be fading out).
    const modal = page.getByRole('dialog').last();
    await page.getByTestId('student-status-button').click();
    await page.getByTestId('student-status-reason').fill('因病休学（浏览器测试）');
    await page.screenshot({ path: join(shots, 'students-08-status-modal.png') });
    await modal.getByRole('button', { name: /确\s*定/ }).click();
    await expect
      .poll(() => page.getByTestId('history-item').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining('因病休学（浏览器测试）')]));
    expect(await page.getByTestId('student-basic').getByTestId('student-status').innerText()).toBe('休学');
    await page.getByTestId('student-status-button').click();
    await page.getByTestId('student-status-choice').getByText('复学').click();
    await page.getByTestId('student-status-reason').fill('病愈复学');
    await modal.getByRole('button', { name: /确\s*定/ }).click();
    await expect
      .poll(() => page.getByTestId('student-basic').getByTestId('student-status').innerText())
      .toBe('在读');

    // 编辑信息: a correction through the drawer.
    await page.getByTestId('student-edit-button').click();
    await page.getByTestId('student-form-address').fill('吉林省四平市铁西区英雄路8号');
    await page.getByTestId('student-form-submit').click();
    await expect.poll(() => page.getByTestId('student-basic').innerText()).toContain('英雄路8号');

    // 申请转学 to another school by its code; the receiving side confirms it on the transfers page.
    await page.getByTestId('student-transfer-button').click();
    await page.getByTestId('transfer-target-how').getByText('按学校标识码').click();
    await page.getByTestId('transfer-target-code').fill(to.code);
    await page.getByTestId('transfer-reason').fill('随父母搬家，就近入学');
    await modal.getByRole('button', { name: /申请转学/ }).click();
    await page.getByTestId('student-pending-transfer').waitFor();

    await page.getByTestId('nav-transfers').first().click();
    const row = page.getByTestId('transfer-table').locator('tr', { hasText: student.name });
    await row.waitFor();
    await page.screenshot({ path: join(shots, 'students-09-transfers.png') });
    await row.getByTestId('transfer-confirm').click();
    await modal.getByRole('button', { name: /接\s*收/ }).click();
    await expect.poll(() => row.count()).toBe(0);
    await page.getByTestId('transfer-tab-decided').click();
    await expect
      .poll(() => page.getByTestId('transfer-table').innerText(), { timeout: 15_000 })
      .toContain(student.name);

    // The student now belongs to the receiving school; the timeline shows both halves of the move.
    await page.goto(`${base}/students/${student.id}`);
    await page.getByTestId('history-item').first().waitFor();
    const history = (await page.getByTestId('history-item').allInnerTexts()).join('\n');
    expect(history).toContain('转出');
    expect(history).toContain('转入');
    expect(await page.getByTestId('student-basic').innerText()).toContain(to.name);
    await page.screenshot({ path: join(shots, 'students-10-detail-after-transfer.png'), fullPage: true });

    // The consistency report: counts per finding, rows linking to students.
    await page.getByTestId('nav-student-checks').first().click();
    await page.getByTestId('check-student').first().waitFor();
    const overAge = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/students/checks' && r.url().includes('type=over_age'),
    );
    await page.getByTestId('check-count-over_age').click();
    await overAge;
    // The table re-renders after the answer: wait until it shows only over-age rows (and some).
    const rowTexts = () => page.getByTestId('check-table').locator('tbody tr.ant-table-row').allInnerTexts();
    await expect
      .poll(async () => {
        const rows = await rowTexts();
        return rows.length > 0 && rows.every((r) => r.includes('超龄'));
      })
      .toBe(true);
    await page.screenshot({ path: join(shots, 'students-11-checks.png') });
    await page.close();
  });

  it('a teacher reads but is offered no changes and no reveal', async () => {
    const teacher = account('teacher', '1220200001');
    const page = await openPage(DESKTOP);
    await login(page, teacher);
    await page.goto(`${base}/students`);
    await page.getByTestId('student-row-open').first().waitFor();
    expect(await page.getByTestId('student-create-button').count()).toBe(0);
    expect(await page.getByTestId('student-import-button').count()).toBe(0);
    await page.getByTestId('student-row-open').first().click();
    await page.getByTestId('history-item').first().waitFor();
    expect(await page.getByTestId('student-reveal-id').count()).toBe(0);
    expect(await page.getByTestId('student-edit-button').count()).toBe(0);
    await expectNoFullIdNumber(page);
    await page.close();
  });

  it('works on a phone: cards, search by initials, the detail page without sideways scrolling', async () => {
    const admin = account('school_admin', '1220200001');
    const page = await openPage(PHONE);
    await login(page, admin);
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('nav-students').first().click();
    await page.getByTestId('student-card').first().waitFor();
    await noSideways(page, PHONE.width);
    await page.screenshot({ path: join(shots, 'students-12-phone-roster.png') });

    const student = await distinctiveStudent(page, '');
    const names = await search(page, initialsOf(student.name));
    expect(names).toContain(student.name);
    await entryOf(page, student.name).first().click();
    await page.getByTestId('history-item').first().waitFor();
    expect((await page.getByTestId('student-id-masked').innerText()).trim()).toMatch(MASKED_ID);
    await noSideways(page, PHONE.width);
    await page.screenshot({ path: join(shots, 'students-13-phone-detail.png'), fullPage: true });

    await page.goto(`${base}/transfers`);
    await page.getByTestId('transfer-tab-pending').waitFor();
    await noSideways(page, PHONE.width);
    const checks = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/students/checks');
    await page.goto(`${base}/students/checks`);
    await checks;
    await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
    await page.waitForTimeout(500); // the list's fade-in, for the screenshot
    await noSideways(page, PHONE.width);
    await page.screenshot({ path: join(shots, 'students-14-phone-checks.png') });
    await page.close();
  });
});
