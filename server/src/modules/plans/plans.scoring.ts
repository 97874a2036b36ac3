/**
 * Scoring arithmetic of an assessment (考评), pure: item points from ratios and hand entries, bonuses and
 * deductions, veto items (一票否决) that void or cap a result, grades by bands, and ranking with ties
 * (the same score gets the same rank; the next rank skips: 1, 1, 3).
 */
import type { AssessGrade, AssessItemKind, AssessItemScore } from '@dudao/contracts';

export interface ItemDef {
  id: string;
  kind: AssessItemKind;
  name: string;
  weight: number;
  vetoMode: 'void' | 'cap' | null;
  vetoCap: number | null;
}
export interface Ratio {
  /** 0–1, or null when there is nothing to measure (scored in full). */
  ratio: number | null;
  basis: string;
  records: AssessItemScore['records'];
}
export interface Entry {
  points: number;
  reason: string;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

export function scoreItems(
  items: ItemDef[],
  ratios: Map<string, Ratio>,
  entries: Map<string, Entry>,
): { rawScore: number; score: number; vetoed: boolean; voided: boolean; items: AssessItemScore[] } {
  const out: AssessItemScore[] = [];
  let sum = 0;
  let voided = false;
  let cap: number | null = null;
  for (const it of items) {
    const e = entries.get(it.id);
    let points = 0;
    let basis = '';
    let records: AssessItemScore['records'] = [];
    let vetoed: boolean | undefined;
    switch (it.kind) {
      case 'task_completion':
      case 'target_achievement':
      case 'report_timeliness':
      case 'rectification_rate': {
        const r = ratios.get(it.id);
        points = it.weight * (r?.ratio ?? 1);
        basis = r ? (r.ratio === null ? `${r.basis}，按满分计` : r.basis) : '无考核数据，按满分计';
        records = r?.records ?? [];
        break;
      }
      case 'manual':
        points = e ? Math.min(e.points, it.weight) : 0;
        basis = e ? e.reason : '待评分';
        break;
      case 'bonus':
        points = e ? Math.min(e.points, it.weight) : 0;
        basis = e ? e.reason : '无加分';
        break;
      case 'deduction':
        points = e ? -Math.min(e.points, it.weight) : 0;
        basis = e ? e.reason : '无扣分';
        break;
      case 'veto':
        vetoed = !!e && e.points > 0;
        basis = vetoed ? e!.reason : '未触发';
        if (vetoed) {
          if (it.vetoMode === 'cap') cap = Math.min(cap ?? Infinity, it.vetoCap ?? 59);
          else voided = true;
        }
        break;
    }
    points = round2(points);
    sum += points;
    out.push({
      itemId: it.id,
      kind: it.kind,
      name: it.name,
      weight: it.weight,
      points,
      basis,
      records,
      ...(vetoed !== undefined ? { vetoed } : {}),
    });
  }
  const rawScore = round2(Math.max(0, sum));
  let score = rawScore;
  if (voided) score = 0;
  else if (cap !== null) score = Math.min(score, cap);
  return { rawScore, score: round2(score), vetoed: voided || cap !== null, voided, items: out };
}

export function gradeOf(
  score: number,
  bands: { grade: AssessGrade; min: number }[],
  voided: boolean,
): AssessGrade {
  if (voided) return 'fail';
  const sorted = [...bands].sort((a, b) => b.min - a.min);
  return sorted.find((b) => score >= b.min)?.grade ?? 'fail';
}

/** Competition ranking: equal scores share a rank, the next rank skips. Sorted by score, then `tie`. */
export function rank<T extends { score: number }>(
  rows: T[],
  tie: (a: T, b: T) => number,
): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score || tie(a, b));
  let prev: number | null = null;
  let r = 0;
  return sorted.map((row, i) => {
    if (prev === null || round2(row.score) !== round2(prev)) r = i + 1;
    prev = row.score;
    return { ...row, rank: r };
  });
}
