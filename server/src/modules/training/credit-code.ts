/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-character set
 * (digits and upper-case letters without I, O, S, V, Z):
 *   1      登记管理部门代码 (registration authority: 1 机构编制 … 5 民政 … 9 工商 … Y 其他)
 *   2      机构类别代码 (type within that authority, e.g. 52 民办非企业单位, 91 企业, 92 个体工商户)
 *   3–8    登记管理机关行政区划码 (6-digit division code)
 *   9–17   主体标识码 = 组织机构代码 (GB 11714: 8 characters + its own check character, 0–9 or X)
 *   18     校验码: 31 − (Σ value(cᵢ)·3^(i−1) mod 31) mod 31, as a character of the set.
 * Pure functions, shared by the server, the CLI and the tests; no database.
 */

export const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Registration authorities and their type codes (GB 32100-2015, 表 1). */
const AUTHORITIES: Record<string, { zh: string; en: string; types: Record<string, string> }> = {
  '1': {
    zh: '机构编制',
    en: 'public-sector establishment',
    types: { '1': '机关', '2': '事业单位', '3': '群众团体', '9': '其他' },
  },
  '2': { zh: '外交', en: 'foreign affairs', types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    zh: '司法行政',
    en: 'justice administration',
    types: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { zh: '文化', en: 'culture', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': {
    zh: '民政',
    en: 'civil affairs',
    types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' },
  },
  '6': {
    zh: '旅游',
    en: 'tourism',
    types: { '1': '外国旅游部门常驻代表机构', '2': '港澳台旅游部门常驻代表机构', '9': '其他' },
  },
  '7': { zh: '宗教', en: 'religious affairs', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { zh: '工会', en: 'trade unions', types: { '1': '基层工会', '9': '其他' } },
  '9': {
    zh: '工商',
    en: 'market regulation',
    types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' },
  },
  A: {
    zh: '中央军委改革和编制办公室',
    en: 'military establishment',
    types: { '1': '军队事业单位', '9': '其他' },
  },
  N: {
    zh: '农业',
    en: 'agriculture',
    types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { zh: '其他', en: 'other', types: { '1': '其他' } },
};

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type CreditCodeError =
  | 'EMPTY'
  | 'LENGTH'
  | 'LOWERCASE'
  | 'CHARSET'
  | 'AUTHORITY'
  | 'TYPE'
  | 'DIVISION'
  | 'ORG_CODE_CHECK'
  | 'CHECK_CHAR';

export type CreditCodeResult =
  | { valid: true; code: string; authority: string; type: string; division: string; orgCode: string }
  | { valid: false; error: CreditCodeError; reason: { zh: string; en: string } };

/** The value of an organisation-code character (GB 11714: digits 0–9, letters A=10 … Z=35). */
function orgValue(c: string): number {
  return /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
}

/** The GB 11714 check character of an organisation code's first 8 characters. */
export function orgCodeCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgValue(first8[i]!) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** The GB 32100 check character of a code's first 17 characters (all from CREDIT_CODE_CHARS). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    sum += CREDIT_CODE_CHARS.indexOf(first17[i]!) * w;
    w = (w * 3) % 31;
  }
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31]!;
}

/** Builds a valid code from its parts (demo data and tests): authority+type, division, 8-char org body. */
export function makeCreditCode(authorityType: string, division: string, orgBody8: string): string {
  const first17 = authorityType + division + orgBody8 + orgCodeCheckChar(orgBody8);
  return first17 + creditCodeCheckChar(first17);
}

const fail = (error: CreditCodeError, zh: string, en: string): CreditCodeResult => ({
  valid: false,
  error,
  reason: { zh, en },
});

/**
 * Validates a code as typed. Surrounding spaces are ignored; lower case is refused (the code is printed in
 * upper case on every licence; a lower-case entry is a typing slip the user should see), as are the letters
 * I, O, S, V and Z, which the standard excludes.
 */
export function validateCreditCode(input: string): CreditCodeResult {
  const code = input.trim();
  if (code === '') return fail('EMPTY', '请输入统一社会信用代码', 'Enter a unified social credit code');
  if (code.length !== 18)
    return fail('LENGTH', `应为18位，实际${code.length}位`, `Must be 18 characters, got ${code.length}`);
  if (/[a-z]/.test(code)) return fail('LOWERCASE', '字母应为大写', 'Letters must be upper case');
  const bad = [...code].find((c) => !CREDIT_CODE_CHARS.includes(c));
  if (bad !== undefined)
    return fail(
      'CHARSET',
      `含有不允许的字符“${bad}”（不使用I、O、S、V、Z）`,
      `Character "${bad}" is not allowed (I, O, S, V, Z are never used)`,
    );
  const authority = AUTHORITIES[code[0]!];
  if (!authority)
    return fail(
      'AUTHORITY',
      `第1位登记管理部门代码“${code[0]}”无效`,
      `Registration authority code "${code[0]}" is unknown`,
    );
  const type = authority.types[code[1]!];
  if (!type)
    return fail(
      'TYPE',
      `第2位机构类别代码“${code[1]}”不属于${authority.zh}登记`,
      `Type code "${code[1]}" does not exist for ${authority.en}`,
    );
  const division = code.slice(2, 8);
  if (!/^\d{6}$/.test(division) || Number(division.slice(0, 2)) < 11 || Number(division.slice(0, 2)) > 82)
    return fail('DIVISION', `第3–8位行政区划码“${division}”无效`, `Division code "${division}" is not valid`);
  const org = code.slice(8, 17);
  const orgCheck = orgCodeCheckChar(org.slice(0, 8));
  if (org[8] !== orgCheck)
    return fail(
      'ORG_CODE_CHECK',
      `第9–17位组织机构代码校验位错误（应为${orgCheck}）`,
      `The organisation code's check character is wrong (should be ${orgCheck})`,
    );
  const check = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== check)
    return fail(
      'CHECK_CHAR',
      `第18位校验码错误（应为${check}）`,
      `The check character is wrong (should be ${check})`,
    );
  return {
    valid: true,
    code,
    authority: authority.zh,
    type,
    division,
    orgCode: `${org.slice(0, 8)}-${org[8]}`,
  };
}
