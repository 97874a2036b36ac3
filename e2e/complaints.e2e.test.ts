/**
 * Browser test of the complaints desk and the public portal: on a phone (390 px) a parent files a complaint
 * about a school through /portal/complaint (captcha answered from the picture), gets the tracking number and
 * checks progress on /portal/track; the county desk routes it, the school's admin accepts and replies in the
 * desk pages (1366×768); the tracking page shows the reply and takes the parent's satisfaction, and the
 * statistics page shows the figures. Screenshots land in .tmp/screens/complaints-e2e-*.png.
 */
import type { ComplaintPage, ComplaintStats, PublicComplaintView } from '@dudao/contracts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as h from './harness.js';

let e: h.E2e;
beforeAll(async () => {
  e = await h.startE2e('complaints');
});
afterAll(async () => {
  await e?.close();
});

/** Reads the arithmetic from the captcha's SVG, as a person reads the picture. */
async function solveCaptcha(page: Page): Promise<string> {
  const svg = page.getByTestId('pc-captcha').locator('svg');
  await expect.poll(() => svg.count(), { timeout: 45_000 }).toBe(1);
  const text = (await svg.locator('text').allTextContents()).join('');
  const m = /(\d+)\s*([+−])\s*(\d+)/.exec(text);
  if (!m) throw new Error(`captcha text: ${text}`);
  const [a, b] = [Number(m[1]), Number(m[3])];
  return String(m[2] === '+' ? a + b : a - b);
}

async function post<T>(page: Page, path: string, body: unknown): Promise<T> {
  return page.evaluate(
    async ({ p, b }) => {
      const csrf = /(?:^|;\s*)dudao_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const res = await fetch(p, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify(b),
      });
      if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    { p: path, b: body },
  );
}

describe('a parent’s complaint, answered by the school', () => {
  let trackingNo = '';
  let complaintId = '';
  const schoolAdmin = () => h.account(e, 'school_admin');
  /** The desk of the school's county (found as the public finds it: the school's county name). */
  const countyAdmin = async () => {
    const q = encodeURIComponent(schoolAdmin().unit.name);
    const [target] = (await (await fetch(`${e.base}/api/public/complaint-targets?q=${q}`)).json()) as {
      countyName: string;
    }[];
    return e.accounts.find((a) => a.role === 'county_admin' && a.unit.name === target!.countyName)!;
  };

  it('files a complaint on a phone and gets a tracking number', async () => {
    const school = schoolAdmin().unit;
    const page = await h.openPage(e, h.PHONE);
    await page.goto(`${e.base}/portal/complaint`);
    await page.getByTestId('pc-subject').locator('input').fill(school.name.slice(0, 6));
    await page
      .locator(
        `.ant-select-item-option[title="${school.name}"], .ant-select-item-option:has-text("${school.name}")`,
      )
      .first()
      .click();
    await h.pickOption(page, 'pc-category', '教育收费');
    await page.getByTestId('pc-title').fill('学校统一征订教辅资料');
    await page
      .getByTestId('pc-content')
      .fill('班主任要求每位学生购买指定教辅资料，每套 168 元，不买的学生被点名。');
    await page.getByTestId('pc-phone').fill('13912345678');
    await page.getByTestId('pc-captcha-answer').fill(await solveCaptcha(page));
    await h.noSideways(page, h.PHONE.width);
    await h.screenshot(page, 'complaints-e2e-1-form-phone');
    await page.getByTestId('pc-submit').click();
    const no = page.getByTestId('tracking-no');
    await expect.poll(() => no.count(), { timeout: 45_000 }).toBe(1);
    trackingNo = (await no.innerText()).trim();
    expect(trackingNo).toMatch(/^TS\d{8}-[0-9A-Z]{10}$/);
    await h.screenshot(page, 'complaints-e2e-2-receipt-phone');

    await page.getByTestId('go-track').click();
    await page.getByTestId('pt-last4').fill('5678');
    await page.getByTestId('pt-query').click();
    await expect.poll(() => page.getByTestId('pt-status').innerText(), { timeout: 45_000 }).toBe('待分派');
    const body = await page.locator('body').innerText();
    expect(body).not.toContain('13912345678');
    await h.noSideways(page, h.PHONE.width);
    await h.screenshot(page, 'complaints-e2e-3-track-phone');
    await page.close();
  });

  it('the desk routes it; the school accepts and replies at 1366×768', async () => {
    const county = await h.openPage(e, h.DESKTOP);
    await h.login(e, county, await countyAdmin());
    const list = await h.apiGet<ComplaintPage>(county, `/api/complaints?q=${trackingNo}`);
    expect(list.items).toHaveLength(1);
    complaintId = list.items[0]!.id;
    const schoolUnit = await h.apiGet<{ items: { id: string; code: string }[] }>(
      county,
      `/api/units?q=${encodeURIComponent(schoolAdmin().unit.name)}&pageSize=5`,
    );
    const schoolId = schoolUnit.items.find((u) => u.code === schoolAdmin().unit.code)!.id;
    await post(county, `/api/complaints/${complaintId}/route`, { unitId: schoolId, note: '请学校核实' });
    await county.goto(`${e.base}/complaints`);
    await expect
      .poll(() => county.getByTestId('complaints-table').innerText(), { timeout: 45_000 })
      .toContain('学校统一征订教辅资料');
    await h.screenshot(county, 'complaints-e2e-4-inbox-desktop');
    await county.close();

    const page = await h.openPage(e, h.DESKTOP);
    await h.login(e, page, schoolAdmin());
    await page.goto(`${e.base}/complaints/${complaintId}`);
    await page.getByTestId('c-accept').click();
    await page.getByTestId('c-reply').click();
    await page
      .getByTestId('c-reply-input')
      .fill('经核查，学校已停止统一征订教辅资料，已收取的费用全额退还。');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('c-reply-text').count(), { timeout: 45_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('c-phone').innerText(), { timeout: 45_000 }).toBe('139****5678');
    await page.getByTestId('c-reveal').click();
    await expect.poll(() => page.getByTestId('c-phone').innerText(), { timeout: 45_000 }).toBe('13912345678');
    await h.screenshot(page, 'complaints-e2e-5-detail-desktop');
    await page.close();
  });

  it('the tracking page shows the reply and takes the satisfaction, on a phone and at 1366×768', async () => {
    for (const viewport of [h.PHONE, h.DESKTOP]) {
      const page = await h.openPage(e, viewport);
      await page.goto(`${e.base}/portal/track?no=${trackingNo}`);
      await page.getByTestId('pt-last4').fill('5678');
      await page.getByTestId('pt-query').click();
      await expect.poll(() => page.getByTestId('pt-reply').count(), { timeout: 45_000 }).toBe(1);
      expect(await page.getByTestId('pt-reply').innerText()).toContain('全额退还');
      const text = await page.locator('body').innerText();
      for (const secret of ['13912345678', '请学校核实']) expect(text).not.toContain(secret);
      if (viewport === h.PHONE) {
        await h.noSideways(page, h.PHONE.width);
        await h.screenshot(page, 'complaints-e2e-6-reply-phone');
        await page.getByTestId('pt-rate').getByText('满意', { exact: true }).click();
        await page.getByTestId('pt-rate').getByRole('button', { name: '提交评价' }).click();
        await expect
          .poll(() => page.getByTestId('pt-status').innerText(), { timeout: 45_000 })
          .toBe('已办结');
      } else {
        await h.screenshot(page, 'complaints-e2e-7-closed-desktop');
      }
      await page.close();
    }
    const view = await fetch(`${e.base}/api/public/complaints/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trackingNo, phoneLast4: '5678' }),
    }).then((r) => r.json() as Promise<PublicComplaintView>);
    expect(view).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
  });

  it('the statistics page charts the desk’s figures', async () => {
    const page = await h.openPage(e, h.DESKTOP);
    await h.login(e, page, await countyAdmin());
    await page.goto(`${e.base}/complaints/stats`);
    await expect
      .poll(() => page.getByTestId('complaint-sentence').innerText(), { timeout: 45_000 })
      .toContain('受理群众诉求');
    await expect
      .poll(() => page.getByTestId('chart-unit').locator('canvas').count(), { timeout: 45_000 })
      .toBeGreaterThan(0);
    await h.screenshot(page, 'complaints-e2e-8-stats-desktop');
    // Drill-down: a slice of the category chart opens the complaints of that category it counted.
    const stats = await h.apiGet<ComplaintStats>(page, '/api/complaints/stats');
    const pie = page.getByTestId('chart-category');
    await pie.scrollIntoViewIfNeeded();
    const box = (await pie.boundingBox())!;
    await clickChart(page, 'chart-category', box.height * 0.55);
    await page.waitForURL((url) => url.pathname === '/complaints' && url.searchParams.has('category'));
    const search = new URL(page.url()).searchParams;
    expect(search.get('state')).toBe('received');
    const category = stats.byCategory.find((c) => c.category === search.get('category'))!;
    const list = await h.apiGet<ComplaintPage>(page, `/api/complaints?${search.toString()}&pageSize=500`);
    expect(list.total).toBe(category.received);
    await expect
      .poll(() => page.getByTestId('complaints-table').locator('.ant-table-row').count(), { timeout: 45_000 })
      .toBe(Math.min(category.received, 20));
    await h.screenshot(page, 'complaints-e2e-8b-drill-desktop');
    // The list prints as the ledger (工单台账), on A4.
    await page.getByTestId('complaints-print').click();
    await page.waitForURL((url) => url.pathname === '/complaints/print');
    await expect
      .poll(() => page.getByTestId('print-sheet-title').innerText(), { timeout: 45_000 })
      .toContain('群众诉求办理台账');
    expect(await page.getByTestId('print-sheet-table').locator('tbody tr').count()).toBe(list.total);
    expect(await page.getByTestId('print-sheet').innerText()).not.toMatch(/1[3-9]\d{9}/);
    await h.screenshot(page, 'complaints-e2e-8c-print-desktop');
    await page.close();
    const phone = await h.openPage(e, h.PHONE);
    await h.login(e, phone, await countyAdmin());
    await phone.goto(`${e.base}/complaints/stats`);
    await expect.poll(() => phone.getByTestId('complaint-sentence').count(), { timeout: 45_000 }).toBe(1);
    await h.noSideways(phone, h.PHONE.width);
    await h.screenshot(phone, 'complaints-e2e-9-stats-phone');
    await phone.close();
  });
});

/**
 * Clicks the first clickable item of an ECharts chart met along one horizontal line (`fromBottom` pixels
 * above the chart's bottom edge): ECharts shows the pointer cursor over a bar, point or slice.
 */
async function clickChart(page: Page, testId: string, fromBottom: number): Promise<void> {
  const chart = page.getByTestId(testId);
  await expect.poll(() => chart.locator('canvas').count(), { timeout: 45_000 }).toBeGreaterThan(0);
  const box = (await chart.boundingBox())!;
  const canvas = chart.locator('canvas').first();
  const y = box.y + box.height - fromBottom;
  for (let x = box.x + 10; x < box.x + box.width - 10; x += 3) {
    await page.mouse.move(x, y);
    const cursor = await canvas.evaluate((c) => (c.parentElement as HTMLElement).style.cursor);
    if (cursor === 'pointer') {
      await page.mouse.click(x, y);
      return;
    }
  }
  throw new Error(`nothing clickable in ${testId}`);
}
