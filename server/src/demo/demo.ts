import type { Role, SchoolStage } from '@dudao/contracts';
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../platform/audit/audit.js';
import { hashPassword } from '../platform/auth/password.js';
import { newTotpSecret } from '../platform/auth/totp.js';
import type { AppContext } from '../platform/context.js';
import { generateIdNumber } from '../platform/crypto/id-number.js';
import type { NewUnit } from '../platform/db/schema.js';
import { childDivisions, findDivision } from '../platform/regions/divisions.js';
import { generateStudents } from '../modules/students/students.demo.js';
import { seedSafetyDemo } from '../modules/safety/safety.demo.js';
import { generateInspectorDemo } from '../modules/inspectors/inspectors.demo.js';
import { seedDropoutDemo } from '../modules/dropout/dropout.demo.js';
import { seedPlanDemo } from '../modules/plans/plans.demo.js';
import { seedTrainingDemo } from '../modules/training/training.demo.js';
import { seedComplaintDemo } from '../modules/complaints/complaints.demo.js';
import { seedCollectionDemo } from '../modules/collection/collection.demo.js';
import { personName, schoolName, type Rng } from './names.js';
import { seededRng } from './rng.js';

export { seededRng };

export type DemoScale = 'small' | 'city' | 'province';

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  unit: { code: string; name: string };
  totpSecret?: string;
}

export interface DemoResult {
  created: boolean;
  city: { code: string; name: string };
  counts: { units: number; schools: number; users: number; students?: number };
  accounts: DemoAccount[];
}

/** The demo city: 四平市, Jilin — the city the seeds speak of (345 schools). */
export const DEMO_CITY_CODE = '220300';
/** One password for every demo account, so one hash serves them all; printed with the logins. */
export const DEMO_PASSWORD = 'Dudao@2026';

// Roughly the real spread of 四平's schools over its counties (sums to 345 at city scale).
const COUNTY_SCHOOLS: Record<string, number> = {
  '220302': 52,
  '220303': 58,
  '220322': 96,
  '220323': 71,
  '220382': 68,
};
const STAGE_MIX: [SchoolStage, number][] = [
  ['kindergarten', 0.33],
  ['primary', 0.4],
  ['junior', 0.12],
  ['nine_year', 0.07],
  ['senior', 0.04],
  ['complete_secondary', 0.02],
  ['vocational', 0.02],
];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function pickStage(rng: Rng): SchoolStage {
  let x = rng();
  for (const [stage, w] of STAGE_MIX) {
    if ((x -= w) < 0) return stage;
  }
  return 'primary';
}

function birthDate(rng: Rng, fromYear: number, toYear: number): string {
  const y = fromYear + Math.floor(rng() * (toYear - fromYear + 1));
  const m = 1 + Math.floor(rng() * 12);
  const d = 1 + Math.floor(rng() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Students per school: small ≈ 5k in all (what tests and a first look need); city and province stay quick to build. */
function studentsPerSchool(scale: DemoScale): number {
  return scale === 'small' ? 250 : 60;
}

function schoolsPerCounty(scale: DemoScale, county: string): number {
  const n = COUNTY_SCHOOLS[county] ?? 40;
  if (scale === 'small') return 4;
  if (scale === 'province') return n * 12;
  return n;
}

interface PlannedUser {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  roles: { role: Role; unitId: string }[];
  schools: string[];
  idNumber: string;
  phone: string;
  totpSecret?: string;
}

/**
 * Builds the demo city (city bureau, its real counties from the division dataset, schools named after real
 * places, accounts for every role) in one transaction, or reports the existing one. Deterministic from seed.
 */
export async function createDemo(
  ctx: AppContext,
  opts: { scale: DemoScale; seed: number },
): Promise<DemoResult> {
  const city = findDivision(DEMO_CITY_CODE)!;
  const existing = await ctx.db
    .selectFrom('app_setting')
    .select('value')
    .where('key', '=', 'demo')
    .executeTakeFirst();
  if (existing) {
    // A run that died between the city and its students finishes the students now (a no-op otherwise).
    await generateStudents(ctx, { perSchool: studentsPerSchool(opts.scale), seed: opts.seed });
    await moduleDemos(ctx, opts);
    return { ...(existing.value as Omit<DemoResult, 'created'>), created: false };
  }
  const anyUnit = await ctx.db.selectFrom('unit').select('id').limit(1).executeTakeFirst();
  if (anyUnit)
    throw new Error('the database already holds units that are not the demo city; use an empty database');

  const rng = seededRng(opts.seed);
  const units: NewUnit[] = [];
  const users: PlannedUser[] = [];
  const accounts: DemoAccount[] = [];
  const used = new Set<string>();
  let idSeq = 0;
  let phoneSeq = 0;

  const person = (
    unitCode: string,
    username: string,
    unitId: string,
    roles: PlannedUser['roles'],
    schools: string[] = [],
  ) => {
    const sex = rng() < 0.55 ? 'F' : 'M';
    const u: PlannedUser = {
      id: randomUUID(),
      username,
      displayName: personName(rng, sex),
      unitId,
      roles,
      schools,
      idNumber: generateIdNumber(unitCode.slice(0, 6), birthDate(rng, 1966, 1998), sex, idSeq++ % 499),
      phone: `139${String(4300_0000 + phoneSeq++).padStart(8, '0')}`,
    };
    users.push(u);
    return u;
  };
  const account = (u: PlannedUser, role: Role, unit: { code: string; name: string }) =>
    accounts.push({
      username: u.username,
      password: DEMO_PASSWORD,
      role,
      unit,
      ...(u.totpSecret ? { totpSecret: u.totpSecret } : {}),
    });

  const cityId = randomUUID();
  const cityName = `${city.name}教育局`;
  units.push(
    unitRow(cityId, 'city_bureau', DEMO_CITY_CODE, cityName, null, `/${cityId}/`, 1, DEMO_CITY_CODE, null),
  );
  const cityAdmin = person(DEMO_CITY_CODE, 'city.admin', cityId, [{ role: 'city_admin', unitId: cityId }]);
  cityAdmin.totpSecret = newTotpSecret(Uint8Array.from({ length: 20 }, () => Math.floor(rng() * 256)));
  const cityLeader = person(DEMO_CITY_CODE, 'city.leader', cityId, [{ role: 'leader', unitId: cityId }]);
  const cityInspector = person(DEMO_CITY_CODE, 'city.inspector', cityId, [
    { role: 'inspector', unitId: cityId },
  ]);
  const cityRef = { code: DEMO_CITY_CODE, name: cityName };
  account(cityAdmin, 'city_admin', cityRef);
  account(cityLeader, 'leader', cityRef);
  account(cityInspector, 'inspector', cityRef);

  for (const county of childDivisions(DEMO_CITY_CODE).filter((d) => d.level === 'county')) {
    const countyId = randomUUID();
    const countyPath = `/${cityId}/${countyId}/`;
    const countyName = `${county.name}教育局`;
    units.push(
      unitRow(
        countyId,
        'county_bureau',
        county.code,
        countyName,
        cityId,
        countyPath,
        2,
        county.code,
        county.code,
      ),
    );
    const ref = { code: county.code, name: countyName };
    const prefix = `c${county.code}`;
    account(
      person(county.code, `${prefix}.admin`, countyId, [{ role: 'county_admin', unitId: countyId }]),
      'county_admin',
      ref,
    );
    account(
      person(county.code, `${prefix}.leader`, countyId, [{ role: 'leader', unitId: countyId }]),
      'leader',
      ref,
    );
    const inspector = person(county.code, `${prefix}.inspector`, countyId, [
      { role: 'inspector', unitId: countyId },
    ]);
    account(inspector, 'inspector', ref);

    const towns = childDivisions(county.code).filter((t) => /[镇乡]$/.test(t.name));
    const isDistrict = county.name.endsWith('区');
    const n = schoolsPerCounty(opts.scale, county.code);
    for (let i = 0; i < n; i++) {
      const stage: SchoolStage =
        i === 0
          ? 'primary'
          : i === 1
            ? 'junior'
            : i === n - 1 && opts.scale !== 'small'
              ? 'special'
              : pickStage(rng);
      const inTown =
        !isDistrict &&
        towns.length > 0 &&
        i >= 3 &&
        rng() < 0.6 &&
        ['kindergarten', 'primary', 'junior', 'nine_year'].includes(stage);
      const town = inTown ? pick(rng, towns) : undefined;
      const name = schoolName(rng, {
        countyName: county.name,
        townName: town?.name,
        stage,
        index: i < 2 ? 0 : i,
        used,
      });
      const schoolId = randomUUID();
      const code = `1${county.code.slice(0, 2)}${county.code.slice(4)}${String(i + 1).padStart(5, '0')}`;
      const row = unitRow(
        schoolId,
        'school',
        code,
        name,
        countyId,
        `${countyPath}${schoolId}/`,
        3,
        town?.code ?? county.code,
        county.code,
      );
      row.stage = stage;
      row.ownership = stage === 'kindergarten' && rng() < 0.35 ? 'private' : 'public';
      row.locality = inTown ? (rng() < 0.5 ? 'town' : 'rural') : 'urban';
      row.address = `吉林省${city.name}${county.name}${town?.name ?? ''}${pick(rng, ['建设', '人民', '解放', '新华', '中央', '育才', '文化', '北环'])}路${1 + Math.floor(rng() * 300)}号`;
      const principal = personName(rng, rng() < 0.5 ? 'F' : 'M');
      row.principal = principal;
      row.phone = `0434-${String(3000000 + Math.floor(rng() * 6999999))}`;
      units.push(row);
      const schoolRef = { code, name };
      const admin = person(county.code, `s${code}.admin`, schoolId, [
        { role: 'school_admin', unitId: schoolId },
      ]);
      const teacherCount = opts.scale === 'small' ? 1 : 2;
      for (let t = 1; t <= teacherCount; t++) {
        const teacher = person(county.code, `s${code}.t${String(t).padStart(2, '0')}`, schoolId, [
          { role: 'teacher', unitId: schoolId },
        ]);
        if (i === 0 && t === 1) account(teacher, 'teacher', schoolRef);
      }
      if (i === 0) account(admin, 'school_admin', schoolRef);
      if (i < 5) inspector.schools.push(schoolId);
      if (i === 2) cityInspector.schools.push(schoolId);
    }
  }

  const passwordHash = await hashPassword(ctx.config, DEMO_PASSWORD);
  const schools = units.filter((u) => u.kind === 'school').length;
  const result: Omit<DemoResult, 'created'> = {
    city: { code: DEMO_CITY_CODE, name: cityName },
    counts: { units: units.length, schools, users: users.length },
    accounts,
  };
  await ctx.db.transaction().execute(async (trx) => {
    for (let i = 0; i < units.length; i += 500)
      await trx
        .insertInto('unit')
        .values(units.slice(i, i + 500))
        .execute();
    for (let i = 0; i < users.length; i += 500) {
      const batch = users.slice(i, i + 500);
      await trx
        .insertInto('app_user')
        .values(
          batch.map((u) => ({
            id: u.id,
            username: u.username,
            display_name: u.displayName,
            unit_id: u.unitId,
            phone: u.phone,
            id_number_enc: ctx.vault.encrypt(u.idNumber),
            id_number_hmac: ctx.vault.hmac(u.idNumber),
            password_hash: passwordHash,
            // Demo logins are published in the README; forcing a change would only get in a visitor's way.
            must_change_password: false,
            password_changed_at: null,
            locked_until: null,
            disabled_at: null,
            totp_secret_enc: u.totpSecret ? ctx.vault.encrypt(u.totpSecret) : null,
            totp_enabled: u.totpSecret !== undefined,
            totp_last_step: null,
            last_login_at: null,
          })),
        )
        .execute();
      await trx
        .insertInto('user_role')
        .values(
          batch.flatMap((u) => u.roles.map((r) => ({ user_id: u.id, role: r.role, unit_id: r.unitId }))),
        )
        .execute();
      const assignments = batch.flatMap((u) => u.schools.map((s) => ({ user_id: u.id, school_id: s })));
      if (assignments.length) await trx.insertInto('inspector_school').values(assignments).execute();
    }
    await trx
      .insertInto('app_setting')
      .values({ key: 'demo', value: JSON.stringify(result) })
      .execute();
    await recordAudit(
      trx,
      { actor: null, actorName: 'dudao demo' },
      {
        action: 'demo.create',
        objectType: 'unit',
        objectId: cityId,
        unitId: cityId,
        after: { scale: opts.scale, seed: opts.seed, ...result.counts },
      },
    );
  });
  const students = await generateStudents(ctx, { perSchool: studentsPerSchool(opts.scale), seed: opts.seed });
  await moduleDemos(ctx, opts);
  const complete = { ...result, counts: { ...result.counts, students: students.students } };
  await ctx.db
    .updateTable('app_setting')
    .set({ value: JSON.stringify(complete), updated_at: new Date() })
    .where('key', '=', 'demo')
    .execute();
  return { ...complete, created: true };
}

/**
 * The modules' demo data on top of the city and its students: safety campaigns and self-inspections (a sample
 * of schools beyond the small scale: each takes a fifth of a second on PGlite), inspectors' visits and
 * opinions, head teachers with three weeks of attendance and a dropout scan — all through the modules' services,
 * so their findings and cases are real. Each is a no-op once done.
 */
async function moduleDemos(ctx: AppContext, opts: { scale: DemoScale; seed: number }): Promise<void> {
  await seedSafetyDemo(ctx, { seed: opts.seed, ...(opts.scale === 'small' ? {} : { maxSchools: 40 }) });
  await generateInspectorDemo(ctx, { seed: opts.seed });
  await seedDropoutDemo(ctx, { seed: opts.seed, ...(opts.scale === 'small' ? {} : { maxSchools: 40 }) });
  // Training institutions come before complaints (parents complain about them) and plans after the findings
  // the other modules raised (the assessment reads the rectification rate).
  await seedTrainingDemo(ctx, opts);
  await seedComplaintDemo(ctx, opts);
  await seedCollectionDemo(ctx, opts);
  await seedPlanDemo(ctx, opts);
}

function unitRow(
  id: string,
  kind: NewUnit['kind'],
  code: string,
  name: string,
  parentId: string | null,
  path: string,
  depth: number,
  regionCode: string,
  countyCode: string | null,
): NewUnit {
  return {
    id,
    kind,
    code,
    name,
    parent_id: parentId,
    path,
    depth,
    region_code: regionCode,
    county_code: countyCode,
    stage: null,
    ownership: null,
    locality: null,
    address: null,
    principal: null,
    phone: null,
    disabled_reason: null,
    disabled_at: null,
  };
}
