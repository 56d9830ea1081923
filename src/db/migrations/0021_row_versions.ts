import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// Row versions for sync between sites (docs/sites.md "How sites sync"): every synced row names
// the change record that last wrote it, and rows numbered by a site's own counter get a random
// uid that names them at every site. The change log's plugin writes both in the statement that
// writes the row, through the SQL functions tracelot_change() and tracelot_uid(): PostgreSQL's
// are made here, SQLite's are registered on each connection (src/db/database.ts).
// The lists as they were when this migration was written (src/db/synced-tables.ts grows later).
const SYNCED = [
  'object_code',
  'part',
  'location',
  'app_user',
  'signature_requirement',
  'project',
  'project_stage',
  'bom_entry',
  'build',
  'build_stage',
  'build_entry',
  'lot',
  'stock_entry',
  'history_event',
  'object_tag',
  'object_field',
  'completion',
  'completion_range',
  'consumption',
  'installation',
  'serial_format',
  'serial_counter',
  'customer_serial',
  'shipment',
  'shipment_unit',
  'service_event',
  'attachment',
  'test_template',
  'test_result',
  'supplier_part',
  'label_template',
];
const NUMBERED = [
  'bom_entry',
  'stock_entry',
  'history_event',
  'completion',
  'consumption',
  'installation',
  'test_result',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  if (postgres) {
    await sql`create or replace function tracelot_change() returns text language sql stable
      as $$ select nullif(current_setting('tracelot.change', true), '') $$`.execute(db);
    await sql`create or replace function tracelot_uid() returns text language sql volatile
      as $$ select replace(gen_random_uuid()::text, '-', '') $$`.execute(db);
  }
  // Rows written before row versions count as written by the site's last record so far: a peer
  // that has that record has them.
  const head = sql`(select r.id from change_record r join site s
    on r.site_id = s.id and r.seq = s.head_seq where s.local = 1)`;
  for (const table of SYNCED) {
    await db.schema.alterTable(table).addColumn('change_id', 'text').execute();
    await sql`update ${sql.table(table)} set change_id = ${head}`.execute(db);
  }
  const random = postgres
    ? sql`replace(gen_random_uuid()::text, '-', '')`
    : sql`lower(hex(randomblob(16)))`;
  for (const table of NUMBERED) {
    await db.schema
      .alterTable(table)
      .addColumn('uid', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await sql`update ${sql.table(table)} set uid = ${random}`.execute(db);
    await db.schema.createIndex(`${table}_uid`).unique().on(table).column('uid').execute();
  }
  await db.schema
    .alterTable('site')
    // What the site held when it last sent us its records (JSON: site id → record number): a
    // bundle for it starts after that.
    .addColumn('peer_vector', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  // A key of the `site` role belongs to the site that first syncs with it: another site using it
  // is refused (src/sync/sync-http.routes.ts).
  await db.schema.alterTable('api_key').addColumn('site_id', 'text').execute();
  // The sites this one syncs with over HTTPS (tracelot site add): their address and the key
  // they gave this site. This instance's own settings: not synced, not in the change log.
  await db.schema
    .createTable('sync_peer')
    .addColumn('site_id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('api_key', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('last_sync_at', 'text')
    .addColumn('last_result', 'text')
    .execute();
  await db.schema
    .createTable('sync_conflict')
    // Named by a hash of the two records and the row, so every site that meets the pair names
    // the same conflict, and it is listed once however often the records arrive.
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_code', 'text', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('row_key', 'text', (c) => c.notNull())
    // The side in effect (the later clock) and the other: each change record and its row image.
    .addColumn('kept_change', 'text', (c) => c.notNull())
    .addColumn('kept', 'text', (c) => c.notNull())
    .addColumn('other_change', 'text', (c) => c.notNull())
    .addColumn('other', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution', 'text')
    .addColumn('change_id', 'text')
    .execute();
  await db.schema
    .createIndex('sync_conflict_open')
    .on('sync_conflict')
    .columns(['resolved_at', 'detected_at'])
    .execute();
}
