/**
 * `dudao balance FILE [--json]`: the balanced-development coefficients of a county computed straight from a
 * table with one row per school (an evaluator checking a county before the provincial visit). No database.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  balanceFigureLabels,
  balanceStageLabels,
  QUALITY_INDICATORS,
  type BalanceResult,
  type BalanceStageResult,
  type QualityIndicator,
} from '@dudao/contracts';
import { computeBalance } from '../modules/balance/balance.engine.js';
import { readBalanceTable } from '../modules/balance/balance.table.js';
import { AppError } from '../platform/errors.js';

const SHORT: Record<QualityIndicator, string> = {
  qualifiedTeachersPer100: '高学历',
  backboneTeachersPer100: '骨干',
  artsPeTeachersPer100: '体艺',
  buildingArea: '校舍',
  sportsArea: '场馆',
  equipmentValue: '仪器',
  multimediaRoomsPer100: '多媒体',
};

// Terminal columns: CJK characters take two cells.
const width = (s: string) =>
  [...s].reduce(
    (w, ch) =>
      w +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        ch,
      )
        ? 2
        : 1),
    0,
  );
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;
const fmt = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? '—' : v.toFixed(digits);
const verdict = (p: boolean | null) => (p === null ? '无法判定' : p ? '达标' : '未达标');

function stageText(s: BalanceStageResult, result: BalanceResult): string {
  const lines: string[] = [];
  const label = balanceStageLabels[s.stage].zh;
  lines.push(`【${label}】参评学校 ${s.schools.length} 所，在校生 ${s.students} 人`);
  if (s.schools.length === 0) return lines.join('\n');
  lines.push('', '一、优质均衡（教督〔2017〕6号）');
  lines.push(
    `  ${pad('指标', 46)}${padStart('标准', 8)}${padStart('县域值', 10)}${padStart('差异系数', 10)}${padStart('限值', 6)}  结果`,
  );
  for (const q of s.quality.indicators) {
    lines.push(
      `  ${pad(q.label, 46)}${padStart(fmt(q.standard, q.key === 'equipmentValue' ? 0 : 1), 8)}${padStart(fmt(q.countyValue), 10)}${padStart(fmt(q.cv, 3), 10)}${padStart(fmt(q.cvLimit), 6)}  ${q.reason ?? verdict(q.passed)}`,
    );
  }
  lines.push(
    `  差异系数：${verdict(s.quality.cvPassed)}；学校达标 ${s.quality.compliantSchools}/${s.schools.length} 所（每校至少 ${result.options.minMet} 项达标，其余不低于标准的 ${Math.round(result.options.remainingMinRatio * 100)}%）`,
  );
  lines.push('', '  学校资源配置达标情况（✓ 达标，✗ 未达标）');
  const nameOf = (x: (typeof s.schools)[number]) =>
    x.share === null ? x.name : `${x.name}（拆分 ${Math.round(x.share * 1000) / 10}%）`;
  const nameWidth = Math.min(40, Math.max(8, ...s.schools.map((x) => width(nameOf(x))))) + 2;
  lines.push(
    `  ${pad('学校', nameWidth)}${padStart('在校生', 8)}${QUALITY_INDICATORS.map((k) => padStart(SHORT[k], 12)).join('')}  达标`,
  );
  for (const sc of s.schools) {
    const cells = QUALITY_INDICATORS.map((k) => {
      const m = sc.met[k];
      const mark = m === null || m === undefined ? '?' : m ? '✓' : '✗';
      return padStart(`${mark}${fmt(sc.values[k], k === 'equipmentValue' ? 0 : 2)}`, 12);
    }).join('');
    lines.push(
      `  ${pad(nameOf(sc), nameWidth)}${padStart(String(sc.students), 8)}${cells}  ${sc.compliant === null ? '?' : sc.compliant ? '是' : '否'}`,
    );
  }
  if (s.holdingBack.indicators.length > 0 || s.holdingBack.schools.length > 0) {
    lines.push('', '  影响达标的主要因素');
    for (const h of s.holdingBack.indicators) {
      const label = s.quality.indicators.find((q) => q.key === h.indicator)?.label ?? h.indicator;
      const who = h.schools.map(
        (x) => `${x.name}（${x.direction === 'below' ? '偏低' : '偏高'}，占 ${Math.round(x.share * 100)}%）`,
      );
      lines.push(`  · ${label} 差异系数 ${fmt(h.cv, 3)} > ${fmt(h.cvLimit)}：${who.join('、')}`);
    }
    for (const h of s.holdingBack.schools) {
      const gaps = h.shortfalls.map((f) => {
        const q = s.quality.indicators.find((x) => x.key === f.indicator);
        return `${q?.label ?? f.indicator} ${fmt(f.value)}（标准 ${f.standard}，为 ${Math.round(f.ratio * 100)}%，尚缺 ${fmt(f.resourceNeeded)} ${q?.unit ?? ''}）`;
      });
      lines.push(`  · ${h.name} 仅 ${h.metCount} 项达标：${gaps.join('；')}`);
    }
  }
  lines.push(
    '',
    `二、基本均衡（2012）综合差异系数 ${fmt(s.basic.composite, 3)}（限值 ${fmt(s.basic.compositeLimit)}）：${verdict(s.basic.passed)}`,
  );
  for (const b of s.basic.indicators) {
    lines.push(
      `  ${pad(b.label, 46)}${padStart(fmt(b.countyValue, 3), 12)}${padStart(fmt(b.cv, 3), 10)}${b.reason ? '  ' + b.reason : ''}`,
    );
  }
  return lines.join('\n');
}

/** The readable Chinese report of a result. */
export function balanceText(result: BalanceResult): string {
  const parts = [`县域义务教育均衡发展差异系数测算：${result.file ?? ''}`];
  for (const s of result.stages) parts.push(stageText(s, result));
  if (result.excluded.length > 0)
    parts.push(
      ['未参与计算的学校：', ...result.excluded.map((e) => `  第 ${e.row} 行 ${e.name}：${e.reason}`)].join(
        '\n',
      ),
    );
  if (result.errors.length > 0)
    parts.push(
      [
        '有错误的行（未参与计算）：',
        ...result.errors.map((e) => `  第 ${e.row} 行${e.column ? `【${e.column}】` : ''}：${e.message}`),
      ].join('\n'),
    );
  if (result.columns.missing.length > 0)
    parts.push(
      `表中没有的列：${result.columns.missing.map((f) => balanceFigureLabels[f].zh).join('、')}（相关指标无法计算）`,
    );
  return parts.join('\n\n');
}

/** Runs the command: the result as JSON data and as text. Throws with a message on an unreadable file. */
export async function balanceCommand(file: string | undefined): Promise<{ json: unknown; text: string }> {
  if (!file) throw new Error('usage: dudao balance FILE [--json]');
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error(`${file} 不是文件`);
  } catch (e) {
    if (e instanceof Error && !('code' in e)) throw e;
    throw new Error(`无法读取文件 ${file}（cannot read the file）`);
  }
  try {
    const table = await readBalanceTable(file, basename(file));
    const result = computeBalance(table);
    return { json: { ok: true, ...result }, text: balanceText(result) };
  } catch (e) {
    if (e instanceof AppError) throw new Error(`${e.msg.zh}（${e.code}）`);
    throw e;
  }
}
