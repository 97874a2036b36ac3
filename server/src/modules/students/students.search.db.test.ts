/**
 * Student search and the roster at volume: each reading of a search (name, part of a name, pinyin initials,
 * 学籍号 prefix, full ID number) within scope, the match cap, filters applied before the cap, the roster's
 * counted total (exact up to ROSTER_COUNT_CAP, then capped), its order and paging across schools, and scope
 * (another county's admin finds nothing and gets 404 on the detail). About 10,500 students, inserted by SQL.
 */
import { randomUUID } from 'node:crypto';
import { SEARCH_MATCH_CAP, type StudentDetail, type StudentPage } from '@dudao/contracts';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD, type World } from '../../../test/fixtures.js';
import { loginAs, openTestDb, testApp, type Client, type TestDb } from '../../../test/harness.js';
import { expectError, expectUnchanged } from '../../../test/helpers.js';
import { systemActor } from '../../platform/access/actor.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import { createUnit } from '../units/units.service.js';
import { initialsOf } from './initials.js';
import { ROSTER_COUNT_CAP } from './students.repository.js';

let t: TestDb;
let world: World;
let app: FastifyInstance;
let city: Client;
let adminA: Client;
let adminB: Client;
let schoolA1: Client;
let schoolA2: Client;

const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕春菊凤洁梅琳云'];
const ID_A = generateIdNumber('220302', '2018-04-05', 'F', 7);
const ID_B = generateIdNumber('220303', '2018-04-06', 'M', 8);
/** Students per school, inserted in bulk: 张 in A1 (above the search cap), 王 in A2, 李 in B1. */
const BULK = { A1: 1200, A2: 300, B1: 9000 } as const;
let classes: { id: string; grade: number; name: string }[];
let idStudentA: StudentDetail;

/** Bulk students of a school: name = surname + one or two given characters, grades 1–6, 学籍号 L<tag><i>. */
async function bulk(
  schoolId: string,
  county: string,
  surname: string,
  n: number,
  tag: number,
  withClasses: boolean,
) {
  const rows = Array.from({ length: n }, (_, i) => {
    const name = surname + GIVEN[i % GIVEN.length]! + (i % 3 === 0 ? '' : GIVEN[(i * 7) % GIVEN.length]!);
    const grade = (i % 6) + 1;
    const cls = withClasses
      ? classes.find((c) => c.grade === grade && c.name === `${(Math.floor(i / 6) % 2) + 1}班`)!
      : null;
    return {
      id: randomUUID(),
      name,
      initials: initialsOf(name),
      grade,
      classId: cls?.id ?? null,
      no: `L${tag}${String(i).padStart(6, '0')}`,
    };
  });
  await sql`
    insert into student (id, school_id, county_code, class_id, student_no, name, name_initials, sex, birth_date,
      stage, grade, status)
    select id, ${schoolId}::uuid, ${county}, class_id, no, name, initials, 'F', date '2018-01-01', 'primary', grade,
      'enrolled'
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.classId)}::uuid[],
      ${rows.map((r) => r.no)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.initials)}::text[],
      ${rows.map((r) => r.grade)}::int[]) as x(id, class_id, no, name, initials, grade)`.execute(t.ctx.db);
}

beforeAll(async () => {
  t = await openTestDb();
  world = await buildWorld(t.ctx);
  ({ app } = await testApp(t.ctx));
  const u = world.users;
  city = await loginAs(app, u.cityAdmin.username, PASSWORD);
  adminA = await loginAs(app, u.adminA.username, PASSWORD);
  adminB = await loginAs(app, u.adminB.username, PASSWORD);
  schoolA1 = await loginAs(app, u.schoolAdminA1.username, PASSWORD);
  schoolA2 = await loginAs(app, u.schoolAdminA2.username, PASSWORD);
  classes = [];
  for (let grade = 1; grade <= 6; grade++)
    for (const name of ['1班', '2班']) classes.push({ id: randomUUID(), grade, name });
  await sql`
    insert into school_class (id, school_id, school_year, stage, grade, name)
    select id, ${world.schoolA1.id}::uuid, '2026', 'primary', grade, name
    from unnest(${classes.map((c) => c.id)}::uuid[], ${classes.map((c) => c.grade)}::int[],
      ${classes.map((c) => c.name)}::text[]) as x(id, grade, name)`.execute(t.ctx.db);
  await bulk(world.schoolA1.id, '220302', '张', BULK.A1, 1, true);
  await bulk(world.schoolA2.id, '220302', '王', BULK.A2, 2, false);
  await bulk(world.schoolB1.id, '220303', '李', BULK.B1, 3, false);
  const create = async (c: Client, body: Record<string, unknown>) => {
    const res = await c.post('/api/students', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<StudentDetail>();
  };
  idStudentA = await create(schoolA1, {
    schoolId: world.schoolA1.id,
    name: '欧阳诗涵',
    idNumber: ID_A,
    grade: 2,
  });
  await create(city, { schoolId: world.schoolB1.id, name: '赵子墨', idNumber: ID_B, grade: 2 });
  await sql`analyze`.execute(t.ctx.db);
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const list = async (c: Client, query: string) => {
  const res = await c.get(`/api/students${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<StudentPage>();
};
const q = (s: string) => `?q=${encodeURIComponent(s)}`;

/** The number of students matching a SQL condition (the expected exact totals). */
async function countWhere(where: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from student s join unit sch on sch.id = s.school_id where ${where}`.execute(
    t.ctx.db,
  );
  return rows[0]!.n;
}

/** The roster order of a page: school code, grade, class (none last), initials, name. */
function expectRosterOrder(p: StudentPage): void {
  const key = (s: StudentPage['items'][number]) =>
    [s.school.code, String(s.grade).padStart(2, '0'), s.className ?? '\uffff'] as const;
  for (let i = 1; i < p.items.length; i++) {
    const [a, b] = [key(p.items[i - 1]!), key(p.items[i]!)];
    expect(a.join('|') <= b.join('|'), `${a.join('|')} before ${b.join('|')}`).toBe(true);
  }
}

describe('search at volume', () => {
  it('a common surname beyond the cap: the first SEARCH_MATCH_CAP matches, capped, in roster order', () =>
    expectUnchanged(t.ctx, async () => {
      const p = await list(city, `${q('张')}&pageSize=100`);
      expect({ total: p.total, capped: p.capped, n: p.items.length }).toEqual({
        total: SEARCH_MATCH_CAP,
        capped: true,
        n: 100,
      });
      expect(p.items.every((s) => s.name.startsWith('张') && s.school.id === world.schoolA1.id)).toBe(true);
      expectRosterOrder(p);
      // Paging through the capped matches is stable: pages 1 and 2 are the first 200 of one larger page.
      const [p1, p2, big] = await Promise.all([
        list(city, `${q('张')}&pageSize=100&page=1`),
        list(city, `${q('张')}&pageSize=100&page=2`),
        list(city, `${q('张')}&pageSize=200`),
      ]);
      expect([...p1.items, ...p2.items].map((s) => s.id)).toEqual(big.items.map((s) => s.id));
    }));

  it('filters apply before the cap: the surname in one grade or one class is counted exactly', () =>
    expectUnchanged(t.ctx, async () => {
      const inGrade = await list(adminA, `${q('张')}&grade=2&pageSize=100`);
      const expected = await countWhere(sql`s.name like '张%' and s.grade = 2`);
      expect(expected).toBeLessThan(SEARCH_MATCH_CAP);
      expect({ total: inGrade.total, capped: inGrade.capped }).toEqual({ total: expected, capped: false });
      expect(inGrade.items.every((s) => s.grade === 2 && s.name.startsWith('张'))).toBe(true);
      const cls = classes.find((c) => c.grade === 3 && c.name === '2班')!;
      const inClass = await list(schoolA1, `?q=zh&classId=${cls.id}&pageSize=100`);
      expect(inClass.total).toBe(
        await countWhere(sql`s.name_initials like 'zh%' and s.class_id = ${cls.id}`),
      );
      expect(inClass.total).toBeGreaterThan(0);
      expect(inClass.items.every((s) => s.classId === cls.id && s.className === '2班')).toBe(true);
    }));

  it('pinyin initials, a full name, part of a name: exact totals within scope', () =>
    expectUnchanged(t.ctx, async () => {
      // 张伟 … zw: the initials of A1's students, and nobody else's.
      const zw = await list(city, '?q=zw&pageSize=100');
      const expectedZw = await countWhere(sql`s.name_initials like 'zw%'`);
      expect(expectedZw).toBeGreaterThan(0);
      expect({ total: zw.total, capped: zw.capped }).toEqual({ total: expectedZw, capped: false });
      expect(zw.items.every((s) => s.name.startsWith('张'))).toBe(true);
      expect((await list(adminB, '?q=zw')).total).toBe(0);
      // B's admin finds B's 赵子墨 by initials, A's admin does not.
      expect((await list(adminB, '?q=zzm')).items.map((s) => s.name)).toEqual(['赵子墨']);
      expect((await list(adminA, '?q=zzm')).total).toBe(0);
      // A full name: every student of that name in scope (a name is also the beginning of longer ones).
      const full = await list(adminA, q('王芳丽'));
      expect(full.total).toBe(await countWhere(sql`s.name like '王芳丽%'`));
      expect(full.items.filter((s) => s.name === '王芳丽').length).toBeGreaterThan(0);
      expect(full.items.every((s) => s.name.startsWith('王芳丽'))).toBe(true);
      expect((await list(adminB, q('王芳丽'))).total).toBe(0);
      // Part of a name (from the second character): 诗涵 finds 欧阳诗涵 (from the third).
      expect((await list(schoolA1, q('诗涵'))).items.map((s) => s.name)).toEqual(['欧阳诗涵']);
      expect((await list(schoolA2, q('诗涵'))).total).toBe(0);
    }));

  it('学籍号 prefix and full ID number, within scope only', () =>
    expectUnchanged(t.ctx, async () => {
      // L1 + 0001xx: A1's students 100–199.
      const byNo = await list(adminA, '?q=L1000&pageSize=100');
      expect({ total: byNo.total, capped: byNo.capped }).toEqual({ total: 1000, capped: false });
      const narrow = await list(adminA, '?q=l10001&pageSize=100');
      expect(narrow.total).toBe(100);
      expect(narrow.items.every((s) => s.studentNo!.startsWith('L10001'))).toBe(true);
      expect((await list(schoolA2, '?q=L10001')).total).toBe(0);
      expect((await list(adminB, '?q=L10001')).total).toBe(0);
      // B's numbers, more than the cap county-wide.
      const b = await list(adminB, '?q=L300');
      expect({ total: b.total, capped: b.capped }).toEqual({ total: SEARCH_MATCH_CAP, capped: true });
      // A whole ID number: the one student, for those who see that school only.
      expect((await list(city, q(ID_A))).items.map((s) => s.id)).toEqual([idStudentA.id]);
      expect((await list(schoolA1, q(ID_A))).items.map((s) => s.id)).toEqual([idStudentA.id]);
      expect((await list(adminB, q(ID_A))).total).toBe(0);
      expect((await list(schoolA2, q(ID_A))).total).toBe(0);
      expect((await list(adminA, q(ID_B))).total).toBe(0);
      expect((await list(adminB, q(ID_B))).items.map((s) => s.name)).toEqual(['赵子墨']);
      // Another county's admin: nothing in the list, 404 on the detail.
      expectError(await adminB.get(`/api/students/${idStudentA.id}`), 404, 'NOT_FOUND');
      expect((await adminA.get(`/api/students/${idStudentA.id}`)).statusCode).toBe(200);
    }));
});

describe('the roster at volume', () => {
  it('counts exactly up to ROSTER_COUNT_CAP, then says capped', () =>
    expectUnchanged(t.ctx, async () => {
      const a = await list(adminA, '');
      expect({ total: a.total, capped: a.capped }).toEqual({ total: BULK.A1 + BULK.A2 + 1, capped: false });
      const s = await list(schoolA2, '');
      expect({ total: s.total, capped: s.capped }).toEqual({ total: BULK.A2, capped: false });
      const all = await countWhere(sql`true`);
      expect(all).toBeGreaterThan(ROSTER_COUNT_CAP);
      const c = await list(city, '');
      expect({ total: c.total, capped: c.capped }).toEqual({ total: ROSTER_COUNT_CAP, capped: true });
      // A filter that brings the city under the cap counts exactly again.
      const g = await list(city, '?grade=4');
      expect({ total: g.total, capped: g.capped }).toEqual({
        total: await countWhere(sql`s.grade = 4`),
        capped: false,
      });
    }));

  it('is in school, grade, class and name order; pages run on across the schools', () =>
    expectUnchanged(t.ctx, async () => {
      const first = await list(schoolA1, '?pageSize=100');
      expectRosterOrder(first);
      expect(first.items[0]).toMatchObject({ grade: 1, className: '1班' });
      // Within a class: by initials, then name.
      const oneClass = first.items.filter((s) => s.classId === first.items[0]!.classId);
      const names = oneClass.map((s) => s.name);
      const { rows } = await sql<{ name: string }>`
        select name from student where class_id = ${first.items[0]!.classId}
        order by name_initials, name, id limit ${names.length}`.execute(t.ctx.db);
      expect(names).toEqual(rows.map((r) => r.name));
      // County A: A1 (1220200001) has 1,201 students, A2 follows. Page 25 of 50 holds A1's last and A2's first.
      const p25 = await list(adminA, '?pageSize=50&page=25');
      expect(p25.items.map((s) => s.school.code)).toEqual([
        '1220200001',
        ...Array<string>(49).fill('1220200002'),
      ]);
      const [p1, p2, big] = await Promise.all([
        list(adminA, '?pageSize=50&page=25'),
        list(adminA, '?pageSize=50&page=26'),
        list(adminA, '?pageSize=100&page=13'),
      ]);
      expect([...p1.items, ...p2.items].map((s) => s.id)).toEqual(big.items.map((s) => s.id));
      // Past the end: no rows, the same total.
      const past = await list(adminA, '?pageSize=100&page=99');
      expect({ n: past.items.length, total: past.total }).toEqual({ n: 0, total: BULK.A1 + BULK.A2 + 1 });
    }));
});

/**
 * A second school of county B (1220300002, after B1) with the cases the roster's step-by-step walk must order
 * exactly as one ORDER BY would: two classes of one name (two school years) whose students interleave, a
 * kindergarten class named like a primary one of the same grade number, students of a grade with and without
 * a class, a student whose class belongs to another grade, the highest grade, equal names. And 800 王, so that
 * a city search for 王 (A2's 300, then B2's) passes the cap in the second school. Runs last: it adds students.
 */
describe('the roster walk and the search cap, case by case', () => {
  let b2: { id: string; code: string };

  beforeAll(async () => {
    const sys = systemActor('test');
    b2 = await createUnit(
      t.ctx,
      sys,
      {
        parentId: world.countyB.id,
        kind: 'school',
        code: '1220300002',
        name: '铁东区第二小学',
        stage: 'primary',
        ownership: 'public',
        locality: 'urban',
      },
      { actor: sys, ip: null, requestId: null },
    );
    const cls = (year: string, stage: string, grade: number, name: string) => ({
      id: randomUUID(),
      year,
      stage,
      grade,
      name,
    });
    const c = {
      g1: cls('2026', 'primary', 1, '2班'),
      k1: cls('2026', 'kindergarten', 1, '1班'),
      g2old: cls('2025', 'primary', 2, '1班'),
      g2new: cls('2026', 'primary', 2, '1班'),
      g2ten: cls('2026', 'primary', 2, '10班'),
      g6: cls('2026', 'primary', 6, '3班'),
    };
    const all = Object.values(c);
    await sql`
      insert into school_class (id, school_id, school_year, stage, grade, name)
      select id, ${b2.id}::uuid, year, stage, grade, name
      from unnest(${all.map((x) => x.id)}::uuid[], ${all.map((x) => x.year)}::text[],
        ${all.map((x) => x.stage)}::text[], ${all.map((x) => x.grade)}::int[], ${all.map((x) => x.name)}::text[])
        as x(id, year, stage, grade, name)`.execute(t.ctx.db);
    const names = ['吴伟', '王伟', '王薇', '王伟', '阿明', '张三', '章珊', '欧阳娜娜', '赵子墨', '王伟'];
    const rows: {
      classId: string | null;
      stage: string;
      grade: number;
      name: string;
      status: string;
      leftBehind: boolean;
    }[] = [];
    const add = (n: number, classId: string | null, stage: string, grade: number) => {
      for (let i = 0; i < n; i++)
        rows.push({
          classId,
          stage,
          grade,
          name: names[(rows.length * 7) % names.length]!,
          status: rows.length % 9 === 0 ? 'suspended' : 'enrolled',
          leftBehind: rows.length % 4 === 0,
        });
    };
    add(12, c.g1.id, 'primary', 1);
    add(9, c.k1.id, 'kindergarten', 1);
    add(7, null, 'primary', 1);
    add(11, c.g2old.id, 'primary', 2);
    add(11, c.g2new.id, 'primary', 2);
    add(6, c.g2ten.id, 'primary', 2);
    add(5, null, 'primary', 2);
    add(3, c.g1.id, 'primary', 3); // a class of another grade
    add(4, c.g6.id, 'primary', 6);
    add(4, null, 'senior', 12);
    for (let i = 0; i < 800; i++)
      rows.push({
        classId: i % 2 ? c.g6.id : null,
        stage: 'primary',
        grade: 6,
        name: '王' + GIVEN[i % GIVEN.length]! + GIVEN[(i * 5) % GIVEN.length]!,
        status: 'enrolled',
        leftBehind: false,
      });
    await sql`
      insert into student (id, school_id, county_code, class_id, name, name_initials, sex, birth_date, stage,
        grade, status, left_behind)
      select gen_random_uuid(), ${b2.id}::uuid, '220303', class_id, name, initials, 'M', date '2018-01-01', stage,
        grade, status, left_behind
      from unnest(${rows.map((r) => r.classId)}::uuid[], ${rows.map((r) => r.name)}::text[],
        ${rows.map((r) => initialsOf(r.name))}::text[], ${rows.map((r) => r.stage)}::text[],
        ${rows.map((r) => r.grade)}::int[], ${rows.map((r) => r.status)}::text[],
        ${rows.map((r) => r.leftBehind)}::boolean[])
        as x(class_id, name, initials, stage, grade, status, left_behind)`.execute(t.ctx.db);
    await sql`analyze`.execute(t.ctx.db);
  });

  /** Ids of the students matching a condition in roster order (school code, grade, class, initials, name, id). */
  async function rosterOrder(where: ReturnType<typeof sql>, limit: number, offset = 0): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`
      select s.id from student s join unit sch on sch.id = s.school_id
        left join school_class c on c.id = s.class_id
      where ${where}
      order by sch.code, s.grade, c.name nulls last, s.name_initials, s.name, s.id
      limit ${limit} offset ${offset}`.execute(t.ctx.db);
    return rows.map((r) => r.id);
  }

  /** Every page of a roster query, concatenated. */
  async function allPages(c: Client, query: string, pageSize: number): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const p = await list(c, `?${query}&pageSize=${pageSize}&page=${page}`);
      ids.push(...p.items.map((s) => s.id));
      if (p.items.length < pageSize) return ids;
    }
  }

  it('walks a school grade by grade and class by class exactly in roster order, filters included', () =>
    expectUnchanged(t.ctx, async () => {
      const inB2 = sql`s.school_id = ${b2.id}::uuid`;
      const everyone = await rosterOrder(inB2, 10_000);
      expect(everyone.length).toBe(872);
      expect(await allPages(adminB, `schoolId=${b2.id}`, 100)).toEqual(everyone);
      // Small pages end inside a class, between the classes of one name, and between grades.
      for (const page of [3, 4, 5, 6, 7, 8, 9])
        expect(
          (await list(adminB, `?schoolId=${b2.id}&pageSize=7&page=${page}`)).items.map((s) => s.id),
        ).toEqual(everyone.slice((page - 1) * 7, page * 7));
      const cases: [query: string, where: ReturnType<typeof sql>][] = [
        ['grade=1', sql`s.grade = 1`],
        ['grade=1&stage=kindergarten', sql`s.grade = 1 and s.stage = 'kindergarten'`],
        ['grade=2&status=enrolled', sql`s.grade = 2 and s.status = 'enrolled'`],
        ['stage=senior', sql`s.stage = 'senior'`],
        ['grade=3', sql`s.grade = 3`],
        ['flags=left_behind', sql`s.left_behind`],
      ];
      for (const [query, where] of cases) {
        const expected = await rosterOrder(sql`${inB2} and ${where}`, 10_000);
        expect(expected.length, query).toBeGreaterThan(0);
        const p = await list(adminB, `?schoolId=${b2.id}&${query}&pageSize=100`);
        expect({ ids: p.items.map((s) => s.id), total: p.total, capped: p.capped }, query).toEqual({
          ids: expected.slice(0, 100),
          total: expected.length,
          capped: false,
        });
      }
      // The classes named 1班 of grade 2 (two years): their students sorted together, by initials and name.
      const g2 = (await list(adminB, `?schoolId=${b2.id}&grade=2&pageSize=100`)).items;
      const ones = g2.filter((s) => s.className === '1班');
      expect(new Set(ones.map((s) => s.classId)).size).toBe(2);
      expect(g2.map((s) => s.className ?? '')).toEqual([
        ...Array<string>(6).fill('10班'),
        ...Array<string>(22).fill('1班'),
        ...Array<string>(5).fill(''),
      ]);
      // One class: sorted at once.
      const cls = ones[0]!.classId!;
      expect((await list(adminB, `?classId=${cls}&pageSize=100`)).items.map((s) => s.id)).toEqual(
        await rosterOrder(sql`s.class_id = ${cls}::uuid`, 100),
      );
      // County B: a page that ends B1 and begins B2.
      const inB = sql`s.county_code = '220303'`;
      const b1Count = BULK.B1 + 1;
      const page = Math.floor(b1Count / 100) + 1;
      const crossing = await list(adminB, `?pageSize=100&page=${page}`);
      expect(crossing.items.map((s) => s.id)).toEqual(await rosterOrder(inB, 100, (page - 1) * 100));
      expect(new Set(crossing.items.map((s) => s.school.code))).toEqual(
        new Set(['1220300001', '1220300002']),
      );
    }));

  it('a search beyond the cap keeps every match of the first schools in code order, then fills from the next', () =>
    expectUnchanged(t.ctx, async () => {
      const a2 = await countWhere(sql`s.school_id = ${world.schoolA2.id}::uuid and s.name like '王%'`);
      const inB2 = await countWhere(sql`s.school_id = ${b2.id}::uuid and s.name like '王%'`);
      expect({ a2, more: a2 + inB2 > SEARCH_MATCH_CAP, fewer: a2 < SEARCH_MATCH_CAP }).toEqual({
        a2: BULK.A2,
        more: true,
        fewer: true,
      });
      const ids: string[] = [];
      for (let page = 1; page <= SEARCH_MATCH_CAP / 100; page++) {
        const p = await list(city, `${q('王')}&pageSize=100&page=${page}`);
        expect({ total: p.total, capped: p.capped }).toEqual({ total: SEARCH_MATCH_CAP, capped: true });
        expect(p.items.every((s) => s.name.startsWith('王'))).toBe(true);
        ids.push(...p.items.map((s) => s.id));
      }
      expect(new Set(ids).size).toBe(SEARCH_MATCH_CAP);
      // All of A2's (the first school with a 王), in roster order, then B2's up to the cap.
      expect(ids.slice(0, a2)).toEqual(
        await rosterOrder(sql`s.school_id = ${world.schoolA2.id}::uuid and s.name like '王%'`, a2),
      );
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from student where id = any(${ids.slice(a2)}::uuid[])
          and school_id = ${b2.id}::uuid`.execute(t.ctx.db);
      expect(rows[0]!.n).toBe(SEARCH_MATCH_CAP - a2);
      // The same matches whoever asks within the city: a second call keeps them.
      const again = await list(city, `${q('王')}&pageSize=100&page=4`);
      expect(again.items.map((s) => s.id)).toEqual(ids.slice(300, 400));
    }));
});
