import { describe, it, expect } from 'vitest';
import { allDivisions, childDivisions, divisionPath, findDivision, isKnownCountyCode } from './divisions.js';

describe('administrative divisions', () => {
  it('knows 四平市 as a prefecture-level city of 吉林省', () => {
    expect(findDivision('220300')).toEqual({
      code: '220300',
      name: '四平市',
      level: 'city',
      parentCode: '220000',
    });
    expect(findDivision('220000')).toMatchObject({ name: '吉林省', level: 'province', parentCode: null });
  });

  it('lists the county-level divisions of 四平市 as the dataset has them', () => {
    // 公主岭市 (220184) moved to 长春市 in 2020, so it must not appear here.
    expect(childDivisions('220300').map((d) => [d.code, d.name, d.level])).toEqual([
      ['220302', '铁西区', 'county'],
      ['220303', '铁东区', 'county'],
      ['220322', '梨树县', 'county'],
      ['220323', '伊通满族自治县', 'county'],
      ['220382', '双辽市', 'county'],
    ]);
    expect(findDivision('220184')?.parentCode).toBe('220100');
  });

  it('builds the path from province to town', () => {
    expect(divisionPath('220322101').map((d) => d.name)).toEqual(['吉林省', '四平市', '梨树县', '郭家店镇']);
    expect(divisionPath('220323').map((d) => d.code)).toEqual(['220000', '220300', '220323']);
    expect(divisionPath('999999')).toEqual([]);
  });

  it('hangs municipal districts and province-administered counties directly off the province', () => {
    expect(divisionPath('110105').map((d) => d.name)).toEqual(['北京市', '朝阳区']);
    expect(findDivision('500101')?.parentCode).toBe('500000');
    expect(findDivision('429004')).toMatchObject({ name: '仙桃市', level: 'county', parentCode: '420000' });
    expect(findDivision('110100')).toBeUndefined();
  });

  it('ships the towns of 梨树县 with clean names', () => {
    const towns = childDivisions('220322');
    expect(towns.length).toBeGreaterThan(0);
    expect(
      towns.every((t) => t.level === 'town' && t.parentCode === '220322' && /^\d{9}$/.test(t.code)),
    ).toBe(true);
    expect(towns.map((t) => t.name)).toContain('郭家店镇');
    // The source repeats “四平市铁东区” in front of 铁东区's towns; the importer strips it.
    expect(childDivisions('220303').map((t) => t.name)).toContain('山门镇');
    expect(childDivisions('220303').some((t) => t.name.startsWith('四平市'))).toBe(false);
  });

  it('returns undefined and empty results for unknown codes', () => {
    expect(findDivision('229999')).toBeUndefined();
    expect(findDivision('')).toBeUndefined();
    expect(childDivisions('229999')).toEqual([]);
    // Counties outside 四平市 have no shipped towns.
    expect(childDivisions('220102')).toEqual([]);
  });

  it('recognises county codes only', () => {
    expect(isKnownCountyCode('220302')).toBe(true);
    expect(isKnownCountyCode('220300')).toBe(false);
    expect(isKnownCountyCode('220000')).toBe(false);
    expect(isKnownCountyCode('220322101')).toBe(false);
    // NBS-only development zones are excluded.
    expect(isKnownCountyCode('220171')).toBe(false);
  });

  it('covers all 34 province-level units with consistent parents', () => {
    const all = allDivisions();
    expect(all.filter((d) => d.level === 'province')).toHaveLength(34);
    expect(findDivision('810000')?.name).toBe('香港特别行政区');
    const codes = new Set(all.map((d) => d.code));
    expect(codes.size).toBe(all.length);
    expect(all.every((d) => d.parentCode === null || codes.has(d.parentCode))).toBe(true);
    // Callers get a copy, not the shared index.
    all.length = 0;
    expect(allDivisions().length).toBeGreaterThan(3000);
  });
});
