/**
 * Queries of the collection module. Scoped reads go through the scope filter (pathInScope on the unit's
 * path); definitions (elements, forms, rules, indicators) are the city's and readable by every holder of
 * collection.read.
 */
import { REGISTRY_FIGURES, type RegistryFigure } from '@dudao/contracts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { Permission } from '../../platform/access/permissions.js';
import { pathInScope } from '../../platform/access/scope.js';
import type { DB } from '../../platform/db/schema.js';

export type Db = Kysely<DB> | Transaction<DB>;

export interface UnitRow {
  id: string;
  kind: 'city_bureau' | 'county_bureau' | 'school';
  name: string;
  path: string;
  parent_id: string | null;
  stage: string | null;
  ownership: string | null;
  status: string;
}
const unitCols = ['id', 'kind', 'name', 'path', 'parent_id', 'stage', 'ownership', 'status'] as const;

/** A unit inside the actor's scope for `permission`; undefined otherwise (the caller answers 404). */
export function findUnit(db: Db, actor: Actor, permission: Permission, id: string) {
  return db
    .selectFrom('unit')
    .select(unitCols)
    .where('id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('unit.path')))
    .executeTakeFirst() as Promise<UnitRow | undefined>;
}

export function unitById(db: Db, id: string) {
  return db.selectFrom('unit').select(unitCols).where('id', '=', id).executeTakeFirst() as Promise<
    UnitRow | undefined
  >;
}

/** The county bureau a unit lies in (itself for a county), from the path. */
export async function countyOf(db: Db, u: UnitRow): Promise<UnitRow | undefined> {
  if (u.kind === 'county_bureau') return u;
  const ids = u.path.split('/').filter(Boolean);
  if (ids.length < 2) return undefined;
  return unitById(db, ids[1]!);
}

// ---------- definitions ----------

export const formById = (db: Db, id: string) =>
  db.selectFrom('data_form').selectAll().where('id', '=', id).executeTakeFirst();
export const formByCode = (db: Db, code: string) =>
  db.selectFrom('data_form').selectAll().where('code', '=', code).executeTakeFirst();
export const listForms = (db: Db) => db.selectFrom('data_form').selectAll().orderBy('code').execute();
export const listElements = (db: Db) => db.selectFrom('data_element').selectAll().orderBy('code').execute();
export const elementsByCodes = (db: Db, codes: string[]) =>
  codes.length === 0
    ? Promise.resolve([])
    : db.selectFrom('data_element').selectAll().where('code', 'in', codes).execute();
export const rulesOf = (db: Db, formId: string, activeOnly = false) => {
  let q = db.selectFrom('validation_rule').selectAll().where('form_id', '=', formId);
  if (activeOnly) q = q.where('active', '=', true);
  return q.orderBy('name').execute();
};
export const ruleById = (db: Db, id: string) =>
  db.selectFrom('validation_rule').selectAll().where('id', '=', id).executeTakeFirst();
export const listIndicators = (db: Db) => db.selectFrom('indicator').selectAll().orderBy('code').execute();
export const indicatorById = (db: Db, id: string) =>
  db.selectFrom('indicator').selectAll().where('id', '=', id).executeTakeFirst();

export type FormRow = NonNullable<Awaited<ReturnType<typeof formById>>>;
export type ElementRow = Awaited<ReturnType<typeof listElements>>[number];
export type RuleRow = Awaited<ReturnType<typeof rulesOf>>[number];
export type IndicatorRow = Awaited<ReturnType<typeof listIndicators>>[number];

/** Every code of the form's sections. */
export const formCodes = (f: Pick<FormRow, 'sections'>) => f.sections.flatMap((s) => s.elements);

// ---------- submissions ----------

export const submissionOf = (db: Db, formId: string, unitId: string, period: string) =>
  db
    .selectFrom('data_submission')
    .selectAll()
    .where('form_id', '=', formId)
    .where('unit_id', '=', unitId)
    .where('period', '=', period)
    .executeTakeFirst();
export type SubmissionRow = NonNullable<Awaited<ReturnType<typeof submissionOf>>>;

/** A submission whose unit lies in the actor's scope for `permission`, locked for update in a transaction. */
export function findSubmission(db: Db, actor: Actor, permission: Permission, id: string, lock = false) {
  let q = db
    .selectFrom('data_submission as s')
    .innerJoin('unit as u', 'u.id', 's.unit_id')
    .selectAll('s')
    .select(['u.path as unit_path', 'u.name as unit_name'])
    .where('s.id', '=', id)
    .where(pathInScope(actor, permission, sql.ref('u.path')));
  if (lock) q = q.forUpdate('s');
  return q.executeTakeFirst();
}

/**
 * The units a form is for, under a path: active schools of the form's stages, and county bureaus when the
 * form names them; with their county.
 */
export function expectedUnits(db: Db, targets: string[], underPath: string) {
  const stages = targets.filter((t) => t !== 'county_bureau');
  const counties = targets.includes('county_bureau');
  return db
    .selectFrom('unit as u')
    .leftJoin('unit as c', (j) =>
      j.on('c.kind', '=', 'county_bureau').on(sql<boolean>`u.path like c.path || '%'`),
    )
    .select([
      'u.id',
      'u.name',
      'u.kind',
      'u.stage',
      'u.ownership',
      'u.path',
      'c.id as county_id',
      'c.name as county_name',
    ])
    .where('u.status', '=', 'active')
    .where('u.path', 'like', underPath + '%')
    .where((eb) =>
      eb.or([
        ...(stages.length ? [eb.and([eb('u.kind', '=', 'school'), eb('u.stage', 'in', stages)])] : []),
        ...(counties ? [eb('u.kind', '=', 'county_bureau')] : []),
        sql<boolean>`false`,
      ]),
    )
    .orderBy('c.name')
    .orderBy('u.name')
    .execute();
}
export type ExpectedUnit = Awaited<ReturnType<typeof expectedUnits>>[number];

/** The submissions of a form and period for units under a path. */
export function submissionsUnder(db: Db, formId: string, period: string, underPath: string) {
  return db
    .selectFrom('data_submission as s')
    .innerJoin('unit as u', 'u.id', 's.unit_id')
    .selectAll('s')
    .where('s.form_id', '=', formId)
    .where('s.period', '=', period)
    .where('u.path', 'like', underPath + '%')
    .execute();
}

export const acceptanceOf = (db: Db, formId: string, countyId: string, period: string) =>
  db
    .selectFrom('collection_acceptance')
    .selectAll()
    .where('form_id', '=', formId)
    .where('county_id', '=', countyId)
    .where('period', '=', period)
    .executeTakeFirst();

// ---------- the registry ----------

/**
 * What the student registry says now about schools, by school: enrolled students by stage and grade,
 * classes of the school year and their sizes (大班额 56–65, 超大班额 ≥ 66), students of private schools,
 * migrant children (随迁子女) and those of them in public schools. Read live from the registry's tables,
 * never copied.
 */
export async function registryFigures(
  db: Db,
  schoolIds: string[],
  schoolYear: string,
): Promise<Map<string, Record<RegistryFigure, number>>> {
  const out = new Map<string, Record<RegistryFigure, number>>();
  if (schoolIds.length === 0) return out;
  const zero = () =>
    Object.fromEntries(REGISTRY_FIGURES.map((f) => [f, 0])) as Record<RegistryFigure, number>;
  for (const id of schoolIds) out.set(id, zero());
  const { rows: students } = await sql<{
    school_id: string;
    stage: string;
    grade: number;
    n: number;
    migrant: number;
    private: boolean;
  }>`
    select s.school_id, s.stage, s.grade, count(*)::int as n, count(*) filter (where s.migrant)::int as migrant,
           (u.ownership = 'private') as private
    from student s join unit u on u.id = s.school_id
    where s.status = 'enrolled' and s.school_id = any(${schoolIds}::uuid[]) and s.stage <> 'kindergarten'
    group by s.school_id, s.stage, s.grade, u.ownership`.execute(db);
  for (const r of students) {
    const f = out.get(r.school_id)!;
    f['reg.students'] += r.n;
    if (r.stage === 'primary') f['reg.students_primary'] += r.n;
    if (r.stage === 'junior') f['reg.students_junior'] += r.n;
    if (r.stage === 'senior') f['reg.students_senior'] += r.n;
    if (
      r.grade >= 1 &&
      r.grade <= 9 &&
      (r.stage === 'primary' || r.stage === 'junior' || r.stage === 'special')
    )
      f[`reg.students_g${r.grade}` as RegistryFigure] += r.n;
    if (r.private) f['reg.private_students'] += r.n;
    f['reg.migrant_students'] += r.migrant;
    if (!r.private) f['reg.migrant_public_students'] += r.migrant;
  }
  const { rows: classes } = await sql<{
    school_id: string;
    classes: number;
    large: number;
    super_large: number;
  }>`
    select c.school_id, count(*)::int as classes,
           count(*) filter (where c.n between 56 and 65)::int as large,
           count(*) filter (where c.n >= 66)::int as super_large
    from (select sc.id, sc.school_id,
                 (select count(*) from student st where st.class_id = sc.id and st.status = 'enrolled') as n
          from school_class sc
          where sc.school_id = any(${schoolIds}::uuid[]) and sc.school_year = ${schoolYear}
            and sc.stage <> 'kindergarten') c
    group by c.school_id`.execute(db);
  for (const r of classes) {
    const f = out.get(r.school_id)!;
    f['reg.classes'] = r.classes;
    f['reg.large_classes'] = r.large;
    f['reg.super_large_classes'] = r.super_large;
  }
  return out;
}
