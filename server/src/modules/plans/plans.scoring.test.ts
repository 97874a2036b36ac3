/** Scoring arithmetic: weights × ratios, hand items, bonus and deduction, veto (void, cap), grades, ties. */
import { DEFAULT_BANDS } from '@dudao/contracts';
import { describe, expect, it } from 'vitest';
import { gradeOf, rank, scoreItems, type ItemDef } from './plans.scoring.js';

const items: ItemDef[] = [
  { id: 'task', kind: 'task_completion', name: '任务', weight: 50, vetoMode: null, vetoCap: null },
  { id: 'rect', kind: 'rectification_rate', name: '整改', weight: 30, vetoMode: null, vetoCap: null },
  { id: 'man', kind: 'manual', name: '实绩', weight: 20, vetoMode: null, vetoCap: null },
  { id: 'plus', kind: 'bonus', name: '加分', weight: 5, vetoMode: null, vetoCap: null },
  { id: 'minus', kind: 'deduction', name: '扣分', weight: 10, vetoMode: null, vetoCap: null },
  { id: 'v1', kind: 'veto', name: '重大事故', weight: 0, vetoMode: 'void', vetoCap: null },
  { id: 'v2', kind: 'veto', name: '师德', weight: 0, vetoMode: 'cap', vetoCap: 59 },
];
const ratios = (task: number | null, rect: number | null) =>
  new Map([
    ['task', { ratio: task, basis: 't', records: [] }],
    ['rect', { ratio: rect, basis: 'r', records: [] }],
  ]);
const entries = (e: Record<string, [number, string]>) =>
  new Map(Object.entries(e).map(([k, [points, reason]]) => [k, { points, reason }]));

describe('scoreItems', () => {
  it('weights ratios, adds hand scores and bonus, subtracts deductions', () => {
    const s = scoreItems(
      items,
      ratios(0.8, 0.5),
      entries({ man: [18, '实绩好'], plus: [3, '表彰'], minus: [4, '通报'] }),
    );
    // 40 + 15 + 18 + 3 − 4
    expect(s).toMatchObject({ rawScore: 72, score: 72, vetoed: false });
    expect(s.items.map((i) => i.points)).toEqual([40, 15, 18, 3, -4, 0, 0]);
  });
  it('scores in full where there is nothing to measure, caps hand points at the weight, never goes below 0', () => {
    expect(scoreItems(items, ratios(null, null), entries({ man: [25, 'x'] })).score).toBe(100);
    expect(scoreItems(items, ratios(0, 0), entries({ minus: [10, '扣'] })).score).toBe(0);
  });
  it('voids a result on a void veto, caps it on a cap veto', () => {
    const voided = scoreItems(items, ratios(1, 1), entries({ man: [20, 'x'], v1: [1, '事故'] }));
    expect(voided).toMatchObject({ rawScore: 100, score: 0, vetoed: true, voided: true });
    expect(gradeOf(voided.score, DEFAULT_BANDS, voided.voided)).toBe('fail');
    const capped = scoreItems(items, ratios(1, 1), entries({ man: [20, 'x'], v2: [1, '师德'] }));
    expect(capped).toMatchObject({ rawScore: 100, score: 59, vetoed: true, voided: false });
    expect(capped.items.find((i) => i.itemId === 'v2')!.vetoed).toBe(true);
  });
});

describe('grades and ranks', () => {
  it('grades by the bands, at their lower bounds', () => {
    expect([90, 89.99, 80, 79.99, 60, 59.99].map((s) => gradeOf(s, DEFAULT_BANDS, false))).toEqual([
      'excellent',
      'good',
      'good',
      'pass',
      'pass',
      'fail',
    ]);
  });
  it('gives equal scores the same rank and skips the next', () => {
    const r = rank(
      [
        { name: 'a', score: 88 },
        { name: 'b', score: 92 },
        { name: 'c', score: 88 },
        { name: 'd', score: 70 },
        { name: 'e', score: 92 },
      ],
      (x, y) => x.name.localeCompare(y.name),
    );
    expect(r.map((x) => `${x.name}${x.rank}`)).toEqual(['b1', 'e1', 'a3', 'c3', 'd5']);
  });
});
