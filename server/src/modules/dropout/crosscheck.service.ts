/**
 * 四查三比对: a population list (户籍 school-age list from public security / towns, or a 脱贫户 children list)
 * is read with the import engine's readers and header matching, each person is matched to the registry by the
 * ID-number HMAC, and ends in exactly one category:
 *   unmatched        the row cannot be compared: no valid ID number, or outside the compulsory-education ages
 *                    (ageMin–ageMax on 31 August of the school year of `asOf`, per region);
 *   dropout / povertyDropout   enrolled somewhere but not in school: status 辍学, or an open suspected/辍学 case
 *                    (poverty: the list is a 脱贫户 list, the row says so, or the registry flags the student);
 *   enrolledHere     in school (在读/休学) at a school under the list's unit;
 *   enrolledElsewhere in school at another county's school, or transferred out of the platform;
 *   exempt           exemption declared on the row (外地就读有证明, 送教上门, 身体原因, 出国, 死亡), deceased or
 *                    graduated in the registry, or a case closed as exempt / moved away / vocational training;
 *   outOfSchool      none of these: 适龄失学, no enrolment known anywhere.
 * Counts per town, county and the whole list reconcile: the categories add up to `listed`.
 */
import {
  CROSSCHECK_CATEGORIES,
  type CrosscheckCategory,
  type CrosscheckCounts,
  type CrosscheckResult,
  type PersonQuery,
  type PopulationPersonPage,
} from '@dudao/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { bulkLoader, bulkSettings } from '../../platform/db/bulk.js';
import type { Actor } from '../../platform/access/actor.js';
import { can } from '../../platform/access/actor.js';
import { pathInScope } from '../../platform/access/scope.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.js';
import { schoolYearOf } from '../../platform/calendar/school-days.js';
import type { AppContext } from '../../platform/context.js';
import { maskIdNumber } from '../../platform/crypto/id-number.js';
import { chinaToday } from '../../platform/dates.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { mapHeader, normalizeHeader, type FieldSpec } from '../../platform/imports/header.js';
import { sniffFile } from '../../platform/imports/small-table.js';
import { parseUpload } from '../../platform/imports/parse-upload.js';
import { findDivision } from '../../platform/regions/divisions.js';
import {
  ageOnCutoffOf,
  POPULATION_STAGE_VALUES,
  type PopulationField,
  type PopulationParserData,
} from './crosscheck.rows.js';
import { dropoutPolicy } from './dropout.policy.js';
import { effectiveSettings } from './dropout.settings.js';

const UNIT = { zh: '单位', en: 'Unit' };
const LIST = { zh: '名单', en: 'List' };

export const POPULATION_FIELDS: FieldSpec<PopulationField>[] = [
  { key: 'name', label: '姓名', synonyms: ['儿童姓名', '学生姓名', '子女姓名'], required: true },
  {
    key: 'idNumber',
    label: '身份证号',
    synonyms: ['公民身份号码', '身份证号码', '身份证件号', '证件号码', '儿童身份证号'],
    required: true,
  },
  { key: 'county', label: '区县', synonyms: ['县区', '县(市、区)', '所属区县', '县市区'] },
  { key: 'town', label: '乡镇', synonyms: ['乡镇(街道)', '乡镇街道', '所属乡镇', '街道', '乡(镇)'] },
  { key: 'poverty', label: '是否脱贫户', synonyms: ['脱贫户', '脱贫户子女', '是否脱贫家庭'] },
  { key: 'exemption', label: '免缓学情况', synonyms: ['特殊情况', '免缓学', '未入学原因', '情况说明'] },
];

export async function unitForCrosscheck(ctx: AppContext, actor: Actor, unitId: string) {
  const unit = await ctx.db
    .selectFrom('unit')
    .select(['id', 'kind', 'name', 'path', 'region_code', 'county_code'])
    .where('id', '=', unitId)
    .where(pathInScope(actor, 'dropout.read', sql.ref('unit.path')))
    .executeTakeFirst();
  if (!unit) throw notFound(UNIT);
  if (!dropoutPolicy.canCrosscheck(actor, unit.kind, unit.path)) throw forbidden();
  return unit;
}
export type CrosscheckUnit = Awaited<ReturnType<typeof unitForCrosscheck>>;

/** The top rows the header is looked for in (mapHeader scans 20, a header may take two). */
const HEAD_ROWS = 25;

/** The row parser module (parsed in the import engine's reading workers when the list is large). */
const POPULATION_PARSER = new URL('./crosscheck.rows.ts', import.meta.url).href;

/** The first 100 of the rows, in row order. */
function firstRows<T extends { row: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => a.row - b.row).slice(0, 100);
}

/** The file's SHA-256, read as a stream. */
async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Age in whole years on 31 August of the school year `asOf` falls in. */
export function ageOnCutoff(birth: string, asOf: string): number {
  return ageOnCutoffOf(birth, Number(schoolYearOf(asOf)));
}

const emptyCounts = (): CrosscheckCounts => ({
  listed: 0,
  enrolledHere: 0,
  enrolledElsewhere: 0,
  exempt: 0,
  outOfSchool: 0,
  dropout: 0,
  povertyDropout: 0,
  unmatched: 0,
});

/** Reads, matches and stores a list (or, dry run, computes and stores nothing). Audited. */
export async function runCrosscheck(
  ctx: AppContext,
  origin: AuditOrigin,
  opts: { unit: CrosscheckUnit; path: string; fileName: string; dryRun: boolean; asOf?: string },
): Promise<CrosscheckResult> {
  const { unit } = opts;
  const asOf = opts.asOf ?? chinaToday();
  // What the file is, from its bytes, and an xlsx within the zip limits — before the list is read whole.
  const fileKind = await sniffFile(opts.path, opts.fileName);
  const sha256 = await sha256Of(opts.path);
  const { byPath } = await effectiveSettings(ctx.db, [unit.path]);
  const st = byPath.get(unit.path)!;
  // Counties of the list: the unit's own, or (a city list) those under it, by code and by name.
  const counties = await ctx.db
    .selectFrom('unit')
    .select(['region_code', 'name'])
    .where('kind', '=', 'county_bureau')
    .where('path', 'like', `${unit.path}%`)
    .execute();
  const countyCodes = new Set(counties.map((c) => c.region_code));
  if (unit.kind === 'county_bureau') countyCodes.add(unit.region_code);
  const countyByName: [string, string][] = [];
  for (const code of countyCodes) {
    const d = findDivision(code);
    if (d) countyByName.push([normalizeHeader(d.name), code]);
  }

  let kind: 'hukou' | 'poverty' = 'hukou';
  // The first rows with an unreadable ID number (batches come from two workers, not in row order).
  let rowErrors: { row: number; message: string }[] = [];
  const loadId = randomUUID();
  let listed = 0;
  // The persons are parsed by the import engine's row parsing (in its reading workers for a large list) and
  // bulk-loaded (COPY on PostgreSQL) into the staging table as they come; the matching then runs set-based in
  // one transaction, which moves them into population_person (a dry run only counts) and deletes the staged
  // rows. A failure deletes them too.
  const loader = await bulkLoader(ctx, 'population_stage', STAGE_COLUMNS);
  try {
    try {
      await parseUpload(ctx, {
        source: { path: opts.path, format: fileKind, sheet: null, fileSize: (await stat(opts.path)).size },
        stageId: loadId,
        parserModule: POPULATION_PARSER,
        headRows: HEAD_ROWS,
        onHead: (head) => {
          const mapping = mapHeader(head, POPULATION_FIELDS, { minMatches: 2 });
          if (mapping.headerRow < 0 || mapping.missingRequired.length > 0)
            throw badRequest('CROSSCHECK_NO_HEADER', {
              zh: '名单须有“姓名”“身份证号”两列（表头在前 20 行内）',
              en: 'The list needs the columns 姓名 and 身份证号 (header within the first 20 rows)',
            });
          const title = head.slice(0, mapping.headerRow).flat().join('').concat(opts.fileName);
          kind = /脱贫/.test(title) ? 'poverty' : 'hukou';
          const data: PopulationParserData = {
            unitCounty: unit.kind === 'county_bureau' ? unit.region_code : null,
            countyByName,
            povertyList: kind === 'poverty',
            cutoffYear: Number(schoolYearOf(asOf)),
            ageMin: st.ageMin,
            ageMax: st.ageMax,
            now: Date.now(),
          };
          return Promise.resolve({ columns: mapping.columns, dataRow: mapping.dataRow, data });
        },
        onBatch: async (b) => {
          listed += b.staged;
          for (const n of b.notes)
            rowErrors.push({ row: n.rowNo, message: n.errors.map((e) => e.message.zh).join('；') });
          if (rowErrors.length > 1000) rowErrors = firstRows(rowErrors);
          if (b.staged > 0) {
            if (b.copy !== null) await loader.writeText!(b.copy, b.staged);
            else await loader.write(b.rows ?? []);
          }
        },
      });
      rowErrors = firstRows(rowErrors);
      await loader.end();
    } catch (e) {
      await loader.abort(e instanceof Error ? e : undefined);
      throw e;
    }
    if (listed === 0)
      throw badRequest('CROSSCHECK_EMPTY', { zh: '名单中没有人员', en: 'The list has no persons' });
    const listId = randomUUID();
    return await ctx.db.transaction().execute(async (trx) => {
      await bulkSettings(trx);
      // The planner needs the staged rows' numbers to hash-join them with the registry.
      await sql`analyze population_stage`.execute(trx);
      if (!opts.dryRun)
        await trx
          .insertInto('population_list')
          .values({
            id: listId,
            unit_id: unit.id,
            kind,
            file_name: opts.fileName.slice(0, 200),
            sha256,
            as_of: asOf,
            age_min: st.ageMin,
            age_max: st.ageMax,
            counts: '{}',
            created_by: origin.actor?.userId ?? null,
          })
          .execute();
      const grouped = await matchPersons(trx, loadId, opts.dryRun ? null : listId, unit.path);
      await sql`delete from population_stage where load_id = ${loadId}`.execute(trx);
      const r = assemble(grouped, {
        listId: opts.dryRun ? null : listId,
        unitId: unit.id,
        kind,
        fileName: opts.fileName,
        asOf,
        ageMin: st.ageMin,
        ageMax: st.ageMax,
        dryRun: opts.dryRun,
        rowErrors,
      });
      if (opts.dryRun) return r;
      await trx
        .updateTable('population_list')
        .set({ counts: JSON.stringify({ counts: r.counts, counties: r.counties, rowErrors }) })
        .where('id', '=', listId)
        .execute();
      await recordAudit(trx, origin, {
        action: 'dropout.crosscheck',
        objectType: 'population_list',
        objectId: listId,
        unitId: unit.id,
        after: { kind, fileName: opts.fileName, sha256, asOf, counts: r.counts },
      });
      return r;
    });
  } catch (e) {
    await sql`delete from population_stage where load_id = ${loadId}`.execute(ctx.db);
    throw e;
  }
}

const STAGE_COLUMNS = ['load_id', 'row_no', ...POPULATION_STAGE_VALUES] as const;

type Grouped = {
  county_code: string | null;
  town_code: string | null;
  category: CrosscheckCategory;
  n: number;
};

/**
 * Puts every staged person in their category, set-based, and counts them per county, town and category: the
 * rows go into population_person under `listId` (counted as they are inserted), or, a dry run (`listId`
 * null), are only counted. Persons already given a note (invalid number, out of age) are `unmatched`.
 */
async function matchPersons(
  trx: Transaction<DB>,
  loadId: string,
  listId: string | null,
  unitPath: string,
): Promise<Grouped[]> {
  const categorised = sql`
    -- Each student's cases, once (few rows), instead of two look-ups per matched person.
    cs as (
      select student_id,
        bool_or(closed_on is null and status in ('suspected', 'dropout')) as open_case,
        bool_or(closed_on is not null and close_reason in ('exempt', 'movedAway', 'vocationalTraining')) as settled
      from dropout_case group by student_id
    ),
    m as (
      select distinct on (p.row_no) p.row_no, s.id, s.school_id, s.status, s.poverty_household,
        sch.path like ${unitPath + '%'} as here,
        coalesce(cs.open_case, false) as open_case, coalesce(cs.settled, false) as settled
      from population_stage p
      join student s on s.id_number_hmac = p.id_number_hmac
      join unit sch on sch.id = s.school_id
      left join cs on cs.student_id = s.id
      where p.load_id = ${loadId} and p.note is null
      order by p.row_no, (s.status in ('enrolled', 'suspended', 'dropped_out')) desc,
        (sch.path like ${unitPath + '%'}) desc, s.created_at desc
    ),
    c as (
      select p.*, m.id as student_id, m.school_id,
        case
          when p.note is not null then 'unmatched'
          when m.id is null then case when p.exemption is not null then 'exempt' else 'outOfSchool' end
          when m.open_case or (m.status = 'dropped_out' and not m.settled) then
            case when p.poverty or m.poverty_household then 'povertyDropout' else 'dropout' end
          when m.status in ('enrolled', 'suspended') then case when m.here then 'enrolledHere' else 'enrolledElsewhere' end
          when m.status = 'transferred_out' then 'enrolledElsewhere'
          when m.status in ('graduated', 'deceased') or m.settled or p.exemption is not null then 'exempt'
          else 'outOfSchool'
        end as category,
        case when p.note is not null then p.note
          when m.id is null then p.exemption
          when m.status in ('graduated', 'deceased', 'transferred_out') then m.status
          when m.settled then 'caseClosed' else p.exemption end as category_note
      from population_stage p left join m on m.row_no = p.row_no
      where p.load_id = ${loadId}
    )`;
  const { rows } = listId
    ? await sql<Grouped>`
        with ${categorised},
        ins as (
          insert into population_person (list_id, row_no, name, id_number_hmac, id_number_masked, birth_date,
            county_code, town_code, town_name, poverty, exemption, category, note, student_id, school_id)
          select ${listId}, row_no, name, id_number_hmac, id_number_masked, birth_date, county_code, town_code,
            town_name, poverty, exemption, category, category_note, student_id, school_id
          -- In row order: the primary key and each category's index entries are appended, not inserted.
          from c order by row_no
          returning county_code, town_code, category
        )
        select county_code, town_code, category, count(*)::int as n from ins group by 1, 2, 3`.execute(trx)
    : await sql<Grouped>`
        with ${categorised}
        select county_code, town_code, category, count(*)::int as n from c group by 1, 2, 3`.execute(trx);
  return rows;
}

function assemble(
  grouped: {
    county_code: string | null;
    town_code: string | null;
    category: CrosscheckCategory;
    n: number;
  }[],
  base: Omit<CrosscheckResult, 'counts' | 'counties'>,
): CrosscheckResult {
  const total = emptyCounts();
  const counties = new Map<string, CrosscheckResult['counties'][number]>();
  const add = (c: CrosscheckCounts, cat: CrosscheckCategory, n: number) => {
    c[cat] += n;
    c.listed += n;
  };
  for (const g of grouped) {
    const cc = g.county_code ?? '';
    let county = counties.get(cc);
    if (!county) {
      county = { code: cc, name: (cc && findDivision(cc)?.name) || '未分区县', ...emptyCounts(), towns: [] };
      counties.set(cc, county);
    }
    const tc = g.town_code ?? '';
    let town = county.towns.find((t) => t.code === tc);
    if (!town) {
      town = { code: tc, name: (tc && findDivision(tc)?.name) || '未填乡镇', ...emptyCounts() };
      county.towns.push(town);
    }
    add(total, g.category, g.n);
    add(county, g.category, g.n);
    add(town, g.category, g.n);
  }
  const list = [...counties.values()].sort((a, b) => a.code.localeCompare(b.code));
  for (const c of list) c.towns.sort((a, b) => a.code.localeCompare(b.code));
  return { ...base, counts: total, counties: list };
}

async function findList(ctx: AppContext, actor: Actor, id: string) {
  const row = await ctx.db
    .selectFrom('population_list as l')
    .innerJoin('unit as u', 'u.id', 'l.unit_id')
    .selectAll('l')
    .select(['u.name as unit_name', 'u.path as unit_path'])
    .where('l.id', '=', id)
    .where(sql<boolean>`l.counts ? 'counts'`)
    .where(pathInScope(actor, 'dropout.manage', sql.ref('u.path')))
    .executeTakeFirst();
  if (!row) throw notFound(LIST);
  return row;
}

/** Lists imported by bureaus in the actor's scope (personal data: bureau staff who manage 控辍保学 only). */
export async function listLists(ctx: AppContext, actor: Actor, under?: string) {
  let q = ctx.db
    .selectFrom('population_list as l')
    .innerJoin('unit as u', 'u.id', 'l.unit_id')
    .select(['l.id', 'u.name', 'l.kind', 'l.file_name', 'l.as_of', 'l.counts', 'l.created_at'])
    .where(sql<boolean>`l.counts ? 'counts'`)
    .where(pathInScope(actor, 'dropout.manage', sql.ref('u.path')));
  if (under) {
    const u = await ctx.db
      .selectFrom('unit')
      .select('path')
      .where('id', '=', under)
      .where(pathInScope(actor, 'dropout.read', sql.ref('unit.path')))
      .executeTakeFirst();
    if (!u) throw notFound(UNIT);
    q = q.where('u.path', 'like', `${u.path}%`);
  }
  const rows = await q.orderBy('l.created_at', 'desc').limit(100).execute();
  return rows.map((r) => ({
    id: r.id,
    unitName: r.name,
    kind: r.kind,
    fileName: r.file_name,
    asOf: r.as_of,
    counts: (r.counts as { counts: CrosscheckCounts }).counts,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function getList(ctx: AppContext, actor: Actor, id: string): Promise<CrosscheckResult> {
  const l = await findList(ctx, actor, id);
  const stored = l.counts as Pick<CrosscheckResult, 'counts' | 'counties' | 'rowErrors'>;
  return {
    listId: l.id,
    unitId: l.unit_id,
    kind: l.kind,
    fileName: l.file_name,
    asOf: l.as_of,
    ageMin: l.age_min,
    ageMax: l.age_max,
    dryRun: false,
    counts: stored.counts,
    counties: stored.counties,
    rowErrors: stored.rowErrors ?? [],
  };
}

export async function listPersons(
  ctx: AppContext,
  actor: Actor,
  id: string,
  q: PersonQuery,
): Promise<PopulationPersonPage> {
  const l = await findList(ctx, actor, id);
  let qb = ctx.db
    .selectFrom('population_person as p')
    .leftJoin('unit as sch', 'sch.id', 'p.school_id')
    .where('p.list_id', '=', l.id);
  if (q.category) qb = qb.where('p.category', '=', q.category);
  if (q.county !== undefined) qb = qb.where(sql<boolean>`coalesce(p.county_code, '') = ${q.county}`);
  if (q.town !== undefined) qb = qb.where(sql<boolean>`coalesce(p.town_code, '') = ${q.town}`);
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb
    .select([
      'p.row_no',
      'p.name',
      'p.id_number_enc',
      'p.id_number_masked',
      'p.birth_date',
      'p.town_name',
      'p.poverty',
      'p.category',
      'p.note',
      'p.student_id',
      'sch.name as school_name',
      'sch.path as school_path',
    ])
    .orderBy('p.row_no')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      rowNo: r.row_no,
      name: r.name,
      // Lists imported before 0014 hold the ciphertext; later ones the masked number only.
      idNumber:
        r.id_number_masked ?? (r.id_number_enc ? maskIdNumber(ctx.vault.decrypt(r.id_number_enc)) : null),
      birthDate: r.birth_date,
      townName: r.town_name,
      poverty: r.poverty,
      category: r.category as CrosscheckCategory,
      note: r.note,
      // A student at a school outside the actor's scope is named by category only.
      studentId: r.school_path && can(actor, 'student.read', r.school_path) ? r.student_id : null,
      schoolName: r.school_path && can(actor, 'student.read', r.school_path) ? r.school_name : null,
    })),
    total: Number(total.n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

export { CROSSCHECK_CATEGORIES };
