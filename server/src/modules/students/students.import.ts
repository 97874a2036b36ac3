// The student import: the registry's kind of the shared import engine. A row becomes a staged student;
// the check decides set-based whether it inserts, updates, changes nothing or is refused; the merge writes
// the registry in the commit's transaction. A student is never deleted or moved to another school by an
// import (a move is a transfer), and never gets a status other than 在读 from one.
//
// Matching, in this order: the 学籍号; else the ID number among the school's students in 在读/休学; else,
// for rows with neither, name + birth date + sex among the school's students that have neither.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { generateIdNumber } from '../../platform/crypto/id-number.js';
import type { DB } from '../../platform/db/schema.js';
import {
  registerImportKind,
  stagedCounts,
  stagedRejections,
  type ImportFieldSpec,
  type ImportJobInfo,
  type MergeCounts,
} from '../../platform/imports/kinds.js';
import { makeRowParser, type School, type StudentParserData } from './students.import-rows.js';
import { chinaToday, currentSchoolYear } from './students.mapping.js';
import { STUDENT_TEMPLATE_COLUMNS, type StudentTemplateKey } from './students.columns.js';

type Key = Exclude<StudentTemplateKey, 'status'>;

// The names people give each column besides the template's own.
const SYNONYMS: Partial<Record<Key, readonly string[]>> = {
  name: ['学生姓名', '姓名(学生)'],
  sex: ['学生性别'],
  birthDate: ['出生年月日', '出生年月', '生日', '出生时间'],
  ethnicity: ['民族名称'],
  idNumber: [
    '身份证件号',
    '身份证件号码',
    '公民身份号码',
    '证件号码',
    '身份证号码',
    '身份证',
    '身份证件号(必填)',
  ],
  studentNo: ['全国学籍号', '全国学籍号码', '学籍号码', '学籍编号', '学籍辅号'],
  schoolCode: ['学校代码', '学校识别码', '学校标识'],
  schoolName: ['学校', '所在学校', '就读学校'],
  stage: ['学段名称'],
  grade: ['所在年级', '年级名称', '就读年级'],
  className: ['班级名称', '所在班级', '班号', '班别'],
  enrolledOn: ['入学年月', '入学时间', '入校日期'],
  hukouRegion: ['户口所在地', '户籍地', '户籍所在地代码', '户籍地址', '户口所在地区划'],
  address: ['家庭住址', '现居住地址', '居住地址', '家庭地址', '现住址(详细)'],
  povertyHousehold: [
    '是否脱贫户',
    '脱贫户',
    '建档立卡',
    '是否建档立卡',
    '低收入家庭',
    '脱贫家庭学生',
    '是否脱贫家庭',
  ],
  leftBehind: ['是否留守儿童', '留守'],
  migrant: ['是否随迁子女', '进城务工人员随迁子女', '随迁'],
  disabled: ['是否残疾', '残疾人', '是否残疾人'],
  disabilityCategory: ['残疾类型', '残疾种类'],
  orphan: ['是否孤儿'],
  guardian1Name: ['监护人姓名', '家长姓名', '第一监护人姓名', '监护人一姓名'],
  guardian1Relation: ['监护人关系', '与学生关系', '第一监护人关系', '监护人一关系', '监护人1与学生关系'],
  guardian1Phone: [
    '监护人电话',
    '联系电话',
    '家长电话',
    '监护人手机号',
    '监护人1手机号',
    '监护人1联系电话',
    '第一监护人电话',
  ],
  guardian2Name: ['第二监护人姓名', '监护人二姓名'],
  guardian2Relation: ['第二监护人关系', '监护人二关系', '监护人2与学生关系'],
  guardian2Phone: ['第二监护人电话', '监护人二电话', '监护人2手机号', '监护人2联系电话'],
};

const HINTS: Partial<Record<Key, string>> = {
  name: '必填',
  sex: '男/女；填写身份证号时可不填',
  birthDate: '如 2015-09-01、2015/9/1、20150901；填写身份证号时可不填',
  idNumber: '18 位，列设为“文本”格式，以免 Excel 变为科学计数法',
  studentNo: 'G 或 L 开头的 19 位全国学籍号',
  schoolCode: '10 位学校标识码；导入到教育局时必填',
  grade: '必填，如 一年级、七年级、初一、高一、小班',
  className: '如 1班',
  hukouRegion: '行政区划代码或全称，如 220302 或 吉林省四平市铁西区',
  povertyHousehold: '是/否',
  disabilityCategory: '视力/听力/言语/肢体/智力/精神/多重残疾',
  guardian1Relation: '父亲/母亲/祖父母/外祖父母/兄弟姐妹/其他亲属/其他',
};

const REQUIRED_COLUMNS: readonly Key[] = ['name', 'grade'];

export const STUDENT_IMPORT_FIELDS: readonly ImportFieldSpec<Key>[] = STUDENT_TEMPLATE_COLUMNS.filter(
  (c): c is Extract<(typeof STUDENT_TEMPLATE_COLUMNS)[number], { key: Key }> => c.key !== 'status',
).map((c) => ({
  key: c.key,
  label: c.label,
  synonyms: SYNONYMS[c.key] ?? [],
  required: REQUIRED_COLUMNS.includes(c.key),
  ...(HINTS[c.key] ? { hint: HINTS[c.key] } : {}),
}));

const STAGING_COLUMNS = [
  'school_id',
  'county_code',
  'student_no',
  'id_number_enc',
  'id_number_hmac',
  'id_birth_date',
  'id_sex',
  'name',
  'name_initials',
  'sex',
  'birth_date',
  'ethnicity',
  'hukou_region_code',
  'address',
  'stage',
  'grade',
  'class_name',
  'enrolled_on',
  'poverty_household',
  'left_behind',
  'migrant',
  'disabled',
  'disability_category',
  'orphan',
  'guardians',
  'new_id',
] as const;

// ---------- the row parser (students.import-rows.ts) ----------

async function schoolsUnder(ctx: AppContext, job: ImportJobInfo): Promise<School[]> {
  const rows = await ctx.db
    .selectFrom('unit')
    .select(['id', 'code', 'stage', 'region_code', 'path'])
    .select(
      sql<
        string | null
      >`(select c.region_code from unit c where c.kind = 'county_bureau' and unit.path like c.path || '%' limit 1)`.as(
        'county_region',
      ),
    )
    .where('kind', '=', 'school')
    .where('status', '=', 'active')
    .where('path', 'like', `${job.unit.path}%`)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    stage: r.stage,
    county_code: (r.county_region ?? r.region_code).slice(0, 6),
  }));
}

async function prepare(ctx: AppContext, job: ImportJobInfo, columns: Partial<Record<Key, number>>) {
  return makeRowParser(await parserData(ctx, job), columns, ctx.vault);
}

async function parserData(ctx: AppContext, job: ImportJobInfo): Promise<StudentParserData> {
  return {
    schools: await schoolsUnder(ctx, job),
    onlyId: job.unit.kind === 'school' ? job.unit.id : null,
    today: chinaToday(),
  };
}

// ---------- check and merge (set-based) ----------

type Db = Kysely<DB> | Transaction<DB>;

// Values compared to decide update vs unchanged: a blank cell (null) keeps what is there.
const COMPARED = [
  'student_no',
  'id_number_hmac',
  'name',
  'sex',
  'birth_date',
  'ethnicity',
  'hukou_region_code',
  'address',
  'stage',
  'grade',
  'enrolled_on',
  'poverty_household',
  'left_behind',
  'migrant',
  'disabled',
  'disability_category',
  'orphan',
] as const;

const differs = sql.raw(
  [
    ...COMPARED.map((c) => `(r.${c} is not null and r.${c} is distinct from s.${c})`),
    // Class: named in the file and not the student's class (same name, grade and stage this year).
    `(r.class_name is not null and (s.class_id is null or not exists (select 1 from school_class k where k.id = s.class_id and k.name = r.class_name and k.grade = r.grade and k.stage = r.stage and k.school_year = s.school_year_text)))`,
    // Guardians: the matched students' lists are aggregated once, joined as ga (see check).
    `(r.guardians is not null and r.guardians is distinct from coalesce(ga.list, '[]'::jsonb))`,
  ].join(' or '),
);

// Checking writes each staged row at most once, and only when its outcome changed: one statement decides every
// row (duplicate in the file, match, conflict, update or unchanged) and updates the rows whose decision differs
// from what they hold. A first roster (nothing matches, nothing refused) writes no row at all, and the re-check
// inside a commit writes none unless the registry changed since the validation. (Six updates of every row, one
// per rule, took minutes at a million matched rows.)
async function check(db: Db, job: ImportJobInfo, opts: { recheck?: boolean } = {}): Promise<MergeCounts> {
  const id = job.id;
  const year = String(currentSchoolYear());
  // Fresh statistics after the load: the planner must know the staged rows are many, or it joins them row by
  // row. The re-check of a commit reads the same rows, still described by the validation's statistics.
  if (!opts.recheck) await sql`analyze import_student_row`.execute(db);
  // (The engine runs the check with enough work_mem to hash the duplicate groups, and without the JIT.)
  // Each step is materialised so that its per-row look-ups run once per row: inlined, the planner copied the
  // match (three index probes) into every expression that used it.
  const decided = sql`
    with
    -- The same student twice in the file: the first row of each key that occurs more than once, in the order
    -- the keys are tried. Hashed groups of the keys; only the groups with duplicates are kept.
    dup_no as materialized (
      select student_no as k, min(row_no) as first from import_student_row
      where job_id = ${id} and student_no is not null group by student_no having count(*) > 1
    ), dup_id as materialized (
      select id_number_hmac as k, min(row_no) as first from import_student_row
      where job_id = ${id} and id_number_hmac is not null group by id_number_hmac having count(*) > 1
    ), dup_person as materialized (
      select school_id, name, birth_date, sex, min(row_no) as first from import_student_row
      where job_id = ${id} and student_no is null and id_number_hmac is null
      group by school_id, name, birth_date, sex having count(*) > 1
    ), m as materialized (
      select r.row_no, r.id_number_hmac,
        case when dn.first < r.row_no then dn.first
             when di.first < r.row_no then di.first
             when dp.first < r.row_no then dp.first end as dup_of,
        case when dn.first < r.row_no then 'no' when di.first < r.row_no then 'id' else 'person' end as dup_kind,
        -- The student matched: by 学籍号 (anywhere: the number is national; a join, hashed when the file is
        -- large), else by ID number among students in school, else (rows with neither) by name, birth date
        -- and sex among the school's students with neither.
        coalesce(sn.id,
          case when r.id_number_hmac is not null then
            (select s.id from student s where s.id_number_hmac = r.id_number_hmac
               and s.status in ('enrolled', 'suspended') order by s.created_at limit 1) end,
          case when r.student_no is null and r.id_number_hmac is null then
            (select s.id from student s
             where s.school_id = r.school_id and s.name = r.name and s.birth_date = r.birth_date and s.sex = r.sex
               and s.student_no is null and s.id_number_hmac is null
             order by s.created_at limit 1) end) as matched
      from import_student_row r
      left join student sn on sn.student_no = r.student_no
      left join dup_no dn on dn.k = r.student_no
      left join dup_id di on di.k = r.id_number_hmac
      left join dup_person dp on r.student_no is null and r.id_number_hmac is null and dp.school_id = r.school_id
        and dp.name = r.name and dp.birth_date = r.birth_date and dp.sex = r.sex
      where r.job_id = ${id}
    ), enrolled_elsewhere as materialized (
      -- Rows whose ID number another student in school already holds (one registration per person).
      select distinct m.row_no from m
      join student o on o.id_number_hmac = m.id_number_hmac and o.status in ('enrolled', 'suspended')
        and o.id is distinct from m.matched
    ), ga as materialized (
      -- The guardians of each row's matched student, as the file lists them (compared whole). Joined per row
      -- rather than by a list of the matched students, which the planner took for 200 and probed one by one.
      select m.row_no, jsonb_agg(jsonb_build_object('name', g.name, 'relation', g.relation, 'phone', g.phone)
                                 order by g.ord) as list
      from m join student_guardian g on g.student_id = m.matched
      where m.dup_of is null
      group by m.row_no
    ), d as materialized (
      select m.row_no, m.dup_of, m.dup_kind, case when m.dup_of is null then m.matched end as student_id,
        case when m.dup_of is not null then 'IMPORT_DUPLICATE_IN_FILE'
             when s.id is not null and s.school_id <> r.school_id then 'IMPORT_STUDENT_AT_OTHER_SCHOOL'
             when ee.row_no is not null then 'STUDENT_ALREADY_ENROLLED'
             when s.id is not null and r.id_number_hmac is not null and s.id_number_hmac is not null
               and s.id_number_hmac <> r.id_number_hmac then 'STUDENT_NO_ID_CONFLICT'
        end as reject_code,
        case when s.id is null then null when (${differs}) then 'update' else 'unchanged' end as outcome
      from m
      join import_student_row r on r.job_id = ${id} and r.row_no = m.row_no
      left join (select s.*, ${year}::text as school_year_text from student s) s
        on m.dup_of is null and s.id = m.matched
      left join enrolled_elsewhere ee on ee.row_no = m.row_no
      left join ga on ga.row_no = m.row_no
    )
    select d.row_no, d.student_id,
      case when d.reject_code is not null then 'reject' else d.outcome end as action,
      d.reject_code,
      case d.reject_code
        when 'IMPORT_DUPLICATE_IN_FILE' then jsonb_build_object(
          'zh', '与第 ' || d.dup_of || ' 行是同一名学生（' ||
                case d.dup_kind when 'no' then '学籍号' when 'id' then '身份证号' else '姓名、性别和出生日期' end || '相同）',
          'en', 'Same student as row ' || d.dup_of || ' (same ' ||
                case d.dup_kind when 'no' then 'student number' when 'id' then 'ID number'
                                else 'name, sex and birth date' end || ')')
        when 'IMPORT_STUDENT_AT_OTHER_SCHOOL' then
          '{"zh":"该学生的学籍在另一所学校，转入请通过转学办理，不能用导入改变学校","en":"The student is registered at another school; a move is a transfer, not an import"}'::jsonb
        when 'STUDENT_ALREADY_ENROLLED' then
          '{"zh":"该身份证号已有在籍学籍（一人一籍），请先办理转学或更正","en":"A student with this ID number is already registered (one registration per person); transfer or correct first"}'::jsonb
        when 'STUDENT_NO_ID_CONFLICT' then
          '{"zh":"学籍号对应的学生身份证号与本行不同，请核对","en":"The student with this student number has a different ID number; check the row"}'::jsonb
      end as reject_message
    from d`;
  await sql`
    update import_student_row t set student_id = d.student_id, action = d.action, reject_code = d.reject_code,
      reject_message = d.reject_message
    from (${decided}) d
    where t.job_id = ${id} and t.row_no = d.row_no
      and (t.student_id is distinct from d.student_id or t.action is distinct from d.action
           or t.reject_code is distinct from d.reject_code or t.reject_message is distinct from d.reject_message)`.execute(
    db,
  );
  return stagedCounts(db, 'import_student_row', id);
}

// The rows a merge writes: those to insert (no match, not refused) and those that change a student.
const WRITTEN = sql.raw(`(r.action is null or r.action = 'update')`);

async function merge(trx: Transaction<DB>, job: ImportJobInfo, actor: Actor): Promise<MergeCounts> {
  const id = job.id;
  const year = String(currentSchoolYear());
  const today = chinaToday();
  // Classes named in the file that the school does not have yet this school year.
  await sql`
    insert into school_class (id, school_id, school_year, stage, grade, name)
    select gen_random_uuid(), school_id, ${year}, stage, grade, class_name
    from (select distinct school_id, stage, grade, class_name from import_student_row r
          where job_id = ${id} and ${WRITTEN} and class_name is not null) c
    on conflict (school_id, school_year, stage, grade, name) do nothing`.execute(trx);
  // The file's class of a row, joined (not looked up row by row).
  const withClass = sql`import_student_row r left join school_class k on k.school_id = r.school_id
    and k.school_year = ${year} and k.stage = r.stage and k.grade = r.grade and k.name = r.class_name`;
  const changed = (side: 'r' | 's') =>
    sql.raw(
      COMPARED.filter((c) => c !== 'id_number_hmac')
        .map(
          (c) =>
            `'${c}', case when r.${c} is not null and r.${c} is distinct from s.${c} then to_jsonb(${side}.${c}) end`,
        )
        .join(', '),
    );
  // What updated students were, for the per-student change record (the audit entry names the job).
  await sql`
    insert into import_change (job_id, student_id, before, after)
    select ${id}, s.id, jsonb_strip_nulls(jsonb_build_object(${changed('s')})),
      jsonb_strip_nulls(jsonb_build_object(${changed('r')}))
    from import_student_row r join student s on s.id = r.student_id
    where r.job_id = ${id} and r.action = 'update'`.execute(trx);
  // A load that at least doubles the registry (the first roster of a county or city) builds the student
  // table's secondary indexes once after the rows are in, rather than maintaining them row by row; the
  // definitions are read back from the catalogue, so the migrations stay their one source. The unique
  // 学籍号 index is rebuilt too: a duplicate the check missed would fail the build and roll everything back.
  const staged = await sql<{ inserts: number; existing: number }>`
    select (select count(*)::int from import_student_row where job_id = ${id} and action is null) as inserts,
           (select count(*)::int from student) as existing`.execute(trx);
  const { inserts = 0, existing = 0 } = staged.rows[0] ?? {};
  const rebuild =
    inserts >= 50_000 && inserts >= existing
      ? (
          await sql<{ indexname: string; indexdef: string }>`
            select indexname, indexdef from pg_indexes
            where schemaname = current_schema() and tablename = 'student' and indexname <> 'student_pkey'`.execute(
            trx,
          )
        ).rows
      : [];
  // The same load checks its foreign keys once, set-based, rather than with a trigger per row and key (five
  // million look-ups for a first roster of a million students with two guardians each): the keys of the tables
  // it fills are dropped and added back, validated, before the commit. The tables are locked by the index
  // rebuild anyway.
  const keys =
    rebuild.length > 0
      ? (
          await sql<{ conname: string; tbl: string; def: string }>`
            select conname, conrelid::regclass::text as tbl, pg_get_constraintdef(oid) as def from pg_constraint
            where contype = 'f'
              and conrelid in ('student'::regclass, 'student_guardian'::regclass, 'student_status_event'::regclass)
            order by conrelid::regclass::text, conname`.execute(trx)
        ).rows
      : [];
  if (rebuild.length > 0) {
    await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
    for (const ix of rebuild) await sql`drop index ${sql.id(ix.indexname)}`.execute(trx);
    for (const k of keys)
      await sql`alter table ${sql.table(k.tbl)} drop constraint ${sql.id(k.conname)}`.execute(trx);
  }
  const inserted = await sql`
    insert into student (id, school_id, county_code, class_id, student_no, id_number_enc, id_number_hmac, id_birth_date,
      id_sex, name, name_initials, sex, birth_date, ethnicity, hukou_region_code, address, stage, grade, enrolled_on,
      status, poverty_household, left_behind, migrant, disabled, disability_category, orphan)
    select r.new_id, r.school_id, r.county_code, k.id, r.student_no, r.id_number_enc, r.id_number_hmac,
      r.id_birth_date, r.id_sex, r.name, r.name_initials, r.sex, r.birth_date, r.ethnicity, r.hukou_region_code,
      r.address, r.stage, r.grade, r.enrolled_on, 'enrolled',
      coalesce(r.poverty_household, false), coalesce(r.left_behind, false), coalesce(r.migrant, false),
      coalesce(r.disabled, false), r.disability_category, coalesce(r.orphan, false)
    from ${withClass} where r.job_id = ${id} and r.action is null
    order by r.new_id`.execute(trx);
  for (const ix of rebuild) await sql.raw(ix.indexdef).execute(trx);
  const updated = await sql`
    update student s set
      student_no = coalesce(r.student_no, s.student_no),
      id_number_enc = coalesce(r.id_number_enc, s.id_number_enc),
      id_number_hmac = coalesce(r.id_number_hmac, s.id_number_hmac),
      id_birth_date = coalesce(r.id_birth_date, s.id_birth_date),
      id_sex = coalesce(r.id_sex, s.id_sex),
      name = r.name,
      name_initials = r.name_initials,
      sex = r.sex,
      birth_date = r.birth_date,
      ethnicity = coalesce(r.ethnicity, s.ethnicity),
      hukou_region_code = coalesce(r.hukou_region_code, s.hukou_region_code),
      address = coalesce(r.address, s.address),
      stage = r.stage,
      grade = r.grade,
      class_id = case when r.class_name is not null then r.class_id
                      when r.stage = s.stage and r.grade = s.grade then s.class_id end,
      enrolled_on = coalesce(r.enrolled_on, s.enrolled_on),
      poverty_household = coalesce(r.poverty_household, s.poverty_household),
      left_behind = coalesce(r.left_behind, s.left_behind),
      migrant = coalesce(r.migrant, s.migrant),
      disabled = coalesce(r.disabled, s.disabled),
      disability_category = case when coalesce(r.disabled, s.disabled)
                                 then coalesce(r.disability_category, s.disability_category) end,
      orphan = coalesce(r.orphan, s.orphan),
      updated_at = now()
    from (select r.*, k.id as class_id from ${withClass} where r.job_id = ${id} and r.action = 'update') r
    where s.id = r.student_id`.execute(trx);
  // Guardians: the file's list replaces the student's when the file has guardian columns.
  await sql`
    delete from student_guardian g using import_student_row r
    where r.job_id = ${id} and r.action = 'update' and r.guardians is not null and g.student_id = r.student_id`.execute(
    trx,
  );
  await sql`
    insert into student_guardian (student_id, ord, name, relation, phone)
    select coalesce(r.student_id, r.new_id), e.ord, e.value->>'name', e.value->>'relation', e.value->>'phone'
    from import_student_row r, jsonb_array_elements(r.guardians) with ordinality as e(value, ord)
    where r.job_id = ${id} and ${WRITTEN} and r.guardians is not null
    order by r.new_id`.execute(trx);
  await sql`
    insert into student_status_event (id, student_id, kind, status_from, status_to, effective_on, reason, school_id,
      actor_user_id)
    -- The event takes the student's new id as its own (another table; time-ordered, so the index stays local).
    select r.new_id, r.new_id, 'enrol', null, 'enrolled', coalesce(r.enrolled_on, ${today}::date),
      ${'批量导入'}, r.school_id, ${actor.userId}
    from import_student_row r where r.job_id = ${id} and r.action is null
    order by r.new_id`.execute(trx);
  for (const k of keys)
    await sql`alter table ${sql.table(k.tbl)} add constraint ${sql.id(k.conname)} ${sql.raw(k.def)}`.execute(
      trx,
    );
  const unchanged = await sql<{ n: number }>`
    select count(*)::int as n from import_student_row where job_id = ${id} and action = 'unchanged'`.execute(
    trx,
  );
  return {
    inserted: Number(inserted.numAffectedRows ?? 0),
    updated: Number(updated.numAffectedRows ?? 0),
    unchanged: unchanged.rows[0]?.n ?? 0,
  };
}

registerImportKind<Key>({
  kind: 'students',
  permission: 'student.write',
  unitKinds: ['school', 'county_bureau', 'city_bureau'],
  fields: STUDENT_IMPORT_FIELDS,
  example: [
    [
      '张小明',
      '男',
      '2016-03-15',
      '汉族',
      generateIdNumber('220302', '2016-03-15', 'M', 1),
      '',
      '2203020001',
      '四平市铁西区第一小学',
      '小学',
      '四年级',
      '1班',
      '2022-09-01',
      '220302',
      '四平市铁西区英雄大街1号',
      '否',
      '否',
      '否',
      '否',
      '',
      '否',
      '张建国',
      '父亲',
      '13800000000',
      '李梅',
      '母亲',
      '',
    ],
  ],
  staging: { table: 'import_student_row', columns: STAGING_COLUMNS },
  analyze: ['student', 'student_guardian', 'student_status_event', 'school_class'],
  reads: ['student', 'student_guardian', 'school_class'],
  prepare,
  worker: { module: new URL('./students.import-rows.ts', import.meta.url).href, data: parserData },
  check,
  rejections: stagedRejections('import_student_row'),
  merge,
});
