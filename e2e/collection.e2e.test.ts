/**
 * Browser test of 数据填报: a school (铁西区实验小学, which has not started this year's annual form in the demo)
 * enters its figures on a phone — pre-filled enrolment from the registry, a rule warns while typing (教学仪器
 * 设备值 more than 30% above last year), the explanation unlocks 上报; the county approves at 1366×768; the
 * county's coefficient table (from stored figures) counts the school after the approval; the city adds a data
 * element to the annual form in the editor and a school then sees the new field. Screenshots land in
 * .tmp/screens/collection-e2e-*.png.
 */
import type { BalanceStoredResult, EntryView, ProgressBoard } from '@dudao/contracts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../server/src/platform/auth/totp.js';
import * as h from './harness.js';

const COUNTY = '220302';
let e: h.E2e;
let formId = '';
let period = '';
beforeAll(async () => {
  e = await h.startE2e('collection');
});
afterAll(async () => {
  await e?.close();
});

async function signedIn(who: h.DemoAccount, viewport: { width: number; height: number }): Promise<Page> {
  const page = await h.openPage(e, viewport);
  await h.login(e, page, who);
  return page;
}

async function me(page: Page) {
  return (await h.apiGet<{ user: { unit: { id: string } } }>(page, '/api/auth/me')).user.unit.id;
}

async function fill(page: Page, code: string, value: string) {
  const el = page.getByTestId(`entry-input-${code}`);
  const input = (await el.evaluate((n) => n.tagName)) === 'INPUT' ? el : el.locator('input').first();
  await input.fill(value);
}

describe('a school enters its annual figures, the county approves, the coefficients update', () => {
  let entryUrl = '';
  let schoolId = '';

  it('the school fills the form on a phone; a rule warns; with an explanation it submits', async () => {
    const school = h.account(e, 'school_admin', '1220200001');
    const page = await signedIn(school, h.PHONE);
    schoolId = await me(page);
    await page.goto(`${e.base}/collection`);
    await page.getByTestId('col-open').click();
    await page.waitForURL((u) => u.pathname === '/collection/entry');
    entryUrl = page.url();
    const q = new URL(entryUrl).searchParams;
    formId = q.get('formId')!;
    period = q.get('period')!;
    const before = await h.apiGet<EntryView>(
      page,
      `/api/collection/entry?formId=${formId}&unitId=${schoolId}&period=${period}`,
    );
    expect(before.status).toBe('not_started');
    // enrolment comes from the registry, marked
    await expect.poll(() => page.getByTestId('prefilled-STUDENTS').count()).toBe(1);
    const last = before.previous.EQUIPMENT_VALUE as number;
    expect(last).toBeGreaterThan(0);
    for (const [code, v] of Object.entries({
      TEACHERS: '20',
      QUALIFIED_TEACHERS: '15',
      BACKBONE_TEACHERS: '4',
      ARTS_PE_TEACHERS: '3',
      SENIOR_TITLE_TEACHERS: '8',
      BUILDING_AREA: '1500',
      SPORTS_AREA: '2600',
      BOOKS: '9000',
      COMPUTERS: '40',
      MULTIMEDIA_ROOMS: '8',
      EQUIPMENT_VALUE: String(Math.round(last * 2)),
    }))
      await fill(page, code, v);
    // the warning appears while typing, and blocks 上报 until explained
    const warning = page.getByTestId('entry-checks').getByText('教学仪器设备值较上年变化不超过30%');
    await expect.poll(() => warning.count()).toBe(1);
    expect(await page.getByTestId('entry-submit').isDisabled()).toBe(true);
    await h.noSideways(page, h.PHONE.width);
    await h.screenshot(page, 'collection-e2e-1-entry-phone');
    await page.locator('[data-testid^="explain-"]').first().fill('本年度新建两个理化生实验室');
    await expect.poll(() => page.getByTestId('entry-submit').isDisabled()).toBe(false);
    await page.getByTestId('entry-submit').click();
    await expect
      .poll(
        async () =>
          (
            await h.apiGet<EntryView>(
              page,
              `/api/collection/entry?formId=${formId}&unitId=${schoolId}&period=${period}`,
            )
          ).status,
      )
      .toBe('submitted');
    const after = await h.apiGet<EntryView>(
      page,
      `/api/collection/entry?formId=${formId}&unitId=${schoolId}&period=${period}`,
    );
    expect(after.values).toMatchObject({
      TEACHERS: 20,
      BUILDING_AREA: 1500,
      EQUIPMENT_VALUE: Math.round(last * 2),
    });
    expect(after.prefilled).toContain('STUDENTS');
    expect(Object.values(after.explanations)).toContain('本年度新建两个理化生实验室');
    await h.screenshot(page, 'collection-e2e-2-submitted-phone');
    await page.close();
  });

  it('the county sees it waiting, approves it, and the coefficient table counts it', async () => {
    const page = await signedIn(h.account(e, 'county_admin', COUNTY), h.DESKTOP);
    const countyId = await me(page);
    const stored = () =>
      h.apiGet<BalanceStoredResult>(page, `/api/balance/stored?countyId=${countyId}&period=${period}`);
    const before = await stored();
    expect(before.notCounted.map((n) => n.unitId)).toContain(schoolId);

    await page.goto(`${e.base}/collection?formId=${formId}&period=${period}`);
    await page.getByTestId('col-board').waitFor();
    const board = await h.apiGet<ProgressBoard>(
      page,
      `/api/collection/progress?formId=${formId}&period=${period}&unitId=${countyId}`,
    );
    expect(board.units.find((u) => u.unitId === schoolId)).toMatchObject({
      status: 'submitted',
      waitingFor: 'county',
    });
    await h.noSideways(page, h.DESKTOP.width);
    await h.screenshot(page, 'collection-e2e-3-board');

    await page.goto(entryUrl);
    await page.getByTestId('entry-approve').click();
    await page.getByTestId('entry-locked').waitFor();
    await h.screenshot(page, 'collection-e2e-4-approved');

    await page.goto(`${e.base}/balance/county?period=${period}`);
    await page.getByTestId('cty-result').waitFor();
    const after = await stored();
    expect(after.schoolsCounted).toBe(before.schoolsCounted + 1);
    expect(after.stages[0]!.schools.map((s) => s.name)).toContain('铁西区实验小学');
    await expect
      .poll(() => page.getByTestId('cty-counted').innerText())
      .toContain(String(after.schoolsCounted));
    await expect
      .poll(() => page.getByTestId('balance-stage-primary').getByText('铁西区实验小学').count())
      .toBeGreaterThan(0);
    await h.noSideways(page, h.DESKTOP.width);
    await h.screenshot(page, 'collection-e2e-5-county-coefficients');
    await page.close();
  });

  it('the board and the coefficient table fit a phone', async () => {
    const page = await signedIn(h.account(e, 'county_admin', COUNTY), h.PHONE);
    await page.goto(`${e.base}/collection?formId=${formId}&period=${period}`);
    await page.getByTestId('col-board').waitFor();
    await h.noSideways(page, h.PHONE.width);
    await h.screenshot(page, 'collection-e2e-6-board-phone');
    await page.goto(`${e.base}/balance/county?period=${period}`);
    await page.getByTestId('cty-result').waitFor();
    await h.noSideways(page, h.PHONE.width);
    await h.screenshot(page, 'collection-e2e-7-county-phone');
    await page.close();
  });

  it('the county reads an indicator as Σ/Σ with its schools, and the rules of the form', async () => {
    const page = await signedIn(h.account(e, 'county_admin', COUNTY), h.DESKTOP);
    await page.goto(`${e.base}/indicators`);
    await h.pickOption(page, 'ind-select', '生均教学及辅助用房面积');
    await page.getByTestId('ind-children').locator('tr.ant-table-row').first().waitFor();
    expect(await page.getByTestId('ind-children').locator('tr.ant-table-row').count()).toBeGreaterThanOrEqual(
      3,
    );
    await h.noSideways(page, h.DESKTOP.width);
    await h.screenshot(page, 'collection-e2e-8-indicator');
    await page.goto(`${e.base}/collection/forms`);
    await page.getByText('教学仪器设备值较上年变化不超过30%').waitFor();
    await h.noSideways(page, h.DESKTOP.width);
    await h.screenshot(page, 'collection-e2e-9-forms');
    await page.close();
  });
});

describe('the city edits the form; a school sees the new element', () => {
  it('creates an element, adds it to a section of the annual form, and the school’s form shows it', async () => {
    // the city admin signs in once (with TOTP: a code is refused when replayed within its 30 seconds)
    const city = h.account(e, 'city_admin');
    const page = await h.openPage(e, h.DESKTOP);
    await page.goto(e.base);
    await page.getByTestId('login-username').fill(city.username);
    await page.getByTestId('login-password').fill(city.password);
    await page.getByTestId('login-submit').click();
    if (city.totpSecret) {
      await page.getByTestId('login-totp').fill(currentTotp(city.totpSecret));
      await page.getByTestId('login-submit').click();
    }
    await page.waitForURL((url) => url.pathname.startsWith('/dashboard'));
    await page.goto(`${e.base}/collection/forms`);
    await page.getByTestId('form-edit').waitFor();
    await page.getByRole('tab', { name: '数据项' }).click();
    await page.getByTestId('element-add').click();
    await page.getByTestId('element-code').fill('solar_kw');
    await page.getByTestId('element-name').fill('光伏发电装机容量');
    await page.getByTestId('element-unit').fill('千瓦');
    await h.screenshot(page, 'collection-e2e-10-element-editor');
    await page.getByTestId('element-save').click();
    // the list is paged by code: search for the new one
    await page.getByPlaceholder('搜索代码或名称').fill('SOLAR');
    await page.getByTestId('element-table').getByText('SOLAR_KW').waitFor();
    await h.noSideways(page, h.DESKTOP.width);

    await page.getByRole('tab', { name: '报表与规则' }).click();
    await page.getByTestId('form-edit').click();
    const add = page.getByTestId('form-add-element-2');
    await add.click();
    await page.keyboard.type('SOLAR_KW');
    await page
      .locator(
        '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="SOLAR_KW 光伏发电装机容量"]',
      )
      .first()
      .click();
    await page.getByTestId('form-section-2').getByText('光伏发电装机容量').waitFor();
    await h.screenshot(page, 'collection-e2e-11-form-editor');
    await page.getByTestId('form-save').click();
    await page.getByTestId('form-editor').waitFor({ state: 'detached' });
    await page.getByText('光伏发电装机容量').first().waitFor();

    // the editor at phone width (the same session)
    const phone = page;
    await phone.setViewportSize(h.PHONE);
    await phone.goto(`${e.base}/collection/forms`);
    await phone.getByTestId('form-edit').click();
    await phone.getByTestId('form-editor').waitFor();
    await h.screenshot(phone, 'collection-e2e-12-form-editor-phone');
    await phone.keyboard.press('Escape');
    await phone.getByRole('tab', { name: '数据项' }).click();
    await phone.getByPlaceholder('搜索代码或名称').fill('SOLAR');
    await phone.getByTestId('element-table').getByText('SOLAR_KW').waitFor();
    await h.noSideways(phone, h.PHONE.width);
    await h.screenshot(phone, 'collection-e2e-13-elements-phone');
    await phone.close();

    // a school opens its form: the new field is there, in 办学条件
    // another school than the one whose figures were approved above (its form is open for entry)
    const other = e.accounts.find((a) => a.role === 'school_admin' && a.unit.code !== '1220200001');
    if (!other) throw new Error('the demo has a second school admin');
    const school = await signedIn(other, h.PHONE);
    const schoolId = await me(school);
    await school.goto(`${e.base}/collection/entry?formId=${formId}&unitId=${schoolId}&period=${period}`);
    await school.getByTestId('entry-input-SOLAR_KW').waitFor();
    await h.screenshot(school, 'collection-e2e-14-new-field-phone');
    await school.close();
  });
});
