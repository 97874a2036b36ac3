// Finding and mapping the header of an uploaded sheet.
//
// Real rosters have title rows above the header (学校名称、填报日期 …), header cells with hints
// (“身份证号（必填）”, “*姓名”), full-width characters from Chinese IMEs, and two-level headers made of
// merged cells (“监护人1” spanning “姓名 | 电话”). The readers repeat a merged cell's value over its range,
// so a two-level header arrives as two rows whose upper cells repeat the group name.

/** A field an import expects, with the column names people use for it. */
export interface FieldSpec<K extends string = string> {
  key: K;
  /** The column name of the official template (also accepted as a synonym). */
  label: string;
  synonyms?: readonly string[];
  required?: boolean;
}

/** Where the header is and which column holds each field. */
export interface HeaderMapping<K extends string = string> {
  /** 0-based index of the (first) header row in the rows given; -1 when none was found. */
  headerRow: number;
  /** 1 for a plain header, 2 for a two-level (merged) one. */
  headerRows: 1 | 2;
  /** 0-based index of the first data row. */
  dataRow: number;
  /** 0-based column of each field found. */
  columns: Partial<Record<K, number>>;
  /** Header texts that matched no field, as written (two-level ones joined). */
  unknown: string[];
  /** Labels of required fields with no column. */
  missingRequired: string[];
  /** Header texts of columns that matched a field already found in an earlier column (ignored). */
  duplicates: string[];
}

/** Options of mapHeader. */
export interface HeaderOptions {
  /** Fields a row must match to be the header; default min(3, number of fields). */
  minMatches?: number;
  /** Rows searched from the top; default 20. */
  maxScan?: number;
}

/**
 * Normalises a header text for comparison: full-width to half-width (NFKC), spaces, line breaks, * and the
 * hints (必填)/(选填)/(必须) removed, lower case.
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[*]/g, '')
    .replace(/[([{【](必填|选填|必须|可选|必填项|选填项)[)\]}】]/g, '')
    .toLowerCase();
}

// The header text without any parenthesised note (“出生日期（格式：2015-09-01）”): tried when the
// exact text matches nothing.
function withoutNotes(normalized: string): string {
  return normalized.replace(/[([{【][^)\]}】]*[)\]}】]/g, '');
}

interface Lookup<K extends string> {
  /** The field a header text names, if any. */
  field(text: string): K | undefined;
  /** Every name of the field a header text names (to try them under a group: 监护人1 + 电话/手机号). */
  aliases(text: string): string[];
  /** True when some field's name starts with this text (less a trailing number): it qualifies fields. */
  qualifies(text: string): boolean;
}

function buildLookup<K extends string>(fields: readonly FieldSpec<K>[]): Lookup<K> {
  const index = new Map<string, K>();
  const names = new Map<K, string[]>();
  for (const f of fields) {
    for (const name of [f.label, f.key, ...(f.synonyms ?? [])]) {
      const n = normalizeHeader(name);
      // The first field to claim a synonym keeps it: ambiguity is the field table's bug, not the file's.
      if (n && !index.has(n)) index.set(n, f.key);
      if (n) names.set(f.key, [...(names.get(f.key) ?? []), n]);
    }
  }
  const field = (text: string): K | undefined => {
    const n = normalizeHeader(text);
    if (!n) return undefined;
    return index.get(n) ?? index.get(withoutNotes(n));
  };
  return {
    field,
    aliases: (text) => {
      const key = field(text);
      return key === undefined ? [] : (names.get(key) ?? []);
    },
    qualifies: (text) => {
      const n = normalizeHeader(text);
      // 监护人2 qualifies fields when 监护人1 does: numbered groups are siblings even if the table lacks some.
      const base = n.replace(/[0-9一二三四五六七八九十]+$/, '');
      const prefixes = base && base !== n ? [n, base] : [n];
      return (
        n !== '' &&
        [...index.keys()].some((k) => prefixes.some((p) => k.length > p.length && k.startsWith(p)))
      );
    },
  };
}

interface Candidate<K extends string> {
  columns: Partial<Record<K, number>>;
  matched: number;
  unknown: string[];
  duplicates: string[];
}

// Maps one header line, given as the text(s) to try for each column, best first.
function mapColumns<K extends string>(names: string[][], lookup: Lookup<K>): Candidate<K> {
  const columns: Partial<Record<K, number>> = {};
  const unknown: string[] = [];
  const duplicates: string[] = [];
  let matched = 0;
  names.forEach((tries, col) => {
    const shown = tries[0] ?? '';
    if (!shown.trim()) return;
    let key: K | undefined;
    for (const t of tries) if ((key = lookup.field(t))) break;
    if (key === undefined) unknown.push(shown.trim());
    else if (columns[key] !== undefined) duplicates.push(shown.trim());
    else {
      columns[key] = col;
      matched++;
    }
  });
  return { columns, matched, unknown, duplicates };
}

// A two-level header column: the group joined to the name first (“监护人1” + “电话”, also with the name's
// synonyms: “监护人2” + “联系电话” finds 监护人2电话), then the lower cell alone — but only under a group that
// qualifies no field (“基本信息” over “姓名” is just 姓名; “监护人2” over “电话” must never become the
// student's 电话) — then the upper cell (a cell merged down over both rows).
function twoLevelNames<K extends string>(upper: string[], lower: string[], lookup: Lookup<K>): string[][] {
  const width = Math.max(upper.length, lower.length);
  const names: string[][] = [];
  for (let c = 0; c < width; c++) {
    const top = (upper[c] ?? '').trim();
    const bottom = (lower[c] ?? '').trim();
    if (!top || !bottom || normalizeHeader(top) === normalizeHeader(bottom)) {
      names.push([top || bottom]);
      continue;
    }
    const tries = [top + bottom, ...lookup.aliases(bottom).map((a) => top + a)];
    if (!lookup.qualifies(top)) tries.push(bottom);
    names.push([...tries, top]);
  }
  return names;
}

/**
 * Finds the header — the first of the top maxScan rows that matches at least minMatches fields, read
 * alone or joined with the row below as a two-level header — and maps each field to its column.
 */
export function mapHeader<K extends string>(
  rows: readonly (readonly string[])[],
  fields: readonly FieldSpec<K>[],
  opts: HeaderOptions = {},
): HeaderMapping<K> {
  const lookup = buildLookup(fields);
  const minMatches = opts.minMatches ?? Math.min(3, fields.length);
  const scan = Math.min(rows.length, opts.maxScan ?? 20);
  const single = (r: number) =>
    mapColumns(
      (rows[r] ?? []).map((t) => [t]),
      lookup,
    );

  for (let r = 0; r < scan; r++) {
    const one = single(r);
    let best = one;
    let headerRows: 1 | 2 = 1;
    if (r + 1 < rows.length) {
      const two = mapColumns(twoLevelNames([...(rows[r] ?? [])], [...(rows[r + 1] ?? [])], lookup), lookup);
      // Two levels only when joining finds more than either row alone: a title row over the header, or
      // the header over the first data row, joins to nothing new.
      if (two.matched > one.matched && two.matched > single(r + 1).matched) {
        best = two;
        headerRows = 2;
      }
    }
    if (best.matched >= minMatches && best.matched > 0) {
      return {
        headerRow: r,
        headerRows,
        dataRow: r + headerRows,
        columns: best.columns,
        unknown: best.unknown,
        duplicates: best.duplicates,
        missingRequired: fields
          .filter((f) => f.required && best.columns[f.key] === undefined)
          .map((f) => f.label),
      };
    }
  }
  return {
    headerRow: -1,
    headerRows: 1,
    dataRow: 0,
    columns: {},
    unknown: [],
    duplicates: [],
    missingRequired: fields.filter((f) => f.required).map((f) => f.label),
  };
}
