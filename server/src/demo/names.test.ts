import { describe, it, expect } from 'vitest';
import { childDivisions } from '../platform/regions/divisions.js';
import {
  FEMALE_GIVEN_CHARS,
  MALE_GIVEN_CHARS,
  SURNAMES,
  chineseNumber,
  personName,
  schoolName,
  type SchoolStage,
} from './names.js';

// Small, well-known seeded PRNG so the tests are reproducible.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HAN_NAME = /^\p{Script=Han}{2,4}$/u;
const SCHOOL_SUFFIX = /(幼儿园|小学|小学校|中学|学校|职业教育中心)$/;

describe('name data', () => {
  it('has about 100 distinct weighted surnames and ~150 distinct characters per sex', () => {
    expect(new Set(SURNAMES.map(([s]) => s)).size).toBe(100);
    expect(SURNAMES.every(([s, w]) => /^\p{Script=Han}$/u.test(s) && w > 0)).toBe(true);
    for (const chars of [MALE_GIVEN_CHARS, FEMALE_GIVEN_CHARS]) {
      expect(new Set(chars).size).toBe(chars.length);
      expect(chars.length).toBeGreaterThanOrEqual(145);
      expect(chars.every((c) => /^\p{Script=Han}$/u.test(c))).toBe(true);
    }
  });
});

describe('personName', () => {
  it('produces 2–4 Han characters from the right lists, mostly with 2-character given names', () => {
    const rng = mulberry32(20240901);
    const surnames = new Set(SURNAMES.map(([s]) => s));
    let threeChar = 0;
    const counts = new Map<string, number>();
    const total = 3000;
    for (let i = 0; i < total; i++) {
      const sex = i % 2 === 0 ? 'M' : 'F';
      const name = personName(rng, sex);
      expect(name).toMatch(HAN_NAME);
      const [surname = '', ...given] = [...name];
      expect(surnames.has(surname)).toBe(true);
      const chars = sex === 'M' ? MALE_GIVEN_CHARS : FEMALE_GIVEN_CHARS;
      expect(given.every((c) => chars.includes(c) && c !== surname)).toBe(true);
      if (given.length === 2) threeChar++;
      counts.set(surname, (counts.get(surname) ?? 0) + 1);
    }
    expect(threeChar / total).toBeGreaterThan(0.8);
    expect(threeChar / total).toBeLessThan(0.92);
    // 王, 李 and 张 together are about a fifth of the population.
    const top3 = ['王', '李', '张'].reduce((n, s) => n + (counts.get(s) ?? 0), 0) / total;
    expect(top3).toBeGreaterThan(0.17);
    expect(top3).toBeLessThan(0.3);
  });

  it('is deterministic for a given seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const run = (rng: () => number) =>
      Array.from({ length: 20 }, (_, i) => personName(rng, i % 2 ? 'F' : 'M'));
    expect(run(a)).toEqual(run(b));
  });
});

describe('chineseNumber', () => {
  it('writes ordinals the way school names do', () => {
    expect([1, 2, 10, 11, 20, 23, 100, 101, 108, 110, 999].map(chineseNumber)).toEqual([
      '一',
      '二',
      '十',
      '十一',
      '二十',
      '二十三',
      '一百',
      '一百零一',
      '一百零八',
      '一百一十',
      '九百九十九',
    ]);
    expect(() => chineseNumber(0)).toThrow(RangeError);
  });
});

describe('schoolName', () => {
  const half = () => 0.5;

  it('follows real naming patterns', () => {
    const used = new Set<string>();
    const name = (countyName: string, stage: SchoolStage, index: number, townName?: string) =>
      schoolName(half, { countyName, stage, index, used, ...(townName ? { townName } : {}) });
    expect(name('铁西区', 'primary', 0)).toBe('铁西区实验小学');
    expect(name('梨树县', 'junior', 2)).toMatch(/^梨树县第一(初级)?中学$/);
    // Numbers are taken once per stage, whichever suffix the first one got.
    expect(name('梨树县', 'junior', 3)).toMatch(/^梨树县第二(初级)?中学$/);
    expect(name('伊通满族自治县', 'senior', 0)).toBe('伊通满族自治县第一高级中学');
    expect(name('梨树县', 'primary', 4, '郭家店镇')).toBe('郭家店镇中心小学');
    expect(name('梨树县', 'kindergarten', 1, '小宽镇')).toBe('小宽镇中心幼儿园');
    expect(name('铁东区', 'kindergarten', 0)).toBe('铁东区实验幼儿园');
    expect(name('双辽市', 'special', 0)).toBe('双辽市特殊教育学校');
    expect(name('双辽市', 'special', 1)).toBe('双辽市启智学校');
    expect(name('双辽市', 'special', 2)).toBe('双辽市培智学校');
    expect(name('双辽市', 'special', 3)).toBe('双辽市第二特殊教育学校');
    expect(name('四平市', 'vocational', 0)).toBe('四平市职业教育中心');
    expect(name('四平市', 'vocational', 1)).toMatch(/^四平市第一(职业中等专业|职业技术|中等职业技术)学校$/);
    expect(name('梨树县', 'senior', 1, '郭家店镇')).toMatch(/^梨树县第.+中学$/);
    expect(name('铁西区', 'primary', 1, '仁兴街道')).toMatch(/^铁西区仁兴小学校?$/);
    // The same request again must not repeat a name.
    expect(name('梨树县', 'primary', 4, '郭家店镇')).not.toBe('郭家店镇中心小学');
  });

  it('generates 300 unique, plausible names across 四平市', () => {
    const rng = mulberry32(220300);
    const used = new Set<string>();
    // Roughly the mix of a north-eastern prefecture: many kindergartens and primaries, few of the rest.
    const weights: Array<[SchoolStage, number]> = [
      ['kindergarten', 30],
      ['primary', 35],
      ['junior', 12],
      ['nine_year', 8],
      ['senior', 5],
      ['complete_secondary', 4],
      ['vocational', 4],
      ['special', 2],
    ];
    const stages = weights.flatMap(([stage, w]) => Array.from({ length: w }, () => stage));
    const counties = childDivisions('220300');
    expect(counties).toHaveLength(5);
    const names: string[] = [];
    const perStage = new Map<string, number>();
    for (let i = 0; names.length < 300; i++) {
      const county = counties[i % counties.length];
      if (!county) throw new Error('no county');
      const towns = childDivisions(county.code);
      const stage = stages[Math.floor(rng() * stages.length)] ?? 'primary';
      const town = rng() < 0.5 ? towns[Math.floor(rng() * towns.length)] : undefined;
      const key = `${county.code}:${stage}`;
      const index = perStage.get(key) ?? 0;
      perStage.set(key, index + 1);
      names.push(
        schoolName(rng, {
          countyName: county.name,
          stage,
          index,
          used,
          ...(town ? { townName: town.name } : {}),
        }),
      );
    }
    expect(new Set(names).size).toBe(300);
    expect(used.size).toBe(300);
    for (const n of names) {
      expect(n).toMatch(/^\p{Script=Han}+$/u);
      expect(n).toMatch(SCHOOL_SUFFIX);
      expect(n).not.toContain('街道');
      expect(n).not.toContain('第零');
    }
    // 伊通's schools keep the full official county name, as real ones do.
    const yitong = names.filter((n) => n.startsWith('伊通'));
    expect(yitong.length).toBeGreaterThan(0);
    expect(yitong.every((n) => n.startsWith('伊通满族自治县') || /^伊通.*(镇|乡)/.test(n))).toBe(true);
  });

  it('is deterministic for a given seed', () => {
    const run = () => {
      const rng = mulberry32(99);
      const used = new Set<string>();
      return Array.from({ length: 30 }, (_, index) =>
        schoolName(rng, { countyName: '梨树县', stage: 'primary', index, used }),
      );
    };
    expect(run()).toEqual(run());
  });
});
