/** `dudao institution check-code CODE` — checks a unified social credit code (no database is opened). */
import { validateCreditCode } from '../modules/training/credit-code.js';

type Values = Record<string, string | boolean | undefined>;

const USAGE = 'usage: dudao institution check-code CODE [--json]';

/**
 * `check-code CODE`: `{"valid":true|false,"reason"}` — the reason in Chinese (with the English after a
 * slash); for a valid code it names the registration authority and type. The exit code is 0
 * whenever the check ran (the answer is the output); only a usage error fails.
 */
export function institutionCommand(
  sub: string | undefined,
  positionals: string[],
  _v: Values,
): { json: unknown; text: string; exitCode?: number } {
  if (sub !== 'check-code' || positionals.length !== 1) throw new Error(USAGE);
  const r = validateCreditCode(positionals[0]!);
  if (r.valid) {
    const reason = `有效：${r.authority}登记·${r.type}（行政区划 ${r.division}，组织机构代码 ${r.orgCode}）`;
    return { json: { valid: true, reason }, text: `${r.code} ${reason}` };
  }
  const reason = `${r.reason.zh} / ${r.reason.en}`;
  return { json: { valid: false, reason }, text: `无效 invalid: ${reason}` };
}
