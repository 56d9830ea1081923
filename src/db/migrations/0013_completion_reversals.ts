import type { Kysely } from 'kysely';
import { codeType } from './helpers.js';

// A completion can be reversed (docs/builds.md, "Reversing a completion"): its row is never
// deleted, it is marked — when, by whom, why, and the ledger operation that returned its
// consumption. A completion with reversed_at set no longer counts: not for the build's progress,
// not for the genealogy.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  await db.schema.alterTable('completion').addColumn('reversed_at', 'text').execute();
  await db.schema.alterTable('completion').addColumn('reversed_by', 'text').execute();
  await db.schema.alterTable('completion').addColumn('reversed_by_code', code).execute();
  await db.schema.alterTable('completion').addColumn('reversal_reason', 'text').execute();
  await db.schema.alterTable('completion').addColumn('reversal_operation', code).execute();
}
