// Fixtures for the import and export tests, generated at test time: Chinese names, a GB18030 encoder,
// a tiny zip writer (for hand-made and hostile packages) and LibreOffice conversion when it is installed.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';

/** A fresh temporary folder and a function removing it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dudao-imports-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

// prettier-ignore
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
// prettier-ignore
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思'];

/** A deterministic two- or three-character Chinese name for index i. */
export function chineseName(i: number): string {
  const s = SURNAMES[i % SURNAMES.length] ?? '王';
  const g1 = GIVEN[(i * 7) % GIVEN.length] ?? '伟';
  const g2 = i % 3 === 0 ? '' : (GIVEN[(i * 13) % GIVEN.length] ?? '');
  return s + g1 + g2;
}

let gbTable: Map<string, Buffer> | undefined;

// GB18030 encoding table built from the platform's decoder: every two-byte code (all of GBK) and the
// four-byte codes starting 0x81–0x82 (which hold CJK Extension A, e.g. 䶮 in 李䶮). Enough for test text.
function gb18030Table(): Map<string, Buffer> {
  if (gbTable) return gbTable;
  const table = new Map<string, Buffer>();
  const dec = new TextDecoder('gb18030');
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const bytes = Buffer.from([a, b]);
      const ch = dec.decode(bytes);
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, bytes);
    }
  }
  for (let a = 0x81; a <= 0x82; a++) {
    for (let b = 0x30; b <= 0x39; b++) {
      for (let c = 0x81; c <= 0xfe; c++) {
        for (let d = 0x30; d <= 0x39; d++) {
          const bytes = Buffer.from([a, b, c, d]);
          const ch = dec.decode(bytes);
          if (ch !== '\uFFFD' && !table.has(ch)) table.set(ch, bytes);
        }
      }
    }
  }
  gbTable = table;
  return table;
}

/** Encodes text as GB18030 (ASCII, GBK and CJK Extension A; throws on anything else). */
export function encodeGb18030(text: string): Buffer {
  const table = gb18030Table();
  const out = Buffer.alloc(text.length * 4);
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out[n++] = code;
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no GB18030 code in the test table for ${ch}`);
      n += bytes.copy(out, n);
    }
  }
  return out.subarray(0, n);
}

/** One entry of makeZip; declaredSize lies about the uncompressed size (for hostile packages). */
export interface ZipEntrySpec {
  name: string;
  data: Buffer | string;
  store?: boolean;
  declaredSize?: number;
}

/** Builds a zip archive in memory (deflate or store, no data descriptors, no zip64). */
export function makeZip(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    const body = e.store ? data : deflateRawSync(data);
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(data);
    const size = e.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.store ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** The parts of a minimal hand-written workbook: sheet XML bodies (inside <sheetData>) and optional extras. */
export interface MinimalWorkbook {
  sheets: { name: string; sheetData: string; tail?: string; hidden?: boolean }[];
  /** <cellXfs> children; style index i is the i-th <xf>. */
  cellXfs?: string[];
  sharedStrings?: string[];
  /** Lie about the first sheet's size (to test inflation limits). */
  sheetDeclaredSize?: number;
}

/** Builds a minimal .xlsx by hand, for cases the writers cannot produce (built-in CJK formats, lies). */
export function minimalXlsx(spec: MinimalWorkbook): Buffer {
  const sheetEntries = spec.sheets.map((s, i) => ({
    name: `xl/worksheets/sheet${i + 1}.xml`,
    data: `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}" xmlns:r="${REL}"><sheetData>${s.sheetData}</sheetData>${s.tail ?? ''}</worksheet>`,
    declaredSize: i === 0 ? spec.sheetDeclaredSize : undefined,
  }));
  const rels = spec.sheets
    .map(
      (_, i) =>
        `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join('');
  const entries: ZipEntrySpec[] = [
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets>${spec.sheets
        .map(
          (s, i) =>
            `<sheet name="${s.name}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`,
        )
        .join('')}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}">${rels}<Relationship Id="rIdS" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rIdT" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
    {
      name: 'xl/styles.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${NS}"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellXfs>${(spec.cellXfs ?? ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>']).join('')}</cellXfs></styleSheet>`,
    },
    {
      name: 'xl/sharedStrings.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">${(spec.sharedStrings ?? []).map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
    },
    ...sheetEntries,
  ];
  return makeZip(entries);
}

const run = promisify(execFile);

/** True when LibreOffice's soffice is on the PATH. */
export async function hasSoffice(): Promise<boolean> {
  try {
    await run('soffice', ['--version'], { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** Converts a file with LibreOffice (e.g. to 'xlsx'); returns the output path. */
export async function sofficeConvert(input: string, outDir: string, to: string): Promise<string> {
  // A private profile folder: parallel or leftover LibreOffice instances cannot lock it.
  const profile = `file://${join(outDir, 'lo-profile')}`;
  await run(
    'soffice',
    [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', to, '--outdir', outDir, input],
    {
      timeout: 120_000,
    },
  );
  const base = input.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
  return join(outDir, `${base}.${to.split(':')[0] ?? to}`);
}
