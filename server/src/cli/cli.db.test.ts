import { existsSync, readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, runCli, type FreshDatabase } from '../../test/helpers.js';
import { assertPasswordPolicy } from '../platform/auth/password.js';
import { checkTotp, currentTotp } from '../platform/auth/totp.js';

/** Parses stdout that must be exactly one JSON document on one line. */
function one<T>(out: { code: number; stdout: string; stderr: string }): T {
  const lines = out.stdout.split('\n').filter((l) => l.trim() !== '');
  expect(lines, `stdout: ${out.stdout}\nstderr: ${out.stderr}`).toHaveLength(1);
  return JSON.parse(lines[0]!) as T;
}

interface DemoOutput {
  created: boolean;
  city: { code: string; name: string };
  counts: { units: number; schools: number; users: number };
  accounts: {
    username: string;
    password: string;
    role: string;
    unit: { code: string; name: string };
    totpSecret?: string;
  }[];
}

const COUNTIES = ['220302', '220303', '220322', '220323', '220382'];
const ROLES = ['city_admin', 'county_admin', 'school_admin', 'teacher', 'inspector', 'leader'];

/** The audit events `audit verify` counted (the backup holds exactly these). */
let auditEventCount = 0;
let a: FreshDatabase;
let b: FreshDatabase;
let dir: string;
let firstDemo: DemoOutput;

beforeAll(async () => {
  [a, b] = await Promise.all([freshDatabase(), freshDatabase()]);
  dir = mkdtempSync(join(tmpdir(), 'dudao-cli-'));
});
afterAll(async () => {
  await a?.cleanup();
  await b?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('dudao CLI', () => {
  it('demo --scale small --json prints one document with every role, every county, and the city admin’s TOTP secret', async () => {
    const out = await runCli(['demo', '--scale', 'small', '--json'], a.env);
    expect(out.code, out.stderr).toBe(0);
    firstDemo = one<DemoOutput>(out);
    expect(firstDemo.created).toBe(true);
    expect(firstDemo.city).toEqual({ code: '220300', name: '四平市教育局' });
    expect(firstDemo.counts).toMatchObject({ schools: 20, units: 26 });
    expect(new Set(firstDemo.accounts.map((x) => x.role))).toEqual(new Set(ROLES));
    const countyAdmins = firstDemo.accounts.filter((x) => x.role === 'county_admin');
    expect(countyAdmins.map((x) => x.unit.code).sort()).toEqual(COUNTIES);
    expect(countyAdmins.map((x) => x.username).sort()).toEqual(COUNTIES.map((c) => `c${c}.admin`));
    for (const county of COUNTIES) {
      expect(firstDemo.accounts.some((x) => x.role === 'leader' && x.unit.code === county)).toBe(true);
      expect(firstDemo.accounts.some((x) => x.role === 'inspector' && x.unit.code === county)).toBe(true);
    }
    const cityAdmin = firstDemo.accounts.find((x) => x.role === 'city_admin')!;
    expect(cityAdmin).toMatchObject({ username: 'city.admin', unit: { code: '220300' } });
    expect(cityAdmin.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(checkTotp(cityAdmin.totpSecret!, currentTotp(cityAdmin.totpSecret!))).not.toBeNull();
    expect(firstDemo.accounts.filter((x) => x.totpSecret)).toHaveLength(1);
    for (const acc of firstDemo.accounts)
      expect(() => assertPasswordPolicy(acc.password, acc.username)).not.toThrow();
    expect(new Set(firstDemo.accounts.map((x) => x.username)).size).toBe(firstDemo.accounts.length);
  });

  it('demo again prints the same accounts with created false', async () => {
    const out = await runCli(['demo', '--scale', 'small', '--json'], a.env);
    expect(out.code, out.stderr).toBe(0);
    const again = one<DemoOutput>(out);
    expect(again.created).toBe(false);
    expect(again.accounts).toEqual(firstDemo.accounts);
    expect(again.counts).toEqual(firstDemo.counts);
  });

  it('token create --user c220302.admin --json prints the token', async () => {
    const out = await runCli(['token', 'create', '--user', 'c220302.admin', '--json'], a.env);
    expect(out.code, out.stderr).toBe(0);
    const res = one<{ token: string; id: string; prefix: string }>(out);
    expect(res.token).toMatch(/^ddo_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/);
    expect(res.token.startsWith(`ddo_${res.prefix}_`)).toBe(true);
    expect(res.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('user add prints an initial password that meets the policy', async () => {
    const out = await runCli(
      ['user', 'add', '--user', 'x.y', '--unit', '220302', '--role', 'county_admin', '--json'],
      a.env,
    );
    expect(out.code, out.stderr).toBe(0);
    const res = one<{
      user: { username: string; mustChangePassword: boolean; roles: { role: string }[] };
      initialPassword: string;
    }>(out);
    expect(res.user).toMatchObject({
      username: 'x.y',
      mustChangePassword: true,
      roles: [{ role: 'county_admin' }],
    });
    expect(() => assertPasswordPolicy(res.initialPassword, 'x.y')).not.toThrow();
  });

  it('audit verify --json is ok with every event counted, exit 0', async () => {
    const out = await runCli(['audit', 'verify', '--json'], a.env);
    expect(out.code, out.stderr).toBe(0);
    // demo.create, the demo's students, its modules' records (inspections, visits, findings …), token.create,
    // user.create: every one of them chained.
    const result = one<{ ok: boolean; events: number; firstBroken: null }>(out);
    expect(result).toEqual({ ok: true, events: expect.any(Number) as number, firstBroken: null });
    expect(result.events).toBeGreaterThan(4);
    auditEventCount = result.events;
  });

  it('backup FILE --json, then restore FILE --json into another fresh database', async () => {
    const file = join(dir, 'dudao.backup.gz');
    const backup = await runCli(['backup', file, '--json'], a.env);
    expect(backup.code, backup.stderr).toBe(0);
    const written = one<{ ok: boolean; file: string; counts: Record<string, number> }>(backup);
    expect(written).toMatchObject({ ok: true, file });
    expect(written.counts).toMatchObject({ unit: 26, audit_event: auditEventCount, api_token: 1 });
    // About 250 students per school of the small demo.
    expect(written.counts.student).toBeGreaterThan(4000);
    expect(statSync(file).size).toBeGreaterThan(0);

    // Under another installation's key the restore is refused: the personal data would be unreadable.
    const refused = await runCli(['restore', file, '--json'], b.env);
    expect(refused.code).toBe(1);
    const refusal = one<{ ok: boolean; error: string }>(refused);
    expect(refusal.ok).toBe(false);
    expect(refusal.error).toMatch(/another secret key/);
    // With the backed-up installation's key it goes through.
    const key = readFileSync(join(a.dataDir, 'secret.key'), 'utf8').trim();
    const restored = await runCli(['restore', file, '--json'], { ...b.env, DUDAO_SECRET_KEY: key });
    expect(restored.code, restored.stderr).toBe(0);
    expect(one(restored)).toEqual({
      ok: true,
      counts: written.counts,
      audit: { ok: true, events: auditEventCount, firstBroken: null },
    });
    expect(existsSync(join(b.dataDir, 'audit-head.log'))).toBe(true);
  });

  it('a failing command prints one JSON error document and exits 1', async () => {
    const out = await runCli(['audit', 'bogus', '--json'], b.env);
    expect(out.code).toBe(1);
    expect(one(out)).toEqual({ ok: false, error: 'usage: dudao audit verify' });
  });
});
