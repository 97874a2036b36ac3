/**
 * Browser test of the foundation: a county admin logs in, walks the org tree, creates a school and finds
 * its audit event; the city admin logs in with a TOTP code; the shell works on a phone. Debian's Chromium
 * driven by playwright-core (never a downloaded browser). Screenshots land in .tmp/screens/foundation/.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../server/src/platform/auth/totp.js';
import * as h from './harness.js';

const shots = join(h.shots, 'foundation');

let e: h.E2e;
let base: string;
let browser: Browser;
let accounts: h.DemoAccount[];

beforeAll(async () => {
  e = await h.startE2e('foundation');
  ({ base, browser, accounts } = e);
});
afterAll(async () => {
  await e?.close();
});

async function login(page: Page, username: string, password: string, totp?: string): Promise<void> {
  await page.goto(base);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  if (totp !== undefined) {
    await page.getByTestId('login-totp').fill(totp);
    await page.getByTestId('login-submit').click();
  }
  await page.waitForURL((url) => url.pathname.startsWith('/dashboard'));
}

describe('foundation in the browser', () => {
  it('county admin walks the tree, creates a school and finds its audit event', async () => {
    const admin = accounts.find((a) => a.role === 'county_admin' && a.unit.code === '220302')!;
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await login(page, admin.username, admin.password);
    await page.getByTestId('chart-stage').waitFor();
    await page.screenshot({ path: join(shots, '01-dashboard.png') });

    await page.getByTestId('nav-org').first().click();
    const tree = page.getByTestId('org-tree');
    await tree.getByText('铁西区教育局').first().click();
    await expect.poll(() => page.getByTestId('unit-table').innerText()).toContain('铁西区实验小学');

    await page.getByTestId('unit-create-button').click();
    await page.getByTestId('unit-form-code').fill('1220209876');
    await page.getByTestId('unit-form-name').fill('铁西区浏览器测试小学');
    await h.pickOption(page, 'unit-form-stage', '小学');
    await page.screenshot({ path: join(shots, '02-create-school.png') });
    const posted = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/units' && r.request().method() === 'POST',
    );
    await page.getByTestId('unit-form-submit').click();
    expect((await posted).status()).toBe(201);
    await expect
      .poll(() => page.getByTestId('unit-table').innerText(), { timeout: 30_000 })
      .toContain('铁西区浏览器测试小学');
    await page.screenshot({ path: join(shots, '03-org-after-create.png') });

    // The server holds the school, and its creation is in the audit trail with this admin as the actor.
    const created = await page.evaluate(async () => {
      const res = await fetch('/api/units?q=1220209876');
      return (await res.json()) as { items: { id: string; name: string; stage: string }[] };
    });
    expect(created.items).toHaveLength(1);
    expect(created.items[0]).toMatchObject({ name: '铁西区浏览器测试小学', stage: 'primary' });

    await page.getByTestId('nav-audit').first().click();
    await expect
      .poll(() => page.getByTestId('audit-table').innerText(), { timeout: 15_000 })
      .toContain('新建机构');
    await page.screenshot({ path: join(shots, '04-audit.png') });
    const events = await page.evaluate(async (id) => {
      const res = await fetch(`/api/audit?objectId=${id}`);
      return (await res.json()) as {
        items: { action: string; actorName: string; after: { name?: string } }[];
      };
    }, created.items[0]!.id);
    expect(events.items.map((e) => e.action)).toEqual(['unit.create']);
    expect(events.items[0]).toMatchObject({
      actorName: admin.username,
      after: { name: '铁西区浏览器测试小学' },
    });
    await page.close();
  });

  it('city admin logs in with a one-time code', async () => {
    const city = accounts.find((a) => a.role === 'city_admin')!;
    expect(city.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await login(page, city.username, city.password, currentTotp(city.totpSecret!));
    const me = await page.evaluate(
      async () =>
        (await (await fetch('/api/auth/me')).json()) as { user: { username: string; totpEnabled: boolean } },
    );
    expect(me.user).toMatchObject({ username: city.username, totpEnabled: true });
    await page.close();
  });

  it('works on a phone: login, then the menu opens from the header', async () => {
    const teacher = accounts.find((a) => a.role === 'teacher')!;
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    await page.goto(base);
    await page.screenshot({ path: join(shots, '05-phone-login.png') });
    await login(page, teacher.username, teacher.password);
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('nav-org').first().waitFor();
    await page.screenshot({ path: join(shots, '06-phone-menu.png') });
    await page.getByTestId('nav-org').first().click();
    await expect.poll(() => page.getByTestId('org-tree-open').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, '07-phone-org.png') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });
});
