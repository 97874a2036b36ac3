/**
 * `dudao plan import FILE` (a plan of the city bureau from a sheet; prints planId, chapters, tasks,
 * assignments and the rejected rows) and `dudao assess score --plan ID --period P` (the ranking of a
 * period of that plan: unit, score, grade, rank, vetoed; the per-item breakdown is in the API).
 */
import { basename, extname } from 'node:path';
import { createReadStream, existsSync } from 'node:fs';
import { gradeLabels } from '@dudao/contracts';
import { systemActor } from '../platform/access/actor.js';
import type { AuditOrigin } from '../platform/audit/audit.js';
import type { AppContext } from '../platform/context.js';
import { chinaToday } from '../platform/dates.js';
import { findPeriodForPlan, periodResults } from '../modules/plans/plans.assess.js';
import { importPlanUpload } from '../modules/plans/plans.import.js';
import { rootUnit } from '../platform/access/scope.js';

type Values = Record<string, string | boolean | undefined>;

export async function planCommand(
  ctx: AppContext,
  sub: string | undefined,
  positionals: string[],
  _v: Values,
  origin: AuditOrigin,
): Promise<{ json: unknown; text: string; exitCode?: number }> {
  const file = positionals[0];
  if (sub !== 'import' || !file) throw new Error('usage: dudao plan import FILE [--json]');
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  const root = await rootUnit(ctx.db);
  if (!root) throw new Error('no city bureau yet: run dudao init or dudao demo first');
  const name = basename(file, extname(file));
  const year = Number(/(20\d{2})/.exec(name)?.[1] ?? chinaToday().slice(0, 4));
  const actor = origin.actor ?? systemActor('cli');
  const r = await importPlanUpload(
    ctx,
    actor,
    createReadStream(file),
    basename(file),
    { ownerUnitId: root.id, title: name.slice(0, 120) || '工作计划', year, kind: 'annual' },
    { ...origin, actor },
  );
  const lines = [
    `${root.name}：导入计划 ${r.planId}`,
    `章节 ${r.chapters}，任务 ${r.tasks}，分解到责任单位 ${r.assignments}，未导入 ${r.rejected.length} 行`,
    ...r.rejected.map((x) => `  第 ${x.row} 行：${x.reasons.join('；')}`),
  ];
  return { json: r, text: lines.join('\n'), exitCode: r.tasks === 0 && r.rejected.length > 0 ? 1 : 0 };
}

export async function assessCommand(
  ctx: AppContext,
  sub: string | undefined,
  v: Values,
  origin: AuditOrigin,
): Promise<{ json: unknown; text: string; exitCode?: number }> {
  const plan = typeof v.plan === 'string' ? v.plan : undefined;
  const period = typeof v.period === 'string' ? v.period : undefined;
  if (sub !== 'score' || !plan || !period)
    throw new Error('usage: dudao assess score --plan ID --period P [--json]');
  if (!/^[0-9a-f-]{36}$/i.test(plan)) throw new Error(`not a plan id: ${plan}`);
  const periodId = await findPeriodForPlan(ctx, plan, period);
  if (!periodId) throw new Error(`no assessment period “${period}” for plan ${plan}`);
  const res = await periodResults(ctx, origin.actor ?? systemActor('cli'), periodId);
  const json = res.results.map((r) => ({
    unit: { code: r.unit.code, name: r.unit.name },
    score: r.score,
    grade: r.grade,
    rank: r.rank,
    vetoed: r.vetoed,
  }));
  const text = [
    `${res.period.schemeName} ${res.period.label}（${res.period.status === 'approved' ? '已审定' : '未审定，测算结果'}）`,
    ...json.map(
      (r) =>
        `${String(r.rank).padStart(3)}  ${r.unit.name}  ${r.score}  ${gradeLabels[r.grade].zh}${r.vetoed ? '  一票否决' : ''}`,
    ),
  ].join('\n');
  return { json, text };
}
