/** `dudao institution check-code CODE` (filled in by the training module; no database is opened). */
type Values = Record<string, string | boolean | undefined>;

export function institutionCommand(
  _sub: string | undefined,
  _positionals: string[],
  _v: Values,
): { json: unknown; text: string; exitCode?: number } {
  throw new Error('usage: dudao institution check-code CODE [--json]');
}
