import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import { ensureMarkPartition } from '../modules/dropout/dropout.repository.js';
import type { Vault } from './crypto/vault.js';
import type { DB } from './db/schema.js';
import { knownMigrations } from './db/migrate.js';

/**
 * Logical backup that works the same on PGlite and PostgreSQL: gzip'd JSON lines, a header and then every
 * row of every table in dependency order. Sessions are not kept (a restore logs everyone out).
 */
/**
 * Every table a backup holds, parents before children (the backup test checks both: that every table of the
 * schema is here or in NOT_BACKED_UP, and that no table comes before one it references). `order` is a stable
 * order of the rows (parents first where a table refers to itself). jsonb and bytea columns are found in the
 * catalog.
 */
export const BACKUP_TABLES: {
  name: keyof DB;
  order: string;
  /** Runs before a batch of rows is restored (e.g. creating the partitions the rows go to). */
  beforeRestore?: (trx: Transaction<DB>, rows: Record<string, unknown>[]) => Promise<void>;
}[] = [
  { name: 'unit', order: 'depth, id' },
  { name: 'app_user', order: 'id' },
  { name: 'user_role', order: 'user_id, role, unit_id' },
  { name: 'inspector_school', order: 'user_id, school_id' },
  { name: 'school_class', order: 'id' },
  { name: 'student', order: 'id' },
  { name: 'student_guardian', order: 'student_id, ord' },
  { name: 'student_transfer', order: 'id' },
  { name: 'student_status_event', order: 'id' },
  { name: 'api_token', order: 'id' },
  { name: 'app_setting', order: 'key' },
  { name: 'import_header_alias', order: 'unit_id, kind, header' },
  { name: 'stored_file', order: 'id' },
  { name: 'notification', order: 'id' },
  { name: 'doc_counter', order: 'unit_id, kind, year' },
  { name: 'rectification_notice', order: 'id' },
  { name: 'safety_template', order: 'id' },
  { name: 'safety_template_version', order: 'id' },
  { name: 'safety_template_item', order: 'id' },
  { name: 'safety_campaign', order: 'id' },
  { name: 'safety_campaign_group', order: 'id' },
  { name: 'safety_grid', order: 'id' },
  { name: 'safety_inspection', order: 'id' },
  { name: 'finding', order: 'id' },
  { name: 'finding_event', order: 'id' },
  { name: 'safety_inspection_item', order: 'inspection_id, item_id' },
  { name: 'inspector_profile', order: 'user_id' },
  { name: 'inspector_setting', order: 'unit_id' },
  { name: 'inspector_visit', order: 'id' },
  { name: 'inspector_visit_item', order: 'visit_id, item' },
  { name: 'inspector_opinion', order: 'id' },
  { name: 'inspector_opinion_finding', order: 'opinion_id, finding_id' },
  { name: 'inspector_opinion_event', order: 'id' },
  { name: 'school_term', order: 'unit_id, school_year, term_no' },
  { name: 'school_closure', order: 'id' },
  { name: 'attendance_sheet', order: 'day, class_id' },
  {
    name: 'attendance_mark',
    order: 'day, student_id',
    // Marks live in monthly partitions made on demand: make the months the rows need.
    async beforeRestore(trx, rows) {
      const months = new Set(rows.map((r) => String(r.day).slice(0, 7)));
      for (const m of months) await ensureMarkPartition(trx, `${m}-01`);
    },
  },
  { name: 'gate_event', order: 'id' },
  { name: 'dropout_setting', order: 'unit_id' },
  { name: 'dropout_case', order: 'id' },
  // 控辍保学, second slice (0011_dropout_cases)
  { name: 'dropout_case_step', order: 'id' },
  { name: 'dropout_case_event', order: 'id' },
  { name: 'population_list', order: 'id' },
  { name: 'population_person', order: 'list_id, row_no' },
  { name: 'dropout_report', order: 'unit_id, period' },
  // 控辍保学 at city scale (0014_dropout_speed): the stored signs of made-up data
  { name: 'dropout_sign_run', order: 'computed_on' },
  { name: 'dropout_sign', order: 'computed_on, seq' },
  // 部署·督办·考评 (0008_plans)
  { name: 'plan', order: 'id' },
  { name: 'plan_chapter', order: 'id' },
  { name: 'plan_task', order: 'id' },
  { name: 'plan_milestone', order: 'id' },
  { name: 'plan_assignment', order: 'created_at, id' },
  { name: 'plan_report', order: 'id' },
  { name: 'plan_notice', order: 'id' },
  { name: 'plan_meeting', order: 'id' },
  { name: 'assess_scheme', order: 'id' },
  { name: 'assess_item', order: 'id' },
  { name: 'assess_period', order: 'id' },
  { name: 'assess_entry', order: 'period_id, unit_id, item_id' },
  { name: 'assess_result', order: 'period_id, unit_id' },
  { name: 'briefing', order: 'id' },
  { name: 'briefing_recipient', order: 'briefing_id, unit_id' },
  {
    name: 'agreement_kind',
    order: 'id',
    // The built-in kinds come with the migration: the backup's copies replace them.
    async beforeRestore(trx, rows) {
      const ids = rows.map((r) => r.id as string);
      if (ids.length) await trx.deleteFrom('agreement_kind').where('id', 'in', ids).execute();
    },
  },
  { name: 'agreement_round', order: 'id' },
  { name: 'agreement_signing', order: 'id' },
  // 校外培训 (0009_training)
  { name: 'training_institution', order: 'id' },
  { name: 'training_venue', order: 'id' },
  { name: 'training_staff', order: 'id' },
  { name: 'training_course', order: 'id' },
  { name: 'training_document', order: 'id' },
  { name: 'training_event', order: 'id' },
  { name: 'training_order', order: 'id' },
  { name: 'training_rule_set', order: 'unit_id' },
  { name: 'training_rule_hit', order: 'id' },
  { name: 'training_inspection', order: 'id' },
  // 群众诉求 (0010_complaints)
  { name: 'complaint', order: 'id' },
  { name: 'complaint_event', order: 'id' },
  { name: 'complaint_setting', order: 'unit_id' },
  { name: 'complaint_captcha_used', order: 'nonce' },
  // 数据填报 (0012_collection)
  { name: 'data_element', order: 'id' },
  { name: 'data_form', order: 'id' },
  { name: 'validation_rule', order: 'id' },
  { name: 'data_submission', order: 'id' },
  { name: 'collection_acceptance', order: 'form_id, county_id, period' },
  { name: 'indicator', order: 'id' },
  { name: 'audit_event', order: 'id' },
];

/**
 * Left out on purpose: sessions (a restore logs everyone out) and the import engine's jobs, staging rows,
 * per-job change records (they describe uploaded files that live on the old machine's disk) and its notes of
 * registry writes.
 */
export const NOT_BACKED_UP: readonly string[] = [
  'session',
  'import_job',
  'import_student_row',
  'import_change',
  // 控辍保学: rows of a cross-check in progress (one request long).
  'population_stage',
  // 控辍保学: the attendance import's staging rows (0020).
  'import_attendance_row',
  // Which transactions wrote the registry lately, for import commits (0019): transaction ids of this server.
  'registry_write',
];

/** Columns whose values JSON cannot carry as they are: jsonb (sent as text) and bytea (sent as base64). */
async function specialColumns(db: Kysely<DB>): Promise<Map<string, Map<string, 'jsonb' | 'bytea'>>> {
  const r = await sql<{ table_name: string; column_name: string; data_type: 'jsonb' | 'bytea' }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema() and data_type in ('jsonb', 'bytea')`.execute(db);
  const out = new Map<string, Map<string, 'jsonb' | 'bytea'>>();
  for (const c of r.rows) {
    if (!out.has(c.table_name)) out.set(c.table_name, new Map());
    out.get(c.table_name)!.set(c.column_name, c.data_type);
  }
  return out;
}

const BATCH = 2000;

export interface BackupHeader {
  format: 'dudao-backup';
  version: 1;
  migrations: string[];
  createdAt: string;
  counts: Record<string, number>;
  /** HMAC of a constant under the secret key: a restore under another key would leave personal data unreadable. */
  keyCheck?: string;
}

const KEY_CHECK_INPUT = 'dudao/backup-key-check';

/** The key check a backup records and a restore compares. */
export function backupKeyCheck(vault: Pick<Vault, 'hmac'>): string {
  return vault.hmac(KEY_CHECK_INPUT);
}

/** Writes a backup of the whole database to `file`. */
export async function backupTo(
  db: Kysely<DB>,
  file: string,
  opts: { keyCheck?: string } = {},
): Promise<BackupHeader> {
  const counts: Record<string, number> = {};
  for (const t of BACKUP_TABLES) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t.name)}`.execute(db);
    counts[t.name] = r.rows[0]!.n;
  }
  const header: BackupHeader = {
    format: 'dudao-backup',
    version: 1,
    migrations: knownMigrations(),
    createdAt: new Date().toISOString(),
    counts,
    ...(opts.keyCheck ? { keyCheck: opts.keyCheck } : {}),
  };
  async function* lines() {
    yield JSON.stringify(header) + '\n';
    for (const t of BACKUP_TABLES) {
      // Offsets over a stable order; the database is not written during a backup by the CLI.
      for (let offset = 0; ; offset += BATCH) {
        const r = await sql<
          Record<string, unknown>
        >`select * from ${sql.table(t.name)} order by ${sql.raw(t.order)} limit ${BATCH} offset ${offset}`.execute(
          db,
        );
        for (const row of r.rows) {
          for (const [k, v] of Object.entries(row)) if (Buffer.isBuffer(v)) row[k] = v.toString('base64');
          yield JSON.stringify({ t: t.name, r: row }) + '\n';
        }
        if (r.rows.length < BATCH) break;
      }
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
  return header;
}

/** Restores a backup into an empty, migrated database, in one transaction. */
export async function restoreFrom(
  db: Kysely<DB>,
  file: string,
  opts: { keyCheck?: string } = {},
): Promise<BackupHeader> {
  const nonEmpty = await sql<{
    n: number;
  }>`select (select count(*) from unit) + (select count(*) from app_user) + (select count(*) from audit_event) as n`.execute(
    db,
  );
  if (Number(nonEmpty.rows[0]!.n) > 0)
    throw new Error('the target database is not empty; restore needs an empty database');
  let header: BackupHeader | null = null;
  const special = await specialColumns(db);
  await db.transaction().execute(async (trx) => {
    let pending: { table: string; rows: Record<string, unknown>[] } | null = null;
    const flush = async () => {
      if (!pending || pending.rows.length === 0) return;
      const spec = BACKUP_TABLES.find((t) => t.name === pending!.table)!;
      const columns = special.get(spec.name) ?? new Map<string, 'jsonb' | 'bytea'>();
      const rows = pending.rows.map((row) => {
        const out: Record<string, unknown> = { ...row };
        for (const [c, type] of columns) {
          const v = row[c];
          if (v === null || v === undefined) out[c] = null;
          else out[c] = type === 'jsonb' ? JSON.stringify(v) : Buffer.from(v as string, 'base64');
        }
        return out;
      });
      await spec.beforeRestore?.(trx, rows);
      await trx.insertInto(spec.name).values(rows).execute();
      pending.rows = [];
    };
    // Opened right before it is read: a readline iterator created before an `await` loses the lines (and
    // the close) a small file emits meanwhile, and then waits forever. A read error (no such file) is passed
    // on to the iterator, which `pipe` alone would not do.
    const gunzip = createGunzip();
    createReadStream(file)
      .on('error', (err) => gunzip.destroy(err))
      .pipe(gunzip);
    const rl = createInterface({ input: gunzip, crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line) continue;
      const parsed = JSON.parse(line) as BackupHeader | { t: string; r: Record<string, unknown> };
      if (!header) {
        if ((parsed as BackupHeader).format !== 'dudao-backup') throw new Error('not a Dudao backup file');
        header = parsed as BackupHeader;
        const unknown = header.migrations.filter((m) => !knownMigrations().includes(m));
        if (unknown.length)
          throw new Error(`backup made by a newer Dudao (migrations ${unknown.join(', ')})`);
        if (header.keyCheck && opts.keyCheck && header.keyCheck !== opts.keyCheck) {
          throw new Error(
            'the backup was made under another secret key: set DUDAO_SECRET_KEY (or secret.key in the data folder) to the key of the backed-up installation, or its ID numbers and TOTP secrets cannot be read',
          );
        }
        continue;
      }
      const rec = parsed as { t: string; r: Record<string, unknown> };
      if (!BACKUP_TABLES.some((t) => t.name === rec.t)) throw new Error(`unknown table ${rec.t} in backup`);
      if (pending && pending.table !== rec.t) await flush();
      if (!pending || pending.table !== rec.t) pending = { table: rec.t, rows: [] };
      pending.rows.push(rec.r);
      if (pending.rows.length >= 500) await flush();
    }
    await flush();
  });
  if (!header) throw new Error('empty backup file');
  return header;
}
