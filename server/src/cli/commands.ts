import type { Role } from '@dudao/contracts';
import { ROLES } from '@dudao/contracts';
import { buildApp } from '../app.js';
import { createDemo, type DemoResult, type DemoScale } from '../demo/demo.js';
import { createToken, listTokens, revokeToken } from '../modules/tokens/tokens.service.js';
import { createRootUnit } from '../modules/units/units.service.js';
import { createUser, changeUserState } from '../modules/users/users.service.js';
import { systemActor } from '../platform/access/actor.js';
import { currentTotp } from '../platform/auth/totp.js';
import { verifyAuditChain } from '../platform/audit/verify.js';
import { backupKeyCheck, backupTo, restoreFrom } from '../platform/backup.js';
import { loadConfig } from '../platform/config.js';
import { createContext, type AppContext } from '../platform/context.js';
import { DataDirLockedError } from '../platform/db/embedded.js';
import { balanceCommand } from './balance.js';
import { dropoutCommand } from './dropout.js';
import { exportCommand } from './export.js';
import { findingsCommand } from './findings.js';
import { importCommand } from './import.js';
import { assessCommand, planCommand } from './plans.js';
import { crosscheckCommand } from './crosscheck.js';
import { institutionCommand } from './training.js';

export const usage = `dudao — 督导 regional education bureau platform

  dudao serve [--port N] [--no-demo]     start the server (creates the demo city on an empty database)
  dudao migrate                          bring the database schema up to date
  dudao init --city CODE --user NAME [--display-name 名字]
                                         set up a real deployment: the city bureau of a prefecture-level
                                         division code and its first city admin (prints the initial password)
  dudao demo [--scale small|city|province] [--seed N]
                                         create the demo city (or print its logins if it exists)
  dudao user add --user NAME --unit CODE --role ROLE [--display-name 名字] [--password P]
  dudao user reset-password --user NAME
  dudao user disable --user NAME
  dudao token create --user NAME [--days N] [--name 说明]
  dudao token list
  dudao token revoke ID
  dudao audit verify                     recompute the audit hash chain
  dudao backup FILE                      write a backup (PGlite or PostgreSQL)
  dudao restore FILE                     restore into an empty database, then verify the audit chain
  dudao import students FILE [--dry-run] [--mode all|valid-only] [--school CODE|--county CODE]
                                         import a roster (.xlsx or CSV); prints counts and the error report
  dudao import attendance FILE [same options]
                                         import daily attendance (日期/学籍号/身份证号/姓名/考勤/原因)
  dudao export students --out FILE [--format xlsx|csv] [--reveal] [--school CODE|--county CODE]
                                         write the student roster (ID numbers masked unless --reveal; audited)
  dudao findings stats [--unit CODE] [--from DATE] [--to DATE] [--source KIND]
                                         findings found / rectified / open / overdue and the rectification
                                         rate for a unit's area (the whole city without --unit)
  dudao findings escalate                escalate overdue findings to their parent units now
  dudao dropout scan [--date YYYY-MM-DD] run the suspected-dropout detection for a day (default today);
                                         prints date, open suspected cases, new cases, closed by return
  dudao crosscheck FILE [--county CODE] [--dry-run]
                                         四查三比对: import a 户籍 or 脱贫户 list (.xlsx or CSV) for a county
                                         (the city without --county) and print the category counts
  dudao institution check-code CODE      check a unified social credit code (统一社会信用代码, GB 32100)
  dudao plan import FILE                 import a work plan (章节/序号/任务/牵头科室/责任单位/完成时限/目标) for the
                                         city bureau; prints planId, chapters, tasks, assignments, rejected rows
  dudao assess score --plan ID --period P
                                         the ranking of an assessment period (id or label) of a plan:
                                         unit, score, grade, rank, vetoed
  dudao balance FILE                     balanced-development coefficients (差异系数) and school standards
                                         from a table with one row per school (.xlsx or CSV; no database)

Every command accepts --json: exactly one JSON document on stdout.
Environment: PORT, DUDAO_DATA_DIR (./data), DATABASE_URL (absent = embedded PGlite).`;

type Values = Record<string, string | boolean | undefined>;

const out = (json: boolean, data: unknown, text: string) => {
  if (json) process.stdout.write(JSON.stringify(data) + '\n');
  else process.stdout.write(text + '\n');
};

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createContext(loadConfig());
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

function required(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new Error(`--${name} is required`);
  return v;
}

function parseScale(v: unknown): DemoScale {
  const scale = (v ?? 'city') as string;
  if (!['small', 'city', 'province'].includes(scale))
    throw new Error('--scale must be small, city or province');
  return scale as DemoScale;
}

function parseIntArg(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

/** Human-readable demo logins. */
export function formatDemoLogins(demo: Omit<DemoResult, 'created'>): string {
  const lines = [
    `演示城市 Demo city: ${demo.city.name} — ${demo.counts.schools} 所学校 schools, ${demo.counts.users} 个账号 accounts`,
  ];
  lines.push('演示账号 Demo logins (密码 password for all):');
  for (const a of demo.accounts) {
    lines.push(`  ${a.username.padEnd(24)} ${a.password}  ${a.role.padEnd(13)} ${a.unit.name}`);
    if (a.totpSecret) {
      lines.push(
        `    动态口令 TOTP secret ${a.totpSecret} (add it to an authenticator app; current code ${currentTotp(a.totpSecret)})`,
      );
    }
  }
  return lines.join('\n');
}

async function findUserId(ctx: AppContext, username: string): Promise<{ id: string; unit_id: string }> {
  const u = await ctx.db
    .selectFrom('app_user')
    .select(['id', 'unit_id'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!u) throw new Error(`no user named ${username}`);
  return u;
}

/** Runs one CLI command; returns an exit code, or null to keep running (serve). */
export async function runCommand(
  command: string,
  sub: string | null,
  v: Values,
  positionals: string[],
): Promise<number | null> {
  const json = v.json === true;
  const cli = { actor: systemActor('cli'), ip: null, requestId: null };
  switch (command) {
    case 'serve':
      return serve(v);
    case 'migrate':
      return withContext((ctx) => {
        out(json, { ok: true, engine: ctx.engine }, `database is up to date (${ctx.engine})`);
        return Promise.resolve(0);
      });
    case 'init':
      return withContext(async (ctx) => {
        const root = await createRootUnit(ctx, required(v, 'city'), cli);
        const username = required(v, 'user');
        const res = await createUser(
          ctx,
          cli.actor,
          {
            username,
            displayName: (v['display-name'] as string | undefined) ?? username,
            unitId: root.id,
            roles: [{ role: 'city_admin', unitId: root.id }],
          },
          cli,
        );
        out(
          json,
          {
            unit: { id: root.id, code: root.code, name: root.name },
            user: { username, initialPassword: res.initialPassword },
          },
          `created ${root.name} (${root.code}) and its city admin ${username}; initial password ${res.initialPassword} (must be changed at first login, then a TOTP authenticator is set up)`,
        );
        return 0;
      });
    case 'demo':
      return withContext(async (ctx) => {
        const demo = await createDemo(ctx, {
          scale: parseScale(v.scale),
          seed: parseIntArg(v.seed, 'seed', 2026),
        });
        if (!demo.created) console.error('the demo city exists already; its logins:');
        out(
          json,
          { created: demo.created, city: demo.city, counts: demo.counts, accounts: demo.accounts },
          formatDemoLogins(demo),
        );
        return 0;
      });
    case 'user':
      return withContext(async (ctx) => {
        const username = required(v, 'user');
        if (sub === 'add') {
          const role = required(v, 'role') as Role;
          if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
          const code = required(v, 'unit');
          const unit = await ctx.db
            .selectFrom('unit')
            .select(['id'])
            .where('code', '=', code)
            .executeTakeFirst();
          if (!unit) throw new Error(`no unit with code ${code}`);
          const res = await createUser(
            ctx,
            cli.actor,
            {
              username,
              displayName: (v['display-name'] as string | undefined) ?? username,
              unitId: unit.id,
              roles: [{ role, unitId: unit.id }],
            },
            cli,
            typeof v.password === 'string' ? { password: v.password } : {},
          );
          out(
            json,
            { user: res.user, initialPassword: res.initialPassword },
            `created ${username}; initial password ${res.initialPassword} (must be changed at first login)`,
          );
          return 0;
        }
        if (sub === 'reset-password' || sub === 'disable') {
          const user = await findUserId(ctx, username);
          const res = await changeUserState(
            ctx,
            cli.actor,
            user.id,
            sub === 'disable' ? 'disable' : 'reset_password',
            cli,
          );
          out(
            json,
            { user: res.user, initialPassword: res.initialPassword ?? null },
            sub === 'disable'
              ? `disabled ${username}`
              : `new initial password for ${username}: ${res.initialPassword}`,
          );
          return 0;
        }
        throw new Error('usage: dudao user add|reset-password|disable --user NAME');
      });
    case 'token':
      return withContext(async (ctx) => {
        if (sub === 'create') {
          const user = await findUserId(ctx, required(v, 'user'));
          const days = v.days === undefined ? undefined : parseIntArg(v.days, 'days', 0) || undefined;
          const name = (v.name as string | undefined) ?? 'cli';
          const t = await createToken(ctx, cli.actor, { name, userId: user.id, days }, cli);
          out(json, { token: t.token, id: t.apiToken.id, prefix: t.apiToken.prefix }, t.token);
          return 0;
        }
        if (sub === 'list') {
          const tokens = await listTokens(ctx, cli.actor);
          out(
            json,
            { tokens },
            tokens
              .map(
                (t) =>
                  `${t.id}  ddo_${t.prefix}…  ${t.username}  ${t.name}${t.revokedAt ? '  (revoked)' : ''}`,
              )
              .join('\n') || '(no tokens)',
          );
          return 0;
        }
        if (sub === 'revoke') {
          const id = positionals[0];
          if (!id) throw new Error('usage: dudao token revoke ID');
          await revokeToken(ctx, cli.actor, id, cli);
          out(json, { ok: true, id }, `revoked ${id}`);
          return 0;
        }
        throw new Error('usage: dudao token create|list|revoke');
      });
    case 'audit':
      if (sub !== 'verify') throw new Error('usage: dudao audit verify');
      return withContext(async (ctx) => {
        await ctx.auditHead.sync(ctx.db);
        const r = await verifyAuditChain(ctx.db, ctx.auditHead);
        out(
          json,
          { ok: r.ok, events: r.events, firstBroken: r.firstBroken },
          r.ok
            ? `audit chain ok: ${r.events} events`
            : `audit chain BROKEN at event ${r.firstBroken}: ${r.reason}`,
        );
        if (!r.ok && !json) console.error(`first broken event: ${r.firstBroken} (${r.reason})`);
        return r.ok ? 0 : 3;
      });
    case 'backup':
      return withContext(async (ctx) => {
        const file = positionals[0];
        if (!file) throw new Error('usage: dudao backup FILE');
        const h = await backupTo(ctx.db, file, { keyCheck: backupKeyCheck(ctx.vault) });
        out(
          json,
          { ok: true, file, counts: h.counts },
          `backup written to ${file}: ${Object.entries(h.counts)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}`,
        );
        return 0;
      });
    case 'restore':
      return withContext(async (ctx) => {
        const file = positionals[0];
        if (!file) throw new Error('usage: dudao restore FILE');
        const h = await restoreFrom(ctx.db, file, { keyCheck: backupKeyCheck(ctx.vault) });
        await ctx.auditHead.sync(ctx.db);
        const r = await verifyAuditChain(ctx.db, ctx.auditHead);
        out(
          json,
          { ok: r.ok, counts: h.counts, audit: { ok: r.ok, events: r.events, firstBroken: r.firstBroken } },
          `restored ${file}; audit chain ${r.ok ? 'ok' : 'BROKEN at ' + r.firstBroken} (${r.events} events)`,
        );
        return r.ok ? 0 : 3;
      });
    case 'import':
      return withContext(async (ctx) => {
        const { result: r, ok } = await importCommand(ctx, positionals[0], positionals[1], v, cli);
        out(
          json,
          r,
          `${r.status}: ${r.rows} rows — inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected}` +
            (r.errorReport ? `\nerror report: ${r.errorReport}` : '') +
            (r.failure ? `\n${r.failure.code}: ${r.failure.message}` : ''),
        );
        return ok ? 0 : 1;
      });
    case 'export': {
      // The arguments are checked before the database is opened.
      const r = await exportCommand(positionals[0], v, cli, withContext);
      out(json, r, `wrote ${r.rows} students to ${r.file}${r.revealed ? ' (full ID numbers; audited)' : ''}`);
      return 0;
    }
    case 'balance': {
      // Computes from the file alone: no database is opened.
      const r = await balanceCommand(positionals[0]);
      out(json, r.json, r.text);
      return 0;
    }
    case 'findings':
      return withContext(async (ctx) => {
        const r = await findingsCommand(ctx, positionals[0], v, cli);
        out(json, r.json, r.text);
        return 0;
      });
    case 'dropout':
      return withContext(async (ctx) => {
        const r = await dropoutCommand(ctx, positionals[0], v, cli);
        out(json, r.json, r.text);
        return 0;
      });
    case 'crosscheck':
      return withContext(async (ctx) => {
        const r = await crosscheckCommand(ctx, positionals[0], v, cli);
        out(json, r.json, r.text);
        return r.exitCode ?? 0;
      });
    case 'plan':
      return withContext(async (ctx) => {
        const r = await planCommand(ctx, positionals[0], positionals.slice(1), v, cli);
        out(json, r.json, r.text);
        return r.exitCode ?? 0;
      });
    case 'assess':
      return withContext(async (ctx) => {
        const r = await assessCommand(ctx, positionals[0], v, cli);
        out(json, r.json, r.text);
        return r.exitCode ?? 0;
      });
    case 'institution': {
      // Checks the code alone: no database is opened.
      const r = institutionCommand(positionals[0], positionals.slice(1), v);
      out(json, r.json, r.text);
      return r.exitCode ?? 0;
    }
    default:
      throw new Error(`unknown command "${command}"\n${usage}`);
  }
}

async function serve(v: Values): Promise<number | null> {
  const config = loadConfig(v.port ? { port: parseIntArg(v.port, 'port', 3000) } : {});
  let ctx: AppContext;
  try {
    ctx = await createContext(config);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(
        `数据目录正被进程 ${err.holderPid} 使用。The data folder is in use by process ${err.holderPid}; stop it first (lock: ${err.lockFile}).`,
      );
      return 1;
    }
    throw err;
  }
  if (!v['no-demo']) {
    const hasUnits = await ctx.db.selectFrom('unit').select('id').limit(1).executeTakeFirst();
    const demoRow = await ctx.db
      .selectFrom('app_setting')
      .select('value')
      .where('key', '=', 'demo')
      .executeTakeFirst();
    if (!hasUnits) {
      console.error('empty database: creating the demo city (四平市)…');
      const demo = await createDemo(ctx, { scale: 'city', seed: 2026 });
      console.error(formatDemoLogins(demo));
    } else if (demoRow) {
      console.error(formatDemoLogins(demoRow.value as DemoResult));
    }
  }
  const app = await buildApp(ctx);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: closing`);
    await app.close().catch(() => undefined);
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  if (v.json === true) {
    process.stdout.write(
      JSON.stringify({ status: 'listening', url: `http://localhost:${config.port}`, engine: ctx.engine }) +
        '\n',
    );
  }
  console.error(
    `督导 Dudao is running at http://localhost:${config.port} (${ctx.engine === 'pglite' ? 'embedded PGlite in ' + config.dataDir : 'PostgreSQL'})`,
  );
  return null;
}
