/**
 * Browser test of the public portal (no login) at phone width and 1366×768: search an institution by name,
 * open it, browse the published lists by county and category; then a county officer's registry, detail and
 * compliance pages. Screenshots land in .tmp/screens/training-e2e-*.png.
 */
import type { PublicInstitution, PublicInstitutionPage } from '@dudao/contracts';
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
    await page.goto(`${e.base}/training/prepaid`);
    await expect
      .poll(() => page.getByTestId('training-violations').locator('tbody tr').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await h.screenshot(page, 'training-e2e-8-prepaid');
    await page.close();
  });
});
