/** Small shared pieces of the registry pages: tags, grade names, flags, who may change records. */
import { Space, Tag } from 'antd';
import {
  STUDENT_FLAGS,
  gradeInfo,
  label,
  studentCheckLabels,
  studentFlagLabels,
  studentStageLabels,
  studentStatusLabels,
  transferStatusLabels,
  type Lang,
  type Me,
  type StudentCheckType,
  type StudentFlag,
  type StudentFlags,
  type StudentStage,
  type StudentStatus,
  type TransferStatus,
} from '@dudao/contracts';
import { useI18n } from '../../../app/i18n.tsx';
import type { STFunction } from '../messages.ts';

/** 一年级, 七年级, 高二, 大班 … (the raw number when the stage has no such grade). */
export function gradeName(stage: StudentStage, grade: number, lang: Lang): string {
  const info = gradeInfo(stage, grade);
  return info ? info[lang] : String(grade);
}

/** 小学 · 三年级 · 2班 */
export function gradeClassText(
  s: { stage: StudentStage; grade: number; className?: string | null },
  lang: Lang,
  withStage = true,
): string {
  const parts = [
    ...(withStage ? [label(studentStageLabels, s.stage, lang)] : []),
    gradeName(s.stage, s.grade, lang),
  ];
  if (s.className) parts.push(s.className);
  return parts.join(' · ');
}

/** The flag codes of the contracts (left_behind …) against the API's camelCase booleans. */
const FLAG_FIELDS: Record<StudentFlag, keyof StudentFlags> = {
  poverty_household: 'povertyHousehold',
  left_behind: 'leftBehind',
  migrant: 'migrant',
  disabled: 'disabled',
  orphan: 'orphan',
};

export function flagField(flag: StudentFlag): keyof StudentFlags {
  return FLAG_FIELDS[flag];
}

export function activeFlags(flags: StudentFlags): StudentFlag[] {
  return STUDENT_FLAGS.filter((f) => flags[FLAG_FIELDS[f]]);
}

const FLAG_COLORS: Record<StudentFlag, string> = {
  poverty_household: 'gold',
  left_behind: 'cyan',
  migrant: 'geekblue',
  disabled: 'purple',
  orphan: 'magenta',
};

/** One tag per flag that holds; nothing when none does. */
export function FlagTags({ flags }: { flags: StudentFlags }) {
  const { lang } = useI18n();
  const on = activeFlags(flags);
  if (on.length === 0) return null;
  return (
    <Space size={[0, 4]} wrap>
      {on.map((f) => (
        <Tag key={f} color={FLAG_COLORS[f]} variant="outlined" data-testid={`flag-${f}`}>
          {label(studentFlagLabels, f, lang)}
        </Tag>
      ))}
    </Space>
  );
}

const STATUS_COLORS: Record<StudentStatus, string> = {
  enrolled: 'success',
  suspended: 'warning',
  transferred_out: 'processing',
  graduated: 'blue',
  deceased: 'default',
  dropped_out: 'error',
};

export function StudentStatusTag({ status }: { status: StudentStatus }) {
  const { lang } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} variant="filled" data-testid="student-status">
      {label(studentStatusLabels, status, lang)}
    </Tag>
  );
}

const TRANSFER_COLORS: Record<TransferStatus, string> = {
  pending: 'orange',
  confirmed: 'green',
  rejected: 'red',
  cancelled: 'default',
};

export function TransferStatusTag({ status }: { status: TransferStatus }) {
  const { lang } = useI18n();
  return (
    <Tag color={TRANSFER_COLORS[status]} variant="filled">
      {label(transferStatusLabels, status, lang)}
    </Tag>
  );
}

const CHECK_COLORS: Record<StudentCheckType, string> = {
  id_birth_mismatch: 'volcano',
  id_sex_mismatch: 'orange',
  duplicate_enrolment: 'red',
  over_age: 'gold',
};

export function CheckTypeTag({ type }: { type: StudentCheckType }) {
  const { lang } = useI18n();
  return (
    <Tag color={CHECK_COLORS[type]} variant="outlined" className="student-check-tag">
      {label(studentCheckLabels, type, lang)}
    </Tag>
  );
}

/**
 * Whether to offer enrolling, correcting, status changes and transfers: the administrator roles hold
 * student.write and student.transfer (teachers, inspectors and leaders only read). A hint for the UI —
 * the server decides for each student and answers 403 otherwise.
 */
export function mayChangeStudents(me: Me): boolean {
  return me.roles.some(
    (r) => r.role === 'school_admin' || r.role === 'county_admin' || r.role === 'city_admin',
  );
}

/** The school year under way in China: '2025' from 1 September 2025 to 31 August 2026. */
export function currentSchoolYear(now = new Date()): number {
  const china = new Date(now.getTime() + 8 * 3600_000);
  const y = china.getUTCFullYear();
  return china.getUTCMonth() + 1 >= 9 ? y : y - 1;
}

export { chinaToday } from '../../../app/dates.ts';

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** 2025–2026 学年 */
export function schoolYearText(year: string | number, s: STFunction): string {
  return s('cls.schoolYearLabel', { y: year, next: Number(year) + 1 });
}
