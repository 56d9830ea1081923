import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// A forward trace (src/trace/trace.repository.ts) asks, for every unit it reaches, which unit
// it is installed in now: thousands of probes of the open installation rows per recall. On
// PostgreSQL the one-open-row index also carries the parent, so a probe reads the index alone
// (an index-only scan) instead of an index page and a heap page of the 100-byte row. Same name,
// same uniqueness: the duplicate-installation error (src/db/errors.ts) still names it.
// SQLite keeps its index: its trace statement keeps the shape that is fastest there.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await db.schema.dropIndex('installation_child_open').execute();
  await sql`create unique index installation_child_open on installation (child_code)
    include (parent_code) where removed_at is null`.execute(db);
}
