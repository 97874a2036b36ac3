/**
 * Compliance of an institution (five aspects, definitions in docs/training.md) computed from its facts, and
 * the aggregation per county and for the city: Σ compliant / Σ institutions under supervision, never a mean
 * of the counties' ratios.
 */
import {
  TRAINING_DOC_KINDS,
  TRAINING_SUPERVISED,
  trainingDocLabels,
  type Compliance,
  type ComplianceAspect,
  type ComplianceRow,
  type InstitutionSummary,
  type ListStatus,
  type TrainingStatus,
} from '@dudao/contracts';
import { validateCreditCode } from './credit-code.js';

/** The facts compliance needs (a FactRow from the repository satisfies this). */
export interface ComplianceFacts {
  credit_code: string | null;
  category: 'subject' | 'non_subject';
  legal_form: string;
  licence_no: string | null;
  licence_from: string | null;
  licence_to: string | null;
  venue_count: number;
  venue_bad: number;
  teacher_count: number;
  unchecked: number;
  uncertified: number;
  docs_in_force: string[];
  custody_account: string | null;
  custody_balance_cents: string | null;
  reserve_cents: string | null;
  owed_cents: string;
  required_cents: string;
}

const cents = (v: string | null) => (v === null ? null : Number(v));
const yuan = (c: number) => (c / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** Whether prepaid fees are supervised: custody covering what is owed, or a sufficient risk reserve. */
export function fundsSupervised(
  f: Pick<
    ComplianceFacts,
    'custody_account' | 'custody_balance_cents' | 'reserve_cents' | 'owed_cents' | 'required_cents'
  >,
): boolean {
  const balance = cents(f.custody_balance_cents);
  const reserve = cents(f.reserve_cents);
  const custodyOk = !!f.custody_account && balance !== null && balance >= Number(f.owed_cents);
  const reserveOk = reserve !== null && reserve >= Number(f.required_cents);
  return custodyOk || reserveOk;
}

export function complianceOf(f: ComplianceFacts, today: string): Compliance {
  const problems: Compliance['problems'] = [];
  const add = (aspect: ComplianceAspect, zh: string, en: string) => problems.push({ aspect, zh, en });

  if (!f.credit_code || !validateCreditCode(f.credit_code).valid)
    add('org', '统一社会信用代码缺失或无效', 'Credit code missing or invalid');
  if (!f.licence_no) add('org', '无办学许可证', 'No school-running licence');
  else if (!f.licence_to || f.licence_to < today || (f.licence_from !== null && f.licence_from > today))
    add('org', '办学许可证不在有效期内', 'Licence not in force');
  if (f.category === 'subject' && f.legal_form !== 'non_profit')
    add('org', '学科类机构应登记为非营利性', 'Subject training must be non-profit');

  if (f.venue_count === 0) add('venue', '未登记培训场所', 'No venue recorded');
  else if (f.venue_bad > 0)
    add(
      'venue',
      `${f.venue_bad}处场所未审批或未通过消防验收`,
      `${f.venue_bad} venue(s) not approved or not fire-accepted`,
    );

  if (f.teacher_count === 0) add('staff', '未登记培训教师', 'No teacher recorded');
  if (f.unchecked > 0)
    add('staff', `${f.unchecked}名教师未完成背景审查`, `${f.unchecked} teacher(s) without background check`);
  if (f.uncertified > 0)
    add(
      'staff',
      `${f.uncertified}名学科类教师无教师资格证`,
      `${f.uncertified} subject teacher(s) without certificate`,
    );

  const missing = TRAINING_DOC_KINDS.filter((k) => !f.docs_in_force.includes(k));
  if (missing.length > 0)
    add(
      'docs',
      `材料缺失或过期：${missing.map((k) => trainingDocLabels[k].zh).join('、')}`,
      `Missing or expired: ${missing.map((k) => trainingDocLabels[k].en).join(', ')}`,
    );

  if (!fundsSupervised(f)) {
    const owed = Number(f.owed_cents);
    const req = Number(f.required_cents);
    add(
      'funds',
      `预收费未纳入监管：未消课金额${yuan(owed)}元，监管余额${f.custody_balance_cents === null ? '未登记' : yuan(Number(f.custody_balance_cents)) + '元'}；应缴风险保证金${yuan(req)}元，已缴${f.reserve_cents === null ? '未登记' : yuan(Number(f.reserve_cents)) + '元'}`,
      `Prepaid fees not supervised (owed ${owed / 100}, custody ${f.custody_balance_cents ?? 'none'}; reserve required ${req / 100}, held ${f.reserve_cents ?? 'none'})`,
    );
  }
  const has = (a: ComplianceAspect) => !problems.some((p) => p.aspect === a);
  const c = {
    org: has('org'),
    venue: has('venue'),
    staff: has('staff'),
    docs: has('docs'),
    funds: has('funds'),
  };
  return { ...c, all: c.org && c.venue && c.staff && c.docs && c.funds, problems };
}

export function isSupervised(status: string): boolean {
  return TRAINING_SUPERVISED.includes(status as TrainingStatus);
}

/** White: approved or operating and compliant in every aspect, not black-listed. Black: by decision. */
export function listStatusOf(status: string, blacklisted: boolean, c: Compliance): ListStatus {
  if (blacklisted) return 'black';
  return (status === 'approved' || status === 'operating') && c.all ? 'white' : 'none';
}

export interface SummaryRow extends ComplianceFacts {
  id: string;
  unit_id: string;
  unit_name: string;
  name: string;
  sub_type: string | null;
  status: string;
  status_since: string;
  blacklisted: boolean;
}

export function toSummary(r: SummaryRow, today: string): InstitutionSummary {
  const compliance = complianceOf(r, today);
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    name: r.name,
    creditCode: r.credit_code,
    category: r.category,
    subType: r.sub_type,
    status: r.status as TrainingStatus,
    statusSince: r.status_since,
    list: listStatusOf(r.status, r.blacklisted, compliance),
    licenceTo: r.licence_to,
    compliance,
  };
}

/** Counts per group: institutions under supervision and those compliant in each aspect (sums, not means). */
export function aggregate(
  items: { unitId: string | null; unitName: string; status: string; compliance: Compliance }[],
): { rows: ComplianceRow[]; total: ComplianceRow } {
  const empty = (unitId: string | null, unitName: string): ComplianceRow => ({
    unitId,
    unitName,
    total: 0,
    org: 0,
    venue: 0,
    staff: 0,
    docs: 0,
    funds: 0,
    all: 0,
  });
  const byUnit = new Map<string, ComplianceRow>();
  const total = empty(null, '合计');
  for (const it of items) {
    if (!isSupervised(it.status)) continue;
    const key = it.unitId ?? '';
    const row = byUnit.get(key) ?? empty(it.unitId, it.unitName);
    byUnit.set(key, row);
    for (const r of [row, total]) {
      r.total++;
      for (const a of ['org', 'venue', 'staff', 'docs', 'funds', 'all'] as const)
        if (it.compliance[a]) r[a]++;
    }
  }
  return { rows: [...byUnit.values()], total };
}
