/**
 * Building a complete institution through the services (tests, probes, the demo): registered, approved and
 * operating, with a venue, teachers, every required document, a course and a custody account — compliant in
 * every aspect unless `flaws` says otherwise.
 */
import { TRAINING_DOC_KINDS, type TrainingCategory, type TrainingSubType } from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditOrigin } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { addDays, chinaToday } from '../../platform/dates.js';
import { timeOrderedId } from '../../platform/db/ids.js';
import { makeCreditCode } from './credit-code.js';
import { registerInstitution } from './training.service.js';

export type Flaw = 'licence' | 'venue' | 'staff' | 'docs' | 'funds';

export interface InstitutionSpec {
  unitId: string;
  divisionCode: string;
  name: string;
  /** Distinguishes credit codes: any number, used for the 8-character organisation body. */
  serial: number;
  category?: TrainingCategory;
  subType?: TrainingSubType;
  flaws?: Flaw[];
  status?: 'applied' | 'approved' | 'operating';
  address?: string;
  students?: number;
  pricePerHour?: number;
  /** For the demo: teachers per institution (default 2). */
  teachers?: number;
  idNumberOf?: (n: number) => string | null;
}

const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A deterministic 8-character organisation body for a serial (MA… as issued since 2015). */
export function orgBody(serial: number): string {
  let s = '';
  let n = serial;
  for (let i = 0; i < 6; i++) {
    s = ORG_CHARS[n % 31]! + s;
    n = Math.floor(n / 31);
  }
  return 'MA' + s;
}

/**
 * Inserts the institution's children directly (one round trip each) after creating it through the service
 * (which checks scope and writes the audit trail): fast enough for the demo's hundred institutions.
 */
export async function buildInstitution(
  ctx: AppContext,
  actor: Actor,
  origin: AuditOrigin,
  spec: InstitutionSpec,
): Promise<string> {
  const today = chinaToday();
  const flaws = new Set(spec.flaws ?? []);
  const category = spec.category ?? 'non_subject';
  const legalForm = category === 'subject' ? 'non_profit' : 'company';
  const code = makeCreditCode(category === 'subject' ? '52' : '91', spec.divisionCode, orgBody(spec.serial));
  const id = await registerInstitution(
    ctx,
    actor,
    {
      unitId: spec.unitId,
      name: spec.name,
      creditCode: code,
      category,
      subType: spec.subType ?? (category === 'subject' ? 'k12' : 'arts'),
      legalForm,
      address: spec.address ?? `${spec.name}所在街道${(spec.serial % 90) + 10}号`,
      legalPerson: '张经理',
      phone: '0434-3210000',
      licenceNo: `教民${spec.divisionCode}${String(spec.serial).padStart(6, '0')}`,
      licenceFrom: addDays(today, -400),
      licenceTo: flaws.has('licence') ? addDays(today, -10) : addDays(today, 700 + (spec.serial % 300)),
    },
    origin,
    { status: spec.status ?? 'operating', statusSince: addDays(today, -300) },
  );
  const db = ctx.db;
  await db
    .insertInto('training_venue')
    .values({
      id: timeOrderedId(),
      institution_id: id,
      address: spec.address ?? `${spec.name}教学点`,
      area_m2: 180 + (spec.serial % 7) * 40,
      fire_accepted: !flaws.has('venue'),
      fire_cert_no: flaws.has('venue') ? null : `消验字〔2024〕${spec.serial % 1000}号`,
      approved: true,
      approved_on: addDays(today, -380),
    })
    .execute();
  const teachers = spec.teachers ?? 2;
  const staff = Array.from({ length: teachers + 1 }, (_, n) => {
    const idNumber = spec.idNumberOf?.(n) ?? null;
    const role: 'teacher' | 'manager' = n === teachers ? 'manager' : 'teacher';
    return {
      id: timeOrderedId(),
      institution_id: id,
      name: n === teachers ? '管理员' : `教师${n + 1}`,
      id_number_enc: idNumber ? ctx.vault.encrypt(idNumber) : null,
      id_number_hmac: idNumber ? ctx.vault.hmac(idNumber) : null,
      role,
      subject_teaching: category === 'subject' && n < teachers,
      teacher_cert_no:
        category === 'subject' && n < teachers ? `2019${spec.divisionCode}${n}${spec.serial}` : null,
      background_checked: !(flaws.has('staff') && n === 0),
      background_checked_on: flaws.has('staff') && n === 0 ? null : addDays(today, -200),
    };
  });
  await db.insertInto('training_staff').values(staff).execute();
  await db
    .insertInto('training_document')
    .values(
      TRAINING_DOC_KINDS.filter((k) => !(flaws.has('docs') && k === 'fee_publicity')).map((kind) => ({
        id: timeOrderedId(),
        institution_id: id,
        kind,
        number: `${kind.toUpperCase().slice(0, 3)}-${spec.serial}`,
        valid_to:
          kind === 'lease' ? addDays(today, spec.serial % 7 === 0 ? 12 : 40 + (spec.serial % 400)) : null,
      })),
    )
    .execute();
  const students = spec.students ?? 40;
  const price = Math.round((spec.pricePerHour ?? 80) * 100);
  await db
    .insertInto('training_course')
    .values({
      id: timeOrderedId(),
      institution_id: id,
      name: category === 'subject' ? '初中数学提高班' : '少儿美术基础班',
      price_per_hour_cents: price,
      hours_per_period: 20,
      period_months: 3,
      current_students: students,
    })
    .execute();
  // Compliant funds: a custody account covering everything owed (no orders yet: 0) and a full reserve.
  const required = price * 20 * students;
  await db
    .updateTable('training_institution')
    .set(
      flaws.has('funds')
        ? { custody_bank: null, custody_account: null, reserve_cents: Math.floor(required / 3) }
        : {
            custody_bank: '中国银行四平分行',
            custody_account: `6217${String(spec.serial).padStart(12, '0')}`,
            custody_balance_cents: 0,
            custody_balance_on: today,
            reserve_cents: required,
          },
    )
    .where('id', '=', id)
    .execute();
  return id;
}
