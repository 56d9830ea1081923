import type { Kysely } from 'kysely';
import { codeType } from './helpers.js';

// Files attached to lots, parts, builds, projects, locations and service events. The bytes
// live in the data folder by SHA-256 (src/attachments/file-store.ts); this row says what they
// are and where they belong. Removal is a mark, never a delete: records are not lost.
// Released migrations are never edited: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  await db.schema
    .createTable('attachment')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('subject_code', code, (c) => c.notNull().references('object_code.code'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_by_code', code)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .addColumn('removed_by', 'text')
    .addColumn('removed_reason', 'text')
    .execute();
  await db.schema
    .createIndex('attachment_subject')
    .on('attachment')
    .columns(['subject_code', 'created_at'])
    .execute();
  await db.schema.createIndex('attachment_sha256').on('attachment').column('sha256').execute();
}
