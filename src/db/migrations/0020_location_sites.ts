import { sql, type Kysely } from 'kysely';
import { codeType } from './helpers.js';

// Storage locations belong to a site (DESIGN.md "Sites", docs/sites.md): only that site moves
// stock at them. Every location made so far is this instance's. No foreign key: SQLite cannot
// add a referencing column that is not null, and a location's site is checked where stock moves
// (src/stock/ledger.ts), the one place it matters.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('location')
    .addColumn('site_id', codeType(db), (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`update location set site_id = (select id from site where local = 1)`.execute(db);
  await db.schema.createIndex('location_site').on('location').column('site_id').execute();
}
