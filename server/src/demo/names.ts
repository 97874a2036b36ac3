// Demo data only: plausible people and schools for a seeded 四平市 tenant. Every choice goes
// through the caller's rng so a seed reproduces the same city.

/** Caller-supplied uniform random source in [0, 1), typically seeded. */
export type Rng = () => number;

import type { SchoolStage } from '@dudao/contracts';

export type { SchoolStage };

/** Where a school is, what it teaches, its ordinal in the caller's list, and the names already taken. */
export interface SchoolNameContext {
  countyName: string;
  townName?: string;
  stage: SchoolStage;
  // 0 asks for the county's flagship (实验小学, 特殊教育学校 …); otherwise numbers are the lowest
  // free ones, so the result does not depend on the caller counting the same way we do.
  index: number;
  // Read and extended: the generator's only guard against duplicates across calls.
  used: Set<string>;
}

/**
 * The 100 most common surnames with their approximate share of the population in per-mille,
 * after the 公安部 household-registration rankings (王 ≈ 7.1%, 李 ≈ 7.0%, 张 ≈ 6.7% …). The
 * weights are national; the north-east has somewhat fewer southern names (覃, 韦, 黎, 莫).
 */
// prettier-ignore
export const SURNAMES: ReadonlyArray<readonly [surname: string, perMille: number]> = [
  ['王', 71.2], ['李', 70.0], ['张', 67.4], ['刘', 53.8], ['陈', 45.3],
  ['杨', 31.0], ['黄', 23.3], ['赵', 22.9], ['吴', 20.5], ['周', 20.3],
  ['徐', 16.0], ['孙', 15.2], ['马', 14.5], ['胡', 13.1], ['朱', 13.0],
  ['郭', 11.6], ['何', 11.8], ['林', 11.4], ['罗', 11.4], ['高', 10.9],
  ['郑', 10.0], ['梁', 9.7], ['谢', 8.5], ['宋', 8.0], ['唐', 7.9],
  ['许', 7.0], ['韩', 7.0], ['邓', 7.2], ['冯', 6.8], ['曹', 6.7],
  ['彭', 6.6], ['曾', 6.5], ['肖', 6.2], ['田', 6.1], ['董', 6.0],
  ['袁', 5.4], ['潘', 5.5], ['于', 5.3], ['蒋', 5.2], ['蔡', 5.2],
  ['余', 5.1], ['杜', 5.0], ['叶', 5.0], ['程', 4.8], ['苏', 4.7],
  ['魏', 4.6], ['吕', 4.6], ['丁', 4.5], ['任', 4.4], ['沈', 4.2],
  ['姚', 4.2], ['卢', 4.2], ['姜', 4.1], ['崔', 4.0], ['钟', 3.9],
  ['谭', 3.8], ['陆', 3.7], ['汪', 3.6], ['范', 3.6], ['金', 3.5],
  ['石', 3.5], ['廖', 3.4], ['贾', 3.3], ['夏', 3.3], ['韦', 3.3],
  ['付', 3.2], ['方', 3.2], ['白', 3.1], ['邹', 3.1], ['孟', 3.0],
  ['熊', 3.0], ['秦', 2.9], ['邱', 2.9], ['江', 2.8], ['尹', 2.8],
  ['薛', 2.7], ['闫', 2.7], ['段', 2.6], ['雷', 2.6], ['侯', 2.5],
  ['龙', 2.5], ['史', 2.5], ['陶', 2.4], ['黎', 2.4], ['贺', 2.3],
  ['顾', 2.3], ['毛', 2.3], ['郝', 2.2], ['龚', 2.2], ['邵', 2.1],
  ['万', 2.1], ['钱', 2.1], ['严', 2.0], ['覃', 2.0], ['武', 2.0],
  ['戴', 1.9], ['莫', 1.9], ['孔', 1.9], ['向', 1.8], ['汤', 1.8],
];

/** Characters commonly used in men's given names (some, like 华 or 宁, are shared by both sexes). */
export const MALE_GIVEN_CHARS: readonly string[] = [
  ...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳博文志建国东海峰亮成新光良力兵松柏森',
  ...'宏伦翔昊轩然哲睿泽晨辰铭瑞天航锦毅诚彬坤鸿江河山岩石卫振兴德福贵祥庆胜利民永长春雷鸣锋钢金铁栋梁',
  ...'楠弘扬恒远达立正义仁智勤贤彦嘉逸子豪宸皓煜烨琦骏驰腾跃川岳崇恩晓晖朗涵奕铮锐钧泓洋泉源清峻学思承',
  ...'延继安康乐家启君',
];

/** Characters commonly used in women's given names. */
export const FEMALE_GIVEN_CHARS: readonly string[] = [
  ...'丽敏静燕艳娟霞芳娜秀英华慧巧美娇莉萍红玲芬梅兰凤洁琳雪颖倩婷琪璐瑶怡欣悦佳雨萱涵诗梦晴岚蕾薇彤妍',
  ...'菲蕊嘉馨月玉珍珠翠萌茜晶婉媛婕娅姝淑惠贞雅琴露云虹丹青宁爽楠桐童语可心思若依伊然沫汐诺妮珊蓉莹荣',
  ...'菊桂香春秋冬晓晗曦琼瑾瑜瑞璇琬蔓苗茹芸芝芷蓓蕙柔舒畅乐欢笑宜艺逸冰清溪澜婧娴妙姗姣黎莎琦琰蓝霏霖',
  ...'昕昭晏影冉歆',
];

// Single-character given names were common for people born 1960s–1990s and are rarer now;
// roughly one in seven keeps demo rosters looking like a mixed-age population.
const SINGLE_CHAR_GIVEN_SHARE = 0.14;

const SURNAME_TOTAL = SURNAMES.reduce((sum, [, w]) => sum + w, 0);

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list, or rng() outside [0, 1)');
  return item;
}

function pickSurname(rng: Rng): string {
  let r = rng() * SURNAME_TOTAL;
  for (const [surname, weight] of SURNAMES) {
    r -= weight;
    if (r < 0) return surname;
  }
  // Only reachable through floating-point rounding at r ≈ total.
  return SURNAMES[SURNAMES.length - 1]?.[0] ?? '王';
}

/** A realistic Chinese full name: weighted common surname plus a 1- or 2-character given name. */
export function personName(rng: Rng, sex: 'M' | 'F'): string {
  const surname = pickSurname(rng);
  const chars = sex === 'M' ? MALE_GIVEN_CHARS : FEMALE_GIVEN_CHARS;
  // A given name repeating the surname (林林X) or itself (X华华) reads as a nickname, not a registered name.
  const next = (avoid: string[]): string => {
    for (;;) {
      const c = pick(rng, chars);
      if (!avoid.includes(c)) return c;
    }
  };
  const first = next([surname]);
  if (rng() < SINGLE_CHAR_GIVEN_SHARE) return surname + first;
  return surname + first + next([surname, first]);
}

const DIGITS = '零一二三四五六七八九';

/** Writes a positive integer below 10000 in Chinese numerals as schools use it (十一, 二十, 一百零八). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new RangeError(`unsupported number ${n}`);
  const units = ['', '十', '百', '千'];
  const digits = String(n).split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((d, i) => {
    const unit = units[digits.length - 1 - i] ?? '';
    if (d === 0) {
      pendingZero = out !== '';
      return;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    // 十一 rather than 一十一, but 一百一十.
    out += (d === 1 && unit === '十' && out === '' ? '' : DIGITS[d]) + unit;
  });
  return out;
}

// Flagship names a county gives its first school of a stage.
const FLAGSHIP: Record<SchoolStage, string[]> = {
  kindergarten: ['实验幼儿园', '机关幼儿园'],
  primary: ['实验小学'],
  junior: ['实验中学'],
  senior: ['第一高级中学', '实验高级中学'],
  nine_year: ['实验学校'],
  complete_secondary: ['第一中学', '实验中学'],
  vocational: ['职业教育中心'],
  special: ['特殊教育学校'],
};

// Numbered forms. Jilin uses both 小学 and 小学校 and numbers some nine-year schools plainly
// (长春 has 第N学校); a senior high is as often 第N中学 as 第N高级中学.
const ORDINAL_SUFFIXES: Record<SchoolStage, string[]> = {
  kindergarten: ['幼儿园'],
  primary: ['小学', '小学', '小学校'],
  junior: ['中学', '初级中学'],
  senior: ['高级中学', '中学'],
  nine_year: ['学校', '九年一贯制学校'],
  complete_secondary: ['中学'],
  vocational: ['职业中等专业学校', '职业技术学校', '中等职业技术学校'],
  special: ['特殊教育学校'],
};

// “Auspicious” names of the 1950s–70s that many north-eastern city schools (and villages) still carry.
// prettier-ignore
const GOOD_NAMES = [
  '育才', '新华', '胜利', '红旗', '向阳', '光明', '东风', '建设', '团结', '民主',
  '解放', '朝阳', '育英', '启明', '明德', '新兴', '和平', '长青', '北斗', '前进',
];

const NAMED_SUFFIX: Partial<Record<SchoolStage, { share: number; suffix: string }>> = {
  kindergarten: { share: 0.25, suffix: '幼儿园' },
  primary: { share: 0.35, suffix: '小学' },
  junior: { share: 0.15, suffix: '中学' },
  nine_year: { share: 0.3, suffix: '学校' },
};

// What a town-level name contributes, by the kind of 乡级 unit it is.
function* townCandidates(rng: Rng, ctx: SchoolNameContext, town: string): Generator<string> {
  const county = ctx.countyName;
  const ordinals = (suffix: string) => [2, 3, 4, 5].map((n) => `${town}第${chineseNumber(n)}${suffix}`);
  const goodNames = (suffix: string) =>
    [pick(rng, GOOD_NAMES), pick(rng, GOOD_NAMES)].map((g) => town + g + suffix);

  if (town.endsWith('街道')) {
    // Urban schools take the street's name without 街道 and keep the district in front: 铁西区仁兴小学.
    const stem = town.slice(0, -2);
    const suffix: Partial<Record<SchoolStage, string>> = {
      kindergarten: '幼儿园',
      primary: pick(rng, ORDINAL_SUFFIXES.primary),
      junior: '中学',
      nine_year: '学校',
      complete_secondary: '中学',
    };
    const s = suffix[ctx.stage];
    if (s) yield `${county}${stem}${s}`;
    return;
  }

  if (/(镇|乡|苏木)$/.test(town)) {
    // Rural schools are named after the town alone: 郭家店镇中心小学, 小宽镇中心幼儿园.
    switch (ctx.stage) {
      case 'kindergarten':
        yield `${town}中心幼儿园`;
        yield* ordinals('幼儿园');
        return;
      case 'primary':
        yield `${town}中心${rng() < 0.25 ? '小学校' : '小学'}`;
        yield* goodNames('小学');
        yield* ordinals('小学');
        return;
      case 'junior':
      case 'complete_secondary':
        yield `${town}中学`;
        yield* ordinals('中学');
        return;
      case 'nine_year':
        yield `${town}中心学校`;
        yield `${town}九年一贯制学校`;
        yield* goodNames('学校');
        return;
      case 'senior':
      case 'vocational':
      case 'special':
        // Run by the county even when the campus is in a town, so they carry the county's name.
        return;
    }
  }

  // Development zones and other 类似乡级单位 keep their full name: 红嘴高新技术开发区小学.
  const base: Partial<Record<SchoolStage, string>> = {
    kindergarten: '幼儿园',
    primary: '小学',
    junior: '中学',
    senior: '高级中学',
    nine_year: '学校',
    complete_secondary: '中学',
  };
  const s = base[ctx.stage];
  if (s) {
    yield town + s;
    yield* ordinals(s);
  }
}

function* countyCandidates(rng: Rng, ctx: SchoolNameContext): Generator<string> {
  const county = ctx.countyName;
  const { stage } = ctx;
  if (ctx.index === 0) yield* FLAGSHIP[stage].map((f) => county + f);
  // A county has one special school, rarely two; the second gets a name, not a number.
  if (stage === 'special') yield* ['特殊教育学校', '启智学校', '培智学校'].map((f) => county + f);
  const named = NAMED_SUFFIX[stage];
  const suffixes = ORDINAL_SUFFIXES[stage];
  // After the unnumbered 特殊教育学校 a numbered one starts at 第二, never 第一.
  for (let n = stage === 'special' ? 2 : 1; ; n++) {
    if (named && rng() < named.share) yield county + pick(rng, GOOD_NAMES) + named.suffix;
    const num = chineseNumber(n);
    // 第三中学 and 第三初级中学 side by side would look like a data error, so a number is taken once per stage.
    if (suffixes.some((s) => ctx.used.has(`${county}第${num}${s}`))) continue;
    yield `${county}第${num}${pick(rng, suffixes)}`;
  }
}

/** A unique, real-looking school name for a county (and optionally town), recorded in ctx.used. */
export function schoolName(rng: Rng, ctx: SchoolNameContext): string {
  // Town forms first; the county's forms are the fallback once a town's few names are taken.
  const sources = ctx.townName
    ? [townCandidates(rng, ctx, ctx.townName), countyCandidates(rng, ctx)]
    : [countyCandidates(rng, ctx)];
  for (const generator of sources) {
    for (const name of generator) {
      if (!ctx.used.has(name)) {
        ctx.used.add(name);
        return name;
      }
    }
  }
  // countyCandidates never ends, so this is unreachable.
  throw new Error('no school name available');
}
