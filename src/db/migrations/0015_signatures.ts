import type { Kysely } from 'kysely';

// Which operations require an electronic signature (src/signatures/): one row per operation that
// does; an operation without a row may still be signed voluntarily. Changing it is logged.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signature_requirement')
    .addColumn('operation', 'text', (c) => c.primaryKey())
    .addColumn('required_since', 'text', (c) => c.notNull())
    .execute();
}
