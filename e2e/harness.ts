/**
 * What every browser test needs: a server on a fresh embedded database with the small demo city, Debian's
 * Chromium driven by playwright-core (never a downloaded browser), logins of demo accounts, API reads from
 * inside the page, and screenshots in .tmp/screens/ (gitignored).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ensurePgliteTemplate } from '../server/test/templates.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const shots = join(root, '.tmp/screens');
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export interface DemoAccount {
  username: string;
  password: string;
  role: string;
  unit: { code: string; name: string };
  totpSecret?: string;
}

export interface E2e {
  base: string;
  browser: Browser;
  accounts: DemoAccount[];
  env: NodeJS.ProcessEnv;
  /** Stops the browser and the server and removes the database. */
  close(): Promise<void>;
}

function dudao(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync('node', ['server/bin/dudao.mjs', ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become healthy');
}

/** A port nothing listens on now (the system picks it), so parallel runs and local daemons never clash. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Builds the web client if needed, creates the small demo city, starts the server and the browser. */
export async function startE2e(name: string): Promise<E2e> {
  execFileSync('node', ['scripts/ensure-web-build.mjs'], { cwd: root, stdio: 'inherit' });
  mkdirSync(join(shots, 'foundation'), { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), `dudao-e2e-${name}-`));
  cpSync(join(await ensurePgliteTemplate(), 'pglite'), join(dataDir, 'pglite'), { recursive: true });
  const env = {
    ...process.env,
    DUDAO_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: '',
    DUDAO_LOG_LEVEL: 'warn',
  };
  const accounts = (
    JSON.parse(dudao(['demo', '--scale', 'small', '--json'], env)) as { accounts: DemoAccount[] }
  ).accounts;
  const server: ChildProcess = spawn('node', ['server/bin/dudao.mjs', 'serve'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitForHealth(base).catch((err: unknown) => {
    console.error(log);
    throw err;
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    base,
    browser,
    accounts,
    env,
    async close() {
      await browser.close();
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function account(e: E2e, role: string, unitCode?: string): DemoAccount {
  const found = e.accounts.find((a) => a.role === role && (!unitCode || a.unit.code === unitCode));
  if (!found) throw new Error(`no demo ${role}${unitCode ? ` at ${unitCode}` : ''}`);
  return found;
}

export async function openPage(e: E2e, viewport: { width: number; height: number }): Promise<Page> {
  const phone = viewport.width < 768;
  const page = await e.browser.newPage({ viewport, locale: 'zh-CN', isMobile: phone, hasTouch: phone });
  page.setDefaultTimeout(20_000);
  return page;
}

export async function login(e: E2e, page: Page, who: DemoAccount): Promise<void> {
  await page.goto(e.base);
  await page.getByTestId('login-username').fill(who.username);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname.startsWith('/dashboard'));
}

/** A GET of the API from inside the page (the session's cookie). */
export async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const res = await fetch(p);
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }, path);
}

export const isPhone = (page: Page) => page.viewportSize()!.width < 768;

/** The page does not scroll sideways at this width. */
export async function noSideways(page: Page, width: number): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/**
 * Picks an option of an Ant Design select (by test id, or a locator when several share one): opens it, clicks the option with this label in the open
 * dropdown (never a same-titled cell elsewhere on the page), and waits until the select shows it. A
 * loaded machine can otherwise click before the dropdown renders and submit a form with the field empty.
 */
export async function pickOption(page: Page, target: string | Locator, optionLabel: string): Promise<void> {
  const select = typeof target === 'string' ? page.getByTestId(target) : target;
  const option = page
    .locator(
      `.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${optionLabel}"]`,
    )
    .first();
  // A click that lands while a modal or the dropdown is still animating can be dropped: try again
  // (reopening the dropdown only when it has closed; Escape would close the modal too), up to three
  // times, and only then fail with the last wait's message.
  for (let attempt = 1; ; attempt++) {
    if (!(await option.isVisible())) await select.click();
    await option.click();
    try {
      await expect
        .poll(() => select.innerText(), { timeout: attempt < 3 ? 5_000 : 15_000 })
        .toContain(optionLabel);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
