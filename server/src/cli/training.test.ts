// `dudao institution check-code CODE --json`: the contract's JSON, without a database (DUDAO_DATA_DIR points
// at a folder that does not exist, and must still not exist afterwards).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { tempDir } from '../platform/imports/test-helpers.js';
import { institutionCommand } from './training.js';

let dir: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  env = { DUDAO_DATA_DIR: join(dir, 'no-data'), DATABASE_URL: '' };
});
afterAll(() => cleanup());

describe('dudao institution check-code', () => {
  it('prints {"valid":true,"reason"} for a valid code and opens no database', async () => {
    const r = await runCli(['institution', 'check-code', '91350100M000100Y43', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { valid: boolean; reason: string };
    expect(j.valid).toBe(true);
    expect(j.reason).toContain('工商');
    expect(Object.keys(j).sort()).toEqual(['reason', 'valid']);
    expect(existsSync(join(dir, 'no-data'))).toBe(false);
  });
  it('prints {"valid":false,"reason"} naming the expected check character', async () => {
    const r = await runCli(['institution', 'check-code', '91350100M000100Y44', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { valid: boolean; reason: string };
    expect(j).toEqual({ valid: false, reason: expect.stringContaining('校验码错误（应为3）') as unknown });
  });
  it('refuses a missing code with the usage', () => {
    expect(() => institutionCommand('check-code', [], {})).toThrow(/usage/);
    expect(() => institutionCommand('list', ['x'], {})).toThrow(/usage/);
  });
  it('text mode names the code', () => {
    expect(institutionCommand('check-code', ['91110000600037341L'], {}).text).toMatch(
      /^91110000600037341L 有效/,
    );
  });
});
