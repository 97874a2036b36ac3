/**
 * The `dudao` command. Every command accepts --json and then prints exactly one JSON document on stdout;
 * progress and logs go to stderr.
 */
import { parseArgs } from 'node:util';
import { runCommand, usage } from './cli/commands.js';

const argv = process.argv.slice(2);
const command = argv[0] && !argv[0].startsWith('-') ? argv.shift()! : 'help';
const sub =
  ['user', 'audit', 'token'].includes(command) && argv[0] && !argv[0].startsWith('-') ? argv.shift()! : null;

let parsed;
try {
  parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      scale: { type: 'string' },
      city: { type: 'string' },
      seed: { type: 'string' },
      user: { type: 'string' },
      unit: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      days: { type: 'string' },
      password: { type: 'string' },
      'display-name': { type: 'string' },
      port: { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      out: { type: 'string' },
      format: { type: 'string' },
      reveal: { type: 'boolean' },
      school: { type: 'string' },
      county: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      mode: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      source: { type: 'string' },
      date: { type: 'string' },
      plan: { type: 'string' },
      period: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  console.error((err as Error).message);
  console.error(usage);
  process.exit(2);
}

if (parsed.values.help || command === 'help') {
  console.error(usage);
  process.exit(command === 'help' && !parsed.values.help ? 2 : 0);
}

try {
  const code = await runCommand(command, sub, parsed.values, parsed.positionals);
  if (code !== null) process.exit(code);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  if (parsed.values.json) process.stdout.write(JSON.stringify({ ok: false, error: message }) + '\n');
  console.error(`dudao ${command}${sub ? ' ' + sub : ''}: ${message}`);
  process.exit(1);
}
