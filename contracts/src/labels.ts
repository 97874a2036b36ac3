/** Display labels for enumerations, Chinese first. Used by the web client and by exports. */
export type Lang = 'zh' | 'en';
type Labels = Record<string, { zh: string; en: string }>;

export const unitKindLabels = {
  city_bureau: { zh: '市教育局', en: 'City bureau' },
  county_bureau: { zh: '县区教育局', en: 'County bureau' },
  school: { zh: '学校', en: 'School' },
} satisfies Labels;

export const stageLabels = {
  kindergarten: { zh: '幼儿园', en: 'Kindergarten' },
  primary: { zh: '小学', en: 'Primary' },
  junior: { zh: '初中', en: 'Junior secondary' },
  senior: { zh: '高中', en: 'Senior secondary' },
  nine_year: { zh: '九年一贯制', en: 'Nine-year school' },
  complete_secondary: { zh: '完全中学', en: 'Complete secondary' },
  vocational: { zh: '中职', en: 'Vocational' },
  special: { zh: '特殊教育', en: 'Special education' },
} satisfies Labels;

export const ownershipLabels = {
  public: { zh: '公办', en: 'Public' },
  private: { zh: '民办', en: 'Private' },
} satisfies Labels;

export const localityLabels = {
  urban: { zh: '城区', en: 'Urban' },
  town: { zh: '镇区', en: 'Town' },
  rural: { zh: '乡村', en: 'Rural' },
} satisfies Labels;

export const roleLabels = {
  city_admin: { zh: '市级管理员', en: 'City admin' },
  county_admin: { zh: '县区管理员', en: 'County admin' },
  school_admin: { zh: '学校管理员', en: 'School admin' },
  teacher: { zh: '教师', en: 'Teacher' },
  inspector: { zh: '督学', en: 'Inspector' },
  leader: { zh: '领导（只读）', en: 'Leader (read-only)' },
} satisfies Labels;

export const statusLabels = {
  active: { zh: '正常', en: 'Active' },
  disabled: { zh: '已停用', en: 'Disabled' },
  locked: { zh: '已锁定', en: 'Locked' },
} satisfies Labels;

/** Label of an enumeration value in a language, falling back to the raw value. */
export function label(labels: Labels, value: string | null | undefined, lang: Lang): string {
  if (value == null) return '';
  return labels[value]?.[lang] ?? value;
}
