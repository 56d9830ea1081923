import { sql, type Kysely } from 'kysely';
import { codeType, isPostgres } from './helpers.js';

// Attachment contents in the database (docs/attachments.md, `tracelot serve --files database`):
// - file_content: one row per upload; its sha256 is null while the upload streams in and set
//   (unique) when it is published, so a reader never sees a partial content and two uploads of
//   the same bytes end as one content;
// - file_chunk: the bytes, in chunks of 256 KiB numbered from 0, so nothing ever holds a whole
//   file in memory;
// - instance_setting: where this instance keeps its files ('files' → 'folder' | 'database'), so
//   every server and CLI command on one database agrees.
// Content addressed by hash, like the files folder, and operational settings: not records of
// the change log, not synced, not exported as rows (an export carries the files themselves).
// Created on both dialects (the schema is one), used only with PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  await db.schema
    .createTable('file_content')
    .addColumn('id', code, (c) => c.primaryKey())
    .addColumn('sha256', 'text')
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('chunk_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('file_content_sha256')
    .on('file_content')
    .column('sha256')
    .unique()
    .execute();
  await db.schema
    .createTable('file_chunk')
    .addColumn('content_id', code, (c) => c.notNull().references('file_content.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunk_pk', ['content_id', 'seq'])
    .execute();
  // Attachments are mostly compressed already (images, PDF, archives): stored out of line
  // without PostgreSQL trying to compress each chunk again.
  if (isPostgres(db))
    await sql`alter table file_chunk alter column data set storage external`.execute(db);
  await db.schema
    .createTable('instance_setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
