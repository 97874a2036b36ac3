/** Rows of the registry's children as the API shows them (ID numbers masked). */
import type { Staff, Venue } from '@dudao/contracts';
import type { AppContext } from '../../platform/context.js';
import { maskIdNumber } from '../../platform/crypto/id-number.js';

export function toVenue(v: {
  id: string;
  address: string;
  area_m2: string;
  fire_accepted: boolean;
  fire_cert_no: string | null;
  approved: boolean;
  approved_on: string | null;
}): Venue {
  return {
    id: v.id,
    address: v.address,
    areaM2: Number(v.area_m2),
    fireAccepted: v.fire_accepted,
    fireCertNo: v.fire_cert_no,
    approved: v.approved,
    approvedOn: v.approved_on,
  };
}

export function toStaff(
  s: {
    id: string;
    name: string;
    id_number_enc: string | null;
    role: 'teacher' | 'manager' | 'other';
    subject_teaching: boolean;
    teacher_cert_no: string | null;
    background_checked: boolean;
    background_checked_on: string | null;
    active: boolean;
  },
  masked?: string | null,
): Staff {
  return {
    id: s.id,
    name: s.name,
    idNumberMasked: masked ?? null,
    role: s.role,
    subjectTeaching: s.subject_teaching,
    teacherCertNo: s.teacher_cert_no,
    backgroundChecked: s.background_checked,
    backgroundCheckedOn: s.background_checked_on,
    active: s.active,
  };
}

/** A staff member with the ID number masked. */
export function staffOut(ctx: AppContext, s: Parameters<typeof toStaff>[0]): Staff {
  return toStaff(s, s.id_number_enc ? maskIdNumber(ctx.vault.decrypt(s.id_number_enc)) : null);
}
