import { describe, expect, it } from 'vitest';
import { pinyinInitials } from './pinyin.js';

describe('pinyinInitials', () => {
  it('gives the initials of a name', () => {
    expect(pinyinInitials('张三丰')).toBe('zsf');
    expect(pinyinInitials('王小明')).toBe('wxm');
  });

  it('reads 多音字 surnames as surnames', () => {
    const cases: Record<string, string> = {
      单雄信: 'sxx', // shàn, not dān
      曾国藩: 'zgf', // zēng, not céng
      解缙: 'xj', // xiè, not jiě
      仇英: 'qy', // qiú, not chóu
      朴槿惠: 'pjh', // piáo
      区寄: 'oj', // ōu, not qū
      查良镛: 'zly', // zhā, not chá
      尉迟恭: 'ycg', // yùchí, not wèi
      万俟卨: 'mqx', // mòqí, not wàn
      长孙无忌: 'zswj', // zhǎngsūn
    };
    for (const [name, initials] of Object.entries(cases)) expect(pinyinInitials(name), name).toBe(initials);
  });

  it('drops spaces and the middle dot of minority names, keeps Latin letters in lower case', () => {
    expect(pinyinInitials('阿依古丽·买买提')).toBe('ayglmmt');
    expect(pinyinInitials(' 张 三 ')).toBe('zs');
    expect(pinyinInitials('Tom')).toBe('tom');
    expect(pinyinInitials('李Ａ')).toBe('la');
    expect(pinyinInitials('')).toBe('');
  });
});
