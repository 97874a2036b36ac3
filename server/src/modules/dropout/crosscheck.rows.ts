// The row parser of a 四查三比对 population list: one row to a staged person (the ID number's HMAC and masked
// form — the number itself is not kept —, birth date, county, town, poverty flag, declared exemption, and why
// the person cannot be compared, if so). Kept apart from the service so the import engine's reading workers
// (platform/imports/parse-upload.ts) load only this; a list of two million rows is parsed there.
import type { Vault } from '../../platform/crypto/vault.js';
import { maskIdNumber, validateIdNumber } from '../../platform/crypto/id-number.js';
import { normalizeHeader } from '../../platform/imports/header.js';
import type { RowError, RowParser } from '../../platform/imports/kinds.js';
import { parseIdNumber } from '../../platform/imports/values.js';
import { childDivisions } from '../../platform/regions/divisions.js';

export type PopulationField = 'name' | 'idNumber' | 'county' | 'town' | 'poverty' | 'exemption';

/** The staging columns after load_id and row_no, in the order the parser gives them. */
export const POPULATION_STAGE_VALUES = [
  'name',
  'id_number_hmac',
  'id_number_masked',
  'birth_date',
  'county_code',
  'town_code',
  'town_name',
  'poverty',
  'exemption',
  'note',
] as const;

const EXEMPTIONS: [RegExp, string][] = [
  [/外地|外省|外县|异地|市外/, '外地就读（有证明）'],
  [/送教/, '送教上门'],
  [/身体|残疾|重病|疾病|医学/, '因身体原因不具备学习条件（有医学证明）'],
  [/出国|境外|国外/, '出国（境）'],
  [/死亡|去世|亡故/, '死亡'],
];

/** What the parser needs: plain data, so a reading worker can build it too. */
export interface PopulationParserData {
  /** The list's county when a county bureau imports it; null for a city's list (county from the row). */
  unitCounty: string | null;
  /** Normalised county names under the city → their codes. */
  countyByName: [string, string][];
  /** A 脱贫户 list: everyone on it is of a poverty-alleviation household. */
  povertyList: boolean;
  /** The first calendar year of the school year the list is compared in (ages on 31 August of it). */
  cutoffYear: number;
  ageMin: number;
  ageMax: number;
  /** Now (ms since the epoch): an ID number's birth date may not be later. */
  now: number;
}

/** parseIdNumber, with its checks that cannot apply skipped for the usual 18 plain characters. */
function idOf(text: string, today: Date) {
  if (/^\d{17}[\dX]$/.test(text)) {
    const r = validateIdNumber(text, { today });
    if (r.ok) return { ok: true as const, normalized: r.normalized, birthDate: r.birthDate };
  }
  const p = parseIdNumber(text, { today });
  return p.ok
    ? { ok: true as const, normalized: p.value.normalized, birthDate: p.value.birthDate }
    : { ok: false as const, code: p.code, message: p.message };
}

/** Age in whole years on 31 August of `year` ('yyyy-mm-dd' births, read without splitting). */
export function ageOnCutoffOf(birth: string, year: number): number {
  const by = Number(birth.slice(0, 4));
  const bm = Number(birth.slice(5, 7));
  return year - by - (bm > 8 ? 1 : 0);
}

/** The population row parser (also built in the reading workers). */
export function makeRowParser(
  data: unknown,
  columns: Partial<Record<string, number>>,
  vault: Vault,
): RowParser {
  const d = data as PopulationParserData;
  const countyByName = new Map(d.countyByName);
  const today = new Date(d.now);
  const townCache = new Map<string, Map<string, string>>();
  const townsOf = (county: string) => {
    let m = townCache.get(county);
    if (!m) {
      m = new Map(childDivisions(county).map((t) => [normalizeHeader(t.name), t.code]));
      townCache.set(county, m);
    }
    return m;
  };
  const col = (k: PopulationField) => columns[k];
  const cName = col('name');
  const cId = col('idNumber');
  const cCounty = col('county');
  const cTown = col('town');
  const cPoverty = col('poverty');
  const cExemption = col('exemption');

  // The row being parsed: the helper is made once, not once per row (two million closures are a measurable
  // part of a list's parsing).
  let cells: readonly string[] = [];
  const cell = (c: number | undefined) => (c === undefined ? '' : (cells[c] ?? '').trim());

  return (row) => {
    cells = row;
    const name = cell(cName);
    const idText = cell(cId);
    if (!name && !idText) return null;
    if (/^(合计|总计|小计)/.test(name)) return null;
    const id = idOf(idText, today);
    let note: string | null = null;
    let birth: string | null = null;
    let notes: RowError[] | undefined;
    if (!id.ok) {
      note = 'invalidId';
      notes = [{ code: id.code, message: id.message, column: 'idNumber' }];
    } else {
      birth = id.birthDate;
      const age = ageOnCutoffOf(birth, d.cutoffYear);
      if (age < d.ageMin || age > d.ageMax) note = 'outOfAge';
    }
    // County: the unit's, else the county column (code or name), else the town code's prefix.
    const countyText = cell(cCounty);
    const townText = cell(cTown);
    let county: string | null = d.unitCounty;
    if (!county && countyText)
      county = /^\d{6}/.test(countyText)
        ? countyText.slice(0, 6)
        : (countyByName.get(normalizeHeader(countyText)) ?? null);
    if (!county && /^\d{9}/.test(townText)) county = townText.slice(0, 6);
    let town: string | null = null;
    if (/^\d{9}/.test(townText)) town = townText.slice(0, 9);
    else if (townText && county) town = townsOf(county).get(normalizeHeader(townText)) ?? null;
    const exText = cell(cExemption);
    const exemption = exText ? (EXEMPTIONS.find(([re]) => re.test(exText))?.[1] ?? null) : null;
    return {
      values: [
        name.slice(0, 60) || '（未填姓名）',
        id.ok ? vault.hmac(id.normalized) : null,
        id.ok ? maskIdNumber(id.normalized) : null,
        birth,
        county,
        town,
        townText.slice(0, 40) || null,
        d.povertyList || /^(是|1|y|yes|√)$/i.test(cell(cPoverty)),
        exemption,
        note,
      ],
      ...(notes ? { notes } : {}),
    };
  };
}
