/**
 * Request and response shapes shared by the server (validation, OpenAPI) and the web client (types).
 * Written once here; neither side redefines them.
 */
import { z } from 'zod';

export * from './labels.ts';
export * from './students.ts';
export * from './imports.ts';
export * from './findings.ts';
export * from './safety.ts';
export * from './inspectors.ts';
export * from './dropout.ts';
export * from './balance.ts';
export * from './plans.ts';
export * from './plans.agreements.ts';
export * from './training.ts';
export * from './complaints.ts';
export * from './collection.ts';

export const UNIT_KINDS = ['city_bureau', 'county_bureau', 'school'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const SCHOOL_STAGES = [
  'kindergarten',
  'primary',
  'junior',
  'senior',
  'nine_year',
  'complete_secondary',
  'vocational',
  'special',
] as const;
export type SchoolStage = (typeof SCHOOL_STAGES)[number];

export const OWNERSHIPS = ['public', 'private'] as const;
export const LOCALITIES = ['urban', 'town', 'rural'] as const;
export const UNIT_STATUSES = ['active', 'disabled'] as const;

export const ROLES = [
  'city_admin',
  'county_admin',
  'school_admin',
  'teacher',
  'inspector',
  'leader',
] as const;
export type Role = (typeof ROLES)[number];

/** What the web shell may show; the server still enforces every action. */
export const AccessMap = z.object({
  manageUnits: z.boolean(),
  manageUsers: z.boolean(),
  readAudit: z.boolean(),
  revealPersonalData: z.boolean(),
  manageTokens: z.boolean(),
  readFindings: z.boolean(),
  raiseFindings: z.boolean(),
  manageSafety: z.boolean(),
  inspectSafety: z.boolean(),
  manageGrids: z.boolean(),
  manageInspectors: z.boolean(),
  visitSchools: z.boolean(),
  takeAttendance: z.boolean(),
  readDropout: z.boolean(),
  manageDropout: z.boolean(),
  readPlans: z.boolean(),
  managePlans: z.boolean(),
  reportProgress: z.boolean(),
  manageAssessment: z.boolean(),
  readTraining: z.boolean(),
  manageTraining: z.boolean(),
  readComplaints: z.boolean(),
  handleComplaints: z.boolean(),
  manageComplaints: z.boolean(),
  readCollection: z.boolean(),
  enterData: z.boolean(),
  approveData: z.boolean(),
  manageCollection: z.boolean(),
});
export type AccessMap = z.infer<typeof AccessMap>;

// ---------- common pieces (common.ts; students.ts uses them too) ----------

export { freeText, multilineText, pageOf, pageQuery, phone, plainName, uuid } from './common.ts';
import { freeText, pageOf, pageQuery, phone, plainName, uuid } from './common.ts';

export const ErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------- auth ----------

export const LoginRequest = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
  totp: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const RoleGrant = z.object({
  role: z.enum(ROLES),
  unitId: uuid,
  unitName: z.string(),
});
export type RoleGrant = z.infer<typeof RoleGrant>;

export const Me = z.object({
  id: uuid,
  username: z.string(),
  displayName: z.string(),
  unit: z.object({ id: uuid, name: z.string(), kind: z.enum(UNIT_KINDS) }),
  roles: z.array(RoleGrant),
  access: AccessMap,
  mustChangePassword: z.boolean(),
  totpEnrollmentRequired: z.boolean(),
  totpEnabled: z.boolean(),
  idleTimeoutMinutes: z.number().int(),
});
export type Me = z.infer<typeof Me>;

export const LoginResponse = z.object({ user: Me, csrfToken: z.string() });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: z.string().min(1).max(128),
});

export const TotpSetupResponse = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const TotpEnableRequest = z.strictObject({ code: z.string().regex(/^\d{6}$/) });

// ---------- units ----------

export const Unit = z.object({
  id: uuid,
  kind: z.enum(UNIT_KINDS),
  code: z.string(),
  name: z.string(),
  parentId: uuid.nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  stage: z.enum(SCHOOL_STAGES).nullable(),
  ownership: z.enum(OWNERSHIPS).nullable(),
  locality: z.enum(LOCALITIES).nullable(),
  address: z.string().nullable(),
  principal: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.enum(UNIT_STATUSES),
  disabledReason: z.string().nullable(),
  childCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Unit = z.infer<typeof Unit>;

/** 学校标识码: ten digits. */
export const schoolCode = z
  .string()
  .trim()
  .regex(/^\d{10}$/, { message: 'SCHOOL_CODE' });

export const UnitCreate = z.strictObject({
  parentId: uuid,
  kind: z.enum(['county_bureau', 'school']),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}(\d{4})?$/, { message: 'UNIT_CODE' }),
  name: plainName(80),
  regionCode: z
    .string()
    .regex(/^\d{6}(\d{3})?$/)
    .optional(),
  stage: z.enum(SCHOOL_STAGES).optional(),
  ownership: z.enum(OWNERSHIPS).optional(),
  locality: z.enum(LOCALITIES).optional(),
  address: freeText(200).optional(),
  principal: plainName(32).optional(),
  phone: phone.optional(),
});
export type UnitCreate = z.infer<typeof UnitCreate>;

export const UnitUpdate = z.strictObject({
  name: plainName(80).optional(),
  stage: z.enum(SCHOOL_STAGES).optional(),
  ownership: z.enum(OWNERSHIPS).optional(),
  locality: z.enum(LOCALITIES).optional(),
  address: freeText(200).nullable().optional(),
  principal: plainName(32).nullable().optional(),
  phone: phone.nullable().optional(),
});
export type UnitUpdate = z.infer<typeof UnitUpdate>;

export const UnitStatusChange = z.strictObject({ reason: freeText(200).pipe(z.string().min(1)) });

export const UnitListQuery = z.strictObject({
  parentId: uuid.optional(),
  under: uuid.optional(),
  kind: z.enum(UNIT_KINDS).optional(),
  stage: z.enum(SCHOOL_STAGES).optional(),
  status: z.enum(UNIT_STATUSES).optional(),
  q: z.string().trim().max(64).optional(),
  ...pageQuery,
});
export type UnitListQuery = z.infer<typeof UnitListQuery>;

export const UnitPage = pageOf(Unit);
export type UnitPage = z.infer<typeof UnitPage>;

export const UnitTreeNode = z.object({
  id: uuid,
  kind: z.enum(UNIT_KINDS),
  name: z.string(),
  parentId: uuid.nullable(),
  status: z.enum(UNIT_STATUSES),
  childCount: z.number().int(),
});
export type UnitTreeNode = z.infer<typeof UnitTreeNode>;

export const UnitStats = z.object({
  schools: z.number().int(),
  byStage: z.array(z.object({ stage: z.enum(SCHOOL_STAGES), count: z.number().int() })),
  byCounty: z.array(
    z.object({ unitId: uuid, name: z.string(), schools: z.number().int(), users: z.number().int() }),
  ),
});
export type UnitStats = z.infer<typeof UnitStats>;

// ---------- users ----------

export const RoleGrantInput = z.strictObject({ role: z.enum(ROLES), unitId: uuid });

export const User = z.object({
  id: uuid,
  username: z.string(),
  displayName: z.string(),
  unitId: uuid,
  unitName: z.string(),
  phone: z.string().nullable(),
  idNumberMasked: z.string().nullable(),
  roles: z.array(RoleGrant),
  inspectorSchoolIds: z.array(uuid),
  status: z.enum(['active', 'disabled', 'locked']),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const username = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_.-]{2,31}$/, { message: 'USERNAME' });

export const UserCreate = z.strictObject({
  username,
  displayName: plainName(32),
  unitId: uuid,
  phone: phone.optional(),
  idNumber: z.string().trim().max(32).optional(),
  roles: z.array(RoleGrantInput).min(1).max(10),
  inspectorSchoolIds: z.array(uuid).max(200).optional(),
});
export type UserCreate = z.infer<typeof UserCreate>;

export const UserUpdate = z.strictObject({
  displayName: plainName(32).optional(),
  phone: phone.nullable().optional(),
  idNumber: z.string().trim().max(32).nullable().optional(),
  roles: z.array(RoleGrantInput).min(1).max(10).optional(),
  inspectorSchoolIds: z.array(uuid).max(200).optional(),
});
export type UserUpdate = z.infer<typeof UserUpdate>;

export const UserCreated = z.object({ user: User, initialPassword: z.string() });
export const UserListQuery = z.strictObject({
  unitId: uuid.optional(),
  q: z.string().trim().max(64).optional(),
  role: z.enum(ROLES).optional(),
  status: z.enum(['active', 'disabled', 'locked']).optional(),
  ...pageQuery,
});
export type UserListQuery = z.infer<typeof UserListQuery>;
export const UserPage = pageOf(User);
export type UserPage = z.infer<typeof UserPage>;
export const RevealResponse = z.object({ idNumber: z.string().nullable() });

// ---------- API tokens ----------

export const ApiToken = z.object({
  id: uuid,
  name: z.string(),
  prefix: z.string(),
  userId: uuid,
  username: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;
export const ApiTokenCreate = z.strictObject({
  name: plainName(64),
  userId: uuid.optional(),
  days: z.number().int().min(1).max(3650).optional(),
});
export const ApiTokenCreated = z.object({ token: z.string(), apiToken: ApiToken });

// ---------- audit ----------

export const AuditEvent = z.object({
  id: z.number().int(),
  occurredAt: z.string(),
  actorUserId: uuid.nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  unitId: uuid.nullable(),
  unitName: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z.strictObject({
  action: z.string().trim().max(64).optional(),
  actor: z.string().trim().max(64).optional(),
  objectType: z.string().trim().max(64).optional(),
  objectId: z.string().trim().max(64).optional(),
  unitId: uuid.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  ...pageQuery,
});
export type AuditQuery = z.infer<typeof AuditQuery>;
export const AuditPage = pageOf(AuditEvent);
export type AuditPage = z.infer<typeof AuditPage>;
