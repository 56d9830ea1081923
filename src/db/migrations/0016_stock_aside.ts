import { sql, type Kysely } from 'kysely';

// The balances that put a lot's stock aside (held or rejected): few, even when the lots are
// many, so asking whether 10,000 units have any costs 10,000 probes of an almost empty index
// rather than of every unit's balances. Queries must spell the condition with literals
// (isPutAside in stock/stock.repository.ts) for SQLite and PostgreSQL to use a partial index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('stock_balance_aside')
    .on('stock_balance')
    .columns(['lot_code', 'status'])
    .where(sql<boolean>`status in ('held', 'rejected') and quantity > 0`)
    .execute();
}
