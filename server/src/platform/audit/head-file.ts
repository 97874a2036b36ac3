import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * A copy of the chain head kept outside the database: one line "id<TAB>hash<TAB>time" per head seen.
 * Someone who rewrites the database and its chain cannot rewrite this file's history as well
 * without leaving a mismatch that `dudao audit verify` reports.
 */
export class AuditHeadFile {
  private lastId = -1;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    const last = this.entries().at(-1);
    if (last) this.lastId = last.id;
  }

  /** Appends the database's current head when it moved since the last call. */
  async sync(db: Kysely<DB>): Promise<void> {
    const head = await db
      .selectFrom('audit_event')
      .select(['id', 'hash', 'occurred_at'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!head || head.id === this.lastId) return;
    appendFileSync(this.file, `${head.id}\t${head.hash}\t${head.occurred_at.toISOString()}\n`);
    this.lastId = head.id;
  }

  /** Every head recorded so far. */
  entries(): { id: number; hash: string }[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [id, hash] = line.split('\t');
        return { id: Number(id), hash: hash ?? '' };
      });
  }
}
