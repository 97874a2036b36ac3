/**
 * A small world for tests, built through the real services: 四平市 with two counties (A = 铁西区,
 * B = 铁东区), schools A1, A2 in A and B1 in B, and one account per role.
 */
import type { Role, Unit } from '@dudao/contracts';
import { sql } from 'kysely';
import { systemActor } from '../src/platform/access/actor.js';
import type { AppContext } from '../src/platform/context.js';
import { createRootUnit, createUnit } from '../src/modules/units/units.service.js';
import { createUser } from '../src/modules/users/users.service.js';

export const PASSWORD = 'Test@2026x';

export interface World {
  city: Unit;
  countyA: Unit;
  countyB: Unit;
  schoolA1: Unit;
  schoolA2: Unit;
  schoolB1: Unit;
  users: Record<
    | 'cityAdmin'
    | 'cityLeader'
    | 'adminA'
    | 'adminB'
    | 'leaderA'
    | 'inspectorA'
    | 'schoolAdminA1'
    | 'schoolAdminA2'
    | 'teacherA1'
    | 'schoolAdminB1',
    { id: string; username: string }
  >;
}

const origin = { actor: systemActor('test'), ip: null, requestId: null };

/** Builds the world; `tag` keeps usernames and codes apart when a file builds several. */
export async function buildWorld(ctx: AppContext): Promise<World> {
  const sys = systemActor('test');
  const city = await createRootUnit(ctx, '220300', origin);
  const countyA = await createUnit(
    ctx,
    sys,
    { parentId: city.id, kind: 'county_bureau', code: '220302', name: '铁西区教育局' },
    origin,
  );
  const countyB = await createUnit(
    ctx,
    sys,
    { parentId: city.id, kind: 'county_bureau', code: '220303', name: '铁东区教育局' },
    origin,
  );
  const school = (parent: Unit, code: string, name: string) =>
    createUnit(
      ctx,
      sys,
      {
        parentId: parent.id,
        kind: 'school',
        code,
        name,
        stage: 'primary',
        ownership: 'public',
        locality: 'urban',
      },
      origin,
    );
  const schoolA1 = await school(countyA, '1220200001', '铁西区实验小学');
  const schoolA2 = await school(countyA, '1220200002', '铁西区第二小学');
  const schoolB1 = await school(countyB, '1220300001', '铁东区实验小学');

  const user = async (username: string, unit: Unit, role: Role, inspectorSchoolIds?: string[]) => {
    const { user } = await createUser(
      ctx,
      sys,
      {
        username,
        displayName: `测试${username.replace(/[^a-z0-9]/gi, '')}`.slice(0, 30),
        unitId: unit.id,
        roles: [{ role, unitId: unit.id }],
        inspectorSchoolIds,
      },
      origin,
      { password: PASSWORD, mustChangePassword: false },
    );
    return { id: user.id, username };
  };
  return {
    city,
    countyA,
    countyB,
    schoolA1,
    schoolA2,
    schoolB1,
    users: {
      cityAdmin: await user('city.admin', city, 'city_admin'),
      cityLeader: await user('city.leader', city, 'leader'),
      adminA: await user('a.admin', countyA, 'county_admin'),
      adminB: await user('b.admin', countyB, 'county_admin'),
      leaderA: await user('a.leader', countyA, 'leader'),
      inspectorA: await user('a.inspector', countyA, 'inspector', [schoolA1.id]),
      schoolAdminA1: await user('a1.admin', schoolA1, 'school_admin'),
      schoolAdminA2: await user('a2.admin', schoolA2, 'school_admin'),
      teacherA1: await user('a1.teacher', schoolA1, 'teacher'),
      schoolAdminB1: await user('b1.admin', schoolB1, 'school_admin'),
    },
  };
}

/** Every business table's rows, for "nothing changed" assertions (sessions excluded: logins make them). */
export async function snapshot(ctx: AppContext): Promise<string> {
  // Every table of the schema, so a module's new tables are covered without listing them here; but not the
  // sessions nor the notes of which transactions wrote the registry (registry_write, for import commits: a
  // statement notes its transaction even when it changed no row).
  const { rows: tables } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely_%'
      and tablename not in ('session', 'registry_write')
    order by tablename`.execute(ctx.db);
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(ctx.db);
    out[name] = rows
      .map((r) => {
        const { last_login_at: _l, failed_logins: _f, ...rest } = r;
        return JSON.stringify(rest);
      })
      .sort();
  }
  return JSON.stringify(out);
}
