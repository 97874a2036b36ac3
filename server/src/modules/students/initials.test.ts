import { describe, expect, it } from 'vitest';
import { initialsOf } from './initials.js';

describe('initialsOf', () => {
  it('gives the pinyin initials the registry searches by, surnames read as surnames', () => {
    expect(initialsOf('张三丰')).toBe('zsf');
    expect(initialsOf('王小明')).toBe('wxm');
    expect(initialsOf('欧阳娜娜')).toBe('oynn');
    expect(initialsOf('吕布')).toBe('lb');
    expect(initialsOf('单田芳')).toBe('stf');
    expect(initialsOf('曾国藩')).toBe('zgf');
    expect(initialsOf('阿依古丽·买买提')).toBe('ayglmmt');
    expect(initialsOf('')).toBe('');
  });
});
