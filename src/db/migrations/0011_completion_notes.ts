import type { Kysely } from 'kysely';

// A stage completion keeps the note given with it (docs/builds.md): a documentation-only stage
// consumes nothing, so the ledger entries that carried the note before do not exist for it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('completion')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
