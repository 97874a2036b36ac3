/**
 * Browser test of 部署·督办·考评·通报, from a plan import to a published briefing: the city admin imports a plan
 * sheet (a row rejected with its reason), opens the plan and its 调度会 view; a county admin reports progress
 * on a phone; the city admin issues a 督办单, approves this year's county assessment and generates, exports and
 * publishes the briefing, which the county then reads; a county uploads its signed 目标管理责任书 on a phone and
 * the city sees the round's count move. Screenshots at 1366×768 and 390×844 land in
 * .tmp/screens/plans-e2e-*.png.
 */
import type {
  AgreementRound,
  AgreementRoundDetail,
  AssessResults,
  BriefingDetail,
  PlanAssignmentDetail,
  PlanNotice,
} from '@dudao/contracts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../server/src/platform/auth/totp.js';
import { chinaToday } from '../server/src/platform/dates.js';
import * as h from './harness.js';

const year = Number(chinaToday().slice(0, 4));
const CSV = [
  '章节,序号,任务,牵头科室,责任单位,完成时限,目标',
  `一、学前教育普及普惠,1,提高学前三年毛入园率,基础教育科,各县（市）区,${year}年12月底,学前三年毛入园率≥93%`,
  `,2,扩大普惠性学前教育资源,基础教育科,各县（市）区,${year}-12-31,普惠性幼儿园覆盖率不低于87%`,
  `二、义务教育优质均衡,3,新改扩建学校,发展规划科,各县（市）区,${year}-12-31,新增学校182所`,
  `,4,责任单位写错的任务,办公室,向阳区,${year}-12-31,`,
].join('\r\n');

let e: h.E2e;
/** The city admin signs in once (TOTP refuses a code's replay within its 30 seconds). */
let cityPage: Page;
beforeAll(async () => {
  e = await h.startE2e('plans');
  const city = h.account(e, 'city_admin');
  cityPage = await h.openPage(e, h.DESKTOP);
  await cityPage.goto(e.base);
  await cityPage.getByTestId('login-username').fill(city.username);
  await cityPage.getByTestId('login-password').fill(city.password);
  await cityPage.getByTestId('login-submit').click();
  if (city.totpSecret) {
    await cityPage.getByTestId('login-totp').fill(currentTotp(city.totpSecret));
    await cityPage.getByTestId('login-submit').click();
  }
  await cityPage.waitForURL((url) => url.pathname.startsWith('/dashboard'));
});
afterAll(async () => {
  await e?.close();
});

async function signedIn(who: h.DemoAccount, viewport = h.DESKTOP): Promise<Page> {
  const page = await h.openPage(e, viewport);
  await h.login(e, page, who);
  return page;
}

describe('from a plan import to a published briefing', () => {
  let planId: string;
  let countyCode: string;

  it('the city admin imports a plan; the bad row is rejected with its reason', async () => {
    const page = cityPage;
    await page.goto(`${e.base}/plans`);
    await page.getByTestId('plan-import').click();
    await page.getByTestId('import-title').fill(`${year}年学前与义务教育重点任务`);
    await page
      .locator('.ant-modal input[type="file"]')
      .setInputFiles({ name: '重点任务.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.locator('#import-submit').click();
    const result = page.getByTestId('import-result');
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('3 项任务');
    expect(await result.innerText()).toContain('向阳区');
    await h.screenshot(page, 'plans-e2e-1-import');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: `${year}年学前与义务教育重点任务` }).click();
    await page.waitForURL((u) => /^\/plans\/[0-9a-f-]{36}$/.test(u.pathname));
    planId = new URL(page.url()).pathname.split('/').pop()!;
    await expect
      .poll(() => page.getByTestId('task-table').locator('tbody tr.ant-table-row').count(), {
        timeout: 20_000,
      })
      .toBe(3);
    await expect
      .poll(() => page.getByTestId('chart-plan').locator('canvas').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await h.screenshot(page, 'plans-e2e-2-plan');
  });

  it('the demo plan’s 调度会 view shows every task with its status, printable', async () => {
    const page = cityPage;
    const plans = await h.apiGet<{ items: { id: string; tasks: number }[] }>(page, '/api/plans');
    const demo = plans.items.find((p) => p.tasks === 35)!;
    await page.goto(`${e.base}/plans/${demo.id}`);
    await page.getByRole('tab', { name: '调度会' }).click();
    await expect.poll(() => page.getByTestId('dispatch-row').count(), { timeout: 20_000 }).toBe(35);
    expect(await page.getByTestId('dispatch-doc').innerText()).toContain('较上次调度会');
    await h.screenshot(page, 'plans-e2e-3-dispatch');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
  });

  it('a county admin reports progress on a phone; the status follows the value', async () => {
    const who = h.account(e, 'county_admin');
    countyCode = who.unit.code;
    const page = await signedIn(who, h.PHONE);
    const plan = await h.apiGet<{
      taskList: { seq: number; assignments: { id: string; unit: { code: string } }[] }[];
    }>(page, `/api/plans/${planId}`);
    const assignment = plan.taskList
      .find((t) => t.seq === 1)!
      .assignments.find((a) => a.unit.code === countyCode)!;
    await page.goto(`${e.base}/plans`);
    await page.getByRole('tab', { name: '本单位任务' }).click();
    await page.getByRole('link', { name: '提高学前三年毛入园率' }).click();
    await page.waitForURL((u) => u.pathname === `/plans/assignments/${assignment.id}`);
    await page.getByTestId('report-text').fill('新建公办园两所，入园率提升');
    // Ant's InputNumber puts the test id on the input itself in some versions, on its wrapper in others.
    await page
      .locator('input[data-testid="report-value"], [data-testid="report-value"] input')
      .first()
      .fill('93.6');
    await page.getByTestId('report-submit').click();
    await expect
      .poll(() => page.getByTestId('assignment-reason').innerText(), { timeout: 20_000 })
      .toContain('93.6');
    const d = await h.apiGet<PlanAssignmentDetail>(page, `/api/plan-assignments/${assignment.id}`);
    expect(d.status).toBe('done');
    await h.noSideways(page, h.PHONE.width);
    await h.screenshot(page, 'plans-e2e-4-report-phone');
    await page.close();
  });

  it('the city admin issues a 督办单 that the county sees', async () => {
    const page = cityPage;
    const plan = await h.apiGet<{
      taskList: { seq: number; assignments: { id: string; unit: { code: string } }[] }[];
    }>(page, `/api/plans/${planId}`);
    const assignment = plan.taskList
      .find((t) => t.seq === 3)!
      .assignments.find((a) => a.unit.code === countyCode)!;
    await page.goto(`${e.base}/plans/assignments/${assignment.id}`);
    await page.getByTestId('notice-requirement').fill('请说明新改扩建项目开工情况');
    await page.getByTestId('notice-issue').click();
    await expect.poll(() => page.getByTestId('notice-card').count(), { timeout: 20_000 }).toBe(1);
    const county = await signedIn(h.account(e, 'county_admin', countyCode), h.PHONE);
    await county.goto(`${e.base}/plans/notices`);
    await expect
      .poll(() => county.locator('tbody tr.ant-table-row').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    const list = await h.apiGet<{ items: PlanNotice[] }>(county, '/api/plan-notices?status=open');
    expect(list.items.some((n) => n.assignmentId === assignment.id && n.canAnswer)).toBe(true);
    await h.noSideways(county, h.PHONE.width);
    await h.screenshot(county, 'plans-e2e-5-notices-phone');
    await county.close();
  });

  it('a county uploads its signed 目标管理责任书 on a phone; the city sees the round’s count move', async () => {
    const page = cityPage;
    const rounds = await h.apiGet<{ items: AgreementRound[] }>(page, '/api/agreement-rounds');
    const round = rounds.items.find((r) => r.kind.name === '目标管理责任书')!;
    const detail = await h.apiGet<AgreementRoundDetail>(page, `/api/agreement-rounds/${round.id}`);
    const missing = detail.signings.find(
      (x) =>
        x.status === 'pending' &&
        e.accounts.some((a) => a.role === 'county_admin' && a.unit.code === x.unit.code),
    );
    // The demo leaves a county with a login unsigned: that is the row this test signs.
    expect(missing).toMatchObject({ status: 'pending' });
    if (!missing) return;
    await page.goto(`${e.base}/agreements`);
    await expect
      .poll(() => page.getByTestId('agreement-round-count').first().innerText(), { timeout: 20_000 })
      .toContain(`${round.counts.signed}/${round.counts.total}`);
    await h.screenshot(page, 'plans-e2e-9-agreements');
    await page.goto(`${e.base}/agreements/${round.id}`);
    await expect
      .poll(() => page.getByTestId('agreement-counts').innerText(), { timeout: 20_000 })
      .toContain(`已签 ${round.counts.signed}`);
    await h.screenshot(page, 'plans-e2e-10-agreement-round');

    const county = await signedIn(h.account(e, 'county_admin', missing.unit.code), h.PHONE);
    await county.goto(`${e.base}/agreements/mine`);
    const card = county.getByTestId('agreement-mine').filter({ hasText: round.title });
    await card.getByTestId('agreement-open-sign').click();
    await card.getByTestId('agreement-signer').fill('王局长');
    await card.getByTestId('agreement-file').setInputFiles({
      name: '目标管理责任书.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
    });
    await card.getByTestId('agreement-submit').click();
    await expect.poll(() => card.getByTestId('agreement-status-signed').count(), { timeout: 20_000 }).toBe(1);
    await h.noSideways(county, h.PHONE.width);
    await h.screenshot(county, 'plans-e2e-11-agreement-phone');
    await county.close();

    await page.reload();
    await expect
      .poll(() => page.getByTestId('agreement-counts').innerText(), { timeout: 20_000 })
      .toContain(`已签 ${round.counts.signed + 1}`);
    const after = await h.apiGet<AgreementRoundDetail>(page, `/api/agreement-rounds/${round.id}`);
    expect(after.signings.find((x) => x.id === missing.id)).toMatchObject({
      status: 'signed',
      signerName: '王局长',
      file: { contentType: 'application/pdf' },
    });
  });

  it('the city admin approves the assessment and publishes the briefing; the county reads it', async () => {
    const page = cityPage;
    await page.goto(`${e.base}/assessment`);
    await expect
      .poll(() => page.getByTestId('ranking').locator('tbody tr.ant-table-row').count(), { timeout: 30_000 })
      .toBeGreaterThan(1);
    await expect
      .poll(() => page.getByTestId('chart-scores').locator('canvas').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await h.screenshot(page, 'plans-e2e-6-assessment');
    await page.getByTestId('approve').click();
    // The confirm's OK can be clicked while the modal still animates in, and the click dropped: click until
    // the modal has gone (a second click while its request runs is ignored by the loading button).
    const ok = page.locator('.ant-modal-confirm .ant-btn-primary');
    await ok.waitFor();
    await expect
      .poll(
        async () => {
          if (await ok.isVisible()) await ok.click({ timeout: 2_000 }).catch(() => undefined);
          return ok.isVisible();
        },
        { timeout: 20_000 },
      )
      .toBe(false);
    await expect.poll(() => page.getByText('已审定').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const schemes = await h.apiGet<{ items: { name: string; periods: { id: string; label: string }[] }[] }>(
      page,
      '/api/assess/schemes',
    );
    const scheme = schemes.items[0]!;
    const results = await h.apiGet<AssessResults>(
      page,
      `/api/assess/periods/${scheme.periods[0]!.id}/results`,
    );
    expect(results.period.status).toBe('approved');

    await page.goto(`${e.base}/briefings`);
    await h.pickOption(page, 'briefing-period', `${scheme.name} · ${scheme.periods[0]!.label}`);
    await page.getByTestId('briefing-generate').click();
    await expect
      .poll(() => page.getByTestId('briefing-doc').innerText(), { timeout: 20_000 })
      .toContain('考评排名');
    const exported = await page.evaluate(
      async (href) => {
        const res = await fetch(href);
        const buf = new Uint8Array(await res.arrayBuffer());
        return {
          status: res.status,
          type: res.headers.get('content-type'),
          pk: String.fromCharCode(buf[0]!, buf[1]!),
        };
      },
      (await page.getByTestId('briefing-export').getAttribute('href'))!,
    );
    expect(exported).toMatchObject({ status: 200, pk: 'PK' });
    await page.getByTestId('briefing-publish').click();
    await expect
      .poll(() => page.getByTestId('briefing-status').innerText(), { timeout: 20_000 })
      .toBe('已发布');
    await h.screenshot(page, 'plans-e2e-7-briefing');

    const county = await signedIn(h.account(e, 'county_admin', countyCode), h.PHONE);
    await county.goto(`${e.base}/briefings`);
    await county.getByTestId('briefing-item').first().click();
    await expect
      .poll(() => county.getByTestId('briefing-doc').innerText(), { timeout: 20_000 })
      .toContain(results.results[0]!.unit.name);
    const seen = await h.apiGet<{ items: BriefingDetail[] }>(county, '/api/briefings');
    expect(seen.items[0]).toMatchObject({ status: 'published' });
    await h.noSideways(county, h.PHONE.width);
    await h.screenshot(county, 'plans-e2e-8-briefing-phone');
    await county.close();
  });
});
