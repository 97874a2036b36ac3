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
import { generateIdNumber } from '../../platform/crypto/id-number.js';
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
