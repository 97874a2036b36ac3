/**
 * Browser test of 控辍保学 end to end: a class teacher, on a phone, marks one pupil 旷课 on the last three
 * school days; the detection (run now by the city) raises a case; the school head, at 1366×768, confirms it
 * and records a persuasion step (教育劝返) with who and what; the school's 动态清零 dashboard count moves by
 * exactly that case. Screenshots land in .tmp/screens/dropout-e2e-*.png.
 */
import type { AttendanceClass, CaseBoardPage, CaseDetail, CalendarDay, Dashboard } from '@dudao/contracts';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../server/src/platform/auth/totp.js';
import { addDays, chinaToday } from '../server/src/platform/dates.js';
import * as h from './harness.js';

let e: h.E2e;
beforeAll(async () => {
  e = await h.startE2e('dropout');
});
afterAll(async () => {
  await e?.close();
});

async function signedIn(who: h.DemoAccount, viewport = h.PHONE): Promise<Page> {
  const page = await h.openPage(e, viewport);
  await h.login(e, page, who);
  return page;
}

describe('控辍保学: attendance → case → persuasion → dashboard', () => {
  let teacher: h.DemoAccount;
  let schoolId: string;
  let pupil: string;
  let before: Dashboard;
  let caseId: string;

  it('a class teacher marks a pupil 旷课 on the last three school days, on a phone', async () => {
    teacher = h.account(e, 'teacher');
    const page = await signedIn(teacher);
    const today = chinaToday();
    const [own] = (await h.apiGet<AttendanceClass[]>(page, `/api/attendance/classes?date=${today}`)).filter(
      (c) => c.own,
    );
    expect(own).toBeDefined();
    schoolId = own!.schoolId;
    const days = (
      await h.apiGet<CalendarDay[]>(
        page,
        `/api/calendar/days?schoolId=${schoolId}&from=${addDays(today, -20)}&to=${today}`,
      )
    )
      .filter((d) => d.schoolDay)
      .map((d) => d.date)
      .slice(-3);
    expect(days).toHaveLength(3);
    // Someone with no open case yet.
    const open = await h.apiGet<CaseBoardPage>(page, '/api/dropout/board?metric=open&pageSize=500');
    const openIds = new Set(open.items.map((c) => c.studentId));
    let name = '';
    for (const [i, day] of days.entries()) {
      await page.goto(`${e.base}/attendance?date=${day}`);
      const rows = page.getByTestId('attendance-roster').locator('li');
      await page.getByTestId('attendance-roster').waitFor();
      await expect.poll(async () => rows.count(), { timeout: 20_000 }).toBeGreaterThan(3);
      if (i === 0) {
        const sheet = await h.apiGet<{ students: { id: string; name: string }[] }>(
          page,
          `/api/attendance/sheet?classId=${own!.id}&date=${day}`,
        );
        const pick = sheet.students.find((s) => !openIds.has(s.id))!;
        pupil = pick.id;
        name = pick.name;
      }
      const row = rows.filter({ hasText: name });
      for (let k = 0; k < 5 && !(await row.getAttribute('class'))!.includes('is-unexcused'); k++)
        await row.locator('button.attendance-tap').click();
      await expect.poll(async () => row.getAttribute('class'), { timeout: 20_000 }).toContain('is-unexcused');
      await row.locator('input').fill('电话联系不上家长');
      if (i === 2) {
        await h.noSideways(page, h.PHONE.width);
        await h.screenshot(page, 'dropout-e2e-1-teacher-attendance');
      }
      await page.getByTestId('attendance-submit').click();
      await page.getByTestId('attendance-submitted').waitFor();
    }
    const sheet = await h.apiGet<{ students: { id: string; kind: string | null }[] }>(
      page,
      `/api/attendance/sheet?classId=${own!.id}&date=${days[2]}`,
    );
    expect(sheet.students.find((s) => s.id === pupil)!.kind).toBe('unexcused');
    await page.close();
  });

  it('the detection raises the case', async () => {
    const head = await signedIn(h.account(e, 'school_admin', teacher.unit.code), h.DESKTOP);
    before = await h.apiGet<Dashboard>(head, `/api/dropout/dashboard?under=${schoolId}`);
    const city = h.account(e, 'city_admin');
    const page = await h.openPage(e, h.DESKTOP);
    await page.goto(e.base);
    const r = await page.evaluate(
      async ({ who, totp }) => {
        const login = await fetch('/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: who.username, password: who.password, totp }),
        });
        const { csrfToken } = (await login.json()) as { csrfToken: string };
        const res = await fetch('/api/dropout/scan', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
          body: '{}',
        });
        return { status: res.status, body: (await res.json()) as { newCases: number } };
      },
      { who: city, totp: city.totpSecret ? currentTotp(city.totpSecret) : undefined },
    );
    expect(r.status).toBe(200);
    expect(r.body.newCases).toBeGreaterThanOrEqual(1);
    await page.close();
    const board = await h.apiGet<CaseBoardPage>(
      head,
      `/api/dropout/board?under=${schoolId}&metric=open&pageSize=500`,
    );
    const found = board.items.find((c) => c.studentId === pupil);
    expect(found).toMatchObject({ status: 'suspected', reason: 'consecutiveAbsence' });
    caseId = found!.id;
    const after = await h.apiGet<Dashboard>(head, `/api/dropout/dashboard?under=${schoolId}`);
    expect(after.total.openCases).toBe(before.total.openCases + 1);
    expect(after.total.newThisWeek).toBe(before.total.newThisWeek + 1);
    await head.close();
  });

  it('the school head confirms it and records a persuasion step', async () => {
    const head = await signedIn(h.account(e, 'school_admin', teacher.unit.code), h.DESKTOP);
    await head.goto(`${e.base}/dropout/cases?metric=open`);
    await head.getByTestId('case-link').first().waitFor();
    await h.screenshot(head, 'dropout-e2e-2-cases');
    await head.goto(`${e.base}/dropout/cases/${caseId}`);
    await head.getByTestId('case-confirm').click();
    await expect
      .poll(async () => head.getByTestId('case-status').textContent(), { timeout: 20_000 })
      .toBe('辍学劝返中');
    await head.getByTestId('step-people').fill('王校长、李村支书');
    await head.getByTestId('step-action').fill('入户家访，宣讲义务教育法，家长同意三日内送孩子返校');
    await head.getByTestId('step-save').click();
    await head.getByText('王校长、李村支书').first().waitFor();
    await h.noSideways(head, h.DESKTOP.width);
    await h.screenshot(head, 'dropout-e2e-3-case');
    const c = await h.apiGet<CaseDetail>(head, `/api/dropout/cases/${caseId}`);
    expect(c).toMatchObject({ status: 'dropout', step: 1 });
    expect(c.steps).toHaveLength(1);
    expect(c.steps[0]).toMatchObject({ stepNo: 1, people: '王校长、李村支书' });
    expect(c.lines.edu.map((p) => p.level)).toEqual(['county', 'school', 'class']);
    expect(c.timeline.map((t) => t.kind)).toEqual(['confirmed', 'step']);
    await head.close();
  });

  it('the dashboard shows it, and the number drills down to the case', async () => {
    const head = await signedIn(h.account(e, 'school_admin', teacher.unit.code), h.DESKTOP);
    await head.goto(`${e.base}/dropout/dashboard?under=${schoolId}`);
    const fig = head.getByTestId('fig-openCases');
    await expect
      .poll(async () => fig.textContent(), { timeout: 20_000 })
      .toContain(String(before.total.openCases + 1));
    await head.getByTestId('trend-chart').waitFor();
    await h.screenshot(head, 'dropout-e2e-4-dashboard');
    await fig.getByTestId('dd-openCases').click();
    await head.waitForURL((url) => url.pathname === '/dropout/cases');
    await head.getByTestId('case-link').first().waitFor();
    expect(await head.getByTestId('case-link').allTextContents()).toContain(
      (await h.apiGet<CaseDetail>(head, `/api/dropout/cases/${caseId}`)).studentName,
    );
    await head.close();
    // The teacher's phone shows the dashboard without sideways scrolling.
    const phone = await signedIn(teacher);
    await phone.goto(`${e.base}/dropout/dashboard`);
    await phone.getByTestId('fig-openCases').waitFor();
    await h.noSideways(phone, h.PHONE.width);
    await h.screenshot(phone, 'dropout-e2e-5-dashboard-phone');
    await phone.close();
  });

  it('批量导入考勤 opens the shared wizard for attendance, on a phone and at 1366×768', async () => {
    for (const viewport of [h.PHONE, h.DESKTOP]) {
      const page = await signedIn(teacher, viewport);
      await page.goto(`${e.base}/attendance`);
      await page.getByTestId('attendance-import-button').click();
      await page.waitForURL((url) => url.pathname === '/attendance/import');
      await page.getByTestId('import-wizard').waitFor();
      // The official template is the attendance one (its CSV header holds the Chinese columns).
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('import-template-csv').first().click(),
      ]);
      const header = readFileSync(await file.path(), 'utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)[0];
      expect(header).toBe('*日期,学籍号,身份证号,姓名,*考勤,原因');
      if (viewport === h.PHONE) await h.noSideways(page, h.PHONE.width);
      await h.screenshot(
        page,
        `dropout-e2e-6-attendance-import-${viewport === h.PHONE ? 'phone' : 'desktop'}`,
      );
      await page.close();
    }
  });
});
