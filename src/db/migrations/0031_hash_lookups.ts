import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// Hash indexes for the lookups a traversal makes once per lot it reaches (src/trace/
// trace.repository.ts): a lot by its code, where a unit is installed now, what consumed a lot,
// and a lot's balances.
// A recall of one reel on a million units makes some 20,000 of them. Codes are random, so each
// B-tree probe descends three or four levels of pages holding 26-character keys compared one by
// one; a hash probe reads one bucket page of 4-byte hashes, and the indexes are small enough to
// stay in PostgreSQL's buffers. The recall statement took 0.71× as long on 1,000,000 units
// (bench/trace.bench.ts). The B-trees stay: they hold uniqueness and serve ranges and order.
// SQLite has no hash indexes; its B-tree probes are cheaper than PostgreSQL's anyway.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create index lot_code_hash on lot using hash (code)`.execute(db);
  await sql`create index installation_child_open_hash on installation using hash (child_code)
    where removed_at is null`.execute(db);
  await sql`create index consumption_lot_hash on consumption using hash (lot_code)`.execute(db);
  await sql`create index stock_balance_lot_hash on stock_balance using hash (lot_code)`.execute(db);
}
