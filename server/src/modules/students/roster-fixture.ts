/**
 * Generated student rosters in the shape bureaus send (title row, the template's columns), for the import
 * tests and the import benchmark. Deterministic: row i is always the same student, with a valid and unique
 * ID number (up to ~5 million rows), its G student number, and a grade that fits the birth date.
 */
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { chineseName } from '../../platform/imports/test-helpers.js';
import { currentSchoolYear } from './students.mapping.js';

export const ROSTER_HEADER = [
  '姓名',
  '性别',
  '出生日期',
  '民族',
  '身份证号',
  '学籍号',
  '学校标识码',
  '年级',
  '班级',
  '户籍所在地',
  '现住址',
  '留守儿童',
  '监护人1姓名',
  '监护人1关系',
  '监护人1电话',
] as const;

const GRADE_NAMES = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级'];
const REGIONS = ['220302', '220303', '220322', '220381', '220382'];
const PER_REGION = 2 * 360 * 6 * 499;

/** Data row i of a primary-school roster for the given school codes (round robin). */
export function rosterRow(i: number, schoolCodes: readonly string[]): string[] {
  const g = i % 6; // grade index
  const sex = Math.floor(i / 6) % 2 === 0 ? 'M' : 'F';
  const day = Math.floor(i / 12) % 360;
  const seq = Math.floor(i / (12 * 360)) % 499;
  const region = REGIONS[Math.floor(i / PER_REGION) % REGIONS.length]!;
  const year = currentSchoolYear() - 6 - g;
  const birth = new Date(Date.UTC(year, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  const id = generateIdNumber(region, birth, sex, seq);
  const name = chineseName(i);
  return [
    name,
    sex === 'M' ? '男' : '女',
    birth,
    '汉族',
    id,
    `G${id}`,
    schoolCodes[i % schoolCodes.length]!,
    GRADE_NAMES[g]!,
    `${(i % 4) + 1}班`,
    region,
    `吉林省四平市铁西区英雄大街${i % 1000}号`,
    i % 10 === 0 ? '是' : '否',
    `${name.slice(0, 1)}建国`,
    '父亲',
    `138${String(i % 100_000_000).padStart(8, '0')}`,
  ];
}

/** The rows of a roster file: a title row, the header, then rows from..to-1. */
export function rosterRows(from: number, to: number, schoolCodes: readonly string[]): string[][] {
  const rows: string[][] = [['学生花名册（2026年秋季学期）'], [...ROSTER_HEADER]];
  for (let i = from; i < to; i++) rows.push(rosterRow(i, schoolCodes));
  return rows;
}

/** CSV text (CRLF) of rows; quotes only where needed. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return (
    rows
      .map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
      .join('\r\n') + '\r\n'
  );
}
