/**
 * Browser test of the public portal (no login) at phone width and 1366×768: search an institution by name,
 * open it, browse the published lists by county and category; then a county officer's registry, detail and
 * compliance pages. Screenshots land in .tmp/screens/training-e2e-*.png.
 */
import type {
  ComplianceReport,
  InstitutionPage,
  PublicInstitution,
  PublicInstitutionPage,
} from '@dudao/contracts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as h from './harness.js';

const COUNTY = '220302';
let e: h.E2e;
beforeAll(async () => {
  e = await h.startE2e('training');
});
afterAll(async () => {
  await e?.close();
});

async function publicGet<T>(page: Page, path: string): Promise<T> {
  return h.apiGet<T>(page, path);
}

describe.each([
  ['phone', h.PHONE],
  ['desktop', h.DESKTOP],
] as const)('the public portal on a %s', (name, viewport) => {
  it('finds an institution by name and shows what a parent needs, without any login', async () => {
    const page = await h.openPage(e, viewport);
    await page.goto(`${e.base}/portal`);
    const search = page
      .locator('input[data-testid="portal-search"], [data-testid="portal-search"] input')
      .first();
    await search.waitFor();
    const white = await publicGet<PublicInstitutionPage>(
      page,
      '/api/public/institutions?list=white&pageSize=5',
    );
    expect(white.total).toBeGreaterThan(0);
    const target = white.items[0]!;
    const part = target.name.slice(3, 8);
    await search.fill(part);
    await search.press('Enter');
    const card = page.getByTestId('portal-institution').filter({ hasText: target.name });
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await h.noSideways(page, viewport.width);
    await h.screenshot(page, `training-e2e-${name}-1-search`);
    await card.first().getByRole('link', { name: target.name }).click();
    await page.waitForURL((url) => url.pathname === `/portal/institutions/${target.id}`);
    const detail = page.getByTestId('portal-detail');
    await expect.poll(() => detail.innerText(), { timeout: 20_000 }).toContain(target.creditCode!);
    const text = await detail.innerText();
    expect(text).toContain('白名单');
    expect(text).toContain('办学许可证');
    expect(text).toContain(target.venues[0]!.address);
    expect(text).toContain('投诉举报');
    await h.noSideways(page, viewport.width);
    await h.screenshot(page, `training-e2e-${name}-2-detail`);
    // 投诉举报 opens the complaint form about this institution: kind, name and category filled in.
    await page.getByTestId('portal-complain').click();
    await page.waitForURL(
      (url) => url.pathname === '/portal/complaint' && url.searchParams.get('institution') === target.id,
    );
    const subject = page.getByTestId('pc-subject').locator('input');
    await expect.poll(() => subject.inputValue(), { timeout: 20_000 }).toBe(target.name);
    expect(await page.getByTestId('pc-category').innerText()).toContain('校外培训');
    expect(await page.locator('.ant-segmented-item-selected').innerText()).toContain('培训机构');
    await h.noSideways(page, viewport.width);
    await h.screenshot(page, `training-e2e-${name}-2b-complain`);
    await page.close();
  });

  it('browses the black list by county and the white list by category', async () => {
    const page = await h.openPage(e, viewport);
    await page.goto(`${e.base}/portal/lists`);
    await expect
      .poll(() => page.getByTestId('portal-institution').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.getByTestId('portal-tab-black').click();
    const black = await publicGet<PublicInstitutionPage>(
      page,
      '/api/public/institutions?list=black&pageSize=50',
    );
    expect(black.total).toBeGreaterThan(0);
    await expect
      .poll(
        async () => (await page.getByTestId('portal-institution').first().innerText()).includes('黑名单'),
        { timeout: 20_000 },
      )
      .toBe(true);
    const county = black.items[0]!.county.replace(/教育局$/, '');
    await page.getByTestId('portal-county').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: county })
      .first()
      .click();
    await expect
      .poll(
        async () => {
          const texts = await page.getByTestId('portal-institution').allInnerTexts();
          return texts.length > 0 && texts.every((t) => t.includes(county) && t.includes('黑名单'));
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await h.noSideways(page, viewport.width);
    await h.screenshot(page, `training-e2e-${name}-3-black`);
    await page.getByTestId('portal-tab-white').click();
    await page.locator('.ant-segmented-item').filter({ hasText: '非学科类' }).click();
    await expect
      .poll(
        async () => {
          const texts = await page.getByTestId('portal-institution').allInnerTexts();
          return texts.length > 0 && texts.every((t) => t.includes('非学科类') && t.includes('白名单'));
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await h.screenshot(page, `training-e2e-${name}-4-white`);
    // An institution still applying is never shown, even by its id.
    const all = await publicGet<PublicInstitutionPage>(page, '/api/public/institutions?pageSize=50');
    expect(all.items.every((i: PublicInstitution) => i.status !== 'applied')).toBe(true);
    await page.close();
  });
});

describe('the county officer', () => {
  it('sees the registry, an institution and the compliance chart of the county', async () => {
    const page = await h.openPage(e, h.DESKTOP);
    await h.login(e, page, h.account(e, 'county_admin', COUNTY));
    await page.goto(`${e.base}/training/institutions`);
    await expect
      .poll(() => page.getByTestId('training-table').locator('tbody tr').count(), { timeout: 20_000 })
      .toBeGreaterThan(5);
    await h.screenshot(page, 'training-e2e-5-staff-list');
    await page.getByTestId('training-table').locator('tbody tr a').first().click();
    await expect.poll(() => page.getByTestId('training-compliance').count(), { timeout: 20_000 }).toBe(1);
    await h.screenshot(page, 'training-e2e-6-staff-detail');
    await page.goto(`${e.base}/training/compliance`);
    await expect
      .poll(() => page.getByTestId('training-compliance-chart').locator('canvas').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId('training-lifecycle').innerText(), { timeout: 20_000 })
      .toMatch(/关停\d+所，取缔\d+所，学转非\d+所/);
    await h.screenshot(page, 'training-e2e-7-compliance');
    // Drill-down: clicking a bar opens the county's institutions under supervision failing that aspect.
    const report = await h.apiGet<ComplianceReport>(page, '/api/training/compliance');
    await clickChart(page, 'training-compliance-chart', 60);
    await page.waitForURL((url) => url.pathname === '/training/institutions');
    const search = new URL(page.url()).searchParams;
    expect(search.get('supervised')).toBe('yes');
    expect(search.get('compliant')).toBe('no');
    const row = report.rows.find((r) => r.unitId === search.get('unitId'))!;
    const aspect = (search.get('aspect') ?? 'all') as 'org' | 'venue' | 'staff' | 'docs' | 'funds' | 'all';
    const failing = await h.apiGet<InstitutionPage>(page, `/api/training/institutions?${search.toString()}`);
    expect(failing.total).toBe(row.total - row[aspect]);
    await expect
      .poll(() => page.getByTestId('training-table').locator('.ant-table-row').count(), { timeout: 20_000 })
      .toBe(Math.min(failing.total, 20));
    expect(await page.getByTestId('training-drill').innerText()).toContain('在管机构');
    await h.screenshot(page, 'training-e2e-7b-drill');
    await page.goto(`${e.base}/training/prepaid`);
    await expect
      .poll(() => page.getByTestId('training-violations').locator('tbody tr').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await h.screenshot(page, 'training-e2e-8-prepaid');
    await page.close();
  });

  it('prints the published white list and the compliance table on A4', async () => {
    const page = await h.openPage(e, h.DESKTOP);
    await h.login(e, page, h.account(e, 'county_admin', COUNTY));
    await page.goto(`${e.base}/training/lists`);
    await page.getByTestId('lists-print').click();
    await page.waitForURL((url) => url.pathname === '/training/print/white');
    const title = page.getByTestId('print-sheet-title');
    await expect.poll(() => title.count(), { timeout: 20_000 }).toBe(1);
    expect(await title.innerText()).toMatch(/^铁西区校外培训机构白名单（\d{4}年\d{1,2}月）$/);
    const white = await h.apiGet<InstitutionPage>(
      page,
      '/api/training/institutions?list=white&published=yes&pageSize=500',
    );
    expect(await page.getByTestId('print-sheet-table').locator('tbody tr').count()).toBe(white.total);
    expect(await page.getByTestId('print-sheet').innerText()).toContain('公示单位：铁西区教育局');
    await h.screenshot(page, 'training-e2e-9-print-white');
    await page.emulateMedia({ media: 'print' });
    await h.screenshot(page, 'training-e2e-9b-print-white-media');
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${e.base}/training/compliance`);
    await page.getByTestId('compliance-print').click();
    await page.waitForURL((url) => url.pathname === '/training/print/compliance');
    await expect
      .poll(() => page.getByTestId('print-sheet-title').innerText(), { timeout: 20_000 })
      .toContain('校外培训机构合规情况统计表');
    expect(await page.getByTestId('print-sheet-table').locator('tbody tr').count()).toBe(2);
    await h.screenshot(page, 'training-e2e-10-print-compliance');
    await page.close();
  });
});

/**
 * Clicks the first clickable item of an ECharts chart met along one horizontal line (`fromBottom` pixels
 * above the chart's bottom edge): ECharts shows the pointer cursor over a bar, point or slice.
 */
async function clickChart(page: Page, testId: string, fromBottom: number): Promise<void> {
  const chart = page.getByTestId(testId);
  await expect.poll(() => chart.locator('canvas').count(), { timeout: 20_000 }).toBeGreaterThan(0);
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
