/**
 * Browser test of the findings loop on a phone (390×844): a responsibility inspector records a visit with a
 * problem item and a photo, the problem lands in the ledger with a 整改通知书; the school's admin submits the
 * rectification report; the inspector verifies and closes it; the county's statistics move by exactly that
 * finding. Then the ledger, the statistics page and the notice at 1366×768. Screenshots land in
 * .tmp/screens/findings-e2e-*.png.
 */
import type { FindingDetail, FindingStats, Notice, VisitDetail } from '@dudao/contracts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday } from '../server/src/platform/dates.js';
import * as h from './harness.js';

/** A small JPEG-free PNG photo (1×1). */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const COUNTY = '220302';

let e: h.E2e;
beforeAll(async () => {
  e = await h.startE2e('findings');
});
afterAll(async () => {
  await e?.close();
});

async function signedIn(who: h.DemoAccount, viewport = h.PHONE): Promise<Page> {
  const page = await h.openPage(e, viewport);
  await h.login(e, page, who);
  return page;
}

async function countyStats(page: Page): Promise<FindingStats> {
  const me = await h.apiGet<{ user: { unit: { id: string } } }>(page, '/api/auth/me');
  return h.apiGet<FindingStats>(page, `/api/findings/stats?under=${me.user.unit.id}`);
}

describe('the findings loop on a phone', () => {
  let visit: VisitDetail;
  let findingId: string;
  let before: FindingStats;

  it('an inspector records a visit with a problem and a photo; it becomes a finding with a notice', async () => {
    const admin = await signedIn(h.account(e, 'county_admin', COUNTY), h.DESKTOP);
    before = await countyStats(admin);
    await admin.close();

    const page = await signedIn(h.account(e, 'inspector', COUNTY));
    await page.goto(`${e.base}/inspectors/visits/new`);
    const school = page.getByTestId('visit-school');
    await school.click();
    await page.locator('.ant-select-item-option').first().click();
    await page.getByTestId('visit-methods').getByText('随机听课').click();
    await page.getByTestId('visit-methods').getByText('查阅资料').click();
    const item = page.getByTestId('visit-item-canteen_dorm');
    await item.locator('.ant-checkbox-input').check();
    await item.getByText('有问题', { exact: true }).click();
    await item.locator('textarea').fill('食堂留样柜温度记录缺失三天');
    await item.locator('input[type="file"]').first().setInputFiles({
      name: 'liuyang.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await expect.poll(() => item.locator('img').count()).toBeGreaterThan(0);
    await page.getByTestId('visit-summary').fill('随机听课两节，查阅食堂台账。');
    await h.screenshot(page, 'findings-e2e-1-visit-form');
    await page.getByTestId('visit-submit').click();
    await page.waitForURL((url) => /^\/inspectors\/visits\/[0-9a-f-]{36}$/.test(url.pathname));
    await h.noSideways(page, h.PHONE.width);
    await h.screenshot(page, 'findings-e2e-2-visit');

    const id = new URL(page.url()).pathname.split('/').pop()!;
    visit = await h.apiGet<VisitDetail>(page, `/api/inspectors/visits/${id}`);
    const problem = visit.items.find((i) => i.item === 'canteen_dorm')!;
    expect(problem).toMatchObject({ result: 'problem', notes: '食堂留样柜温度记录缺失三天' });
    expect(problem.fileIds).toHaveLength(1);
    findingId = problem.finding!.id;
    const finding = await h.apiGet<FindingDetail>(page, `/api/findings/${findingId}`);
    expect(finding).toMatchObject({
      source: 'inspector_visit',
      sourceType: 'inspector_visit',
      sourceId: visit.id,
      category: 'canteen_dorm',
      status: 'notified',
      unitId: visit.schoolId,
    });
    expect(finding.files).toHaveLength(1);
    expect(finding.noticeNo).toMatch(/整改〔\d{4}〕\d+号$/);
    await page.close();
  });

  it('the school submits its rectification report from its phone', async () => {
    const page = await signedIn(h.account(e, 'school_admin', visit.schoolCode));
    await page.goto(`${e.base}/findings/${findingId}`);
    await page.getByTestId('finding-act-submit').click();
    await page.getByTestId('finding-action-report').fill('已更换留样柜温度计，补齐记录，专人每日登记。');
    await page.getByTestId('finding-action-completed').fill(chinaToday());
    await h.screenshot(page, 'findings-e2e-3-submit');
    await page.getByTestId('finding-action-ok').click();
    await expect
      .poll(async () => (await h.apiGet<FindingDetail>(page, `/api/findings/${findingId}`)).status)
      .toBe('submitted');
    await expect
      .poll(() => page.locator('[data-testid="finding-event"][data-kind="submit"]').count())
      .toBe(1);
    await h.noSideways(page, h.PHONE.width);
    await page.close();
  });

  it('the inspector verifies and closes it, and the county statistics move by exactly that finding', async () => {
    const page = await signedIn(h.account(e, 'inspector', COUNTY));
    await page.goto(`${e.base}/findings/${findingId}`);
    await page.getByTestId('finding-act-verify').click();
    await page.getByTestId('finding-action-ok').click();
    await expect
      .poll(async () => (await h.apiGet<FindingDetail>(page, `/api/findings/${findingId}`)).status)
      .toBe('closed');
    await expect.poll(() => page.locator('[data-testid="finding-event"][data-kind="close"]').count()).toBe(1);
    await h.screenshot(page, 'findings-e2e-4-closed');
    await page.close();

    const admin = await signedIn(h.account(e, 'county_admin', COUNTY), h.DESKTOP);
    const after = await countyStats(admin);
    expect({ found: after.found - before.found, rectified: after.rectified - before.rectified }).toEqual({
      found: 1,
      rectified: 1,
    });
    expect(after.open).toBe(before.open);
    // The page shows the same figures in its sentence.
    await admin.goto(`${e.base}/findings/stats?period=all`);
    await expect
      .poll(() => admin.getByTestId('finding-stats-sentence').innerText())
      .toContain(after.sentence.zh);
    await h.noSideways(admin, h.DESKTOP.width);
    await h.screenshot(admin, 'findings-e2e-5-stats');

    // The ledger lists it closed; the notice prints with the school and the item.
    await admin.goto(`${e.base}/findings?sourceType=inspector_visit&sourceId=${visit.id}`);
    await admin.waitForResponse((r) => new URL(r.url()).pathname === '/api/findings').catch(() => undefined);
    await h.screenshot(admin, 'findings-e2e-6-ledger');
    await expect.poll(() => admin.locator('main').innerText()).toContain('已销号');
    const finding = await h.apiGet<FindingDetail>(admin, `/api/findings/${findingId}`);
    const notice = await h.apiGet<Notice>(admin, `/api/findings/notices/${finding.noticeId}`);
    await admin.goto(`${e.base}/findings/notices/${notice.id}`);
    await expect(admin.getByTestId('notice-no').innerText()).resolves.toContain(notice.no);
    await expect(admin.getByTestId('notice-recipient').innerText()).resolves.toContain(visit.schoolName);
    await expect(admin.getByTestId('notice-items').innerText()).resolves.toContain(
      '食堂留样柜温度记录缺失三天',
    );
    await h.screenshot(admin, 'findings-e2e-7-notice');
    await admin.close();
  });
});
