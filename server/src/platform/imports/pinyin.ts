// Pinyin initials for searching people by name (张三丰 → zsf), with pinyin-pro (MIT, ~1.2 MB, no
// dependencies). Its `surname: 'head'` mode reads the leading characters as a surname, which is what
// 多音字 surnames need: 单 shàn (not dān), 曾 zēng (not céng), 解 xiè, 仇 qiú, 朴 piáo, 区 ōu, 查 zhā,
// and compound surnames such as 尉迟 yùchí and 万俟 mòqí.
import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;

/** Lower-case pinyin initials of a name; Latin letters and digits kept, spaces and punctuation (·) dropped. */
export function pinyinInitials(name: string): string {
  const s = name.normalize('NFKC').replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, '');
  if (!s) return '';
  // A name without Han characters (a foreign name in Latin letters) is kept whole for searching.
  if (!HAN.test(s)) return s.toLowerCase();
  // pinyin-pro passes Latin letters and digits through unchanged, one array item per run.
  const initials = pinyin(s, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' });
  return initials.join('').toLowerCase();
}
