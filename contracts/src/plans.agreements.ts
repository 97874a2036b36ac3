/**
 * Responsibility agreements of 部署·督办 (目标管理责任书, 安全稳定目标责任书, 承诺书 …): the kinds of agreement,
 * a round per issuing bureau, kind and year sent to its counties or schools, and each unit's signing record
 * with the signed document (PDF or image, uploaded through the platform's file service).
 */
import { z } from 'zod';
import { freeText, uuid } from './common.ts';

const isoDate = z.iso.date();
const line = (max: number) => freeText(max).pipe(z.string().min(1));

export const AGREEMENT_STATUSES = ['pending', 'signed', 'returned'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];
export const agreementStatusLabels = {
  pending: { zh: '未签', en: 'Not signed' },
  signed: { zh: '已签', en: 'Signed' },
  returned: { zh: '已退回', en: 'Returned' },
} satisfies Record<AgreementStatus, { zh: string; en: string }>;

export const AGREEMENT_UNIT_KINDS = ['county_bureau', 'school'] as const;
export type AgreementUnitKind = (typeof AGREEMENT_UNIT_KINDS)[number];

const UnitRef = z.object({ id: uuid, name: z.string(), code: z.string() });

export const AgreementKind = z.object({
  id: uuid,
  /** null: built in, the same for every bureau. */
  ownerUnit: UnitRef.nullable(),
  code: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  canManage: z.boolean(),
});
export type AgreementKind = z.infer<typeof AgreementKind>;
export const AgreementKindList = z.object({ items: z.array(AgreementKind) });
export const AgreementKindCreate = z.strictObject({
  ownerUnitId: uuid,
  name: line(40),
  description: freeText(200).optional(),
});
export type AgreementKindCreate = z.infer<typeof AgreementKindCreate>;
export const AgreementKindUpdate = z
  .strictObject({
    name: line(40).optional(),
    description: freeText(200).optional(),
    active: z.boolean().optional(),
  })
  .refine((x) => x.name !== undefined || x.description !== undefined || x.active !== undefined, {
    message: 'nothing to change',
  });
export type AgreementKindUpdate = z.infer<typeof AgreementKindUpdate>;

export const AgreementCounts = z.object({
  total: z.number().int(),
  signed: z.number().int(),
  pending: z.number().int(),
  returned: z.number().int(),
});
export type AgreementCounts = z.infer<typeof AgreementCounts>;

export const AgreementRound = z.object({
  id: uuid,
  issuerUnit: UnitRef,
  kind: z.object({ id: uuid, name: z.string() }),
  year: z.number().int(),
  title: z.string(),
  unitKind: z.enum(AGREEMENT_UNIT_KINDS),
  dueOn: isoDate.nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  /** Of the signings the reader may see (all of them for the issuer's side; its own units' otherwise). */
  counts: AgreementCounts,
  canManage: z.boolean(),
});
export type AgreementRound = z.infer<typeof AgreementRound>;
export const AgreementRoundList = z.object({ items: z.array(AgreementRound) });
export const AgreementRoundQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  kindId: uuid.optional(),
});

export const AgreementSigning = z.object({
  id: uuid,
  roundId: uuid,
  roundTitle: z.string(),
  kindName: z.string(),
  year: z.number().int(),
  issuerUnit: UnitRef,
  unit: UnitRef,
  status: z.enum(AGREEMENT_STATUSES),
  signedOn: isoDate.nullable(),
  signerName: z.string().nullable(),
  signerRole: z.string().nullable(),
  file: z.object({ id: uuid, name: z.string(), contentType: z.string(), size: z.number().int() }).nullable(),
  submittedAt: z.string().nullable(),
  submittedByName: z.string().nullable(),
  returnedReason: z.string().nullable(),
  returnedAt: z.string().nullable(),
  dueOn: isoDate.nullable(),
  /** The unit may upload (again). */
  canSign: z.boolean(),
  /** The issuer may return a signed document. */
  canReturn: z.boolean(),
});
export type AgreementSigning = z.infer<typeof AgreementSigning>;
export const AgreementSigningList = z.object({ items: z.array(AgreementSigning) });
export const AgreementSigningQuery = z.strictObject({
  status: z.enum(AGREEMENT_STATUSES).optional(),
});

export const AgreementRoundDetail = AgreementRound.extend({ signings: z.array(AgreementSigning) });
export type AgreementRoundDetail = z.infer<typeof AgreementRoundDetail>;

export const AgreementRoundCreate = z.strictObject({
  issuerUnitId: uuid,
  kindId: uuid,
  year: z.number().int().min(2000).max(2100),
  title: line(120).optional(),
  unitKind: z.enum(AGREEMENT_UNIT_KINDS),
  /** A subset of the units of that kind under the issuer; all of them when absent. */
  unitIds: z.array(uuid).min(1).max(5000).optional(),
  dueOn: isoDate.optional(),
  note: freeText(500).optional(),
});
export type AgreementRoundCreate = z.infer<typeof AgreementRoundCreate>;

/** Query of the upload (the signed document is the raw request body). */
export const AgreementSignQuery = z.strictObject({
  signedOn: isoDate,
  signerName: line(40),
  signerRole: freeText(40).optional(),
});
export type AgreementSignQuery = z.infer<typeof AgreementSignQuery>;
export const AgreementReturn = z.strictObject({ reason: line(300) });
